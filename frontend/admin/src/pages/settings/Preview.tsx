// The tracking page as shoppers will see it, redrawn as the merchant edits: the storefront widget itself (loaded
// once from boot.widget) rendering a sample order that the server builds with the draft applied.
import { Banner, BlockStack, Card, Scrollable, SkeletonBodyText, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { boot } from "../../boot";
import { t } from "../../i18n";
import { cleaned, previewStorefront, type Look } from "./document";

type TrackingElement = HTMLElement & { preview(document: unknown): void };

const DEBOUNCE_MS = 250;
let widget: Promise<void> | null = null;

function loadWidget(): Promise<void> {
  if (customElements.get("afterglow-tracking")) return Promise.resolve();
  widget ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = boot.widget;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      widget = null; // a later preview may try again
      reject(new Error("the tracking widget did not load"));
    };
    document.head.appendChild(script);
  });
  return widget;
}

export default function Preview({ draft }: { draft: Look | null }) {
  const host = useRef<HTMLDivElement>(null);
  const element = useRef<TrackingElement | null>(null);
  const latest = useRef(0);
  const first = useRef(true);
  const [state, setState] = useState<"loading" | "shown" | "stale" | "failed">("loading");

  useEffect(() => {
    if (!draft) return; // the settings are still loading
    const call = ++latest.current;
    const wait = first.current ? 0 : DEBOUNCE_MS; // the first drawing at once, then once typing pauses
    first.current = false;
    const timer = setTimeout(async () => {
      try {
        const [document_] = await Promise.all([previewStorefront(cleaned(draft)), loadWidget()]);
        if (call !== latest.current || !host.current) return; // a newer draft is on its way
        if (!element.current) {
          // Rendered before it is attached, so it never shows its lookup form first.
          element.current = document.createElement("afterglow-tracking") as TrackingElement;
          element.current.preview(document_);
          host.current.appendChild(element.current);
        } else {
          element.current.preview(document_);
        }
        setState("shown");
      } catch {
        if (call === latest.current) setState(element.current ? "stale" : "failed");
      }
    }, wait);
    return () => clearTimeout(timer);
  }, [draft]);

  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd" id="afterglow-preview-title">{t("settings.preview.title")}</Text>
          {/* One line either way, so the preview below never moves. */}
          <Text as="p" tone={state === "stale" ? "caution" : "subdued"}>
            {t(state === "stale" ? "settings.preview.stale" : "settings.preview.description")}
          </Text>
        </BlockStack>
        {/* A fixed height: the sample order fills it without pushing the page about as it redraws. */}
        <Scrollable style={{ height: "40rem" }} focusable role="region" aria-labelledby="afterglow-preview-title" data-preview="">
          {state === "failed" && <Banner tone="critical">{t("settings.preview.failed")}</Banner>}
          {/* The skeleton lies over the widget's place rather than above it, so taking it away moves nothing. */}
          <div style={{ position: "relative" }}>
            <div ref={host} />
            {state === "loading" && (
              <div role="status" aria-label={t("settings.preview.loading")} style={{ position: "absolute", inset: 0 }}>
                <SkeletonBodyText lines={12} />
              </div>
            )}
          </div>
        </Scrollable>
      </BlockStack>
    </Card>
  );
}
