// charts.js: what the inspectors' pictures share (nnlib/widgets/inspectors.py): canvases that
// follow their box's width so text keeps its size, a redraw when the page switches between
// light and dark, sign colours that keep their contrast in both, ticks and number formats.

import { COLORS, h, setupCanvas } from "./ui.js";

/** The font of every label, `size` in CSS pixels (never below 9: house rule). */
export function chartFont(size, weight = "normal") {
  return `${weight} ${Math.max(9, size)}px system-ui, -apple-system, "Segoe UI", sans-serif`;
}

/** Write `text` at (x, y); options: size, color, align, baseline, weight, angle (radians), halo (a colour). */
export function chartText(ctx, text, x, y, { size = 12, color, align = "left", baseline = "alphabetic", weight, angle, halo } = {}) {
  ctx.save();
  ctx.font = chartFont(size, weight);
  if (color) ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.translate(x, y);
  if (angle) ctx.rotate(angle);
  if (halo) {                     // a rim of the background colour keeps text readable over lines
    ctx.strokeStyle = halo;
    ctx.lineWidth = 3;
    ctx.lineJoin = "round";
    ctx.strokeText(text, 0, 0);
  }
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/**
 * Size `canvas` to `width` CSS pixels (the box it sits in) and `height`, sharp on
 * high-DPI screens; returns the 2-D context, in CSS pixels. Drawing at the width the canvas
 * is shown at keeps every label at the size it was written with.
 */
export function sizeCanvas(canvas, width, height) {
  const ctx = setupCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/**
 * Call `draw(width)` now and again whenever `box` changes width (in whole CSS pixels).
 * Returns a function that stops watching. A box not yet on the page is drawn `fallback` wide.
 */
export function watchWidth(box, draw, fallback = 640) {
  let last = -1;
  const run = () => {
    const width = Math.floor(box.getBoundingClientRect().width) || fallback;
    if (width !== last) {
      last = width;
      draw(width);
    }
  };
  run();
  if (typeof ResizeObserver === "undefined") return () => {};
  let pending = 0;  // draw in the next frame: drawing changes the box's height, which must not re-enter
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(run);
  });
  observer.observe(box);
  return () => {
    cancelAnimationFrame(pending);
    observer.disconnect();
  };
}

/** Call `redraw()` when the page switches between light and dark; returns a function that stops. */
export function watchTheme(redraw) {
  const observer = new MutationObserver(() => redraw());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-mode", "class"] });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "class"] });
  const media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  if (media && media.addEventListener) media.addEventListener("change", redraw);
  return () => {
    observer.disconnect();
    if (media && media.removeEventListener) media.removeEventListener("change", redraw);
  };
}

/**
 * Signs, as in nnlib's figures: blue positive, vermillion negative. On a dark page the blue
 * is Okabe-Ito's sky blue, which keeps a contrast of at least 3:1 with the background.
 */
export function signColors(pal) {
  return { positive: pal.dark ? COLORS.skyBlue : COLORS.blue, negative: COLORS.vermillion };
}

/** A CSS colour for `t` in [-1, 1]: vermillion at -1, the page's background at 0, blue at 1. */
export function signFill(pal, t) {
  const v = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const middle = pal.dark ? [43, 45, 49] : [255, 255, 255];
  const end = hexRgb(v < 0 ? signColors(pal).negative : signColors(pal).positive);
  const s = Math.abs(v);
  const [r, g, b] = [0, 1, 2].map((k) => Math.round(middle[k] + (end[k] - middle[k]) * s));
  return `rgb(${r}, ${g}, ${b})`;
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A round upper limit for an axis that must reach `v`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeil(v) {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= v * (1 - 1e-9));
  return step * power;
}

/** `v` with `digits` significant digits, without trailing zeros; exponents for very small or large values. */
export function formatNumber(v, digits = 3) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const size = Math.abs(v);
  if (size < 1e-3 || size >= 1e5) {
    const [mantissa, exponent] = v.toExponential(digits - 1).split("e");
    return `${mantissa.replace(/\.?0+$/, "")}e${exponent.replace("+", "")}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** `formatNumber` with a sign: "+0.012", "-0.3", "0". */
export function formatSigned(v, digits = 3) {
  const text = formatNumber(v, digits);
  return v > 0 ? `+${text}` : text;
}

const SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉", SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
/** 12 as "₁₂", for indices in labels: x₁, a₂. */
export function subscript(n) {
  return String(n).split("").map((d) => SUBSCRIPT_DIGITS[Number(d)]).join("");
}
/** 12 as "¹²", for layer numbers in labels: W³, δ². */
export function superscript(n) {
  return String(n).split("").map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join("");
}

/** A share as a percentage: "0%", "<1%", "37%". */
export function formatShare(share) {
  if (share === 0) return "0%";
  if (share < 0.005) return "<1%";
  if (share > 0.995 && share < 1) return ">99%";
  return `${Math.round(100 * share)}%`;
}

// --- titles and tables of numbers, as HTML: they wrap on a narrow screen ------------------
const INSPECTOR_STYLE = `
.nnlib-chart-title { font-weight: 600; font-size: 15px; margin: .25rem 0 0; }
.nnlib-chart-subtitle { font-size: 13px; opacity: .85; margin: 0; }
.nnlib-table-scroll { overflow-x: auto; max-width: 100%; }
.nnlib-numbers { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
.nnlib-numbers caption { text-align: left; caption-side: top; padding-bottom: .25rem; font-weight: 600; }
.nnlib-note { font-size: 13px; margin: .25rem 0 0; }
.nnlib-matrices { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; }
.nnlib-matrix-caption { font-weight: 600; font-size: 13px; margin: 0 0 .2rem; max-width: 26em; }
.nnlib-numbers th, .nnlib-numbers td { border: 1px solid color-mix(in srgb, currentColor 35%, transparent);
  padding: .15rem .5rem; text-align: right; white-space: nowrap; }
.nnlib-numbers th { font-weight: 600; }
.nnlib-numbers th[scope=row] { text-align: left; }
`;

/** The style of the inspectors' titles and tables of numbers, added once per page. */
export function addInspectorStyle() {
  if (!document.getElementById("nnlib-inspector-style")) {
    document.head.append(h("style", { id: "nnlib-inspector-style" }, INSPECTOR_STYLE));
  }
}
