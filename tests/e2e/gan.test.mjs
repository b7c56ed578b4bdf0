// The GAN tab in Chromium: each half-step moves the picture, a run trains, bad settings and a
// diverging run are answered with a sentence, drawn data, the digits, the three families, and
// the JavaScript API's bounds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let server;
let browser;
let origin;

before(async () => {
  server = await serve(ROOT);
  origin = `http://localhost:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(hash, viewport = { width: 1300, height: 900 }) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('#panel-gan[data-ready="true"]', { timeout: 60_000 });
  return { page, context, problems };
}

const planeHash = (page) => page.evaluate(() => {
  const c = document.getElementById('gan-plane');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
  return h;
});

test('each half-step moves the picture and the button names the next one', async () => {
  const { page, context, problems } = await open('#gan');
  assert.match(await page.textContent('#gan-next'), /^Train the discriminator/);
  const before0 = await planeHash(page);
  const fake0 = await page.getAttribute('#gan-plane', 'data-fake');
  await page.click('#gan-next');
  assert.equal(await page.textContent('#gan-next'), 'Train the generator');
  assert.notEqual(await planeHash(page), before0, 'the discriminator\'s shading should change');
  assert.equal(await page.getAttribute('#gan-plane', 'data-fake'), fake0, 'a D step leaves G\'s points where they are');
  await page.click('#gan-next');
  assert.notEqual(await page.getAttribute('#gan-plane', 'data-fake'), fake0, 'a G step moves G\'s points');
  assert.equal(await page.getAttribute('#gan-readout', 'data-iteration'), '1');
  assert.match(await page.textContent('#gan-try'), /arrows|Run/);
  // Keyboard: D, G and Space.
  // (Off the button: there Space and Enter press it.)
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('d');
  await page.keyboard.press('g');
  assert.equal(await page.getAttribute('#gan-readout', 'data-iteration'), '2');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => Number(document.getElementById('gan-readout').dataset.iteration) >= 60, null, { timeout: 60_000 });
  await page.keyboard.press(' ');
  assert.ok(Number.isFinite(Number(await page.getAttribute('#gan-readout', 'data-js'))));
  assert.ok(page.url().includes('#gan?'), page.url());
  assert.deepEqual(problems, []);
  await context.close();
});

test('a run trains in a Web Worker and gives the numbers the page would', async () => {
  const { page, context, problems } = await open('#gan?seed=3&speed=7&decay=0');
  await page.click('#panel-gan button[aria-keyshortcuts="Space"]');
  await page.waitForFunction(() => Number(document.getElementById('gan-readout').dataset.iteration) >= 120, null, { timeout: 60_000 });
  await page.click('#panel-gan button[aria-keyshortcuts="Space"]');
  assert.equal(await page.getAttribute('#gan-readout', 'data-trainer'), 'worker');
  const iteration = Number(await page.getAttribute('#gan-readout', 'data-iteration'));
  const fake = await page.getAttribute('#gan-plane', 'data-fake');
  // The same run on the page, in frames of another size.
  const mine = await page.evaluate(async (n) => {
    const { GanDemo } = await import(`${location.origin}/pkg/genmodels.js`);
    const d = new GanDemo({ seed: 3, decay: 0 });
    for (let done = 0; done < n; done += 13) d.iterate(Math.min(13, n - done));
    const out = Array.from(d.generate(d.noise(400, 7)).subarray(0, 6)).map((v) => v.toFixed(4)).join(',');
    d.free();
    return out;
  }, iteration);
  assert.equal(mine, fake, `iteration ${iteration}`);
  // A half-step by hand goes on from the state the worker sent.
  await page.click('#gan-next');
  assert.equal(await page.textContent('#gan-next'), 'Train the generator');
  assert.equal(await page.getAttribute('#gan-readout', 'data-iteration'), String(iteration));
  assert.deepEqual(problems, []);
  await context.close();
});

test('without Web Workers a run trains on the page, with the same numbers', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, serviceWorkers: 'block' });
  await context.addInitScript(() => { delete window.Worker; });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${origin}/#gan?seed=3&speed=7&decay=0`);
  await page.waitForSelector('#panel-gan[data-ready="true"]', { timeout: 60_000 });
  await page.click('#panel-gan button[aria-keyshortcuts="Space"]');
  await page.waitForFunction(() => Number(document.getElementById('gan-readout').dataset.iteration) >= 40, null, { timeout: 60_000 });
  await page.click('#panel-gan button[aria-keyshortcuts="Space"]');
  assert.equal(await page.getAttribute('#gan-readout', 'data-trainer'), 'page');
  const iteration = Number(await page.getAttribute('#gan-readout', 'data-iteration'));
  const fake = await page.getAttribute('#gan-plane', 'data-fake');
  const mine = await page.evaluate(async (n) => {
    const { GanDemo } = await import(`${location.origin}/pkg/genmodels.js`);
    const d = new GanDemo({ seed: 3, decay: 0 });
    d.iterate(n);
    return Array.from(d.generate(d.noise(400, 7)).subarray(0, 6)).map((v) => v.toFixed(4)).join(',');
  }, iteration);
  assert.equal(mine, fake);
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad URL values fall back with notices; a diverging run stops with a sentence and Reset works', async () => {
  // The page keeps the last four notices: four bad values.
  let { page, context, problems } = await open('#gan?lrg=NaN&lrd=-1&k=99&speed=1e9');
  const notices = await page.textContent('#notices');
  for (const key of ['lrg', 'lrd', 'k', 'speed']) assert.ok(notices.includes(`${key}=`), `no notice for ${key}: ${notices}`);
  assert.match(await page.textContent('#gan-next'), /^Train the discriminator/);
  // A huge or negative learning rate typed in is refused with a sentence and the old value kept.
  for (const bad of ['50', '-0.01']) {
    await page.fill('#panel-gan input[type="number"][max="1"] >> nth=0', bad);
    await page.dispatchEvent('#panel-gan input[type="number"][max="1"] >> nth=0', 'change');
    assert.match(await page.textContent('#notices'), new RegExp(`a number from 0\\.00001 to 1, got "${bad}"`));
    assert.equal(await page.inputValue('#panel-gan input[type="number"][max="1"] >> nth=0'), '0.002');
  }
  await context.close();
  ({ page, context, problems } = await open('#gan?opt=sgd&loss=least-squares&lrg=1&lrd=1&decay=0&speed=50'));
  await page.click('#panel-gan button[aria-keyshortcuts="Space"]');
  await page.waitForFunction(() => /diverged/.test(document.getElementById('gan-status').textContent), null, { timeout: 60_000 });
  await page.keyboard.press('r');
  assert.equal(await page.getAttribute('#gan-readout', 'data-iteration'), '0');
  assert.doesNotMatch(await page.textContent('#gan-status'), /diverged/);
  await page.click('#gan-next');
  assert.equal(await page.textContent('#gan-next'), 'Train the generator');
  assert.deepEqual(problems, []);
  await context.close();
});

test('drawn data needs two points, by pointer or by keyboard', async () => {
  const { page, context, problems } = await open('#gan?data=drawn');
  assert.match(await page.textContent('#gan-status'), /at least two points/);
  assert.equal(await page.isDisabled('#gan-next'), true);
  const box = await page.locator('#gan-plane').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  assert.equal(await page.isDisabled('#gan-next'), true);
  await page.focus('#gan-plane');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  assert.equal(await page.isDisabled('#gan-next'), false);
  assert.match(page.url(), /pts=[\d.]+%2C[\d.]+%3B[\d.]+%2C[\d.]+/);
  await page.click('#gan-next');
  assert.equal(await page.textContent('#gan-next'), 'Train the generator');
  assert.deepEqual(problems, []);
  await context.close();
});

test('digits from the GAN, and the three families side by side', async () => {
  const { page, context, problems } = await open('#gan?part=digits&class=3&dseed=5');
  await page.waitForSelector('#gan-part-digits[data-ready="true"]', { timeout: 60_000 });
  const sum = Number(await page.getAttribute('#gan-digits', 'data-sum'));
  assert.ok(sum > 64 * 784 * 10, `the digits look blank (sum ${sum})`);
  assert.match(await page.textContent('#gan-digits-time'), /64 digits of class 3 in/);
  assert.match(await page.textContent('#gan-nearest-text'), /nearest of the 9,000 training images/);
  await page.keyboard.press('n');
  assert.notEqual(Number(await page.getAttribute('#gan-digits', 'data-sum')), sum);
  assert.ok(page.url().includes('dseed=6'), page.url());
  await page.selectOption('#gan-part', 'families');
  await page.waitForSelector('#gan-families-table[data-ready="true"]', { timeout: 180_000 });
  const rows = await page.$$eval('#gan-families-table tr[data-family]', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /exact/);
  assert.match(rows[1], /bound/);
  assert.match(rows[2], /none/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the GAN\'s JavaScript API refuses out-of-range values with a sentence', async () => {
  const { page, context, problems } = await open('#gan');
  const wrong = await page.evaluate(async () => {
    const m = await import('/pkg/genmodels.js');
    const out = [];
    const refused = (label, f, want) => {
      try { f(); out.push(`${label}: accepted`); } catch (e) { if (!want.test(e.message)) out.push(`${label}: ${e.message}`); }
    };
    refused('batch -1', () => new m.GanDemo({ batch: -1 }), /batch must be a whole number/);
    refused('lr NaN', () => new m.GanDemo({ lrGenerator: NaN }), /learning rate/);
    refused('lr huge', () => new m.GanDemo({ lrDiscriminator: 1e9 }), /learning rate/);
    refused('one drawn point', () => new m.GanDemo({ data: 'drawn', points: [0.5, 0.5] }), /at least two/);
    refused('unknown loss', () => new m.GanDemo({ loss: 'wasserstein' }), /unknown loss/);
    const gan = new m.GanDemo({ seed: 3 });
    refused('iterate(-1)', () => gan.iterate(-1), /whole number/);
    refused('iterate(2.5)', () => gan.iterate(2.5), /whole number/);
    refused('grid 1e9', () => gan.discriminatorGrid(1e9), /whole number/);
    refused('odd points', () => gan.pointGradients(new Float32Array(3)), /pairs/);
    refused('points outside', () => m.parseGanPoints('0.5,0.5;2,0'), /drawn point 2/);
    gan.iterate(5);
    if (gan.iteration() !== 5) out.push(`iteration ${gan.iteration()}`);
    refused('state(-1)', () => gan.state(-1), /whole number/);
    refused('a state cut short', () => gan.restore(gan.state(0).subarray(0, 40)), /ends early/);
    refused('not a state', () => gan.restore(new Uint8Array([1, 2, 3, 4, 5])), /GAN1/);
    refused('another run\'s state', () => new m.GanDemo({ generatorWidth: 8 }).restore(gan.state(0)), /other settings/);
    if (gan.iteration() !== 5) out.push(`a refused state changed the run (iteration ${gan.iteration()})`);
    const bytes = new Uint8Array(await (await fetch('/models/gan-digits.safetensors')).arrayBuffer());
    const card = await (await fetch('/models/gan-digits.json')).text();
    refused('corrupt weights', () => new m.GanDigits(bytes.subarray(0, 100), card), /GAN weights/);
    const digits = new m.GanDigits(bytes, card);
    refused('class 10', () => digits.generate(4, 10, 1), /class must be a whole number/);
    refused('n -1', () => digits.generate(-1, 3, 1), /whole number/);
    refused('n 1e6', () => digits.generate(1e6, 3, 1), /whole number/);
    const a = digits.generate(4, 3, 9);
    const b = digits.generate(4, 3, 9);
    if (a.length !== 4 * 784 || a.some((v, i) => v !== b[i])) out.push('the same seed gave other digits');
    return out;
  });
  assert.deepEqual(wrong, []);
  assert.deepEqual(problems, []);
  await context.close();
});
