// The density tab: histograms, kernel densities and a Gaussian mixture fitted by EM one
// half-step at a time, scored on held-out points; then classification by Bayes' rule against
// logistic regression. Drawing and controls only: every number comes from Rust.
import { el, field, select, canvas, PALETTE, CLASS_COLORS, CLASS_SHAPES, marker, hexToRgb, linePlot, fmt, clampInput, keyboardCursor, drawCursor, calmLiveRegion, shortcutList, niceTicks, tickText } from './draw.js';
import { startWorker } from './worker.js';

const W = 640;
const PARTS = [['1d', '1-D density'], ['2d', '2-D density'], ['classify', 'Classification']];
const DATA = [['three-modes', 'Three modes'], ['bimodal', 'Two modes'], ['outliers', 'One mode with outliers'], ['uniform', 'Uniform'], ['ring', 'Ring (2-D) / two horns (1-D)']];
const CLASS_DATA = [['different-spread', 'One class inside the other'], ['shared-shape', 'Two classes of the same shape'], ['correlated', 'Correlated features'], ['three-classes', 'Three classes']];
const COVS = [['full', 'Full (any ellipse)'], ['diagonal', 'Diagonal (axis-aligned)'], ['kmeans', 'Shared circle σ²I, fixed (k-means limit)']];
const CHARTS = [['em', 'EM: the bound after every half-step'], ['width', 'Held-out fit against the bin width'], ['bw', 'Held-out fit against the bandwidth'], ['k', 'Held-out fit against the components']];
const CLASSIFIERS = [['full', 'Gaussians, full covariance (generative)'], ['naive', 'Naive Bayes: diagonal Gaussians (generative)'], ['logistic', 'Logistic regression (discriminative)']];
const EST_COLOR = { histogram: '#8c96b0', kde: '#4cc9f0', mixture: '#ffd166' };
const TRAIN_COLOR = '#f4f6fb';
const HELD_COLOR = '#ff6b9d';
const SAMPLE_COLOR = '#7ae582';

export async function mount(panel, { wasm, settings, notify, writeHash, wasmModule }) {
  const s = { ...settings };
  const demo = new wasm.DensityDemo();
  let samples = null; // drawn points (flat x, y), or class samples (x, y, class)
  let running = false;
  let runTimer = 0;
  let trainTimer = 0;
  let curveCache = null; // { key, values }
  let lastStep = null;
  // Where the bound may fall (indices into emBounds): an M-step that re-seeded a component, and
  // the half-step after a training point was added (the bound is per point of the data as it is).
  let reseededAt = [];
  let pointAddedAt = [];

  // ---- controls
  const part = select(PARTS, s.part);
  const dataSel = select(DATA, s.data);
  const classSel = select(CLASS_DATA, s.classes);
  const n = el('input', { type: 'number', min: 1, max: 5000, value: s.n });
  const seed = el('input', { type: 'number', min: 0, max: 4294967295, value: s.seed });
  const slider = (min, max, value) => el('input', { type: 'range', min: Math.log10(min), max: Math.log10(max), step: 0.01, value: Math.log10(value) });
  const width = slider(0.01, 0.5, s.width);
  const widthOut = el('output');
  const bw = slider(0.002, 0.3, s.bw);
  const bwOut = el('output');
  const k = el('input', { type: 'number', min: 1, max: 12, value: s.k });
  const cov = select(COVS, s.cov);
  const sigma = slider(0.0032, 0.3, s.sigma); // 0.0032: the variance floor's sigma (MIN_SIGMA), no smaller
  const sigmaOut = el('output');
  const shade = select([['mixture', 'the mixture'], ['kde', 'the kernel density'], ['histogram', 'the histogram']], s.shade);
  const chart = select(CHARTS, s.chart);
  const clf = select(CLASSIFIERS, s.clf);
  const addAs = select([['train', 'training points'], ['held', 'held-out points']], 'train');
  const addClass = select([['0', 'class 1'], ['1', 'class 2'], ['2', 'class 3']], '0');
  const show = Object.fromEntries(['histogram', 'kde', 'mixture'].map((e) => [e, el('input', { type: 'checkbox', checked: true })]));

  const btn = (text, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text });
  // Each part lists the keys that act in it.
  const densityKeys = shortcutList([['E', 'E-step'], ['M', 'M-step'], ['S', 'E-step and M-step'], ['Space', 'run/pause'], ['R', 'reset'], ['D', 'draw samples'], ['N', 'new data'], ['X', 'clear']]);
  const classifyKeys = shortcutList([['T', 'train 50 steps'], ['L', 'restart the regression'], ['D', 'draw samples'], ['N', 'new data'], ['X', 'clear']]);
  const nextBtn = el('button', { class: 'primary next', id: 'density-next', 'data-story': 'advance', onclick: () => advance() });
  const eBtn = btn('E-step', 'E', () => emStep('expectation'));
  const mBtn = btn('M-step', 'M', () => emStep('maximisation'));
  const runBtn = btn('Run', 'Space', () => toggleRun());
  const resetBtn = btn('Reset', 'R', () => resetMixture());
  const sampleBtn = btn('Sample', 'D', () => drawSamples());
  const newBtn = btn('New data', 'N', () => newData());
  const clearBtn = btn('Clear points', 'X', () => { demo.clear(); samples = null; curveCache = null; dataVersion += 1; refresh('Points cleared: click on the picture to add some.'); });
  const trainBtn = btn('Train 50 steps', 'T', () => trainLogistic(50));
  const trainResetBtn = btn('Reset logistic regression', 'L', () => { demo.logisticReset(); refresh('Logistic regression reset: every class equally likely everywhere.'); });

  const board = canvas(W, W, 'The data and the fitted density; click or tap to add a point, or use the arrow keys and Enter');
  board.classList.add('main-picture');
  board.dataset.story = 'picture';
  const ctx = board.getContext('2d');
  const headline = el('div', { class: 'big', id: 'density-headline', 'data-story': 'readout' });
  const statusLine = el('p', { id: 'density-status', class: 'muted' });
  const table = el('table', { class: 'scores', id: 'density-scores', 'data-story': 'readout' });
  const plot = canvas(420, 150, 'Chart of the chosen fit measure');
  plot.dataset.story = 'readout';
  const plotCtx = plot.getContext('2d');
  const plotKey = el('p', { class: 'key', id: 'density-plot-key' });
  const legend = el('p', { class: 'key', id: 'density-legend' });
  const equation = el('p', { class: 'equation' });
  const words = el('p', {});
  const tryNext = el('p', { class: 'try', id: 'density-try' });

  const densityControls = el('div', {},
    el('div', { class: 'controls' }, field('Shading', shade), field('Chart', chart)),
    el('div', { class: 'controls' }, el('span', { class: 'muted', text: 'Draw:' }),
      field('histogram', show.histogram), field('kernel density', show.kde), field('mixture', show.mixture)),
    el('div', { class: 'controls' }, field('Bin width', width), widthOut, field('Bandwidth h', bw), bwOut),
    el('div', { class: 'controls' }, field('Components', k), field('Covariances', cov), field('σ', sigma), sigmaOut),
    el('div', { class: 'controls' }, field('Data', dataSel), field('Clicks add', addAs)));
  const classControls = el('div', {},
    el('div', { class: 'controls' }, field('Classifier', clf), field('Data', classSel), field('Clicks add', addClass)),
    el('div', { class: 'controls' }, trainResetBtn));

  // A whole iteration (E then M) is the S key; the row stays one line on a projector.
  const emButtons = el('div', { class: 'controls compact' }, eBtn, mBtn, runBtn, resetBtn, sampleBtn);
  const classButtons = el('div', { class: 'controls compact' }, trainBtn, sampleBtn.cloneNode(true));
  classButtons.lastChild.removeAttribute('aria-keyshortcuts');
  classButtons.lastChild.addEventListener('click', () => drawSamples());

  panel.append(
    el('div', { class: 'stage-head' }, el('h2', { text: 'Density estimation: fit p(x), test it on points it has not seen' }), field('Part', part)),
    el('div', { class: 'stage' },
      board,
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, nextBtn),
        emButtons, classButtons,
        el('div', { class: 'readout' }, headline),
        table,
        plot, statusLine, plotKey,
        legend,
        el('div', { class: 'explain' }, equation, words),
        tryNext,
        densityControls, classControls,
        el('div', { class: 'controls' }, field('Points', n), field('Seed', seed), newBtn, clearBtn),
        densityKeys, classifyKeys)),
  );
  for (const node of [headline, statusLine]) calmLiveRegion(node);

  const isClassify = () => s.part === 'classify';
  const dim = () => (s.part === '1d' ? 1 : 2);
  const logValue = (input) => Number((10 ** Number(input.value)).toPrecision(2));

  function readSettings() {
    s.part = part.value; s.data = dataSel.value; s.classes = classSel.value;
    s.n = clampInput(n, 1, 5000); s.seed = clampInput(seed, 0, 4294967295);
    s.width = logValue(width); s.bw = logValue(bw); s.k = clampInput(k, 1, 12); s.cov = cov.value; s.sigma = logValue(sigma);
    s.shade = shade.value; s.chart = chart.value; s.clf = clf.value;
    widthOut.textContent = String(s.width); bwOut.textContent = String(s.bw); sigmaOut.textContent = String(s.sigma);
    writeHash('density', s);
  }

  function status(text, cls = 'muted') { statusLine.textContent = text; statusLine.className = cls; }

  function newData() {
    readSettings();
    stopRun();
    samples = null;
    curveCache = null;
    dataVersion += 1;
    try {
      demo.generate(s.part, isClassify() ? s.classes : s.data, s.n, BigInt(s.seed));
    } catch (e) { status(e.message, 'err'); draw(); return; }
    board.height = dim() === 1 ? 420 : W;
    board.setAttribute('aria-label', isClassify()
      ? 'Labelled points and the chosen classifier\'s p(y | x) as shading; click or tap to add a point of the chosen class'
      : `${dim()}-D data and the fitted densities; click or tap to add a point, or use the arrow keys and Enter`);
    if (isClassify()) { demo.logisticReset(); refresh('New labelled data: 70% to fit, 30% held out to test.'); return; }
    resetMixture();
  }

  function resetMixture() {
    readSettings();
    stopRun();
    lastStep = null;
    reseededAt = [];
    pointAddedAt = [];
    if (isClassify()) { refresh(''); return; }
    try {
      demo.mixtureReset(s.k, s.cov, s.sigma, BigInt(s.seed));
      refresh(`${s.k} Gaussian${s.k === 1 ? '' : 's'} placed on data points (k-means++), each as wide as all the data. Next: the E-step.`);
    } catch (e) { refresh(e.message, 'err'); }
  }

  /** One EM half-step ('expectation' or 'maximisation'); the out-of-turn one says what is next. */
  function emStep(which) {
    if (isClassify()) return;
    const next = demo.emNextPhase();
    if (!next) { resetMixture(); return; }
    if (which && which !== next) { status(`Next is the ${next === 'expectation' ? 'E' : 'M'}-step: the two alternate.`, 'warn'); return; }
    try {
      lastStep = demo.emHalfStep();
    } catch (e) { status(e.message, 'err'); return; }
    if (lastStep.reseeded.length) reseededAt.push(demo.emBounds().length - 1);
    statusLine.dataset.bound = String(lastStep.bound);
    const b = fmt(lastStep.bound, 5);
    let text;
    if (lastStep.phase === 'expectation') {
      text = demo.emBounds().length === 1 ? `E-step: every point gets its responsibilities, the posterior over the components; the bound equals the log-likelihood, ${b} per point. Next: M-step.`
        : `E-step: responsibilities recomputed (${lastStep.changed} point${lastStep.changed === 1 ? '' : 's'} changed their main component). The bound now equals the log-likelihood: ${b} per point. Next: M-step.`;
    } else if (lastStep.reseeded.length) {
      text = `M-step: component${lastStep.reseeded.length > 1 ? 's' : ''} ${lastStep.reseeded.map((j) => j + 1).join(', ')} had no responsibility left and moved to the point the mixture explained worst (the bound may drop at such a step).`;
    } else {
      text = `M-step: every Gaussian refitted to its weighted points; bound ${b} per point. Next: E-step.`;
    }
    if (demo.emConverged()) { text = `Converged after ${demo.emIterations()} iterations: the bound rose by less than 10⁻⁶ per point, and its rises shrink fast enough that less than that is left to gain (a slow stretch on a plateau does not stop EM).`; stopRun(); }
    refresh(text, lastStep.reseeded.length ? 'warn' : demo.emConverged() ? 'ok' : 'muted');
  }

  /** A whole EM iteration: the E-step and the M-step after it (or just the M-step when it is next). */
  function fullStep() {
    if (demo.emNextPhase() === 'expectation') emStep();
    emStep();
  }

  function advance() {
    if (isClassify()) { if (s.clf === 'logistic') trainLogistic(50); else drawSamples(); return; }
    if (demo.emConverged()) return;
    emStep();
  }

  function stopRun() { running = false; runBtn.textContent = 'Run'; clearTimeout(runTimer); }
  function toggleRun() {
    if (isClassify()) { trainLogistic(50); return; }
    if (running) { stopRun(); return; }
    if (demo.emConverged()) { status('Already converged: Reset, or change the data or the components.', 'ok'); return; }
    running = true;
    runBtn.textContent = 'Pause';
    const tick = () => {
      if (!running) return;
      emStep();
      if (running) runTimer = setTimeout(tick, 250);
    };
    tick();
  }

  function drawSamples() {
    readSettings();
    try {
      if (isClassify()) {
        if (s.clf === 'logistic') {
          status('Logistic regression models only p(y | x): it has no p(x | y) to draw points from. Choose a generative classifier to draw points of each class.', 'warn');
          return;
        }
        samples = demo.classSamples(s.clf, 40, BigInt(s.seed + 1));
        refresh('Drew 40 new points of each class from the fitted p(x | y): small crosses in the class colours.');
        return;
      }
      demo.setEstimator(s.shade, s.shade === 'histogram' ? s.width : s.bw);
      samples = demo.sample(dim() === 1 ? 200 : 300, BigInt(s.seed + 1));
      refresh(`Drew ${samples.length / 2} points from ${shade.selectedOptions[0].text} (green crosses): an explicit density can be evaluated and sampled.`);
    } catch (e) { status(e.message, 'err'); }
  }

  function trainLogistic(steps) {
    if (!isClassify()) return;
    clearTimeout(trainTimer);
    if (s.clf !== 'logistic') { clf.value = 'logistic'; readSettings(); }
    // A few steps per frame, so that the boundary is seen moving.
    let left = steps;
    const frame = () => {
      try { demo.logisticSteps(Math.min(5, left), 1.0); } catch (e) { status(e.message, 'err'); return; }
      left -= 5;
      refresh(`Logistic regression: ${demo.logisticLosses().length} gradient steps; cross-entropy ${fmt(demo.logisticLosses().at(-1) ?? NaN, 4)}.`);
      if (left > 0) trainTimer = setTimeout(frame, 16);
    };
    frame();
  }

  // ---- scores, readouts and words
  // The histogram's and the KDE's scores change only with the data or their setting, not with
  // an EM step: kept until either changes (the KDE's cost n² kernels, the mixture's n k).
  let dataVersion = 0;
  const scoreCache = new Map();
  function pointCounts() {
    const nTrain = demo.trainPoints().length / 2;
    return { nTrain, nAll: nTrain + demo.heldOutPoints().length / 2 };
  }
  // The KDE's scores cost n² kernels (a third of a second at 5,000 points): past about 50 ms
  // they are computed in a second Web Worker, the table showing "…" until they arrive. A newer
  // request waits for the one running (it takes well under a second) rather than restarting.
  let kdeJob = null; // { key, id }
  let kdeJobs = 0;
  function kdeScoresElsewhere(key) {
    if (kdeJob?.key === key) return true;
    const { nTrain, nAll } = pointCounts();
    if (nAll * nTrain * 18e-6 < 50) return false;
    const w = densityWorker('scores', scoresMessage);
    if (!w || w.failed) return false;
    const job = { key, id: ++kdeJobs };
    kdeJob = job;
    const message = { type: 'scores', id: job.id, dim: dim(), train: demo.trainPoints(), held: demo.heldOutPoints(), bandwidth: s.bw };
    w.ready.then((ok) => {
      if (kdeJob !== job) return;
      if (!ok) { kdeJob = null; refresh(); return; } // computed on the page instead
      if (w.busy) { w.pending = message; return; }
      w.busy = true;
      w.worker.postMessage(message);
    });
    return true;
  }
  function scoresMessage(w, m) {
    if (w.pending) { w.worker.postMessage(w.pending); w.pending = null; } else w.busy = false;
    if (!kdeJob || (m.id !== kdeJob.id && m.id !== null)) return; // an older request's
    const job = kdeJob;
    kdeJob = null;
    if (m.type === 'scores') scoreCache.set(job.key, m.scores);
    else { workers.scores = { failed: true }; } // the page computes them from now on
    refresh();
  }
  function scoresOf(name) {
    const setting = name === 'histogram' ? s.width : s.bw;
    const key = `${name}|${setting}|${dataVersion}`;
    if (name !== 'mixture' && scoreCache.has(key)) return scoreCache.get(key);
    if (name === 'kde' && kdeScoresElsewhere(key)) return null;
    let scores = null;
    try {
      if (name === 'mixture' && !demo.emNextPhase()) return null;
      demo.setEstimator(name, setting);
      scores = demo.scores();
    } catch { return null; }
    if (name !== 'mixture') { if (scoreCache.size > 40) scoreCache.clear(); scoreCache.set(key, scores); }
    return scores;
  }

  const logText = (v) => (v === -Infinity ? '−∞' : fmt(v, 4));
  function showDensityReadout() {
    const rows = [['histogram', `histogram, width ${s.width}`], ['kde', `kernel density, h = ${s.bw}`], ['mixture', `mixture of ${s.k}, EM iteration ${demo.emIterations()}`]];
    const all = Object.fromEntries(rows.map(([name]) => [name, scoresOf(name)]));
    table.replaceChildren(
      el('caption', { class: 'sr-only', text: 'Mean log-likelihood per point of each estimator' }),
      el('tr', {}, el('th', { scope: 'col', text: 'ln p(x) per point' }), el('th', { scope: 'col', text: 'training' }), el('th', { scope: 'col', text: 'held-out' })),
      ...rows.map(([name, label]) => {
        const sc = all[name];
        return el('tr', { class: name === s.shade ? 'current' : '' },
          el('th', { scope: 'row' }, el('span', { class: 'swatch', style: null }), label),
          el('td', { text: sc ? logText(sc.train) : name === 'kde' && kdeJob ? '…' : '–' }),
          el('td', { text: sc ? logText(sc.heldOut) : name === 'kde' && kdeJob ? '…' : '–' }));
      }));
    table.querySelectorAll('.swatch').forEach((sw, i) => { sw.style.background = EST_COLOR[rows[i][0]]; });
    const best = rows.map(([name]) => [name, all[name]?.heldOut]).filter(([, v]) => Number.isFinite(v)).sort((a, b) => b[1] - a[1])[0];
    const current = all[s.shade];
    headline.textContent = `held-out ln p(x) = ${current ? logText(current.heldOut) : '–'}`;
    headline.dataset.value = current ? String(current.heldOut) : '';
    return { all, best };
  }

  function explainDensity({ all, best }) {
    const hist = all.histogram;
    equation.textContent = s.shade === 'histogram' ? 'p(x) = (points in x\'s bin) / (n · width' + (dim() === 2 ? '²)' : ')')
      : s.shade === 'kde' ? 'p(x) = (1/n) Σᵢ N(x; xᵢ, h²' + (dim() === 2 ? 'I)' : ')')
        : 'p(x) = Σₖ wₖ N(x; μₖ, Σₖ)';
    words.replaceChildren(
      'A density estimator turns the training points (', el('b', { text: 'white' }), ') into a function p(x) that can be evaluated anywhere and sampled from. ',
      'Its score is the mean ln p(x) on ', el('b', { text: 'held-out' }), ' points (pink) it never saw: a fit that hugs the training points scores high on them and low, even −∞, on new ones. ',
      'EM fits the mixture: the ', el('b', { text: 'E-step' }), ' gives each point soft responsibilities for the components, the ', el('b', { text: 'M-step' }),
      ' refits each component to its weighted points; neither can lower the bound, as assign and recenter never raise k-means\' F.');
    let hint;
    if (hist && hist.zeroDensity > 0) hint = `Try next: ${hist.zeroDensity} held-out point${hist.zeroDensity === 1 ? ' falls' : 's fall'} in an empty bin, so the histogram scores −∞. Widen the bins.`;
    else if (s.cov === 'kmeans') hint = 'Try next: shrink σ. The responsibilities turn hard (one colour per point) and EM becomes k-means: assign, then recenter.';
    else if (!demo.emNextPhase() || demo.emIterations() === 0) hint = 'Try: press the blue button (or E) and watch every point take a blend of the components\' colours.';
    else if (!demo.emConverged()) hint = 'Keep pressing (or Space to run): the bound rises at every half-step until EM converges.';
    else if (s.chart === 'em') hint = `Try next: Chart "against the bandwidth" and move h: the training score climbs without end as h shrinks, the held-out one peaks and falls.${best ? ` Best held-out now: ${best[0] === 'kde' ? 'the kernel density' : best[0]}.` : ''}`;
    else hint = 'Try next: more components, or the data "One mode with outliers", and watch the held-out score.';
    tryNext.textContent = hint;
    legend.replaceChildren(...legendItems());
  }

  function legendItems() {
    if (isClassify()) {
      return ['Shading: p(y | x), each class in its colour, mixed where the classifier is unsure. White dotted line: the decision boundary. Filled markers: training points; rings: held-out points.',
        s.clf !== 'logistic' ? ' Ellipses: each class\'s fitted Gaussian (1 and 2 standard deviations).' : '',
        samples ? ' Small crosses: points drawn from the fitted p(x | y).' : ''];
    }
    const parts = dim() === 1
      ? ['Grey bars: the histogram. Blue curve: the kernel density. Yellow curve: the mixture; dashed: each component wₖ N(x; μₖ, σₖ²). Ticks under the axis: training points (white, coloured by their main component after an E-step); pink triangles: held-out points.']
      : [`Shading: p(x) of ${shade.selectedOptions[0].text}, brighter where denser (the top of the scale is the grid's highest value). Dots: training points, coloured by their responsibilities after an E-step. Pink rings: held-out points. Ellipses: each component at 1 and 2 standard deviations.`];
    if (samples) parts.push(' Green crosses: points drawn from the fitted density.');
    return parts;
  }

  function showClassifyReadout() {
    let acc = null;
    try { acc = demo.accuracies(); } catch (e) { status(e.message, 'err'); }
    const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');
    const rows = [['full', 'Gaussians, full covariance', acc?.full, acc?.train_full], ['naive', 'naive Bayes (diagonal)', acc?.naive, acc?.train_naive],
      ['logistic', `logistic regression, ${demo.logisticLosses().length} steps`, acc?.logistic, acc?.train_logistic]];
    table.replaceChildren(
      el('caption', { class: 'sr-only', text: 'Accuracy of each classifier' }),
      el('tr', {}, el('th', { scope: 'col', text: 'accuracy' }), el('th', { scope: 'col', text: 'training' }), el('th', { scope: 'col', text: 'held-out' })),
      ...rows.map(([name, label, held, train]) => el('tr', { class: name === s.clf ? 'current' : '' },
        el('th', { scope: 'row', text: label }), el('td', { text: pct(train) }), el('td', { text: pct(held) }))));
    const current = rows.find((r) => r[0] === s.clf);
    headline.textContent = `held-out accuracy ${pct(current?.[2])}`;
    headline.dataset.value = String(current?.[2] ?? '');
    equation.textContent = s.clf === 'logistic' ? 'p(y | x) = softmax(W (1, x₁, x₂))ᵧ' : 'p(y | x) = p(x | y) p(y) / Σ꜀ p(x | c) p(c)';
    words.replaceChildren(
      el('b', { text: 'Generative' }), ': model how each class makes its points, p(x | y) (here a Gaussian per class; naive Bayes takes the coordinates as independent), and p(y), then turn them around with Bayes\' rule. It can also draw new points of a class. ',
      el('b', { text: 'Discriminative' }), ': logistic regression fits p(y | x) directly, by gradient descent on the cross-entropy; its boundary is a straight line, and it has nothing to draw points from.');
    tryNext.textContent = s.classes === 'different-spread' ? 'Try: choose logistic regression and train it: no straight line separates a class inside another; the Gaussians\' curved boundary does.'
      : s.classes === 'correlated' ? 'Try: compare naive Bayes with full covariances: treating correlated coordinates as independent tilts the boundary the wrong way.'
        : 'Try: "Draw samples" with a generative classifier, then with logistic regression.';
    legend.replaceChildren(...legendItems());
  }

  // ---- the chart
  // The curves over bandwidths and components take seconds at thousands of points (50 kernel
  // sums over every pair of points; EM ten times): they are computed in a Web Worker, with a
  // progress line, and drawn when they arrive. Small ones, and every one where no worker
  // starts, are computed on the page.
  const workers = {}; // 'curve' and 'scores': { worker, ready: Promise<boolean>, busy, pending } or { failed }
  let curveJob = null; // { key, id, fraction }: the curve being computed
  let curveJobs = 0;
  function densityWorker(kind, onMessage) {
    if (workers[kind]) return workers[kind];
    if (typeof Worker === 'undefined' || !wasmModule) return null;
    const w = { worker: null, busy: false, pending: null };
    workers[kind] = w;
    w.ready = (async () => {
      try {
        w.worker = await startWorker(new URL('./density-worker.js', import.meta.url), { type: 'load', module: await wasmModule() });
        w.worker.onmessage = ({ data: m }) => onMessage(w, m);
        w.worker.onerror = (e) => { e.preventDefault?.(); onMessage(w, { type: 'error', id: null, message: e.message || 'it stopped' }); };
        return true;
      } catch {
        if (workers[kind] === w) workers[kind] = { failed: true };
        return false;
      }
    })();
    return w;
  }
  const startCurveWorker = () => densityWorker('curve', curveMessage);
  function curveMessage(w, m) {
    if (m.id === null) { // the worker stopped: curves are computed on the page from now on
      workers.curve = { failed: true };
      if (curveJob) m.id = curveJob.id;
    }
    if (!curveJob || m.id !== curveJob.id) return; // an older job's
    if (m.type === 'progress') { curveJob.fraction = m.fraction; drawChart(); return; }
    w.busy = false;
    const job = curveJob;
    curveJob = null;
    if (m.type === 'curve') curveCache = { key: job.key, values: splitCurve(m.values) };
    else curveCache = { key: job.key, error: m.message };
    drawChart();
  }
  const splitCurve = (all) => {
    const m = all.length / 3;
    return { settings: all.slice(0, m), train: all.slice(m, 2 * m), held: all.slice(2 * m) };
  };
  /** Milliseconds a curve would take on this page, roughly (from the bench's figures). */
  function curveCost(which) {
    const { nTrain, nAll } = pointCounts();
    return which === 'bw' ? nAll * nTrain * 50 * 15e-6 : which === 'k' ? nTrain * 2 : 0;
  }
  /** The curve, or null while it is computed elsewhere; throws what the estimator refuses. */
  function curve(which) {
    const key = `${which}|${s.cov}|${s.sigma}|${s.seed}|${dataVersion}`;
    if (curveCache?.key === key) {
      if (curveCache.error) throw new Error(curveCache.error);
      return curveCache.values;
    }
    if (curveJob?.key === key) return null;
    const name = { width: 'histogram', bw: 'kde', k: 'mixture' }[which];
    const w = curveCost(which) > 50 ? startCurveWorker() : null;
    if (!w || w.failed) {
      curveJob = null;
      curveCache = { key, values: splitCurve(demo.curve(name, s.cov, s.sigma, BigInt(s.seed))) };
      return curveCache.values;
    }
    const job = { key, id: ++curveJobs, fraction: 0 };
    const message = { type: 'curve', id: job.id, dim: dim(), train: demo.trainPoints(), held: demo.heldOutPoints(), name, kind: s.cov, sigma: s.sigma, seed: s.seed };
    curveJob = job;
    w.ready.then((ok) => {
      if (curveJob !== job) return; // superseded while the worker started
      if (!ok) { curveJob = null; drawChart(); return; } // drawn on the page instead
      // A worker busy with a superseded curve is replaced rather than waited for.
      if (w.busy) {
        w.worker.terminate();
        delete workers.curve;
        const fresh = startCurveWorker();
        fresh.ready.then((ready) => {
          if (curveJob !== job) return;
          if (!ready) { curveJob = null; drawChart(); return; }
          fresh.busy = true;
          fresh.worker.postMessage(message);
        });
        return;
      }
      w.busy = true;
      w.worker.postMessage(message);
    });
    return null;
  }

  function drawChart() {
    if (isClassify()) {
      const losses = Array.from(demo.logisticLosses());
      linePlot(plotCtx, losses, { label: 'logistic regression: cross-entropy per point', xLabel: 'gradient step', color: '#4cc9f0', empty: 'Train the logistic regression to see its loss fall.', highlight: losses.length - 1 });
      plotKey.textContent = 'The loss logistic regression minimises: −mean ln p(true class | x) on the training points.';
      return;
    }
    if (s.chart === 'em') {
      const bounds = Array.from(demo.emBounds());
      const marks = reseededAt.filter((i) => i < bounds.length);
      linePlot(plotCtx, bounds, { label: 'EM bound per point (nats), after each half-step', xLabel: 'half-step', color: EST_COLOR.mixture, markers: bounds.length < 80, highlight: bounds.length - 1, empty: 'The bound appears after the first E-step.', marks });
      const falls = bounds.map((v, i) => i).filter((i) => i > 0 && bounds[i] < bounds[i - 1] - 1e-9);
      const steps = (list) => `half-step${list.length > 1 ? 's' : ''} ${list.map((i) => i + 1).join(', ')}`;
      const byReseed = falls.filter((i) => reseededAt.includes(i));
      const byPoint = falls.filter((i) => pointAddedAt.includes(i) && !reseededAt.includes(i));
      const other = falls.filter((i) => !byReseed.includes(i) && !byPoint.includes(i));
      const why = [
        byReseed.length ? `The bound fell at ${steps(byReseed)}, where a component was re-seeded (dashed line${byReseed.length > 1 ? 's' : ''}).` : '',
        byPoint.length ? `It fell at ${steps(byPoint)} because a training point was added just before: the bound is per point of the data as it is now, and a point the mixture explains badly lowers it.` : '',
        other.length ? `It fell at ${steps(other)}.` : '',
      ].filter(Boolean).join(' ');
      plotKey.textContent = bounds.length > 1 ? (falls.length ? why : `The bound never fell over ${bounds.length - 1} half-steps. After an E-step it equals the training log-likelihood.`) : 'Each E-step makes the bound equal to ln p(training points); each M-step raises it.';
      return;
    }
    let c;
    try { c = curve(s.chart); } catch (e) { plotKey.textContent = e.message; return; }
    if (!c) {
      const percent = Math.round(100 * (curveJob?.fraction ?? 0));
      const what = s.chart === 'k' ? 'EM for 1 to 10 components' : 'the kernel density at 50 bandwidths';
      linePlot(plotCtx, [], { label: 'mean ln p(x) per point', empty: `Computing: ${percent}% done` });
      plotKey.textContent = `Computing the curve in the background (${what}, on every training and held-out point): ${percent}% done. The page keeps working meanwhile.`;
      plotKey.dataset.computing = 'true';
      return;
    }
    delete plotKey.dataset.computing;
    const current = { width: s.width, bw: s.bw, k: s.k }[s.chart];
    let at = 0;
    c.settings.forEach((v, i) => { if (Math.abs(Math.log(v / current)) < Math.abs(Math.log(c.settings[at] / current))) at = i; });
    linePlot(plotCtx, c.held, {
      xs: c.settings, logX: s.chart !== 'k', label: 'mean ln p(x) per point', xLabel: { width: 'bin width', bw: 'bandwidth h', k: 'components' }[s.chart],
      color: HELD_COLOR, second: { ys: c.train, color: TRAIN_COLOR }, highlight: at, markers: s.chart === 'k',
    });
    const bestAt = c.held.reduce((b, v, i) => (v > (c.held[b] ?? -Infinity) ? i : b), 0);
    const lost = c.held.filter((v) => v === -Infinity).length;
    const noneHeld = demo.heldOutPoints().length === 0;
    plotKey.textContent = noneHeld
      ? 'White: training points; yellow dot: the current setting. No points are held out (about 30% are, once there are enough), so there is no held-out curve to tell overfitting from a good fit: add points to see it.'
      : `White: training points; pink: held-out points; yellow dot: the current setting. Best held-out at ${tickText(c.settings[bestAt])}.${lost ? ` Gaps: ${lost} settings where a held-out point has zero density (−∞).` : ''}`;
  }

  function refresh(text, cls) {
    if (text !== undefined) status(text, cls);
    const classify = isClassify();
    densityControls.hidden = classify;
    classControls.hidden = !classify;
    emButtons.hidden = classify;
    classButtons.hidden = !classify;
    densityKeys.hidden = classify;
    classifyKeys.hidden = !classify;
    sigma.disabled = s.cov !== 'kmeans';
    // In 2-D one estimator is shaded (the Shading select); only the mixture's ellipses toggle.
    for (const name of ['histogram', 'kde']) show[name].closest('label').hidden = dim() === 2;
    // Clicks add a point of an existing class.
    for (const option of addClass.options) option.hidden = Number(option.value) >= demo.classes();
    if (Number(addClass.value) >= demo.classes()) addClass.value = '0';
    if (classify) showClassifyReadout();
    else explainDensity(showDensityReadout());
    showNext();
    drawChart();
    draw();
  }

  function showNext() {
    if (isClassify()) {
      nextBtn.disabled = false;
      nextBtn.textContent = s.clf === 'logistic' ? 'Train logistic regression: 50 gradient steps' : 'Draw new points of each class from p(x | y)';
      return;
    }
    const next = demo.emNextPhase();
    const converged = demo.emConverged();
    nextBtn.disabled = converged;
    nextBtn.textContent = !next ? 'Start the mixture' : converged ? 'Converged: the bound stopped rising'
      : next === 'expectation' ? 'E-step: give each point its responsibilities' : 'M-step: refit each Gaussian to its weighted points';
  }

  // ---- drawing
  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 0, board.width, board.height);
    if (isClassify()) drawClassify();
    else if (dim() === 1) draw1d();
    else draw2d();
    if (boardKeys.shown()) drawCursor(ctx, boardKeys.position, 16);
  }

  function pointColours(count) {
    const q = demo.responsibilities();
    const kk = s.k;
    if (q.length !== count * kk) return null;
    const rgb = Array.from({ length: kk }, (_, j) => hexToRgb(PALETTE[j % PALETTE.length]));
    return Array.from({ length: count }, (_, i) => {
      let r = 0; let g = 0; let b = 0;
      for (let j = 0; j < kk; j++) { const w = q[i * kk + j]; r += w * rgb[j][0]; g += w * rgb[j][1]; b += w * rgb[j][2]; }
      // Rounded down to steps of 8 (invisible): most points then share a few colours, and
      // drawPoints fills each colour's points as one path.
      return `rgb(${r & ~7},${g & ~7},${b & ~7})`;
    });
  }

  // The histogram's and the KDE's pictures change with the data and their setting only: kept
  // (an EM run redraws every frame, and at 5,000 points the KDE's line costs 40 ms).
  let gridCache = null; // { key: grid }
  function gridOf(name, side) {
    const key = `${name}|${name === 'histogram' ? s.width : s.bw}|${dataVersion}|${side}`;
    if (gridCache?.[key]) return gridCache[key];
    try {
      if (name === 'mixture' && !demo.emNextPhase()) return null;
      demo.setEstimator(name, name === 'histogram' ? s.width : s.bw);
      const grid = demo.grid(side);
      if (name !== 'mixture') {
        if (Object.keys(gridCache ?? {}).length > 8) gridCache = null;
        (gridCache ??= {})[key] = grid;
      }
      return grid;
    } catch { return null; }
  }

  function draw1d() {
    const H = board.height;
    // The drawing is 640 wide and shown narrower on a phone: text and margins grow by the
    // same factor, so that what is read stays at least 13 px on the screen.
    const k = Math.max(1, W / (board.clientWidth || W));
    const left = Math.round(48 * k); const right = W - 12; const top = 12 * k; const base = H - 92 * k;
    const X = (x) => left + (right - left) * x;
    const curves = Object.fromEntries(['histogram', 'kde', 'mixture'].filter((e) => show[e].checked).map((e) => [e, gridOf(e, right - left)]).filter(([, v]) => v));
    // The y scale: the largest value of the smooth curves (a histogram of tiny bins would
    // flatten everything else), with the histogram clipped above it.
    const peaks = Object.entries(curves).map(([name, v]) => [name, v.reduce((m, x) => Math.max(m, x), 0)]);
    const smooth = peaks.filter(([name]) => name !== 'histogram').map(([, p]) => p);
    const top_ = (smooth.length ? Math.max(...smooth) : Math.max(...peaks.map(([, p]) => p), 1)) * 1.15 || 1;
    const Y = (v) => base - (base - top) * Math.min(1, v / top_);
    ctx.font = `${Math.round(13 * k)}px system-ui, sans-serif`;
    ctx.strokeStyle = '#2f374c'; ctx.fillStyle = '#b9c0d0'; ctx.lineWidth = 1; ctx.textAlign = 'right';
    for (const t of niceTicks(0, top_, 4)) { const y = Math.round(Y(t)) + 0.5; ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke(); ctx.fillText(tickText(t), left - 4, y + 4 * k); }
    ctx.textAlign = 'center';
    for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) ctx.fillText(tickText(t), X(t), base + 15 * k);
    ctx.textAlign = 'start';
    ctx.fillText('p(x)', 6, top + 4 * k);
    if (curves.histogram) {
      ctx.fillStyle = 'rgba(140,150,176,0.45)';
      curves.histogram.forEach((v, i) => { if (v > 0) ctx.fillRect(left + i, Y(v), 1, base - Y(v)); });
    }
    const line = (values, colour, dash = []) => {
      ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.setLineDash(dash); ctx.beginPath();
      values.forEach((v, i) => (i ? ctx.lineTo(left + i, Y(v)) : ctx.moveTo(left, Y(v))));
      ctx.stroke(); ctx.setLineDash([]);
    };
    if (curves.kde) line(curves.kde, EST_COLOR.kde);
    const comps = demo.mixtureComponents();
    if (curves.mixture) {
      for (let j = 0; j < comps.length / 6; j++) {
        const [w, mx, , sd] = comps.slice(6 * j, 6 * j + 4);
        const values = Array.from({ length: right - left }, (_, i) => {
          const x = (i + 0.5) / (right - left);
          return (w * Math.exp(-0.5 * ((x - mx) / sd) ** 2)) / (sd * Math.sqrt(2 * Math.PI));
        });
        line(values, PALETTE[j % PALETTE.length], [5, 4]);
      }
      line(curves.mixture, EST_COLOR.mixture);
    }
    ctx.strokeStyle = '#59627a'; ctx.beginPath(); ctx.moveTo(left, base + 0.5); ctx.lineTo(right, base + 0.5); ctx.stroke();
    // Rugs: training ticks, held-out triangles, samples.
    const train = demo.trainPoints();
    const colours = pointColours(train.length / 2);
    for (let i = 0; i < train.length; i += 2) {
      ctx.strokeStyle = colours?.[i / 2] ?? TRAIN_COLOR; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(X(train[i]), base + 22 * k); ctx.lineTo(X(train[i]), base + 38 * k); ctx.stroke();
    }
    const held = demo.heldOutPoints();
    ctx.strokeStyle = HELD_COLOR; ctx.lineWidth = 1.5;
    for (let i = 0; i < held.length; i += 2) {
      const x = X(held[i]);
      ctx.beginPath(); ctx.moveTo(x, base + 44 * k); ctx.lineTo(x - 5, base + 56 * k); ctx.lineTo(x + 5, base + 56 * k); ctx.closePath(); ctx.stroke();
    }
    if (samples && samples.length) {
      ctx.strokeStyle = SAMPLE_COLOR;
      for (let i = 0; i < samples.length; i += 2) { const x = X(samples[i]); ctx.beginPath(); ctx.moveTo(x, base + 62 * k); ctx.lineTo(x, base + 76 * k); ctx.stroke(); }
    }
    ctx.fillStyle = '#b9c0d0'; ctx.textAlign = 'right';
    ctx.fillText('train', left - 4, base + 35 * k);
    ctx.fillText('held', left - 4, base + 55 * k);
    if (samples) ctx.fillText('drawn', left - 4, base + 74 * k);
    ctx.textAlign = 'start';
  }

  const heatImage = { side: 0, image: null, canvas: null };
  function drawField(side, colourAt) {
    if (heatImage.side !== side) {
      heatImage.side = side; heatImage.image = new ImageData(side, side); heatImage.canvas = new OffscreenCanvas(side, side);
    }
    for (let i = 0; i < side * side; i++) heatImage.image.data.set(colourAt(i), i * 4);
    heatImage.canvas.getContext('2d').putImageData(heatImage.image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatImage.canvas, 0, 0, W, W);
  }

  // A dark-to-bright ramp (dark blue, teal, yellow) for p(x).
  const RAMP = [[15, 18, 26], [30, 60, 120], [30, 140, 150], [120, 200, 100], [250, 230, 90]];
  function ramp(t) {
    const x = Math.min(0.9999, Math.max(0, t)) * (RAMP.length - 1);
    const i = Math.floor(x); const f = x - i;
    return RAMP[i].map((c, j) => Math.round(c + f * (RAMP[i + 1][j] - c)));
  }

  function ellipse(mx, my, r1, r2, angle, colour, scales = [1, 2]) {
    for (const sc of scales) {
      ctx.strokeStyle = '#000'; ctx.lineWidth = 4;
      ctx.beginPath(); ctx.ellipse(mx * W, my * W, Math.max(2, sc * r1 * W), Math.max(2, sc * r2 * W), angle, 0, 2 * Math.PI); ctx.stroke();
      ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.setLineDash(sc === 1 ? [] : [6, 5]); ctx.stroke(); ctx.setLineDash([]);
    }
  }

  // One path per colour: at 2,000 points a fill per point was most of an EM half-step's time.
  function drawPoints(points, colourOf, held) {
    const paths = new Map();
    for (let i = 0; i < points.length; i += 2) {
      const x = points[i] * W; const y = points[i + 1] * W; const r = held ? 4.5 : 3;
      const colour = held ? HELD_COLOR : colourOf(i / 2);
      let path = paths.get(colour);
      if (!path) paths.set(colour, (path = new Path2D()));
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, 2 * Math.PI);
    }
    for (const [colour, path] of paths) {
      if (held) { ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.stroke(path); } else { ctx.fillStyle = colour; ctx.fill(path); }
    }
  }

  function drawSampleCrosses(stride, colourOf) {
    if (!samples) return;
    ctx.lineWidth = 2;
    for (let i = 0; i < samples.length; i += stride) {
      const x = samples[i] * W; const y = samples[i + 1] * W;
      ctx.strokeStyle = colourOf(i / stride);
      ctx.beginPath(); ctx.moveTo(x - 4, y - 4); ctx.lineTo(x + 4, y + 4); ctx.moveTo(x + 4, y - 4); ctx.lineTo(x - 4, y + 4); ctx.stroke();
    }
  }

  function draw2d() {
    const side = demo.trainPoints().length > 2000 ? 64 : 128;
    const values = gridOf(s.shade, side);
    if (values) {
      let top = 0;
      for (const v of values) top = Math.max(top, v);
      drawField(side, (i) => [...ramp(top > 0 ? values[i] / top : 0), 255]);
    }
    const train = demo.trainPoints();
    const colours = pointColours(train.length / 2);
    drawPoints(train, (i) => colours?.[i] ?? TRAIN_COLOR, false);
    drawPoints(demo.heldOutPoints(), null, true);
    if (show.mixture.checked) {
      const comps = demo.mixtureComponents();
      for (let j = 0; j < comps.length / 6; j++) {
        const [, mx, my, r1, r2, angle] = comps.slice(6 * j, 6 * j + 6);
        ellipse(mx, my, r1, r2, angle, PALETTE[j % PALETTE.length]);
      }
    }
    drawSampleCrosses(2, () => SAMPLE_COLOR);
  }

  function drawClassify() {
    const side = 96;
    const classes = demo.classes();
    let post = null;
    try { post = demo.posteriorGrid(s.clf, side); } catch (e) { status(e.message, 'err'); }
    if (post) {
      const rgb = CLASS_COLORS.slice(0, classes).map(hexToRgb);
      const argmax = (i) => { let b = 0; for (let c = 1; c < classes; c++) if (post[i * classes + c] > post[i * classes + b]) b = c; return b; };
      drawField(side, (i) => {
        let r = 0; let g = 0; let b = 0;
        for (let c = 0; c < classes; c++) { const q = post[i * classes + c]; r += q * rgb[c][0]; g += q * rgb[c][1]; b += q * rgb[c][2]; }
        // Darkened so that the points stay readable over it.
        return [r * 0.45, g * 0.45, b * 0.45, 255];
      });
      // The decision boundary: cells whose most probable class differs from a neighbour's.
      ctx.fillStyle = '#ffffff';
      const cell = W / side;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const a = argmax(y * side + x);
          if ((x + 1 < side && argmax(y * side + x + 1) !== a) || (y + 1 < side && argmax((y + 1) * side + x) !== a)) ctx.fillRect((x + 0.5) * cell, (y + 0.5) * cell, 3, 3);
        }
      }
    }
    if (s.clf !== 'logistic') {
      try {
        const g = demo.classGaussians(s.clf);
        for (let c = 0; c < g.length / 6; c++) if (g[6 * c] > 0) ellipse( // a class with no points has no fitted Gaussian
          g[6 * c + 1], g[6 * c + 2], g[6 * c + 3], g[6 * c + 4], g[6 * c + 5], CLASS_COLORS[c]);
      } catch { /* no labelled points: nothing to draw */ }
    }
    const drawLabelled = (points, labels, held) => {
      for (let i = 0; i < labels.length; i++) {
        const x = points[2 * i] * W; const y = points[2 * i + 1] * W;
        ctx.fillStyle = CLASS_COLORS[labels[i]];
        if (held) { ctx.strokeStyle = CLASS_COLORS[labels[i]]; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(x, y, 5, 0, 7); ctx.stroke(); } else {
          ctx.fillStyle = '#000'; marker(ctx, CLASS_SHAPES[labels[i]], x, y, 5.5);
          ctx.fillStyle = CLASS_COLORS[labels[i]]; marker(ctx, CLASS_SHAPES[labels[i]], x, y, 4);
        }
      }
    };
    drawLabelled(demo.trainPoints(), demo.trainLabels(), false);
    drawLabelled(demo.heldOutPoints(), demo.heldOutLabels(), true);
    if (samples && samples.length % 3 === 0) drawSampleCrosses(3, (i) => CLASS_COLORS[samples[3 * i + 2]]);
  }

  // ---- adding points: pointer or keyboard
  function placeAt(x, y) {
    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return;
    try {
      demo.addPoint(x, dim() === 1 ? 0 : y, !isClassify() && addAs.value === 'held', isClassify() ? Number(addClass.value) : 0);
    } catch (e) { status(e.message, 'err'); return; }
    curveCache = null;
    dataVersion += 1;
    if (!isClassify() && addAs.value !== 'held' && demo.emNextPhase()) pointAddedAt.push(demo.emBounds().length);
    refresh(isClassify() ? 'Point added; the generative classifiers refit at once, logistic regression needs more training steps.'
      : `Point added to the ${addAs.value === 'held' ? 'held-out' : 'training'} points. The histogram and kernel density change at once; EM goes on from where it is.`);
  }
  const boardKeys = keyboardCursor(board, { step: 1 / 40, onMove: () => draw(), onAct: ([x, y]) => placeAt(x, y) });
  board.addEventListener('pointerdown', (e) => {
    const rect = board.getBoundingClientRect();
    placeAt((e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height);
  });

  for (const input of [part, dataSel, classSel, n, seed]) input.addEventListener('change', newData);
  for (const input of [k, cov, sigma]) input.addEventListener('change', () => { curveCache = null; resetMixture(); });
  for (const input of [width, bw]) input.addEventListener('input', () => { readSettings(); refresh(); });
  for (const input of [shade, chart, clf, ...Object.values(show)]) input.addEventListener('change', () => { readSettings(); if (input === clf) samples = null; refresh(); });

  newData();

  return {
    settings: () => s,
    apply(values) {
      part.value = values.part; dataSel.value = values.data; classSel.value = values.classes; n.value = values.n; seed.value = values.seed;
      width.value = Math.log10(values.width); bw.value = Math.log10(values.bw); k.value = values.k; cov.value = values.cov; sigma.value = Math.log10(values.sigma);
      shade.value = values.shade; chart.value = values.chart; clf.value = values.clf;
      newData();
    },
    hide() { stopRun(); clearTimeout(trainTimer); },
    onKey(e) {
      const both = { d: drawSamples, n: newData, x: () => clearBtn.click() };
      const map = isClassify() ? { ...both, t: () => trainLogistic(50), l: () => trainResetBtn.click() }
        : { ...both, e: () => emStep('expectation'), m: () => emStep('maximisation'), s: fullStep, ' ': toggleRun, r: resetMixture };
      const f = map[e.key.toLowerCase()];
      if (f) { f(); return true; }
      return false;
    },
  };
}
