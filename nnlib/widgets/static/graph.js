// graph.js: step through a computation graph, forward values first, then the backward pass.
// The front end of nnlib.widgets.graph.GraphWidget. Every number comes from Python, in the
// model's `trace` (nnlib.plot.graph.graph_trace): the nodes with their values, gradients and
// places, and the steps of both passes. This module only draws one step as SVG and moves
// between steps, so it works the same with a kernel and on the static website.

import { palette, h, button, slider, frame, guarded, onThemeChange } from "./ui.js";

const SVG_NS = "http://www.w3.org/2000/svg";
// Sizes in CSS pixels at full size. The picture may shrink to MIN_SCALE of that (then scrolls
// sideways), which keeps its smallest text (13 px) above 9 px.
const COL = 136, ROW = 80, BOX_W = 104, BOX_H = 62, MARGIN = 16, MIN_SCALE = 0.7;

/** An SVG element with attributes and children. */
function svgNode(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** Colours for one theme: the forward pass in blue, the backward pass in vermillion (lighter on dark pages). */
function graphColors(el) {
  const pal = palette(el);
  return {
    ...pal,
    forward: pal.dark ? pal.skyBlue : pal.blue,
    backward: pal.dark ? pal.orange : pal.vermillion,
    box: pal.dark ? "#25282d" : "#ffffff",
    badge: pal.dark ? "#33373d" : "#f2f2f2",
    edge: pal.dark ? "#8c8c8c" : "#6e6e6e",
  };
}

/** Where node i sits: the centre of its box, in pixels. */
function centre(node) {
  return [MARGIN + BOX_W / 2 + node.column * COL, MARGIN + BOX_H / 2 + node.row * ROW];
}

/** Edges parent -> child with an offset for repeated pairs (u * u draws two edges from u). */
function edgeList(nodes) {
  const edges = [];
  nodes.forEach((node, child) => {
    const seen = {};
    node.parents.forEach((parent, slot) => {
      const k = (seen[parent] = (seen[parent] || 0) + 1);
      const copies = node.parents.filter((p) => p === parent).length;
      edges.push({ parent, child, slot, bend: copies > 1 ? (k - (copies + 1) / 2) * 22 : 0 });
    });
  });
  return edges;
}

/** The SVG of the graph at step `s`. */
function drawStep(svg, trace, s, col) {
  const nodes = trace.nodes, step = trace.steps[s];
  const backward = step.phase === "backward";
  const active = step.node;
  const sends = backward ? step.sends : [];
  const grads = backward ? step.grad_texts : null;
  const width = 2 * MARGIN + BOX_W + (trace.columns - 1) * COL;
  const height = 2 * MARGIN + BOX_H + (trace.rows - 1) * ROW;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.style.maxWidth = `${width}px`;
  svg.style.minWidth = `${Math.round(MIN_SCALE * width)}px`;

  const marker = (id, color, reverse) =>
    svgNode("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 10, markerHeight: 10,
      markerUnits: "userSpaceOnUse", orient: reverse ? "auto-start-reverse" : "auto" },
    svgNode("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
  const uid = svg.dataset.uid;
  const parts = [svgNode("defs", {}, marker(`${uid}-e`, col.edge), marker(`${uid}-f`, col.forward),
    marker(`${uid}-b`, col.backward, true))];

  // edges first, under the boxes
  const labels = [];
  const sendCount = {};
  for (const e of edgeList(nodes)) {
    const [x0, y0] = centre(nodes[e.parent]), [x1, y1] = centre(nodes[e.child]);
    const ax = x0 + BOX_W / 2, bx = x1 - BOX_W / 2 - 2;
    const mx = (ax + bx) / 2, my = (y0 + y1) / 2 + e.bend;  // the middle of the (bent) edge
    const path = `M${ax},${y0} Q${mx},${my + e.bend} ${bx},${y1}`;
    const isForward = step.phase === "forward" && e.child === active;
    const isBackward = backward && e.child === active && sends.length > 0;
    const color = isForward ? col.forward : isBackward ? col.backward : col.edge;
    parts.push(svgNode("path", {
      d: path, fill: "none", stroke: color, "stroke-width": isForward || isBackward ? 3 : 1.4,
      "marker-end": isBackward ? null : `url(#${uid}-${isForward ? "f" : "e"})`,
      "marker-start": isBackward ? `url(#${uid}-b)` : null,
      "data-edge": `${e.parent}-${e.child}`, class: isForward || isBackward ? "nnlib-graph-active" : null,
    }));
    if (isBackward) {  // what this edge carries back, as a tag on the input's box: "+39"
      const k = (sendCount[e.parent] = (sendCount[e.parent] || 0) + 1);
      const sent = sends.filter(([p]) => p === e.parent)[k - 1];
      if (sent) labels.push([e.parent, k, `+${sent[1]}`.replace("+−", "−")]);
    }
  }

  nodes.forEach((node, i) => {
    const [cx, cy] = centre(node);
    const x = cx - BOX_W / 2, y = cy - BOX_H / 2;
    const computed = s >= node.computed_at;
    const current = i === active;
    const g = grads ? grads[i] : null;
    const partial = g !== null && s < node.complete_at;
    const accent = step.phase === "forward" ? col.forward : col.backward;
    const children = [
      svgNode("rect", { x, y, width: BOX_W, height: BOX_H, rx: 8, fill: col.box,
        stroke: current ? accent : computed ? col.muted : col.grid, "stroke-width": current ? 3.5 : 1.5,
        "stroke-dasharray": computed ? null : "5 4" }),
      svgNode("text", { x: cx, y: y + 19, "text-anchor": "middle", "font-size": 14, "font-weight": 700,
        fill: col.text }, node.name),
      svgNode("text", { x: cx, y: y + 37, "text-anchor": "middle", "font-size": 13, fill: computed ? col.text : col.muted,
        class: "nnlib-graph-value" }, computed ? `value ${node.value}` : "value ?"),
      svgNode("text", { x: cx, y: y + 54, "text-anchor": "middle", "font-size": 13,
        fill: g === null ? col.muted : col.text, "font-style": partial ? "italic" : null,
        "font-weight": current && backward ? 700 : null, class: "nnlib-graph-grad" },
        g === null ? "grad ?" : `grad ${g}${partial ? "…" : ""}`),
    ];
    if (node.op) {
      const r = node.op.length > 2 ? 15 : 11;
      children.push(svgNode("circle", { cx: x, cy: y, r, fill: col.badge, stroke: col.muted, "stroke-width": 1.2 }));
      children.push(svgNode("text", { x, y: y + 4.5, "text-anchor": "middle", "font-size": 13, fill: col.text }, node.op));
    }
    parts.push(svgNode("g", { "data-node": i, "data-name": node.name, class: current ? "nnlib-graph-current" : null },
      children));
  });

  const right = {};  // tags on one box are laid out from its right end leftwards
  for (const [i, , text] of labels) {
    const [cx, cy] = centre(nodes[i]);
    const w = 10 + 7.5 * text.length;
    const x1 = (right[i] ??= cx + BOX_W / 2 + 6);
    right[i] = x1 - w - 4;
    const y = cy - BOX_H / 2;
    parts.push(svgNode("g", { class: "nnlib-graph-sent", "data-to": i },
      svgNode("rect", { x: x1 - w, y: y - 11, width: w, height: 20, rx: 4, fill: col.box, stroke: col.backward,
        "stroke-width": 2 }),
      svgNode("text", { x: x1 - w / 2, y: y + 4, "text-anchor": "middle", "font-size": 13, "font-weight": 700,
        fill: col.text }, text)));
  }
  svg.replaceChildren(...parts);
}

function render({ model, el }) {
  const root = frame(el, model.get("title") || "A computation graph");
  const title = h("div", { class: "nnlib-graph-title", style: { fontWeight: "600" } }, model.get("title") || "");
  const svg = svgNode("svg", { role: "img", tabindex: 0, class: "nnlib-graph",
    "aria-label": "The computation graph. Left and right arrow keys step back and forward; Home and End go to the first and last step." });
  svg.dataset.uid = `nnlib-graph-${Math.random().toString(36).slice(2, 9)}`;
  Object.assign(svg.style, { width: "100%", height: "auto", display: "block" });
  const picture = h("div", { class: "nnlib-graph-picture", style: { overflowX: "auto" } }, svg);
  const status = h("p", { class: "nnlib-status", "aria-live": "polite", style: { margin: "0" } });
  const legend = h("p", { class: "nnlib-graph-legend", style: { margin: "0", fontSize: "13px" } },
    "Forward steps compute each value from its inputs (left to right). Backward steps send each node's gradient " +
    "back to its inputs, times the local derivative (right to left). A gradient ending in … has not received all " +
    "of its contributions yet.");

  const last = () => model.get("trace").steps.length - 1;
  const clamp = (s) => Math.max(0, Math.min(last(), Math.round(Number(s) || 0)));
  const go = (s) => {
    const next = clamp(s);
    if (next === model.get("step")) return;
    model.set("step", next);
    model.save_changes();
  };
  const start = button({ label: "« Start", onClick: () => go(0), title: "First step (Home)" });
  const back = button({ label: "◀ Back", onClick: () => go(model.get("step") - 1), title: "Previous step (left arrow)" });
  const next = button({ label: "Next ▶", onClick: () => go(model.get("step") + 1), title: "Next step (right arrow)",
    primary: true });
  const end = button({ label: "End »", onClick: () => go(last()), title: "Last step (End)" });
  const stepper = slider({ label: "Step", min: 0, max: last(), step: 1, value: clamp(model.get("step")),
    format: (v) => `${v} of ${last()}`, onInput: (v) => go(v) });
  const controls = h("div", { class: "nnlib-controls" }, start, back, next, end, stepper.element);

  svg.addEventListener("keydown", (event) => {
    const s = model.get("step");
    const target = { ArrowRight: s + 1, ArrowDown: s + 1, ArrowLeft: s - 1, ArrowUp: s - 1, Home: 0, End: last() }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    go(target);
  });

  const update = () => {
    const trace = model.get("trace");
    const s = clamp(model.get("step"));
    const step = trace.steps[s];
    drawStep(svg, trace, s, graphColors(el));
    const phase = { start: "Start", forward: "Forward pass", backward: "Backward pass" }[step.phase];
    status.textContent = `Step ${s} of ${last()}. ${phase}: ${step.text}`;
    stepper.input.max = String(last());
    stepper.set(s);
    start.disabled = back.disabled = s === 0;
    next.disabled = end.disabled = s === last();
  };
  const retitle = () => {
    title.textContent = model.get("title") || "";
    root.setAttribute("aria-label", model.get("title") || "A computation graph");
  };

  root.append(title, picture, status, controls, legend);
  update();
  model.on("change:step", update);
  model.on("change:trace", update);
  model.on("change:title", retitle);

  const stopWatchingTheme = onThemeChange(update);  // redraw in the other palette
  return () => {
    model.off("change:step", update);
    model.off("change:trace", update);
    model.off("change:title", retitle);
    stopWatchingTheme();
  };
}

export default { render: guarded("The computation graph", render) };
