// A settings section: a card with its heading, the sentence that says what it is for (if any), and its content.
import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function SectionCard({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">{title}</Text>
          {intro && <Text as="p" tone="subdued">{intro}</Text>}
        </BlockStack>
        {children}
      </BlockStack>
    </Card>
  );
}
