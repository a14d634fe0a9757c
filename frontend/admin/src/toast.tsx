// One way to say "saved": App Bridge's toast inside the Shopify admin, a Polaris Toast elsewhere.
import { Toast } from "@shopify/polaris";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { boot } from "./boot";

type Show = (message: string, options?: { error?: boolean }) => void;
const ToastContext = createContext<Show>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; error: boolean } | null>(null);
  const show = useCallback<Show>((message, options = {}) => {
    if (boot.mode === "embedded" && window.shopify) window.shopify.toast.show(message, { isError: !!options.error });
    else setToast({ message, error: !!options.error });
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      {toast && <Toast content={toast.message} error={toast.error} onDismiss={() => setToast(null)} />}
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
