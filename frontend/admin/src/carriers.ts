// Carriers' names for the codes the API answers (integrations/carriers/codes.py), one list for every page. Carriers'
// own names are brands: the same in every language.
import { t } from "./i18n";

const CARRIERS: Record<string, string> = {
  ups: "UPS", usps: "USPS", fedex: "FedEx", dhl: "DHL Express", dhl_paket: "DHL Paket", canada_post: "Canada Post",
  royal_mail: "Royal Mail", australia_post: "Australia Post", postnl: "PostNL", la_poste: "La Poste",
};

// `other` is how the dashboard counts parcels whose carrier is not known.
export function carrierName(code: string | null): string {
  if (!code || code === "other") return t("queues.unknownCarrier");
  return CARRIERS[code] || code.replace(/_/g, " ").toUpperCase();
}
