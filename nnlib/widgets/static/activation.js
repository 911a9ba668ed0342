// activation.js: the front end of nnlib.widgets.ActivationExplorer. An activation function
// sigma(z) with its tangent at a point z0, whose slope is the derivative sigma'(z0), and
// below it the derivative sigma'(z) with its value at z0. A drop-down picks sigmoid, tanh
// or ReLU, a slider moves z0. The functions are nnlib's, written the same way in JavaScript,
// so the numbers are nnlib's (tests/test_widgets_explorers.py compares them).
import { frame, guarded, h, keepDrawn, palette, select, setupCanvas, showError, slider } from "./ui.js";
import { Axes, FONT, SIZE, formatG, formatValue, legend } from "./chart.js";

/** nnlib.activations: f and its derivative, as nnlib computes them. */
export const ACTIVATIONS = {
  // 0.5 tanh(z / 2) + 0.5 is 1 / (1 + e^-z) in a form that never overflows; sigma' = sigma (1 - sigma)
  sigmoid: {
    f: (z) => 0.5 * Math.tanh(0.5 * z) + 0.5,
    prime: (z) => { const s = 0.5 * Math.tanh(0.5 * z) + 0.5; return s * (1.0 - s); },
  },
  // tanh' = 1 - tanh^2
  tanh: { f: (z) => Math.tanh(z), prime: (z) => { const t = Math.tanh(z); return 1.0 - t * t; } },
  // max(0, z); relu'(z) = 1 where z > 0, else 0 (nnlib takes 0 at the corner z = 0)
  relu: { f: (z) => Math.max(z, 0.0), prime: (z) => (z > 0 ? 1.0 : 0.0) },
};

const LABELS = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" };
// the y ranges of the chapter's static figures: the function (upper plot), its derivative (lower)
const Y_RANGE = { sigmoid: [-0.3, 1.3], tanh: [-1.3, 1.3], relu: [-0.5, 6] };
const PRIME_RANGE = { sigmoid: [-0.03, 0.3], tanh: [-0.1, 1.15], relu: [-0.1, 1.2] };

/** The readout: sigma(z0), sigma'(z0) and the tangent's equation, in words. */
export function describe(name, z0) {
  const act = ACTIVATIONS[name];
  const a0 = act.f(z0), slope = act.prime(z0);
  const zText = formatValue(z0);
  const shift = z0 === 0 ? "z" : `(z ${z0 > 0 ? "\u2212" : "+"} ${formatValue(Math.abs(z0))})`;
  let text = `${name} at z\u2080 = ${zText}: \u03c3(z\u2080) = ${formatG(a0, 3)}, slope \u03c3\u2032(z\u2080) = ` +
    `${formatG(slope, 3)}; the tangent is a = ${formatG(a0, 3)} + ${formatG(slope, 3)} ${shift}.`;
  if (name === "relu" && z0 === 0) text += " At z = 0 ReLU has a corner and no derivative; nnlib uses 0 there.";
  else if (name === "relu" && z0 < 0) text += " ReLU is flat here: no gradient passes through it.";
  else if (name !== "relu" && Math.abs(slope) < 0.01) text += " The tangent is almost flat: the neuron is saturated and learns slowly.";
  return text;
}

function draw(canvas, root, model) {
  const pal = palette(root);
  const name = model.get("activation"), z0 = model.get("z0");
  const [zmin, zmax] = model.get("z_range");
  const act = ACTIVATIONS[name];
  if (!act) throw new Error(`unknown activation ${JSON.stringify(name)}; valid: ${Object.keys(ACTIVATIONS).join(", ")}`);
  const width = Math.max(320, Math.min(620, root.clientWidth || 620));
  const height = 470;
  const ctx = setupCanvas(canvas, width, height);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, height);

  const left = 64, right = 16, plotWidth = width - left - right;
  const upper = new Axes(ctx, pal, { x: left, y: 32, w: plotWidth, h: 220 }, [zmin, zmax], Y_RANGE[name]);
  const lower = new Axes(ctx, pal, { x: left, y: 320, w: plotWidth, h: 104 }, [zmin, zmax], PRIME_RANGE[name]);
  const n = 601;
  const zs = Array.from({ length: n }, (_, k) => zmin + ((zmax - zmin) * k) / (n - 1));
  const a0 = act.f(z0), slope = act.prime(z0);

  // upper: the function, its tangent at z0 (dashed) and the point (z0, sigma(z0))
  upper.frame({ grid: true, xlabel: "z", ylabel: "\u03c3(z)",
    title: `${name}: slope \u03c3\u2032(${formatValue(z0)}) = ${formatG(slope, 3)}` });
  upper.line(zs, zs.map(act.f), { color: pal.blue, width: 2.5 });
  upper.line([zmin, zmax], [a0 + slope * (zmin - z0), a0 + slope * (zmax - z0)], { color: pal.vermillion, width: 2, dash: [7, 5] });
  upper.dot(z0, a0, { r: 5, fill: pal.vermillion, stroke: pal.background });
  legend(ctx, pal, upper.box.x + 8, upper.box.y + 8, [
    { label: `${name}(z)`, color: pal.blue },
    { label: "tangent at z\u2080", color: pal.vermillion, dash: [7, 5] },
  ]);

  // lower: the derivative, broken where it jumps (ReLU at 0), and its value at z0
  const primes = zs.map(act.prime);
  const broken = primes.map((p, k) => (k > 0 && Math.abs(p - primes[k - 1]) > 0.5 ? NaN : p));
  lower.frame({ grid: true, xlabel: "z", ylabel: "\u03c3\u2032(z)", title: `its derivative ${name}\u2032(z)` });
  lower.line(zs, broken, { color: pal.blue, width: 2.5 });
  if (name === "relu" && zmin < 0 && zmax > 0) {       // relu'(0) = 0: filled at 0, open at 1
    lower.dot(0, 0, { r: 4, fill: pal.blue });
    lower.dot(0, 1, { r: 4, fill: pal.background, stroke: pal.blue });
  }
  lower.line([z0, z0], [PRIME_RANGE[name][0], slope], { color: pal.muted, width: 1, dash: [3, 3] });
  lower.dot(z0, slope, { r: 5, fill: pal.vermillion, stroke: pal.background });
  const label = `\u03c3\u2032(z\u2080) = ${formatG(slope, 3)}`;
  ctx.save();
  ctx.font = `600 ${SIZE.label}px ${FONT}`;
  ctx.fillStyle = pal.dark ? "#ff9a5c" : "#a33d00";       // vermillion with contrast >= 4.5:1 as text
  const tx = lower.px(z0), fitsRight = tx + 10 + ctx.measureText(label).width < lower.box.x + lower.box.w;
  ctx.textAlign = fitsRight ? "left" : "right";
  ctx.textBaseline = "bottom";
  ctx.fillText(label, fitsRight ? tx + 9 : tx - 9, Math.max(lower.box.y + 18, lower.py(slope) - 6));
  ctx.restore();

  const text = describe(name, z0);
  canvas.setAttribute("aria-label",
    `Upper plot: the ${LABELS[name]} function for z from ${formatValue(zmin)} to ${formatValue(zmax)}, with its tangent ` +
    `at z\u2080 = ${formatValue(z0)}. Lower plot: its derivative, with the value at z\u2080 marked. ${text}`);
  return text;
}

function render({ model, el }) {
  const root = frame(el, "Activation explorer: a function, its tangent and its derivative");
  const canvas = h("canvas", { role: "img" });
  const readout = h("p", { class: "nnlib-status nnlib-readout", "aria-live": "polite" });
  const [zmin, zmax, step] = model.get("z_range");
  const choices = model.get("choices") || Object.keys(ACTIVATIONS);
  const chooser = select({
    label: "function", options: choices.map((c) => [c, LABELS[c] || c]), value: model.get("activation"),
    onChange: (v) => { model.set("activation", v); model.save_changes(); },
  });
  const mover = slider({
    label: "point z\u2080", min: zmin, max: zmax, step, value: model.get("z0"), format: formatValue,
    onInput: (v) => { model.set("z0", v); model.save_changes(); },
  });
  chooser.input.dataset.name = "activation";
  mover.input.dataset.name = "z0";
  root.append(h("div", { class: "nnlib-controls" }, chooser.element, mover.element), canvas, readout);

  const redraw = () => {
    try {
      readout.textContent = draw(canvas, root, model);
    } catch (error) {
      showError(el, error, "The activation explorer");   // a message, never a blank box
    }
  };
  const onChange = () => { chooser.set(model.get("activation")); mover.set(model.get("z0")); redraw(); };
  return keepDrawn({ model, keys: ["activation", "z0", "z_range"], root, redraw, onChange });
}

export default { render: guarded("The activation explorer", render) };
