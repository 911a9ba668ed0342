// chart.js: the few plotting pieces the chapter explorers draw with on a canvas. Axes with
// ticks, labels and a title; lines, dots and arrows in data coordinates; filled maps and
// colour bars; numbers written as Python writes them. A plain ES module; no DOM is touched
// until something is drawn, so Node can import the explorers' maths through it.

export const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
// text sizes in CSS pixels: nothing on a canvas is smaller than 12 px
export const SIZE = Object.freeze({ tick: 12, label: 13, title: 14 });

// --- numbers as text ----------------------------------------------------------------------

/** A real minus sign (U+2212) instead of the hyphen, as typeset mathematics has. */
export const minus = (text) => String(text).replace(/^-/, "\u2212").replace(/e-/, "e\u2212");

/** `v` written as Python's format(v, ".{p}g") writes it: 0.197, 1, 2.2e-05 (with a real minus). */
export function formatG(v, p = 3) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const [mantissa, e] = v.toExponential(p - 1).split("e");
  const exponent = Number(e);
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exponent < -4 || exponent >= p) {
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return minus(`${strip(mantissa)}e${exponent < 0 ? "-" : "+"}${digits}`);
  }
  return minus(strip(v.toFixed(Math.max(0, p - 1 - exponent))));
}

/** A slider's value, as Python's format(v, "g") writes it: 1, -0.25, 0.15. */
export const formatValue = (v) => formatG(v, 6);

// --- ticks ------------------------------------------------------------------------------------

/** About `count` round numbers (steps of 1, 2, 2.5 or 5 times a power of ten) in [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count, power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * span; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

// --- axes -------------------------------------------------------------------------------------

/** A plot box on a canvas context: data coordinates (x in xlim, y in ylim) to CSS pixels. */
export class Axes {
  constructor(ctx, pal, box, xlim, ylim) {
    Object.assign(this, { ctx, pal, box, xlim, ylim });
  }

  px(x) { return this.box.x + ((x - this.xlim[0]) / (this.xlim[1] - this.xlim[0])) * this.box.w; }

  py(y) { return this.box.y + this.box.h - ((y - this.ylim[0]) / (this.ylim[1] - this.ylim[0])) * this.box.h; }

  /** Run `draw()` with drawing limited to the plot box. */
  clipped(draw) {
    const { ctx, box } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x, box.y, box.w, box.h);
    ctx.clip();
    draw();
    ctx.restore();
  }

  /** The frame, the ticks and their labels, the axis labels and the title. */
  frame({ title = "", xlabel = "", ylabel = "", xticks = null, yticks = null, grid = false }) {
    const { ctx, pal, box } = this;
    xticks = xticks || niceTicks(...this.xlim);
    yticks = yticks || niceTicks(...this.ylim);
    ctx.save();
    if (grid) {
      ctx.strokeStyle = pal.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const t of xticks) { ctx.moveTo(this.px(t), box.y); ctx.lineTo(this.px(t), box.y + box.h); }
      for (const t of yticks) { ctx.moveTo(box.x, this.py(t)); ctx.lineTo(box.x + box.w, this.py(t)); }
      ctx.stroke();
    }
    ctx.strokeStyle = pal.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(box.x, box.y, box.w, box.h);
    ctx.fillStyle = pal.text;
    ctx.font = `${SIZE.tick}px ${FONT}`;
    ctx.beginPath();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of xticks) {
      const x = this.px(t);
      ctx.moveTo(x, box.y + box.h); ctx.lineTo(x, box.y + box.h + 4);
      ctx.fillText(formatG(t, 4), x, box.y + box.h + 6);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of yticks) {
      const y = this.py(t);
      ctx.moveTo(box.x - 4, y); ctx.lineTo(box.x, y);
      ctx.fillText(formatG(t, 4), box.x - 6, y);
    }
    ctx.stroke();
    ctx.font = `${SIZE.label}px ${FONT}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    if (xlabel) ctx.fillText(xlabel, box.x + box.w / 2, box.y + box.h + 8 + SIZE.tick + 4);
    if (ylabel) {
      ctx.save();
      ctx.translate(box.x - 10 - this.tickWidth(yticks) - SIZE.label, box.y + box.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = "top";
      ctx.fillText(ylabel, 0, 0);
      ctx.restore();
    }
    if (title) {
      ctx.font = `600 ${SIZE.title}px ${FONT}`;
      ctx.textBaseline = "bottom";
      ctx.fillText(title, box.x + box.w / 2, box.y - 8);
    }
    ctx.restore();
  }

  /** The width of the widest y tick label, in CSS pixels. */
  tickWidth(yticks) {
    const { ctx } = this;
    ctx.save();
    ctx.font = `${SIZE.tick}px ${FONT}`;
    const width = Math.max(0, ...yticks.map((t) => ctx.measureText(formatG(t, 4)).width));
    ctx.restore();
    return width;
  }

  /** A line through (xs[i], ys[i]), clipped to the box; it breaks where a value is not finite. */
  line(xs, ys, { color, width = 2, dash = [] }) {
    const { ctx } = this;
    this.clipped(() => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.lineJoin = "round";
      ctx.setLineDash(dash);
      ctx.beginPath();
      let open = false;
      for (let i = 0; i < xs.length; i++) {
        if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) { open = false; continue; }
        const x = this.px(xs[i]), y = this.py(ys[i]);
        if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        open = true;
      }
      ctx.stroke();
    });
  }

  /** A dot of radius `r` px at (x, y): filled with `fill`, outlined with `stroke` (either may be null). */
  dot(x, y, { r = 4, fill = null, stroke = null, width = 1.5 }) {
    const { ctx } = this;
    this.clipped(() => {
      ctx.beginPath();
      ctx.arc(this.px(x), this.py(y), r, 0, 2 * Math.PI);
      if (fill) { ctx.fillStyle = fill; ctx.fill(); }
      if (stroke) { ctx.strokeStyle = stroke; ctx.lineWidth = width; ctx.stroke(); }
    });
  }

  /** An arrow from (x0, y0) to (x1, y1), with its head at the end. */
  arrow(x0, y0, x1, y1, { color, width = 2.5, head = 11 }) {
    const { ctx } = this;
    const [ax, ay, bx, by] = [this.px(x0), this.py(y0), this.px(x1), this.py(y1)];
    const angle = Math.atan2(by - ay, bx - ax);
    this.clipped(() => {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx - 0.8 * head * Math.cos(angle), by - 0.8 * head * Math.sin(angle));
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(bx, by);
      ctx.lineTo(bx - head * Math.cos(angle - 0.4), by - head * Math.sin(angle - 0.4));
      ctx.lineTo(bx - head * Math.cos(angle + 0.4), by - head * Math.sin(angle + 0.4));
      ctx.closePath();
      ctx.fill();
    });
  }
}

// --- maps and colour bars -----------------------------------------------------------------------

let fieldTile = null;

/** Fill the box with an nx x ny image: `colorAt(i, j)` is the [r, g, b] of column j (left to
 * right) in row i (bottom to top). `smooth` blends neighbouring cells, as bilinear imshow does. */
export function drawField(ctx, nx, ny, colorAt, box, smooth = true) {
  const image = new ImageData(nx, ny);
  for (let i = 0; i < ny; i++)
    for (let j = 0; j < nx; j++) {
      const [r, g, b] = colorAt(i, j);
      const p = 4 * ((ny - 1 - i) * nx + j);                  // row 0 is the bottom
      image.data[p] = r; image.data[p + 1] = g; image.data[p + 2] = b; image.data[p + 3] = 255;
    }
  fieldTile = fieldTile || document.createElement("canvas");
  fieldTile.width = nx; fieldTile.height = ny;
  fieldTile.getContext("2d").putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(fieldTile, box.x, box.y, box.w, box.h);
  ctx.restore();
}

// matplotlib's cividis at 0, 0.1, ..., 1 (dark blue to yellow; readable with any colour vision,
// the map of the chapter's static loss-surface figure)
const CIVIDIS = [
  [0, 34, 78], [8, 51, 112], [53, 69, 108], [79, 87, 108], [102, 105, 112], [125, 124, 120],
  [148, 142, 119], [174, 163, 113], [200, 184, 102], [229, 207, 82], [254, 232, 56],
];

/** The [r, g, b] of cividis at t in [0, 1]. */
export function cividis(t) {
  const s = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (CIVIDIS.length - 1);
  const k = Math.min(Math.floor(s), CIVIDIS.length - 2), f = s - k;
  return [0, 1, 2].map((c) => Math.round(CIVIDIS[k][c] + (CIVIDIS[k + 1][c] - CIVIDIS[k][c]) * f));
}

/** A vertical colour bar in `box` for values lo..hi; `colorOf(t)` gives [r, g, b] for t in [0, 1]. */
export function colorbar(ctx, pal, box, lo, hi, colorOf, label) {
  drawField(ctx, 1, 64, (i) => colorOf(i / 63), box, true);
  const axis = new Axes(ctx, pal, box, [0, 1], [lo, hi]);
  ctx.save();
  ctx.strokeStyle = pal.muted;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x, box.y, box.w, box.h);
  ctx.fillStyle = pal.text;
  ctx.font = `${SIZE.tick}px ${FONT}`;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.beginPath();
  const ticks = niceTicks(lo, hi, 4);
  for (const t of ticks) {
    const y = axis.py(t);
    ctx.moveTo(box.x + box.w, y); ctx.lineTo(box.x + box.w + 4, y);
    ctx.fillText(formatG(t, 4), box.x + box.w + 6, y);
  }
  ctx.stroke();
  const widest = Math.max(...ticks.map((t) => ctx.measureText(formatG(t, 4)).width));
  ctx.font = `${SIZE.label}px ${FONT}`;
  ctx.translate(box.x + box.w + 12 + widest, box.y + box.h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(label, 0, 0);
  ctx.restore();
}

/** A legend in a row, from (x, y) to the right without a box, wrapping before `right`:
 * items as for legend(). Returns the number of lines it took. */
export function legendRow(ctx, pal, x, y, items, right = Infinity) {
  ctx.save();
  ctx.font = `${SIZE.tick}px ${FONT}`;
  let left = x, line = 0;
  for (const item of items) {
    const width = 30 + ctx.measureText(item.label).width;
    if (left > x && left + width > right) { left = x; line += 1; }
    const cy = y + SIZE.tick / 2 + 3 + line * (SIZE.tick + 8);
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(item.dash || []);
    ctx.beginPath();
    if (item.draw) item.draw(ctx, left + 12, cy);
    else if (item.marker === "dot") { ctx.arc(left + 12, cy, 4, 0, 2 * Math.PI); ctx.fill(); }
    else { ctx.moveTo(left, cy); ctx.lineTo(left + 24, cy); ctx.stroke(); }
    ctx.setLineDash([]);
    ctx.fillStyle = pal.text;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(item.label, left + 30, cy);
    left += width + 22;
  }
  ctx.restore();
  return line + 1;
}

/** A legend box at (x, y): items are { label, color, dash } (a line), { label, color, marker: "dot" },
 * or { label, draw(ctx, cx, cy) } for any other marker. */
export function legend(ctx, pal, x, y, items) {
  ctx.save();
  ctx.font = `${SIZE.tick}px ${FONT}`;
  const rowHeight = SIZE.tick + 6;
  const width = 36 + Math.max(...items.map((it) => ctx.measureText(it.label).width));
  ctx.globalAlpha = 0.88;
  ctx.fillStyle = pal.background;
  ctx.fillRect(x, y, width + 8, rowHeight * items.length + 6);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(x, y, width + 8, rowHeight * items.length + 6);
  items.forEach((item, k) => {
    const cy = y + 3 + rowHeight * (k + 0.5);
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(item.dash || []);
    ctx.beginPath();
    if (item.draw) item.draw(ctx, x + 18, cy);
    else if (item.marker === "dot") { ctx.arc(x + 18, cy, 4, 0, 2 * Math.PI); ctx.fill(); }
    else { ctx.moveTo(x + 6, cy); ctx.lineTo(x + 30, cy); ctx.stroke(); }
    ctx.setLineDash([]);
    ctx.fillStyle = pal.text;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(item.label, x + 36, cy);
  });
  ctx.restore();
}

/** A legend in the top-right corner of a plot box (inside it, 8 px from its edges). */
export function legendTopRight(ctx, pal, box, items) {
  ctx.save();
  ctx.font = `${SIZE.tick}px ${FONT}`;
  const width = 44 + Math.max(...items.map((it) => ctx.measureText(it.label).width));
  ctx.restore();
  legend(ctx, pal, box.x + box.w - width - 8, box.y + 8, items);
}
