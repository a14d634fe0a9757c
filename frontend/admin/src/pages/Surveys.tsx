// Survey answers: the Net Promoter Score and ease over the answers in view, then each answer with its score, the
// shopper's comment and the carrier that brought the parcel; filtered by question, score band, carrier and comment.
import { Badge, BlockStack, Box, Card, Checkbox, IndexTable, InlineGrid, Layout, Link, Page, Select, SkeletonDisplayText, Text } from "@shopify/polaris";
import type { BadgeProps } from "@shopify/polaris";
import { locale, t, type Key } from "../i18n";
import { pathFor } from "../router";
import { apiPath, carrierOptions, useFilters, when } from "../components/queues/data";
import { useApi } from "../useApi";
import { carrierName } from "../carriers";
import { QueueTable, type Paged } from "../components/queues/Table";

type Band = "promoter" | "passive" | "detractor";
const BANDS: Band[] = ["promoter", "passive", "detractor"];
const TONES: Record<Band, BadgeProps["tone"]> = { promoter: "success", passive: "info", detractor: "critical" };

interface AnswerItem {
  id: number;
  order: { id: number; name: string };
  carrier: string | null;
  kind: "nps" | "ces";
  score: number;
  band: Band | null;
  comment: string | null;
  locale: string | null;
  created_at: string;
}

interface Answers extends Paged {
  items: AnswerItem[];
  carriers: string[];
  summary: {
    responses: number;
    nps: { responses: number; score: number; promoters: number; passives: number; detractors: number } | null;
    ces: { responses: number; average: number } | null;
  };
}

function Figure({ title, value, detail }: { title: string; value: string | null; detail: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">{title}</Text>
        {value === null ? <SkeletonDisplayText size="medium" /> : <Text as="p" variant="heading2xl">{value}</Text>}
        <Text as="p" tone="subdued">{detail}</Text>
      </BlockStack>
    </Card>
  );
}

function languageName(code: string | null): string {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

export default function Surveys() {
  const [query, setFilters] = useFilters("surveys");
  const { data, loading, error } = useApi<Answers>(apiPath("/api/admin/surveys", query, ["kind", "score", "carrier", "with_comment", "page"]));
  const kind = query.get("kind") || "";
  const band = query.get("score") || "";
  const carrier = query.get("carrier") || "";
  const withComment = query.get("with_comment") === "1";
  const summary = data?.summary;
  const none = t("queues.surveys.none");

  const figures = (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      <Figure title={t("queues.surveys.responses")} value={summary ? String(summary.responses) : null} detail="" />
      <Figure
        title={t("queues.surveys.npsScore")}
        value={summary ? (summary.nps ? String(summary.nps.score) : none) : null}
        detail={summary?.nps ? t("queues.surveys.npsSplit", summary.nps) : ""}
      />
      <Figure
        title={t("queues.surveys.cesAverage")}
        value={summary ? (summary.ces ? summary.ces.average.toFixed(1) : none) : null}
        detail={summary?.ces ? t("queues.surveys.cesCount", { count: summary.ces.responses }) : ""}
      />
    </InlineGrid>
  );

  const filters = (
    <Box padding="300">
      <InlineGrid columns={{ xs: 1, md: 4 }} gap="300" alignItems="center">
        <Select
          label={t("queues.surveys.kind")}
          labelInline
          options={[{ label: t("queues.surveys.allKinds"), value: "" }, { label: t("queues.surveys.nps"), value: "nps" },
            { label: t("queues.surveys.ces"), value: "ces" }]}
          value={band ? "nps" : kind}
          onChange={(value) => setFilters({ kind: value, score: value === "nps" ? band : "" })}
        />
        <Select
          label={t("queues.surveys.band")}
          labelInline
          options={[{ label: t("queues.surveys.allBands"), value: "" },
            ...BANDS.map((value) => ({ label: t(`queues.surveys.bands.${value}` as Key), value }))]}
          value={band}
          onChange={(value) => setFilters({ score: value })}
        />
        <Select
          label={t("queues.surveys.carrier")}
          labelInline
          options={carrierOptions(data?.carriers, carrier)}
          value={carrier}
          onChange={(value) => setFilters({ carrier: value })}
        />
        <Checkbox
          label={t("queues.surveys.withComment")}
          checked={withComment}
          onChange={(checked) => setFilters({ with_comment: checked ? "1" : "" })}
        />
      </InlineGrid>
    </Box>
  );

  const items = data?.items || [];
  const rows = items.map((item, position) => (
    <IndexTable.Row id={String(item.id)} key={item.id} position={position}>
      <IndexTable.Cell>
        <Link monochrome removeUnderline url={pathFor("notifications", { order: String(item.order.id) })}>
          <Text as="span" fontWeight="semibold">{item.order.name}</Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone={item.band ? TONES[item.band] : undefined}>
            {`${item.score} · ${item.band ? t(`queues.surveys.bandBadges.${item.band}` as Key) : item.kind.toUpperCase()}`}
          </Badge>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Box maxWidth="28rem">
          {item.comment ? <Text as="p" breakWord>{item.comment}</Text> : <Text as="p" tone="subdued">{t("queues.surveys.noComment")}</Text>}
        </Box>
      </IndexTable.Cell>
      <IndexTable.Cell>{carrierName(item.carrier)}</IndexTable.Cell>
      <IndexTable.Cell>{languageName(item.locale)}</IndexTable.Cell>
      <IndexTable.Cell>{when(item.created_at)}</IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Page title={t("queues.surveys.title")} subtitle={t("queues.surveys.subtitle")}>
      <Layout>
        <Layout.Section>{figures}</Layout.Section>
        <Layout.Section>
          <QueueTable
            above={filters}
            headings={[
              { title: t("queues.surveys.order") },
              { title: t("queues.surveys.score") },
              { title: t("queues.surveys.comment") },
              { title: t("queues.surveys.carrier") },
              { title: t("queues.surveys.language") },
              { title: t("queues.surveys.answered") },
            ]}
            words="surveys"
            paged={data}
            count={items.length}
            loading={loading}
            error={error}
            filtered={!!(kind || band || carrier || withComment)}
            onClear={() => setFilters({ kind: "", score: "", carrier: "", with_comment: "" })}
            onPage={(page) => setFilters({ page: String(page) })}
          >
            {rows}
          </QueueTable>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
