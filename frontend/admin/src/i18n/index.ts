// `t("nav.home")` reads the admin's strings in the merchant's language, falling back to English key by key;
// `{name}` placeholders are filled from the second argument.
import { boot } from "../boot";
import { en, type Catalog } from "./en";

const CATALOGS: Record<string, Catalog> = { en };

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type Key = Leaves<Catalog>;

function lookup(catalog: unknown, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

export const locale = CATALOGS[boot.locale] ? boot.locale : "en";

type Values = Record<string, string | number>;

function fill(text: string, values: Values): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in values ? String(values[name]) : `{${name}}`));
}

export function t(key: Key, values: Values = {}): string {
  return fill(lookup(CATALOGS[locale], key) ?? lookup(en, key) ?? key, values);
}

// For keys the server names (a step's state, an action): the catalog's words, else the server's own English.
export function tServer(key: string, fallback: string, values: Values = {}): string {
  return fill(lookup(CATALOGS[locale], key) ?? lookup(en, key) ?? fallback, values);
}
