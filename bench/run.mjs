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
const tabTimes = { kmeans: [], rnn: [], pixelcnn: [] };
const firstPixels = [];
for (let run = 0; run < 3; run++) {
  for (const tab of ['kmeans', 'rnn', 'pixelcnn']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (run === 0 && tab === 'pixelcnn') {
      page.on('response', async (r) => {
        const u = new URL(r.url());
        if (u.origin === origin) sizes.set(u.pathname, Number(r.headers()['content-length'] ?? 0));
      });
    }
    await page.goto(`${origin}/#${tab}`);
    await page.waitForSelector(`#panel-${tab}:not([hidden]) h2`, { timeout: 120_000 });
    await page.waitForSelector('body[data-ready="true"]');
    tabTimes[tab].push(await page.evaluate(() => performance.now()));
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

const page = await (await browser.newContext()).newPage();
page.on('console', (m) => { if (m.type() === 'error') console.error(m.text()); });
await page.goto(`${origin}/bench/bench.html`);
await page.waitForSelector('#status[data-ready="true"]');
const results = await page.evaluate(() => window.runBench());
for (const r of results) console.log(JSON.stringify(r));
await browser.close();
server.close();
