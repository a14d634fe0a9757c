// The onboarding checklist on the home page: four steps read from the store's real state (GET
// /api/admin/onboarding), each with its state, what it means and the one action that moves it on. "Check again"
// asks the platform at once (POST .../check) instead of waiting for the cached answer to age.
import { Banner, BlockStack, Box, Button, Card, Icon, InlineStack, ProgressBar, SkeletonBodyText, Text } from "@shopify/polaris";
import { AlertCircleIcon, CheckCircleIcon, RefreshIcon } from "@shopify/polaris-icons";
import { useCallback, useState } from "react";
import { api } from "../api";
import { t, tServer } from "../i18n";
import { useToast } from "../toast";
import { useApi } from "../useApi";

export interface Step {
  id: string;
  done: boolean;
  title: string;
  detail: string;
  action: { key: string; label: string; url: string; external: boolean } | null;
  state: string;
  params: Record<string, string>;
  note: { key: string; params: Record<string, string> } | null;
}

// The step in the admin's language: the catalog's words for the keys the server sent, its English otherwise.
function words(step: Step): { title: string; detail: string; action: string } {
  const note = step.note ? tServer(`onboarding.notes.${step.note.key}`, "", step.note.params) : "";
  const base = tServer(`onboarding.states.${step.id}.${step.state}`, "", step.params);
  return {
    title: tServer(`onboarding.titles.${step.id}`, step.title),
    detail: base ? [base, note].filter(Boolean).join(" ") : step.detail,
    action: step.action ? tServer(`onboarding.actions.${step.action.key}`, step.action.label) : "",
  };
}

export interface Checklist {
  steps: Step[];
  done: number;
  total: number;
}

export function OnboardingChecklist() {
  // The stored answer first; "Check again" replaces it with a fresh one.
  const stored = useApi<Checklist>("/api/admin/onboarding");
  const [checked, setChecked] = useState<Checklist | null>(null);
  const checklist = checked ?? stored.data;
  const [checking, setChecking] = useState(false);
  const toast = useToast();

  const checkAgain = useCallback(() => {
    setChecking(true);
    api<Checklist>("/api/admin/onboarding/check", { method: "POST" })
      .then((answer) => { setChecked(answer); toast(t("home.checked")); },
        (failure: Error) => toast(failure.message, { error: true }))
      .finally(() => setChecking(false));
  }, [toast]);

  const progress = checklist ? t("home.progress", { done: checklist.done, total: checklist.total }) : "";
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">{t("home.setupTitle")}</Text>
          <Button icon={RefreshIcon} onClick={checkAgain} loading={checking} disabled={!checklist}>
            {t("home.checkAgain")}
          </Button>
        </InlineStack>
        {checklist ? (
          <BlockStack gap="200">
            <Text as="p" tone="subdued" id="afterglow-setup-progress">{progress}</Text>
            <ProgressBar progress={(100 * checklist.done) / checklist.total} size="small"
              tone={checklist.done === checklist.total ? "success" : "highlight"} ariaLabelledBy="afterglow-setup-progress" />
          </BlockStack>
        ) : stored.error ? (
          <Banner tone="critical">{stored.error}</Banner>
        ) : (
          <SkeletonBodyText lines={1} />
        )}
        <Box minHeight="22rem">
          {checklist ? (
            <BlockStack gap="400" as="ul">
              {checklist.steps.map((step) => <StepRow key={step.id} step={step} />)}
            </BlockStack>
          ) : (
            !stored.error && <SkeletonBodyText lines={10} />
          )}
        </Box>
      </BlockStack>
    </Card>
  );
}

function StepRow({ step }: { step: Step }) {
  const { title, detail, action } = words(step);
  return (
    <Box as="li" data-step={step.id} data-done={String(step.done)}>
      <InlineStack gap="300" wrap={false} blockAlign="start">
        <Box>
          <Icon source={step.done ? CheckCircleIcon : AlertCircleIcon} tone={step.done ? "success" : "subdued"}
            accessibilityLabel={step.done ? t("home.stepDone") : t("home.stepOpen")} />
        </Box>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" textDecorationLine={step.done ? "line-through" : undefined}>{title}</Text>
          <Text as="p" tone="subdued">{detail}</Text>
          {step.action && (
            <InlineStack>
              <Button url={step.action.url} external={step.action.external} variant="primary">{action}</Button>
            </InlineStack>
          )}
        </BlockStack>
      </InlineStack>
    </Box>
  );
}
