// One dashboard card: a title, a body of fixed height (so nothing moves when the figures arrive), a skeleton while
// loading, a sentence when there is nothing to show, and the chart's figures as a visually hidden table for
// screen readers. The chart itself is drawn for the eye and hidden from assistive technology: Polaris Viz marks
// its legends and points up in ways screen readers stumble over, and the table says the same plainly. Its
// focusable parts are taken out of the tab order, so keyboard focus never lands somewhere a screen reader is told
// does not exist.
import { BlockStack, Box, Card, InlineStack, SkeletonBodyText, SkeletonDisplayText, Text } from "@shopify/polaris";
import { useEffect, useRef, type ReactNode } from "react";


export const CHART_HEIGHT = 240;

export interface FigureTable {
  headings: string[];
  rows: (string | number)[][];
}

export function ChartCard({ title, loading, empty, emptyText, summary, table, children }: {
  title: string;
  loading: boolean;
  empty: boolean;
  emptyText: string;
  summary?: ReactNode;
  table?: FigureTable;
  children?: ReactNode;
}) {
  let body: ReactNode;
  if (loading) {
    body = (
      <BlockStack gap="400">
        <SkeletonDisplayText size="small" />
        <SkeletonBodyText lines={6} />
      </BlockStack>
    );
  } else if (empty) {
    body = (
      <Box minHeight={`${CHART_HEIGHT}px`}>
        <InlineStack align="center" blockAlign="center">
          <Box paddingBlockStart="1600">
            <Text as="p" tone="subdued">{emptyText}</Text>
          </Box>
        </InlineStack>
      </Box>
    );
  } else {
    body = (
      <BlockStack gap="200">
        {summary}
        {children && <ChartArea hidden={!!table}>{children}</ChartArea>}
        {table && (
          <Box visuallyHidden>
            <table>
              <caption>{title}</caption>
              <thead><tr>{table.headings.map((heading) => <th key={heading} scope="col">{heading}</th>)}</tr></thead>
              <tbody>
                {table.rows.map((row, at) => (
                  <tr key={at}>{row.map((cell, column) => (column === 0
                    ? <th key={column} scope="row">{cell}</th> : <td key={column}>{cell}</td>))}</tr>
                ))}
              </tbody>
            </table>
          </Box>
        )}
      </BlockStack>
    );
  }
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{title}</Text>
        <Box minHeight={`${CHART_HEIGHT + 40}px`}>{body}</Box>
      </BlockStack>
    </Card>
  );
}


const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";

function ChartArea({ hidden, children }: { hidden: boolean; children: ReactNode }) {
  const area = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = area.current;
    if (!element || !hidden) return;
    const unfocus = () => element.querySelectorAll(FOCUSABLE).forEach((node) => {
      if (node.getAttribute("tabindex") !== "-1") node.setAttribute("tabindex", "-1"); // no change, no new mutation
    });
    unfocus();
    const observer = new MutationObserver(unfocus); // the chart redraws (resizes, hover) and may add points
    observer.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"] });
    return () => observer.disconnect();
  }, [hidden]);
  return <div ref={area} data-chart style={{ height: CHART_HEIGHT }} aria-hidden={hidden || undefined}>{children}</div>;
}
