// Starting a module Web Worker that runs its own instance of the wasm module (the GAN's
// trainer, the density tab's curves and scores).

/** Starts the worker at `url`, sends it `load` (which carries the compiled module), and
 * resolves with the worker once it answers { type: 'ready' }. Rejects, and ends the worker,
 * if it answers anything else, if its script fails, or if it is silent for 10 s. */
export function startWorker(url, load) {
  const worker = new Worker(url, { type: 'module' });
  return new Promise((resolve, reject) => {
    const fail = (message) => { clearTimeout(timer); worker.terminate(); reject(new Error(message)); };
    const timer = setTimeout(() => fail('it did not start within 10 s'), 10_000);
    worker.onmessage = ({ data }) => {
      if (data.type !== 'ready') { fail(data.message ?? `it answered ${data.type}`); return; }
      clearTimeout(timer);
      resolve(worker);
    };
    worker.onerror = (e) => { e.preventDefault?.(); fail(e.message || 'its script did not load'); };
    worker.postMessage(load);
  });
}
