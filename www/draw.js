// Small drawing and DOM helpers shared by the demo modules. Text always goes in as text.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') { if (v) node.className = v; }
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

/** Text with every unpaired UTF-16 surrogate (a paste can produce one) replaced by U+FFFD:
 * encodeURIComponent and the wasm boundary refuse them. */
export const wellFormed = (text) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** A labelled control: returns [label element, input element]. */
export function field(labelText, input) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return el('label', { for: id }, `${labelText} `, input);
}

/** A screen reader cannot keep up with a number that changes every frame (the objective
 * during a run, the loss while training): `node` goes on changing on screen, and a visually
 * hidden live region beside it announces its latest text at most once a second. The node
 * itself is hidden from assistive technology, which reads the twin instead. */
export function calmLiveRegion(node, interval = 1000) {
  node.removeAttribute('aria-live');
  node.setAttribute('aria-hidden', 'true');
  const twin = el('span', { class: 'sr-only', 'aria-live': 'polite' });
  node.after(twin);
  let last = -Infinity;
  let timer = 0;
  const copy = () => { timer = 0; last = performance.now(); if (twin.textContent !== node.textContent) twin.textContent = node.textContent; };
  new MutationObserver(() => {
    if (timer) return;
    const wait = last + interval - performance.now();
    if (wait <= 0) copy();
    else timer = setTimeout(copy, wait);
  }).observe(node, { childList: true, characterData: true, subtree: true });
  copy();
  return twin;
}

/** The line of a tab's single-key shortcuts: [key, what it does] pairs. */
export function shortcutList(pairs) {
  return el('p', { class: 'shortcuts' }, ...pairs.map(([key, what]) => el('span', {}, el('kbd', { text: key }), ` ${what}`)));
}

export function select(options, value) {
  const s = el('select');
  for (const [v, text] of options) s.append(el('option', { value: v, text }));
  s.value = value;
  return s;
}

/** A canvas whose backing store follows devicePixelRatio; returns its 2-D context. */
export function canvas(width, height, label) {
  const c = el('canvas', { width, height, role: 'img', 'aria-label': label });
  return c;
}

/** Ten classes that colour-blind students can tell apart too: the Okabe-Ito colours (blue
 * lightened for a dark background) with white, grey and a pale pink, each class also with a
 * marker shape of its own (CLASS_SHAPES) where points of several classes mix. */
export const CLASS_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#FFFFFF', '#D55E00', '#CC79A7', '#8C8C8C', '#3A8FDB', '#F4C7D9'];
export const CLASS_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'plus', 'down', 'cross', 'star', 'ring', 'bar'];
export const PALETTE = [...CLASS_COLORS, '#ff6b6b', '#7ae582', '#c77dff', '#2ec4b6', '#f72585', '#a0c4ff', '#caffbf', '#fdffb6', '#bdb2ff', '#e9edc9'];

/** A marker of one of CLASS_SHAPES centred at (x, y), about 2r across, in the current fill. */
export function marker(ctx, shape, x, y, r) {
  ctx.beginPath();
  const poly = (pts) => { pts.forEach(([a, b], i) => (i ? ctx.lineTo(x + a * r, y + b * r) : ctx.moveTo(x + a * r, y + b * r))); ctx.closePath(); ctx.fill(); };
  const thick = (segments) => {
    ctx.save(); ctx.strokeStyle = ctx.fillStyle; ctx.lineWidth = Math.max(1.5, r * 0.6); ctx.beginPath();
    for (const [a, b, c, d] of segments) { ctx.moveTo(x + a * r, y + b * r); ctx.lineTo(x + c * r, y + d * r); }
    ctx.stroke(); ctx.restore();
  };
  switch (shape) {
    case 'square': ctx.fillRect(x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r); break;
    case 'triangle': poly([[0, -1.1], [1, 0.8], [-1, 0.8]]); break;
    case 'down': poly([[0, 1.1], [1, -0.8], [-1, -0.8]]); break;
    case 'diamond': poly([[0, -1.2], [1, 0], [0, 1.2], [-1, 0]]); break;
    case 'plus': thick([[-1.1, 0, 1.1, 0], [0, -1.1, 0, 1.1]]); break;
    case 'cross': thick([[-0.9, -0.9, 0.9, 0.9], [-0.9, 0.9, 0.9, -0.9]]); break;
    case 'bar': thick([[-1.1, 0, 1.1, 0]]); break;
    case 'star': poly(Array.from({ length: 10 }, (_, i) => { const a = (Math.PI * i) / 5 - Math.PI / 2; const q = i % 2 ? 0.5 : 1.2; return [q * Math.cos(a), q * Math.sin(a)]; })); break;
    case 'ring': ctx.save(); ctx.strokeStyle = ctx.fillStyle; ctx.lineWidth = Math.max(1.5, r * 0.5); ctx.arc(x, y, 0.85 * r, 0, 7); ctx.stroke(); ctx.restore(); break;
    default: ctx.arc(x, y, r, 0, 7); ctx.fill();
  }
}

export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Sizes a plot's backing store to the size it is shown at (times devicePixelRatio) and
 * scales the context so that drawing is in CSS pixels: its text keeps its stated size on a
 * phone, where the plot is shown narrower than drawn. Returns the size to draw in. */
function fitToDisplay(ctx) {
  const c = ctx.canvas;
  c.dataset.w ||= String(c.width);
  c.dataset.h ||= String(c.height);
  const w0 = Number(c.dataset.w);
  const h0 = Number(c.dataset.h);
  if (!c.style.width) c.style.width = `min(100%, ${w0}px)`; // the CSSOM: the CSP forbids style attributes
  const w = c.clientWidth || w0;
  const h = Math.round((w * h0) / w0);
  const dpr = window.devicePixelRatio || 1;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { w, h };
}

/** Round tick values covering [lo, hi]: about `count` of them at 1, 2 or 5 times a power of ten. */
export function niceTicks(lo, hi, count = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** A tick label: short, never "1.0000000002". */
export function tickText(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

const AXIS_FONT = '13px system-ui, sans-serif';
const AXIS_COLOR = '#b9c0d0';

/** Frame, ticks and labels of a plot: returns the mappings from data to canvas pixels.
 * `y` is either { lo, hi } (linear) or { log: true, lo, hi } (lo, hi as powers of ten). */
function axes(ctx, w, h, { xs, y, label, xLabel, xInteger = true, zeroRow = false, xLog = false }) {
  ctx.font = AXIS_FONT;
  const decades = Math.floor(y.hi) - Math.ceil(y.lo) + 1;
  const every = Math.ceil(decades / 5);
  const yTicks = y.log ? Array.from({ length: decades }, (_, i) => Math.floor(y.hi) - i).filter((_, i) => i % every === 0) : niceTicks(y.lo, y.hi, 4);
  // Ticks close together (a loss that barely moves) get as many decimals as their step needs.
  const step = yTicks.length > 1 ? Math.abs(yTicks[1] - yTicks[0]) : 1;
  const crowded = !y.log && new Set(yTicks.map(tickText)).size < yTicks.length;
  const yText = (t) => (y.log ? tickText(10 ** t) : crowded ? String(Number(t.toFixed(Math.max(0, 1 - Math.floor(Math.log10(step)))))) : tickText(t));
  const left = 10 + Math.max(...yTicks.map((t) => ctx.measureText(yText(t)).width), 10);
  const right = w - 10;
  // The x axis's name sits at the top right, beside the title; where both do not fit on one
  // row (a narrow phone), it gets a row of its own under the title.
  const ownRow = label && xLabel && 6 + ctx.measureText(label).width + 12 + ctx.measureText(xLabel).width > right;
  const top = label ? (ownRow ? 40 : 24) : 8;
  const bottom = h - 22;
  const floor = zeroRow ? bottom - 15 : bottom; // a row below the scale for zeros on a log axis
  const X = (v) => left + ((right - left) * (v - xs.lo)) / Math.max(1e-12, xs.hi - xs.lo);
  const Y = (v) => floor - ((floor - top) * (v - y.lo)) / Math.max(1e-12, y.hi - y.lo);
  ctx.fillStyle = AXIS_COLOR;
  if (label) ctx.fillText(label, 6, 15);
  ctx.strokeStyle = '#2f374c';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  for (const t of yTicks) {
    const py = Math.round(Y(t)) + 0.5;
    ctx.beginPath(); ctx.moveTo(left, py); ctx.lineTo(right, py); ctx.stroke();
    ctx.fillText(yText(t), left - 4, py + 4);
  }
  if (zeroRow) {
    ctx.fillText('0', left - 4, bottom + 4);
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(left, bottom - 7.5); ctx.lineTo(right, bottom - 7.5); ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.textAlign = 'center';
  if (xLog) {
    // xs in powers of ten: ticks at 1, 2 and 5 times each power inside the range.
    const marks = [];
    for (let d = Math.floor(xs.lo); d <= Math.ceil(xs.hi); d++) for (const m of [1, 2, 5]) marks.push(Math.log10(m) + d);
    for (const t of marks.filter((t) => t >= xs.lo - 1e-9 && t <= xs.hi + 1e-9)) ctx.fillText(tickText(10 ** t), Math.min(right - 8, Math.max(left + 8, X(t))), h - 6);
  } else {
    let xTicks = niceTicks(xs.lo, xs.hi, Math.max(2, Math.floor((right - left) / 70)));
    if (xInteger) xTicks = [...new Set(xTicks.map(Math.round))];
    for (const t of xTicks) ctx.fillText(tickText(t), Math.min(right - 8, X(t)), h - 6);
  }
  ctx.textAlign = 'start';
  ctx.strokeStyle = '#59627a';
  ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
  if (xLabel) {
    ctx.fillStyle = AXIS_COLOR;
    ctx.textAlign = 'right';
    ctx.fillText(xLabel, right, ownRow ? 31 : top - 8 > 12 ? 15 : top + 12);
    ctx.textAlign = 'start';
  }
  return { X, Y, left, right, top, bottom };
}

/** Line plot of ys against 1, 2, ... (or `xs`), with ticked axes. `logY`: a log scale, with
 * zeros on a row of their own marked 0 below it; `logX`: xs on a log scale. `second`: another
 * series { ys, color } on the same axes (its legend is the caller's). Non-finite values are
 * left out. An empty plot says what it will show (`empty`). Returns the axes' mappings. */
export function linePlot(ctx, ys, { color = '#4cc9f0', label = '', logY = false, logX = false, markers = false, xLabel = '', xs = null, empty = '', highlight = -1, second = null, marks = [] } = {}) {
  const { w, h } = fitToDisplay(ctx);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, w, h);
  const values = Array.from(ys);
  const others = second ? Array.from(second.ys) : [];
  const xv = (xs ? Array.from(xs) : values.map((_, i) => i + 1)).map((x) => (logX ? Math.log10(x) : x));
  const finite = [...values, ...others].filter((v) => Number.isFinite(v) && (!logY || v > 0));
  if (finite.length === 0) {
    ctx.font = AXIS_FONT;
    ctx.fillStyle = AXIS_COLOR;
    if (label) ctx.fillText(label, 6, 15);
    ctx.textAlign = 'center';
    ctx.fillText(empty || 'No values yet.', w / 2, h / 2);
    ctx.textAlign = 'start';
    return;
  }
  const f = logY ? (v) => Math.log10(v) : (v) => v;
  let lo = Math.min(...finite.map(f));
  let hi = Math.max(...finite.map(f));
  if (logY) { lo = Math.floor(lo); hi = Math.max(Math.ceil(hi), lo + 1); } else {
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    const t = niceTicks(lo - pad, hi + pad, 4);
    lo = Math.min(lo - pad * 0.5, t[0]); hi = Math.max(hi + pad * 0.5, t.at(-1));
  }
  // On a log scale, zeros (F at its lowest so far) sit on a line of their own marked 0, below
  // the lowest decade.
  const zeros = logY && values.some((v) => v === 0);
  const xlo = Math.min(...xv);
  const xs_ = { lo: xlo, hi: logX ? Math.max(Math.max(...xv), xlo + 1e-6) : Math.max(Math.max(...xv), xlo + 1) };
  const { X, Y, bottom, top } = axes(ctx, w, h, { xs: xs_, y: { log: logY, lo, hi }, label, xLabel, zeroRow: zeros, xLog: logX, xInteger: !logX });
  const py = (v) => (logY && !(v > 0) ? bottom : Y(f(v)));
  // Vertical marks (a re-seeded EM component, say): dashed lines at those x.
  ctx.strokeStyle = '#ff9f1c';
  ctx.setLineDash([4, 4]);
  for (const i of marks) { ctx.beginPath(); ctx.moveTo(X(xv[i]), top); ctx.lineTo(X(xv[i]), bottom); ctx.stroke(); }
  ctx.setLineDash([]);
  const line = (series, stroke) => {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false;
    series.forEach((v, i) => {
      if (!Number.isFinite(v)) { started = false; return; }
      if (!started) { ctx.moveTo(X(xv[i]), py(v)); started = true; } else ctx.lineTo(X(xv[i]), py(v));
    });
    ctx.stroke();
  };
  if (second) line(others, second.color);
  line(values, color);
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || (!markers && i !== highlight)) return;
    ctx.fillStyle = i === highlight ? '#ffd166' : color;
    ctx.beginPath(); ctx.arc(X(xv[i]), py(v), i === highlight ? 5 : 3, 0, 7); ctx.fill();
  });  return { X, Y, top, bottom };
}

/** Vertical bars for a probability vector on an absolute 0-1 scale (ticked), with optional
 * labels and a highlighted bar. */
export function bars(ctx, probs, { labels = null, highlight = -1, color = '#4cc9f0', axis = true, empty = '' } = {}) {
  const { w, h } = fitToDisplay(ctx);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, w, h);
  const n = probs.length;
  ctx.font = AXIS_FONT;
  const left = axis ? ctx.measureText('0.5').width + 8 : 0;
  const bottom = labels ? h - 18 : h - 4;
  const top = axis ? 8 : 4;
  const Y = (p) => bottom - (bottom - top) * p;
  if (axis) {
    ctx.fillStyle = AXIS_COLOR;
    ctx.strokeStyle = '#2f374c';
    ctx.textAlign = 'right';
    for (const t of [0, 0.5, 1]) {
      ctx.beginPath(); ctx.moveTo(left, Math.round(Y(t)) + 0.5); ctx.lineTo(w, Math.round(Y(t)) + 0.5); ctx.stroke();
      ctx.fillText(String(t), left - 3, Y(t) + (t === 1 ? 9 : t === 0 ? 0 : 4));
    }
    ctx.textAlign = 'start';
  }
  if (!n) {
    if (empty) { ctx.fillStyle = AXIS_COLOR; ctx.textAlign = 'center'; ctx.fillText(empty, (left + w) / 2, (top + bottom) / 2); ctx.textAlign = 'start'; }
    return;
  }
  const bw = (w - left) / n;
  for (let i = 0; i < n; i++) {
    const bh = (bottom - top) * Math.min(1, Math.max(0, probs[i]));
    ctx.fillStyle = i === highlight ? '#ffd166' : color;
    ctx.fillRect(left + i * bw + (bw > 4 ? 1 : 0), bottom - bh, Math.max(1, bw - (bw > 4 ? 2 : 0)), bh);
  }
  if (labels) {
    ctx.fillStyle = '#f4f6fb';
    ctx.font = '13px ui-monospace, monospace';
    ctx.textAlign = 'center';
    for (let i = 0; i < n; i++) ctx.fillText(labels[i], left + i * bw + bw / 2, h - 4);
    ctx.textAlign = 'start';
  }
}

/** A small heat map of a rows x cols matrix (blue negative, orange positive). */
export function heatmap(ctx, data, rows, cols) {
  const { width: w, height: h } = ctx.canvas;
  ctx.clearRect(0, 0, w, h);
  let m = 1e-9;
  for (const v of data) m = Math.max(m, Math.abs(v));
  const cw = w / cols;
  const ch = h / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c] / m;
      const a = Math.min(1, Math.abs(v));
      ctx.fillStyle = v >= 0 ? `rgba(255,159,28,${a})` : `rgba(76,201,240,${a})`;
      ctx.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
}

/** Text with "a_b" written as a with subscript b (b: letters, digits, or a {braced} group). */
export function math(text) {
  const out = [];
  const re = /_(\{[^}]*\}|[A-Za-z0-9]+)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(last, m.index), el('sub', { text: m[1].replace(/^\{|\}$/g, '') }));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/** `x.toFixed(digits)` without a minus on a value that rounds to zero ("-0.00" reads as a
 * negative number that is not there). */
export function fixed(x, digits = 2) {
  const t = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t;
}

export function fmt(x, digits = 4) {
  if (!Number.isFinite(x)) return '–';
  return Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(digits);
}

/** Reads a whole number from a number input, clamped to [lo, hi] and written back. */
export function clampInput(input, lo, hi) {
  const v = Math.round(Number(input.value));
  const ok = Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
  input.value = ok;
  return ok;
}

/** The keyboard's way of pointing at a canvas: once it has the focus, the arrow keys move a
 * cursor over it (Shift: five steps at once) and Enter or Space acts where the cursor is, as a
 * click there would. Positions are fractions of the width and height, in [0, 1].
 * `onMove(position)` runs after every move and when the focus arrives or leaves (to draw or
 * hide the cursor); `onAct(position)` on Enter or Space. The keys it handles go no further
 * (a demo's single-key shortcuts never see them) while `enabled()` says so. */
export function keyboardCursor(canvas, { step, onMove, onAct, start = [0.5, 0.5], enabled = () => true }) {
  const position = [...start];
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !enabled()) return;
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (d) {
      const by = e.shiftKey ? 5 * step : step;
      position[0] = Math.min(1, Math.max(0, position[0] + d[0] * by));
      position[1] = Math.min(1, Math.max(0, position[1] + d[1] * by));
      onMove(position);
    } else if (e.key === 'Enter' || e.key === ' ') {
      onAct(position);
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  });
  canvas.addEventListener('focus', () => onMove(position));
  canvas.addEventListener('blur', () => onMove(position));
  return { position, shown: () => document.activeElement === canvas && canvas.matches(':focus-visible') };
}

/** Draws a keyboard cursor (a square of `size` canvas pixels around a position in [0, 1]²). */
export function drawCursor(ctx, [x, y], size, filled = false) {
  const { width: w, height: h } = ctx.canvas;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.lineWidth = Math.max(2, w / 160);
  ctx.strokeStyle = '#ffbf00';
  ctx.fillStyle = 'rgba(255, 191, 0, 0.45)';
  ctx.beginPath();
  ctx.rect(x * w - size / 2, y * h - size / 2, size, size);
  if (filled) ctx.fill();
  ctx.stroke();
  ctx.restore();
}

/** A drawing pad on `canvas` over a side x side grey image `pixels`: a soft round brush
 * brightens (never darkens) the pixels under the pointer while it is down; `redraw()` after
 * every move, `onStrokeEnd()` when the pointer is released. By keyboard: the arrow keys move
 * the pen, Enter or Space puts it down or lifts it (moving while it is down draws). */
export function drawingPad(canvas, pixels, side, { redraw, onStrokeEnd }) {
  let drawing = false;
  let penDown = false;
  const paintAt = (x, y) => {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const v = Math.max(0, Math.min(1, 1.6 - Math.hypot(c + 0.5 - x, r + 0.5 - y))) * 255;
        pixels[r * side + c] = Math.max(pixels[r * side + c], Math.round(v));
      }
    }
  };
  const paint = (e) => {
    const rect = canvas.getBoundingClientRect();
    paintAt(((e.clientX - rect.left) / rect.width) * side, ((e.clientY - rect.top) / rect.height) * side);
    show();
  };
  const keys = keyboardCursor(canvas, {
    step: 1 / side,
    onMove: ([x, y]) => { if (penDown) paintAt(x * side, y * side); show(); },
    onAct: ([x, y]) => {
      penDown = !penDown;
      if (penDown) { paintAt(x * side, y * side); show(); } else { show(); onStrokeEnd(); }
    },
  });
  canvas.addEventListener('blur', () => { if (penDown) { penDown = false; show(); onStrokeEnd(); } });
  function show() {
    redraw();
    if (keys.shown()) drawCursor(canvas.getContext('2d'), keys.position, (3 * canvas.width) / side, penDown);
  }
  canvas.addEventListener('pointerdown', (e) => { drawing = true; paint(e); });
  canvas.addEventListener('pointermove', (e) => { if (drawing) paint(e); });
  window.addEventListener('pointerup', () => { if (drawing) { drawing = false; onStrokeEnd(); } });
}

/** A side x side grey image drawn at (x0, y0), `scale` canvas pixels per image pixel; pixels
 * from `upTo` on are not yet known and drawn faint. */
export function drawGrey(ctx, pixels, side, x0, y0, scale, upTo = side * side) {
  const img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = i < upTo ? pixels[i] : 0;
    img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = i < upTo ? 255 : 60;
  }
  const off = new OffscreenCanvas(side, side);
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x0, y0, side * scale, side * scale);
}
