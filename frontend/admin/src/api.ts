// Every call to the admin API goes through `api`: inside the Shopify admin it carries an App Bridge session token
// (a 401 with X-Shopify-Retry-Invalid-Session-Request fetches a fresh token and retries once); elsewhere the
// signed-in cookie travels and requests that change something echo the session's CSRF token.
import { boot } from "./boot";
import { t } from "./i18n";

export const RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

export type FieldErrors = Record<string, string>; // "branding.accent_color" -> "must be a colour like #2f6f5e"

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public fields: FieldErrors = {},
    public body: unknown = null,
  ) {
    super(message);
  }
}

async function headersFor(method: string, fresh: boolean): Promise<Record<string, string>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (boot.mode === "embedded") {
    if (fresh) await new Promise((resolve) => setTimeout(resolve, 0)); // let App Bridge drop the refused token
    headers.Authorization = `Bearer ${await window.shopify.idToken()}`;
  } else if (method !== "GET" && boot.csrf) {
    headers["X-CSRF-Token"] = boot.csrf;
  }
  return headers;
}

export async function request(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const method = init.method || "GET";
  const send = async (fresh: boolean) => {
    const headers = await headersFor(method, fresh);
    let body: string | undefined;
    if (init.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    return fetch(path, { method, headers, body, credentials: "same-origin" });
  };
  let response = await send(false);
  if (response.status === 401 && boot.mode === "embedded" && response.headers.get(RETRY_HEADER) === "1") {
    await response.text().catch(() => ""); // read the refusal to its end, which frees its connection
    response = await send(true); // once: a second refusal is a real one
  }
  return response;
}

// The error's message is the API's own sentence when it sent one; otherwise (no network, a proxy's error page, a
// refused session) the catalog's words, never a bare status code or the browser's English.
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    response = await request(path, init);
    const type = response.headers.get("Content-Type") || "";
    body = type.includes("json") ? await response.json() : await response.text();
  } catch {
    throw new ApiError(0, t("app.error"));
  }
  if (!response.ok) {
    const message = response.status === 401 ? t("app.signedOut")
      : (body && body.message) || (body && body.error) || t("app.error");
    throw new ApiError(response.status, String(message), (body && body.fields) || {}, body);
  }
  return body as T;
}
