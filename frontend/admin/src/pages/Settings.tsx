import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Settings() {
  return <Page title={t("nav.settings")} />;
}
