// weight_scale.js: the front end of nnlib.widgets.inspectors.WeightScaleInspector (chapter
// "Forward propagation"). Python computed, for every weight scale sigma_w on the slider's grid,
// the histogram of each layer's activations, the share of saturated ones and the spread between
// examples; this module draws the histograms of the chosen scale, activation and depth.
//
// The model's state (see WeightScaleInspector): stds, activations, limits, margin, n_examples,
// width, max_layers, counts[activation][std][layer][bin], saturated[...][std][layer],
// spread[...][std][layer]; the controls std_index, layers and activation.

import { button, frame, guarded, h, palette, select, showError, slider } from "./ui.js";
import {
  addInspectorStyle, chartText, formatNumber, formatShare, niceCeil, signColors, sizeCanvas, superscript, watchTheme,
  watchWidth,
} from "./charts.js";

const WHAT = "The weight-scale explorer";
const MIN_PANEL = 116;   // narrowest histogram panel, CSS pixels
const LEFT = 54;         // room for the y axis' ticks and label
const HEAD = 4;          // above the first row
const PANEL = { top: 34, plot: 92, bottom: 34, gap: 8 };

/** Where each panel goes: as many columns as fit, at most one per layer. */
function layout(width, layers) {
  const columns = Math.max(1, Math.min(layers, Math.floor((width - LEFT - 4) / MIN_PANEL)));
  const rows = Math.ceil(layers / columns);
  const panelWidth = (width - LEFT - 4) / columns;
  const rowHeight = PANEL.top + PANEL.plot + PANEL.bottom + PANEL.gap;
  return { columns, rows, panelWidth, rowHeight, height: HEAD + rows * rowHeight };
}

function draw(ctx, width, state, pal) {
  const { stds, i, name, layers, limits, margin, counts, saturated } = state;
  const [lo, hi] = limits;
  const box = layout(width, layers);
  const blue = signColors(pal).positive;
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, box.height);

  const shown = counts.slice(0, layers);
  const total = shown[0].reduce((a, b) => a + b, 0) || 1;
  const top = niceCeil(Math.max(...shown.flat()) / total);
  for (let l = 0; l < layers; l++) {
    const row = Math.floor(l / box.columns), column = l % box.columns;
    const x0 = LEFT + column * box.panelWidth + 6, w = box.panelWidth - 14;
    const y0 = HEAD + row * box.rowHeight, plotTop = y0 + PANEL.top, plotBottom = plotTop + PANEL.plot;
    chartText(ctx, `layer ${l + 1}`, x0 + w / 2, y0 + 13, { size: 12, weight: "600", color: pal.text, align: "center" });
    chartText(ctx, `${formatShare(saturated[l])} saturated`, x0 + w / 2, y0 + 28,
      { size: 11, color: pal.text, align: "center" });
    // the saturated ends, then the bars, then the axes over them
    const px = (v) => x0 + ((v - lo) / (hi - lo)) * w;
    const py = (share) => plotBottom - (share / top) * PANEL.plot;
    ctx.fillStyle = pal.dark ? "rgba(213, 94, 0, 0.28)" : "rgba(213, 94, 0, 0.16)";
    const m = margin * (hi - lo);
    ctx.fillRect(px(lo), plotTop, px(lo + m) - px(lo), PANEL.plot);
    ctx.fillRect(px(hi - m), plotTop, px(hi) - px(hi - m), PANEL.plot);
    const bins = counts[l].length;
    ctx.fillStyle = blue;
    counts[l].forEach((c, b) => {
      if (c === 0) return;
      const left = x0 + (b / bins) * w, right = x0 + ((b + 1) / bins) * w;
      const y = Math.min(py(c / total), plotBottom - 1);          // a non-empty bin shows at least 1 px
      ctx.fillRect(left + 0.5, y, Math.max(1, right - left - 1), plotBottom - y);
    });
    ctx.strokeStyle = pal.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, plotTop + 0.5, w - 1, PANEL.plot);
    for (const v of [lo, (lo + hi) / 2, hi]) {
      ctx.beginPath();
      ctx.moveTo(px(v), plotBottom);
      ctx.lineTo(px(v), plotBottom + 4);
      ctx.stroke();
      chartText(ctx, formatNumber(v), Math.min(Math.max(px(v), x0 + 6), x0 + w - 6), plotBottom + 15,
        { size: 11, color: pal.text, align: "center" });
    }
    chartText(ctx, `activation a${superscript(l + 1)}`, x0 + w / 2, plotBottom + 29, { size: 11, color: pal.text, align: "center" });
    if (column === 0) {                                   // the shared y axis, once per row
      for (const share of [0, top / 2, top]) {
        chartText(ctx, `${formatNumber(100 * share)}%`, x0 - 5, py(share), { size: 11, color: pal.text, align: "right", baseline: "middle" });
      }
      chartText(ctx, "share of values", 11, (plotTop + plotBottom) / 2,
        { size: 11, color: pal.text, align: "center", baseline: "middle", angle: -Math.PI / 2 });
    }
  }
  return box.height;
}


/** One sentence for the readout and the picture's accessible name. */
function summary(state) {
  const { stds, i, name, layers, saturated, spread } = state;
  const worst = saturated.slice(0, layers).reduce((best, s, l) => (s > saturated[best] ? l : best), 0);
  const sat = saturated[worst] === 0
    ? "no activation is saturated in any layer"
    : `the most saturated layer is layer ${worst + 1}, with ${formatShare(saturated[worst])} of its activations saturated`;
  const first = formatNumber(spread[0]), last = formatNumber(spread[layers - 1]);
  const spreadText = layers === 1
    ? `the spread between examples is ${first}`
    : `the spread between examples goes from ${first} in layer 1 to ${last} in layer ${layers}`;
  return `σ_w = ${formatNumber(stds[i])}, ${layers} ${name} layer${layers === 1 ? "" : "s"}: ${sat}; ${spreadText}.`;
}

function table(state) {
  const { layers, saturated, spread } = state;
  const head = h("tr", {}, h("th", { scope: "col" }, "layer"),
    ...Array.from({ length: layers }, (_, l) => h("th", { scope: "col" }, String(l + 1))));
  const row = (label, values, format) => h("tr", {}, h("th", { scope: "row" }, label),
    ...values.slice(0, layers).map((v) => h("td", {}, format(v))));
  return h("div", { class: "nnlib-table-scroll", role: "region", tabindex: "0", "aria-label": "per-layer numbers" },
    h("table", { class: "nnlib-numbers" },
    h("caption", {}, "Per layer"),
    h("thead", {}, head),
    h("tbody", {}, row("saturated", saturated, formatShare), row("spread between examples", spread, (v) => formatNumber(v, 2)))));
}

function render({ model, el }) {
  addInspectorStyle();
  const root = frame(el, "Explore how the scale of the initial weights spreads or squeezes the activations, layer by layer");
  const stds = model.get("stds"), activations = model.get("activations"), width = model.get("width");
  const state = () => {
    const name = model.get("activation"), i = model.get("std_index"), layers = model.get("layers");
    return {
      stds, i, name, layers, width, n_examples: model.get("n_examples"),
      limits: model.get("limits")[name], margin: model.get("margin"),
      counts: model.get("counts")[name][i], saturated: model.get("saturated")[name][i],
      spread: model.get("spread")[name][i],
    };
  };
  const set = (key, value) => { model.set(key, value); model.save_changes(); };
  const scale = slider({ label: "weight std σ_w", min: 0, max: stds.length - 1, step: 1, value: model.get("std_index"),
    format: (k) => formatNumber(stds[k]), onInput: (k) => set("std_index", k) });
  const depth = slider({ label: "layers", min: 1, max: model.get("max_layers"), step: 1, value: model.get("layers"),
    onInput: (n) => set("layers", n) });
  const controls = [scale.element, depth.element];
  let menu = null;
  if (activations.length > 1) {
    menu = select({ label: "activation", options: activations.map((a) => [a, a]), value: model.get("activation"),
      onChange: (a) => set("activation", a) });
    controls.push(menu.element);
  }
  const nearest = (v) => stds.reduce((best, s, k) => (Math.abs(Math.log(s / v)) < Math.abs(Math.log(stds[best] / v)) ? k : best), 0);
  for (const [text, v, title] of [[`σ_w = 1/√${width}`, 1 / Math.sqrt(width), "the scaled Gaussian N(0, 1/n_in)"],
    ["σ_w = 1", 1, "the standard Gaussian N(0, 1)"]]) {
    const k = nearest(v);
    if (Math.abs(Math.log(stds[k] / v)) < 0.01) controls.push(button({ label: text, title, onClick: () => set("std_index", k) }));
  }
  const canvas = h("canvas", { role: "img" });
  const title = h("p", { class: "nnlib-chart-title" }), subtitle = h("p", { class: "nnlib-chart-subtitle" });
  const readout = h("p", { class: "nnlib-status", "aria-live": "polite" });
  const numbers = h("div");
  const note = h("p", { class: "nnlib-note" }, "Saturated: within 2% of either end of the range (shaded), " +
    "where the slope σ′ is below 8% of its largest value. Spread between examples: how much a neuron's output " +
    "changes from one example to the next (its standard deviation over the examples, averaged over the neurons).");
  root.append(h("div", { class: "nnlib-controls" }, controls), title, subtitle, canvas, readout, numbers, note);

  let drawnWidth = 0;
  const redraw = (w = drawnWidth) => {
    try {
      drawnWidth = w;
      const s = state(), pal = palette(root);
      const height = layout(w, s.layers).height;
      title.textContent = `Activations of each layer, weights from N(0, σ_w²) with σ_w = ${formatNumber(s.stds[s.i])}`;
      subtitle.textContent = `${s.layers} ${s.name} layer${s.layers === 1 ? "" : "s"} of ${s.width} neurons, ` +
        `biases 0, ${s.n_examples} examples; shaded: the saturated ends of the range`;
      draw(sizeCanvas(canvas, w, height), w, s, pal);
      const text = summary(s);
      readout.textContent = text;
      canvas.setAttribute("aria-label", `Histograms of the activations of layers 1 to ${s.layers}. ${text}`);
      numbers.replaceChildren(table(s));
    } catch (error) {
      stop();
      showError(el, error, WHAT);
    }
  };
  const onChange = () => {
    scale.set(model.get("std_index"));
    depth.set(model.get("layers"));
    if (menu) menu.set(model.get("activation"));
    redraw();
  };
  for (const key of ["std_index", "layers", "activation"]) model.on(`change:${key}`, onChange);
  let stopWidth = () => {}, stopTheme = () => {};
  function stop() {
    stopWidth();
    stopTheme();
    for (const key of ["std_index", "layers", "activation"]) model.off(`change:${key}`, onChange);
  }
  stopWidth = watchWidth(root, redraw);
  stopTheme = watchTheme(() => redraw());
  return stop;
}

export default { render: guarded(WHAT, render) };
