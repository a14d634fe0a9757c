// The Branding tab's form: the look and voice shared by the tracking page and every message.
import { BlockStack, FormLayout, Select, TextField } from "@shopify/polaris";
import type { FieldErrors } from "../../api";
import { SectionCard } from "../../components/SectionCard";
import { t, type Key } from "../../i18n";
import ColorField from "./ColorField";
import { FONTS, LANGUAGES, type Branding as BrandingSettings } from "./document";

interface Props {
  value: BrandingSettings;
  errors: FieldErrors;
  onChange(change: Partial<BrandingSettings>): void;
}

const COLOURS = [
  ["accent_color", "settings.branding.accent"],
  ["text_color", "settings.branding.text"],
  ["background_color", "settings.branding.background"],
] as const;

export default function Branding({ value, errors, onChange }: Props) {
  const error = (field: keyof BrandingSettings) => errors[`branding.${field}`];
  const text = (field: "name" | "logo_url" | "support_email" | "sender_name") => ({
    value: value[field] ?? "",
    onChange: (next: string) => onChange({ [field]: next }),
    error: error(field),
    autoComplete: "off",
  });
  return (
    <BlockStack gap="400">
      <SectionCard title={t("settings.branding.title")} intro={t("settings.branding.description")}>
        <FormLayout>
          <TextField label={t("settings.branding.name")} helpText={t("settings.branding.nameHelp")} maxLength={100} {...text("name")} />
          <TextField label={t("settings.branding.logo")} helpText={t("settings.branding.logoHelp")} type="url"
            placeholder="https://" {...text("logo_url")} />
        </FormLayout>
      </SectionCard>
      <SectionCard title={t("settings.branding.colours")}>
        <FormLayout>
          <FormLayout.Group condensed>
            {COLOURS.map(([field, label]) => (
              <ColorField key={field} label={t(label as Key)} value={value[field]} error={error(field)}
                onChange={(next) => onChange({ [field]: next })} />
            ))}
          </FormLayout.Group>
          <Select
            label={t("settings.branding.font")}
            options={FONTS.map((font) => ({ value: font, label: t(`settings.fonts.${font}`) }))}
            value={value.font_family}
            onChange={(next) => onChange({ font_family: next as BrandingSettings["font_family"] })}
            error={error("font_family")}
          />
        </FormLayout>
      </SectionCard>
      <SectionCard title={t("settings.branding.contact")}>
        <FormLayout>
          <TextField label={t("settings.branding.supportEmail")} helpText={t("settings.branding.supportEmailHelp")}
            type="email" {...text("support_email")} autoComplete="email" />
          <TextField label={t("settings.branding.senderName")} helpText={t("settings.branding.senderNameHelp")}
            maxLength={100} {...text("sender_name")} />
          <Select
            label={t("settings.branding.language")}
            helpText={t("settings.branding.languageHelp")}
            options={LANGUAGES.map((code) => ({ value: code, label: t(`settings.languages.${code}`) }))}
            value={value.default_locale}
            onChange={(next) => onChange({ default_locale: next })}
            error={error("default_locale")}
          />
        </FormLayout>
      </SectionCard>
    </BlockStack>
  );
}
