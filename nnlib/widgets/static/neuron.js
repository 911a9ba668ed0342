// neuron.js: the front end of nnlib.widgets.NeuronExplorer. One sigmoid neuron with two
// inputs, a = sigma(w1 x1 + w2 x2 + b), drawn over the input plane: its output as a colour
// map (orange "no" .. white 1/2 .. blue "yes"), the decision line z = 0 and the weight
// vector w, with a slider for each of w1, w2 and b. Everything is computed here, so it
// works on the website without Python; with a kernel, the sliders also set the widget's
// w1, w2 and b in Python.
import { frame, guarded, h, keepDrawn, mapColor, palette, setupCanvas, showError, slider } from "./ui.js";
import { Axes, FONT, SIZE, colorbar, drawField, formatG, formatValue } from "./chart.js";

/** nnlib.activations.sigmoid, written the same way: 0.5 tanh(z / 2) + 0.5 (never overflows). */
export function sigmoid(z) {
  return 0.5 * Math.tanh(0.5 * z) + 0.5;
}

/**
 * Where the line w1 x1 + w2 x2 + b = 0 crosses the square [-L, L]^2: two points
 * [[x1, x2], [x1, x2]], or null when the line misses the square (or w = 0: no line).
 */
export function decisionSegment(w1, w2, b, L) {
  const points = [];
  const add = (p) => {
    if (Math.abs(p[0]) <= L + 1e-12 && Math.abs(p[1]) <= L + 1e-12 &&
        !points.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 1e-9)) points.push(p);
  };
  if (w2 !== 0) for (const x1 of [-L, L]) add([x1, -(b + w1 * x1) / w2]);   // left and right edges
  if (w1 !== 0) for (const x2 of [-L, L]) add([-(b + w2 * x2) / w1, x2]);   // bottom and top edges
  return points.length >= 2 ? points.slice(0, 2) : null;
}

/** The readout under the picture: the numbers drawn, in words. */
export function describe(w1, w2, b, L) {
  const [v1, v2, vb] = [w1, w2, b].map(formatValue);
  const norm = Math.hypot(w1, w2);
  const signed = (v) => `${v < 0 ? "\u2212" : "+"} ${formatValue(Math.abs(v))}`;
  const start = `w = (${v1}, ${v2}), b = ${vb}: z = ${v1} x\u2081 ${signed(w2)} x\u2082 ${signed(b)}.`;
  if (norm === 0) {
    return `${start} With w = 0, z = b on the whole plane: the output is \u03c3(${vb}) = ` +
      `${formatG(sigmoid(b), 3)} everywhere, and there is no line.`;
  }
  const distance = formatG(Math.abs(b) / norm, 3);
  const where = decisionSegment(w1, w2, b, L) ? "" : ` It lies outside the square drawn, so the whole square is on one side.`;
  return `${start} The line z = 0 (output \u00bd) is at distance |b| / \u2016w\u2016 = ${distance} from the origin; ` +
    `w points to the side where a > \u00bd.${where}`;
}

const RESOLUTION = 121;   // grid points per side of the output map

function draw(canvas, root, model) {
  const pal = palette(root);
  const [w1, w2, b, L] = ["w1", "w2", "b", "limit"].map((k) => model.get(k));
  const width = Math.max(320, Math.min(560, root.clientWidth || 560));
  const height = Math.round(width * 0.84);
  const ctx = setupCanvas(canvas, width, height);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = `${SIZE.tick}px ${FONT}`;

  const left = 58, right = 86, top = 34, bottom = 52;
  const side = Math.min(width - left - right, height - top - bottom);
  const box = { x: left, y: top, w: side, h: side };
  const axes = new Axes(ctx, pal, box, [-L, L], [-L, L]);

  // the output a = sigma(w1 x1 + w2 x2 + b) at every grid point, coloured by 2a - 1 in [-1, 1]
  const grid = Array.from({ length: RESOLUTION }, (_, k) => -L + (2 * L * k) / (RESOLUTION - 1));
  drawField(ctx, RESOLUTION, RESOLUTION, (i, j) => mapColor(pal, 2 * sigmoid(w1 * grid[j] + w2 * grid[i] + b) - 1), box);

  const segment = decisionSegment(w1, w2, b, L);
  if (segment) {
    const lineColor = pal.dark ? "#f2f2f2" : "#000000";
    axes.line([segment[0][0], segment[1][0]], [segment[0][1], segment[1][1]], { color: lineColor, width: 2 });
    // w from the point of the line closest to the origin, p = -b w / |w|^2, one unit long
    const n2 = w1 * w1 + w2 * w2, norm = Math.sqrt(n2);
    const [p1, p2] = [(-b * w1) / n2, (-b * w2) / n2];
    // vermillion; a lighter one on the dark theme's darker blue and orange
    axes.arrow(p1, p2, p1 + w1 / norm, p2 + w2 / norm, { color: pal.dark ? "#ff8a4c" : pal.vermillion });
  }
  const ticks = [-L, -L / 2, 0, L / 2, L];
  axes.frame({
    title: `w = (${formatValue(w1)}, ${formatValue(w2)}), b = ${formatValue(b)}`,
    xlabel: "input x\u2081", ylabel: "input x\u2082", xticks: ticks, yticks: ticks,
  });
  colorbar(ctx, pal, { x: left + side + 14, y: top, w: 14, h: side }, 0, 1,
    (t) => mapColor(pal, 2 * t - 1), "neuron output a");

  const text = describe(w1, w2, b, L);
  canvas.setAttribute("aria-label",
    `The output of one sigmoid neuron over the input plane, x\u2081 and x\u2082 from ${formatValue(-L)} to ` +
    `${formatValue(L)}: blue where the output is near 1, orange near 0, white at \u00bd` +
    `${segment ? ", with the line z = 0 in black and the weight vector as an arrow" : ""}. ${text}`);
  return text;
}

function render({ model, el }) {
  const root = frame(el, "Neuron explorer: one sigmoid neuron's output over the input plane");
  const canvas = h("canvas", { role: "img" });
  const readout = h("p", { class: "nnlib-status nnlib-readout", "aria-live": "polite" });
  const [lo, hi, step] = model.get("slider_range");
  const sliders = {};
  for (const [key, label] of [["w1", "weight w\u2081"], ["w2", "weight w\u2082"], ["b", "bias b"]]) {
    sliders[key] = slider({
      label, min: lo, max: hi, step, value: model.get(key), format: formatValue,
      onInput: (v) => { model.set(key, v); model.save_changes(); },
    });
    sliders[key].input.dataset.name = key;
  }
  root.append(h("div", { class: "nnlib-controls" }, Object.values(sliders).map((s) => s.element)), canvas, readout);

  const redraw = () => {
    try {
      readout.textContent = draw(canvas, root, model);
    } catch (error) {
      showError(el, error, "The neuron explorer");   // a message, never a blank box
    }
  };
  const onChange = () => { for (const key in sliders) sliders[key].set(model.get(key)); redraw(); };
  return keepDrawn({ model, keys: ["w1", "w2", "b", "limit"], root, redraw, onChange });
}

export default { render: guarded("The neuron explorer", render) };
