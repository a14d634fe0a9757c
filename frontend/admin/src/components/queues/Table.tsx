// The frame every queue draws its rows in: a first-load skeleton the size of a page of rows, the last answer kept
// (dimmed by IndexTable's loading bar) while the next loads, an error banner, and pagination under the rows.
import { Banner, BlockStack, Box, Button, Card, EmptySearchResult, IndexTable, SkeletonBodyText, TextField } from "@shopify/polaris";
import type { IndexTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";
import { t } from "../../i18n";
import { pageLabel } from "./data";

export interface Paged {
  page: number;
  per_page: number;
  total: number;
}

interface Props {
  headings: IndexTableProps["headings"];
  // The catalog group (`queues.<words>`) that names the rows and says why there are none.
  words: "shipments" | "notifications" | "surveys";
  emptyAll?: string; // instead of the group's emptyAll
  paged: Paged | null;
  count: number;
  loading: boolean;
  error: string | null;
  filtered: boolean;
  onClear: () => void;
  onPage?: (page: number) => void;
  above?: ReactNode;
  children: ReactNode;
}

export function QueueTable(props: Props) {
  const { paged, loading, error, words } = props;
  const emptyState = (
    <Box padding="600">
      <BlockStack gap="300" inlineAlign="center">
        <EmptySearchResult
          title={t(`queues.${words}.emptyTitle`)}
          description={props.filtered ? t(`queues.${words}.emptyFiltered`) : props.emptyAll ?? t(`queues.${words}.emptyAll`)}
        />
        {props.filtered && <Button onClick={props.onClear}>{t(`queues.${words}.clearFilters`)}</Button>}
      </BlockStack>
    </Box>
  );
  const pagination = paged && props.onPage && paged.total > paged.per_page
    ? {
        hasPrevious: paged.page > 1,
        hasNext: paged.page * paged.per_page < paged.total,
        onPrevious: () => props.onPage!(paged.page - 1),
        onNext: () => props.onPage!(paged.page + 1),
        label: pageLabel(paged.page, paged.per_page, paged.total),
        accessibilityLabel: t("queues.pagination"),
        accessibilityLabels: { previous: t("queues.previous"), next: t("queues.next") },
      }
    : undefined;
  return (
    <Card padding="0">
      {props.above}
      {error && (
        <Box padding="300">
          <Banner tone="critical">{t("queues.loadFailed")} {error}</Banner>
        </Box>
      )}
      {paged === null && !error ? (
        <Box padding="400" minHeight="22rem">
          <SkeletonBodyText lines={10} />
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: t(`queues.${words}.resource`), plural: t(`queues.${words}.resources`) }}
          itemCount={props.count}
          selectable={false}
          loading={loading}
          headings={props.headings}
          emptyState={emptyState}
          pagination={pagination}
        >
          {props.children}
        </IndexTable>
      )}
    </Card>
  );
}

// A queue's search box: its label is hidden (the placeholder says what it finds) but still names it to a screen
// reader; clearing it clears the search.
export function QueueSearch({ value, onChange, placeholder }: { value: string; onChange: (value: string) => void; placeholder: string }) {
  return (
    <TextField
      label={t("queues.search")}
      labelHidden
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      autoComplete="off"
      clearButton
      onClearButtonClick={() => onChange("")}
    />
  );
}
