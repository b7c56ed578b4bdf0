// Drives the in-page benchmarks and measures the page itself (bytes on a cold load, time
// until each tab is interactive, first PixelCNN pixels), printing JSON lines.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const server = await serve(ROOT);
const origin = `http://localhost:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const emit = (name, unit, runs) => console.log(JSON.stringify({ name, unit, runs, where: 'browser' }));
console.log(JSON.stringify({ name: 'browser version', unit: 'text', runs: [], text: browser.version(), where: 'browser' }));

// Cold loads: a fresh context each time (no HTTP cache, no service worker).
const sizes = new Map();
const vaeSizes = new Map();
const tabTimes = { kmeans: [], density: [], rnn: [], pixelcnn: [], vae: [] };
const firstPixels = [];
for (let run = 0; run < 3; run++) {
  for (const tab of ['kmeans', 'density', 'rnn', 'pixelcnn', 'vae']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (run === 0 && (tab === 'pixelcnn' || tab === 'vae')) {
      const into = tab === 'pixelcnn' ? sizes : vaeSizes;
      page.on('response', async (r) => {
        const u = new URL(r.url());
        if (u.origin === origin) into.set(u.pathname, Number(r.headers()['content-length'] ?? 0));
      });
    }
    await page.goto(`${origin}/#${tab}`);
    await page.waitForSelector(`#panel-${tab}:not([hidden]) h2`, { timeout: 120_000 });
    await page.waitForSelector('body[data-ready="true"]');
    tabTimes[tab].push(await page.evaluate(() => performance.now()));
    if (tab === 'vae') await page.waitForSelector('#panel-vae[data-ready="true"]', { timeout: 120_000 });
    if (tab === 'pixelcnn') {
      await page.waitForFunction(() => Number(document.querySelector('#pixelcnn-grid')?.dataset.pixelsDone) > 0, null, { timeout: 120_000 });
      firstPixels.push(await page.evaluate(() => performance.now()));
    }
    await context.close();
  }
}
for (const tab of Object.keys(tabTimes)) emit(`page: ${tab} tab interactive after a cold load`, 'ms', tabTimes[tab]);
emit('page: first PixelCNN pixels visible after a cold load', 'ms', firstPixels);
const groups = { html: /\.html$|\/$/, js: /\.js$/, css: /\.css$/, wasm: /\.wasm$/, models: /^\/models\//, other: /./ };
const byGroup = {};
for (const [p, raw] of sizes) {
  const file = path.join(ROOT, p === '/' ? 'index.html' : decodeURIComponent(p));
  const gz = fs.existsSync(file) && fs.statSync(file).isFile() ? zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length : raw;
  const g = Object.keys(groups).find((k) => groups[k].test(p));
  byGroup[g] ??= { raw: 0, gzip: 0 };
  byGroup[g].raw += raw;
  byGroup[g].gzip += gz;
}
for (const [g, v] of Object.entries(byGroup)) {
  emit(`page: cold-load bytes, ${g}`, 'KiB', [v.raw / 1024]);
  emit(`page: cold-load bytes, ${g}, gzip`, 'KiB', [v.gzip / 1024]);
}
emit('page: wasm module size', 'KiB', [fs.statSync(path.join(ROOT, 'pkg/genmodels_bg.wasm')).size / 1024]);
{
  let raw = 0;
  let gzip = 0;
  for (const [p, bytes] of vaeSizes) {
    const file = path.join(ROOT, p === '/' ? 'index.html' : decodeURIComponent(p));
    raw += bytes;
    gzip += fs.existsSync(file) && fs.statSync(file).isFile() ? zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length : bytes;
  }
  emit('page: VAE tab cold-load bytes, everything', 'KiB', [raw / 1024]);
  emit('page: VAE tab cold-load bytes, everything, gzip', 'KiB', [gzip / 1024]);
}

// VAE: decodes drawn per second while the pointer sweeps the latent plane (decode + redraw of
// the plane and the image, one per animation frame at most, as in the tab).
{
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#vae`);
  await p.waitForSelector('#panel-vae[data-ready="true"]', { timeout: 120_000 });
  const box = await p.locator('#vae-plane').boundingBox();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const before = Number(await p.getAttribute('#vae-z', 'data-decodes'));
    const t = Date.now();
    for (let i = 0; i < 60; i++) await p.mouse.move(box.x + box.width * (0.1 + 0.8 * ((i * 7) % 60) / 60), box.y + box.height * (0.2 + 0.6 * (i % 10) / 10));
    await p.waitForTimeout(50);
    const after = Number(await p.getAttribute('#vae-z', 'data-decodes'));
    runs.push((after - before) / ((Date.now() - t) / 1000));
  }
  emit('VAE: decodes per second drawn while the pointer moves over the plane', 'fps', runs);
  await context.close();
}

// k-means animation: one half-step (compute + full redraw with Voronoi regions) at 10,000 points.
{
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#kmeans?preset=blobs&n=10000&k=8&init=random&seed=2`);
  await p.waitForSelector('#panel-kmeans:not([hidden]) canvas');
  const frames = await p.evaluate(() => {
    const assign = document.querySelector('#panel-kmeans button[aria-keyshortcuts="A"]');
    const recenter = document.querySelector('#panel-kmeans button[aria-keyshortcuts="C"]');
    const out = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      (i % 2 ? recenter : assign).click();
      out.push(1000 / (performance.now() - t));
    }
    return out;
  });
  emit('k-means half-steps per second drawn, 10,000 points with Voronoi regions', 'fps', frames);
  await context.close();
}

// GAN tab (issue 42): training iterations per second while the plane is drawn every frame
// (batch 256, default networks, one D step per G step, 20 iterations a frame), and 64 digits
// generated and drawn after a click.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#gan?k=1&speed=20&decay=0`);
  await p.waitForSelector('#panel-gan[data-ready="true"]', { timeout: 120_000 });
  const ips = [];
  const fps = [];
  for (let r = 0; r < 3; r++) {
    await p.keyboard.press(' ');
    await p.waitForTimeout(4000);
    const out = await p.evaluate(() => ({ ips: Number(document.getElementById('gan-readout').dataset.ips), fps: Number(document.getElementById('gan-readout').dataset.fps) }));
    await p.keyboard.press(' ');
    ips.push(out.ips);
    fps.push(out.fps);
  }
  emit('GAN 2-D: training iterations per second while drawing, batch 256, default networks, k = 1', 'it/s', ips);
  emit('GAN 2-D: frames per second drawn while training 20 iterations a frame', 'fps', fps);
  await p.goto(`${origin}/#gan?part=digits`);
  await p.waitForSelector('#gan-part-digits[data-ready="true"]', { timeout: 120_000 });
  const clicks = await p.evaluate(async () => {
    const button = document.querySelector('#gan-part-digits button.primary');
    const out = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      button.click();
      out.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return out;
  });
  emit('GAN digits: 64 digits generated and drawn after a click, one core', 'ms', clicks);
  await context.close();
}

// Density tab (issue 31): an EM half-step on 2,000 2-D points with 8 components, computed
// and drawn (picture, scores of all three estimators, chart); the held-out curve over 50
// bandwidths recomputed and drawn, at the default 300 points and at 2,000.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#density?part=2d&data=three-modes&n=2000&k=8&seed=1`);
  await p.waitForSelector('#density-next');
  const frames = await p.evaluate(() => {
    const e = document.querySelector('#panel-density button[aria-keyshortcuts="E"]');
    const m = document.querySelector('#panel-density button[aria-keyshortcuts="M"]');
    const out = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      (i % 2 ? m : e).click();
      out.push(1000 / (performance.now() - t));
    }
    return out;
  });
  emit('density: EM half-steps per second drawn, 2,000 points, 8 components', 'fps', frames);
  for (const n of [300, 2000]) {
    await p.goto(`${origin}/#density?part=1d&n=${n}&seed=1`);
    await p.waitForSelector('#density-next');
    const runs = await p.evaluate(() => {
      const chart = [...document.querySelectorAll('#panel-density select')].find((s) => [...s.options].some((o) => o.value === 'bw'));
      const seed = [...document.querySelectorAll('#panel-density label')].find((l) => l.textContent.startsWith('Seed')).querySelector('input');
      const out = [];
      for (let i = 0; i < 5; i++) {
        // A new seed each time: new data, so the curve is computed afresh (not cached).
        chart.value = 'em'; chart.dispatchEvent(new Event('change'));
        seed.value = String(10 + i); seed.dispatchEvent(new Event('change'));
        const t = performance.now();
        chart.value = 'bw'; chart.dispatchEvent(new Event('change'));
        out.push(performance.now() - t);
      }
      return out;
    });
    emit(`density: held-out curve over 50 bandwidths, ${n} points, computed and drawn`, 'ms', runs);
  }
  await context.close();
}

// PixelCNN on every core (issue 32): 16 digits on the CPU shared among Web Workers against one
// core, in the tab, the same seed (the same images); after a first run that starts the workers.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  const timeRun = async (cores) => {
    await p.goto(`${origin}/#pixelcnn?model=digits&class=3&n=16&seed=1&backend=cpu&cores=${cores}`);
    await p.reload();
    await p.waitForSelector('#pixelcnn-grid[data-finished="true"]', { timeout: 120_000 });
    const runs = [];
    for (let r = 0; r < 4; r++) {
      await p.click('button:text-is("Generate")');
      await p.waitForFunction(() => !document.querySelector('#pixelcnn-grid').dataset.finished);
      await p.waitForSelector('#pixelcnn-grid[data-finished="true"]', { timeout: 120_000 });
      runs.push({ ms: Number(await p.getAttribute('#pixelcnn-grid', 'data-ms')), used: await p.getAttribute('#pixelcnn-grid', 'data-backend-used') });
    }
    return runs;
  };
  const one = await timeRun('one');
  const all = await timeRun('all');
  const cores = await p.evaluate(() => navigator.hardwareConcurrency);
  emit('PixelCNN digits: 16 images on one core, in the tab', 'ms', one.map((r) => r.ms));
  emit(`PixelCNN digits: 16 images on every core (${cores} Web Workers), in the tab`, 'ms', all.filter((r) => r.used === 'workers').map((r) => r.ms));
  const med = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
  const onWorkers = all.filter((r) => r.used === 'workers').map((r) => r.ms);
  if (onWorkers.length) emit('PixelCNN digits: 16 images, one core time / every core time', 'x', [med(one.map((r) => r.ms)) / med(onWorkers)]);
  await context.close();
}

// PixelCNN as a Bayes classifier (issue 31): ln p(x | y) for all ten classes of one digit, in
// the tab, on the CPU.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#pixelcnn?model=digits&n=1`);
  await p.waitForSelector('#pixelcnn-grid[data-finished="true"]', { timeout: 120_000 });
  await p.click('#panel-pixelcnn button[aria-keyshortcuts="U"]');
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await p.click('#panel-pixelcnn button[aria-keyshortcuts="B"]');
    runs.push(Number(await p.getAttribute('#pixelcnn-bayes-text', 'data-ms')));
  }
  emit('PixelCNN digits: Bayes classification of one image, ten classes, in the tab', 'ms', runs);
  await context.close();
}

// VAE (issue 31): the true posterior of a held-out digit on a 64 x 64 grid zoomed onto its mass.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#vae`);
  await p.waitForSelector('#panel-vae[data-ready="true"]', { timeout: 120_000 });
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await p.evaluate(() => { delete document.querySelector('#vae-zoom').dataset.ms; });
    await p.click('#panel-vae button.next');
    await p.waitForFunction(() => document.querySelector('#vae-zoom').dataset.ms !== undefined, null, { timeout: 60_000 });
    runs.push(Number(await p.getAttribute('#vae-zoom', 'data-ms')));
  }
  emit('VAE: true posterior on a 64 x 64 grid and ln p(x), one digit', 'ms', runs);
  await context.close();
}

// Responsiveness while the tabs compute (issue 28): the PixelCNN tab's own time for 4 images
// at full speed on the CPU against the same sampling called directly in the same page; how
// long a tab click waits while 16 images are sampled; the longest main-thread task while the
// elbow plot over 100,000 points is computed.
{
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await context.newPage();
  await p.goto(`${origin}/#pixelcnn?model=digits&class=3&n=4&seed=1&backend=cpu`);
  await p.waitForSelector('#pixelcnn-grid[data-finished="true"]', { timeout: 120_000 });
  const ratios = [];
  for (let r = 0; r < 5; r++) {
    await p.click('button:text-is("Generate")');
    await p.waitForFunction(() => !document.querySelector('#pixelcnn-grid').dataset.finished);
    await p.waitForSelector('#pixelcnn-grid[data-finished="true"]', { timeout: 120_000 });
    const tabMs = Number(await p.getAttribute('#pixelcnn-grid', 'data-ms'));
    const directMs = await p.evaluate(async (seed) => {
      const m = await import('/pkg/genmodels.js');
      await m.default();
      const [weights, card] = await Promise.all([fetch('/models/digits.safetensors').then((x) => x.arrayBuffer()), fetch('/models/digits.json').then((x) => x.text())]);
      const demo = new m.PixelCnnDemo(new Uint8Array(weights), card);
      const t = performance.now();
      demo.start(new Uint32Array(4).fill(3), 1.0, seed, 'cached');
      demo.step(784);
      const ms = performance.now() - t;
      demo.free();
      return ms;
    }, r + 10);
    ratios.push(tabMs / directMs);
  }
  emit('PixelCNN tab: 4 images at full speed on the CPU, tab time / direct sampling time', 'x', ratios);

  // A click on another tab while 16 images are being sampled: from the click event's time
  // stamp to the first frame drawn after it.
  await p.goto(`${origin}/#kmeans`);
  await p.waitForSelector('#panel-kmeans:not([hidden]) canvas');
  const clicks = [];
  for (let r = 0; r < 5; r++) {
    await p.click('#tab-pixelcnn');
    await p.waitForSelector('#panel-pixelcnn:not([hidden])');
    await p.evaluate(() => { document.querySelector('#panel-pixelcnn input[type=number]').value = '16'; });
    await p.click('button:text-is("Generate")');
    await p.waitForFunction(() => Number(document.querySelector('#pixelcnn-grid').dataset.pixelsDone) > 100 && !document.querySelector('#pixelcnn-grid').dataset.finished, null, { timeout: 120_000 });
    await p.evaluate(() => {
      window.clickAnswered = new Promise((resolve) => document.getElementById('tab-kmeans').addEventListener('click', (e) => {
        requestAnimationFrame(() => resolve(performance.now() - e.timeStamp));
      }, { once: true, capture: true }));
    });
    await p.click('#tab-kmeans');
    clicks.push(await p.evaluate(() => window.clickAnswered));
  }
  emit('page: a tab click answered while the PixelCNN samples 16 images', 'ms', clicks);

  // The elbow plot over 100,000 points: the longest main-thread task while it is computed.
  const longest = [];
  for (let r = 0; r < 3; r++) {
    await p.goto(`${origin}/#kmeans?preset=blobs&n=100000&k=8&seed=${r + 1}`);
    await p.waitForSelector('#panel-kmeans:not([hidden]) canvas');
    longest.push(await p.evaluate(async () => {
      let max = 0;
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) max = Math.max(max, e.duration); });
      observer.observe({ type: 'longtask' });
      const canvas = document.querySelector('#panel-kmeans canvas[aria-label^="Elbow"]');
      delete canvas.dataset.progress;
      document.querySelector('#panel-kmeans button[aria-keyshortcuts="E"]').click();
      while (canvas.dataset.progress !== '1') await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 100));
      observer.disconnect();
      return max; // long tasks are those over 50 ms; 0 means none
    }));
  }
  emit('k-means: longest main-thread task while the elbow over 100,000 points is computed', 'ms', longest);
  await context.close();
}

const page = await (await browser.newContext()).newPage();
page.on('console', (m) => { if (m.type() === 'error') console.error(m.text()); });
await page.goto(`${origin}/bench/bench.html`);
await page.waitForSelector('#status[data-ready="true"]');
const results = await page.evaluate(() => window.runBench());
for (const r of results) console.log(JSON.stringify(r));
await browser.close();
server.close();
