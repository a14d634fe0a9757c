import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Shipments() {
  return <Page title={t("nav.shipments")} />;
}
