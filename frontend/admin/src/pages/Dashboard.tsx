// The dashboard: parcels in flight, delays, carriers, messages and survey scores for a period. Charts are Polaris
// Viz (this page is its own chunk, so only the dashboard pays for them); each card keeps its height while loading.
import "@shopify/polaris-viz/build/esm/styles.css";
import { Banner, BlockStack, DataTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { BarChart, DonutChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { t } from "../i18n";
import { navigate, pathFor, useLocation } from "../router";
import { useApi } from "../useApi";
import { ChartCard } from "./dashboard/ChartCard";
import { carrierName } from "../carriers";
import { label, number, percent, shortDate } from "./dashboard/labels";
import type { DashboardData } from "./dashboard/types";

const PERIODS = ["7", "30", "90"] as const;

export default function Dashboard() {
  // The period is in the address, as the queues' filters are, so a reload or a shared link keeps it.
  const asked = useLocation().query.get("days") || "30";
  const days = (PERIODS as readonly string[]).includes(asked) ? asked : "30";
  const setDays = (value: string) => navigate(pathFor("dashboard", { days: value }));
  const answer = useApi<DashboardData>(`/api/admin/dashboard?days=${days}`);
  const { loading, error } = answer;
  const data = error ? null : answer.data; // never the last period's figures under a failed one's name
  const period = (
    <Select label={t("dashboard.period")} labelInline value={days} onChange={setDays}
      options={PERIODS.map((value) => ({ value, label: t(`dashboard.days${value}`) }))} />
  );
  return (
    <Page title={t("nav.dashboard")} fullWidth>
      <PolarisVizProvider>
        <BlockStack gap="400">
          <InlineStack align="end">{period}</InlineStack>
          {error && <Banner tone="critical"><p>{error}</p></Banner>}
          <Layout>
            <Layout.Section variant="oneHalf"><InFlight data={data} loading={loading} /></Layout.Section>
            <Layout.Section variant="oneHalf"><Delays data={data} loading={loading} /></Layout.Section>
            <Layout.Section variant="oneHalf"><Carriers data={data} loading={loading} /></Layout.Section>
            <Layout.Section variant="oneHalf"><Surveys data={data} loading={loading} /></Layout.Section>
            <Layout.Section><Notifications data={data} loading={loading} /></Layout.Section>
          </Layout>
        </BlockStack>
      </PolarisVizProvider>
    </Page>
  );
}

type CardProps = { data: DashboardData | null; loading: boolean };

function InFlight({ data, loading }: CardProps) {
  const entries = Object.entries(data?.in_flight.by_status ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <ChartCard title={t("dashboard.inFlightTitle")} loading={loading} empty={!entries.length}
      emptyText={t("dashboard.emptyInFlight")}
      summary={<Text as="p" variant="headingLg">{t("dashboard.inFlightTotal", { count: data?.in_flight.total ?? 0 })}</Text>}
      table={{ headings: [t("dashboard.inFlightTitle"), t("dashboard.count")],
        rows: entries.map(([status, count]) => [label("status", status), count]) }}>
      <DonutChart isAnimated={false} legendPosition="right" showLegendValues
        data={entries.map(([status, count]) => ({ name: label("status", status), data: [{ key: status, value: count }] }))} />
    </ChartCard>
  );
}

function Delays({ data, loading }: CardProps) {
  // Two figures per reason: parcels delayed now (to act on) and delays that began in the period (how it went).
  // The server lists both in its order of reasons; a reason in either list gets a row.
  const now = new Map((data?.delays.by_reason ?? []).map((item) => [item.reason, item.count]));
  const started = new Map((data?.delays_started.by_reason ?? []).map((item) => [item.reason, item.count]));
  const reasons = [...new Set([...started.keys(), ...now.keys()])];
  const nowName = t("dashboard.delayedNow");
  const startedName = t("dashboard.delaysStarted", { days: data?.days ?? 0 });
  const series = (name: string, counts: Map<string, number>) => ({
    name, data: reasons.map((reason) => ({ key: label("reason", reason), value: counts.get(reason) ?? 0 })),
  });
  return (
    <ChartCard title={t("dashboard.delaysTitle")} loading={loading} empty={!reasons.length}
      emptyText={t("dashboard.emptyDelays")}
      summary={<Text as="p" tone="subdued">{t("dashboard.delaysTotals", {
        now: data?.delays.total ?? 0, started: data?.delays_started.total ?? 0, days: data?.days ?? 0 })}</Text>}
      table={{ headings: [t("dashboard.reasonHeading"), nowName, startedName],
        rows: reasons.map((reason) => [label("reason", reason), now.get(reason) ?? 0, started.get(reason) ?? 0]) }}>
      <BarChart isAnimated={false} direction="horizontal"
        xAxisOptions={{ labelFormatter: (value) => (Number.isInteger(Number(value)) ? String(value) : "") }}
        data={[series(nowName, now), series(startedName, started)]} />
    </ChartCard>
  );
}

function Carriers({ data, loading }: CardProps) {
  const carriers = data?.carriers ?? [];
  return (
    <ChartCard title={t("dashboard.carriersTitle")} loading={loading} empty={!carriers.length}
      emptyText={t("dashboard.emptyCarriers")}
      summary={
        <BlockStack gap="200">
          <DataTable columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={[t("dashboard.carrier"), t("dashboard.delivered"), t("dashboard.onTime"), t("dashboard.medianDays")]}
            rows={carriers.map((row) => [carrierName(row.carrier), row.delivered, percent(row.on_time_rate),
              number(row.median_transit_days)])} />
          <Text as="p" tone="subdued" variant="bodySm">{t("dashboard.carriersNote")}</Text>
        </BlockStack>
      } />
  );
}

function Notifications({ data, loading }: CardProps) {
  const series = data?.notifications.series ?? [];
  const dates = series[0]?.days.map((day) => day.date) ?? [];
  return (
    <ChartCard title={t("dashboard.notificationsTitle")} loading={loading} empty={!series.length}
      emptyText={t("dashboard.emptyNotifications")}
      summary={<Text as="p" tone="subdued">{t("dashboard.notificationsTotal", { count: data?.notifications.total ?? 0 })}</Text>}
      table={{ headings: [t("dashboard.date"), ...series.map((item) => label("channel", item.channel))],
        rows: dates.map((date, at) => [shortDate(date), ...series.map((item) => item.days[at].count)]) }}>
      <LineChart isAnimated={false} xAxisOptions={{ labelFormatter: (value) => shortDate(String(value)) }}
        yAxisOptions={{ integersOnly: true }}
        data={series.map((item) => ({ name: label("channel", item.channel),
          data: item.days.map((day) => ({ key: day.date, value: day.count })) }))} />
    </ChartCard>
  );
}

function Surveys({ data, loading }: CardProps) {
  const surveys = data?.surveys;
  const title = surveys?.kind === "ces" ? t("dashboard.cesTitle") : t("dashboard.npsTitle");
  const trend = surveys?.trend ?? [];
  return (
    <ChartCard title={title} loading={loading} empty={!surveys || surveys.responses === 0}
      emptyText={t("dashboard.emptySurveys")}
      summary={
        <InlineStack gap="300" blockAlign="baseline">
          <Text as="p" variant="heading2xl">{number(surveys?.score ?? null, surveys?.kind === "ces" ? 2 : 0)}</Text>
          <Text as="p" tone="subdued">{t("dashboard.responses", { count: surveys?.responses ?? 0 })}</Text>
        </InlineStack>
      }
      table={{ headings: [t("dashboard.weeklyTrend"), t("dashboard.score"), t("dashboard.count")],
        rows: trend.map((week) => [t("dashboard.week", { date: shortDate(week.week) }), number(week.score, 2), week.responses]) }}>
      <LineChart isAnimated={false} showLegend={false}
        xAxisOptions={{ labelFormatter: (value) => shortDate(String(value)) }}
        data={[{ name: title, data: trend.map((week) => ({ key: week.week, value: week.score })) }]} />
    </ChartCard>
  );
}
