import { Page } from "@shopify/polaris";
import { t } from "../i18n";

export default function Home() {
  return <Page title={t("nav.home")} />;
}
