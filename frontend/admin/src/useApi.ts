// Loading one admin API answer for a page: the last answer stays on screen while the next loads (so a new filter or
// period never collapses what is shown), and a failure reads in the admin's language, not the server's.
import { useEffect, useState } from "react";
import { api, ApiError } from "./api";
import { t } from "./i18n";

export interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
}

export function useApi<T>(path: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, loading: true, error: null });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api<T>(path).then(
      (data) => current && setState({ data, loading: false, error: null }),
      (error: unknown) => {
        if (!current) return;
        const message = error instanceof ApiError && error.status === 401 ? t("app.signedOut") : t("app.error");
        setState((previous) => ({ ...previous, loading: false, error: message }));
      },
    );
    return () => {
      current = false;
    };
  }, [path]);
  return state;
}
