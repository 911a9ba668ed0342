// backprop_trace.js: the front end of nnlib.widgets.inspectors.BackpropInspector (chapter
// "Backpropagation"). Python ran one batch forward and backward (nnlib.plot.trace_backprop) and
// put every number in the state; this module draws the chosen view on the network diagram, as
// plot_backprop(trace, example, per_layer=True) does, and prints the chosen layer's numbers, as
// layer_report(trace, layer, example) does.
//
// The model's state (see BackpropInspector): sizes, names, cost, inputs, targets,
// trace[l] = {l, A_in, W, Z, A, delta, dW, db}, views[v] = {label, edges[l], neurons[l]} with
// view 0 the whole batch and view 1 + i example i; the controls example (-1: the batch) and layer.

import { frame, guarded, h, palette, select, showError } from "./ui.js";
import {
  addInspectorStyle, chartText, formatNumber, formatSigned, signColors, signFill, sizeCanvas,
  subscript, superscript, watchTheme, watchWidth,
} from "./charts.js";

const WHAT = "The backpropagation debugger";
const MAX_WIDTH = 820, HEIGHT = 330, TOP = 58, BOTTOM = 40, RADIUS = 15, MAX_LINE = 7;
const largest = (values) => Math.max(0, ...values.map(Math.abs)) || 1;

/** x of each column (inputs, then layer 1 ... L) and y of each neuron, for a canvas `width` wide. */
function geometry(width, sizes) {
  const pad = Math.min(70, width * 0.11);
  const xs = sizes.map((_, c) => pad + (c * (width - 2 * pad)) / (sizes.length - 1));
  const tallest = Math.max(...sizes);
  const step = Math.min(78, (HEIGHT - TOP - BOTTOM) / tallest);
  const middle = (TOP + HEIGHT - BOTTOM) / 2;
  const ys = sizes.map((n) => Array.from({ length: n }, (_, j) => middle + (j - (n - 1) / 2) * step));
  return { xs, ys };
}

function draw(ctx, width, model, pal) {
  const sizes = model.get("sizes"), L = sizes.length - 1;
  const exampleIndex = model.get("example"), chosen = model.get("layer");
  const view = model.get("views")[exampleIndex + 1];
  const { xs, ys } = geometry(width, sizes);
  const colors = signColors(pal);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, HEIGHT);
  // the chosen layer: a band behind its weights and its neurons
  const bandLeft = xs[chosen - 1] + RADIUS + 6, bandRight = Math.min(width - 2, xs[chosen] + RADIUS + 10);
  ctx.fillStyle = pal.dark ? "rgba(86, 180, 233, 0.13)" : "rgba(0, 114, 178, 0.08)";
  ctx.fillRect(bandLeft, 4, bandRight - bandLeft, HEIGHT - 8);
  ctx.strokeStyle = colors.positive;
  ctx.setLineDash([5, 4]);
  ctx.strokeRect(bandLeft + 0.5, 4.5, bandRight - bandLeft - 1, HEIGHT - 9);
  ctx.setLineDash([]);
  // the lines: dC/dW (or dC_x/dW), each layer scaled to its own largest value
  const gradient = exampleIndex < 0 ? "∂C/∂W" : "∂Cₓ/∂W";
  for (let l = 1; l <= L; l++) {
    const edges = view.edges[l - 1], scale = largest(edges.flat());
    edges.forEach((row, j) => row.forEach((g, k) => {
      ctx.strokeStyle = g >= 0 ? colors.positive : colors.negative;
      ctx.lineWidth = 0.75 + MAX_LINE * Math.min(1, Math.abs(g) / scale);
      ctx.beginPath();
      ctx.moveTo(xs[l - 1], ys[l - 1][j]);
      ctx.lineTo(xs[l], ys[l][k]);
      ctx.stroke();
    }));
    const mid = (xs[l - 1] + xs[l]) / 2;
    chartText(ctx, `max |${gradient}${superscript(l)}|`, mid, 18, { size: 11, color: pal.text, align: "center" });
    chartText(ctx, formatNumber(Math.max(...edges.flat().map(Math.abs)), 2), mid, 32,
      { size: 11, color: pal.text, align: "center", weight: "600" });
  }
  // the neurons: inputs plain, the others filled with delta (its batch mean) over the layer's largest
  sizes.forEach((n, c) => {
    const values = c === 0 ? null : view.neurons[c - 1];
    const scale = values ? largest(values) : 1;
    ys[c].forEach((y, j) => {
      ctx.beginPath();
      ctx.arc(xs[c], y, RADIUS, 0, 2 * Math.PI);
      ctx.fillStyle = values ? signFill(pal, values[j] / scale) : pal.grid;
      ctx.fill();
      ctx.lineWidth = 1.25;
      ctx.strokeStyle = pal.text;
      ctx.stroke();
      if (values) {
        chartText(ctx, formatSigned(values[j], 2), xs[c], y - RADIUS - 6,
          { size: 11, color: pal.text, align: "center", halo: pal.background });
      } else {
        chartText(ctx, `x${subscript(j + 1)}`, xs[c], y, { size: 12, color: pal.text, align: "center", baseline: "middle" });
      }
    });
    const label = c === 0 ? "input x" : `layer ${c}`;
    chartText(ctx, label, xs[c], HEIGHT - 14, { size: 12, color: pal.text, align: "center", weight: c === chosen ? "700" : "normal" });
  });
  return { xs };
}

// --- the chosen layer's numbers, as layer_report prints them --------------------------------

let tables = 0;
/** A titled table of numbers: `rows` of values, with a name for each row and each column. */
function matrixTable(caption, rows, rowNames, columnNames) {
  const id = `nnlib-matrix-${++tables}`;
  return h("div", { class: "nnlib-matrix" }, h("p", { class: "nnlib-matrix-caption", id }, caption),
    h("table", { class: "nnlib-numbers", "aria-labelledby": id },
      h("thead", {}, h("tr", {}, h("td", {}), ...columnNames.map((name) => h("th", { scope: "col" }, name)))),
      h("tbody", {}, rows.map((row, r) => h("tr", {}, h("th", { scope: "row" }, rowNames[r]),
        ...row.map((v) => h("td", {}, formatSigned(v, 3))))))));
}

function report(model) {
  const sizes = model.get("sizes"), l = model.get("layer"), e = model.get("example");
  const t = model.get("trace")[l - 1], views = model.get("views");
  const inputs = Array.from({ length: sizes[l - 1] }, (_, j) => (l === 1 ? `x${subscript(j + 1)}` : `neuron ${j + 1} of layer ${l - 1}`));
  const neurons = Array.from({ length: sizes[l] }, (_, k) => `neuron ${k + 1}`);
  const heading = h("p", { class: "nnlib-chart-title" },
    `Layer ${l}, ${model.get("names")[l - 1]}, ${e < 0 ? `whole batch of ${t.delta.length}` : views[e + 1].label}`);
  if (e < 0) {
    const rows = t.delta.concat([t.db]);
    const names = views.slice(1).map((v) => v.label).concat([`mean = ∂C/∂b${superscript(l)}`]);
    return [heading, h("div", { class: "nnlib-matrices" },
      matrixTable(`δ${superscript(l)}, one row per example, and its mean ∂C/∂b${superscript(l)} (BP3)`, rows, names, neurons),
      matrixTable(`∂C/∂W${superscript(l)} = (A${superscript(l - 1)})ᵀ δ${superscript(l)} / n (BP4): row j, column k is the line from j to k`,
        t.dW, inputs, neurons.map((n) => `to ${n}`)))];
  }
  const a = t.A_in[e], d = t.delta[e];
  return [heading, h("div", { class: "nnlib-matrices" },
    matrixTable(`a${superscript(l - 1)}, the layer's input`, [a], ["a" + superscript(l - 1)], inputs),
    matrixTable(`δ${superscript(l)}, the layer's error`, [d], ["δ" + superscript(l)], neurons),
    matrixTable(`∂Cₓ/∂W${superscript(l)} = a${superscript(l - 1)} (δ${superscript(l)})ᵀ, the outer product (BP4 for one example)`,
      views[e + 1].edges[l - 1], inputs, neurons.map((n) => `to ${n}`)))];
}

function legend(pal, example) {
  const colors = signColors(pal);
  const swatch = (color, wide) => h("span", { "aria-hidden": "true", style: {
    display: "inline-block", width: "1.6em", height: wide ? "6px" : "2px", background: color,
    verticalAlign: "middle", marginRight: ".3em" } });
  const dot = (t) => h("span", { "aria-hidden": "true", style: {
    display: "inline-block", width: "1em", height: "1em", borderRadius: "50%", background: signFill(pal, t),
    border: `1px solid ${pal.text}`, verticalAlign: "middle", marginRight: ".3em" } });
  const g = example < 0 ? "∂C/∂W" : "∂Cₓ/∂W", d = example < 0 ? "mean δ = ∂C/∂b" : "δ";
  return h("div", { class: "nnlib-controls nnlib-note" },
    h("span", {}, swatch(colors.positive, true), `${g} > 0`),
    h("span", {}, swatch(colors.negative, true), `${g} < 0 (width: size, over the layer's largest)`),
    h("span", {}, dot(-1), dot(0), dot(1), `neuron: ${d} < 0, 0, > 0 (over the layer's largest)`));
}

function render({ model, el }) {
  addInspectorStyle();
  const root = frame(el, "Backpropagation debugger: one backward pass on the network diagram");
  const L = model.get("sizes").length - 1, views = model.get("views"), sizes = model.get("sizes");
  const set = (key, value) => { model.set(key, value); model.save_changes(); };
  const exampleMenu = select({ label: "show", options: views.map((v, i) => [String(i - 1), v.label]),
    value: String(model.get("example")), onChange: (v) => set("example", Number(v)) });
  const layerMenu = select({ label: "layer", value: String(model.get("layer")),
    options: Array.from({ length: L }, (_, i) => [String(i + 1), `layer ${i + 1} (W${superscript(i + 1)}: ${sizes[i]} → ${sizes[i + 1]})`]),
    onChange: (v) => set("layer", Number(v)) });
  const title = h("p", { class: "nnlib-chart-title", "aria-live": "polite" });   // a change is announced here
  const canvas = h("canvas", { role: "img", style: { cursor: "pointer" } });
  const key = h("div");
  const numbers = h("div", { class: "nnlib-table-scroll", role: "region", tabindex: "0", "aria-label": "the layer's numbers" });
  root.append(h("div", { class: "nnlib-controls" }, exampleMenu.element, layerMenu.element), title, canvas, key, numbers);

  let drawnWidth = 0, columns = [];
  const redraw = (w = drawnWidth) => {
    try {
      drawnWidth = w;
      const pal = palette(root), e = model.get("example"), l = model.get("layer");
      const view = views[e + 1];
      title.textContent = e < 0
        ? `Whole batch of ${views.length - 1}: ∂C/∂W on the lines, the mean error δ = ∂C/∂b in the neurons; batch cost ${formatNumber(model.get("cost"), 4)}`
        : `${view.label[0].toUpperCase()}${view.label.slice(1)}: ∂Cₓ/∂W on the lines, its error δ in the neurons`;
      const cw = Math.min(w, MAX_WIDTH);
      columns = draw(sizeCanvas(canvas, cw, HEIGHT), cw, model, pal).xs;
      const output = view.neurons[L - 1].map((v) => formatSigned(v, 2)).join(", ");
      canvas.setAttribute("aria-label", `Network ${sizes.join(", ")}. ${title.textContent}. Layer ${l} is highlighted. ` +
        `${e < 0 ? "Mean output error" : "Output error"} δ${superscript(L)}: ${output}. The layer's numbers are in the tables below.`);
      key.replaceChildren(legend(pal, e));
      numbers.replaceChildren(...report(model));
    } catch (error) {
      stop();
      showError(el, error, WHAT);
    }
  };
  // a click between two columns picks that layer (the menu does the same from the keyboard)
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * Math.min(drawnWidth, MAX_WIDTH);
    for (let l = 1; l <= L; l++) if (x > columns[l - 1] + RADIUS && x <= columns[l] + RADIUS + 10) set("layer", l);
  });
  const onChange = () => {
    exampleMenu.set(String(model.get("example")));
    layerMenu.set(String(model.get("layer")));
    redraw();
  };
  for (const name of ["example", "layer"]) model.on(`change:${name}`, onChange);
  let stopWidth = () => {}, stopTheme = () => {};
  function stop() {
    stopWidth();
    stopTheme();
    for (const name of ["example", "layer"]) model.off(`change:${name}`, onChange);
  }
  stopWidth = watchWidth(root, redraw);
  stopTheme = watchTheme(() => redraw());
  return stop;
}

export default { render: guarded(WHAT, render) };
