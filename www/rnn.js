// The char-RNN tab: the unrolled network, training curves and sampling. All maths in Rust.
import { el, field, select, canvas, bars, heatmap, linePlot, fmt, clampInput, calmLiveRegion, shortcutList, wellFormed, math, fixed } from './draw.js';

export async function mount(panel, { wasm, settings, notify, writeHash }) {
  const s = { ...settings };
  let demo = null;
  let training = false;
  let trainStart = 0;
  let trainedMs = 0;
  let sampled = '';
  let sampleTimer = 0;

  const text = el('textarea', { 'aria-label': 'Training text', rows: 3 });
  text.value = s.text;
  const cell = select([['vanilla', 'vanilla RNN (tanh)'], ['lstm', 'LSTM']], s.cell);
  const hidden = el('input', { type: 'number', min: 1, max: 512, value: s.hidden });
  const seq = el('input', { type: 'number', min: 1, max: 200, value: s.seq });
  const opt = select([['adagrad', 'Adagrad (min-char-rnn)'], ['adam', 'Adam']], s.opt);
  const seed = el('input', { type: 'number', min: 0, max: 4294967295, value: s.seed });
  const temp = el('input', { type: 'range', min: 0.05, max: 3, step: 0.05, value: s.temp });
  const tempOut = el('output', { text: Number(s.temp).toFixed(2) });
  const greedy = el('input', { type: 'checkbox' });
  const first = el('select', { 'aria-label': 'First character' });
  const btn = (label, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text: label });
  const trainBtn = btn('Train', 'T', () => toggleTrain(), 'primary next');
  trainBtn.dataset.story = 'advance';
  const stepBtn = btn('One iteration', 'I', () => { trainSome(1); render(); });
  const resetBtn = btn('Reset', 'R', () => rebuild());
  const sampleStartBtn = btn('Start sampling', 'F', () => startSampling());
  const sampleStepBtn = btn('Next character', 'N', () => sampleStep(), 'primary');
  const sampleRunBtn = btn('Run sampling', 'M', () => sampleRun());
  const saveBtn = btn('Save weights', 'W', () => save());
  const loadInput = el('input', { type: 'file', accept: '.json,application/json' });

  // Training runs a fixed number of iterations per animation frame (not by the clock), so the
  // same seed gives the same curve and the same iteration count on any machine.
  const SPEEDS = [['0.25', '1 iteration per 4 frames'], ['0.5', '1 per 2 frames'], ['1', '1 per frame'], ['5', '5 per frame'], ['25', '25 per frame'], ['250', '250 per frame']];
  const speed = select(SPEEDS, '0.5');
  const tryNext = el('p', { class: 'try', id: 'rnn-try' });
  const progress = el('ol', { class: 'progress-samples mono', id: 'rnn-progress', 'aria-label': 'Samples drawn while training' });
  const lossLine = el('div', { class: 'big', id: 'rnn-loss', 'aria-live': 'polite', 'data-story': 'readout', text: 'loss –' });
  const trainInfo = el('p', { class: 'muted', id: 'rnn-train-info' });
  const lossCanvas = canvas(420, 150, 'Training loss per character against the iteration, log scale');
  lossCanvas.dataset.story = 'readout';
  const lossCtx = lossCanvas.getContext('2d');
  // Focusable: it scrolls sideways on a narrow screen, and keyboard users must reach that too.
  const unrolled = el('div', { class: 'unrolled', id: 'rnn-unrolled', role: 'region', tabindex: 0, 'data-story': 'picture', 'aria-label': 'The unrolled network, one column per time step' });
  const heat = { w_x: canvas(160, 120, 'W_xh heat map'), w_h: canvas(120, 120, 'W_hh heat map'), w_y: canvas(160, 120, 'W_hy heat map') };
  const out = el('div', { class: 'sample-out', id: 'rnn-sample', 'aria-live': 'polite' });
  const distCanvas = canvas(520, 160, 'The distribution the last character was drawn from');
  const distCtx = distCanvas.getContext('2d');
  const status = el('p', { class: 'muted', 'aria-live': 'polite' });

  panel.append(
    el('h2', { text: 'char-RNN: trained here, sampled one character at a time' }),
    unrolled,
    el('p', { class: 'key' }, 'A column per time step: the one-hot input, hidden units h (',
      el('span', { class: 'pos', text: 'orange +' }), ', ', el('span', { class: 'neg', text: 'blue −' }),
      '), scores, their softmax p (0 to 1; ', el('span', { class: 'hl', text: 'yellow' }),
      ': the target, the true next character) and the loss −log p(target).'),
    el('div', { class: 'stage' },
      el('div', { class: 'side' },
        el('div', { class: 'controls' }, trainBtn, stepBtn, resetBtn, field('Speed', speed)),
        el('div', { class: 'readout' }, lossLine, trainInfo),
        status,
        progress,
        tryNext),
      el('div', { class: 'side' }, lossCanvas)),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card explain' },
          el('p', { class: 'equation' }, ...math('hₜ = tanh(W_{xh} xₜ + W_{hh} hₜ₋₁ + b),   p(xₜ₊₁ | x≤ₜ) = softmax(W_{hy} hₜ + b_y)')),
          el('p', {}, 'The network reads the text one character at a time. Its hidden state h carries what it has seen so far from step to step through the same weights W_hh; from h it scores every character of the vocabulary, and the softmax turns the scores into probabilities for the next one. Training lowers the loss, the average −log p of the true next character, by backpropagation through time. Sampling draws a character from p, feeds it back in as the next input, and repeats.')),
        el('div', { class: 'card' },
          field('Training text', text),
          el('div', { class: 'controls' }, field('Cell', cell), field('Hidden units', hidden), field('Sequence length', seq)),
          el('div', { class: 'controls' }, field('Optimizer', opt), field('Seed', seed), saveBtn, field('Load weights', loadInput))),
        el('div', { class: 'card' }, el('h3', { text: 'Sampling: each character drawn is fed back in' }),
          el('div', { class: 'controls' }, field('First character', first), field('Temperature', temp), tempOut,
            field('Greedy (argmax)', greedy)),
          el('div', { class: 'controls' }, sampleStartBtn, sampleStepBtn, sampleRunBtn),
          out, distCanvas)),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Weights (orange positive, blue negative)' }),
          el('div', { class: 'row' },
            el('figure', {}, heat.w_x, el('figcaption', {}, ...math('W_{xh} (input to hidden)'))),
            el('figure', {}, heat.w_h, el('figcaption', {}, ...math('W_{hh} (hidden to hidden)'))),
            el('figure', {}, heat.w_y, el('figcaption', {}, ...math('W_{hy} (hidden to output)'))))),
        shortcutList([['T', 'train/pause'], ['I', 'one iteration'], ['R', 'reset'], ['F', 'start sampling'], ['N', 'next character'], ['M', 'run sampling'], ['W', 'save weights']]))),
  );
  // Live regions that change every frame speak at most once a second.
  for (const node of [lossLine, out, status]) calmLiveRegion(node);
  bars(distCtx, [], { empty: 'Start sampling: the distribution of each character drawn appears here.' });


  function rebuild() {
    stopTrain();
    const repaired = wellFormed(text.value);
    const broken = repaired !== text.value;
    if (broken) text.value = repaired;
    const next = { text: text.value, cell: cell.value, hidden: clampInput(hidden, 1, 512), seq: clampInput(seq, 1, 200), opt: opt.value, seed: clampInput(seed, 0, 4294967295), temp: Number(temp.value) };
    let made;
    try {
      made = new wasm.RnnDemo(next.text, next.cell, next.hidden, next.seq, next.opt, BigInt(next.seed));
    } catch (e) {
      // Nothing is lost: the previous model stays.
      status.textContent = `${e.message}${demo ? ' (the previous model is kept)' : ''}`;
      status.className = 'err';
      return;
    }
    demo?.free();
    demo = made;
    Object.assign(s, next);
    if (s.text.length <= 2000) writeHash('rnn', s);
    status.textContent = `${broken ? 'The text held a broken character (half of a UTF-16 pair), now replaced by �. ' : ''}Vocabulary of ${demo.vocab().length} characters, ${demo.hidden()} hidden units, sequences of ${demo.seqLen()}.`;
    status.className = 'muted';
    trainedMs = 0;
    first.replaceChildren(...demo.vocab().map((c, i) => el('option', { value: c, text: c === ' ' ? '␣' : c === '\n' ? '⏎' : c })));
    sampled = '';
    out.textContent = '';
    progress.replaceChildren();
    render();
  }

  /** Trains; false (training stopped, the reason shown) when the model diverged. */
  function trainSome(iterations) {
    if (!demo) return false;
    const t0 = performance.now();
    try {
      demo.train(iterations);
    } catch (e) {
      stopTrain();
      status.textContent = e.message;
      status.className = 'err';
      return false;
    } finally {
      trainedMs += performance.now() - t0;
    }
    return true;
  }

  function stopTrain() { training = false; trainBtn.textContent = 'Train'; }
  /** Whether a short text is learnt: its loss below 0.05 nats per character. */
  const learnt = () => s.text.length <= 64 && demo.iterations() > 0 && demo.fullTextLoss() < 0.05;
  function toggleTrain() {
    if (training) { stopTrain(); return; }
    if (!demo) return;
    if (learnt()) { status.textContent = 'Already trained: Reset to watch it learn again.'; status.className = 'ok'; return; }
    training = true;
    trainBtn.textContent = 'Pause';
    let frames = 0;
    const frame = () => {
      if (!training) return;
      // Iterations due by this frame at this rate (a fraction: one every few frames).
      const rate = Number(speed.value);
      frames += 1;
      const due = Math.floor(frames * rate) - Math.floor((frames - 1) * rate);
      for (let i = 0; i < due; i++) {
        if (!trainSome(1)) { render(); return; }
        const done = learnt();
        if (done || demo.iterations() % SAMPLE_EVERY === 0) showProgressSample();
        if (done) {
          stopTrain();
          render();
          status.textContent = `Trained: loss below 0.05 per character after ${demo.iterations()} iterations. Try sampling greedily.`;
          status.className = 'ok';
          return;
        }
      }
      render();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** A sample from the model as it is now, every SAMPLE_EVERY iterations while it trains (the
   * last few kept), so that students watch the text improve. Its own seed: sampling here
   * never changes the training. */
  const SAMPLE_EVERY = 10;
  function showProgressSample() {
    const firstChar = [...s.text][0];
    const length = Math.min(60, Math.max(4, [...s.text].length - 1));
    let sample;
    try { sample = demo.generate(firstChar, length, 1.0, false, BigInt(s.seed)); } catch { return; }
    progress.prepend(el('li', {}, el('span', { class: 'muted', text: `${demo.iterations()}: ` }), sample.replace(/\n/g, '⏎')));
    while (progress.children.length > 4) progress.lastChild.remove();
  }

  function render() {
    if (!demo) return;
    const losses = demo.losses();
    const shown = s.text.length <= 64 ? demo.fullTextLoss() : demo.smoothLoss();
    lossLine.textContent = `loss ${fmt(shown, 4)} per character`;
    lossLine.dataset.value = String(shown);
    trainInfo.textContent = `${demo.iterations()} iterations`;
    trainInfo.dataset.iterations = String(demo.iterations());
    tryNext.textContent = demo.iterations() === 0
      ? 'Try: press Train and watch the softmax bars move towards the yellow targets, and the samples below the loss turn into the text.'
      : learnt() ? 'Try next: sample greedily from the first character, then train on a longer text of your own (or a 3-unit LSTM) and compare.'
        : 'Watch the samples: early ones are random letters of the vocabulary; they become the text as the loss falls.';
    trainInfo.title = `${(trainedMs / 1000).toFixed(2)} s of computing`;
    const every = Math.ceil(losses.length / 2000);
    const kept = Array.from(losses).filter((_, i) => i % every === 0);
    linePlot(lossCtx, kept, { xs: kept.map((_, i) => i * every + 1), label: 'loss per character (log scale)', logY: true, color: '#ff9f1c', xLabel: 'iteration',
      empty: 'The loss of every iteration appears here once training starts.' });
    const vocab = demo.vocab();
    const steps = demo.unrolled();
    unrolled.replaceChildren(...steps.slice(0, 12).map((st, t) => {
      const c = canvas(110, 70, `softmax at step ${t + 1}`);
      bars(c.getContext('2d'), st.probs, { labels: vocab.length <= 12 ? vocab : null, highlight: st.target ?? -1 });
      const hiddenRow = el('div', { class: 'mono' }, el('span', { class: 'muted', text: 'h ' }), ...st.hidden.slice(0, 8).map((h) => {
        const span = el('span', { text: `${h >= 0 ? '+' : ''}${h.toFixed(2)} ` });
        span.style.color = h >= 0 ? '#ff9f1c' : '#4cc9f0';
        return span;
      }));
      return el('div', { class: 'step' },
        el('div', { class: 'muted', text: `t = ${t + 1}` }),
        el('div', { class: 'ch', text: vocab[st.input] }),
        el('div', { class: 'mono muted', text: vocab.length <= 8 ? `[${vocab.map((_, i) => (i === st.input ? 1 : 0)).join(',')}]` : `one-hot #${st.input}` }),
        hiddenRow,
        el('div', {}, el('span', { class: 'muted', text: 'scores ' }),
          el('span', { class: 'mono', text: vocab.length <= 6 ? st.scores.map((v) => fixed(v, 1)).join(' ') : `${st.scores.length} values` })),
        c,
        el('div', {}, 'target ', el('b', { text: st.target === undefined || st.target === null ? '–' : vocab[st.target] }),
          el('span', { class: 'muted', text: st.loss !== undefined && st.loss !== null ? ` loss ${st.loss.toFixed(3)}` : '' })));
    }));
    const w = demo.weights();
    const hs = demo.hidden();
    const v = vocab.length;
    const rows = w.w_h.length / hs;
    heatmap(heat.w_x.getContext('2d'), w.w_x, rows, v);
    heatmap(heat.w_h.getContext('2d'), w.w_h, rows, hs);
    heatmap(heat.w_y.getContext('2d'), w.w_y, v, hs);
  }

  function startSampling() {
    if (!demo) return;
    try {
      demo.sampleStart(first.value);
      sampled = first.value;
      out.textContent = sampled;
      bars(distCtx, [], { empty: 'Press "Next character": the distribution it is drawn from appears here.' });
    } catch (e) { notify(e.message, 'error'); }
  }
  function sampleStep() {
    if (!demo) return;
    if (!sampled) startSampling();
    try {
      const st = demo.sampleStep(Number(temp.value), greedy.checked);
      sampled += st.character;
      out.textContent = sampled.length > 400 ? `…${sampled.slice(-400)}` : sampled;
      const vocab = demo.vocab();
      bars(distCtx, st.probs, { labels: vocab.length <= 30 ? vocab : null, highlight: st.index });
    } catch (e) { notify(e.message, 'error'); }
  }
  function sampleRun() {
    clearTimeout(sampleTimer);
    let left = 40;
    const tick = () => { sampleStep(); if (--left > 0) sampleTimer = setTimeout(tick, 120); };
    tick();
  }

  function save() {
    if (!demo) return;
    const blob = new Blob([demo.saveWeights()], { type: 'application/json' });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'char-rnn-weights.json' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  loadInput.addEventListener('change', async () => {
    const file = loadInput.files[0];
    if (!file || !demo) return;
    if (file.size > 50e6) { status.textContent = 'That file is too large to be a weights file.'; status.className = 'err'; return; }
    try {
      demo.loadWeights(await file.text());
      status.textContent = `Loaded weights from ${file.name}.`;
      status.className = 'ok';
      render();
    } catch (e) {
      status.textContent = `${e.message} (the current model is kept)`;
      status.className = 'err';
    }
    loadInput.value = '';
  });
  temp.addEventListener('input', () => { tempOut.textContent = Number(temp.value).toFixed(2); s.temp = Number(temp.value); writeHash('rnn', s); });
  for (const input of [cell, hidden, seq, opt, seed]) input.addEventListener('change', rebuild);
  text.addEventListener('change', rebuild);

  rebuild();
  return {
    settings: () => s,
    apply(values) {
      text.value = values.text; cell.value = values.cell; hidden.value = values.hidden; seq.value = values.seq;
      opt.value = values.opt; seed.value = values.seed; temp.value = values.temp; tempOut.textContent = Number(values.temp).toFixed(2);
      rebuild();
    },
    hide: stopTrain,
    onKey(e) {
      const map = { t: toggleTrain, i: () => { trainSome(1); render(); }, r: rebuild, f: startSampling, n: sampleStep, m: sampleRun, w: save };
      const f = map[e.key.toLowerCase()];
      if (f) { f(); return true; }
      return false;
    },
  };
}
