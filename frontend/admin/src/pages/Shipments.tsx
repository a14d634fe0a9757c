// Shipments needing attention: one tab per kind of problem with its count, a carrier filter and a search, the
// oldest problem first. Each row leads to the messages the order's shopper was sent.
import { Badge, BlockStack, Box, IndexTable, InlineGrid, Link, Page, Select, Tabs, Text } from "@shopify/polaris";
import type { BadgeProps } from "@shopify/polaris";
import { t, type Key } from "../i18n";
import { navigate, pathFor, routeOf } from "../router";
import { age, apiPath, carrierOptions, useSearch, useFilters, when } from "../components/queues/data";
import { useApi } from "../useApi";
import { carrierName } from "../carriers";
import { QueueSearch, QueueTable, type Paged } from "../components/queues/Table";

const KINDS = ["all", "delayed", "stalled", "exception", "attempt_failed"] as const;
type Kind = (typeof KINDS)[number];

const TONES: Record<Exclude<Kind, "all">, BadgeProps["tone"]> = {
  exception: "critical",
  attempt_failed: "warning",
  stalled: "warning",
  delayed: "attention",
};

interface Item {
  id: number;
  order: { id: number; name: string };
  carrier: string | null;
  tracking_number: string | null;
  tracking_status: string;
  attention: Exclude<Kind, "all">;
  reason: { code: string; text: string };
  since: string | null;
  age_hours: number | null;
  last_event: { status: string; description: string; location: string | null; occurred_at: string } | null;
  customer: { name: string | null };
}

interface Answer extends Paged {
  items: Item[];
  counts: Record<Kind, number>;
  carriers: string[];
}

export default function Shipments() {
  const [query, setFilters] = useFilters("shipments");
  const attention = (KINDS as readonly string[]).includes(query.get("attention") || "") ? (query.get("attention") as Kind) : "all";
  const carrier = query.get("carrier") || "";
  const [search, setSearch] = useSearch(query, setFilters);
  const { data, loading, error } = useApi<Answer>(apiPath("/api/admin/shipments", query, ["attention", "carrier", "q", "page"]));

  const tabs = KINDS.map((kind) => ({
    id: `attention-${kind}`,
    content: t(`queues.shipments.tabs.${kind}` as Key),
    badge: data ? String(data.counts[kind]) : undefined,
    panelID: "shipments-panel",
  }));
  const filters = (
    <>
      <Tabs tabs={tabs} selected={KINDS.indexOf(attention)} onSelect={(index) => setFilters({ attention: KINDS[index] === "all" ? "" : KINDS[index] })} />
      <Box padding="300" borderBlockStartWidth="025" borderColor="border">
        <InlineGrid columns={{ xs: 1, md: "2fr 1fr" }} gap="300" alignItems="center">
          <QueueSearch value={search} onChange={setSearch} placeholder={t("queues.shipments.searchPlaceholder")} />
          <Select
            label={t("queues.shipments.carrier")}
            labelInline
            options={carrierOptions(data?.carriers, carrier)}
            value={carrier}
            onChange={(value) => setFilters({ carrier: value })}
          />
        </InlineGrid>
      </Box>
    </>
  );

  const items = data?.items || [];
  // The whole row opens the order's messages; the order's link inside it is the keyboard's way there (a click on
  // it has already navigated by the time the row hears of it).
  const openLog = (order: number) => {
    const at = new URLSearchParams(location.search).get("order");
    if (routeOf(location.pathname) !== "notifications" || at !== String(order)) {
      navigate(pathFor("notifications", { order: String(order) }));
    }
  };
  const rows = items.map((item, position) => (
    <IndexTable.Row id={String(item.id)} key={item.id} position={position} onClick={() => openLog(item.order.id)}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Link
            monochrome
            removeUnderline
            url={pathFor("notifications", { order: String(item.order.id) })}
            accessibilityLabel={t("queues.shipments.logLink", { name: item.order.name })}
          >
            <Text as="span" variant="bodyMd" fontWeight="semibold">{item.order.name}</Text>
          </Link>
          <Text as="span" tone="subdued">{item.customer.name || ""}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Text as="span">{carrierName(item.carrier)}</Text>
          <Text as="span" tone="subdued" breakWord>{item.tracking_number || ""}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone={TONES[item.attention]}>{t(`queues.shipments.reasons.${item.reason.code}` as Key)}</Badge>
          <Box maxWidth="22rem">
            <Text as="span" tone="subdued" truncate>{item.reason.text}</Text>
          </Box>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric>{age(item.age_hours)}</Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {item.last_event ? (
          <BlockStack gap="100">
            <Box maxWidth="22rem">
              <Text as="span" truncate>{item.last_event.description}</Text>
            </Box>
            <Text as="span" tone="subdued">
              {[item.last_event.location, when(item.last_event.occurred_at)].filter(Boolean).join(" · ")}
            </Text>
          </BlockStack>
        ) : (
          <Text as="span" tone="subdued">{t("queues.shipments.noScan")}</Text>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  ));

  const filtered = attention !== "all" || !!carrier || !!query.get("q");
  return (
    <Page fullWidth title={t("queues.shipments.title")} subtitle={t("queues.shipments.subtitle")}>
      <div id="shipments-panel" role="tabpanel" aria-labelledby={`attention-${attention}`}>
        <QueueTable
          above={filters}
          headings={[
            { title: t("queues.shipments.order") },
            { title: t("queues.shipments.tracking") },
            { title: t("queues.shipments.problem") },
            { title: t("queues.shipments.age") },
            { title: t("queues.shipments.lastEvent") },
          ]}
          words="shipments"
          paged={data}
          count={items.length}
          loading={loading}
          error={error}
          filtered={filtered}
          onClear={() => {
            setSearch("");
            setFilters({ attention: "", carrier: "", q: "" });
          }}
          onPage={(page) => setFilters({ page: String(page) })}
        >
          {rows}
        </QueueTable>
      </div>
    </Page>
  );
}
