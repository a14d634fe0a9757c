// The Settings page's "Connections" tab: the store's carrier accounts (checked with the carrier before they are
// saved, shown masked), a form to connect one, and the Klaviyo and webhook channels (/api/admin/credentials).
import {
  Badge, Banner, BlockStack, Button, Card, Checkbox, Divider, FormLayout, InlineStack, Modal, Select, SkeletonBodyText, Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { api, ApiError, type FieldErrors } from "../../api";
import { when } from "../../components/queues/data";
import { SectionCard } from "../../components/SectionCard";
import { t, tServer } from "../../i18n";
import { useToast } from "../../toast";

interface CredentialField {
  name: string;
  required: boolean;
  secret: boolean;
  flag: boolean;
  help: string;
}

interface Carrier {
  source: string;
  name: string;
  fields: CredentialField[];
}

interface Account {
  source: string;
  name: string;
  fields: Record<string, string>;
  connected_at: string;
  validated_at: string | null;
  last_error: string | null;
}

interface Channels {
  klaviyo: { connected: boolean; api_key: string | null };
  webhook: { connected: boolean; url: string | null };
}

interface Overview {
  carriers: Carrier[];
  accounts: Account[];
  channels: Channels;
}

// A field's label: ours for the names carriers use, else its name in words.
const fieldLabel = (name: string) => {
  const words = name.replace(/_/g, " ");
  return tServer(`connections.fields.${name}`, words.charAt(0).toUpperCase() + words.slice(1));
};

// What an account holds, in the form's words: "API key: ****1234", a flag by its label when it is on.
const shown = (account: Account, fields: CredentialField[]) =>
  Object.entries(account.fields).flatMap(([name, value]) => {
    if (!fields.find((field) => field.name === name)?.flag) return [`${fieldLabel(name)}: ${value}`];
    return value === "1" ? [fieldLabel(name)] : [];
  });

function AccountRow({ account, fields, onRemove }: { account: Account; fields: CredentialField[]; onRemove: () => void }) {
  const validated = when(account.validated_at);
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">{account.name}</Text>
          {account.last_error ? <Badge tone="critical">{t("connections.lastError")}</Badge>
            : validated ? <Badge tone="success">{t("connections.validated", { date: validated })}</Badge>
              : <Badge>{t("connections.notValidated")}</Badge>}
        </InlineStack>
        <Button tone="critical" variant="plain" onClick={onRemove}
          accessibilityLabel={t("connections.removeName", { name: account.name })}>{t("connections.remove")}</Button>
      </InlineStack>
      <Text as="p" tone="subdued" variant="bodySm">
        {shown(account, fields).join(" · ")}
      </Text>
      {account.last_error && <Text as="p" tone="critical" variant="bodySm">{account.last_error}</Text>}
    </BlockStack>
  );
}

function ConnectCarrier({ carriers, onConnected }: { carriers: Carrier[]; onConnected: (account: Account) => void }) {
  const [source, setSource] = useState(carriers[0]?.source || "");
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const carrier = carriers.find((candidate) => candidate.source === source);

  const connect = async () => {
    if (!carrier) return;
    setBusy(true);
    setErrors({});
    setProblem(null);
    const fields = Object.fromEntries(carrier.fields.map((field) => [field.name, values[field.name] ?? (field.flag ? false : "")]));
    try {
      const { account } = await api<{ account: Account }>(`/api/admin/credentials/carriers/${source}`, { method: "PUT", body: { fields } });
      setValues({});
      onConnected(account);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fields);
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">{t("connections.connectTitle")}</Text>
      {problem && <Banner tone="critical" onDismiss={() => setProblem(null)}>{problem}</Banner>}
      <FormLayout>
        <Select label={t("connections.carrier")} value={source}
          options={carriers.map((option) => ({ label: option.name, value: option.source }))}
          onChange={(value) => { setSource(value); setValues({}); setErrors({}); setProblem(null); }} />
        {carrier?.fields.map((field) => field.flag ? (
          <Checkbox key={`${source}.${field.name}`} label={fieldLabel(field.name)} checked={values[field.name] === true}
            onChange={(on) => setValues((current) => ({ ...current, [field.name]: on }))}
            error={errors[`fields.${field.name}`]} helpText={field.help || undefined} />
        ) : (
          <TextField key={`${source}.${field.name}`} label={fieldLabel(field.name)} type={field.secret ? "password" : "text"}
            autoComplete="off" requiredIndicator={field.required} value={String(values[field.name] ?? "")}
            onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            error={errors[`fields.${field.name}`]} helpText={field.help || undefined} />
        ))}
        <Button variant="primary" onClick={connect} loading={busy}
          accessibilityLabel={t("connections.connectName", { name: carrier?.name || "" })}>{t("connections.connect")}</Button>
      </FormLayout>
    </BlockStack>
  );
}

function ChannelCard(props: {
  title: string; intro: string; connectedAs: string | null; label: string; secret: boolean; name: "klaviyo" | "webhook";
  onChange: (channels: Channels, secret?: string) => void;
}) {
  const toast = useToast();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = props.name === "klaviyo" ? "api_key" : "url";

  const connect = async () => {
    setBusy(true);
    setError(undefined);
    setProblem(null);
    try {
      const answer = await api<{ channels: Channels; secret?: string }>(`/api/admin/credentials/channels/${props.name}`,
        { method: "PUT", body: { [field]: value } });
      setValue("");
      props.onChange(answer.channels, answer.secret);
      toast(t("connections.connected", { name: props.title }));
    } catch (failure) {
      if (failure instanceof ApiError && failure.fields[field]) setError(failure.fields[field]);
      else setProblem((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    try {
      const answer = await api<{ channels: Channels }>(`/api/admin/credentials/channels/${props.name}`, { method: "DELETE" });
      props.onChange(answer.channels);
      toast(t("connections.disconnected", { name: props.title }));
    } catch (failure) {
      setProblem((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">{props.title}</Text>
          {props.connectedAs && <Badge tone="success">{t("connections.isConnected")}</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">{props.intro}</Text>
        {problem && <Banner tone="critical" onDismiss={() => setProblem(null)}>{problem}</Banner>}
        {props.connectedAs ? (
          <InlineStack align="space-between" blockAlign="center">
            <Text as="p">{props.label}: {props.connectedAs}</Text>
            <Button tone="critical" onClick={disconnect} loading={busy}
              accessibilityLabel={t("connections.disconnectName", { name: props.title })}>{t("connections.disconnect")}</Button>
          </InlineStack>
        ) : (
          <TextField label={props.label} type={props.secret ? "password" : "url"} autoComplete="off" value={value}
            onChange={setValue} error={error}
            connectedRight={<Button onClick={connect} loading={busy} disabled={!value.trim()}
              accessibilityLabel={t("connections.connectName", { name: props.title })}>{t("connections.connect")}</Button>} />
        )}
      </BlockStack>
    </Card>
  );
}

export default function Connections() {
  const toast = useToast();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Account | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const reload = useCallback(() => {
    api<Overview>("/api/admin/credentials").then(setOverview, (error: Error) => setProblem(error.message));
  }, []);
  useEffect(reload, [reload]);

  if (!overview) return problem ? <Banner tone="critical">{problem}</Banner> : <Card><SkeletonBodyText lines={10} /></Card>;

  const remove = async (account: Account) => {
    try {
      await api(`/api/admin/credentials/carriers/${account.source}`, { method: "DELETE" });
      toast(t("connections.removed", { name: account.name }));
    } catch (error) {
      setProblem((error as Error).message);
    }
    setRemoving(null);
    reload();
  };
  const channelsChanged = (channels: Channels, made?: string) => {
    setOverview((current) => current && { ...current, channels });
    setSecret(made || null);
  };

  return (
    <BlockStack gap="400">
      {problem && <Banner tone="critical" onDismiss={() => setProblem(null)}>{problem}</Banner>}
      <SectionCard title={t("connections.carriersTitle")} intro={t("connections.carriersIntro")}>
        {overview.accounts.length === 0 && <Text as="p">{t("connections.none")}</Text>}
        {overview.accounts.map((account) => (
          <AccountRow key={account.source} account={account} onRemove={() => setRemoving(account)}
            fields={overview.carriers.find((carrier) => carrier.source === account.source)?.fields ?? []} />
        ))}
        <Divider />
        <ConnectCarrier carriers={overview.carriers} onConnected={(account) => {
          toast(t("connections.connected", { name: account.name }));
          reload();
        }} />
      </SectionCard>
      {secret && (
        <Banner tone="warning" title={t("connections.secretTitle")} onDismiss={() => setSecret(null)}>
          <BlockStack gap="200">
            <Text as="p">{t("connections.secretBody")}</Text>
            <TextField label={t("connections.secretTitle")} labelHidden readOnly monospaced autoComplete="off" value={secret}
              selectTextOnFocus />
          </BlockStack>
        </Banner>
      )}
      <ChannelCard name="klaviyo" title={t("connections.klaviyoTitle")} intro={t("connections.klaviyoIntro")}
        label={t("connections.klaviyoKey")} secret connectedAs={overview.channels.klaviyo.api_key}
        onChange={channelsChanged} />
      <ChannelCard name="webhook" title={t("connections.webhookTitle")} intro={t("connections.webhookIntro")}
        label={t("connections.webhookUrl")} secret={false} connectedAs={overview.channels.webhook.url}
        onChange={channelsChanged} />
      {removing && (
        <Modal open onClose={() => setRemoving(null)} title={t("connections.removeTitle", { name: removing.name })}
          primaryAction={{ content: t("connections.remove"), destructive: true, onAction: () => remove(removing) }}
          secondaryActions={[{ content: t("connections.cancel"), onAction: () => setRemoving(null) }]}>
          <Modal.Section><Text as="p">{t("connections.removeBody")}</Text></Modal.Section>
        </Modal>
      )}
    </BlockStack>
  );
}
