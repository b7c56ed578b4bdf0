// A Web Worker that trains the 2-D GAN while the page draws (on its own instance of the wasm
// module, without SharedArrayBuffer, so any static host serves it). The page sends the
// compiled module once, then for each run its options and state ('begin'), then asks for
// `n` iterations at a time ('iterate'), a few requests ahead of what it draws; after each the
// worker posts the run's whole state back, with the history rows since the last one sent,
// and the page takes them all on in order. A state carries everything the run's future
// depends on, so a run trained here gives the same numbers as on the page.
import init, { GanDemo } from '../pkg/genmodels.js';

let demo = null;
let run = null;
let sent = 0; // history rows the page has

self.onmessage = async ({ data: m }) => {
  try {
    if (m.type === 'load') {
      await init({ module_or_path: m.module });
      self.postMessage({ type: 'ready' });
    } else if (m.type === 'begin') {
      run = m.run;
      demo?.free();
      demo = new GanDemo(m.options);
      demo.restore(new Uint8Array(m.state));
      sent = demo.iteration() + 1; // one row per iteration, and the first
    } else if (m.type === 'iterate' && m.run === run) {
      let error = null;
      try {
        demo.iterate(m.n);
      } catch (e) {
        // A divergence travels in the state (the page reads it there); anything else is named.
        error = String(e?.message ?? e);
      }
      const state = demo.state(sent);
      sent = demo.iteration() + 1;
      self.postMessage({ type: 'state', run, state, error }, [state.buffer]);
    }
  } catch (e) {
    self.postMessage({ type: 'error', run: m.run ?? null, message: String(e?.message ?? e) });
  }
};
