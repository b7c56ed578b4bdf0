// The PixelCNN tab: pixels drawn as they are sampled, on WebGPU or the CPU; the masked
// context; completion; likelihoods; naive against cached. All maths in Rust/WGSL.
import { el, field, select, canvas, bars, fmt, clampInput, drawingPad, keyboardCursor, drawGrey as drawImage, calmLiveRegion, shortcutList } from './draw.js';
import { download, progressText } from './net.js';

const SIDE = 28;
const drawGrey = (ctx, pixels, x0, y0, scale, upTo) => drawImage(ctx, pixels, SIDE, x0, y0, scale, upTo);
const MODELS = [['digits', 'MNIST digits'], ['fashion', 'Fashion-MNIST']];
/** Most Web Workers a batch is shared among (each holds its own copy of the module and model). */
const MAX_WORKERS = 8;

/** Loads a model: three instances share nothing but the bytes (generation, completion, race).
 * `onProgress(text)` follows the weights' download. */
async function loadModel(wasm, name, onProgress) {
  const base = new URL(`../models/${name}`, import.meta.url);
  // The first file that fails ends the load: the others are cancelled, so no later progress
  // line can hide the error.
  const failed = new AbortController();
  const { signal } = failed;
  const orFail = (promise) => promise.catch((e) => { failed.abort(); throw e; });
  const [card, weights, examples] = await Promise.all([
    orFail(download(`${base}.json`, { signal }).then((b) => new TextDecoder().decode(b))),
    orFail(download(`${base}.safetensors`, { signal, onProgress: (got, total) => { if (!signal.aborted) onProgress(progressText(got, total)); } })),
    download(`${base}-examples.bin`, { signal }).catch(() => null),
  ]);
  const make = () => new wasm.PixelCnnDemo(weights, card);
  const gen = make();
  return { name, card: gen.card(), gen, make, examples, weights, cardText: card };
}

export async function mount(panel, { wasm, settings, notify, writeHash, gpu, wasmModule }) {
  const s = { ...settings };
  const models = {};
  let model = null;
  let run = null; // { kind: 'cpu'|'gpu', count, start, done, paused, gpuRun }
  let rafId = 0;

  const modelSel = select(MODELS, s.model);
  const classSel = el('select');
  const count = el('input', { type: 'number', min: 1, max: 64, value: s.n });
  const temp = el('input', { type: 'range', min: 0.1, max: 3, step: 0.05, value: s.temp });
  const tempOut = el('output', { text: Number(s.temp).toFixed(2) });
  const seed = el('input', { type: 'number', min: 0, max: 4294967295, value: s.seed });
  const samplerSel = select([['cached', 'cached (fast)'], ['naive', 'naive (full pass per pixel)']], s.sampler);
  const backendSel = select([['auto', 'Whichever is faster here'], ['webgpu', 'Your GPU (WebGPU)'], ['cpu', "This computer's processor"]], s.backend);
  const CORES = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1));
  // navigator.hardwareConcurrency is what the browser reports, not always the hardware (Safari
  // rounds it): the words say Web Workers, one per core reported.
  const coresSel = select([['all', `${CORES} Web Workers (cores reported: ${CORES})`], ['one', 'one core']], s.cores);
  const speed = el('input', { type: 'range', min: 0, max: 6, step: 1, value: 6, 'aria-label': 'Speed' });
  const speedOut = el('output');
  const btn = (label, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text: label });
  const genBtn = btn('Generate', 'G', () => generate(), 'primary next');
  genBtn.dataset.story = 'advance';
  const pauseBtn = btn('Pause', 'Space', () => togglePause());
  const stepBtn = btn('Step one pixel', '.', () => stepOne());

  const grid = canvas(560, 560, 'Generated images, filled in raster order');
  grid.classList.add('main-picture');
  grid.style.setProperty('--picture-max', '560px');
  grid.id = 'pixelcnn-grid';
  grid.dataset.story = 'picture';
  const gctx = grid.getContext('2d');
  const dist = canvas(420, 105, 'The 256-way softmax of the current pixel: probability against grey level');
  dist.id = 'pixelcnn-distribution';
  dist.dataset.story = 'readout';
  const dctx = dist.getContext('2d');
  const distLabel = el('p', { class: 'small', id: 'pixelcnn-distribution-label' });
  const stats = el('p', { id: 'pixelcnn-stats', class: 'small', 'aria-live': 'polite' });
  const timing = el('p', { class: 'small muted', id: 'pixelcnn-timing' });
  const tryNext = el('p', { class: 'try', id: 'pixelcnn-try', text: 'Try: set the speed to slow motion and watch the distribution change from pixel to pixel: sure of black at the borders, unsure on the strokes.' });
  const field28 = canvas(224, 224, 'Receptive field of the current pixel');
  const fieldInfo = el('p', { id: 'pixelcnn-field-info' });
  const maskA = canvas(110, 110, 'Mask A: first layer, the current pixel excluded');
  const maskB = canvas(110, 110, 'Mask B: later layers, the current position included');
  const status = el('p', { class: 'muted small', 'aria-live': 'polite' });

  // completion
  const exIndex = el('input', { type: 'range', min: 0, max: 99, value: 0, 'aria-label': 'Held-out image' });
  const completion = canvas(5 * 140, 140, 'Original and four completions. To choose the hidden region by keyboard: arrow keys to move on the original, Enter at two opposite corners');
  const compCtx = completion.getContext('2d');
  const compStatus = el('p', { class: 'muted', 'aria-live': 'polite' });
  let region = null; // [r0, c0, r1, c1] hidden rectangle, default lower half
  // likelihood
  const pad = canvas(224, 224, 'Drawing pad: draw a digit or an item');
  const heat = canvas(224, 224, 'Bits per pixel heat map');
  const likeOut = el('div', { class: 'big', id: 'pixelcnn-likelihood', text: '–' });
  const bayesBars = canvas(420, 130, 'p(y | x) for each class, by Bayes\' rule');
  bayesBars.id = 'pixelcnn-bayes';
  const bayesOut = el('p', { id: 'pixelcnn-bayes-text', class: 'small' });
  const padPixels = new Uint8Array(SIDE * SIDE);
  const clearPad = () => { padPixels.fill(0); drawPad(); };
  const useExample = () => { const ex = example(); if (ex) { padPixels.set(ex.pixels); drawPad(); likelihood(); } };
  const clearPadBtn = btn('Clear pad', 'K', clearPad);
  const useExampleBtn = btn('Use the held-out image', 'U', useExample);
  // race
  const raceOut = el('p', { id: 'pixelcnn-race', 'aria-live': 'polite' });

  panel.append(
    el('h2', { text: 'PixelCNN: one pixel at a time, each from a 256-way softmax' }),
    el('div', { class: 'stage' },
      grid,
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, genBtn, pauseBtn, stepBtn),
        el('div', { class: 'controls' }, field('Class', classSel), field('Model', modelSel)),
        status, stats,
        el('p', { class: 'small', id: 'pixelcnn-distribution-title' }, el('b', { text: 'The current pixel: p(xᵢ | earlier pixels, class)' })),
        dist, distLabel,
        el('p', { class: 'key' }, 'Bars: the probability of each grey level (0 black to 255 white), zoomed to where the probability is; ',
          el('span', { class: 'hl', text: 'yellow' }), ': the level drawn. On the images, the ', el('span', { class: 'hl', text: 'yellow square' }),
          ' is the pixel being drawn; faint pixels are not drawn yet.'),
        el('div', { class: 'explain' },
          el('p', { class: 'equation', text: 'p(x | class) = Πᵢ p(xᵢ | x₁ … xᵢ₋₁, class)' }),
          el('p', {}, 'A PixelCNN writes an image\'s probability as a product: each pixel, in reading order, gets a 256-way softmax given every pixel before it. To generate, it draws pixel 1, feeds it back, draws pixel 2, and so on: 784 steps that cannot run in parallel. Masked convolutions make sure no pixel sees itself or a later one. The cached sampler keeps what earlier steps computed, so each step costs a few small sums instead of a pass over the whole image.')),
        tryNext,
        el('div', { class: 'controls' }, field('Images', count), field('Temperature', temp), tempOut, field('Seed', seed)),
        el('div', { class: 'controls' }, field('Sampler', samplerSel), field('Runs on', backendSel), field('On the processor, use', coresSel)),
        el('div', { class: 'controls' }, field('Speed', speed), speedOut),
        el('details', { class: 'small' }, el('summary', { text: 'Timing details' }), timing),
        shortcutList([['G', 'generate'], ['Space', 'pause'], ['.', 'one pixel'], ['0-9', 'class'], ['C', 'complete'], ['L', 'likelihood'], ['B', 'classify by Bayes\' rule'], ['K', 'clear pad'], ['U', 'use held-out image'], ['V', 'race']]))),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'What the current pixel can see' }),
          el('p', { class: 'muted', text: 'Yellow: the pixel being sampled. Blue: earlier pixels inside the receptive field of the stacked masked convolutions. Dark: pixels it cannot see, including every later pixel. Several later layers are dilated (their taps lie 2, 4, 8 or 16 pixels apart), so the field grows fast enough to cover the whole past.' }),
          fieldInfo,
          el('div', { class: 'row' }, field28,
            el('figure', {}, maskA, el('figcaption', { text: 'mask A (first layer)' })),
            el('figure', {}, maskB, el('figcaption', { text: 'mask B (later layers)' }))))),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Naive against cached' }),
          el('p', { class: 'muted', text: 'The naive sampler runs the whole network over the whole image for every pixel; the cached one computes only the new pixel from stored activations. Same pixels, very different cost.' }),
          btn('Race for 3 seconds', 'V', () => race()), raceOut))),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Image completion' }),
          el('p', { class: 'muted', text: 'A held-out image, its lower half hidden (or drag a rectangle on the first image to choose the hidden region; by keyboard, focus it, move with the arrow keys and press Enter at two corners), and four completions sampled from the model.' }),
          el('div', { class: 'controls' }, field('Held-out image', exIndex), btn('Complete', 'C', () => complete(), 'primary')),
          completion, compStatus)),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Likelihood: log p(x), pixel by pixel' }),
          el('p', { class: 'muted', text: 'Draw on the pad (or use the held-out image above) and see how many bits the model needs for each pixel.' }),
          el('div', { class: 'controls' }, btn('Evaluate', 'L', () => likelihood(), 'primary'), clearPadBtn, useExampleBtn),
          el('div', { class: 'row' }, pad, heat), likeOut,
          el('h3', { text: 'Classify by Bayes\' rule: p(y | x) = p(x | y) p(y) / p(x)' }),
          el('p', { class: 'muted', text: 'A class-conditional model is a classifier too: compute the image\'s likelihood under each of the ten classes (one pass each, no sampling) and turn them around with Bayes\' rule, here with every class equally likely a priori.' }),
          el('div', { class: 'controls' }, btn('Classify by Bayes\' rule', 'B', () => classifyByBayes())),
          bayesBars, bayesOut))),
  );
  // Live regions that change every frame speak at most once a second.
  for (const node of [stats, compStatus, raceOut]) calmLiveRegion(node);
  {
    // The heat map is empty until a first evaluation: it says what it will show.
    const hctx = heat.getContext('2d');
    hctx.fillStyle = '#b9c0d0';
    hctx.font = '16px system-ui, sans-serif';
    hctx.textAlign = 'center';
    hctx.fillText('Press Evaluate: the bits', heat.width / 2, heat.height / 2 - 9);
    hctx.fillText('of each pixel appear here.', heat.width / 2, heat.height / 2 + 11);
  }

  const SPEEDS = [[1, 400, 'slow motion'], [1, 60, 'one pixel at a time'], [4, 0, 'a few pixels per frame'], [28, 0, 'one row per frame'],
    [112, 0, 'four rows per frame'], [392, 0, 'half an image per frame'], [784, 0, 'full speed']];
  const speedSetting = () => SPEEDS[Number(speed.value)];
  const updateSpeed = () => { speedOut.textContent = speedSetting()[2]; };
  updateSpeed();

  function readSettings() {
    s.model = modelSel.value; s.class = Number(classSel.value || s.class); s.n = clampInput(count, 1, 64);
    s.temp = Number(temp.value); s.seed = clampInput(seed, 0, 4294967295); s.sampler = samplerSel.value; s.backend = backendSel.value;
    s.cores = coresSel.value;
    writeHash('pixelcnn', s);
  }

  async function selectModel(name) {
    stop();
    status.textContent = `Loading the ${name} model…`;
    status.className = 'muted';
    try {
      // Progress at most once a second: the status line is a live region.
      let shown = 0;
      const onProgress = (text) => {
        if (performance.now() - shown < 1000) return;
        shown = performance.now();
        status.textContent = `Loading the ${name} model: ${text}`;
      };
      models[name] ??= await loadModel(wasm, name, onProgress);
    } catch (e) {
      status.replaceChildren(`The ${name} model could not be loaded: ${e.message}. The other demos keep working. `,
        el('button', { text: 'Retry', onclick: async () => { if (await selectModel(name)) generate(); } }));
      status.className = 'err';
      model = null;
      return false;
    }
    model = models[name];
    const names = model.card.class_names;
    classSel.replaceChildren(...names.map((c, i) => el('option', { value: i, text: c === String(i) ? c : `${i}: ${c}` })));
    classSel.value = String(Math.min(s.class, names.length - 1));
    const ev = model.card.evaluation;
    status.textContent = `${model.card.title}: ${model.card.parameters.toLocaleString()} weights; ${ev.bits_per_dim} bits per pixel on images it never saw.`;
    status.className = 'muted';
    drawMasks();
    showExample();
    return true;
  }

  function stop() {
    cancelAnimationFrame(rafId);
    clearTimeout(rafId);
    if (run?.kind === 'workers') for (const part of run.parts) part.worker.postMessage({ type: 'stop' });
    if (run) run.stopped = true;
    run = null;
  }

  /** Model/image-count pairs whose WebGPU shader has been compiled (by a first row) on the
   * current device; a new device (after a loss) starts with none. */
  const gpuCompiled = new Set();
  let gpuCompiledEpoch = 0;
  let compilingShape = null;

  /** What "auto" has learnt on this machine from runs at full speed, never paused: the CPU's
   * time per image for each model, and WebGPU's time per run for each model and count. On a
   * real GPU a row costs about the same for 1 image as for 64 (an H200 took 0.89 s for one
   * digit, 0.97 s for 64: bench/device-native.jsonl), while the CPU's time grows with the
   * count: so a few images are faster on the CPU, many on WebGPU, and where the crossing lies
   * depends on the machine. */
  const measured = { cpuPerImage: new Map(), gpuRun: new Map() };

  /** For "auto" with both times known: WebGPU's measured time if the CPU is expected to be
   * faster, else null. */
  function gpuTimeIfCpuFaster(shape, n) {
    const perImage = measured.cpuPerImage.get(model.name);
    const gpuMs = measured.gpuRun.get(shape);
    return perImage !== undefined && gpuMs !== undefined && perImage * n < gpuMs ? gpuMs : null;
  }

  function compiledOnThisDevice() {
    if (gpuCompiledEpoch !== gpu.epoch) { gpuCompiled.clear(); gpuCompiledEpoch = gpu.epoch; }
    return gpuCompiled;
  }
  function markCompiled(shape) {
    compiledOnThisDevice().add(shape);
    grid.dataset.gpuCompiled = [...gpuCompiled].join(' ');
  }

  /** Compiles the shader for `shape` in the background by sampling one throwaway row. */
  async function compileGpuShader(shape, gen, labels) {
    if (!gpu.alive() || compiledOnThisDevice().has(shape) || compilingShape === shape) return;
    compilingShape = shape;
    let warmUp = null;
    try {
      warmUp = gpu.device.sampler(gen, labels, 1, 0);
      await warmUp.sampleRow();
      markCompiled(shape);
    } catch (e) {
      // The next run on WebGPU meets the same failure and reports it, then uses the CPU.
    } finally {
      warmUp?.free();
      if (compilingShape === shape) compilingShape = null;
    }
  }

  async function generate() {
    readSettings();
    stop();
    if (!model || model.name !== s.model) { if (!(await selectModel(s.model))) return; }
    const labels = new Uint32Array(s.n).fill(s.class);
    const shape = `${model.name}/${s.n}`;
    if (s.sampler === 'cached') gpu.alive(); // never start on a device that was lost
    if (s.sampler === 'cached' && s.backend === 'webgpu') await gpu.ready;
    // "auto" never waits for WebGPU: starting a device and compiling the shader for a new
    // model or image count takes a second or more (far more on a software GPU). That run
    // goes to the CPU, so pixels appear at once, while the shader compiles for the next.
    const compiling = s.sampler === 'cached' && s.backend === 'auto' && gpu.device !== null && !compiledOnThisDevice().has(shape);
    const waiting = s.sampler === 'cached' && s.backend === 'auto' && !gpu.settled;
    const slowerGpuMs = s.sampler === 'cached' && s.backend === 'auto' && !compiling && !waiting ? gpuTimeIfCpuFaster(shape, s.n) : null;
    const wantGpu = s.sampler === 'cached' && (s.backend === 'webgpu' || (s.backend === 'auto' && !compiling && slowerGpuMs === null)) && gpu.device;
    if (s.backend === 'webgpu' && !gpu.device) notify(`WebGPU is not available (${gpu.reason}); using the CPU.`);
    run = { kind: 'cpu', count: s.n, labels, start: performance.now(), done: 0, paused: false, stopped: false, submissions: 0, note: '', detail: '', shape, timed: true, sampler: s.sampler };
    if (slowerGpuMs !== null) {
      run.note = " on this computer's processor, faster here than your GPU";
      run.detail = `the CPU was faster here than WebGPU, which took ${(slowerGpuMs / 1000).toFixed(2)} s for ${s.n} image${s.n > 1 ? 's' : ''}`;
    }
    if (compiling || waiting) {
      run.note = " on this computer's processor while your GPU gets ready for the next run";
      run.detail = compiling
        ? 'on the CPU while WebGPU compiles its shader for this model and image count (later runs use WebGPU once it is compiled)'
        : 'on the CPU while WebGPU starts (later runs use it if it starts)';
      timing.textContent = `Sampling ${run.detail}.`;
      status.textContent = `Drawing${run.note}.`;
      status.className = '';
      const gen = model.gen;
      gpu.ready.then(() => compileGpuShader(shape, gen, labels));
    }
    if (wantGpu) {
      try {
        run.gpuRun = gpu.device.sampler(model.gen, labels, s.temp, s.seed);
        run.kind = 'gpu';
      } catch (e) {
        gpu.alive();
        notify(`WebGPU sampler unavailable (${gpu.brief(e)}); using the CPU.`);
      }
    }
    if (run.kind === 'cpu' && s.sampler === 'cached' && s.n >= 2 && speedSetting()[0] >= SIDE * SIDE && s.cores === 'all') {
      // Starting the workers takes a moment (each instantiates the module and the model): the
      // first run goes on one core at once while they start, as with the GPU's shader.
      if (pool?.name === model.name && pool.ok) { startOnWorkers(run, pool); return; }
      workerPool(model);
      run.detail = pool?.reason ? `on one core: the Web Workers could not start (${pool.reason})` : 'on one core while the Web Workers start (later runs use every core)';
    }
    if (run.kind === 'cpu') model.gen.start(labels, s.temp, s.seed, s.sampler);
    grid.dataset.backendUsed = run.kind;
    grid.dataset.pixelsDone = '0';
    delete grid.dataset.finished;
    loop(run);
  }

  /** Where image i of n goes on the grid canvas (its top-left corner), and at what scale. */
  function gridLayout(n) {
    const cols = Math.ceil(Math.sqrt(n));
    const rows = Math.ceil(n / cols);
    const scale = Math.floor(grid.width / (cols * SIDE + (cols - 1) * 2)) || 1;
    const cell = SIDE * scale + 2;
    // Whole-pixel scaling leaves a margin (16 images use 454 of 560 px): centre the grid in it.
    const x0 = Math.floor((grid.width - (cols * cell - 2)) / 2);
    const y0 = Math.floor((grid.height - (rows * cell - 2)) / 2);
    return { scale, origin: (i) => [x0 + (i % cols) * cell, y0 + Math.floor(i / cols) * cell] };
  }

  function drawGrid(pixels, done) {
    const n = run ? run.count : 1;
    const { scale, origin } = gridLayout(n);
    gctx.fillStyle = '#0f121a';
    gctx.fillRect(0, 0, grid.width, grid.height);
    for (let i = 0; i < n; i++) {
      const [x, y] = origin(i);
      drawGrey(gctx, pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), x, y, scale, done);
    }
    if (done < SIDE * SIDE) {
      // Highlight the pixel being sampled in every image, at every speed.
      gctx.strokeStyle = '#ffd166';
      gctx.lineWidth = 2;
      for (let i = 0; i < n; i++) {
        const [x, y] = origin(i);
        gctx.strokeRect(x + (done % SIDE) * scale, y + Math.floor(done / SIDE) * scale, scale, scale);
      }
    }
    grid.dataset.pixelsDone = String(done);
  }

  /** The current pixel's 256-way softmax, zoomed to the grey levels that hold nearly all of
   * its probability (a background pixel puts it all near 0: a 1-px bar on the full range),
   * probabilities on an absolute 0-1 axis, the level drawn in yellow. */
  function showDistribution(probs, pixelIndex, drawn) {
    if (!probs || probs.length === 0) return;
    const levels = probs.length;
    let arg = 0;
    for (let i = 1; i < levels; i++) if (probs[i] > probs[arg]) arg = i;
    // The narrowest window around the mode holding 99.5% of the mass, at least 24 levels wide.
    let lo = arg;
    let hi = arg;
    let mass = probs[arg];
    while (mass < 0.995 && (lo > 0 || hi < levels - 1)) {
      if (hi >= levels - 1 || (lo > 0 && probs[lo - 1] >= probs[hi + 1])) mass += probs[--lo];
      else mass += probs[++hi];
    }
    if (drawn !== undefined) { lo = Math.min(lo, drawn); hi = Math.max(hi, drawn); }
    while (hi - lo + 1 < 24) { if (lo > 0) lo--; if (hi < levels - 1) hi++; if (lo === 0 && hi === levels - 1) break; }
    const window = Array.from(probs.slice(lo, hi + 1));
    const labels = window.map((_, i) => ((lo + i) % (hi - lo + 1 > 64 ? 64 : 8) === 0 ? String(lo + i) : ''));
    bars(dctx, window, { highlight: drawn === undefined ? -1 : drawn - lo, color: '#a0c4ff', labels });
    dist.dataset.window = `${lo}-${hi}`;
    distLabel.textContent = `Pixel (row ${Math.floor(pixelIndex / SIDE)}, column ${pixelIndex % SIDE}) of image 1: grey levels ${lo} to ${hi} shown` +
      (hi - lo + 1 < levels ? ' (the others have almost no probability)' : '') +
      `; most likely ${arg} (p = ${probs[arg].toFixed(2)})${drawn === undefined ? '' : `, drawn ${drawn} (p = ${probs[drawn].toFixed(2)})`}.`;
  }

  function drawField(pixelIndex) {
    if (!model || pixelIndex >= SIDE * SIDE) return;
    // Computed once per model in Rust; here only looked up.
    const f = model.gen.receptiveField(Math.floor(pixelIndex / SIDE), pixelIndex % SIDE);
    let seen = 0;
    for (let i = 0; i < pixelIndex; i++) seen += f[i] ? 1 : 0;
    const cfg = model.card.config;
    const dilations = cfg.dilations?.length ? cfg.dilations : new Array(cfg.layers).fill(1);
    fieldInfo.textContent = `Pixel (${Math.floor(pixelIndex / SIDE)}, ${pixelIndex % SIDE}) sees ${seen} of its ${pixelIndex} earlier pixels. ${cfg.layers} layers, dilations ${dilations.join(', ')}.`;
    const ctx = field28.getContext('2d');
    const sc = field28.width / SIDE;
    for (let i = 0; i < SIDE * SIDE; i++) {
      ctx.fillStyle = i === pixelIndex ? '#ffd166' : f[i] ? '#4cc9f0' : i < pixelIndex ? '#2a3145' : '#0f121a';
      ctx.fillRect((i % SIDE) * sc, Math.floor(i / SIDE) * sc, sc - 1, sc - 1);
    }
  }

  function drawMasks() {
    const cfg = model.card.config;
    const draw = (cv, k, includeCenter) => {
      const ctx = cv.getContext('2d');
      const sc = cv.width / k;
      for (let r = 0; r < k; r++) {
        for (let c = 0; c < k; c++) {
          const center = (k - 1) / 2;
          const allowed = r < center || (r === center && (c < center || (includeCenter && c === center)));
          ctx.fillStyle = r === center && c === center ? (includeCenter ? '#7ae582' : '#ffd166') : allowed ? '#4cc9f0' : '#2a3145';
          ctx.fillRect(c * sc, r * sc, sc - 2, sc - 2);
        }
      }
    };
    draw(maskA, cfg.first_kernel, false);
    draw(maskB, cfg.kernel, true);
  }

  // ---- the CPU sampler on every core: the batch shared among Web Workers
  let pool = null; // { name, size, workers, ready: Promise<boolean>, reason }

  /** Workers holding `m`, started once per model (null with one core or if they fail). */
  async function workerPool(m) {
    if (CORES < 2 || typeof Worker === 'undefined') return null;
    if (pool?.name !== m.name) {
      pool?.workers.forEach((w) => w.terminate());
      const p = { name: m.name, size: CORES, workers: [], reason: '' };
      pool = p;
      p.ready = (async () => {
        try {
          const module = await wasmModule();
          p.workers = Array.from({ length: p.size }, () => new Worker(new URL('./pixelcnn-worker.js', import.meta.url), { type: 'module' }));
          const started = p.workers.map((w) => new Promise((resolve, reject) => {
            w.onmessage = (e) => (e.data.type === 'ready' ? resolve() : reject(new Error(e.data.message)));
            w.onerror = (e) => { e.preventDefault?.(); reject(new Error(e.message || 'a worker script failed to load')); };
            w.postMessage({ type: 'load', module, weights: m.weights, card: m.cardText });
          }));
          const late = new Promise((_, reject) => setTimeout(() => reject(new Error('they did not start within 10 s')), 10_000));
          await Promise.race([Promise.all(started), late]);
          p.ok = true;
          return true;
        } catch (e) {
          p.reason = e.message ?? String(e);
          p.workers.forEach((w) => w.terminate());
          p.workers = [];
          return false;
        }
      })();
    }
    const p = pool;
    return (await p.ready) && p === pool ? p : null;
  }

  /** Shares the run's images among the workers, contiguous and as even as can be; each posts
   * its images after every row, and the grid shows the rows every share has finished. */
  function startOnWorkers(current, p) {
    const n = current.count;
    const shares = Math.min(p.size, n);
    current.kind = 'workers';
    current.cores = shares;
    current.job = (current.job ?? 0) + 1 + Math.random();
    current.parts = [];
    let first = 0;
    for (let i = 0; i < shares; i++) {
      const size = Math.floor(n / shares) + (i < n % shares ? 1 : 0);
      const part = { first, size, done: 0, images: new Uint8Array(size * SIDE * SIDE), distribution: null, worker: p.workers[i] };
      current.parts.push(part);
      part.worker.onmessage = ({ data: m }) => {
        if (current !== run || current.kind !== 'workers' || m.job !== current.job) return;
        if (m.type === 'error') { takeOverFromWorkers(current, `a worker failed (${m.message})`); notify(`Sampling continues on one core: a Web Worker failed (${m.message}).`); return; }
        part.done = m.done;
        part.images = m.images;
        if (m.distribution?.length) part.distribution = m.distribution;
        current.done = Math.min(...current.parts.map((q) => q.done));
        // Drawn at most every 100 ms (and at the end): on a 2-core machine the main thread's
        // drawing would otherwise take time from the workers.
        if (current.frame) return;
        const wait = current.done >= SIDE * SIDE ? 0 : Math.max(0, (current.drawnAt ?? 0) + 100 - performance.now());
        current.frame = setTimeout(() => requestAnimationFrame(() => {
          current.frame = 0;
          current.drawnAt = performance.now();
          if (current === run && current.kind === 'workers') workersFrame(current);
        }), wait);
      };
      part.worker.onerror = (e) => { e.preventDefault?.(); if (current === run && current.kind === 'workers') takeOverFromWorkers(current, 'a worker stopped'); };
      part.worker.postMessage({ type: 'start', job: current.job, labels: Array.from(current.labels.subarray(first, first + size)), temperature: s.temp, seed: s.seed, first, side: SIDE });
      first += size;
    }
    grid.dataset.backendUsed = 'workers';
    grid.dataset.cores = String(shares);
    grid.dataset.pixelsDone = '0';
    delete grid.dataset.finished;
  }

  function workersImages(current) {
    const all = new Uint8Array(current.count * SIDE * SIDE);
    for (const part of current.parts) all.set(part.images, part.first * SIDE * SIDE);
    return all;
  }

  function workersFrame(current) {
    // Slow motion or a pause needs one pixel at a time: the main thread takes over.
    if (current.paused || speedSetting()[0] < SIDE * SIDE) { takeOverFromWorkers(current, 'slow motion and pauses run on one core'); return; }
    render(current);
    if (current.done >= SIDE * SIDE) finish(current);
  }

  /** The main thread carries on from the rows every share has finished (the same draws, so the
   * same images); the workers stop after their current row. While the workers ran nothing
   * drove the main thread's loop, so this starts it again. */
  function takeOverFromWorkers(current, why) {
    if (current.kind !== 'workers') return;
    const pixels = workersImages(current);
    for (const part of current.parts) part.worker.postMessage({ type: 'stop' });
    continueOnMainThread(current, pixels, Math.min(...current.parts.map((q) => q.done)), 'workers+cpu', `Continuing on one core: ${why}.`);
    rafId = requestAnimationFrame(() => loop(current));
  }

  /** Carries a run on in this thread from the first `done` pixels of `pixels` (made on the GPU
   * or by the workers): the same draws, so the same images. */
  function continueOnMainThread(current, pixels, done, backendUsed, message) {
    const mask = new Uint8Array(SIDE * SIDE);
    mask.fill(1, 0, done);
    model.gen.startKnown(current.labels, pixels, mask, s.temp, s.seed);
    model.gen.step(done);
    current.done = done;
    current.kind = 'cpu';
    current.timed = false;
    grid.dataset.backendUsed = backendUsed;
    status.textContent = message;
  }

  function loop(current) {
    if (current !== run || current.stopped) return;
    if (current.kind === 'workers') { workersFrame(current); return; }
    if (current.paused) return;
    const [perFrame, delay] = speedSetting();
    if (perFrame < SIDE * SIDE) current.timed = false;
    if (current.kind === 'gpu' && perFrame >= 28) {
      gpuRow(current);
      return;
    }
    if (current.kind === 'gpu') {
      // Slower than a row per frame: hand over to the CPU, keeping the rows done so far.
      switchToCpu(current, 'slow motion runs on the CPU, one pixel at a time');
    }
    const t0 = performance.now();
    let done = model.gen.nextPixel();
    // Step within a time budget, so that the page stays responsive at any speed.
    const budget = perFrame >= 784 ? 30 : 12;
    let steps = 0;
    while (steps < perFrame && done < SIDE * SIDE && performance.now() - t0 < budget) {
      done = model.gen.step(1);
      steps++;
    }
    current.done = done;
    render(current);
    if (done >= SIDE * SIDE) { finish(current); return; }
    if (delay) rafId = setTimeout(() => loop(current), delay);
    else rafId = requestAnimationFrame(() => loop(current));
  }

  async function gpuRow(current) {
    // A resume while a row is still on the GPU: that row's completion schedules the next.
    if (current.rowInFlight) return;
    current.rowInFlight = true;
    // A GPU call that throws inside the row's future (GPUQueue.submit, say) escapes as an
    // uncaught error and the row's promise never settles: the page hands such an error here.
    let escaped;
    const escapes = new Promise((_, reject) => { escaped = reject; });
    gpu.claimError = (error) => { escaped(error instanceof Error ? error : new Error(String(error))); return true; };
    try {
      const rows = await Promise.race([current.gpuRun.sampleRow(), escapes.catch((e) => { current.gpuBroken = true; throw e; })]);
      current.rowInFlight = false;
      markCompiled(current.shape);
      if (current !== run || current.stopped) return;
      current.done = rows * SIDE;
      current.submissions = current.gpuRun.submissions();
      render(current);
      if (rows >= SIDE) { finish(current); return; }
      if (!current.paused) rafId = requestAnimationFrame(() => loop(current));
    } catch (e) {
      current.rowInFlight = false;
      if (current !== run) return;
      gpu.alive(); // a lost device is dropped: the header says CPU, later runs stay off it
      if (current.gpuBroken) gpu.fail(e); // the sampler and its device are left mid-call
      switchToCpu(current, `WebGPU failed (${gpu.brief(e)})`);
      notify(`WebGPU stopped working (${gpu.brief(e)}); continuing on the CPU with the pixels made so far.`);
      rafId = requestAnimationFrame(() => loop(current));
    } finally {
      gpu.claimError = null;
    }
  }

  function switchToCpu(current, why) {
    // A sampler left mid-call by an escaped error is not touched again: the rows it had
    // finished were kept at each render.
    const pixels = current.gpuBroken ? current.lastImages ?? new Uint8Array(current.count * SIDE * SIDE) : current.gpuRun.images();
    current.gpuRun = null;
    continueOnMainThread(current, pixels, current.done, 'gpu+cpu', `Continuing on the CPU: ${why}.`);
  }

  function render(current) {
    const pixels = current.kind === 'gpu' ? current.gpuRun.images() : current.kind === 'workers' ? workersImages(current) : model.gen.images();
    if (current.kind === 'gpu') current.lastImages = pixels;
    drawGrid(pixels, current.done);
    const last = Math.max(0, current.done - 1);
    const probs = current.kind === 'gpu' ? current.gpuRun.distribution(0, SIDE - 1)
      : current.kind === 'workers' ? current.parts[0].distribution ?? new Float32Array(0) : model.gen.distribution(0);
    showDistribution(probs, last, current.done > 0 ? pixels[last] : undefined);
    drawField(Math.min(current.done, SIDE * SIDE - 1));
    const secs = (performance.now() - current.start) / 1000;
    const pps = (current.done * current.count) / Math.max(secs, 1e-3);
    const where = current.kind === 'gpu' ? `On ${gpu.place()}` : current.kind === 'workers' ? `In ${current.cores} Web Workers on this computer's processor` : "On this computer's processor";
    stats.textContent = `${where}: pixel ${current.done} of ${SIDE * SIDE} in ${current.count} image${current.count > 1 ? 's' : ''} at once.`;
    timing.textContent = `${current.kind === 'gpu' ? `WebGPU (${gpu.name})` : current.kind === 'workers' ? `CPU (wasm), cached sampler in ${current.cores} Web Workers` : `CPU (wasm), ${s.sampler} sampler`}: ${fmt(pps, 3)} pixels/s` +
      (current.kind === 'gpu' ? `, ${current.submissions} submissions and read-backs (one per row)` : '') + (current.detail ? `; ${current.detail}` : '') + '.';
  }

  function finish(current) {
    const ms = performance.now() - current.start;
    // Only runs at full speed, never paused or moved between backends, teach "auto".
    if (current.timed && (current.kind === 'cpu' || current.kind === 'workers') && current.sampler === 'cached') measured.cpuPerImage.set(model.name, ms / current.count);
    if (current.timed && current.kind === 'gpu') measured.gpuRun.set(current.shape, ms);
    const where = {
      gpu: ` on ${gpu.place()}`, 'gpu+cpu': ` on ${gpu.place()}, then this computer's processor`, workers: ` in ${current.cores} Web Workers on this computer's processor`,
      'workers+cpu': ` in ${current.cores} Web Workers, then on one core of this computer's processor`, cpu: current.note ? '' : ` on one core of this computer's processor${current.detail?.startsWith('on one core: ') ? ` (${current.detail.slice(13)})` : ''}`,
    }[grid.dataset.backendUsed] ?? '';
    const perImage = current.count > 1 ? ` (${(ms / current.count / 1000).toFixed(2)} s per image)` : '';
    status.textContent = `Done: ${current.count} image${current.count > 1 ? 's' : ''} in ${(ms / 1000).toFixed(1)} s${perImage}${where}${current.note}.`;
    status.className = 'ok';
    grid.dataset.ms = String(ms);
    // The next thing to try follows what was just done.
    if (!current.timed) tryNext.textContent = 'Try next: temperature 0.5, then 1.5: a colder softmax draws cleaner, more alike images, a hotter one noisier ones.';
    else if (s.temp !== 1) tryNext.textContent = 'Try next: the race below: the naive sampler draws the same pixels, but recomputes the whole network for each one.';
    grid.dataset.finished = 'true';
  }

  function togglePause() {
    if (!run) return;
    run.paused = !run.paused;
    run.timed = false;
    pauseBtn.textContent = run.paused ? 'Resume' : 'Pause';
    if (!run.paused) loop(run);
  }

  async function stepOne() {
    if (!run || run.done >= SIDE * SIDE) { await generate(); }
    if (!run) return;
    run.paused = true;
    run.timed = false;
    pauseBtn.textContent = 'Resume';
    if (run.rowInFlight) return; // the row on the GPU lands first; the next press steps
    if (run.kind === 'gpu') switchToCpu(run, 'stepping one pixel at a time runs on the CPU');
    if (run.kind === 'workers') takeOverFromWorkers(run, 'stepping one pixel at a time runs on one core');
    run.done = model.gen.step(1);
    render(run);
  }

  // ---- completion
  function example() {
    if (!model?.examples || model.examples.length < 100 + 100 * SIDE * SIDE) return null;
    const i = Number(exIndex.value);
    return { label: model.examples[i], pixels: model.examples.subarray(100 + i * SIDE * SIDE, 100 + (i + 1) * SIDE * SIDE) };
  }
  function hiddenMask() {
    const [r0, c0, r1, c1] = region ?? [14, 0, 27, 27];
    const keep = new Uint8Array(SIDE * SIDE).fill(1);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) keep[r * SIDE + c] = 0;
    return keep;
  }
  function showExample() {
    const ex = example();
    compCtx.fillStyle = '#0f121a';
    compCtx.fillRect(0, 0, completion.width, completion.height);
    if (!ex) { compStatus.textContent = 'This model ships no held-out examples.'; return; }
    drawGrey(compCtx, ex.pixels, 0, 0, 5);
    const keep = hiddenMask();
    completion.dataset.hidden = (region ?? [14, 0, 27, 27]).join(',');
    compCtx.fillStyle = 'rgba(255, 209, 102, 0.35)';
    for (let i = 0; i < SIDE * SIDE; i++) if (!keep[i]) compCtx.fillRect((i % SIDE) * 5, Math.floor(i / SIDE) * 5, 5, 5);
    compStatus.textContent = `Held-out image ${Number(exIndex.value) + 1} of 100, class ${model.card.class_names[ex.label]}.`;
    if (regionKeys?.shown()) {
      const [r, c] = cursorCell();
      compCtx.lineWidth = 2;
      compCtx.strokeStyle = '#ffbf00';
      if (firstCorner) {
        const [r0, c0] = firstCorner;
        compCtx.strokeRect(Math.min(c, c0) * 5, Math.min(r, r0) * 5, (Math.abs(c - c0) + 1) * 5, (Math.abs(r - r0) + 1) * 5);
        compStatus.textContent += ` First corner at row ${r0 + 1}, column ${c0 + 1}: press Enter at the opposite corner.`;
      }
      compCtx.strokeRect(c * 5, r * 5, 5, 5);
    }
  }
  // The keyboard's way of dragging the hidden region: Enter at one corner, then at the other.
  let firstCorner = null;
  const cursorCell = () => regionKeys.position.map((v) => Math.min(SIDE - 1, Math.floor(v * SIDE))).reverse();
  const regionKeys = keyboardCursor(completion, {
    step: 1 / SIDE,
    onMove: () => { if (model) showExample(); },
    onAct: () => {
      const [r, c] = cursorCell();
      if (!firstCorner) firstCorner = [r, c];
      else {
        region = [Math.min(r, firstCorner[0]), Math.min(c, firstCorner[1]), Math.max(r, firstCorner[0]), Math.max(c, firstCorner[1])];
        firstCorner = null;
      }
      if (model) showExample();
    },
  });
  let completer = null;
  function complete() {
    const ex = example();
    if (!ex) return;
    completer ??= model.make();
    const keep = hiddenMask();
    try {
      completer.startKnown(new Uint32Array(4).fill(ex.label), ex.pixels, keep, Number(temp.value), clampInput(seed, 0, 4294967295));
    } catch (e) { compStatus.textContent = e.message; return; }
    const tick = () => {
      const done = completer.step(28);
      const imgs = completer.images();
      for (let j = 0; j < 4; j++) drawGrey(compCtx, imgs.subarray(j * 784, (j + 1) * 784), (j + 1) * 140, 0, 5, done);
      if (done < SIDE * SIDE) requestAnimationFrame(tick);
    };
    tick();
  }
  let dragStart = null;
  completion.addEventListener('pointerdown', (e) => {
    const rect = completion.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * completion.width;
    const y = ((e.clientY - rect.top) / rect.height) * completion.height;
    if (x < 140) dragStart = [Math.floor(y / 5), Math.floor(x / 5)];
  });
  completion.addEventListener('pointerup', (e) => {
    if (!dragStart) return;
    const rect = completion.getBoundingClientRect();
    const c = Math.min(27, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * completion.width / 5)));
    const r = Math.min(27, Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * completion.height / 5)));
    region = [Math.min(r, dragStart[0]), Math.min(c, dragStart[1]), Math.max(r, dragStart[0]), Math.max(c, dragStart[1])];
    dragStart = null;
    showExample();
  });
  exIndex.addEventListener('input', () => { region = null; showExample(); });

  // ---- likelihood
  function drawPad() {
    const ctx = pad.getContext('2d');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 224, 224);
    drawGrey(ctx, padPixels, 0, 0, 8);
  }
  drawingPad(pad, padPixels, SIDE, { redraw: drawPad, onStrokeEnd: () => likelihood() });
  function likelihood() {
    if (!model) return;
    const label = Number(classSel.value || 0);
    const bits = model.gen.bitsPerPixel(padPixels, label);
    let total = 0;
    let max = 1e-9;
    for (const b of bits) { total += b; max = Math.max(max, b); }
    const ctx = heat.getContext('2d');
    for (let i = 0; i < SIDE * SIDE; i++) {
      const a = bits[i] / max;
      ctx.fillStyle = `rgb(${Math.round(255 * a)}, ${Math.round(120 * a)}, ${Math.round(40 + 60 * (1 - a))})`;
      ctx.fillRect((i % SIDE) * 8, Math.floor(i / SIDE) * 8, 8, 8);
    }
    const bpd = total / (SIDE * SIDE);
    likeOut.textContent = `${bpd.toFixed(3)} bits/dim, ${(total * Math.LN2).toFixed(1)} nats (−log p(x) given class ${model.card.class_names[label]})`;
    likeOut.dataset.value = String(bpd);
  }

  function classifyByBayes() {
    if (!model) return;
    const t0 = performance.now();
    let out;
    try { out = model.gen.classifyByBayes(padPixels); } catch (e) { bayesOut.textContent = e.message; return; }
    const ms = performance.now() - t0;
    const k = out.length / 2;
    const logLik = Array.from(out.slice(0, k));
    const post = Array.from(out.slice(k));
    const best = post.indexOf(Math.max(...post));
    const names = model.card.class_names;
    bars(bayesBars.getContext('2d'), post, { labels: names.map((n) => n.slice(0, 5)), highlight: best });
    const accuracy = model.card.evaluation?.bayes_classifier;
    bayesOut.textContent = `Most probable class: ${names[best]} (p = ${post[best].toFixed(3)}), in ${Math.round(ms)} ms. ` +
      `ln p(x | y) per class: ${logLik.map((v, i) => `${names[i]} ${v.toFixed(1)}`).join(', ')} nats. ` +
      'A difference of d nats between two classes makes one eᵈ times as likely as the other.' +
      (accuracy ? ` On ${accuracy.images} held-out images this classifier is right ${(100 * accuracy.accuracy).toFixed(1)}% of the time.` : '');
    bayesOut.dataset.best = String(best);
    bayesOut.dataset.ms = String(ms);
  }

  // ---- naive against cached
  function race() {
    if (!model) return;
    const naive = model.make();
    const cached = model.make();
    const labels = new Uint32Array([Number(classSel.value || 0)]);
    naive.start(labels, 1, 1, 'naive');
    cached.start(labels, 1, 1, 'cached');
    const t = { naive: 0, cached: 0 };
    const end = performance.now() + 3000;
    const tick = () => {
      let t0 = performance.now();
      naive.step(1);
      t.naive += performance.now() - t0;
      t0 = performance.now();
      if (cached.nextPixel() < SIDE * SIDE) { cached.step(8); t.cached += performance.now() - t0; }
      const n = naive.nextPixel();
      const c = cached.nextPixel();
      const speedup = (c / Math.max(t.cached, 1e-3)) / (n / Math.max(t.naive, 1e-3));
      raceOut.textContent = `naive: ${n} pixels (${fmt(n / (t.naive / 1000), 3)} pixels/s); cached: ${c} pixels (${fmt(c / Math.max(t.cached / 1000, 1e-6), 3)} pixels/s): ${fmt(speedup, 3)}× faster per pixel.`;
      raceOut.dataset.speedup = String(speedup);
      if (performance.now() < end) requestAnimationFrame(tick);
      else { naive.free(); cached.free(); }
    };
    tick();
  }

  modelSel.addEventListener('change', async () => { readSettings(); await selectModel(s.model); });
  classSel.addEventListener('change', readSettings);
  for (const input of [count, seed, samplerSel, backendSel]) input.addEventListener('change', readSettings);
  temp.addEventListener('input', () => { tempOut.textContent = Number(temp.value).toFixed(2); readSettings(); });
  speed.addEventListener('input', updateSpeed);

  drawPad();
  if (await selectModel(s.model)) generate();

  return {
    settings: () => s,
    async apply(values) {
      Object.assign(s, values);
      modelSel.value = s.model; count.value = s.n; temp.value = s.temp; seed.value = s.seed; samplerSel.value = s.sampler; backendSel.value = s.backend; coresSel.value = s.cores;
      tempOut.textContent = Number(s.temp).toFixed(2);
      if (await selectModel(s.model)) { classSel.value = String(s.class); generate(); }
    },
    // Out of sight nothing is sampled; a run paused only by leaving the tab resumes on return.
    hide: () => { if (run && !run.paused) { run.paused = true; run.pausedByHide = true; pauseBtn.textContent = 'Resume'; } },
    show: () => { if (run?.pausedByHide) { run.pausedByHide = false; togglePause(); } },
    onKey(e) {
      if (/^[0-9]$/.test(e.key) && model && Number(e.key) < model.card.class_names.length) { classSel.value = e.key; readSettings(); generate(); return true; }
      const map = { g: generate, ' ': togglePause, '.': stepOne, c: complete, l: likelihood, b: classifyByBayes, k: clearPad, u: useExample, v: race };
      const f = map[e.key.toLowerCase()];
      if (f) { f(); return true; }
      return false;
    },
  };
}
