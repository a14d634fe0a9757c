// What the server tells the page when it serves it (app/admin/pages.py writes it as JSON in #afterglow-boot):
// how the page is authenticated, the store it is for, and the admin's language.

export type Mode = "embedded" | "session";

export interface ShopSummary {
  id: number;
  platform: "shopify" | "woocommerce";
  domain: string;
  name: string | null;
  currency: string | null;
  timezone: string | null;
}

export interface Boot {
  mode: Mode; // embedded: inside the Shopify admin, App Bridge session tokens; session: a signed-in cookie + CSRF
  shop: ShopSummary;
  csrf: string | null; // session mode: echoed in X-CSRF-Token on every request that changes something
  locale: string;
  base: string; // the path the admin's pages hang off ("/app")
  widget: string; // the storefront widget's script, for the live preview
  storefront: string; // the public storefront API the widget talks to
}

export function readBoot(): Boot {
  const element = document.getElementById("afterglow-boot");
  if (!element || !element.textContent) throw new Error("the admin page was served without its boot data");
  return JSON.parse(element.textContent) as Boot;
}

export const boot: Boot = readBoot();
