// Every tab in the two other engines students use (issue 39): Firefox (Debian's firefox-esr,
// driven by puppeteer-core over WebDriver BiDi) and WebKit, Safari's engine (Debian's
// WebKitGTK MiniBrowser, driven by WebKitWebDriver over plain WebDriver HTTP, under Xvfb).
// Neither build has WebGPU: this is the CPU path every iPhone and most Firefox users take.
//
// One scenario runs in both, at a desktop width and at 390 px (a phone; WebKit's window does
// not go below about 447 px, so the site runs in an iframe of the chosen width): every tab
// loads without an error notice, its main action works, and nothing scrolls sideways.
// Skipped, with a line saying why, where an engine is not installed (scripts/test.sh installs
// both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { serve } from './server.mjs';

const HOST_PAGE = '<!doctype html><meta charset="utf-8"><title>engines</title><body style="margin:0;background:#000"><iframe id="site" style="border:0;display:block"></iframe>';

/** Runs in the host page: loads each tab into the iframe and checks its main action. Returns
 * the list of what went wrong (empty when all is well). Self-contained: it is sent as text. */
async function scenario(width) {
  const frame = document.getElementById('site');
  frame.style.width = `${width}px`;
  frame.style.height = '800px';
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const wrong = [];
  const doc = () => frame.contentDocument;
  const $ = (sel) => doc()?.querySelector(sel);
  const until = async (what, pred, ms = 60000) => {
    const t0 = Date.now();
    for (;;) {
      try { if (await pred()) return true; } catch { /* not there yet */ }
      if (Date.now() - t0 > ms) { wrong.push(`${width}px: timed out waiting for ${what}`); return false; }
      await sleep(100);
    }
  };
  let loads = 0;
  const open = async (hash, ready) => {
    frame.src = `/index.html?load=${++loads}${hash}`;
    await until(`${hash} to load`, () => frame.contentWindow?.location.search === `?load=${loads}` && $('#main') && $('#loading')?.hidden);
    const w = frame.contentWindow;
    w.__errors = [];
    const original = w.console.error.bind(w.console);
    w.console.error = (...args) => { w.__errors.push(args.map(String).join(' ')); original(...args); };
    w.addEventListener('error', (e) => w.__errors.push(`error: ${e.message}`));
    w.addEventListener('unhandledrejection', (e) => w.__errors.push(`rejection: ${e.reason?.message ?? e.reason}`));
    return until(`${hash} to be ready`, ready);
  };
  const click = (sel) => { const b = $(sel); if (!b) throw new Error(`no ${sel}`); b.click(); };
  const buttonNamed = (panel, text) => [...doc().querySelectorAll(`#panel-${panel} button`)].find((b) => b.textContent.trim() === text);
  const canvasSum = (sel) => {
    const c = $(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i];
    return sum;
  };
  const settle = async (tab) => {
    const w = frame.contentWindow;
    const errors = [...w.__errors, ...[...doc().querySelectorAll('#notices p.err')].map((p) => p.textContent)];
    if (!$('#fatal')?.hidden) errors.push(`fatal: ${$('#fatal').textContent}`);
    for (const e of errors) wrong.push(`${width}px ${tab}: ${e}`);
    const sideways = doc().documentElement.scrollWidth - frame.clientWidth;
    if (sideways > 1) wrong.push(`${width}px ${tab}: the page scrolls sideways by ${sideways}px`);
  };

  // k-means: Assign then Recenter, F does not rise.
  await open('#kmeans?preset=blobs&n=800&k=5&init=random&seed=3', () => buttonNamed('kmeans', 'Assign'));
  const F = () => Number($('#kmeans-objective').dataset.value);
  buttonNamed('kmeans', 'Assign').click();
  await until('k-means F after Assign', () => F() > 0);
  const f1 = F();
  buttonNamed('kmeans', 'Recenter').click();
  await until('k-means F after Recenter', () => F() !== f1);
  if (!(F() < f1)) wrong.push(`${width}px kmeans: Recenter did not lower F (${f1} -> ${F()})`);
  await settle('kmeans');

  // Density: EM half-steps change the bound and never lower it.
  await open('#density?part=2d&data=three-modes&k=3&seed=1', () => $('#density-next'));
  const bounds = [];
  for (let i = 0; i < 4; i++) {
    click('#density-next');
    await sleep(50);
    bounds.push(Number($('#density-status').dataset.bound));
  }
  if (!bounds.every(Number.isFinite) || bounds.some((b, i) => i > 0 && b < bounds[i - 1] - 1e-9) || bounds[3] === bounds[1]) wrong.push(`${width}px density: EM bounds ${bounds}`);
  await settle('density');

  // char-RNN: trains "hello" to a small loss, then a greedy sample from h spells it.
  await open('#rnn?text=hello&hidden=3&seed=1', () => buttonNamed('rnn', 'Train'));
  buttonNamed('rnn', 'Train').click();
  await until('the char-RNN loss below 0.05', () => Number($('#rnn-loss').dataset.value) < 0.05, 90000);
  await settle('rnn');

  // PixelCNN: a digit drawn on the CPU, not blank.
  await open('#pixelcnn?model=digits&class=7&n=1&seed=3&backend=cpu', () => $('#pixelcnn-grid'));
  await until('a PixelCNN digit', () => $('#pixelcnn-grid').dataset.finished === 'true', 180000);
  if (!(canvasSum('#pixelcnn-grid') > 0)) wrong.push(`${width}px pixelcnn: the digit is blank`);
  if ($('#pixelcnn-grid').dataset.backendUsed !== 'cpu') wrong.push(`${width}px pixelcnn: ran on ${$('#pixelcnn-grid').dataset.backendUsed}`);
  await settle('pixelcnn');

  // VAE: the arrow keys move z and a new image is decoded under it.
  await open('#vae?x=1&y=-1&seed=5', () => $('#panel-vae')?.dataset.ready === 'true');
  const decodes = Number($('#vae-z').dataset.decodes);
  const image = canvasSum('#vae-decoded');
  $('#vae-plane').focus();
  $('#vae-plane').dispatchEvent(new frame.contentWindow.KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
  await until('a VAE decode after an arrow key', () => Number($('#vae-z').dataset.decodes) > decodes);
  if ($('#vae-z').textContent !== 'z = (0.90, -1.00)') wrong.push(`${width}px vae: ${$('#vae-z').textContent} after ArrowLeft from (1, -1)`);
  if (canvasSum('#vae-decoded') === image) wrong.push(`${width}px vae: the decoded image did not change`);
  await settle('vae');

  // GAN: D's half-step changes the shading only, G's moves the points; Run trains in a worker.
  await open('#gan', () => $('#panel-gan')?.dataset.ready === 'true');
  const fake = () => $('#gan-plane').dataset.fake;
  const before = fake();
  click('#gan-next');
  await sleep(50);
  if ($('#gan-next').textContent !== 'Train the generator') wrong.push(`${width}px gan: after D's step the button says ${$('#gan-next').textContent}`);
  if (fake() !== before) wrong.push(`${width}px gan: D's step moved the generated points`);
  click('#gan-next');
  await until("the generator's points to move", () => fake() !== before, 10000);
  // Run trains in a Web Worker (the page draws the states it sends back); Pause stops it.
  const run = () => click('#panel-gan button[aria-keyshortcuts="Space"]');
  run();
  await until('a GAN run in its Web Worker', () => $('#gan-readout').dataset.trainer === 'worker' && Number($('#gan-readout').dataset.iteration) >= 40, 30000);
  run();
  await settle('gan');
  return wrong;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const WIDTHS = [1280, 390];
const server = await serve('.', 0, { overrides: new Map([['/engines.html', HOST_PAGE]]) });
const host = `http://localhost:${server.address().port}/engines.html`;
test.after(() => server.close());

const firefox = '/usr/bin/firefox-esr';
test('Firefox: every tab loads and its main action works, at 1280 and 390 px', { skip: !fs.existsSync(firefox) && 'firefox-esr is not installed', timeout: 900_000 }, async () => {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefox, headless: true, protocol: 'webDriverBiDi' });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 900 });
    await page.goto(host);
    for (const width of WIDTHS) {
      const wrong = await page.evaluate(`(${scenario})(${width})`);
      assert.deepEqual(wrong, [], `Firefox ${await browser.version()}`);
    }
  } finally {
    await browser.close();
  }
});

const webkitDriver = '/usr/bin/WebKitWebDriver';
test('WebKit (Safari\'s engine): every tab loads and its main action works, at 1280 and 390 px', { skip: !(fs.existsSync(webkitDriver) && fs.existsSync('/usr/bin/Xvfb')) && 'webkit2gtk-driver or xvfb is not installed', timeout: 900_000 }, async () => {
  const display = `:${90 + (process.pid % 100)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const port = await freePort();
  let driver = null;
  let session = null;
  const call = async (method, path, body) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const { value } = await res.json();
    if (value?.error) throw new Error(`WebDriver ${path}: ${value.error}: ${value.message}`);
    return value;
  };
  try {
    await new Promise((r) => setTimeout(r, 500));
    driver = spawn(webkitDriver, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    // The driver listens within a second or two.
    for (let i = 0; ; i++) {
      try { await call('GET', '/status'); break; } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 100)); }
    }
    const created = await call('POST', '/session', { capabilities: { alwaysMatch: { browserName: 'MiniBrowser' } } });
    session = created.sessionId;
    const version = created.capabilities?.browserVersion;
    await call('POST', `/session/${session}/timeouts`, { script: 900_000 });
    await call('POST', `/session/${session}/window/rect`, { width: 1366, height: 900 });
    await call('POST', `/session/${session}/url`, { url: host });
    for (const width of WIDTHS) {
      const out = await call('POST', `/session/${session}/execute/async`, {
        script: `const done = arguments[arguments.length - 1]; (${scenario})(arguments[0]).then(done, (e) => done(['scenario threw: ' + (e && e.stack || e)]));`,
        args: [width],
      });
      assert.deepEqual(out, [], `WebKitGTK ${version}`);
    }
  } finally {
    if (session) await call('DELETE', `/session/${session}`).catch(() => {});
    driver?.kill();
    xvfb.kill();
  }
});
