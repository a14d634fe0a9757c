import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Dashboard() {
  return <Page title={t("nav.dashboard")} />;
}
