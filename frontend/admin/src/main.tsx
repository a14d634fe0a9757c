import "@shopify/polaris/build/esm/styles.css";
import "./styles.css";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import { navigate } from "./router";

// Polaris renders links through this, so a Polaris `url` moves within the page instead of reloading it.
function Link({ url, children, external, ...rest }: { url: string; children?: React.ReactNode; external?: boolean; [key: string]: unknown }) {
  if (external || /^https?:/.test(url)) return <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>{children}</a>;
  return (
    <a href={url} {...rest} onClick={(event) => { if (event.metaKey || event.ctrlKey) return; event.preventDefault(); navigate(url); }}>
      {children}
    </a>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AppProvider i18n={enTranslations} linkComponent={Link}>
      <App />
    </AppProvider>
  </StrictMode>,
);
