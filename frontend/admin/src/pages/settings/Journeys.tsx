// The Settings page's "Messages" tab: each journey switched on or off with its channels and delay, quiet hours per
// channel, saved through PUT /api/admin/settings (field errors shown on their fields), then the template editor.
import {
  Banner, BlockStack, Box, Button, Card, Checkbox, Divider, InlineError, InlineGrid, InlineStack, SkeletonBodyText, Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { api, ApiError, type FieldErrors } from "../../api";
import { SectionCard } from "../../components/SectionCard";
import { t } from "../../i18n";
import { useToast } from "../../toast";
import { CHANNELS, journeyLabel, ordered, tKey, type JourneySettings, type MessagesDocument, type Window } from "./messages";
import TemplateEditor from "./TemplateEditor";

type Draft = Record<string, JourneySettings & { delay: string }>;
const QUIET_CHANNELS = ["email", "sms"] as const;
const NIGHT: Window = { start: "21:00", end: "08:00" };

function draftOf(document: MessagesDocument): Draft {
  return Object.fromEntries(Object.entries(document.journeys).map(([name, journey]) => [
    name, { ...journey, channels: { ...journey.channels }, delay: String(journey.delay_minutes) },
  ]));
}

export default function Journeys() {
  const toast = useToast();
  const [document, setDocument] = useState<MessagesDocument | null>(null);
  const [journeys, setJourneys] = useState<Draft>({});
  const [quiet, setQuiet] = useState<MessagesDocument["quiet_hours"]>({ email: null, sms: null });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback((loaded: MessagesDocument) => {
    setDocument(loaded);
    setJourneys(draftOf(loaded));
    setQuiet(loaded.quiet_hours);
  }, []);

  useEffect(() => {
    api<MessagesDocument>("/api/admin/settings").then(load, (error: Error) => setProblem(error.message));
  }, [load]);

  const change = (name: string, patch: Partial<JourneySettings & { delay: string }>) =>
    setJourneys((current) => ({ ...current, [name]: { ...current[name], ...patch } }));

  const save = async () => {
    setSaving(true);
    setErrors({});
    setProblem(null);
    const changes = Object.fromEntries(Object.entries(journeys).map(([name, { delay, enabled, channels, urgent }]) => [
      name, { enabled, channels, urgent, delay_minutes: /^\d+$/.test(delay.trim()) ? Number(delay) : delay },
    ]));
    try {
      load(await api<MessagesDocument>("/api/admin/settings", { method: "PUT", body: { journeys: changes, quiet_hours: quiet } }));
      toast(t("app.saved"));
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fields);
      setProblem(error instanceof ApiError && Object.keys(error.fields).length ? t("journeys.invalid") : (error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  if (!document) {
    return problem ? <Banner tone="critical">{problem}</Banner> : <Card><SkeletonBodyText lines={10} /></Card>;
  }

  const otherErrors = (name: string) => Object.entries(errors)
    .filter(([path]) => (path === `journeys.${name}` || path.startsWith(`journeys.${name}.`)) && path !== `journeys.${name}.delay_minutes`)
    .map(([, message]) => message);

  return (
    <BlockStack gap="400">
      {problem && <Banner tone="critical" onDismiss={() => setProblem(null)}>{problem}</Banner>}
      <SectionCard title={t("journeys.title")} intro={t("journeys.intro")}>
        {ordered(Object.keys(journeys)).map((name, index) => {
          const journey = journeys[name];
          const label = journeyLabel(name);
          const problems = otherErrors(name);
          return (
            <BlockStack gap="200" key={name}>
              {index > 0 && <Divider />}
              <InlineGrid columns={{ xs: 1, md: "2fr 3fr 1fr" }} gap="300" alignItems="start">
                <BlockStack gap="100">
                  <Checkbox label={<Text as="span" fontWeight="semibold">{label}</Text>} checked={journey.enabled}
                    onChange={(enabled) => change(name, { enabled })} />
                  {journey.urgent && <Text as="span" tone="subdued" variant="bodySm">{t("journeys.urgent")}</Text>}
                </BlockStack>
                <fieldset style={{ border: 0, margin: 0, padding: 0 }} aria-label={`${label}: ${t("journeys.channels")}`}>
                  <InlineStack gap="300">
                    {CHANNELS.filter((channel) => channel in journey.channels).map((channel) => (
                      <Checkbox key={channel} label={t(tKey(`journeys.channelNames.${channel}`))}
                        checked={!!journey.channels[channel]} disabled={!journey.enabled}
                        onChange={(on) => change(name, { channels: { ...journey.channels, [channel]: on } })} />
                    ))}
                  </InlineStack>
                </fieldset>
                <TextField label={`${label}: ${t("journeys.delay")}`} labelHidden={false} type="number" min={0}
                  autoComplete="off" value={journey.delay} onChange={(delay) => change(name, { delay })}
                  error={errors[`journeys.${name}.delay_minutes`]} />
              </InlineGrid>
              {problems.map((message) => <InlineError key={message} message={message} fieldID={`journey-${name}`} />)}
            </BlockStack>
          );
        })}
      </SectionCard>
      <SectionCard title={t("quietHours.title")} intro={t("quietHours.intro")}>
        {QUIET_CHANNELS.map((channel) => {
          const window = quiet[channel];
          const channelName = t(tKey(`journeys.channelNames.${channel}`));
          return (
            <BlockStack gap="200" key={channel}>
              <Checkbox label={t("quietHours.on", { channel: channelName })} checked={window !== null}
                onChange={(on) => setQuiet((current) => ({ ...current, [channel]: on ? { ...NIGHT } : null }))} />
              {window && (
                <InlineGrid columns={2} gap="300">
                  <TextField label={`${channelName}: ${t("quietHours.start")}`} type="time" autoComplete="off"
                    value={window.start} error={errors[`quiet_hours.${channel}.start`] || errors[`quiet_hours.${channel}`]}
                    onChange={(start) => setQuiet((current) => ({ ...current, [channel]: { ...window, start } }))} />
                  <TextField label={`${channelName}: ${t("quietHours.end")}`} type="time" autoComplete="off"
                    value={window.end} error={errors[`quiet_hours.${channel}.end`]}
                    onChange={(end) => setQuiet((current) => ({ ...current, [channel]: { ...window, end } }))} />
                </InlineGrid>
              )}
            </BlockStack>
          );
        })}
      </SectionCard>
      <Box>
        <InlineStack align="end">
          <Button variant="primary" onClick={save} loading={saving}>{t("journeys.save")}</Button>
        </InlineStack>
      </Box>
      <TemplateEditor document={document} onSaved={load} />
    </BlockStack>
  );
}
