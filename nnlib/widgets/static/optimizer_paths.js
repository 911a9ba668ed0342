// optimizer_paths.js: the front end of nnlib.widgets.optimizer_paths.OptimizerExplorer. A cost of
// two parameters (w, b), a quadratic valley, with the path of one optimiser across it: SGD,
// momentum, RMSProp or Adam. Menus pick the optimiser and the surface, sliders the learning
// rate and the number of steps; a second plot shows the cost step by step for all four.
//
// The steps repeat nnlib.optimizers (SGD with and without momentum, RMSProp, Adam) operation
// for operation, on the gradient optimizer_path computes in Python, so the paths agree with
// nnlib's to rounding (tests/test_widgets_optimizer_paths.py runs both).
import { frame, guarded, h, keepDrawn, palette, select, setupCanvas, showError, slider, choiceSlider } from "./ui.js";
import { Axes, cividis, colorbar, drawField, formatG, formatValue, legendTopRight } from "./chart.js";

/** (dC/dw, dC/db) of the valley `spec` at (w, b), as surface_gradient in Python. */
export function valleyGradient(spec, w, b) {
  const [k1, k2] = spec.k, [c, s] = spec.cs;
  const u = c * w + s * b, r = c * b - s * w;
  const du = k1 * u, dr = k2 * r;                       // dC/du, dC/dr
  return [du * c - dr * s, du * s + dr * c];
}

/** C(w, b) of the valley `spec`, as surface_cost in Python. */
export function valleyCost(spec, w, b) {
  const [k1, k2] = spec.k, [c, s] = spec.cs;
  const u = c * w + s * b, r = c * b - s * w;
  return 0.5 * (k1 * u * u + k2 * r * r);
}

/**
 * One optimiser's state and step for the two parameters p = [w, b], gradient g = [gw, gb]:
 * the formulas of nnlib.optimizers, in the same order of operations.
 */
export function makeOptimizer(name, lr) {
  const zeros = () => [0.0, 0.0];
  if (name === "sgd" || name === "momentum") {
    const mu = name === "momentum" ? 0.9 : 0.0;
    let v = zeros();
    return (p, g) => {
      const u = g.map((gi, i) => (mu ? gi * -lr + mu * v[i] : gi * -lr));   // u = -eta g (+ mu v)
      if (mu) v = u;                                                         // the velocity is the step
      return p.map((pi, i) => pi + u[i]);
    };
  }
  if (name === "rmsprop") {
    const rho = 0.9, eps = 1e-8;
    let s = zeros();
    return (p, g) => {
      s = g.map((gi, i) => rho * s[i] + (1 - rho) * gi * gi);              // s <- rho s + (1 - rho) g^2
      return p.map((pi, i) => pi + (-lr * g[i]) / (Math.sqrt(s[i]) + eps));  // w <- w - eta g / (sqrt(s) + eps)
    };
  }
  if (name === "adam") {
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    let m = zeros(), v = zeros(), t = 0;
    return (p, g) => {
      t += 1;
      m = g.map((gi, i) => b1 * m[i] + (1 - b1) * gi);                      // first moment
      v = g.map((gi, i) => b2 * v[i] + (1 - b2) * gi * gi);                 // second moment
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;                              // bias correction
      return p.map((pi, i) => pi + (-lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps));
    };
  }
  throw new Error(`unknown optimiser ${JSON.stringify(name)}`);
}

/** `steps` steps of an optimiser from the surface's start: { w, b } of length steps + 1, as optimizer_path. */
export function optimizerPath(name, lr, steps, spec) {
  const step = makeOptimizer(name, lr);
  const ws = new Float64Array(steps + 1), bs = new Float64Array(steps + 1);
  let p = spec.start.slice();
  ws[0] = p[0]; bs[0] = p[1];
  for (let k = 1; k <= steps; k++) {
    p = step(p, valleyGradient(spec, p[0], p[1]));
    ws[k] = p[0]; bs[k] = p[1];
  }
  return { w: ws, b: bs };
}

const RESOLUTION = 121;
const BANDS = 14;
const NAMES = ["sgd", "momentum", "rmsprop", "adam"];
const COLOR = { sgd: "vermillion", momentum: "blue", rmsprop: "green", adam: "purple" };
const DASH = { sgd: [], momentum: [8, 4], rmsprop: [2, 3], adam: [10, 3, 2, 3] };

/** The readout: where the chosen optimiser ended. */
export function describe(state, path) {
  const spec = state.surfaces[state.surface], opt = state.optimizers[state.optimizer];
  const w = path.w[state.steps], b = path.b[state.steps];
  const c0 = valleyCost(spec, spec.start[0], spec.start[1]), c = valleyCost(spec, w, b);
  const inside = w >= spec.w_range[0] && w <= spec.w_range[1] && b >= spec.b_range[0] && b <= spec.b_range[1];
  return `${opt.title} with learning rate ${formatValue(state.lr)} on ${spec.title}: after ${state.steps} steps ` +
    `from w = ${formatValue(spec.start[0])}, b = ${formatValue(spec.start[1])} (cost ${formatG(c0, 3)}) it is at ` +
    `w = ${formatG(w, 3)}, b = ${formatG(b, 3)}, cost ${formatG(c, 3)}. The minimum is at w = 0, b = 0.` +
    (Number.isFinite(c) ? (inside ? "" : " The path leaves the map.") : " The path diverged: try a smaller learning rate.");
}

function drawMapAndPath(ctx, pal, box, spec, path, state) {
  const axes = new Axes(ctx, pal, box, spec.w_range, spec.b_range);
  const at = (r, k) => r[0] + ((r[1] - r[0]) * k) / (RESOLUTION - 1);
  const logs = new Float64Array(RESOLUTION * RESOLUTION);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < RESOLUTION; i++)
    for (let j = 0; j < RESOLUTION; j++) {
      const v = Math.log10(valleyCost(spec, at(spec.w_range, j), at(spec.b_range, i)) + 1e-3);
      logs[i * RESOLUTION + j] = v; lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
  const band = (v) => Math.min(BANDS - 1, Math.floor(((v - lo) / (hi - lo || 1)) * BANDS)) / (BANDS - 1);
  drawField(ctx, RESOLUTION, RESOLUTION, (i, j) => cividis(band(logs[i * RESOLUTION + j])), box, false);
  const n = state.steps;
  const ws = Array.from(path.w).map((v) => Math.max(-1e6, Math.min(1e6, v)));
  const bs = Array.from(path.b).map((v) => Math.max(-1e6, Math.min(1e6, v)));
  axes.clipped(() => {
    axes.line(ws, bs, { color: "rgba(0, 0, 0, 0.75)", width: 4 });
    axes.line(ws, bs, { color: "#ffffff", width: 1.8 });
    for (let k = 1; k < n; k++) axes.dot(ws[k], bs[k], { r: 2.2, fill: "#ffffff", stroke: "#000000", width: 0.8 });
    axes.dot(ws[0], bs[0], { r: 6.5, fill: "#ffffff", stroke: "#000000", width: 1.8 });
    axes.dot(0, 0, { r: 5, fill: pal.orange, stroke: "#000000", width: 1.5 });
    axes.dot(ws[n], bs[n], { r: 5.5, fill: pal[COLOR[state.optimizer]], stroke: "#ffffff", width: 2 });
  });
  axes.frame({ title: `${spec.title}: C(w, b), log scale`, xlabel: "parameter w", ylabel: "parameter b" });
  colorbar(ctx, pal, { x: box.x + box.w + 10, y: box.y, w: 12, h: box.h }, lo, hi, cividis, "log\u2081\u2080 cost");
}

function drawCosts(ctx, pal, box, spec, paths, state) {
  const n = state.steps;
  const curve = (p) => Array.from({ length: n + 1 }, (_, k) => Math.log10(valleyCost(spec, p.w[k], p.b[k]) + 1e-12));
  const curves = Object.fromEntries(NAMES.map((name) => [name, curve(paths[name])]));
  const start = curves.sgd[0];
  const axes = new Axes(ctx, pal, box, [0, n], [-6, Math.ceil(start + 1)]);
  axes.frame({ grid: true, xlabel: "step", ylabel: "log\u2081\u2080 cost", title: "The cost, step by step" });
  const steps = Array.from({ length: n + 1 }, (_, k) => k);
  axes.clipped(() => {
    for (const name of NAMES) {
      const ys = curves[name].map((v) => (Number.isFinite(v) ? Math.max(-7, Math.min(v, 99)) : 99));
      axes.line(steps, ys, { color: pal[COLOR[name]], width: name === state.optimizer ? 3.2 : 1.4, dash: DASH[name] });
    }
  });
  const items = NAMES.map((name) => ({
    label: `${state.optimizers[name].title}, \u03b7 = ${formatValue(name === state.optimizer ? state.lr : state.optimizers[name].lr)}`,
    color: pal[COLOR[name]], dash: DASH[name],
  }));
  legendTopRight(ctx, pal, box, items);
}

function render({ model, el }) {
  const root = frame(el, "Optimiser explorer: the path of SGD, momentum, RMSProp or Adam on a two-parameter cost");
  const canvas = h("canvas", { role: "img" });
  const readout = h("p", { class: "nnlib-status nnlib-readout", "aria-live": "polite" });
  const set = (key) => (v) => { model.set(key, v); model.save_changes(); };
  const optimizers = model.get("optimizers"), surfaces = model.get("surfaces");
  const controls = {
    optimizer: select({
      label: "optimiser", options: NAMES.map((k) => [k, optimizers[k].title]), value: model.get("optimizer"),
      onChange: (v) => { model.set("optimizer", v); model.set("lr", optimizers[v].lr); model.save_changes(); },
    }),
    surface: select({
      label: "surface", options: Object.keys(surfaces).map((k) => [k, surfaces[k].title]), value: model.get("surface"),
      onChange: set("surface"),
    }),
    lr: choiceSlider({ label: "learning rate \u03b7", values: model.get("lr_choices"), value: model.get("lr"), format: formatValue, onInput: set("lr") }),
    steps: slider({ label: "steps", min: 1, max: model.get("max_steps"), step: 1, value: model.get("steps"), onInput: set("steps") }),
  };
  for (const key in controls) controls[key].input.dataset.name = key;
  root.append(h("div", { class: "nnlib-controls" }, Object.values(controls).map((c) => c.element)), canvas, readout);

  function draw() {
    const state = Object.fromEntries(
      ["optimizer", "lr", "steps", "surface", "surfaces", "optimizers"].map((k) => [k, model.get(k)]));
    const spec = state.surfaces[state.surface];
    const paths = Object.fromEntries(NAMES.map((name) => [name,
      optimizerPath(name, name === state.optimizer ? state.lr : state.optimizers[name].lr, state.steps, spec)]));
    const pal = palette(root);
    const width = Math.max(320, Math.min(720, root.clientWidth || 720));
    const mapW = width - 58 - 84;
    const ratio = (spec.b_range[1] - spec.b_range[0]) / (spec.w_range[1] - spec.w_range[0]);
    const mapH = Math.round(mapW * ratio);
    const height = 32 + mapH + 64 + 250;
    const ctx = setupCanvas(canvas, width, height);
    ctx.fillStyle = pal.background;
    ctx.fillRect(0, 0, width, height);
    const path = paths[state.optimizer];
    drawMapAndPath(ctx, pal, { x: 58, y: 32, w: mapW, h: mapH }, spec, path, state);
    drawCosts(ctx, pal, { x: 58, y: 32 + mapH + 84, w: width - 58 - 16, h: 190 }, spec, paths, state);
    const text = describe(state, path);
    canvas.setAttribute("aria-label",
      `A map of the cost over two parameters w and b, dark where it is low, with the path of ` +
      `${state.steps} steps of ${state.optimizers[state.optimizer].title}, from the white circle; the orange dot is ` +
      `the minimum. Below, the cost of each optimiser step by step, on a log scale. ${text}`);
    return text;
  }

  const redraw = () => {
    try {
      readout.textContent = draw();
    } catch (error) {
      showError(el, error, "The optimiser explorer");
    }
  };
  const onChange = () => {
    for (const key in controls) controls[key].set(model.get(key));
    redraw();
  };
  return keepDrawn({ model, keys: ["optimizer", "lr", "steps", "surface"], root, redraw, onChange });
}

export default { render: guarded("The optimiser explorer", render) };
