// Every tab on a phone, a tablet, a projector at 150% zoom and a large monitor: no sideways
// scrolling, no overlap, readable text, touch targets of 44 px, the main picture on the first
// screen, and no serious or critical axe-core violation (also with a notice and an error
// shown). Screenshots go to target/screenshots/ to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { SCREENS, measureLayout } from './layout.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const DEMOS = ['kmeans', 'density', 'rnn', 'pixelcnn', 'vae', 'gan'];
const PICTURES = {
  kmeans: 'canvas[aria-label^="k-means points"]', density: 'canvas[aria-label*="fitted densities"]', rnn: '.unrolled',
  pixelcnn: 'canvas[aria-label^="Generated images"]', vae: 'canvas[aria-label^="The latent plane"]', gan: 'canvas[aria-label^="The plane"]',
};
let server;
let browser;
let origin;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await serve(ROOT);
  origin = `http://localhost:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** axe-core's serious and critical violations on the page as it is now. */
async function axeViolations(page) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
}

async function openTab(context, demo, hash = `#${demo}`) {
  const page = await context.newPage();
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector(`#panel-${demo}:not([hidden]) h2`);
  await page.waitForTimeout(2000); // the models loaded and the first pictures drawn
  return page;
}

for (const screen of SCREENS) {
  test(`layout and accessibility on ${screen.name}`, async () => {
    const { name, ...options } = screen;
    // bypassCSP only lets the test inject axe-core; the page itself runs as served.
    const context = await browser.newContext({ ...options, serviceWorkers: 'block', bypassCSP: true });
    const failures = [];
    for (const demo of DEMOS) {
      const page = await openTab(context, demo);
      const r = await page.evaluate(measureLayout, { panel: `panel-${demo}`, picture: PICTURES[demo], touch: Boolean(options.hasTouch) });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${demo}.png`), fullPage: true });
      for (const kind of ['sideways', 'small', 'tiny', 'overlaps']) {
        for (const what of r[kind]) failures.push(`${demo} ${kind}: ${what}`);
      }
      if (!(r.pictureShown >= 0.9)) failures.push(`${demo}: only ${Math.round(100 * r.pictureShown)}% of the main picture is on the first screen`);
      for (const v of await axeViolations(page)) failures.push(`${demo} axe ${v}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });
}

test('axe-core with a notice and an error on screen, phone and monitor', async () => {
  const failures = [];
  for (const screen of [SCREENS[0], SCREENS[3]]) {
    const { name, ...options } = screen;
    const context = await browser.newContext({ ...options, serviceWorkers: 'block', bypassCSP: true });
    // The PixelCNN model cannot be downloaded: the panel shows the error and a Retry button.
    await context.route('**/models/digits.safetensors', (route) => route.fulfill({ status: 404, body: 'gone' }));
    const page = await context.newPage();
    await page.goto(`${origin}/#pixelcnn?n=999&temp=hot`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await page.waitForSelector('#notices p');
    await page.waitForSelector('#panel-pixelcnn .err button', { timeout: 60_000 });
    const r = await page.evaluate(measureLayout, { panel: 'panel-pixelcnn', picture: null, touch: Boolean(options.hasTouch) });
    for (const kind of ['sideways', 'small', 'tiny', 'overlaps']) for (const what of r[kind]) failures.push(`${name} ${kind}: ${what}`);
    await page.screenshot({ path: path.join(SHOTS, `${name}-pixelcnn-error.png`), fullPage: true });
    for (const v of await axeViolations(page)) failures.push(`${name} axe ${v}`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

// The story of every tab on the first screen, where an instructor cannot scroll: at a
// 1280x720 projector at 150% zoom and at 1366x768, the main picture, the control that
// advances the story and the readout it changes (every element marked data-story) lie wholly
// inside the viewport without scrolling.
test('every tab tells its story on the first screen of a projector and a laptop', async () => {
  const failures = [];
  const screens = [
    { name: 'projector-853x480-at-150', viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 },
    { name: 'laptop-1366x768', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  ];
  for (const { name, ...options } of screens) {
    const context = await browser.newContext({ ...options, serviceWorkers: 'block' });
    for (const demo of DEMOS) {
      const page = await openTab(context, demo);
      const story = await page.evaluate((id) => [...document.querySelectorAll(`#${id} [data-story]`)].map((e) => {
        const r = e.getBoundingClientRect();
        return { kind: e.dataset.story, what: e.id || e.textContent.trim().slice(0, 30) || e.tagName, top: r.top + scrollY, left: r.left, bottom: r.bottom + scrollY, right: r.right, width: r.width };
      }), `panel-${demo}`);
      const { width, height } = options.viewport;
      for (const kind of ['picture', 'advance', 'readout']) {
        if (!story.some((s) => s.kind === kind)) failures.push(`${name} ${demo}: no ${kind} marked`);
      }
      for (const s of story) {
        if (!(s.width > 0)) failures.push(`${name} ${demo}: the ${s.kind} "${s.what}" is not shown`);
        else if (s.top < 0 || s.left < 0 || s.bottom > height + 0.5 || s.right > width + 0.5) {
          failures.push(`${name} ${demo}: the ${s.kind} "${s.what}" spans ${Math.round(s.left)},${Math.round(s.top)} to ${Math.round(s.right)},${Math.round(s.bottom)}, outside ${width}x${height}`);
        }
      }
      await page.screenshot({ path: path.join(SHOTS, `first-screen-${name}-${demo}.png`) });
      await page.close();
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});
