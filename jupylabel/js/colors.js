// Colours from a config (`background`, `highlightColor`) are data: a value is used only when
// the browser reads it as a colour on its own, and then only through its normalised rgb()
// form, so nothing else in the attribute (markup, `;`, more CSS) ever reaches a style. An
// invalid or missing colour falls back to a fixed palette, one colour per label.

const FALLBACK = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
  "#9c755f", "#bab0ac"];

let probe = null;

/** [r, g, b] for a CSS colour string, or null when it is not one. */
export function parseColor(value) {
  if (typeof value !== "string" || !value.trim() || value.length > 64) return null;
  if (typeof CSS !== "undefined" && CSS.supports && !CSS.supports("color", value)) return null;
  if (!probe) probe = document.createElement("canvas").getContext("2d");
  if (!probe) return null;
  // A canvas normalises any valid colour to #rrggbb or rgba(...); set twice to spot a refusal.
  probe.fillStyle = "#010203";
  probe.fillStyle = value;
  const out = String(probe.fillStyle);
  if (out === "#010203" && value.trim().toLowerCase() !== "#010203") return null;
  if (out[0] === "#") return [1, 3, 5].map((i) => parseInt(out.slice(i, i + 2), 16));
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** The colour for the label at `index`: its own if valid, else the palette's. */
export function labelColor(value, index) {
  return parseColor(value) || parseColor(FALLBACK[index % FALLBACK.length]);
}

/** Black or white, whichever reads better on this colour (WCAG contrast). */
export function inkOn([r, g, b]) {
  const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.179 ? "#000000" : "#ffffff";
}

export function rgba([r, g, b], alpha = 1) {
  return alpha >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
