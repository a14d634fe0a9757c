// A colour typed as #rrggbb, or picked with Polaris' ColorPicker from the swatch beside it.
import { Button, ColorPicker, Popover, TextField, hexToRgb, hsbToHex, rgbToHsb, type HSBColor } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { t } from "../../i18n";

const HEX = /^#[0-9a-fA-F]{6}$/;

function toHsb(hex: string): HSBColor {
  return rgbToHsb(hexToRgb(HEX.test(hex) ? hex : "#000000"));
}

interface Props {
  label: string;
  value: string;
  error?: string;
  onChange(value: string): void;
}

export default function ColorField({ label, value, error, onChange }: Props) {
  const [open, setOpen] = useState(false);
  // The picker keeps its own hue: a grey read back from hex would lose it and make the picker jump.
  const [hsb, setHsb] = useState<HSBColor>(() => toHsb(value));
  useEffect(() => {
    if (HEX.test(value) && hsbToHex(hsb).toLowerCase() !== value.toLowerCase()) setHsb(toHsb(value));
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps

  const swatch = (
    <span
      aria-hidden="true"
      style={{
        display: "block", width: "1.25rem", height: "1.25rem", borderRadius: "var(--p-border-radius-100)",
        border: "var(--p-border-width-025) solid var(--p-color-border)", background: HEX.test(value) ? value : "transparent",
      }}
    />
  );
  const picker = (
    <Popover
      active={open}
      onClose={() => setOpen(false)}
      preferredAlignment="right"
      activator={<Button icon={swatch} accessibilityLabel={t("settings.branding.pick", { field: label.toLowerCase() })}
        onClick={() => setOpen((was) => !was)} disclosure={open ? "up" : "down"} />}
    >
      <Popover.Section>
        <ColorPicker color={hsb} onChange={(color) => { setHsb(color); onChange(hsbToHex(color)); }} />
      </Popover.Section>
    </Popover>
  );
  return (
    <TextField
      label={label}
      value={value}
      onChange={(next) => onChange(next.trim())}
      error={error}
      autoComplete="off"
      spellCheck={false}
      maxLength={7}
      placeholder="#2f6f5e"
      connectedRight={picker}
    />
  );
}
