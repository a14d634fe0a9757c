import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Surveys() {
  return <Page title={t("nav.surveys")} />;
}
