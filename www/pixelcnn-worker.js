// A Web Worker that samples a share of a PixelCNN batch on its own instance of the wasm module
// (no SharedArrayBuffer: it works on any static host, GitHub Pages included). The page sends
// the compiled module, the model's bytes and card once, then jobs: images `first`, `first + 1`,
// ... of a batch, which draw the same random numbers as they would in the whole batch. After
// every row it posts its images so far, so the page shows pixels as they are drawn.
import init, { PixelCnnDemo } from '../pkg/genmodels.js';

let demo = null;
let job = null; // the job being sampled; a newer one (or 'stop') ends it after its current row

self.onmessage = async ({ data: m }) => {
  try {
    if (m.type === 'load') {
      await init({ module_or_path: m.module });
      demo = new PixelCnnDemo(new Uint8Array(m.weights), m.card);
      self.postMessage({ type: 'ready' });
    } else if (m.type === 'start') {
      job = m.job;
      demo.startShare(new Uint32Array(m.labels), m.temperature, m.seed, m.first);
      sample(m.job, m.side);
    } else if (m.type === 'stop') {
      job = null;
    }
  } catch (e) {
    self.postMessage({ type: 'error', job: m.job ?? null, message: String(e?.message ?? e) });
  }
};

// The next row is a task of its own, so that a 'stop' or a new job is read between rows; a
// message to itself rather than setTimeout, which browsers clamp to 4 ms once nested.
const nextRow = new MessageChannel();
let pending = null;
nextRow.port1.onmessage = () => { const run = pending; pending = null; run?.(); };

function sample(id, side) {
  if (job !== id) return;
  try {
    const done = demo.step(side);
    self.postMessage({ type: 'row', job: id, done, images: demo.images(), distribution: demo.distribution(0) });
    if (done < side * side) {
      pending = () => sample(id, side);
      nextRow.port2.postMessage(null);
    }
  } catch (e) {
    self.postMessage({ type: 'error', job: id, message: String(e?.message ?? e) });
  }
}
