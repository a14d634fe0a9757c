// The message log: every message to the store's shoppers, newest first, with why one was not sent; filtered by
// status, milestone and a search. `?order=<id>` shows one order and every message about it, in the order written.
import { Badge, Banner, BlockStack, Box, IndexTable, InlineGrid, InlineStack, Link, Page, Select, SkeletonBodyText, Text } from "@shopify/polaris";
import type { BadgeProps, IndexTableProps } from "@shopify/polaris";
import { t, tServer } from "../i18n";
import { navigate, pathFor } from "../router";
import { apiPath, trackingStatus, useSearch, useFilters, when } from "../components/queues/data";
import { useApi } from "../useApi";
import { carrierName } from "../carriers";
import { QueueSearch, QueueTable, type Paged } from "../components/queues/Table";

const TONES: Record<string, BadgeProps["tone"]> = { sent: "success", queued: "info", failed: "critical", suppressed: undefined };

interface Message {
  id: number;
  order: { id: number; name: string };
  shipment_id: number | null;
  milestone: string;
  channel: string;
  recipient: string | null;
  status: string;
  reason: string | null;
  attempts: number;
  created_at: string;
  send_after: string | null;
  sent_at: string | null;
}

interface Log extends Paged {
  items: Message[];
  statuses: string[];
  milestones: string[];
}

interface OrderLog {
  order: {
    id: number;
    name: string;
    placed_at: string | null;
    status: string;
    email: string | null;
    customer: { name: string | null };
    shipments: { id: number; carrier: string | null; tracking_number: string | null; tracking_status: string }[];
  };
  items: Message[];
}

// A milestone newer than this page reads as its code.
const label = (group: "milestones" | "channels" | "statuses", value: string) =>
  tServer(`queues.notifications.${group}.${value}`, value);

function messageRows(items: Message[], withOrder: boolean) {
  return items.map((item, position) => (
    <IndexTable.Row id={String(item.id)} key={item.id} position={position}>
      {withOrder && (
        <IndexTable.Cell>
          <Link monochrome removeUnderline url={pathFor("notifications", { order: String(item.order.id) })}
            accessibilityLabel={t("queues.shipments.logLink", { name: item.order.name })}>
            <Text as="span" fontWeight="semibold">{item.order.name}</Text>
          </Link>
        </IndexTable.Cell>
      )}
      <IndexTable.Cell>{label("milestones", item.milestone)}</IndexTable.Cell>
      <IndexTable.Cell>{label("channels", item.channel)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" breakWord>{item.recipient || ""}</Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone={TONES[item.status]}>{label("statuses", item.status)}</Badge>
          {item.reason && <Text as="span" tone="subdued" breakWord>{item.reason}</Text>}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric>{item.attempts}</Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{when(item.created_at)}</IndexTable.Cell>
      <IndexTable.Cell>{when(item.sent_at)}</IndexTable.Cell>
    </IndexTable.Row>
  ));
}

function headings(withOrder: boolean): IndexTableProps["headings"] {
  const rest: IndexTableProps["headings"] = [
    { title: t("queues.notifications.milestone") },
    { title: t("queues.notifications.channel") },
    { title: t("queues.notifications.recipient") },
    { title: t("queues.notifications.status") },
    { title: t("queues.notifications.attempts") },
    { title: t("queues.notifications.created") },
    { title: t("queues.notifications.sent") },
  ];
  return withOrder ? [{ title: t("queues.notifications.order") }, ...rest] : rest;
}

function OrderMessages({ orderId }: { orderId: string }) {
  const { data, loading, error } = useApi<OrderLog>(`/api/admin/orders/${encodeURIComponent(orderId)}/notifications`);
  const back = { content: t("queues.notifications.back"), onAction: () => navigate(pathFor("notifications")) };
  if (error && !data) {
    return (
      <Page title={t("queues.notifications.title")} backAction={back}>
        <Banner tone="warning">{t("queues.notifications.notFound")}</Banner>
      </Page>
    );
  }
  const order = data?.order;
  const summary = (
    <Box padding="400" borderBlockEndWidth="025" borderColor="border">
      {order ? (
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingSm">{t("queues.notifications.customer")}</Text>
            <Text as="p">{order.customer.name || ""}</Text>
            <Text as="p" tone="subdued">{order.email || ""}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h2" variant="headingSm">{t("queues.notifications.order")}</Text>
            <Text as="p">{order.name}</Text>
            <Text as="p" tone="subdued">{t("queues.notifications.placed", { date: when(order.placed_at) })}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h2" variant="headingSm">{t("queues.notifications.parcels")}</Text>
            {order.shipments.map((parcel) => (
              <InlineStack key={parcel.id} gap="200" blockAlign="center">
                <Text as="span">{carrierName(parcel.carrier)} {parcel.tracking_number || ""}</Text>
                <Badge>{trackingStatus(parcel.tracking_status)}</Badge>
              </InlineStack>
            ))}
          </BlockStack>
        </InlineGrid>
      ) : (
        <SkeletonBodyText lines={3} />
      )}
    </Box>
  );
  const items = data?.items || [];
  const paged = data ? { page: 1, per_page: items.length || 1, total: items.length } : null;
  return (
    <Page
      title={order ? t("queues.notifications.orderTitle", { name: order.name }) : t("queues.notifications.title")}
      backAction={back}
    >
      <QueueTable
        above={summary}
        headings={headings(false)}
        words="notifications"
        paged={paged}
        count={items.length}
        loading={loading}
        error={error}
        filtered={false}
        emptyAll={t("queues.notifications.emptyOrder")}
        onClear={() => undefined}
      >
        {messageRows(items, false)}
      </QueueTable>
    </Page>
  );
}

function MessageLog() {
  const [query, setFilters] = useFilters("notifications");
  const [search, setSearch] = useSearch(query, setFilters);
  const { data, loading, error } = useApi<Log>(apiPath("/api/admin/notifications", query, ["status", "milestone", "q", "page"]));
  const status = query.get("status") || "";
  const milestone = query.get("milestone") || "";
  const statuses = data?.statuses || ["queued", "sent", "failed", "suppressed"];
  const milestones = data?.milestones || [];
  const filters = (
    <Box padding="300">
      <InlineGrid columns={{ xs: 1, md: "2fr 1fr 1fr" }} gap="300" alignItems="center">
        <QueueSearch value={search} onChange={setSearch} placeholder={t("queues.notifications.searchPlaceholder")} />
        <Select
          label={t("queues.notifications.status")}
          labelInline
          options={[{ label: t("queues.notifications.allStatuses"), value: "" },
            ...statuses.map((value) => ({ label: label("statuses", value), value }))]}
          value={status}
          onChange={(value) => setFilters({ status: value })}
        />
        <Select
          label={t("queues.notifications.milestone")}
          labelInline
          options={[{ label: t("queues.notifications.allMilestones"), value: "" },
            ...(milestone && !milestones.includes(milestone) ? [milestone] : []).concat(milestones)
              .map((value) => ({ label: label("milestones", value), value }))]}
          value={milestone}
          onChange={(value) => setFilters({ milestone: value })}
        />
      </InlineGrid>
    </Box>
  );
  const items = data?.items || [];
  return (
    <Page fullWidth title={t("queues.notifications.title")} subtitle={t("queues.notifications.subtitle")}>
      <QueueTable
        above={filters}
        headings={headings(true)}
        words="notifications"
        paged={data}
        count={items.length}
        loading={loading}
        error={error}
        filtered={!!(status || milestone || query.get("q"))}
        onClear={() => {
          setSearch("");
          setFilters({ status: "", milestone: "", q: "" });
        }}
        onPage={(page) => setFilters({ page: String(page) })}
      >
        {messageRows(items, true)}
      </QueueTable>
    </Page>
  );
}

export default function Notifications() {
  const [query] = useFilters("notifications");
  const order = query.get("order");
  return order ? <OrderMessages key={order} orderId={order} /> : <MessageLog />;
}

