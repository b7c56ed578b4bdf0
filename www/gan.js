// The GAN tab: a 2-D GAN trained live (discriminator and generator as separate half-steps),
// digits from a GAN trained with PyTorch, and the three families of generative models side by
// side. All maths in Rust (src/gan/); this module draws and handles input.
import { el, field, select, canvas, linePlot, fmt, clampInput, keyboardCursor, drawCursor, calmLiveRegion, shortcutList, drawGrey, math } from './draw.js';
import { download, progressText } from './net.js';
import { startWorker } from './worker.js';

const SIDE = 28;
const PLANE = 480; // the plane's drawing size; the unit square fills it
const SHADE_CELLS = 48; // D(x) is evaluated on a 48 x 48 grid for the shading
const SHOWN_POINTS = 400; // real and generated points drawn
const ARROWS = 80; // generated points that carry an arrow
const REAL_COLOR = '#3ddc97'; // green: real points, D near 1
const FAKE_COLOR = '#c77dff'; // violet: generated points, D near 0
const NAMES = { one: 'one Gaussian', two: 'two Gaussians', ring: 'a ring of eight', line: 'a line', spiral: 'a spiral', drawn: 'points you draw' };
const LOSS_NAMES = { minimax: 'minimax: log(1 − D(G(z)))', 'non-saturating': 'non-saturating: −log D(G(z))', 'least-squares': 'least squares: ½(D(G(z)) − 1)²' };

/** D in [0, 1] as a colour: violet (generated side) through dark grey to green (real side). */
function shade(d) {
  const t = Math.max(0, Math.min(1, d));
  const a = [88, 40, 120];
  const m = [22, 26, 36];
  const b = [22, 120, 80];
  const mix = (p, q, u) => p.map((v, i) => Math.round(v + (q[i] - v) * u));
  return t < 0.5 ? mix(a, m, t * 2) : mix(m, b, (t - 0.5) * 2);
}

function drawStrip(cv, images, count, perRow, gap = 2) {
  const ctx = cv.getContext('2d');
  const size = Math.floor(cv.width / perRow);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, cv.width, cv.height);
  for (let i = 0; i < count; i++) {
    drawGrey(ctx, images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), SIDE, (i % perRow) * size, Math.floor(i / perRow) * size, (size - gap) / SIDE);
  }
}

export async function mount(panel, { wasm, settings, notify, writeHash, wasmModule }) {
  const s = { ...settings };
  const btn = (label, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text: label });
  const toggle = (key, label) => {
    const box = el('input', { type: 'checkbox', id: `gan-show-${key}` });
    box.checked = s[key] === 'on';
    box.addEventListener('change', () => { s[key] = box.checked ? 'on' : 'off'; writeHash('gan', s); draw(); });
    return el('label', { for: box.id, class: 'toggle' }, box, ` ${label}`);
  };

  // ---- part switch
  const partSelect = select([['2d', '2-D, trained live'], ['digits', 'Digits from a trained GAN'], ['families', 'The three families side by side']], s.part);
  partSelect.id = 'gan-part';
  const parts = { '2d': el('div', { id: 'gan-part-2d' }), digits: el('div', { id: 'gan-part-digits' }), families: el('div', { id: 'gan-part-families' }) };
  panel.append(
    el('div', { class: 'stage-head' },
      el('h2', { text: 'GAN: a generator learns to fool a discriminator' }),
      field('Part', partSelect)),
    parts['2d'], parts.digits, parts.families);

  // =====================================================================================
  // 2-D, trained live
  // =====================================================================================
  const plane = canvas(PLANE, PLANE, 'The plane: real points (green), generated points (violet), D(x) as shading, the generator\'s image of the noise grid and arrows where the generator\'s next step moves its points');
  plane.id = 'gan-plane';
  plane.classList.add('main-picture');
  plane.dataset.story = 'picture';
  plane.style.setProperty('--picture-max', `${PLANE}px`);
  const pctx = plane.getContext('2d');
  const nextBtn = el('button', { class: 'primary next', id: 'gan-next', 'data-story': 'advance', onclick: () => halfStep() });
  const runBtn = btn('Run', 'Space', () => toggleRun());
  const resetBtn = btn('Reset', 'R', () => reset());
  const readout = el('table', { class: 'kv small', id: 'gan-readout', 'data-story': 'readout' });
  const status = el('p', { id: 'gan-status', class: 'muted small' });
  const tryLine = el('p', { class: 'try', id: 'gan-try' });
  const scale = canvas(240, 30, 'Colour scale of the shading: D(x) from 0 (violet, judged generated) to 1 (green, judged real)');
  scale.id = 'gan-scale';
  const lossPlot = canvas(460, 170, 'Both losses after every iteration');
  lossPlot.id = 'gan-losses';
  const divPlot = canvas(460, 170, 'JS and KL divergence between the real and the generated points on a 30 by 30 grid, every 50 iterations');
  divPlot.id = 'gan-divergence';
  const curvePlot = canvas(460, 200, 'Each generator loss against D(G(z)), with the current generated points\' D values marked along the bottom');
  curvePlot.id = 'gan-curves';
  const curveText = el('p', { class: 'small', id: 'gan-curve-text' });
  const modesOut = el('p', { class: 'small', id: 'gan-modes' });

  const dataSel = select(Object.entries(NAMES), s.data);
  const lossSel = select(Object.entries(LOSS_NAMES), s.loss);
  const noiseSel = select([['gaussian', 'Gaussian'], ['uniform', 'uniform']], s.noise);
  const ndSel = select([['1', '1-D'], ['2', '2-D']], String(s.nd));
  const optSel = select([['adam', 'Adam'], ['sgd', 'plain gradient descent']], s.opt);
  const num = (value, attrs) => el('input', { type: 'number', value, ...attrs });
  const gl = num(s.gl, { min: 1, max: 4 });
  const gw = num(s.gw, { min: 2, max: 128 });
  const dl = num(s.dl, { min: 1, max: 4 });
  const dw = num(s.dw, { min: 2, max: 128 });
  const lrg = num(s.lrg, { min: 0.00001, max: 1, step: 'any' });
  const lrd = num(s.lrd, { min: 0.00001, max: 1, step: 'any' });
  const beta1 = num(s.beta1, { min: 0, max: 0.99, step: 'any' });
  const kIn = num(s.k, { min: 1, max: 10 });
  const decayIn = num(s.decay, { min: 0, max: 1000000 });
  const speedIn = el('input', { type: 'range', min: 1, max: 50, value: s.speed });
  const speedOut = el('output', { text: '' });
  const seedIn = num(s.seed, { min: 0, max: 4294967295 });
  const clearDrawn = btn('Clear drawn points', 'X', () => { drawn = []; s.pts = ''; writeHash('gan', s); reset(); });
  const drawnHelp = el('p', { class: 'small muted', id: 'gan-drawn-help' });

  parts['2d'].append(
    el('div', { class: 'stage' }, plane,
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, nextBtn),
        el('div', { class: 'controls compact' }, runBtn, resetBtn),
        readout, status,
        el('div', { class: 'key' },
          el('span', { class: 'swatch real' }), ' real points  ', el('span', { class: 'swatch fake' }), ' generated points G(z). White lines: G\'s image of a grid over the noise z. White arrows: where G\'s next step pushes each point. Yellow crosses: the centres of the real modes. Shading, D(x):', scale,
          el('div', { class: 'toggles' }, toggle('real', 'real'), toggle('fake', 'generated'), toggle('shade', 'D(x)'), toggle('grid', 'noise grid'), toggle('arrows', 'arrows'), toggle('dstar', 'D* instead of D'))),
        el('div', { class: 'explain' },
          el('p', { class: 'equation' }, ...math('min_G max_D  E_{x ~ data}[log D(x)] + E_{z ~ noise}[log(1 − D(G(z)))]')),
          el('p', {}, 'The generator G turns noise z into points; the discriminator D scores each point: near 1 for "real", near 0 for "generated". D\'s half-step raises the objective, G\'s lowers it by moving its points where D says "real". Nothing ever evaluates a density: G is an implicit model.')),
        tryLine)),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Losses and divergences' }),
          lossPlot, divPlot, modesOut,
          el('p', { class: 'muted small' }, ...math('JS and KL compare the real density, integrated exactly over each cell of a 30 × 30 grid, with the share of 10,000 generated points in the cell; one more cell holds everything outside the square (real mass that spills out, generated points thrown away). KL(p_data ‖ p_g) adds half a point to every generated count, so an empty cell costs a lot but not infinity. JS is at most ln 2 = 0.693 nats.'))),
        el('div', { class: 'card' }, el('h3', { text: 'Why the minimax loss starves the generator' }),
          curvePlot, curveText)),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Data and networks' }),
          el('div', { class: 'controls' }, field('Data', dataSel), clearDrawn), drawnHelp,
          el('div', { class: 'controls' }, field('Generator loss', lossSel)),
          el('div', { class: 'controls' }, field('Noise z', noiseSel), field('dimensions', ndSel)),
          el('div', { class: 'controls' }, field('G: hidden layers', gl), field('width', gw)),
          el('div', { class: 'controls' }, field('D: hidden layers', dl), field('width', dw)),
          el('div', { class: 'controls' }, field('Optimizer', optSel), field('Adam β₁', beta1)),
          el('div', { class: 'controls' }, field('Learning rate of G', lrg), field('of D', lrd)),
          el('div', { class: 'controls' }, field('D steps per G step (k)', kIn), field('Rates fall to 0 over (iterations; 0: never)', decayIn)),
          el('div', { class: 'controls' }, field('Iterations per frame', speedIn), speedOut, field('Seed', seedIn)),
          el('p', { class: 'muted small', text: 'Batches of 256 real and 256 generated points. ReLU hidden units in G, leaky ReLU in D. The same seed gives the same run at any speed.' })),
        shortcutList([['D', 'train D'], ['G', 'train G'], ['S', 'next half-step'], ['Space', 'run/pause'], ['R', 'reset'], ['O', 'D* on/off'], ['X', 'clear drawn points'], ['Arrows + Enter', 'draw a point (drawn data)']]))),
  );
  for (const node of [status]) calmLiveRegion(node);

  let gan = null;
  let drawn = [];
  let running = false;
  let frame = 0;
  let history = { iteration: [], d_loss: [], g_loss: [], js: [], kl: [] };
  let lastAction = '';
  let noise = null; // the fixed noise of the points drawn
  let realShown = null;
  let dstarCache = null; // { iteration, grid }
  let fps = 0;
  let itersPerSecond = 0;
  const frameTimes = [];
  let keyCursor = null;

  const X = (x) => x * PLANE;
  const Y = (y) => (1 - y) * PLANE;
  const options = () => ({
    data: s.data, points: drawn.flat(), loss: s.loss, noise: s.noise, noiseDim: s.nd, generatorLayers: s.gl, generatorWidth: s.gw,
    discriminatorLayers: s.dl, discriminatorWidth: s.dw, optimizer: s.opt, beta1: s.beta1, lrGenerator: s.lrg, lrDiscriminator: s.lrd,
    dSteps: s.k, decay: s.decay, seed: s.seed,
  });

  function readNumber(input, lo, hi, key, whole = true) {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(v) || v < lo || v > hi || (whole && !Number.isInteger(v))) {
      notify(`${input.labels?.[0]?.textContent.trim() ?? key}: ${whole ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got "${input.value}"; kept ${s[key]}.`, 'error');
      input.value = s[key];
      return false;
    }
    s[key] = v;
    return true;
  }
  function readSettings() {
    s.data = dataSel.value; s.loss = lossSel.value; s.noise = noiseSel.value; s.nd = Number(ndSel.value); s.opt = optSel.value;
    readNumber(gl, 1, 4, 'gl'); readNumber(gw, 2, 128, 'gw'); readNumber(dl, 1, 4, 'dl'); readNumber(dw, 2, 128, 'dw');
    readNumber(lrg, 0.00001, 1, 'lrg', false); readNumber(lrd, 0.00001, 1, 'lrd', false); readNumber(beta1, 0, 0.99, 'beta1', false);
    readNumber(kIn, 1, 10, 'k'); readNumber(decayIn, 0, 1000000, 'decay'); readNumber(seedIn, 0, 4294967295, 'seed');
    s.speed = Number(speedIn.value);
    s.pts = drawn.map(([x, y]) => `${x.toFixed(3)},${y.toFixed(3)}`).join(';');
    writeHash('gan', s);
  }

  function reset() {
    stopRun();
    readSettings();
    drawnHelp.textContent = s.data === 'drawn'
      ? `Click or drag on the plane to add points (or focus it, move with the arrow keys and press Enter). ${drawn.length} drawn; each becomes a small Gaussian of the real distribution.`
      : '';
    clearDrawn.hidden = s.data !== 'drawn';
    plane.tabIndex = s.data === 'drawn' ? 0 : -1; // a tab stop only where it takes points
    try {
      gan = new wasm.GanDemo(options());
    } catch (e) {
      gan = null;
      status.textContent = e.message;
      status.className = 'warn small';
      history = { iteration: [], d_loss: [], g_loss: [], js: [], kl: [] };
      draw();
      return;
    }
    noise = gan.noise(SHOWN_POINTS, 7);
    realShown = gan.realPoints(SHOWN_POINTS, s.seed);
    history = gan.history(0);
    dstarCache = null;
    lastAction = '';
    status.className = 'muted small';
    status.textContent = `A new run: G's points start in a blob at the centre; D has not learnt anything (its shading is almost flat).`;
    draw();
  }

  function after(action) {
    lastAction = action;
    status.className = 'muted small';
    status.textContent = action === 'd' ? `D took ${s.k > 1 ? `${s.k} steps` : 'a step'} up the objective on a fresh batch: the shading moved, G's points did not.`
      : action === 'g' ? 'G took a step: its points moved along the arrows; the shading did not change.' : '';
    const more = gan.history(history.iteration.length);
    for (const k of Object.keys(history)) history[k] = history[k].concat(more[k]);
    const why = gan.diverged();
    if (why) { stopRun(); status.textContent = why; status.className = 'err small'; }
    else if (gan.finished()) { stopRun(); status.className = 'muted small'; status.textContent = `The learning rates reached 0 at iteration ${s.decay}: training is over. Reset for a new run, or set "Rates fall to 0 over" higher.`; }
    draw();
  }

  function guarded(fn, action) {
    if (!gan) { status.textContent = 'Fix the setting named above, or draw at least two points, then Reset.'; return; }
    if (gan.finished()) { after(action); return; }
    try { fn(); } catch (e) { stopRun(); status.textContent = e.message; status.className = 'err small'; draw(); return; }
    after(action);
  }
  // A half-step by hand pauses a run: the run's next state would otherwise overwrite it.
  const trainD = () => guarded(() => { stopRun(); if (gan.nextPhase() === 'generator') gan.trainGenerator(); gan.trainDiscriminator(); }, 'd');
  const trainG = () => guarded(() => { stopRun(); gan.trainGenerator(); }, 'g');
  const halfStep = () => (gan?.nextPhase() === 'generator' ? trainG() : trainD());

  // ---- Run: training in a Web Worker while the page draws. The worker sends the run's whole
  // state after each frame's iterations; the page takes it on (so every readout, half-step and
  // Pause works on the page's own copy) and asks for the next frame's iterations before it
  // draws this one, so training and drawing overlap on two cores. Until the worker is ready,
  // or if it fails, the page trains itself. The numbers are the same either way.
  let trainer = null; // { worker, ok, reason }
  function startTrainer() {
    if (trainer || typeof Worker === 'undefined' || !wasmModule) return;
    const t = { worker: null, ok: false, reason: '' };
    trainer = t;
    (async () => {
      try {
        t.worker = await startWorker(new URL('./gan-worker.js', import.meta.url), { type: 'load', module: await wasmModule() });
        t.worker.onmessage = ({ data: m }) => {
          if (m.type === 'error') { trainerFailed(m.message); return; }
          if (running && m.run === runId) inbox.push(m);
        };
        t.worker.onerror = (e) => { e.preventDefault?.(); trainerFailed(e.message || 'it stopped'); };
        t.ok = true;
      } catch (e) {
        t.reason = e.message ?? String(e);
      }
    })();
  }
  function trainerFailed(reason) {
    if (!trainer?.ok) return;
    trainer.ok = false;
    trainer.reason = reason;
    trainer.worker.terminate();
    if (running && where === 'worker') {
      where = 'page'; // from the last state drawn: nothing is lost
      notify(`Training goes on in the page: its Web Worker failed (${reason}).`, 'error');
    }
  }
  let runTimer = 0;
  let runId = 0;
  let where = 'page'; // where the running run trains: 'page' or 'worker'
  let inbox = []; // the worker's states not yet taken on, in order
  let asked = 0; // requests whose state has not been drawn yet
  // Up to three states in flight (trained, or waiting to be drawn): the worker never waits for
  // the page to draw, and a late frame does not leave it idle (with two it idled a tenth of
  // the time here; 570 against 720 iterations per second).
  const AHEAD = 3;
  const askWorker = () => { asked += 1; trainer.worker.postMessage({ type: 'iterate', run: runId, n: s.speed }); };
  function stopRun() { running = false; inbox = []; runBtn.textContent = 'Run'; cancelAnimationFrame(runTimer); }
  function toggleRun() {
    if (running) { stopRun(); return; }
    if (!gan || gan.diverged() || gan.finished()) { reset(); if (!gan) return; }
    startTrainer();
    running = true;
    runId += 1;
    where = 'page';
    runBtn.textContent = 'Pause';
    asked = 0;
    frameTimes.length = 0;
    const loop = () => {
      if (!running) return;
      runTimer = requestAnimationFrame(loop);
      if (where === 'page' && trainer?.ok) {
        // The worker is ready: the run moves there from the state just drawn.
        try {
          trainer.worker.postMessage({ type: 'begin', run: runId, options: options(), state: gan.state(0) });
          where = 'worker';
          while (asked < AHEAD) askWorker();
        } catch (e) {
          trainerFailed(e.message ?? String(e));
        }
        return;
      }
      if (where === 'worker') {
        if (!inbox.length) return; // nothing new to draw yet
        // One state a display frame: two that arrive together are drawn on two frames, so
        // every state the worker trains is seen.
        const m = inbox.shift();
        asked -= 1;
        try {
          gan.restore(m.state);
        } catch (e) {
          trainerFailed(e.message ?? String(e));
          return;
        }
        if (m.error && !gan.diverged()) { stopRun(); status.textContent = m.error; status.className = 'err small'; draw(); return; }
        // A run that ends here takes on no later state (trained ahead).
        if (gan.diverged() || gan.finished()) inbox = [];
        while (asked < AHEAD && !gan.diverged() && !gan.finished()) askWorker();
        after('run');
      } else {
        guarded(() => gan.iterate(s.speed), 'run');
      }
      // Rates over the last 30 frames drawn.
      frameTimes.push([performance.now(), gan?.iteration() ?? 0]);
      if (frameTimes.length > 31) frameTimes.shift();
      if (frameTimes.length > 1) {
        const [t0, i0] = frameTimes[0];
        const [t1, i1] = frameTimes[frameTimes.length - 1];
        fps = (1000 * (frameTimes.length - 1)) / (t1 - t0);
        itersPerSecond = (1000 * (i1 - i0)) / (t1 - t0);
      }
      readout.dataset.trainer = where;
    };
    runTimer = requestAnimationFrame(loop);
  }

  function drawScale() {
    const ctx = scale.getContext('2d');
    const w = scale.width;
    for (let i = 0; i < w; i++) {
      const [r, g, b] = shade(i / (w - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(i, 0, 1, 14);
    }
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 14, w, 16);
    ctx.fillStyle = '#c8cdd8';
    ctx.font = '13px system-ui, sans-serif';
    ctx.textAlign = 'left'; ctx.fillText('0 generated', 0, 28);
    ctx.textAlign = 'center'; ctx.fillText('0.5', w / 2, 28);
    ctx.textAlign = 'right'; ctx.fillText('1 real', w, 28);
  }

  /** One path of all the points' dots (one fill for hundreds of them, not one each). */
  function dots(xy, r) {
    const path = new Path2D();
    for (let i = 0; i < xy.length; i += 2) {
      const x = X(xy[i]);
      const y = Y(xy[i + 1]);
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, 2 * Math.PI);
    }
    return path;
  }

  function drawPlane() {
    pctx.fillStyle = '#161a24';
    pctx.fillRect(0, 0, PLANE, PLANE);
    if (!gan) {
      pctx.fillStyle = '#c8cdd8';
      pctx.font = '16px system-ui, sans-serif';
      pctx.textAlign = 'center';
      pctx.fillText(s.data === 'drawn' ? 'Click to draw the real data (two points at least).' : 'No run: see the message beside.', PLANE / 2, PLANE / 2);
      pctx.textAlign = 'start';
      for (const [x, y] of drawn) { pctx.fillStyle = REAL_COLOR; pctx.beginPath(); pctx.arc(X(x), Y(y), 3, 0, 7); pctx.fill(); }
      return;
    }
    const useStar = s.dstar === 'on';
    if (s.shade === 'on' || useStar) {
      let grid;
      let cells = SHADE_CELLS;
      if (useStar) {
        if (!dstarCache || dstarCache.iteration !== gan.iteration() || dstarCache.phase !== gan.nextPhase()) {
          dstarCache = { iteration: gan.iteration(), phase: gan.nextPhase(), grid: gan.optimalDiscriminatorGrid(SHADE_CELLS) };
        }
        grid = dstarCache.grid;
      } else grid = gan.discriminatorGrid(cells);
      const img = new ImageData(cells, cells);
      for (let r = 0; r < cells; r++) {
        for (let c = 0; c < cells; c++) {
          const [R, G, B] = shade(grid[r * cells + c]);
          img.data.set([R, G, B, 255], ((cells - 1 - r) * cells + c) * 4);
        }
      }
      const off = new OffscreenCanvas(cells, cells);
      off.getContext('2d').putImageData(img, 0, 0);
      pctx.imageSmoothingEnabled = true;
      pctx.drawImage(off, 0, 0, PLANE, PLANE);
    }
    // Light square lines every 0.1 for scale.
    pctx.strokeStyle = 'rgba(255,255,255,0.06)';
    pctx.lineWidth = 1;
    for (let v = 0.1; v < 1; v += 0.1) {
      pctx.beginPath(); pctx.moveTo(X(v), 0); pctx.lineTo(X(v), PLANE); pctx.moveTo(0, Y(v)); pctx.lineTo(PLANE, Y(v)); pctx.stroke();
    }
    if (s.grid === 'on') {
      const lines = 11;
      const samples = 40;
      const g = gan.generatorGrid(lines, samples);
      pctx.strokeStyle = 'rgba(255,255,255,0.35)';
      pctx.lineWidth = 1;
      const per = s.nd === 1 ? lines * samples : samples;
      for (let start = 0; start < g.length; start += 2 * per) {
        pctx.beginPath();
        for (let i = 0; i < per; i++) {
          const x = X(g[start + 2 * i]);
          const y = Y(g[start + 2 * i + 1]);
          if (i === 0) pctx.moveTo(x, y); else pctx.lineTo(x, y);
        }
        pctx.stroke();
      }
    }
    if (s.real === 'on') {
      pctx.fillStyle = REAL_COLOR;
      pctx.fill(dots(realShown, 2.5));
    }
    const fake = gan.generate(noise);
    if (s.fake === 'on') {
      const path = dots(fake, 2.8);
      pctx.fillStyle = FAKE_COLOR;
      pctx.fill(path);
      pctx.strokeStyle = '#000';
      pctx.lineWidth = 0.8;
      pctx.stroke(path);
    }
    if (s.arrows === 'on') {
      const pts = fake.subarray(0, 2 * ARROWS);
      const grad = gan.pointGradients(pts);
      let top = 0;
      for (let i = 0; i < grad.length; i += 2) top = Math.max(top, Math.hypot(grad[i], grad[i + 1]));
      // Scaled so that the longest arrow is 32 px: lengths compare within a frame.
      const k = top > 0 ? 32 / top : 0;
      pctx.strokeStyle = '#ffffff';
      pctx.lineWidth = 1.3;
      pctx.beginPath();
      for (let i = 0; i < pts.length; i += 2) {
        const x0 = X(pts[i]);
        const y0 = Y(pts[i + 1]);
        const dx = grad[i] * k;
        const dy = -grad[i + 1] * k;
        const len = Math.hypot(dx, dy);
        if (len < 1.5) continue;
        const x1 = x0 + dx;
        const y1 = y0 + dy;
        const ux = dx / len;
        const uy = dy / len;
        pctx.moveTo(x0, y0); pctx.lineTo(x1, y1);
        pctx.lineTo(x1 - 5 * ux - 3 * uy, y1 - 5 * uy + 3 * ux); pctx.moveTo(x1, y1); pctx.lineTo(x1 - 5 * ux + 3 * uy, y1 - 5 * uy - 3 * ux);
      }
      pctx.stroke();
    }
    if (s.data === 'drawn') {
      pctx.strokeStyle = REAL_COLOR;
      for (const [x, y] of drawn) { pctx.beginPath(); pctx.arc(X(x), Y(y), 4, 0, 7); pctx.stroke(); }
    }
    const modes = gan.modes();
    pctx.strokeStyle = '#ffd166';
    pctx.lineWidth = 1.5;
    for (let i = 0; i < modes.length; i += 2) {
      const x = X(modes[i]); const y = Y(modes[i + 1]);
      pctx.beginPath(); pctx.moveTo(x - 5, y); pctx.lineTo(x + 5, y); pctx.moveTo(x, y - 5); pctx.lineTo(x, y + 5); pctx.stroke();
    }
    pctx.font = '14px system-ui, sans-serif';
    pctx.fillStyle = '#c8cdd8';
    pctx.fillText('0', 4, PLANE - 6);
    pctx.textAlign = 'right';
    pctx.fillText('1', PLANE - 4, PLANE - 6);
    pctx.textAlign = 'start';
    pctx.fillText('1', 4, 16);
    if (keyCursor && s.data === 'drawn' && document.activeElement === plane) drawCursor(pctx, keyCursor, 12);
    plane.dataset.iteration = String(gan.iteration());
    plane.dataset.fake = Array.from(fake.subarray(0, 6)).map((v) => v.toFixed(4)).join(',');
  }

  // The mode readout scores 10,000 generated points: once a click, and while running once every
  // 50 iterations (as the divergences are), not on every frame.
  let sharesCache = null;
  function modeShares() {
    if (!gan) return null;
    const it = gan.iteration();
    if (!sharesCache || sharesCache.gan !== gan || (running ? it - sharesCache.iteration >= 50 || it < sharesCache.iteration : it !== sharesCache.iteration || gan.nextPhase() !== sharesCache.phase)) {
      sharesCache = { gan, iteration: it, phase: gan.nextPhase(), shares: gan.modeShares() };
    }
    return sharesCache.shares;
  }

  function lastFinite(arr) { for (let i = arr.length - 1; i >= 0; i--) if (Number.isFinite(arr[i])) return arr[i]; return NaN; }

  function drawReadout() {
    const it = gan ? gan.iteration() : 0;
    const js = lastFinite(history.js);
    const kl = lastFinite(history.kl);
    const dLoss = history.d_loss.at(-1);
    const gLoss = history.g_loss.at(-1);
    const shares = modeShares();
    const rows = [
      ['iteration', `${it}${running ? ` (${Math.round(itersPerSecond)} per second, ${Math.round(fps)} frames per second)` : ''}`],
      ['D\'s loss', Number.isFinite(dLoss) ? dLoss.toFixed(3) : '–'],
      ['G\'s loss', Number.isFinite(gLoss) ? gLoss.toFixed(3) : '–'],
      ['JS divergence', Number.isFinite(js) ? `${js.toFixed(3)} nats` : '–'],
      ['KL(p_data ‖ p_g)', Number.isFinite(kl) ? `${kl.toFixed(3)} nats` : '–'],
    ];
    if (shares) rows.push(['modes with a fair share', `${shares.covered} of ${shares.near.length}`]);
    // Rebuilt only when its rows change; on a running frame only the values are written.
    const keys = rows.map(([k]) => k).join('|');
    if (readout.dataset.keys !== keys) {
      readout.dataset.keys = keys;
      readout.replaceChildren(...rows.map(([k, v]) => el('tr', {}, el('td', {}, ...math(k)), el('td', { class: 'mono', text: v }))));
    } else {
      rows.forEach(([, v], i) => { const cell = readout.rows[i].cells[1]; if (cell.textContent !== v) cell.textContent = v; });
    }
    readout.dataset.iteration = String(it);
    readout.dataset.js = String(js);
    readout.dataset.ips = String(itersPerSecond);
    readout.dataset.fps = String(fps);
    modesOut.textContent = shares
      ? `Share of the 10,000 generated points within three standard deviations of each real mode: ${shares.near.map((v) => `${Math.round(v * 100)}%`).join(', ')}. A mode holds a fair share with at least half of an equal share (${Math.round(50 / shares.near.length)}%).`
      : 'This data has no separate modes to count.';
  }

  function drawCharts() {
    const xs = history.iteration.map((v) => Math.max(v, 0));
    if (xs.length > 1) {
      linePlot(lossPlot.getContext('2d'), history.d_loss.slice(1), { xs: xs.slice(1), label: 'losses: D (blue), G (orange)', xLabel: 'iteration', color: '#4cc9f0', second: { ys: history.g_loss.slice(1), color: '#ff9f1c' } });
    } else linePlot(lossPlot.getContext('2d'), [], { label: 'losses: D (blue), G (orange)', empty: 'Train to see both losses.' });
    // The divergences exist every 50 iterations.
    const at = [];
    const js = [];
    const kl = [];
    history.js.forEach((v, i) => { if (Number.isFinite(v)) { at.push(xs[i]); js.push(v); kl.push(history.kl[i]); } });
    if (at.length > 1) linePlot(divPlot.getContext('2d'), js, { xs: at, label: 'JS (blue) and KL (orange), nats', xLabel: 'iteration', color: '#4cc9f0', second: { ys: kl, color: '#ff9f1c' } });
    else linePlot(divPlot.getContext('2d'), [], { label: 'JS (blue) and KL (orange), nats', empty: 'Measured every 50 iterations.' });
  }
  function drawCurves() {
    const n = 99;
    const c = wasm.ganLossCurves(n);
    const d = Array.from(c.subarray(0, n));
    const series = { minimax: c.subarray(n, 2 * n), 'non-saturating': c.subarray(2 * n, 3 * n), 'least-squares': c.subarray(3 * n, 4 * n) };
    const slopes = { minimax: c.subarray(4 * n, 5 * n), 'non-saturating': c.subarray(5 * n, 6 * n), 'least-squares': c.subarray(6 * n, 7 * n) };
    const ctx = curvePlot.getContext('2d');
    const other = s.loss === 'minimax' ? 'non-saturating' : 'minimax';
    const axes = linePlot(ctx, Array.from(series[s.loss]), { xs: d, label: `G's loss: ${s.loss} (blue), ${other} (orange)`, xLabel: 'D(G(z))', color: '#4cc9f0', second: { ys: Array.from(series[other]), color: '#ff9f1c' } });
    if (!gan || !axes) return;
    const values = gan.discriminatorAt(gan.generate(noise));
    ctx.fillStyle = FAKE_COLOR;
    for (let i = 0; i < values.length; i += 4) ctx.fillRect(axes.X(values[i]) - 1, axes.bottom - 9, 2, 8);
    let mean = 0;
    for (const v of values) mean += v;
    mean /= values.length;
    const idx = Math.min(n - 1, Math.max(0, Math.floor(mean * n)));
    curveText.textContent = `Violet ticks: D(G(z)) of the generated points now (mean ${mean.toFixed(3)}). There, the slope of G's loss with respect to D's score is ${fmt(slopes[s.loss][idx], 3)} for ${s.loss} and ${fmt(slopes[other][idx], 3)} for ${other}. ` +
      'When D rejects the fakes (D(G(z)) near 0), log(1 − D) is flat: the minimax generator gets almost no gradient, while −log D is steep there. Both have the same fixed point.';
  }

  function drawTry() {
    const it = gan?.iteration() ?? 0;
    let text;
    if (!gan) text = s.data === 'drawn' ? 'Try: draw two clusters of points, then Run: does G cover both?' : 'Try: Reset.';
    else if (lastAction === '') text = 'Try: press "Train the discriminator": the shading turns green where the real points are and violet under G\'s blob. Then "Train the generator": the arrows show where each point is pushed.';
    else if (lastAction === 'd') text = 'D just learnt a little: see the shading. Next, "Train the generator": G moves its points up the shading, along the arrows.';
    else if (lastAction === 'g' && it < 20) text = 'G moved its points along the arrows. Alternate a few more half-steps, then press Run (Space).';
    else if (s.dstar !== 'on' && it >= 200) text = 'Try: turn on "D* instead of D" (O): the best possible discriminator for G as it is now, p(data) / (p(data) + p(G)). Where G matches the data, D* is ½ everywhere.';
    else if (s.loss !== 'minimax' && it >= 500) text = 'Try: choose the minimax loss and Reset: early on, D rejects G\'s points easily, and the curve below shows why G then learns slowly.';
    else if (s.data !== 'ring' && it >= 1000) text = 'Try: the ring of eight with 1-D noise: a continuous G cannot reach all modes without a trail between them; watch the mode readout.';
    else text = 'Watch JS fall as G\'s points spread over the data; the rates fall to 0 by the iteration set below, so the run settles.';
    tryLine.textContent = text;
  }

  function draw() {
    const phase = gan?.nextPhase() ?? 'discriminator';
    nextBtn.textContent = phase === 'discriminator' ? `Train the discriminator${s.k > 1 ? ` (${s.k} steps)` : ''}` : 'Train the generator';
    nextBtn.disabled = !gan;
    speedOut.textContent = `${s.speed}`;
    drawPlane();
    drawReadout();
    // While running, the charts follow four times a second (the plane every frame).
    const now = performance.now();
    if (!running || now - chartsDrawn > 250) {
      chartsDrawn = now;
      drawCharts();
      drawCurves();
      drawTry();
    }
  }
  let chartsDrawn = 0;

  // Drawn data: click or drag on the plane, or the keyboard cursor.
  function addPoint([x, y]) {
    if (s.data !== 'drawn') return;
    if (drawn.length >= 2000) { status.textContent = 'At most 2,000 drawn points.'; return; }
    drawn.push([Math.min(1, Math.max(0, x)), Math.min(1, Math.max(0, y))]);
    reset();
  }
  const at = (e) => {
    const r = plane.getBoundingClientRect();
    return [(e.clientX - r.left) / r.width, 1 - (e.clientY - r.top) / r.height];
  };
  let dragging = false;
  plane.addEventListener('pointerdown', (e) => { if (s.data === 'drawn') { dragging = true; addPoint(at(e)); } });
  plane.addEventListener('pointermove', (e) => {
    if (!dragging || s.data !== 'drawn') return;
    const p = at(e);
    const last = drawn.at(-1);
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > 0.02) addPoint(p);
  });
  window.addEventListener('pointerup', () => { dragging = false; });
  keyboardCursor(plane, {
    step: 0.02,
    onMove: (p) => { keyCursor = p; if (s.data === 'drawn') drawPlane(); },
    onAct: (p) => addPoint([p[0], 1 - p[1]]),
    enabled: () => s.data === 'drawn',
  });

  for (const input of [dataSel, lossSel, noiseSel, ndSel, optSel, gl, gw, dl, dw, lrg, lrd, beta1, kIn, decayIn, seedIn]) input.addEventListener('change', reset);
  speedIn.addEventListener('input', () => { s.speed = Number(speedIn.value); speedOut.textContent = `${s.speed}`; writeHash('gan', s); });
  drawScale();

  function loadDrawn() {
    drawn = [];
    if (!s.pts) return;
    try {
      const flat = wasm.parseGanPoints(s.pts);
      for (let i = 0; i + 1 < flat.length; i += 2) drawn.push([flat[i], flat[i + 1]]);
    } catch (e) { notify(`URL: ${e.message}`, 'error'); }
  }

  // =====================================================================================
  // Digits from a GAN, and the three families
  // =====================================================================================
  const base = new URL('../models/', import.meta.url);
  const text = (bytes) => new TextDecoder().decode(bytes);
  let digits = null;
  let digitsLoading = null;
  const classSel = select(Array.from({ length: 10 }, (_, k) => [String(k), String(k)]), String(s.class));
  const dseedIn = num(s.dseed, { min: 0, max: 4294967295 });
  const grid = canvas(8 * 48, 8 * 48, 'Sixty-four digits drawn by the GAN\'s generator for the chosen class');
  grid.id = 'gan-digits';
  grid.classList.add('main-picture');
  grid.dataset.story = 'picture';
  grid.style.setProperty('--picture-max', '384px');
  const newNoise = btn('New noise', 'N', () => { dseedIn.value = s.dseed + 1; onDigitsChange(); }, 'primary next');
  newNoise.dataset.story = 'advance';
  const digitsOut = el('p', { id: 'gan-digits-time', class: 'small', 'data-story': 'readout' });
  const walk = canvas(10 * 48, 48, 'Ten images along a straight line in z between two noise vectors');
  walk.id = 'gan-walk';
  const nearest = canvas(10 * 48, 2 * 48 + 4, 'Top: samples of the GAN; bottom: the nearest training image to each');
  nearest.id = 'gan-nearest';
  const nearestOut = el('p', { class: 'small', id: 'gan-nearest-text' });
  const progress = canvas(10 * 40, 6 * 40, 'The same ten noise vectors through the generator at six points of its training');
  progress.id = 'gan-progress';
  const progressOut = el('p', { class: 'small', id: 'gan-progress-text' });
  const cardOut = el('p', { class: 'small', id: 'gan-card' });
  parts.digits.append(
    el('div', { class: 'stage' }, grid,
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, newNoise, field('Class', classSel), field('Seed', dseedIn)),
        digitsOut, cardOut,
        el('div', { class: 'explain' },
          el('p', { class: 'equation', text: 'x = G(z, y),  z ~ N(0, I)' }),
          el('p', {}, 'A class-conditional generator, trained with PyTorch against a discriminator that saw real digits: one pass of three layers turns 32 random numbers and a class into a whole image, all 784 pixels at once. It has no likelihood to report: the GAN was never asked for one.')),
        el('p', { class: 'try', text: 'Try: press N a few times: every digit is new, none was stored. Then look below: is a sample a copy of a training image?' }))),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'A walk in z' }),
          el('p', { class: 'muted small', text: 'From the first noise vector of this seed to the first of the next seed, in ten steps: the images change smoothly, so G has not memorised a list of digits.' }), walk),
        el('div', { class: 'card' }, el('h3', { text: 'Is it a copy?' }), nearest, nearestOut)),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'The same noise during training' }), progress, progressOut))),
  );

  async function loadDigits() {
    digitsLoading ??= (async () => {
      const [cardText, weights, nearJson, nearImages, progressBytes] = await Promise.all([
        download(new URL('gan-digits.json', base)).then(text),
        download(new URL('gan-digits.safetensors', base), { onProgress: (got, total) => { digitsOut.textContent = `Loading the generator: ${progressText(got, total)}`; } }),
        download(new URL('gan-digits-nearest.json', base)).then((b) => JSON.parse(text(b))),
        download(new URL('gan-digits-nearest.bin', base)),
        download(new URL('gan-digits-progress.bin', base)),
      ]);
      digits = { model: new wasm.GanDigits(weights, cardText), nearJson, nearImages, progressBytes };
      digits.card = digits.model.card();
      return digits;
    })();
    try { return await digitsLoading; } catch (e) { digitsLoading = null; throw e; }
  }

  function judgesText(quality) {
    const j = quality?.judges;
    if (!j) return 'not judged';
    return j.map((x) => `${x.kind.toUpperCase()} ${x.relative_to_ceiling.toFixed(3)}`).join(', ');
  }

  function drawDigits() {
    const t0 = performance.now();
    const images = digits.model.generate(64, s.class, s.dseed);
    const ms = performance.now() - t0;
    drawStrip(grid, images, 64, 8);
    grid.dataset.ms = String(ms);
    grid.dataset.sum = String(images.reduce((a, v) => a + v, 0));
    digitsOut.textContent = `64 digits of class ${s.class} in ${ms < 1 ? 'under 1' : Math.round(ms)} ms (${(ms / 64).toFixed(2)} ms each), one generator pass per digit on this computer's processor.`;
    const q = digits.card.sample_quality;
    cardOut.textContent = q
      ? `On 1,000 samples (its card): the three judges label them as asked for at ${judgesText(q)} of their ceilings; Fréchet distance on the CNN's features ${q.judges[0].frechet_distance} (real digits: ${q.judges[0].frechet_distance_real}); faint grey pixels ${(100 * q.faint_pixels).toFixed(2)}% (real: ${(100 * q.faint_pixels_real).toFixed(2)}%).`
      : '';
  }
  // The walk follows in the next task, so that the 64 digits are on screen first.
  let walkTimer = 0;
  function drawWalkSoon() {
    clearTimeout(walkTimer);
    walkTimer = setTimeout(() => drawStrip(walk, digits.model.walk(s.class, s.dseed, s.dseed + 1, 10), 10, 10), 0);
  }

  function drawNearestAndProgress() {
    const { nearJson, nearImages, progressBytes } = digits;
    const picks = nearJson.samples.filter((x) => x.label === s.class).concat(nearJson.samples.filter((x) => x.label !== s.class)).slice(0, 10);
    const ctx = nearest.getContext('2d');
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 0, nearest.width, nearest.height);
    picks.forEach((x, i) => {
      const index = nearJson.samples.indexOf(x);
      const img = digits.model.fromNoise(new Float32Array(x.z), x.label);
      drawGrey(ctx, img, SIDE, i * 48, 0, 46 / SIDE);
      drawGrey(ctx, nearImages.subarray(index * 784, (index + 1) * 784), SIDE, i * 48, 52, 46 / SIDE);
    });
    const dists = picks.map((x) => x.nearest_distance.toFixed(2)).join(', ');
    nearestOut.textContent = `Top: GAN samples; below each, the nearest of the 9,000 training images. Distances: ${dists}. A held-out real digit's nearest training image is typically ${nearJson.held_out_median_distance.toFixed(2)} away (median): samples about as far are not copies. The card's figure over 1,000 samples: ${digits.card.sample_quality?.nearest_training_ratio ?? '–'} times the held-out distance.`;
    const steps = digits.card.training?.progress_steps ?? [];
    const pc = progress.getContext('2d');
    pc.fillStyle = '#0f121a';
    pc.fillRect(0, 0, progress.width, progress.height);
    steps.forEach((_, r) => {
      for (let c = 0; c < 10; c++) {
        const o = (r * 10 + c) * 784;
        drawGrey(pc, progressBytes.subarray(o, o + 784), SIDE, c * 40, r * 40, 38 / SIDE);
      }
    });
    progressOut.textContent = steps.length
      ? `Rows: after ${steps.map((v) => v.toLocaleString('en')).join(', ')} training steps (batches of 64), the same noise for the digits 0 to 9, drawn by the trainer at those points (the weights of the earlier steps are not shipped).`
      : 'No snapshots in this model.';
  }

  async function showDigits() {
    try { await loadDigits(); } catch (e) { digitsOut.textContent = `The GAN could not be loaded: ${e.message}`; return; }
    drawDigits();
    drawStrip(walk, digits.model.walk(s.class, s.dseed, s.dseed + 1, 10), 10, 10);
    drawNearestAndProgress();
    parts.digits.dataset.ready = 'true';
  }
  function onDigitsChange() {
    const classChanged = s.class !== Number(classSel.value);
    s.class = Number(classSel.value);
    if (readNumber(dseedIn, 0, 4294967295, 'dseed')) writeHash('gan', s);
    if (!digits) return;
    drawDigits();
    drawWalkSoon();
    if (classChanged) drawNearestAndProgress(); // the samples beside their nearest follow the class, not the seed
  }
  classSel.addEventListener('change', onDigitsChange);
  dseedIn.addEventListener('change', onDigitsChange);

  // ---- the three families
  const famCount = 8;
  const famRows = {};
  const famTable = el('table', { class: 'kv small', id: 'gan-families-table', 'data-story': 'readout' });
  const famBtn = btn('Draw 8 of each', 'G', () => compareFamilies(), 'primary next');
  famBtn.dataset.story = 'advance';
  const famClass = el('span', { class: 'mono', id: 'gan-families-class' });
  const famStatus = el('p', { class: 'small', id: 'gan-families-status', 'aria-live': 'polite' });
  const famGrid = el('div', { class: 'families' });
  for (const [key, title, family] of [['pixelcnn', 'PixelCNN', 'exact density'], ['vae', 'VAE', 'a bound on the density'], ['gan', 'GAN', 'no density (implicit)']]) {
    const cv = canvas(8 * 40, 40, `${famCount} digits from the ${title}`);
    cv.id = `gan-family-${key}`;
    famRows[key] = { cv, time: el('td', { class: 'mono', text: '–' }), bits: el('td', { class: 'mono', text: '–' }) };
    famGrid.append(el('figure', {}, el('figcaption', {}, el('b', { text: title }), ` — ${family}`), cv));
  }
  parts.families.append(
    el('div', { class: 'stage' },
      el('div', { class: 'main-picture families-picture', 'data-story': 'picture' }, famGrid),
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, famBtn), el('p', { class: 'small' }, 'Class: ', famClass),
        famStatus, famTable,
        el('div', { class: 'explain' },
          // One line a family: a dot between them would read as a product.
          el('p', { class: 'equation' }, ...math('PixelCNN: p(x) = Π_i p(x_i | x_{<i})'), el('br'), ...math('VAE: log p(x) ≥ ELBO'), el('br'), ...math('GAN: x = G(z), no p(x)')),
          el('p', {}, 'Three ways to generate: the PixelCNN writes down p(x) exactly and pays with one network pass per pixel; the VAE bounds p(x) and decodes a whole image at once; the GAN draws a whole image at once and says nothing about p(x). The last column scores every family\'s samples with the same exact density, the PixelCNN\'s.')))),
  );

  let famModels = null;
  async function loadFamilies() {
    famModels ??= (async () => {
      const [d, pcCard, pcWeights, vaeCard, vaeWeights] = await Promise.all([
        loadDigits(),
        download(new URL('digits.json', base)).then(text),
        download(new URL('digits.safetensors', base), { onProgress: (got, total) => { famStatus.textContent = `Loading the PixelCNN: ${progressText(got, total)}`; } }),
        download(new URL('vae-digits.json', base)).then(text),
        download(new URL('vae-digits.safetensors', base)),
      ]);
      const pixelcnn = new wasm.PixelCnnDemo(pcWeights, pcCard);
      const vae = new wasm.VaeDemo(vaeWeights, vaeCard);
      // The cards as written (the models' own card() keeps only what they need).
      return { gan: d, pixelcnn, vae, pcCard: JSON.parse(pcCard), vaeCard: JSON.parse(vaeCard) };
    })();
    try { return await famModels; } catch (e) { famModels = null; throw e; }
  }

  /** ln p(x) under the PixelCNN with the ten classes equally likely, in bits per pixel. */
  function pixelBits(models, image) {
    const out = models.pixelcnn.classifyByBayes(image);
    let top = -Infinity;
    for (let k = 0; k < 10; k++) top = Math.max(top, out[k]);
    let sum = 0;
    for (let k = 0; k < 10; k++) sum += Math.exp(out[k] - top);
    const lnp = top + Math.log(sum) - Math.log(10);
    return -lnp / (784 * Math.LN2);
  }

  let famRun = 0;
  async function compareFamilies() {
    const run = ++famRun;
    famBtn.disabled = true;
    let models;
    try { models = await loadFamilies(); } catch (e) { famStatus.textContent = `The models could not be loaded: ${e.message}`; famBtn.disabled = false; return; }
    if (run !== famRun) return;
    const cls = s.class;
    famClass.textContent = `${cls} (PixelCNN and GAN; the VAE takes no class)`;
    const results = {};
    // GAN and VAE: one pass per image.
    let t0 = performance.now();
    const ganImages = models.gan.model.generate(famCount, cls, s.dseed);
    results.gan = { images: ganImages, ms: (performance.now() - t0) / famCount };
    t0 = performance.now();
    const vaeImages = models.vae.priorSamples(famCount, s.dseed);
    results.vae = { images: vaeImages, ms: (performance.now() - t0) / famCount };
    for (const key of ['gan', 'vae']) drawStrip(famRows[key].cv, results[key].images, famCount, famCount);
    // The PixelCNN: 784 steps, in slices of at most ~30 ms so that the page stays responsive.
    famStatus.textContent = 'The PixelCNN draws its digits pixel by pixel…';
    models.pixelcnn.start(new Uint32Array(famCount).fill(cls), 1.0, s.dseed, 'cached');
    let busy = 0;
    await new Promise((resolve) => {
      const slice = () => {
        if (run !== famRun) { resolve(); return; }
        const t = performance.now();
        let done = 0;
        while (performance.now() - t < 30 && done < 784) done = models.pixelcnn.step(8);
        busy += performance.now() - t;
        drawStrip(famRows.pixelcnn.cv, models.pixelcnn.images(), famCount, famCount);
        famStatus.textContent = `The PixelCNN draws its digits pixel by pixel: ${done} of 784 pixels.`;
        if (done >= 784) resolve(); else setTimeout(slice, 0);
      };
      slice();
    });
    if (run !== famRun) return;
    results.pixelcnn = { images: models.pixelcnn.images(), ms: busy / famCount };
    // Every family's samples scored by the PixelCNN's exact density.
    famStatus.textContent = 'Scoring every sample with the PixelCNN…';
    await new Promise((r) => setTimeout(r, 0));
    for (const key of ['pixelcnn', 'vae', 'gan']) {
      let total = 0;
      for (let i = 0; i < famCount; i++) total += pixelBits(models, results[key].images.subarray(i * 784, (i + 1) * 784));
      results[key].bits = total / famCount;
      await new Promise((r) => setTimeout(r, 0));
      if (run !== famRun) return;
    }
    const pcEval = models.pcCard.evaluation ?? {};
    const vaeEval = models.vaeCard.evaluation ?? {};
    const likelihood = {
      pixelcnn: `exact: ${pcEval.bits_per_dim?.toFixed(3) ?? '–'} bits/dim on held-out digits`,
      vae: `a bound: ${vaeEval.bound_bits_per_dim?.toFixed(3) ?? '–'} bits/dim (ELBO)${vaeEval.log_evidence_bits_per_dim ? `; its ln p(x) on a grid ${vaeEval.log_evidence_bits_per_dim.toFixed(3)}` : ''}`,
      gan: 'none: a GAN defines no density',
    };
    const judges = { pixelcnn: judgesText(models.pcCard.sample_quality), vae: 'none: it takes no class to check', gan: judgesText(models.gan.card.sample_quality) };
    famTable.replaceChildren(
      el('tr', {}, ...['', 'time per image', 'what it says of p(x)', 'judges (share of ceiling)', 'PixelCNN bits/dim of its samples'].map((h) => el('th', { scope: 'col', text: h }))),
      ...['pixelcnn', 'vae', 'gan'].map((key) => el('tr', { 'data-family': key },
        el('th', { scope: 'row', text: { pixelcnn: 'PixelCNN', vae: 'VAE', gan: 'GAN' }[key] }),
        el('td', { class: 'mono', text: `${results[key].ms < 0.1 ? results[key].ms.toFixed(3) : results[key].ms.toFixed(1)} ms` }),
        el('td', { text: likelihood[key] }),
        el('td', { class: 'mono', text: judges[key] }),
        el('td', { class: 'mono', text: results[key].bits.toFixed(3) }))));
    const speedup = results.pixelcnn.ms / Math.max(results.gan.ms, 1e-3);
    famStatus.textContent = `Measured in this browser: the PixelCNN took ${Math.round(results.pixelcnn.ms)} ms per image, the GAN ${results.gan.ms.toFixed(2)} ms (${Math.round(speedup)} times less). Lower bits/dim: the PixelCNN finds the samples more likely.`;
    famTable.dataset.ready = 'true';
    famBtn.disabled = false;
  }

  // =====================================================================================
  // Parts, settings, keys
  // =====================================================================================
  function showPart() {
    for (const [k, node] of Object.entries(parts)) {
      node.hidden = k !== s.part;
      // Only the part on screen tells the story (its picture, next step and readout) and
      // announces shortcuts (the keys act on the part shown).
      for (const [attr, stash] of [['data-story', 'data-hidden-story'], ['aria-keyshortcuts', 'data-hidden-keys']]) {
        for (const e of node.querySelectorAll(`[${attr}], [${stash}]`)) {
          const [from, to] = k === s.part ? [stash, attr] : [attr, stash];
          if (e.hasAttribute(from)) { e.setAttribute(to, e.getAttribute(from)); e.removeAttribute(from); }
        }
      }
    }
    if (s.part !== '2d') stopRun();
    if (s.part === 'digits') showDigits();
    if (s.part === 'families') { famClass.textContent = String(s.class); if (!famTable.dataset.ready) compareFamilies(); }
  }
  partSelect.addEventListener('change', () => { s.part = partSelect.value; writeHash('gan', s); showPart(); });

  function applyAll() {
    partSelect.value = s.part;
    dataSel.value = s.data; lossSel.value = s.loss; noiseSel.value = s.noise; ndSel.value = String(s.nd); optSel.value = s.opt;
    gl.value = s.gl; gw.value = s.gw; dl.value = s.dl; dw.value = s.dw; lrg.value = s.lrg; lrd.value = s.lrd; beta1.value = s.beta1;
    kIn.value = s.k; decayIn.value = s.decay; speedIn.value = s.speed; seedIn.value = s.seed;
    classSel.value = String(s.class); dseedIn.value = s.dseed;
    for (const key of ['real', 'fake', 'shade', 'grid', 'arrows', 'dstar']) document.getElementById(`gan-show-${key}`).checked = s[key] === 'on';
    loadDrawn();
    reset();
    showPart();
  }
  applyAll();
  panel.dataset.ready = 'true';

  const flip = (key) => { s[key] = s[key] === 'on' ? 'off' : 'on'; document.getElementById(`gan-show-${key}`).checked = s[key] === 'on'; writeHash('gan', s); draw(); };
  return {
    settings: () => s,
    apply(values) { Object.assign(s, values); applyAll(); },
    hide: stopRun,
    onKey(e) {
      const key = e.key === ' ' ? ' ' : e.key.toLowerCase();
      if (s.part === '2d') {
        const map = { d: trainD, g: trainG, s: halfStep, ' ': toggleRun, r: reset, o: () => flip('dstar'), x: () => clearDrawn.click() };
        if (map[key]) { map[key](); return true; }
      } else if (s.part === 'digits') {
        if (key === 'n') { dseedIn.value = s.dseed + 1; onDigitsChange(); return true; }
        if (/^[0-9]$/.test(key)) { classSel.value = key; onDigitsChange(); return true; }
      } else if (key === 'g') { compareFamilies(); return true; }
      return false;
    },
  };
}
