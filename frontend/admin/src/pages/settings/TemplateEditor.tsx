// The template editor: pick a journey, channel and language, edit the subject and body, and watch the preview follow
// (debounced) through POST /api/admin/notifications/preview with the draft; the sandbox's refusals appear under the
// editor. Save stores the draft in the settings document, "Restore default" removes it, "Send me a test" sends it.
import {
  Badge, Banner, BlockStack, Button, Card, InlineError, InlineGrid, InlineStack, Select, Text, TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { api, ApiError, type FieldErrors } from "../../api";
import { t } from "../../i18n";
import { useToast } from "../../toast";
import {
  journeyLabel, LOCALES, ordered, smsSegments, tKey, type Locale, type MessagesDocument, type Preview, type Template,
} from "./messages";

const DEBOUNCE_MS = 400;
type Kind = "email" | "sms";

interface Props {
  document: MessagesDocument;
  onSaved: (document: MessagesDocument) => void;
}

export default function TemplateEditor({ document, onSaved }: Props) {
  const toast = useToast();
  const journeyNames = ordered(Object.keys(document.journeys));
  const [journey, setJourney] = useState(journeyNames[0] || "shipped");
  const kinds = (["email", "sms"] as Kind[]).filter((kind) => kind in document.journeys[journey].channels);
  const [channel, setChannel] = useState<Kind>("email");
  const [locale, setLocale] = useState<Locale>(document.branding.default_locale || "en");
  const [draft, setDraft] = useState<Template | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState<"save" | "restore" | "test" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const kind: Kind = kinds.includes(channel) ? channel : "email";
  const edited = !!document.templates[journey]?.[kind]?.[locale];
  const loaded = useRef<string>("");

  // The source to edit: the shop's template, else ours (what GET preview renders from).
  useEffect(() => {
    const key = `${journey}/${kind}/${locale}`;
    loaded.current = key;
    setDraft(null);
    setTemplateError(null);
    setErrors({});
    const query = new URLSearchParams({ journey, channel: kind, locale });
    api<Preview>(`/api/admin/notifications/preview?${query}`).then((answer) => {
      if (loaded.current !== key) return;
      setDraft(answer.template);
      setPreview(answer);
    }, (error: Error) => setProblem(error.message));
  }, [journey, kind, locale, edited]);

  // The preview follows the draft, a moment after the merchant stops typing.
  useEffect(() => {
    if (!draft) return;
    const key = loaded.current;
    const timer = setTimeout(() => {
      api<Preview>("/api/admin/notifications/preview", { method: "POST", body: { journey, channel: kind, locale, template: draft } })
        .then((answer) => {
          if (loaded.current !== key) return;
          setPreview(answer);
          setTemplateError(null);
        }, (error: Error) => {
          if (loaded.current === key) setTemplateError(error.message);
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, journey, kind, locale]);

  const path = `templates.${journey}.${kind}.${locale}`;
  const putTemplate = async (value: Template | null, action: "save" | "restore") => {
    setBusy(action);
    setErrors({});
    setProblem(null);
    try {
      const saved = await api<MessagesDocument>("/api/admin/settings", {
        method: "PUT", body: { templates: { [journey]: { [kind]: { [locale]: value } } } },
      });
      onSaved(saved);
      toast(t(action === "save" ? "templates.saved" : "templates.restored"));
    } catch (error) {
      if (error instanceof ApiError && error.fields[path]) setTemplateError(error.fields[path]);
      else setProblem((error as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const sendTest = async () => {
    setBusy("test");
    setErrors({});
    setProblem(null);
    try {
      await api("/api/admin/notifications/test", { method: "POST", body: { journey, channel: kind, locale, to, template: draft } });
      toast(t("templates.testSent", { to }));
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) {
        setErrors(error.fields);
        if (error.fields.template) setTemplateError(error.fields.template);
      } else {
        setProblem((error as Error).message);
      }
    } finally {
      setBusy(null);
    }
  };

  const count = kind === "sms" && preview?.body ? smsSegments(preview.body) : null;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">{t("templates.title")}</Text>
          <Badge tone={edited ? "info" : undefined}>{edited ? t("templates.edited") : t("templates.default")}</Badge>
        </InlineStack>
        {problem && <Banner tone="critical" onDismiss={() => setProblem(null)}>{problem}</Banner>}
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
          <Select label={t("templates.journey")} value={journey} onChange={setJourney}
            options={journeyNames.filter((name) => ["email", "sms"].some((c) => c in document.journeys[name].channels))
              .map((name) => ({ label: journeyLabel(name), value: name }))} />
          <Select label={t("templates.channel")} value={kind} onChange={(value) => setChannel(value as Kind)}
            options={kinds.map((value) => ({ label: t(tKey(`journeys.channelNames.${value}`)), value }))} />
          <Select label={t("templates.language")} value={locale} onChange={(value) => setLocale(value as Locale)}
            options={LOCALES.map((value) => ({ label: t(tKey(`templates.languages.${value}`)), value }))} />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
          <BlockStack gap="300">
            {kind === "email" && (
              <TextField label={t("templates.subject")} monospaced autoComplete="off" value={draft?.subject ?? ""}
                disabled={!draft} onChange={(subject) => setDraft((current) => current && { ...current, subject })} />
            )}
            <TextField label={t("templates.body")} monospaced multiline={kind === "email" ? 14 : 4} autoComplete="off"
              value={draft?.body ?? ""} disabled={!draft} spellCheck={false}
              onChange={(body) => setDraft((current) => current && { ...current, body })} />
            {templateError && (
              <div data-template-error>
                <InlineError fieldID="template-body" message={`${t("templates.error")}: ${templateError}`} />
              </div>
            )}
            <InlineStack gap="200">
              <Button variant="primary" onClick={() => draft && putTemplate(draft, "save")} loading={busy === "save"}
                disabled={!draft || !!templateError}>{t("templates.save")}</Button>
              <Button onClick={() => putTemplate(null, "restore")} loading={busy === "restore"} disabled={!edited}>
                {t("templates.restore")}
              </Button>
            </InlineStack>
            <TextField label={t("templates.testTo")} type={kind === "email" ? "email" : "tel"} autoComplete={kind === "email" ? "email" : "tel"}
              value={to} onChange={setTo} error={errors.to}
              helpText={kind === "email" ? t("templates.testToEmailHelp") : t("templates.testToSmsHelp")}
              connectedRight={<Button onClick={sendTest} loading={busy === "test"} disabled={!draft || !to.trim()}>
                {t("templates.test")}</Button>} />
          </BlockStack>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">{t("templates.preview")}</Text>
            {kind === "email" && preview?.html !== undefined && (
              <BlockStack gap="200">
                <Text as="p" variant="bodySm" tone="subdued">{t("templates.previewSubject", { subject: preview.subject || "" })}</Text>
                <iframe title={t("templates.previewTitle")} sandbox="" srcDoc={preview.html}
                  style={{ width: "100%", height: 520, border: "1px solid var(--p-color-border)", borderRadius: 8, background: "#fff" }} />
              </BlockStack>
            )}
            {kind === "sms" && preview?.body !== undefined && count && (
              <BlockStack gap="200">
                <Card background="bg-surface-secondary">
                  <Text as="p"><span data-sms-preview style={{ whiteSpace: "pre-wrap" }}>{preview.body}</span></Text>
                </Card>
                <Text as="p" variant="bodySm" tone="subdued">
                  {count.segments === 1 ? t("templates.smsCountOne", count) : t("templates.smsCount", count)}
                </Text>
              </BlockStack>
            )}
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
