// The settings document of /api/admin/settings (app/admin/settings_api.py): read whole, saved in parts.
import { api } from "../../api";

export const FONTS = ["theme", "system", "humanist", "serif", "rounded", "mono"] as const;
export const LANGUAGES = ["en", "de", "fr", "es", "nl"] as const;
export const BLOCKS = ["estimate", "timeline", "items", "survey"] as const;

export type Font = (typeof FONTS)[number];
export type Block = (typeof BLOCKS)[number];

export interface Branding {
  name: string | null;
  logo_url: string | null;
  accent_color: string;
  text_color: string;
  background_color: string;
  font_family: Font;
  support_email: string | null;
  sender_name: string | null;
  default_locale: string;
}

export interface TrackingPage {
  show: Record<Block, boolean>;
  recommendations: boolean;
  survey_kind: "nps" | "ces";
}

export interface SettingsDocument {
  branding: Branding;
  tracking_page: TrackingPage;
  journeys: Record<string, unknown>;
  quiet_hours: Record<string, unknown>;
  templates: Record<string, unknown>;
}

// The part of the document the Branding and Tracking page tabs edit (and the storefront preview takes).
export type Look = Pick<SettingsDocument, "branding" | "tracking_page">;

export const loadSettings = () => api<SettingsDocument>("/api/admin/settings");

export const saveSettings = (changes: Partial<SettingsDocument>) =>
  api<SettingsDocument>("/api/admin/settings", { method: "PUT", body: changes });

// A sample order, in the storefront API's shape, with the draft look applied; 422 with `fields` like a save.
export const previewStorefront = (draft: Look) =>
  api<unknown>("/api/admin/storefront/preview", { method: "POST", body: draft });

// Empty optional text goes out as null: "not set", so the store's own name or the default applies.
export function cleaned(look: Look): Look {
  const branding = { ...look.branding };
  for (const key of ["name", "logo_url", "support_email", "sender_name"] as const) {
    const value = branding[key];
    branding[key] = value && value.trim() ? value.trim() : null;
  }
  return { branding, tracking_page: look.tracking_page };
}
