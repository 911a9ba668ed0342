// ui.js: what every widget front end shares. Canvases sharp on high-DPI screens, the
// book's colours in light and dark mode, labelled controls that work from the keyboard,
// and an error box instead of a blank one. A plain ES module with named exports; the
// widgets import it (nnlib/widgets/esm.py joins the files into one module).

// --- colours ---------------------------------------------------------------------------
// Okabe & Ito, as in nnlib/plot/style.py: orange is class 0 or a low output, blue class 1,
// a high output or a positive weight, vermillion a negative weight.
export const COLORS = Object.freeze({
  blue: "#0072B2", orange: "#E69F00", green: "#009E73", vermillion: "#D55E00",
  purple: "#CC79A7", skyBlue: "#56B4E9",
});

/** True when the page around `el` is dark: the book's theme, JupyterLab, VS Code, or the OS. */
export function isDark(el) {
  const html = document.documentElement, body = document.body;
  const theme = html.dataset.theme || html.getAttribute("data-mode");
  if (theme === "dark") return true;
  if (theme === "light") return false;
  if (body && body.dataset.jpThemeLight !== undefined) return body.dataset.jpThemeLight === "false";
  if (body && (body.classList.contains("vscode-dark") || body.classList.contains("vscode-high-contrast"))) return true;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {   // the background we sit on
    const rgb = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) || []).map(Number);
    if (rgb.length >= 3 && (rgb.length < 4 || rgb[3] > 0)) return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 110;
  }
  // no background anywhere: the browser's own, which is dark only where the page allows a dark
  // colour scheme and the reader prefers it (a light page stays white in a dark OS)
  const scheme = getComputedStyle(html).colorScheme || "";
  return scheme.includes("dark") && !!window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Colours for drawing on a canvas: text, faint lines, the background, and the map's ends. */
export function palette(el) {
  const dark = isDark(el);
  return {
    dark,
    text: dark ? "#e6e6e6" : "#222222",
    muted: dark ? "#a8a8a8" : "#595959",
    grid: dark ? "#444444" : "#dddddd",
    background: dark ? "#1b1d21" : "#ffffff",
    ...COLORS,
    // a map's colours: low (orange side), middle, high (blue side); as DECISION_CMAP in plot/style.py
    low: dark ? [196, 140, 30] : [242, 197, 107],
    middle: dark ? [40, 42, 46] : [255, 255, 255],
    high: dark ? [40, 110, 170] : [111, 168, 211],
  };
}

/** An [r, g, b] for `v` in [-1, 1]: pal.low at -1, pal.middle at 0, pal.high at 1. */
export function mapColor(pal, v) {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const [from, to, s] = t < 0 ? [pal.middle, pal.low, -t] : [pal.middle, pal.high, t];
  return [0, 1, 2].map((k) => Math.round(from[k] + (to[k] - from[k]) * s));
}

// --- canvases --------------------------------------------------------------------------

/** Size a canvas for the screen's pixel density; returns its 2-D context in CSS pixels. */
export function setupCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = "100%";
  canvas.style.maxWidth = `${width}px`;
  canvas.style.aspectRatio = `${width} / ${height}`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/**
 * Draw an r x r grid of values in [-1, 1] into the box (x, y, w, h), row 0 at the bottom
 * (as imshow(origin="lower")). `values[i * r + j]` is the point (axis[j], axis[i]).
 */
export function drawMap(ctx, pal, values, r, x, y, w, h) {
  const image = new ImageData(r, r);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      const [red, green, blue] = mapColor(pal, values[i * r + j]);
      const p = 4 * ((r - 1 - i) * r + j);                  // flip: row 0 is the bottom
      image.data[p] = red; image.data[p + 1] = green; image.data[p + 2] = blue; image.data[p + 3] = 255;
    }
  const tile = drawMap.tile || (drawMap.tile = document.createElement("canvas"));
  tile.width = r; tile.height = r;
  tile.getContext("2d").putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, x, y, w, h);
  ctx.restore();
}

// --- controls --------------------------------------------------------------------------
let counter = 0;
const uid = (stem) => `nnlib-${stem}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

/** An element with class names and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") el.className = v;
    else if (k === "style") Object.assign(el.style, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A labelled range slider with its value shown beside it. `onInput(value)` on every move. */
export function slider({ label, min, max, step, value, format = String, onInput }) {
  const id = uid("slider");
  const output = h("output", { for: id }, format(value));
  const input = h("input", { type: "range", id, min, max, step, value, "aria-valuetext": format(value) });
  input.addEventListener("input", () => {
    const v = Number(input.value);
    output.textContent = format(v);
    input.setAttribute("aria-valuetext", format(v));
    if (onInput) onInput(v);
  });
  const element = h("div", { class: "nnlib-control" }, h("label", { for: id }, label), input, output);
  return {
    element, input,
    set(v) { input.value = v; output.textContent = format(v); input.setAttribute("aria-valuetext", format(v)); },
  };
}

/** A labelled drop-down. `options` is a list of [value, text]. */
export function select({ label, options, value, onChange }) {
  const id = uid("select");
  const input = h("select", { id }, options.map(([v, text]) => h("option", { value: v }, text)));
  input.value = value;
  input.addEventListener("change", () => onChange && onChange(input.value));
  const element = h("div", { class: "nnlib-control" }, h("label", { for: id }, label), input);
  return { element, input, set(v) { input.value = v; } };
}

/** A labelled check box. */
export function checkbox({ label, checked, onChange }) {
  const id = uid("check");
  const input = h("input", { type: "checkbox", id });
  input.checked = checked;
  input.addEventListener("change", () => onChange && onChange(input.checked));
  const element = h("div", { class: "nnlib-control nnlib-check" }, input, h("label", { for: id }, label));
  return { element, input, set(v) { input.checked = v; } };
}

/** A labelled number box; `onChange(value)` when the reader commits a number (Enter, leaving
 *  the box, or the arrow keys), with what they typed: checking it is the caller's job.
 *  Enter is handled here too: a host page (JupyterLab) may keep it from committing the box. */
export function numberInput({ label, value, step = "any", min, max, width = "6em", onChange }) {
  const id = uid("number");
  const input = h("input", { type: "number", id, step, min, max, value, style: { width } });
  let committed = input.value;
  const commit = () => {
    if (input.value === committed) return;
    committed = input.value;
    if (onChange) onChange(input.value === "" ? NaN : Number(input.value));
  };
  input.addEventListener("change", commit);
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") commit(); });
  const element = h("div", { class: "nnlib-control" }, h("label", { for: id }, label), input);
  return { element, input, set(v) { input.value = v; committed = input.value; } };
}

/** A labelled one-line text box; `onEnter(text)` when Enter is pressed in it. */
export function textInput({ label, value = "", placeholder, onEnter }) {
  const id = uid("text");
  const input = h("input", { type: "text", id, value, placeholder, spellcheck: "false", autocomplete: "off" });
  input.addEventListener("keydown", (event) => { if (event.key === "Enter" && onEnter) onEnter(input.value); });
  const element = h("div", { class: "nnlib-control nnlib-text" }, h("label", { for: id }, label), input);
  return { element, input, set(v) { input.value = v; } };
}

/** A button whose visible text is its accessible name. */
export function button({ label, onClick, title, primary = false }) {
  const el = h("button", { type: "button", class: primary ? "nnlib-button nnlib-primary" : "nnlib-button", title }, label);
  el.addEventListener("click", onClick);
  return el;
}

// --- the frame of every widget -----------------------------------------------------------
const STYLE = `
.nnlib-frame { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: inherit;
  display: flex; flex-direction: column; gap: .5rem; max-width: 100%; }
.nnlib-frame canvas { display: block; height: auto; }
.nnlib-controls { display: flex; flex-wrap: wrap; gap: .35rem 1rem; align-items: center; }
.nnlib-control { display: flex; align-items: center; gap: .4rem; }
.nnlib-control label { white-space: nowrap; }
.nnlib-control output { min-width: 3.5em; font-variant-numeric: tabular-nums; }
.nnlib-control input[type=range] { width: 9rem; accent-color: #0072B2; }
.nnlib-text { flex: 1 1 16rem; min-width: 0; }
.nnlib-text input { flex: 1 1 auto; min-width: 0; }
.nnlib-frame input[type=number], .nnlib-frame input[type=text] { font: inherit; color: inherit;
  background: transparent; border: 1px solid currentColor; border-radius: 4px; padding: .1rem .35rem; }
.nnlib-frame select, .nnlib-button { font: inherit; color: inherit; background: transparent;
  border: 1px solid currentColor; border-radius: 4px; padding: .15rem .6rem; }
.nnlib-frame select option { color: #222; background: #fff; }
.nnlib-button { cursor: pointer; }
.nnlib-primary { background: #005a8e; color: #fff; border-color: #005a8e; font-weight: 600; }
.nnlib-button:focus-visible, .nnlib-frame select:focus-visible, .nnlib-frame input:focus-visible {
  outline: 3px solid #56B4E9; outline-offset: 2px; }
.nnlib-status { min-height: 1.4em; }
.nnlib-error { border: 2px solid #D55E00; border-radius: 4px; padding: .5rem .8rem; white-space: pre-wrap; }
`;

/** The widget's root element (styles added once per page), inside `el`. */
export function frame(el, label) {
  if (!document.getElementById("nnlib-frame-style")) {
    document.head.append(h("style", { id: "nnlib-frame-style" }, STYLE));
  }
  const root = h("div", { class: "nnlib-frame", role: "group", "aria-label": label });
  el.replaceChildren(root);
  return root;
}

/** Show what went wrong where the widget would be, so a failure never leaves a blank box. */
export function showError(el, error, what = "This widget") {
  const message = error && error.stack ? `${error.message}\n${error.stack.split("\n").slice(1, 4).join("\n")}` : String(error);
  el.replaceChildren(h("div", { class: "nnlib-error", role: "alert" },
    `${what} could not be drawn: ${message}`));
  console.error(error);
}

/** `render` for anywidget that shows an error box instead of failing silently. */
export function guarded(what, render) {
  return (context) => {
    try {
      const cleanup = render(context);
      return cleanup;
    } catch (error) {
      showError(context.el, error, what);
      return undefined;
    }
  };
}

// --- added for the chapter explorers (neuron.js, activation.js, loss_surface.js) ------------

/** A labelled slider over a list of values (e.g. learning rates 0.01 ... 3): the thumb moves
 * one value per arrow key, and the text beside it is the value, not its index. */
export function choiceSlider({ label, values, value, format = String, onInput }) {
  const index = (v) => {
    let best = 0;
    values.forEach((x, i) => { if (Math.abs(x - v) < Math.abs(values[best] - v)) best = i; });
    return best;
  };
  const s = slider({
    label, min: 0, max: values.length - 1, step: 1, value: index(value),
    format: (i) => format(values[i]),
    onInput: (i) => onInput && onInput(values[i]),
  });
  return { element: s.element, input: s.input, set(v) { s.set(index(v)); } };
}

/** Call `callback()` when the page switches between light and dark (the book's theme button,
 * JupyterLab's theme, or the system's preference). Returns a function that stops listening. */
export function onThemeChange(callback) {
  const watched = ["data-theme", "data-mode", "data-jp-theme-light", "class"];
  const observer = new MutationObserver(() => callback());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: watched });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: watched });
  const query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  if (query) query.addEventListener("change", callback);
  return () => { observer.disconnect(); if (query) query.removeEventListener("change", callback); };
}

/**
 * Keep a picture live: call `redraw` now, when the page changes theme or the widget's width
 * changes, and `onChange` when any of the model's `keys` changes (from Python or another view).
 * Returns the clean-up function anywidget's `render` should return.
 */
export function keepDrawn({ model, keys, root, redraw, onChange }) {
  for (const key of keys) model.on(`change:${key}`, onChange);
  const stopTheme = onThemeChange(redraw);
  let lastWidth = root.clientWidth;
  const resize = new ResizeObserver(() => {
    if (root.clientWidth !== lastWidth) { lastWidth = root.clientWidth; redraw(); }
  });
  resize.observe(root);
  redraw();
  return () => {
    for (const key of keys) model.off(`change:${key}`, onChange);
    stopTheme();
    resize.disconnect();
  };
}
