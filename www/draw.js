// Small drawing and DOM helpers shared by the demo modules. Text always goes in as text.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

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

export const PALETTE = ['#ff6b6b', '#4cc9f0', '#ffd166', '#7ae582', '#c77dff', '#ff9f1c', '#2ec4b6', '#f72585',
  '#a0c4ff', '#caffbf', '#ffadad', '#9bf6ff', '#fdffb6', '#bdb2ff', '#ffc6ff', '#e9edc9', '#90be6d', '#f9844a', '#577590', '#43aa8b'];

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

/** Line plot of ys (with optional markers); shows that a curve never rises, etc. */
export function linePlot(ctx, ys, { color = '#4cc9f0', label = '', logY = false, markers = false, xLabel = '' } = {}) {
  const { w, h } = fitToDisplay(ctx);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#b9c0d0';
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(label, 8, 16);
  if (xLabel) ctx.fillText(xLabel, w - ctx.measureText(xLabel).width - 6, h - 6);
  const vals = Array.from(ys).filter((y) => Number.isFinite(y));
  if (vals.length === 0) return;
  const f = logY ? (y) => Math.log10(Math.max(y, 1e-9)) : (y) => y;
  let lo = Math.min(...vals.map(f));
  let hi = Math.max(...vals.map(f));
  if (hi - lo < 1e-12) { hi += 1; lo -= 1; }
  const pad = 24;
  const x = (i) => pad + ((w - 2 * pad) * i) / Math.max(1, ys.length - 1);
  const y = (v) => h - pad - ((h - 2 * pad) * (f(v) - lo)) / (hi - lo);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ys.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
  ctx.stroke();
  if (markers) {
    ctx.fillStyle = color;
    ys.forEach((v, i) => { ctx.beginPath(); ctx.arc(x(i), y(v), 3, 0, 7); ctx.fill(); });
  }
  ctx.fillStyle = '#b9c0d0';
  const fmt = (v) => (logY ? 10 ** v : v).toPrecision(3);
  ctx.fillText(fmt(hi), 4, pad + 4);
  ctx.fillText(fmt(lo), 4, h - pad);
}

/** Vertical bars for a probability vector, with optional labels and a highlighted bar. */
export function bars(ctx, probs, { labels = null, highlight = -1, color = '#4cc9f0' } = {}) {
  const { w, h } = fitToDisplay(ctx);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, w, h);
  const n = probs.length;
  if (!n) return;
  const max = Math.max(...probs, 1e-9);
  const bottom = labels ? h - 18 : h - 2;
  const bw = w / n;
  for (let i = 0; i < n; i++) {
    const bh = ((bottom - 4) * probs[i]) / max;
    ctx.fillStyle = i === highlight ? '#ffd166' : color;
    ctx.fillRect(i * bw + (bw > 4 ? 1 : 0), bottom - bh, Math.max(1, bw - (bw > 4 ? 2 : 0)), bh);
  }
  if (labels) {
    ctx.fillStyle = '#f4f6fb';
    ctx.font = '13px ui-monospace, monospace';
    ctx.textAlign = 'center';
    for (let i = 0; i < n; i++) ctx.fillText(labels[i], i * bw + bw / 2, h - 4);
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
 * (a demo's single-key shortcuts never see them). */
export function keyboardCursor(canvas, { step, onMove, onAct, start = [0.5, 0.5] }) {
  const position = [...start];
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
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
