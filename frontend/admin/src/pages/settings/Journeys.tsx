import { Card, Text } from "@shopify/polaris";

export default function Journeys() {
  return (
    <Card>
      <Text as="p">Journeys</Text>
    </Card>
  );
}
