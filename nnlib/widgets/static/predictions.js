// predictions.js: the front end of nnlib.widgets.inspectors.PredictionInspector (the capstone).
// Python chose some test images, ran the trained network on them and put the pixels, the true
// classes and the network's probabilities in the state; this module shows one image at a time
// with its probabilities as bars.
//
// The model's state (see PredictionInspector): images (base64 of uint8 pixels, side x side per
// image, row by row), side, test_indices, labels, predicted, probabilities[i][class]; the
// control position (which of the images is shown).

import { COLORS, button, frame, guarded, h, palette, showError, slider } from "./ui.js";
import { addInspectorStyle, chartText, formatShare, signColors, sizeCanvas, watchTheme, watchWidth } from "./charts.js";

const WHAT = "The prediction explorer";
const SCALE = 6;                              // screen pixels per image pixel (28 -> 168)
const BARS = { maxWidth: 560, height: 262, left: 50, right: 10, top: 26, bottom: 62 };

/** The pixels of every image, decoded once: a Uint8Array, side * side bytes per image. */
function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The digit, ink in the text colour on the page's background, one square per pixel (no blur). */
function drawDigit(canvas, pixels, side, i, pal) {
  const size = side * SCALE;
  const ctx = sizeCanvas(canvas, size, size);
  canvas.style.width = `${size}px`;            // never shrunk: its pixels stay whole
  const ink = pal.dark ? [230, 230, 230] : [20, 20, 20], paper = pal.dark ? [27, 29, 33] : [255, 255, 255];
  const image = new ImageData(side, side);
  for (let p = 0; p < side * side; p++) {
    const t = pixels[i * side * side + p] / 255;
    for (let k = 0; k < 3; k++) image.data[4 * p + k] = Math.round(paper[k] + (ink[k] - paper[k]) * t);
    image.data[4 * p + 3] = 255;
  }
  const tile = document.createElement("canvas");
  tile.width = side;
  tile.height = side;
  tile.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, size, size);
  ctx.strokeStyle = pal.muted;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
}

/** Ten bars, the true class orange and the others blue, each outlined so that it shows on any background. */
function drawBars(canvas, width, probabilities, truth, answer, pal) {
  const { height, left, right, top, bottom } = BARS;
  const ctx = sizeCanvas(canvas, width, height);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, height);
  const k = probabilities.length, plotWidth = width - left - right, plotHeight = height - top - bottom;
  const y = (p) => top + (1 - p) * plotHeight;
  ctx.lineWidth = 1;
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.strokeStyle = pal.grid;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(y(p)) + 0.5);
    ctx.lineTo(width - right, Math.round(y(p)) + 0.5);
    ctx.stroke();
    chartText(ctx, `${Math.round(100 * p)}%`, left - 6, y(p), { size: 11, color: pal.text, align: "right", baseline: "middle" });
  }
  chartText(ctx, "probability", 12, top + plotHeight / 2, { size: 12, color: pal.text, align: "center", baseline: "middle", angle: -Math.PI / 2 });
  const slot = plotWidth / k, barWidth = Math.min(34, slot * 0.7);
  const blue = signColors(pal).positive;
  probabilities.forEach((p, c) => {
    const x = left + slot * (c + 0.5);
    ctx.fillStyle = c === truth ? COLORS.orange : blue;
    ctx.strokeStyle = pal.text;
    const barTop = y(p), barHeight = Math.max(0, y(0) - barTop);
    if (barHeight >= 0.5) {
      ctx.fillRect(x - barWidth / 2, barTop, barWidth, barHeight);
      ctx.strokeRect(x - barWidth / 2 + 0.5, barTop + 0.5, barWidth - 1, Math.max(0, barHeight - 1));
    }
    if (p >= 0.005) chartText(ctx, formatShare(p), x, barTop - 5, { size: 11, color: pal.text, align: "center" });
    chartText(ctx, String(c), x, y(0) + 15, { size: 13, color: pal.text, align: "center", weight: c === truth || c === answer ? "700" : "normal" });
    if (c === truth) chartText(ctx, "true", x, y(0) + 29, { size: 11, color: pal.text, align: "center" });
    if (c === answer) chartText(ctx, "answer", x, y(0) + 42, { size: 11, color: pal.text, align: "center" });
  });
  ctx.strokeStyle = pal.text;
  ctx.beginPath();
  ctx.moveTo(left, Math.round(y(0)) + 0.5);
  ctx.lineTo(width - right, Math.round(y(0)) + 0.5);
  ctx.stroke();
  chartText(ctx, "digit", left + plotWidth / 2, height - 4, { size: 12, color: pal.text, align: "center" });
}

function render({ model, el }) {
  addInspectorStyle();
  const root = frame(el, "A test image and the probability the network gives each digit");
  const side = model.get("side"), indices = model.get("test_indices"), labels = model.get("labels");
  const predicted = model.get("predicted"), probabilities = model.get("probabilities");
  const pixels = decode(model.get("images"));
  const n = indices.length;
  if (pixels.length !== n * side * side) throw new Error(`expected ${n} images of ${side} x ${side} pixels, got ${pixels.length} bytes`);
  const set = (i) => { model.set("position", Math.max(0, Math.min(n - 1, i))); model.save_changes(); };
  const picker = slider({ label: "image", min: 0, max: n - 1, step: 1, value: model.get("position"),
    format: (i) => `${i + 1} of ${n}`, onInput: set });
  const previous = button({ label: "◀ previous", title: "the previous image", onClick: () => set(model.get("position") - 1) });
  const next = button({ label: "next ▶", title: "the next image", onClick: () => set(model.get("position") + 1) });
  previous.setAttribute("aria-label", "previous image");
  next.setAttribute("aria-label", "next image");
  const title = h("p", { class: "nnlib-chart-title" });
  const digit = h("canvas", { role: "img" });
  const bars = h("canvas", { role: "img" });
  const caption = h("p", { class: "nnlib-chart-subtitle" });
  const readout = h("p", { class: "nnlib-status", "aria-live": "polite" });
  const barBox = h("div", { style: { flex: "1 1 260px", minWidth: "0", maxWidth: `${BARS.maxWidth}px` } }, bars);
  root.append(
    h("div", { class: "nnlib-controls" }, picker.element, previous, next),
    title,
    h("div", { style: { display: "flex", flexWrap: "wrap", gap: "1rem 1.5rem", alignItems: "flex-start" } },
      h("div", {}, digit, caption), barBox),
    readout);

  let drawnWidth = 0;
  const redraw = () => {
    try {
      const i = model.get("position"), pal = palette(root);
      const truth = labels[i], answer = predicted[i], p = probabilities[i];
      const right = truth === answer;
      title.textContent = `The network says ${answer} (${formatShare(p[answer])}), the true digit is ${truth}: ` +
        (right ? "right" : "wrong");
      caption.textContent = `test image ${indices[i]}`;
      drawDigit(digit, pixels, side, i, pal);
      const width = Math.max(200, Math.min(BARS.maxWidth, Math.floor(barBox.getBoundingClientRect().width) || BARS.maxWidth));
      drawnWidth = width;
      drawBars(bars, width, p, truth, answer, pal);
      digit.setAttribute("aria-label", `Test image ${indices[i]}: a handwritten ${truth}.`);
      const [, second] = p.map((v, c) => [v, c]).sort((a, b) => b[0] - a[0]);
      const rest = right ? `the runner-up is ${second[1]} with ${formatShare(second[0])}`
        : second[1] === truth ? `the true digit ${truth} comes second with ${formatShare(p[truth])}`
          : `the true digit ${truth} gets ${formatShare(p[truth])}, the runner-up is ${second[1]} with ${formatShare(second[0])}`;
      const text = `Image ${i + 1} of ${n} (test image ${indices[i]}): the network says ${answer} with probability ` +
        `${formatShare(p[answer])}; ${rest}.`;
      readout.textContent = text;
      bars.setAttribute("aria-label", `Bar chart of the probability of each digit, 0 to 9. ${text}`);
      previous.disabled = i === 0;
      next.disabled = i === n - 1;
    } catch (error) {
      stop();
      showError(el, error, WHAT);
    }
  };
  const onChange = () => { picker.set(model.get("position")); redraw(); };
  model.on("change:position", onChange);
  let stopWidth = () => {}, stopTheme = () => {};
  function stop() {
    stopWidth();
    stopTheme();
    model.off("change:position", onChange);
  }
  stopWidth = watchWidth(barBox, (w) => { if (w !== drawnWidth) redraw(); });
  stopTheme = watchTheme(redraw);
  return stop;
}

export default { render: guarded(WHAT, render) };
