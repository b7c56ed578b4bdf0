// In-page benchmarks: every figure timed with performance.now() around calls into the wasm
// module that the site uses. Driven by bench/run.mjs.
import init, { BenchWorkload, PixelCnnDemo, GpuDevice, VaeDemo, quantizeColors } from '../pkg/genmodels.js';

const results = [];
const emit = (name, unit, runs) => results.push({ name, unit, runs, where: 'browser' });
const timeMs = (f) => { const t = performance.now(); f(); return performance.now() - t; };

async function runAll() {
  await init();
  for (const n of [1000, 10000, 100000]) {
    const w = BenchWorkload.kmeans(n);
    w.lloydIteration();
    emit(`k-means Lloyd iteration, N = ${n}, k = 16`, 'ms', Array.from({ length: 7 }, () => timeMs(() => w.lloydIteration())));
    w.free();
  }
  const image = BenchWorkload.testImage();
  emit('colour quantization, 1 megapixel, k = 16, per iteration', 'ms', Array.from({ length: 3 }, () => timeMs(() => quantizeColors(image, 16, 1n, 5)) / 5));
  emit('char-RNN: train "hello" below 0.05 loss per character', 'ms', Array.from({ length: 5 }, () => timeMs(() => BenchWorkload.trainHello())));
  emit('char-RNN training, hidden 100, sequence 25', 'chars/s', Array.from({ length: 5 }, () => {
    const w = BenchWorkload.minCharRnn();
    let chars = 0;
    const ms = timeMs(() => { chars = w.train(100); });
    w.free();
    return chars / (ms / 1000);
  }));
  let gpu = null;
  try { gpu = await GpuDevice.create(); } catch (e) { emit(`WebGPU unavailable: ${e.message}`, 'note', []); }
  for (const name of ['digits', 'fashion']) {
    const card = await fetch(`../models/${name}.json`).then((r) => (r.ok ? r.text() : null));
    if (!card) continue;
    const bytes = new Uint8Array(await fetch(`../models/${name}.safetensors`).then((r) => r.arrayBuffer()));
    const demo = new PixelCnnDemo(bytes, card);
    for (const batch of [1, 16]) {
      const labels = new Uint32Array(batch).fill(1);
      emit(`PixelCNN ${name}: cached CPU, batch ${batch}, per batch`, 'ms', Array.from({ length: batch === 1 ? 5 : 3 }, () => {
        demo.start(labels, 1, 1, 'cached');
        return timeMs(() => demo.step(784));
      }));
    }
    emit(`PixelCNN ${name}: naive CPU, batch 1, per image (28 pixels timed, x784)`, 'ms', Array.from({ length: 3 }, () => {
      demo.start(new Uint32Array([1]), 1, 1, 'naive');
      return (timeMs(() => demo.step(28)) / 28) * 784;
    }));
    if (gpu) {
      for (const batch of [1, 16]) {
        const labels = new Uint32Array(batch).fill(1);
        let subs = 0;
        const runs = [];
        for (let r = 0; r < 3; r++) {
          const run = gpu.sampler(demo, labels, 1, 1);
          const t = performance.now();
          let rows = 0;
          while (rows < 28) rows = await run.sampleRow();
          runs.push(performance.now() - t);
          subs = run.submissions();
          run.free();
        }
        emit(`PixelCNN ${name}: WebGPU in Chromium (${gpu.adapterName}), batch ${batch}, per batch`, 'ms', runs);
        emit(`PixelCNN ${name}: WebGPU submissions and read-backs per image`, 'count', [subs]);
      }
    }
    demo.free();
  }
  {
    const card = await fetch('../models/vae-digits.json').then((r) => r.text());
    const bytes = new Uint8Array(await fetch('../models/vae-digits.safetensors').then((r) => r.arrayBuffer()));
    const vae = new VaeDemo(bytes, card);
    emit('VAE: decodes per second in wasm (decoder only)', 'decodes/s', Array.from({ length: 5 }, () => {
      const ms = timeMs(() => { for (let i = 0; i < 200; i++) vae.decode(Math.sin(i) * 3, Math.cos(i) * 3); });
      return 200 / (ms / 1000);
    }));
    vae.free();
  }
  return results;
}

window.runBench = runAll;
document.getElementById('status').dataset.ready = 'true';
