// dashboard.js: the front end of nnlib.widgets.dashboard.TrainingDashboard, the live view of
// nnlib.fit. Python sends numbers (nnlib/widgets/dashboard_widget.py lists them); this module
// draws them on canvas: the loss and accuracy curves per epoch, the epoch and the latest
// numbers, and for 2-D inputs the decision map with the data points. After training, a
// slider and a Play button replay the epochs the dashboard recorded, with or without a kernel.
//
// Where the numbers come from:
//   model traits  the state at the start and at the end of a fit (a saved notebook keeps them)
//   msg:custom    during a fit: {type: "update", start, history} with the new grid as a
//                 binary buffer, and {type: "progress", epoch, batch, batches}
import { COLORS, palette, mapColor, setupCanvas, drawMap, h, slider, button, frame, showError, guarded } from "./ui.js";

const WHAT = "The training dashboard";
const KEYS = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"];
const TRAITS = ["run", "status", "reason", "epochs", "history", "map", "grid", "frame_ends", "frame_grids"];
const REPLAY_FPS = 6;
const CURVE_SIZE = [320, 210];
const MAP_SIZE = [270, 250];
const FONT = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
const TITLE_FONT = "600 13px system-ui, -apple-system, 'Segoe UI', sans-serif";
// Classes as in nnlib/plot/style.py: CLASS_COLORS and CLASS_MARKERS (o, s, ^, D, v).
const CLASS_COLORS = [COLORS.orange, COLORS.blue, COLORS.green, COLORS.vermillion, COLORS.purple, COLORS.skyBlue];
const MARKERS = ["circle", "square", "triangle", "diamond", "down"];
const MARKER_NAMES = { circle: "circles", square: "squares", triangle: "triangles", diamond: "diamonds", down: "down-triangles" };
const COLOR_NAMES = ["orange", "blue", "green", "vermillion", "purple", "sky blue"];

// Columns of at least 250 px: the 12 px text of a 320 px canvas stays above 9 px when it shrinks.
const DASHBOARD_STYLE = `
.nnlib-frame [hidden] { display: none !important; }
.nnlib-dash-head { display: flex; flex-wrap: wrap; gap: .2rem 1rem; align-items: center;
  font-variant-numeric: tabular-nums; }
.nnlib-dash-head progress { width: 9rem; accent-color: #0072B2; }
.nnlib-dash-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr));
  gap: .5rem 1rem; align-items: start; max-width: 960px; }
.nnlib-dash-panels canvas { border-radius: 3px; }
.nnlib-dash-legend { font-size: .85em; margin: .2rem 0 0; max-width: 320px; }
.nnlib-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
`;

// --- numbers ---------------------------------------------------------------------------

/** Bytes from whatever the widget manager hands over: DataView, typed array, ArrayBuffer, or a list. */
function bytesOf(value) {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (Array.isArray(value)) return Uint8Array.from(value);
  throw new TypeError(`expected bytes, got ${typeof value}`);
}

const finite = (v) => typeof v === "number" && Number.isFinite(v);

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const f = raw / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}

/** Round tick values from lo to hi, about `count` of them. */
function ticks(lo, hi, count, integer = false) {
  if (!(hi > lo)) return [lo];
  let step = niceStep(hi - lo, count);
  if (integer) step = Math.max(1, Math.round(step));
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** The first round number at or above v (the top of an axis that grows in round steps). */
function niceTop(v) {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const step = niceStep(v, 4);
  return Math.ceil(v / step - 1e-9) * step;
}

const fmtLoss = (v) => (!finite(v) ? "–" : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(3));
const fmtAcc = (v) => (finite(v) ? `${(100 * v).toFixed(1)} %` : "–");
const fmtTick = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(+v.toPrecision(4)));

// --- drawing -----------------------------------------------------------------------------

/**
 * The canvas's context in CSS pixels, cleared. The canvas is sized (setupCanvas) only when its size
 * or the screen's pixel density changed: resizing it at every redraw costs more than the drawing.
 */
function context(canvas, W, H) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(W * ratio) || canvas.height !== Math.round(H * ratio)) return setupCanvas(canvas, W, H);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, W, H);
  return ctx;
}

/** Colours of the two curves, 3:1 contrast or more on the background in either mode. */
function lineColors(pal) {
  return pal.dark ? { train: COLORS.skyBlue, val: COLORS.orange } : { train: COLORS.blue, val: "#B36B00" };
}

/** Axes in the box (x0, y0, w, h): grid lines, ticks with labels, axis titles and the panel title. */
function drawAxes(ctx, pal, box, { title, xlabel, ylabel, xticks, yticks, X, Y, yfmt = fmtTick, grid = true }) {
  const { x0, y0, w, h } = box;
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.grid;
  ctx.fillStyle = pal.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of yticks) {
    const y = Math.round(Y(v)) + 0.5;
    if (grid) { ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x0 + w, y); ctx.stroke(); }
    ctx.fillText(yfmt(v), x0 - 5, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of xticks) {
    const x = Math.round(X(v)) + 0.5;
    if (grid) { ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y0 + h); ctx.stroke(); }
    ctx.fillText(fmtTick(v), x, y0 + h + 4);
  }
  ctx.strokeStyle = pal.muted;
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, w - 1, h - 1);
  ctx.fillStyle = pal.text;
  ctx.fillText(xlabel, x0 + w / 2, y0 + h + 19);
  ctx.save();
  ctx.translate(12, y0 + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(ylabel, 0, 0);
  ctx.restore();
  ctx.font = TITLE_FONT;
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(title, x0, y0 - 8);
}

function drawWaiting(ctx, pal, box, text) {
  ctx.font = FONT;
  const x = box.x0 + box.w / 2, y = box.y0 + box.h / 2, width = ctx.measureText(text).width + 12;
  ctx.fillStyle = pal.background;
  ctx.fillRect(x - width / 2, y - 10, width, 20);
  ctx.fillStyle = pal.muted;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x, y);
}

/**
 * One panel of curves, epoch on x: training solid, validation dashed, each with a dot at its
 * newest point. `series` is a list of {values, color, dash, label}; values[i] belongs to epochs[i].
 */
function drawCurves(canvas, pal, { title, ylabel, series, epochs, n, xmax, ytop, yfmt, waiting, legendAt = "top" }) {
  const [W, H] = CURVE_SIZE;
  const ctx = context(canvas, W, H);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, W, H);
  const box = { x0: 52, y0: 26, w: W - 52 - 12, h: H - 26 - 40 };
  const X = (v) => box.x0 + (v / xmax) * box.w;
  const Y = (v) => box.y0 + box.h - (Math.min(Math.max(v, 0), ytop) / ytop) * box.h;
  drawAxes(ctx, pal, box, { title, xlabel: "epoch", ylabel, xticks: ticks(0, xmax, 4, true), yticks: ticks(0, ytop, 4), X, Y, yfmt });
  const drawn = series.filter((s) => s.values.slice(0, n).some(finite));
  if (!drawn.length) return drawWaiting(ctx, pal, box, waiting);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x0, box.y0 - 4, box.w + 4, box.h + 4);
  ctx.clip();
  ctx.lineJoin = "round";
  for (const s of drawn) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ? [6, 4] : []);
    ctx.beginPath();
    let open = false, last = -1;
    for (let i = 0; i < Math.min(n, s.values.length); i++) {
      const v = s.values[i];
      if (!finite(v)) { open = false; continue; }
      const x = X(epochs[i]), y = Y(v);
      if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      open = true;
      last = i;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (last >= 0) { ctx.beginPath(); ctx.arc(X(epochs[last]), Y(s.values[last]), 3, 0, 2 * Math.PI); ctx.fill(); }
  }
  ctx.restore();
  // legend, at the top right (loss falls) or bottom right (accuracy rises) inside the plot
  ctx.font = FONT;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const top = legendAt === "top" ? box.y0 + 3 : box.y0 + box.h - 3 - 18 * drawn.length - 2;
  let y = top + 9;
  const width = Math.max(...drawn.map((s) => ctx.measureText(s.label).width)) + 34;
  ctx.fillStyle = pal.background;
  ctx.globalAlpha = 0.85;
  ctx.fillRect(box.x0 + box.w - width - 6, top, width + 3, 18 * drawn.length + 2);
  ctx.globalAlpha = 1;
  for (const s of drawn) {
    const x = box.x0 + box.w - width;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ? [6, 4] : []);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 24, y); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = pal.text;
    ctx.fillText(s.label, x + 30, y);
    y += 18;
  }
}

/** A class's marker at (x, y), radius r. */
function marker(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "circle") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (shape === "square") ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
  else if (shape === "diamond") { ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r, y); }
  else {
    const s = shape === "down" ? -1 : 1;
    ctx.moveTo(x, y - s * r * 1.15); ctx.lineTo(x + r, y + s * r * 0.75); ctx.lineTo(x - r, y + s * r * 0.75);
  }
  ctx.closePath();
}

/** The winning class's colour of every grid point, paler where it barely wins (as plot.decision). */
function drawClassMap(ctx, pal, bytes, r, x, y, w, h) {
  const image = new ImageData(r, r);
  const rgb = CLASS_COLORS.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      const cls = rgb[bytes[i * r + j] % rgb.length], lead = (0.55 * bytes[r * r + i * r + j]) / 255;
      const p = 4 * ((r - 1 - i) * r + j);                  // row 0 is the bottom
      for (let k = 0; k < 3; k++) image.data[p + k] = Math.round(pal.middle[k] + (cls[k] - pal.middle[k]) * lead);
      image.data[p + 3] = 255;
    }
  const tile = document.createElement("canvas");
  tile.width = r; tile.height = r;
  tile.getContext("2d").putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, x, y, w, h);
  ctx.restore();
}

/** The decision map: the grid of outputs (if any yet) and the data points on top. */
function drawDecision(canvas, pal, map, grid, waiting) {
  const [W, H] = MAP_SIZE;
  const ctx = context(canvas, W, H);
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, W, H);
  const r = map.resolution;
  const [xa, xb] = map.xlim, [ya, yb] = map.ylim;
  const dx = (xb - xa) / (r - 1), dy = (yb - ya) / (r - 1);     // pixel centres are the grid points
  const ex = [xa - dx / 2, xb + dx / 2], ey = [ya - dy / 2, yb + dy / 2];
  const box = { x0: 44, y0: 26, w: W - 44 - 12, h: H - 26 - 40 };
  const X = (v) => box.x0 + ((v - ex[0]) / (ex[1] - ex[0])) * box.w;
  const Y = (v) => box.y0 + box.h - ((v - ey[0]) / (ey[1] - ey[0])) * box.h;
  if (grid.length) {
    if (map.kind === "classes") drawClassMap(ctx, pal, grid, r, box.x0, box.y0, box.w, box.h);
    else drawMap(ctx, pal, Array.from(grid, (b) => (b - 127) / 127), r, box.x0, box.y0, box.w, box.h);
  } else {
    ctx.fillStyle = `rgb(${pal.middle.join(",")})`;
    ctx.fillRect(box.x0, box.y0, box.w, box.h);
  }
  const title = map.kind === "scalar" && !map.labels ? "network output" : "decision map";
  drawAxes(ctx, pal, box, {
    title, xlabel: "x₁", ylabel: "x₂", xticks: ticks(ex[0], ex[1], 4), yticks: ticks(ey[0], ey[1], 4), X, Y, grid: false,
  });
  // The data points do not change during a fit: drawn once into a layer of their own, which
  // every redraw copies (hundreds of outlined markers cost more than the rest of the picture).
  const ratio = window.devicePixelRatio || 1;
  const key = `${pal.dark}|${ratio}|${W}x${H}`;
  let layer = POINT_LAYERS.get(map);
  if (!layer || layer.key !== key) {
    const c = document.createElement("canvas");
    c.width = Math.round(W * ratio); c.height = Math.round(H * ratio);
    const lc = c.getContext("2d");
    lc.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawPoints(lc, pal, map, box, X, Y);
    POINT_LAYERS.set(map, (layer = { key, canvas: c }));
  }
  ctx.drawImage(layer.canvas, 0, 0, W, H);
  if (!grid.length) drawWaiting(ctx, pal, box, waiting);
}

/** Each data set's layer of points (see drawDecision), forgotten with the data set. */
const POINT_LAYERS = new WeakMap();

/** The data points of the decision map, each a class's marker or a dot of its value's colour. */
function drawPoints(ctx, pal, map, box, X, Y) {
  const edge = pal.dark ? "#f2f2f2" : "#222222";
  ctx.beginPath();
  ctx.rect(box.x0, box.y0, box.w, box.h);
  ctx.clip();
  for (let i = 0; i < map.x.length; i++) {
    const label = map.labels ? map.labels[i] : null;
    const shape = label === null ? "circle" : MARKERS[label % MARKERS.length];
    const fill = label !== null ? CLASS_COLORS[label % CLASS_COLORS.length]
      : map.values ? `rgb(${mapColor(pal, map.values[i]).join(",")})` : pal.muted;
    marker(ctx, shape, X(map.x[i]), Y(map.y[i]), 3.6);
    if (pal.dark) { ctx.lineWidth = 3; ctx.strokeStyle = "#111111"; ctx.stroke(); }  // a ring that shows on any colour
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = edge;
    ctx.stroke();
  }
}

// --- the widget ----------------------------------------------------------------------------

function render({ model, el }) {
  if (!document.getElementById("nnlib-dashboard-style")) {
    document.head.append(h("style", { id: "nnlib-dashboard-style" }, DASHBOARD_STYLE));
  }
  const root = frame(el, "Training dashboard");
  let failed = false;
  const safe = (f) => (...args) => {
    if (failed) return undefined;
    try {
      return f(...args);
    } catch (error) {
      failed = true;
      cleanup();
      showError(el, error, WHAT);
      return undefined;
    }
  };

  // what is shown
  const S = { run: 0, status: "waiting", epochs: 0, hist: {}, map: {}, grid: new Uint8Array(0),
    frameEnds: [], frameGrids: new Uint8Array(0), frame: null, progress: null };
  let draws = 0, pending = false, timer = null, announced = "", watched = false;

  // the page: status line with a progress bar, the panels, the map's key, the replay controls
  const progressId = `nnlib-dash-progress-${Math.random().toString(36).slice(2, 9)}`;
  const bar = h("progress", { id: progressId, max: 1, value: 0 });
  const status = h("span", { class: "nnlib-dash-status" });
  const numbers = h("span", { class: "nnlib-dash-numbers" });
  const live = h("div", { class: "nnlib-sr-only", "aria-live": "polite" });
  const canvas = (panel, label) => h("canvas", { role: "img", "aria-label": label, "data-panel": panel });
  const lossCanvas = canvas("loss", "loss per epoch"), accCanvas = canvas("accuracy", "accuracy per epoch");
  const mapCanvas = canvas("map", "decision map");
  const legend = h("p", { class: "nnlib-dash-legend" });
  const accPanel = h("div", { class: "nnlib-dash-panel" }, accCanvas);
  const mapPanel = h("div", { class: "nnlib-dash-panel" }, mapCanvas, legend);
  const replay = slider({
    label: "replay: epoch", min: 0, max: 0, step: 1, value: 0,
    format: (i) => (S.frameEnds.length ? `${epochAt(S.frameEnds[i] || 0)} of ${lastEpoch()}` : "–"),
    onInput: safe((i) => { stop(); show(i); }),
  });
  const play = button({ label: "Play", onClick: safe(() => (timer ? stop() : start())), title: "Replay the recorded epochs" });
  const controls = h("div", { class: "nnlib-controls", hidden: true }, replay.element, play);
  root.append(
    h("div", { class: "nnlib-dash-head" }, h("label", { for: progressId }, "epoch"), bar, status, numbers),
    h("div", { class: "nnlib-dash-panels" }, h("div", { class: "nnlib-dash-panel" }, lossCanvas), accPanel, mapPanel),
    controls, live,
  );

  const epochAt = (n) => (n > 0 ? S.hist.epoch[n - 1] : 0);
  const lastEpoch = () => epochAt(S.hist.epoch.length);
  const gridSize = () => (S.map.kind ? (S.map.kind === "classes" ? 2 : 1) * S.map.resolution ** 2 : 0);

  function checkGrid(bytes, what) {
    const size = gridSize();
    if (bytes.length && bytes.length !== size) throw new Error(`${what} has ${bytes.length} bytes, expected ${size} for the map`);
    return bytes;
  }

  // --- state from the model's traits (start and end of a fit; a saved notebook) ---
  function read() {
    const run = model.get("run") || 0;
    S.status = model.get("status") || "waiting";
    S.reason = model.get("reason") || "";
    S.epochs = model.get("epochs") || 0;
    S.map = model.get("map") || {};
    const history = model.get("history") || {};
    S.hist = Object.fromEntries(KEYS.map((k) => [k, Array.isArray(history[k]) ? history[k].slice() : []]));
    S.grid = checkGrid(bytesOf(model.get("grid")), "the grid");
    S.frameEnds = model.get("frame_ends") || [];
    S.frameGrids = bytesOf(model.get("frame_grids"));
    if (S.map.kind && S.frameGrids.length !== S.frameEnds.length * gridSize())
      throw new Error(`frame_grids has ${S.frameGrids.length} bytes, expected ${S.frameEnds.length} frames of ${gridSize()}`);
    if (run !== S.run) { S.run = run; stop(); }
    S.progress = null;
    const finished = S.status === "done" || S.status === "stopped";
    controls.hidden = !(finished && S.frameEnds.length >= 2);
    if (!controls.hidden) {
      replay.input.max = S.frameEnds.length - 1;
      if (S.frame === null || S.frame > S.frameEnds.length - 1) S.frame = S.frameEnds.length - 1;
      replay.set(S.frame);
    } else {
      S.frame = null;
    }
    schedule();
  }

  // --- changes during a fit ---
  function message(msg, buffers) {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "update") {
      const start = Number(msg.start) || 0;
      for (const k of KEYS) {
        const added = (msg.history && msg.history[k]) || [];
        if (!added.length) continue;
        const list = S.hist[k];
        if (list.length > start) list.length = start;
        while (list.length < start) list.push(k === "epoch" ? list.length + 1 : null);  // a view opened mid-fit
        list.push(...added);
      }
      if (buffers && buffers.length) S.grid = checkGrid(bytesOf(buffers[0]), "the new grid");
      S.status = "training";
      S.progress = null;
      schedule();
    } else if (msg.type === "progress") {
      S.progress = msg;
      schedule();
    }
  }

  // --- replay ---
  function show(i) {
    S.frame = Math.max(0, Math.min(S.frameEnds.length - 1, i));
    replay.set(S.frame);
    schedule();
  }
  function start() {
    if (S.frame === null || S.frame >= S.frameEnds.length - 1) show(0);
    play.textContent = "Pause";
    timer = setInterval(safe(() => {
      if (S.frame >= S.frameEnds.length - 1) stop();
      else show(S.frame + 1);
    }), 1000 / REPLAY_FPS);
  }
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }

  // --- drawing ---
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(safe(draw));
  }

  function draw() {
    pending = false;
    const pal = palette(root);
    const colors = lineColors(pal);
    const total = S.hist.epoch.length;
    const replaying = S.frame !== null && !controls.hidden;
    const n = replaying ? Math.min(total, S.frameEnds[S.frame]) : total;
    const grid = replaying && S.map.kind ? S.frameGrids.subarray(S.frame * gridSize(), (S.frame + 1) * gridSize()) : S.grid;
    const epochs = S.hist.epoch;
    const xmax = Math.max(S.epochs, lastEpoch(), 1);
    const waiting = S.status === "training" || S.status === "waiting" ? "waiting for the first epoch…" : "no data";
    const value = (k) => (n > 0 && finite(S.hist[k][n - 1]) ? S.hist[k][n - 1] : null);

    // the status line
    const current = epochAt(n);
    let text;
    if (S.status === "waiting" || (S.status === "training" && !total && !S.progress)) text = "waiting for the first epoch…";
    else if (replaying && S.frame < S.frameEnds.length - 1) text = `replay: epoch ${current} of ${lastEpoch()}`;
    else if (S.status === "done") text = `done: ${current} of ${S.epochs} epochs`;
    else if (S.status === "stopped") text = `stopped after ${current} of ${S.epochs} epochs${S.reason ? `: ${S.reason}` : ""}`;
    else if (S.progress) text = `training: epoch ${S.progress.epoch} of ${S.epochs}, batch ${S.progress.batch} of ${S.progress.batches}`;
    else text = `training: ${current} of ${S.epochs} epochs`;
    status.textContent = text;
    const done = S.progress ? S.progress.epoch - 1 + S.progress.batch / S.progress.batches : current;
    bar.max = Math.max(1, S.epochs);
    bar.value = Math.min(bar.max, done);
    bar.setAttribute("aria-valuetext", `${current} of ${S.epochs} epochs`);
    const shown = [["loss", "loss", fmtLoss], ["val_loss", "validation loss", fmtLoss],
      ["accuracy", "accuracy", fmtAcc], ["val_accuracy", "validation accuracy", fmtAcc]]
      .filter(([k]) => value(k) !== null).map(([k, label, f]) => `${label} ${f(value(k))}`);
    numbers.textContent = shown.join(" · ");

    // the curves
    const top = niceTop(Math.max(0, ...S.hist.loss.filter(finite), ...S.hist.val_loss.filter(finite)));
    const series = (key) => [
      { values: S.hist[key], color: colors.train, dash: false, label: "training" },
      { values: S.hist[`val_${key}`], color: colors.val, dash: true, label: "validation" },
    ];
    drawCurves(lossCanvas, pal, { title: "loss", ylabel: "loss", series: series("loss"), epochs, n, xmax, ytop: top, yfmt: fmtTick, waiting });
    lossCanvas.setAttribute("aria-label", describe("Loss", "loss", n, fmtLoss));
    // class labels on the map announce accuracy curves: keep their place while waiting
    const hasAccuracy = [...S.hist.accuracy, ...S.hist.val_accuracy].some(finite) || (!total && !!S.map.labels);
    accPanel.hidden = !hasAccuracy;
    if (hasAccuracy) {
      drawCurves(accCanvas, pal, { title: "accuracy", ylabel: "accuracy", series: series("accuracy"), epochs, n, xmax, ytop: 1,
        yfmt: (v) => `${Math.round(100 * v)} %`, waiting, legendAt: "bottom" });
      accCanvas.setAttribute("aria-label", describe("Accuracy", "accuracy", n, fmtAcc));
    }

    // the decision map
    mapPanel.hidden = !S.map.kind;
    if (S.map.kind) {
      drawDecision(mapCanvas, pal, S.map, grid, waiting);
      mapCanvas.setAttribute("aria-label", `${mapKey()} Shown for epoch ${current}.`);
      legend.textContent = mapKey();
    }

    // a screen reader hears the end of a fit it watched, once, not every redraw (nor a saved page's)
    if (S.status === "training") watched = true;
    const finished = !replaying || S.frame === S.frameEnds.length - 1;
    if (watched && (S.status === "done" || S.status === "stopped") && finished) {
      const news = `Training ${S.status === "done" ? "finished" : "stopped early"} after ${current} epochs${S.reason ? ` (${S.reason})` : ""}. ${shown.join(", ")}.`;
      if (news !== announced) live.textContent = announced = news;
    }
    draws += 1;
    root.dataset.draws = String(draws);
    root.dataset.epoch = String(current);
    root.dataset.status = S.status;
  }

  /** The alternative text of a panel of curves. */
  function describe(title, key, n, fmt) {
    const parts = [["training", key], ["validation", `val_${key}`]].map(([label, k]) => {
      const values = S.hist[k].slice(0, n).filter(finite);
      return values.length ? `${label} ${fmt(values[0])} at the first epoch, ${fmt(values[values.length - 1])} now` : null;
    }).filter(Boolean);
    return `${title} per epoch, ${n} epochs so far` + (parts.length ? `: ${parts.join("; ")}.` : ".");
  }

  /** What the colours and shapes of the map mean, in words. */
  function mapKey() {
    const m = S.map;
    let background;
    if (m.kind === "classes") background = "Background: the class the network picks, paler where it barely wins.";
    else background = `Background: the network's output from ${fmtTick(m.range[0])} (orange) to ${fmtTick(m.range[1])} (blue).`;
    let points = "Points: training data";
    if (m.labels) {
      const classes = [...new Set(m.labels)].sort((a, b) => a - b);
      points += ", " + classes.map((c) => `class ${c} ${COLOR_NAMES[c % COLOR_NAMES.length]} ${MARKER_NAMES[MARKERS[c % MARKERS.length]]}`).join(", ");
    } else if (m.values) points += ", coloured by their target on the same scale";
    return `${background} ${points}.`;
  }

  // redraw when the page switches between light and dark
  const themes = new MutationObserver(safe(schedule));
  themes.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-mode", "class"] });
  if (document.body) themes.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "class"] });
  const media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const onMedia = safe(schedule);
  if (media && media.addEventListener) media.addEventListener("change", onMedia);

  const onChange = safe(read);
  const onMessage = safe(message);
  for (const key of TRAITS) model.on(`change:${key}`, onChange);
  model.on("msg:custom", onMessage);

  function cleanup() {
    stop();
    themes.disconnect();
    if (media && media.removeEventListener) media.removeEventListener("change", onMedia);
    for (const key of TRAITS) model.off(`change:${key}`, onChange);
    model.off("msg:custom", onMessage);
  }

  onChange();
  return cleanup;
}

export default { render: guarded(WHAT, render) };
