// The k-means tab: drawing and controls only; every step of the algorithm runs in Rust.
import { el, field, select, canvas, PALETTE, hexToRgb, linePlot, fmt, clampInput, keyboardCursor, drawCursor, calmLiveRegion, shortcutList, math } from './draw.js';

const SIZE = 640;
const VORONOI = 160;
const INITS = [['kmeans++', 'k-means++'], ['forgy', 'Forgy (random data points)'], ['random', 'Random positions'],
  ['partition', 'Random partition'], ['click', 'Click to place']];
const PRESETS = [['blobs', 'Gaussian blobs'], ['uniform', 'Uniform'], ['smiley', 'Smiley'], ['rings', 'Concentric rings'],
  ['anisotropic', 'Anisotropic blobs (fails)'], ['unequal-variance', 'Unequal variances (fails)'], ['uneven-sizes', 'Uneven sizes (fails)']];

export async function mount(panel, { wasm, settings, notify, writeHash }) {
  const s = { ...settings };
  const demo = new wasm.KMeansDemo();
  let running = false;
  let lastAction = '';
  let anim = null; // { from, to, start }
  let clickCenters = [];
  let runTimer = 0;

  // ---- controls
  const preset = select(PRESETS, s.preset);
  const n = el('input', { type: 'number', min: 1, max: 100000, value: s.n });
  const blobs = el('input', { type: 'number', min: 1, max: 20, value: s.blobs });
  const k = el('input', { type: 'number', min: 1, max: 20, value: s.k });
  const init = select(INITS, s.init);
  const seed = el('input', { type: 'number', min: 0, max: 4294967295, value: s.seed });
  const empty = select([['farthest', 'jumps to the farthest point'], ['stay', 'stays where it is']], s.empty);
  const speed = el('input', { type: 'range', min: 1, max: 30, value: 4 });
  const btn = (text, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text });
  const assignBtn = btn('Assign', 'A', () => act('assign'), 'primary');
  const recenterBtn = btn('Recenter', 'C', () => act('recenter'), 'primary');
  const stepBtn = btn('Step', 'S', () => act('step'));
  const runBtn = btn('Run', 'Space', () => toggleRun());
  const resetBtn = btn('Reset', 'R', () => reset());
  const newBtn = btn('New data', 'N', () => newData());
  const clearBtn = btn('Clear points', 'X', () => { demo.clear(); clickCenters = []; lastAction = ''; draw(); status('Points cleared: click or drag on the canvas to add points.'); });
  const restartsN = el('input', { type: 'number', min: 1, max: 100, value: 10 });
  const restartsBtn = btn('Best of n restarts', 'B', () => restarts());
  const elbowBtn = btn('Elbow plot (k = 1..10)', 'E', () => elbow());

  const nextBtn = el('button', { class: 'primary next', id: 'kmeans-next', 'data-story': 'advance', onclick: () => advance() });
  const board = canvas(SIZE, SIZE, 'k-means points, centers and Voronoi regions; click or drag to add points, or use the arrow keys and Enter');
  board.classList.add('main-picture');
  board.dataset.story = 'picture';
  const ctx = board.getContext('2d');
  const fValue = el('div', { class: 'big', id: 'kmeans-objective', 'aria-live': 'polite', 'data-story': 'readout', text: 'F = –' });
  const phaseLine = el('p', { id: 'kmeans-status', 'aria-live': 'polite', class: 'muted' });
  const plot = canvas(420, 170, 'The objective F after every half-step, as its distance above the lowest F so far on a log scale');
  plot.dataset.story = 'readout';
  const plotCtx = plot.getContext('2d');
  const monotone = el('p', { class: 'muted small' });
  const tryNext = el('p', { class: 'try', id: 'kmeans-try' });
  const elbowCanvas = canvas(520, 200, 'Elbow plot: best F against k');
  const elbowCtx = elbowCanvas.getContext('2d');
  const restartsOut = el('p', { class: 'muted', 'aria-live': 'polite' });

  // ---- colour quantization
  const qk = el('input', { type: 'number', min: 1, max: 64, value: 8 });
  const qFile = el('input', { type: 'file', accept: 'image/*' });
  const qOriginal = canvas(300, 200, 'Original image');
  const qResult = canvas(300, 200, 'Image redrawn with k colours');
  const qPalette = canvas(300, 30, 'The k-colour palette');
  const qStatus = el('p', { class: 'muted', 'aria-live': 'polite' });
  let qPixels = null;

  panel.append(
    el('h2', { text: 'k-means, one half-step at a time' }),
    el('div', { class: 'stage' },
      board,
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, nextBtn),
        el('div', { class: 'controls compact' }, assignBtn, recenterBtn, stepBtn, runBtn, resetBtn),
        el('div', { class: 'readout' }, fValue, phaseLine),
        plot, monotone,
        el('p', { class: 'key' }, 'Dots: the points, coloured by their center. Large circles: the centers. Shading: the region nearest each center. Thin lines (after an assign): each point to its center.'),
        el('div', { class: 'explain' },
          el('p', { class: 'equation' }, ...math('F = Σᵢ ‖xᵢ − μ_{c(i)}‖²')),
          el('p', {}, 'k-means looks for k centers μ and an owner c(i) for every point that make F, the sum of squared distances from the points to their centers, small. It alternates two half-steps, each of which can only lower F: ',
            el('b', { text: 'assign' }), ' gives every point to its nearest center (the best owners for these centers); ',
            el('b', { text: 'recenter' }), ' moves every center to the mean of its points (the best centers for these owners). When no point changes owner, it has converged, often to a local minimum only.')),
        tryNext,
        el('div', { class: 'controls' }, field('k', k), field('Start', init), field('Seed', seed)),
        el('div', { class: 'controls' }, field('Data', preset), field('Points', n), field('Blobs', blobs), newBtn, clearBtn),
        el('div', { class: 'controls' }, field('A center with no points', empty), field('Run speed', speed)),
        shortcutList([['A', 'assign'], ['C', 'recenter'], ['S', 'step'], ['Space', 'run/pause'], ['R', 'reset'], ['N', 'new data'], ['X', 'clear'], ['B', 'restarts'], ['E', 'elbow']]))),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Restarts and the elbow' }),
          el('p', { class: 'muted', text: 'Different starts end in different local minima: keep the best of n runs. F always falls as k grows, so the best k is read off where the curve bends (the elbow), not at its minimum.' }),
          el('div', { class: 'controls' }, field('n', restartsN), restartsBtn, elbowBtn), restartsOut, elbowCanvas)),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Beyond the slide: colour quantization' }),
          el('p', { class: 'muted', text: 'k-means on the colours of an image: each pixel is a point in RGB space. Your image is read locally and never uploaded.' }),
          el('div', { class: 'controls' }, field('Colours k', qk), field('Image', qFile),
            btn('Quantize', 'Q', () => quantize())),
          el('div', { class: 'row' }, qOriginal, qResult), qPalette, qStatus))),
  );
  // Live regions that change every frame speak at most once a second.
  for (const node of [fValue, phaseLine, qStatus]) calmLiveRegion(node);

  function status(text, cls = 'muted') { phaseLine.textContent = text; phaseLine.className = cls; }
  function readSettings() {
    s.preset = preset.value; s.n = clampInput(n, 1, 100000); s.blobs = clampInput(blobs, 1, 20); s.k = clampInput(k, 1, 20);
    s.init = init.value; s.seed = clampInput(seed, 0, 4294967295); s.empty = empty.value;
    writeHash('kmeans', s);
  }

  function newData() {
    readSettings();
    stopRun();
    try {
      demo.generate(s.preset, s.n, s.blobs, BigInt(s.seed));
    } catch (e) { notify(e.message, 'error'); return; }
    reset();
  }

  function reset() {
    readSettings();
    stopRun();
    lastAction = '';
    anim = null;
    try {
      demo.setEmptyRule(s.empty);
      if (s.init === 'click') {
        clickCenters = [];
        status(`Click on the canvas to place ${s.k} centers (or focus it, move with the arrow keys and press Enter).`, 'warn');
      } else {
        demo.reset(s.k, s.init, BigInt(s.seed));
        status('Centers placed. Next: Assign.');
      }
    } catch (e) {
      status(e.message, 'err');
    }
    draw();
  }

  function act(what) {
    if (demo.centers().length === 0) { status(demo.pointCount() === 0 ? 'Add some points first.' : 'Place the centers first (Reset).', 'warn'); return; }
    try {
      if (what === 'step') {
        if (demo.nextPhase() === 'recenter') act('recenter');
        act('assign');
        act('recenter');
        return;
      }
      if (what === 'assign') {
        const changed = demo.assign();
        lastAction = 'assign';
        status(demo.converged() ? `Converged after ${demo.iterations()} iterations: no point changed its center.` :
          `Assign: ${changed} point${changed === 1 ? '' : 's'} changed center. Next: Recenter.`, demo.converged() ? 'ok' : 'muted');
        if (demo.converged()) stopRun();
      } else {
        const emptied = demo.recenter();
        lastAction = 'recenter';
        anim = { from: demo.previousCenters(), to: demo.centers(), start: performance.now() };
        const rule = s.empty === 'farthest' ? 'jumped to the farthest point' : 'stayed where it was';
        status(emptied.length ? `Recenter: center${emptied.length > 1 ? 's' : ''} ${Array.from(emptied).join(', ')} owned no points and ${rule}.` :
          'Recenter: every center moved to the mean of its points. Next: Assign.', emptied.length ? 'warn' : 'muted');
      }
    } catch (e) { status(e.message, 'err'); }
    draw();
  }

  /** The primary button: the next half-step, whichever it is. */
  function advance() {
    if (demo.centers().length === 0 || demo.converged()) { act('assign'); return; }
    act(demo.nextPhase());
  }
  /** The primary button names what it will do next, and a line suggests what to try. */
  function showNext() {
    const placed = demo.centers().length > 0;
    const converged = placed && demo.converged();
    nextBtn.disabled = !placed || converged;
    nextBtn.textContent = !placed ? (demo.pointCount() === 0 ? 'Add points first' : `Place ${s.k} centers on the board first`)
      : converged ? 'Converged: no point changed its center'
        : demo.nextPhase() === 'assign' ? 'Assign points to the nearest center' : "Move each center to its points' mean";
    const iterations = demo.iterations();
    tryNext.textContent = !placed ? 'Try: click on the board to place the centers.'
      : converged ? (s.init === 'random' || s.init === 'forgy' || s.init === 'partition'
        ? 'Try next: change the seed (or Start: k-means++) and see whether the same clusters, and the same F, come out.'
        : 'Try next: the data "Anisotropic blobs" or "Concentric rings", where k-means converges to clusters a person would not draw.')
        : iterations === 0 && demo.objectives().length === 0 ? 'Try: press the blue button (or A) and watch each point take the colour of its nearest center.'
          : 'Keep pressing: F falls at every half-step until no point changes its center.';
  }

  function stopRun() { running = false; runBtn.textContent = 'Run'; clearTimeout(runTimer); }
  function toggleRun() {
    if (running) { stopRun(); return; }
    if (demo.converged()) { status('Already converged: Reset or add points.', 'ok'); return; }
    running = true;
    runBtn.textContent = 'Pause';
    const tick = () => {
      if (!running) return;
      if (demo.centers().length === 0) { stopRun(); return; }
      act(demo.nextPhase());
      if (demo.converged()) { stopRun(); return; }
      runTimer = setTimeout(tick, 1000 / Number(speed.value));
    };
    tick();
  }

  function restarts() {
    readSettings();
    stopRun();
    const count = clampInput(restartsN, 1, 100);
    try {
      const t0 = performance.now();
      const best = demo.restarts(s.k, s.init === 'click' ? 'kmeans++' : s.init, BigInt(s.seed), count);
      restartsOut.textContent = `Best F of ${count} runs to convergence: ${fmt(best, 5)} (${(performance.now() - t0).toFixed(0)} ms). The best run is shown.`;
      lastAction = 'recenter';
      anim = null;
      status(`Showing the best of ${count} restarts.`, 'ok');
    } catch (e) { restartsOut.textContent = e.message; }
    draw();
  }

  // The elbow over up to 100,000 points takes seconds: computed in slices of about 25 ms,
  // between which the page answers clicks and keys, with the curve growing as it goes.
  let elbowTimer = 0;
  function elbow() {
    readSettings();
    clearTimeout(elbowTimer);
    const restartsCount = clampInput(restartsN, 1, 20);
    try {
      demo.elbowStart(10, s.init === 'click' ? 'kmeans++' : s.init, BigInt(s.seed), restartsCount);
    } catch (e) { restartsOut.textContent = e.message; return; }
    const t0 = performance.now();
    const slice = () => {
      let progress = 0;
      try {
        const start = performance.now();
        do progress = demo.elbowAdvance(1); while (progress < 1 && performance.now() - start < 25);
      } catch (e) { restartsOut.textContent = e.message; return; }
      linePlot(elbowCtx, Array.from(demo.elbowCurve()), { label: 'best F of the restarts, against k', markers: true, color: '#ffd166', xLabel: 'k' });
      elbowCanvas.dataset.progress = String(progress);
      restartsOut.textContent = progress < 1 ? `Elbow plot: ${Math.round(100 * progress)}% of the runs done…`
        : `Elbow plot: best of ${restartsCount} runs for each k, in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
      if (progress < 1) elbowTimer = setTimeout(slice, 0);
    };
    slice();
  }

  // ---- drawing
  function currentCenters() {
    const to = demo.centers();
    if (!anim || anim.from.length !== to.length) return to;
    const t = Math.min(1, (performance.now() - anim.start) / 450);
    if (t >= 1) { anim = null; return to; }
    const e = t * t * (3 - 2 * t);
    return to.map((v, i) => anim.from[i] + (v - anim.from[i]) * e);
  }

  const voronoiImage = new ImageData(VORONOI, VORONOI);
  const voronoiCanvas = new OffscreenCanvas(VORONOI, VORONOI);
  function draw() {
    showNext();
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const centers = currentCenters();
    const kk = centers.length / 2;
    if (kk > 0 && !anim) {
      const grid = demo.voronoi(VORONOI, VORONOI);
      for (let i = 0; i < grid.length; i++) {
        const [r, g, b] = hexToRgb(PALETTE[grid[i] % PALETTE.length]);
        voronoiImage.data.set([r, g, b, 46], i * 4);
      }
      voronoiCanvas.getContext('2d').putImageData(voronoiImage, 0, 0);
    }
    if (kk > 0) {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(voronoiCanvas, 0, 0, SIZE, SIZE);
    }
    const pts = demo.points();
    const owner = demo.assignment();
    const count = pts.length / 2;
    const r = count > 20000 ? 1 : count > 3000 ? 1.5 : 3;
    // Lines from points to their center right after an assign (the slide's picture).
    if (lastAction === 'assign' && count <= 5000 && owner.length === count) {
      ctx.globalAlpha = 0.25;
      ctx.lineWidth = 1;
      for (let j = 0; j < kk; j++) {
        ctx.strokeStyle = PALETTE[j % PALETTE.length];
        ctx.beginPath();
        for (let i = 0; i < count; i++) {
          if (owner[i] !== j) continue;
          ctx.moveTo(pts[2 * i] * SIZE, pts[2 * i + 1] * SIZE);
          ctx.lineTo(centers[2 * j] * SIZE, centers[2 * j + 1] * SIZE);
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    // Points grouped by colour: one fill style change per cluster.
    const groups = new Map();
    for (let i = 0; i < count; i++) {
      const o = owner.length === count && owner[i] !== 4294967295 ? owner[i] : -1;
      if (!groups.has(o)) groups.set(o, []);
      groups.get(o).push(i);
    }
    for (const [o, idx] of groups) {
      ctx.fillStyle = o < 0 ? '#c8cdd8' : PALETTE[o % PALETTE.length];
      ctx.beginPath();
      for (const i of idx) ctx.rect(pts[2 * i] * SIZE - r, pts[2 * i + 1] * SIZE - r, 2 * r, 2 * r);
      ctx.fill();
    }
    for (let j = 0; j < kk; j++) {
      const x = centers[2 * j] * SIZE;
      const y = centers[2 * j + 1] * SIZE;
      ctx.fillStyle = PALETTE[j % PALETTE.length];
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 3;
      ctx.beginPath(); ctx.arc(x, y, 11, 0, 7); ctx.fill(); ctx.stroke();
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.5; ctx.stroke();
    }
    for (const [x, y] of clickCenters) {
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(x * SIZE, y * SIZE, 10, 0, 7); ctx.stroke();
    }
    if (boardKeys?.shown()) drawCursor(ctx, boardKeys.position, 16);
    const objectives = Array.from(demo.objectives());
    const last = objectives.at(-1);
    fValue.textContent = `F = ${last === undefined ? '–' : fmt(last, 6)}`;
    fValue.dataset.value = last === undefined ? '' : String(last);
    // F minus its lowest value so far, on a log scale: the late, small decreases stay visible.
    const lowest = Math.min(...objectives);
    linePlot(plotCtx, objectives.map((v) => v - lowest), {
      label: 'F − lowest F so far (log scale)', logY: true, markers: objectives.length < 80, xLabel: 'half-step',
      highlight: objectives.length - 1, empty: 'F appears here after the first assign.',
    });
    const rose = objectives.some((v, i) => i > 0 && v > objectives[i - 1] * (1 + 1e-6) + 1e-9);
    monotone.textContent = objectives.length > 1 ? (rose ? 'F went up: this should never happen.' : `F never went up over ${objectives.length - 1} half-steps.`) : '';
    if (anim) requestAnimationFrame(draw);
  }

  // ---- pointer: add points, or place centers in click mode
  let dragging = false;
  function canvasPoint(e) {
    const rect = board.getBoundingClientRect();
    return [(e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height];
  }
  function addAt(e) {
    const [x, y] = canvasPoint(e);
    placeAt(x, y);
  }
  /** A point, or in click mode the next center, at (x, y) in [0, 1]². */
  function placeAt(x, y) {
    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return;
    if (init.value === 'click' && clickCenters.length < s.k && demo.centers().length === 0) {
      clickCenters.push([x, y]);
      if (clickCenters.length === s.k) {
        try { demo.placeCenters(new Float32Array(clickCenters.flat())); status('Centers placed. Next: Assign.'); } catch (err) { status(err.message, 'err'); }
        clickCenters = [];
      }
    } else {
      try { demo.addPoint(x, y); } catch (err) { status(err.message, 'err'); }
    }
    draw();
  }
  // By keyboard: the arrow keys move a cursor over the board, Enter or Space places there.
  const boardKeys = keyboardCursor(board, { step: 1 / 40, onMove: () => draw(), onAct: ([x, y]) => placeAt(x, y) });
  board.addEventListener('pointerdown', (e) => { dragging = true; addAt(e); });
  board.addEventListener('pointermove', (e) => { if (dragging && init.value !== 'click') addAt(e); });
  window.addEventListener('pointerup', () => { dragging = false; });

  for (const input of [preset, n, blobs]) input.addEventListener('change', newData);
  for (const input of [k, init, seed]) input.addEventListener('change', reset);
  empty.addEventListener('change', () => { readSettings(); demo.setEmptyRule(s.empty); });

  // ---- colour quantization
  async function loadImage(source) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(source);
    } catch {
      qStatus.textContent = 'That file is not an image this browser can read.';
      return;
    }
    const mp = (bitmap.width * bitmap.height) / 1e6;
    const scale = Math.min(1, Math.sqrt(1e6 / (bitmap.width * bitmap.height)));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const off = new OffscreenCanvas(w, h);
    const octx = off.getContext('2d');
    octx.drawImage(bitmap, 0, 0, w, h);
    qPixels = { data: octx.getImageData(0, 0, w, h).data, w, h };
    qOriginal.width = qResult.width = w;
    qOriginal.height = qResult.height = h;
    qOriginal.style.width = qResult.style.width = 'min(48%, 300px)';
    qOriginal.getContext('2d').drawImage(bitmap, 0, 0, w, h);
    qStatus.textContent = scale < 1 ? `Scaled from ${mp.toFixed(1)} to ${(w * h / 1e6).toFixed(2)} megapixels.` : '';
    quantize();
  }
  function quantize() {
    if (!qPixels) return;
    const kq = clampInput(qk, 1, 64);
    try {
      const t0 = performance.now();
      const out = wasm.quantizeColors(qPixels.data, kq, BigInt(s.seed), 20);
      const ms = performance.now() - t0;
      qResult.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(out.image), qPixels.w, qPixels.h), 0, 0);
      const pctx = qPalette.getContext('2d');
      const pw = qPalette.width / kq;
      for (let j = 0; j < kq; j++) {
        pctx.fillStyle = `rgb(${out.palette[3 * j]},${out.palette[3 * j + 1]},${out.palette[3 * j + 2]})`;
        pctx.fillRect(j * pw, 0, Math.ceil(pw), qPalette.height);
      }
      qStatus.textContent = `${kq} colours, ${qPixels.w}×${qPixels.h} pixels, up to 20 iterations in ${ms.toFixed(0)} ms.`;
    } catch (e) { qStatus.textContent = e.message; }
  }
  qFile.addEventListener('change', () => { if (qFile.files[0]) loadImage(qFile.files[0]); });
  qk.addEventListener('change', quantize);
  fetch(new URL('coffee.jpg', import.meta.url)).then((r) => r.blob()).then(loadImage).catch(() => {});

  linePlot(elbowCtx, [], { label: 'best F of the restarts, against k', xLabel: 'k', empty: 'Press "Elbow plot" to see F for k = 1 to 10.' });
  newData();

  return {
    settings: () => s,
    apply(values) {
      preset.value = values.preset; n.value = values.n; blobs.value = values.blobs; k.value = values.k;
      init.value = values.init; seed.value = values.seed; empty.value = values.empty;
      newData();
    },
    hide: stopRun,
    onKey(e) {
      const map = { a: () => act('assign'), c: () => act('recenter'), s: () => act('step'), ' ': toggleRun, r: reset, n: newData,
        x: () => clearBtn.click(), b: restarts, e: elbow, q: quantize };
      const f = map[e.key.toLowerCase()];
      if (f) { f(); return true; }
      return false;
    },
  };
}
