// The Tracking page tab's form: which blocks the shopper sees, recommendations, and the survey's question.
import { Checkbox, ChoiceList } from "@shopify/polaris";
import type { FieldErrors } from "../../api";
import { SectionCard } from "../../components/SectionCard";
import { t } from "../../i18n";
import { BLOCKS, type Block, type TrackingPage as TrackingPageSettings } from "./document";

interface Props {
  value: TrackingPageSettings;
  errors: FieldErrors;
  onChange(change: Partial<TrackingPageSettings>): void;
}

export default function TrackingPage({ value, errors, onChange }: Props) {
  const blockErrors = BLOCKS.map((block) => errors[`tracking_page.show.${block}`]).filter(Boolean);
  return (
    <SectionCard title={t("settings.tracking.title")}>
      <ChoiceList
        allowMultiple
        title={t("settings.tracking.blocks")}
        choices={BLOCKS.map((block) => ({
          value: block,
          label: t(`settings.tracking.${block}`),
          helpText: t(`settings.tracking.${block}Help`),
        }))}
        selected={BLOCKS.filter((block) => value.show[block])}
        onChange={(selected) => onChange({
          show: Object.fromEntries(BLOCKS.map((block) => [block, selected.includes(block)])) as Record<Block, boolean>,
        })}
        error={blockErrors.length ? blockErrors.join(" ") : undefined}
      />
      <Checkbox
        label={t("settings.tracking.recommendations")}
        helpText={t("settings.tracking.recommendationsHelp")}
        checked={value.recommendations}
        onChange={(checked) => onChange({ recommendations: checked })}
        error={errors["tracking_page.recommendations"]}
      />
      <ChoiceList
        title={t("settings.tracking.surveyKind")}
        choices={[
          { label: t("settings.tracking.nps"), value: "nps" },
          { label: t("settings.tracking.ces"), value: "ces" },
        ]}
        selected={[value.survey_kind]}
        onChange={([kind]) => onChange({ survey_kind: kind as TrackingPageSettings["survey_kind"] })}
        error={errors["tracking_page.survey_kind"]}
        disabled={!value.show.survey}
      />
    </SectionCard>
  );
}
