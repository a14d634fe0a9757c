// A small router over the History API: the admin's pages live under `boot.base` ("/app"), and the Shopify admin
// opens the app at "/", which is the home page too. Links call `navigate`; App Bridge's nav menu changes the
// iframe's history, which reaches us as popstate.
import { useEffect, useState } from "react";
import { boot } from "./boot";

export type Route = "home" | "dashboard" | "shipments" | "notifications" | "surveys" | "settings";
export const ROUTES: Route[] = ["home", "dashboard", "shipments", "notifications", "surveys", "settings"];

export function pathFor(route: Route, query: Record<string, string> = {}): string {
  const path = route === "home" ? boot.base : `${boot.base}/${route}`;
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(boot.base) ? pathname.slice(boot.base.length).replace(/^\/+/, "") : "";
  const first = rest.split("/")[0] as Route;
  return ROUTES.includes(first) ? first : "home";
}

export function navigate(to: string): void {
  // Inside the Shopify admin the query carries shop/host, which App Bridge needs on reload: keep it.
  const url = new URL(to, location.origin);
  if (boot.mode === "embedded") {
    for (const key of ["shop", "host", "embedded", "locale"]) {
      const value = new URLSearchParams(location.search).get(key);
      if (value && !url.searchParams.has(key)) url.searchParams.set(key, value);
    }
  }
  history.pushState(null, "", url.pathname + url.search);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocation(): { route: Route; query: URLSearchParams } {
  const read = () => ({ route: routeOf(location.pathname), query: new URLSearchParams(location.search) });
  const [state, setState] = useState(read);
  useEffect(() => {
    const update = () => setState(read());
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return state;
}
