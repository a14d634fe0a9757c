// What the queue pages share: filters kept in the address's query, and how ages, times and carriers read.
import { useEffect, useRef, useState } from "react";
import { locale, t, tServer } from "../../i18n";
import { carrierName } from "../../carriers";
import { navigate, pathFor, useLocation, type Route } from "../../router";

// The page's filters live in the query string, so a filtered view can be reloaded, shared and gone back to.
export function useFilters(route: Route): [URLSearchParams, (changes: Record<string, string>) => void] {
  const { query } = useLocation();
  const set = (changes: Record<string, string>) => {
    const next: Record<string, string> = Object.fromEntries(query.entries());
    for (const [key, value] of Object.entries(changes)) {
      if (value) next[key] = value;
      else delete next[key];
    }
    if (!("page" in changes)) delete next.page; // a new filter starts at its first page
    navigate(pathFor(route, next));
  };
  return [query, set];
}

// The search box's text, kept with the address's `q`: typing sets `q` once the merchant pauses; going back or
// forward to another `q` puts that text back in the box (but the address our own typing wrote does not).
export function useSearch(
  query: URLSearchParams, setFilters: (changes: Record<string, string>) => void,
): [string, (value: string) => void] {
  const inAddress = query.get("q") || "";
  const [search, setSearch] = useState(inAddress);
  const applied = useRef(inAddress);
  useEffect(() => {
    if (inAddress !== applied.current) {
      applied.current = inAddress;
      setSearch(inAddress);
    }
  }, [inAddress]);
  useDebounced(search, (q) => {
    if (q !== applied.current) {
      applied.current = q;
      setFilters({ q });
    }
  });
  return [search, setSearch];
}

// Search as the merchant types, without a request (and a history entry) per key.
export function useDebounced(value: string, apply: (value: string) => void, wait = 350): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => apply(value), wait);
    return () => clearTimeout(timer);
  }, [value]);
}

export function apiPath(path: string, query: URLSearchParams, keys: string[]): string {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = query.get(key);
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function age(hours: number | null): string {
  if (hours === null) return "";
  if (hours < 1) return t("queues.age.now");
  if (hours < 48) return t(hours === 1 ? "queues.age.hour" : "queues.age.hours", { count: hours });
  return t("queues.age.days", { count: Math.floor(hours / 24) });
}

const DATE_TIME = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });

export function when(iso: string | null): string {
  return iso ? DATE_TIME.format(new Date(iso)) : "";
}

export function trackingStatus(status: string): string {
  return tServer(`queues.tracking.${status}`, status);
}

export function carrierOptions(codes: string[] | undefined, current: string): { label: string; value: string }[] {
  const all = new Set(codes || []);
  if (current) all.add(current);
  return [{ label: t("queues.allCarriers"), value: "" }, ...[...all].sort().map((code) => ({ label: carrierName(code), value: code }))];
}

export function pageLabel(page: number, perPage: number, total: number): string {
  if (!total) return "";
  const first = (page - 1) * perPage + 1;
  return t("queues.pageLabel", { first, last: Math.min(page * perPage, total), total });
}
