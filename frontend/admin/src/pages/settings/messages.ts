// The Messages tab's shapes: the part of the settings document (GET/PUT /api/admin/settings) it edits, and the
// notification preview's answer (/api/admin/notifications/preview).
import { t, type Key } from "../../i18n";

export type Channel = "email" | "sms" | "klaviyo" | "webhook";
export type Locale = "en" | "de" | "fr" | "es" | "nl";

export interface JourneySettings {
  enabled: boolean;
  channels: Partial<Record<Channel, boolean>>;
  urgent: boolean;
  delay_minutes: number;
}

export interface Window {
  start: string;
  end: string;
}

export interface Template {
  subject?: string;
  body: string;
}

export interface MessagesDocument {
  branding: { default_locale: Locale } & Record<string, unknown>;
  journeys: Record<string, JourneySettings>;
  quiet_hours: Record<"email" | "sms", Window | null>;
  templates: Record<string, Partial<Record<"email" | "sms", Partial<Record<Locale, Template>>>>>;
}

export interface Preview {
  journey: string;
  channel: "email" | "sms";
  locale: Locale;
  subject?: string;
  html?: string;
  text?: string;
  body?: string; // SMS
  template: Template;
  edited: boolean;
}

// The journeys in the order a parcel lives them (the API answers them sorted by name).
export const JOURNEY_ORDER = [
  "shipped", "out_for_delivery", "delayed", "exception", "attempt_failed", "available_for_pickup", "delivered",
  "tracking_number_changed", "survey_request", "return_approved", "refund_issued",
];
export const LOCALES: Locale[] = ["en", "de", "fr", "es", "nl"];
export const CHANNELS: Channel[] = ["email", "sms", "klaviyo", "webhook"];

export function ordered(names: string[]): string[] {
  const known = JOURNEY_ORDER.filter((name) => names.includes(name));
  return [...known, ...names.filter((name) => !JOURNEY_ORDER.includes(name)).sort()];
}

export function journeyLabel(name: string): string {
  return JOURNEY_ORDER.includes(name) ? t(tKey(`journeys.names.${name}`)) : name;
}

// A key built at run time from a name the API gave; `t` falls back to the key itself for one it does not know.
export function tKey(key: string): Key {
  return key as Key;
}

// GSM-7 characters fit 160 to a text (153 per part when split); anything else makes it UCS-2: 70 (67 per part).
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
const GSM7_EXTENDED = /[\^{}\\[~\]|€]/g;

export function smsSegments(text: string): { characters: number; segments: number } {
  const gsm = GSM7.test(text);
  const characters = gsm ? text.length + (text.match(GSM7_EXTENDED) || []).length : [...text].length;
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return { characters, segments: characters <= single ? 1 : Math.ceil(characters / part) };
}
