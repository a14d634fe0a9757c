// The app's home: how far the store's setup has come, and what needs the merchant's eye right now.
import { BlockStack, Card, InlineGrid, Layout, Link, Page, SkeletonDisplayText, Text } from "@shopify/polaris";
import { OnboardingChecklist } from "../components/OnboardingChecklist";
import { t } from "../i18n";
import { pathFor } from "../router";
import { useApi } from "../useApi";

interface Summary {
  in_flight: { total: number };
  delays: { total: number };
}

export default function Home() {
  return (
    <Page title={t("nav.home")}>
      <Layout>
        <Layout.Section>
          <OnboardingChecklist />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <RightNow />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RightNow() {
  // A failed load says so: a zero here would tell the merchant nothing is delayed when nobody knows.
  const { data: summary, error } = useApi<Summary>("/api/admin/dashboard?days=7");
  const figure = (value: number | undefined) =>
    summary ? <Text as="p" variant="heading2xl">{value}</Text>
      : error ? <Text as="p" variant="heading2xl" tone="subdued">—</Text> : <SkeletonDisplayText size="medium" />;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">{t("home.summaryTitle")}</Text>
        <InlineGrid columns={2} gap="400">
          <BlockStack gap="100" id="afterglow-in-flight">
            <Text as="h3" tone="subdued">{t("home.inFlight")}</Text>
            {figure(summary?.in_flight.total)}
          </BlockStack>
          <BlockStack gap="100" id="afterglow-delayed">
            <Text as="h3" tone="subdued">{t("home.delayed")}</Text>
            {figure(summary?.delays.total)}
          </BlockStack>
        </InlineGrid>
        {error && <Text as="p" tone="critical">{error}</Text>}
        <BlockStack gap="100">
          <Link url={pathFor("shipments", { attention: "delayed" })}>{t("home.seeDelayed")}</Link>
          <Link url={pathFor("dashboard")}>{t("home.openDashboard")}</Link>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
