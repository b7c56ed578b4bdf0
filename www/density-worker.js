// A Web Worker that computes the density tab's overfitting curves (held-out fit against the
// bandwidth or the number of components), seconds of work at thousands of points, or the
// kernel density's scores (a third of a second at 5,000 points), on its own
// instance of the wasm module so that the page stays responsive. The page sends the compiled
// module once, then jobs: the points (exactly, as f64), the estimator and its settings. The
// worker posts how far a curve is at most ten times a second, then the curve. The page runs
// one such worker for curves and one for scores.
import init, { densityCurve, kdeScores } from '../pkg/genmodels.js';

self.onmessage = async ({ data: m }) => {
  try {
    if (m.type === 'load') {
      await init({ module_or_path: m.module });
      self.postMessage({ type: 'ready' });
    } else if (m.type === 'curve') {
      let shown = 0;
      const progress = (fraction) => {
        const now = performance.now();
        if (now - shown < 100) return;
        shown = now;
        self.postMessage({ type: 'progress', id: m.id, fraction });
      };
      const values = densityCurve(m.dim, m.train, m.held, m.name, m.kind, m.sigma, BigInt(m.seed), progress);
      self.postMessage({ type: 'curve', id: m.id, values }, [values.buffer]);
    } else if (m.type === 'scores') {
      self.postMessage({ type: 'scores', id: m.id, scores: kdeScores(m.dim, m.train, m.held, m.bandwidth) });
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: m.id ?? null, message: String(e?.message ?? e) });
  }
};
