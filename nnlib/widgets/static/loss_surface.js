// loss_surface.js: the front end of nnlib.widgets.LossSurfaceExplorer. One sigmoid neuron
// a = sigma(w x + b) and a few examples (x, y), kept in the widget's state. Two maps show
// the cost over (w, b), quadratic and cross-entropy, each with the path gradient descent
// takes from the chosen start with the chosen learning rate; a third plot follows the
// output step by step. Sliders move the start and the learning rate.
//
// The descent is the one nnlib.widgets.explorers.descent_path computes in Python (the losses
// chapter's `descend`), step for step: the same sigmoid, the same deltas, and NumPy's
// pairwise summation for the means. The only difference is the last bit of exp (V8's and
// NumPy's can differ), so the paths agree to about 1e-15.
import { choiceSlider, frame, guarded, h, keepDrawn, palette, setupCanvas, showError, slider } from "./ui.js";
import { Axes, FONT, SIZE, cividis, colorbar, drawField, formatG, formatValue, legend, legendRow } from "./chart.js";

/** nnlib.activations.sigmoid: 1 / (1 + exp(-z)), and e^z below z = -707, where exp(-z) overflows. */
export function sigmoid(z) {
  return z < -707 ? Math.exp(z) : 1 / (1 + Math.exp(-z));
}

/** nnlib.activations.sigmoid_prime: sigma(z) (1 - sigma(z)). */
export function sigmoidPrime(z) {
  const s = sigmoid(z);
  return s * (1.0 - s);
}

/** NumPy's sum of a float64 array (pairwise summation, 8 accumulators), bit for bit. */
export function pairwiseSum(a, start = 0, n = a.length) {
  if (n < 8) {
    let res = 0.0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [];
    for (let j = 0; j < 8; j++) r.push(a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, start, half) + pairwiseSum(a, start + half, n - half);
}

/** np.mean of a 1-D float64 array. */
export const mean = (a) => (0.0 + pairwiseSum(a)) / a.length;

/**
 * Gradient descent on the mean cost over the examples: `steps` steps from (w, b), as
 * descent_path in Python. Returns { w, b }: Float64Arrays of length steps + 1 (the start first).
 */
export function descend(loss, x, y, w, b, eta, steps) {
  if (loss !== "quadratic" && loss !== "cross_entropy") throw new Error(`unknown loss ${JSON.stringify(loss)}`);
  const n = x.length, dx = new Float64Array(n), d = new Float64Array(n);
  const ws = new Float64Array(steps + 1), bs = new Float64Array(steps + 1);
  ws[0] = w; bs[0] = b;
  for (let step = 1; step <= steps; step++) {
    for (let i = 0; i < n; i++) {
      const z = w * x[i] + b, a = sigmoid(z);
      // delta = dC_x/dz: (a - y) sigma'(z) for the quadratic cost; a - y for cross-entropy
      d[i] = loss === "quadratic" ? (a - y[i]) * sigmoidPrime(z) : a - y[i];
      dx[i] = d[i] * x[i];
    }
    [w, b] = [w - eta * mean(dx), b - eta * mean(d)];     // dC/dw, dC/db: means over the examples
    ws[step] = w; bs[step] = b;
  }
  return { w: ws, b: bs };
}

const EPS = 1e-12;   // nnlib.losses.EPS: cross-entropy clips a into [EPS, 1 - EPS]

/** The cost of the neuron (w, b) on the examples: nnlib.losses.quadratic or binary_cross_entropy. */
export function cost(loss, x, y, w, b) {
  let total = 0.0;
  for (let i = 0; i < x.length; i++) {
    const a = sigmoid(w * x[i] + b);
    if (loss === "quadratic") total += 0.5 * (a - y[i]) ** 2;
    else {
      const c = Math.min(Math.max(a, EPS), 1 - EPS);
      total -= y[i] * Math.log(c) + (1 - y[i]) * Math.log1p(-c);
    }
  }
  return total / x.length;
}

const LOSSES = [
  { key: "quadratic", title: "quadratic cost", color: "blue", dash: [] },
  { key: "cross_entropy", title: "cross-entropy", color: "vermillion", dash: [7, 5] },
];
const RESOLUTION = 101;   // grid points per side of each cost map
const BANDS = 16;         // the maps are filled contours: this many bands of equal height

/** What the learning-curve plot shows at (w, b): the output a (one example) or the mean |a - y|. */
function tracked(x, y, w, b) {
  if (x.length === 1) return sigmoid(w * x[0] + b);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(sigmoid(w * x[i] + b) - y[i]);
  return sum / x.length;
}

/** The readout: where each descent ended. */
export function describe(state, paths) {
  const { x, y, w0, b0, eta, steps } = state;
  const one = x.length === 1;
  const what = one ? "output a" : "mean error |a \u2212 y|";
  const parts = LOSSES.map(({ key, title }) => {
    const w = paths[key].w[steps], b = paths[key].b[steps];
    return `${title}: w = ${formatG(w, 3)}, b = ${formatG(b, 3)}, ${what} = ${formatG(tracked(x, y, w, b), 3)}`;
  });
  const inside = (v, [lo, hi]) => v >= lo && v <= hi;
  const outside = LOSSES.filter(({ key }) =>
    !inside(paths[key].w[steps], state.w_range) || !inside(paths[key].b[steps], state.b_range)).map((l) => l.title);
  return `From w = ${formatValue(w0)}, b = ${formatValue(b0)} (${what} = ${formatG(tracked(x, y, w0, b0), 3)}` +
    `${one ? `, target ${formatValue(y[0])}` : ""}) with \u03b7 = ${formatValue(eta)}, after ${steps} steps. ` +
    `${parts.join("; ")}.` +
    (outside.length ? ` The ${outside.join(" and the ")} path${outside.length > 1 ? "s end" : " ends"} outside the map.` : "");
}

function dotMarker(ctx, cx, cy, r, fill) {
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill; ctx.fill();
  ctx.strokeStyle = "#000000"; ctx.lineWidth = 1.2; ctx.stroke();
}

function star(ctx, cx, cy, r, fill, stroke) {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const radius = k % 2 ? r * 0.45 : r, angle = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
  }
  ctx.closePath();
  ctx.fillStyle = fill; ctx.fill();
  ctx.strokeStyle = stroke; ctx.lineWidth = 1.2; ctx.stroke();
}

function drawSurface(ctx, pal, box, surface, path, spec, state) {
  const { w_range: wr, b_range: br, steps } = state;
  const axes = new Axes(ctx, pal, box, wr, br);
  const { values, lo, hi } = surface;
  const band = (c) => Math.min(BANDS - 1, Math.floor(((c - lo) / (hi - lo || 1)) * BANDS)) / (BANDS - 1);
  drawField(ctx, RESOLUTION, RESOLUTION, (i, j) => cividis(band(values[i * RESOLUTION + j])), box, false);
  // the path: a dark casing under a white line, so that it shows on dark and on light bands
  const ws = Array.from(path.w), bs = Array.from(path.b);
  axes.line(ws, bs, { color: "rgba(0, 0, 0, 0.75)", width: 4 });
  axes.line(ws, bs, { color: "#ffffff", width: 1.8 });
  for (let k = 10; k < steps; k += 10) axes.dot(ws[k], bs[k], { r: 2.8, fill: "#ffffff", stroke: "#000000", width: 1 });
  axes.dot(ws[0], bs[0], { r: 6.5, fill: "#ffffff", stroke: "#000000", width: 1.8 });
  axes.clipped(() => star(ctx, axes.px(ws[steps]), axes.py(bs[steps]), 9, pal.orange, "#000000"));
  axes.frame({ title: `${spec.title} C(w, b)`, xlabel: "weight w", ylabel: "bias b" });
  colorbar(ctx, pal, { x: box.x + box.w + 10, y: box.y, w: 12, h: box.h }, lo, hi, cividis, "cost C");
}

function drawCurves(ctx, pal, box, paths, state) {
  const { x, y, steps } = state;
  const axes = new Axes(ctx, pal, box, [0, steps], [-0.05, 1.05]);
  const one = x.length === 1;
  axes.frame({
    grid: true, xlabel: one ? "epoch" : "step", yticks: [0, 0.25, 0.5, 0.75, 1],
    ylabel: one ? "output a" : "mean |a \u2212 y|",
    title: one ? `The neuron's output a (target ${formatValue(y[0])})` : "The mean error |a \u2212 y|",
  });
  const epochs = Array.from({ length: steps }, (_, k) => k);
  if (one) axes.line([0, steps], [y[0], y[0]], { color: pal.muted, width: 1.5, dash: [2, 4] });
  for (const spec of LOSSES) {
    const p = paths[spec.key];
    axes.line(epochs, epochs.map((k) => tracked(x, y, p.w[k], p.b[k])), { color: pal[spec.color], width: 2.2, dash: spec.dash });
  }
  const items = LOSSES.map((s) => ({ label: s.title, color: pal[s.color], dash: s.dash }));
  if (one) items.push({ label: `target y = ${formatValue(y[0])}`, color: pal.muted, dash: [2, 4] });
  ctx.save();
  ctx.font = `${SIZE.tick}px ${FONT}`;
  const legendWidth = 44 + Math.max(...items.map((it) => ctx.measureText(it.label).width));
  ctx.restore();
  legend(ctx, pal, box.x + box.w - legendWidth - 8, box.y + 8, items);
}

function render({ model, el }) {
  const root = frame(el, "Loss surface explorer: gradient descent on the cost of one sigmoid neuron");
  const canvas = h("canvas", { role: "img" });
  const readout = h("p", { class: "nnlib-status nnlib-readout", "aria-live": "polite" });
  const [lo, hi, step] = model.get("start_range");
  const set = (key) => (v) => { model.set(key, v); model.save_changes(); };
  const controls = {
    w0: slider({ label: "start w", min: lo, max: hi, step, value: model.get("w0"), format: formatValue, onInput: set("w0") }),
    b0: slider({ label: "start b", min: lo, max: hi, step, value: model.get("b0"), format: formatValue, onInput: set("b0") }),
    eta: choiceSlider({ label: "learning rate \u03b7", values: model.get("eta_choices"), value: model.get("eta"), format: formatValue, onInput: set("eta") }),
  };
  for (const key in controls) controls[key].input.dataset.name = key;
  root.append(h("div", { class: "nnlib-controls" }, Object.values(controls).map((c) => c.element)), canvas, readout);

  let surfaces = null, surfaceKey = "";
  const state = () => Object.fromEntries(
    ["x", "y", "w0", "b0", "eta", "steps", "w_range", "b_range"].map((k) => [k, model.get(k)]));

  function draw() {
    const s = state();
    const key = JSON.stringify([s.x, s.y, s.w_range, s.b_range]);
    if (key !== surfaceKey) {        // the maps depend on the data and the view only
      const axis = (r, k) => r[0] + ((r[1] - r[0]) * k) / (RESOLUTION - 1);
      surfaces = {};
      for (const { key: loss } of LOSSES) {
        const values = new Float64Array(RESOLUTION * RESOLUTION);
        for (let i = 0; i < RESOLUTION; i++)
          for (let j = 0; j < RESOLUTION; j++) values[i * RESOLUTION + j] = cost(loss, s.x, s.y, axis(s.w_range, j), axis(s.b_range, i));
        let vmin = Infinity, vmax = -Infinity;
        for (const v of values) { vmin = Math.min(vmin, v); vmax = Math.max(vmax, v); }
        surfaces[loss] = { values, lo: vmin, hi: vmax };
      }
      surfaceKey = key;
    }
    const paths = Object.fromEntries(LOSSES.map(({ key: loss }) => [loss, descend(loss, s.x, s.y, s.w0, s.b0, s.eta, s.steps)]));

    const pal = palette(root);
    const width = Math.max(320, Math.min(720, root.clientWidth || 720));
    const wide = width >= 600;                              // maps side by side, or one above the other
    // each map: 58 px on its left for the b axis, 74 px on its right for its colour bar
    const mapSide = wide ? Math.floor(width / 2) - 58 - 74 : width - 58 - 74;
    // + the maps' legend: one row, or two on a narrow screen
    const mapsHeight = (wide ? mapSide + 86 + 24 : 2 * (mapSide + 86) + 44);
    const height = mapsHeight + 260;
    const ctx = setupCanvas(canvas, width, height);
    ctx.fillStyle = pal.background;
    ctx.fillRect(0, 0, width, height);
    LOSSES.forEach((spec, k) => {
      const x0 = wide ? 58 + k * Math.floor(width / 2) : 58, y0 = wide ? 32 : 32 + k * (mapSide + 86);
      drawSurface(ctx, pal, { x: x0, y: y0, w: mapSide, h: mapSide }, surfaces[spec.key], paths[spec.key], spec, s);
    });
    legendRow(ctx, pal, 58, mapsHeight - (wide ? 24 : 44), [   // under the maps, where it hides no path
      { label: "start", draw: (c, cx, cy) => dotMarker(c, cx, cy, 6, "#ffffff") },
      { label: "a dot every 10 steps", draw: (c, cx, cy) => dotMarker(c, cx, cy, 2.8, "#ffffff") },
      { label: `after ${s.steps} steps`, draw: (c, cx, cy) => star(c, cx, cy, 8, pal.orange, "#000000") },
    ], width - 8);
    drawCurves(ctx, pal, { x: 58, y: mapsHeight + 34, w: width - 58 - 16, h: 176 }, paths, s);
    const text = describe(s, paths);
    canvas.setAttribute("aria-label",
      `Two maps of the cost over the weight w (${formatValue(s.w_range[0])} to ${formatValue(s.w_range[1])}) and the bias b ` +
      `(${formatValue(s.b_range[0])} to ${formatValue(s.b_range[1])}), dark where the cost is low: the quadratic cost and the ` +
      `cross-entropy, each with the path of ${s.steps} gradient-descent steps, from the white circle to the orange star. ` +
      `Below, the output of the neuron step by step for both costs. ${text}`);
    return text;
  }

  const redraw = () => {
    try {
      readout.textContent = draw();
    } catch (error) {
      showError(el, error, "The loss surface explorer");   // a message, never a blank box
    }
  };
  const onChange = () => {
    for (const key in controls) controls[key].set(model.get(key));
    redraw();
  };
  return keepDrawn({ model, keys: ["x", "y", "w0", "b0", "eta", "steps", "w_range", "b_range"], root, redraw, onChange });
}

export default { render: guarded("The loss surface explorer", render) };
