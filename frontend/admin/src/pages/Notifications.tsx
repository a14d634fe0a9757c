import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Notifications() {
  return <Page title={t("nav.notifications")} />;
}
