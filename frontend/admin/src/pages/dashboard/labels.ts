// Names for the codes the API answers (statuses, delay reasons, channels), falling back to the code
// itself for one the admin has no words for yet.
import { locale, tServer } from "../../i18n";

export function label(group: "status" | "reason" | "channel", code: string): string {
  return tServer(`dashboard.${group}.${code}`, code.replace(/_/g, " "));
}

export const percent = (rate: number | null) =>
  rate === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(rate);

export const number = (value: number | null, digits = 1) =>
  value === null ? "—" : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);

export const shortDate = (iso: string) =>
  new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
