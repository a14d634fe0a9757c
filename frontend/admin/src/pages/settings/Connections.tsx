import { Card, Text } from "@shopify/polaris";

export default function Connections() {
  return (
    <Card>
      <Text as="p">Connections</Text>
    </Card>
  );
}
