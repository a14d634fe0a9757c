// Settings, one tab each (the tab is in the URL, `?tab=branding`): Branding and Tracking page edit the shop's look
// beside a live preview of the tracking page and are saved together; Messages and Connections are their own.
import { Banner, BlockStack, Card, Layout, List, Page, SkeletonBodyText, Tabs } from "@shopify/polaris";
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { ApiError, type FieldErrors } from "../api";
import { t, type Key } from "../i18n";
import { navigate, pathFor, useLocation } from "../router";
import { useToast } from "../toast";
import Branding from "./settings/Branding";
import Connections from "./settings/Connections";
import Journeys from "./settings/Journeys";
import Preview from "./settings/Preview";
import TrackingPage from "./settings/TrackingPage";
import { cleaned, loadSettings, saveSettings, type Look, type SettingsDocument } from "./settings/document";

const TABS = ["branding", "tracking", "messages", "connections"] as const;
type Tab = (typeof TABS)[number];

// Each field's label, to name it in the summary of what needs a change.
const LABELS: Record<string, Key> = {
  "branding.name": "settings.branding.name",
  "branding.logo_url": "settings.branding.logo",
  "branding.accent_color": "settings.branding.accent",
  "branding.text_color": "settings.branding.text",
  "branding.background_color": "settings.branding.background",
  "branding.font_family": "settings.branding.font",
  "branding.support_email": "settings.branding.supportEmail",
  "branding.sender_name": "settings.branding.senderName",
  "branding.default_locale": "settings.branding.language",
  "tracking_page.recommendations": "settings.tracking.recommendations",
  "tracking_page.survey_kind": "settings.tracking.surveyKind",
};
const tabOfField = (path: string): Tab => (path.startsWith("tracking_page.") ? "tracking" : "branding");

function look(document: SettingsDocument): Look {
  return { branding: document.branding, tracking_page: document.tracking_page };
}

const MemoPreview = memo(Preview);

const TabBar = memo(function TabBar({ tab }: { tab: Tab }) {
  return (
    <Tabs
      tabs={TABS.map((id) => ({ id: `settings-${id}`, content: t(`settings.tabs.${id}`), panelID: `settings-${id}-panel` }))}
      selected={TABS.indexOf(tab)}
      onSelect={(index) => navigate(pathFor("settings", { tab: TABS[index] }))}
    />
  );
});

export default function Settings() {
  const { query } = useLocation();
  const asked = query.get("tab") as Tab | null;
  const tab: Tab = asked && TABS.includes(asked) ? asked : "branding";
  const toast = useToast();
  const [saved, setSaved] = useState<Look | null>(null);
  const [draft, setDraft] = useState<Look | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Key | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    loadSettings().then(
      (document) => {
        setSaved(look(document));
        setDraft(look(document));
      },
      () => setFailure("settings.loadFailed"),
    );
  }, []);

  const dirty = useMemo(
    () => !!draft && !!saved && JSON.stringify(cleaned(draft)) !== JSON.stringify(cleaned(saved)),
    [draft, saved],
  );

  const change = useCallback(<S extends keyof Look>(section: S, values: Partial<Look[S]>) => {
    setDraft((current) => current && { ...current, [section]: { ...current[section], ...values } });
    setErrors((current) => {
      const kept = { ...current };
      for (const key of Object.keys(values)) {
        for (const path of Object.keys(kept)) {
          if (path === `${section}.${key}` || path.startsWith(`${section}.${key}.`)) delete kept[path];
        }
      }
      return kept;
    });
  }, []);

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    try {
      const document = await saveSettings(cleaned(draft));
      setSaved(look(document));
      setDraft(look(document));
      setErrors({});
      setFailure(null);
      toast(t("app.saved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        setErrors(error.fields);
        setFailure(null);
        const paths = Object.keys(error.fields);
        if (paths.length && !paths.some((path) => tabOfField(path) === tab) && (tab === "branding" || tab === "tracking")) {
          navigate(pathFor("settings", { tab: tabOfField(paths[0]) })); // the wrong fields are on the other tab
        }
      } else {
        setFailure("settings.saveFailed");
      }
    } finally {
      setSaving(false);
    }
  };

  const editing = tab === "branding" || tab === "tracking";
  // The preview follows the draft at a lower priority than the keystroke that changed it.
  const preview = useDeferredValue(draft);
  const wrong = Object.entries(errors);
  const summary = wrong.length > 0 && (
    <Banner
      tone="critical"
      title={wrong.length === 1 ? t("settings.invalidTitleOne") : t("settings.invalidTitle", { count: wrong.length })}
    >
      <List>
        {wrong.map(([path, message]) => (
          <List.Item key={path}>{LABELS[path] ? t(LABELS[path]) : path}: {message}</List.Item>
        ))}
      </List>
    </Banner>
  );

  const form = !draft ? (
    <Card>
      <SkeletonBodyText lines={10} />
    </Card>
  ) : tab === "branding" ? (
    <Branding value={draft.branding} errors={errors} onChange={(values) => change("branding", values)} />
  ) : (
    <TrackingPage value={draft.tracking_page} errors={errors} onChange={(values) => change("tracking_page", values)} />
  );

  return (
    <Page
      title={t("nav.settings")}
      primaryAction={editing ? { content: t("settings.save"), onAction: save, loading: saving, disabled: !dirty } : undefined}
      secondaryActions={editing && dirty ? [{ content: t("settings.discard"), onAction: () => { setDraft(saved); setErrors({}); } }] : []}
    >
      <BlockStack gap="400">
        {failure && <Banner tone="critical" onDismiss={() => setFailure(null)}>{t(failure)}</Banner>}
        {editing && summary}
        <TabBar tab={tab} />
        {/* The panel sits beside the tab bar rather than inside it, so typing redraws the form, not the tabs. */}
        <div id={`settings-${tab}-panel`} role="tabpanel" aria-labelledby={`settings-${tab}`} tabIndex={-1}>
          <BlockStack gap="400">
            {tab === "messages" && <Journeys />}
            {tab === "connections" && <Connections />}
            {editing && (
              <Layout>
                <Layout.Section variant="oneHalf">{form}</Layout.Section>
                <Layout.Section variant="oneHalf">
                  <MemoPreview draft={preview} />
                </Layout.Section>
              </Layout>
            )}
          </BlockStack>
        </div>
      </BlockStack>
    </Page>
  );
}
