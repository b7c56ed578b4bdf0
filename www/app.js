// The shell: loads the wasm module (with progress), routes #demo?settings to a tab, shows
// notices, detects WebGPU, and registers the offline service worker. Demo modules only draw.
import init, * as wasm from '../pkg/genmodels.js';
import { download } from './net.js';

const DEMOS = ['kmeans', 'rnn', 'pixelcnn', 'vae'];
const mounting = {}; // demo -> promise of its mounted controller, so a tab is mounted once
const mounted = {}; // demo -> its controller, once mounted
let active = null;

const $ = (id) => document.getElementById(id);

/** Shows a line of text to the user (never HTML). */
export function notify(text, kind = 'info') {
  const p = document.createElement('p');
  p.textContent = text;
  if (kind === 'error') p.className = 'err';
  $('notices').append(p);
  while ($('notices').children.length > 4) $('notices').firstChild.remove();
  if (kind !== 'error') setTimeout(() => p.remove(), 12000);
}

function showFatal(message) {
  $('loading').hidden = true;
  const box = $('fatal');
  box.hidden = false;
  box.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = 'The demos could not start';
  const p = document.createElement('p');
  p.textContent = message;
  const hint = document.createElement('p');
  hint.textContent = 'Try reloading the page. This site needs a browser with WebAssembly (any current Chrome, Edge, Firefox or Safari).';
  box.append(h, p, hint);
}

/** Downloads the wasm binary (with progress; a stalled download ends with a message), then
 * instantiates it. */
async function loadWasm() {
  const bytes = await download(new URL('../pkg/genmodels_bg.wasm', import.meta.url), {
    onProgress: (received, total) => {
      if (!total) return;
      const pct = Math.min(100, Math.round((100 * received) / total));
      $('loading-bar').style.width = `${pct}%`;
      $('loading-percent').textContent = `${pct}%`;
      $('loading').setAttribute('aria-valuenow', String(pct));
    },
  });
  await init({ module_or_path: bytes });
}

/** "#kmeans?k=4&seed=7" -> { demo, values, notices } validated by the wasm parser. */
function parseHash() {
  let hash = location.hash.slice(1).split('?')[0] || '';
  try {
    hash = decodeURIComponent(hash);
  } catch {
    // A malformed escape (a truncated link, say): the parser names it in a notice.
  }
  const query = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
  return wasm.parseDemoSettings(hash || 'kmeans', query);
}

/** "#main" (the skip link's target) and other ids on the page are places, not demos. */
function isInPageAnchor() {
  const name = location.hash.slice(1);
  return !name.includes('?') && !DEMOS.includes(name) && name !== '' && document.getElementById(name) !== null;
}

// Spaces as %20 and '+' as %2B (URLSearchParams writes spaces as '+', which the parser reads
// as a plus sign, as in `init=kmeans++`).
const queryString = (values) => Object.entries(values).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

/** Writes a demo's settings to the URL without adding history entries. Only the tab on
 * screen may: a tab still mounting (or working) in the background must not take the URL
 * from the one the user switched to. */
export function writeHash(demo, values) {
  if (demo !== active) return;
  const next = `#${demo}?${queryString(values)}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}

/** Whether the URL holds exactly the settings the demo's mounted tab has now (it wrote them):
 * then there is nothing to apply, even where the parser would refuse a value (a training
 * text over 2,000 characters or with a tab, say), so a tab switch never loses a demo's state. */
function isOwnUrl(demo) {
  const settings = mounted[demo]?.settings?.();
  return settings !== undefined && location.hash === `#${demo}?${queryString(settings)}`;
}

async function activate(demo, settings, own = false) {
  for (const d of DEMOS) {
    const selected = d === demo;
    $(`tab-${d}`).setAttribute('aria-selected', String(selected));
    $(`tab-${d}`).tabIndex = selected ? 0 : -1;
    $(`panel-${d}`).hidden = !selected;
    if (!selected && mounted[d]?.hide) mounted[d].hide();
  }
  active = demo;
  const firstVisit = !mounting[demo];
  mounting[demo] ??= import(`./${demo}.js`)
    .then((module) => module.mount($(`panel-${demo}`), { wasm, settings: settings.values, notify, writeHash, gpu }))
    .then((controller) => { mounted[demo] = controller; return controller; })
    .catch((e) => {
      // Nothing half-built stays; the panel says what failed and offers to try again.
      delete mounting[demo];
      const message = document.createElement('p');
      message.className = 'err';
      message.textContent = `The ${$(`tab-${demo}`).textContent} demo could not start: ${e.message ?? e}`;
      const retry = document.createElement('button');
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => { $(`panel-${demo}`).replaceChildren(); route(); });
      $(`panel-${demo}`).replaceChildren(message, retry);
      throw e;
    });
  const controller = await mounting[demo];
  // The user may have moved to another tab while this one was loading.
  if (active !== demo) { controller.hide?.(); return; }
  // Coming back to a tab with the settings it already has keeps its state (a k-means run
  // half walked through, a trained RNN); a link or an edited URL with other settings applies them.
  if (!firstVisit && !own && queryString(controller.settings?.() ?? {}) !== queryString(settings.values)) controller.apply?.(settings.values);
  controller.show?.();
  document.title = `${$(`tab-${demo}`).textContent}: Generative models, live`;
}

function route() {
  const anchor = isInPageAnchor();
  if (anchor && active) return; // a place on this page, not a demo: stay where we are
  const settings = anchor ? wasm.parseDemoSettings('kmeans', '') : parseHash();
  const own = isOwnUrl(settings.demo);
  if (!own) for (const n of settings.notices) notify(`URL: ${n}`);
  activate(settings.demo, settings, own).catch((e) => notify(`Could not open the ${settings.demo} demo: ${e.message ?? e}`, 'error'));
}

/** WebGPU detection, shared by the demos: { device, name } or { device: null, reason }. */
const gpu = { device: null, name: 'CPU', reason: 'still starting', ready: null, settled: false };

async function detectGpu() {
  if (!('gpu' in navigator) || !navigator.gpu) {
    gpu.reason = 'this browser has no WebGPU';
  } else {
    try {
      gpu.device = await wasm.GpuDevice.create();
      gpu.name = gpu.device.adapterName;
      // Browsers expose the adapter's description only through GPUAdapter.info.
      const info = (await navigator.gpu.requestAdapter())?.info;
      const described = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
      if (described) gpu.name = described;
    } catch (e) {
      gpu.reason = e.message ?? String(e);
    }
  }
  gpu.settled = true;
  $('backend').textContent = gpu.device ? `Backend: WebGPU (${gpu.name}) + CPU` : `Backend: CPU (${gpu.reason})`;
  $('backend').dataset.backend = gpu.device ? 'webgpu' : 'cpu';
}

function setUpTabs() {
  const tabs = DEMOS.map((d) => $(`tab-${d}`));
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      const demo = tab.dataset.demo;
      const current = mounted[demo]?.settings?.();
      const next = current ? `#${demo}?${queryString(current)}` : `#${demo}`;
      // Routed at once rather than on 'hashchange', which arrives a task later: a tab working
      // in the background could rewrite the URL in between and be routed to instead.
      if (location.hash !== next) history.pushState(null, '', next);
      if (active !== demo) route();
    });
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
      if (next) { next.focus(); next.click(); e.preventDefault(); }
    });
  }
  // Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is remembered.
  const shortcuts = $('shortcuts-switch');
  shortcuts.checked = localStorage.getItem('genmodels-shortcuts') !== 'off';
  shortcuts.addEventListener('change', () => localStorage.setItem('genmodels-shortcuts', shortcuts.checked ? 'on' : 'off'));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!shortcuts.checked) return;
    // On the tab bar the keys belong to the tabs (arrows, Enter, Space), never to a demo.
    if (e.target.closest?.('[role="tablist"]')) return;
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.target.isContentEditable) return;
    if (tag === 'button' && (e.key === ' ' || e.key === 'Enter')) return;
    if (active && mounted[active]?.onKey?.(e)) e.preventDefault();
  });
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: './' }).then((reg) => {
    // A new version waiting: tell the user, and reload once it takes over.
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) {
          notify('A new version of the site was downloaded; it is used from the next reload.');
        }
      });
    });
  }).catch((e) => console.warn('service worker not registered:', e.message));
}

async function main() {
  window.addEventListener('error', (e) => notify(`Unexpected error: ${e.message}`, 'error'));
  window.addEventListener('unhandledrejection', (e) => notify(`Unexpected error: ${e.reason?.message ?? e.reason}`, 'error'));
  try {
    await loadWasm();
  } catch (e) {
    showFatal(`The WebAssembly module failed to load: ${e.message ?? e}`);
    return;
  }
  $('loading').hidden = true;
  $('version').textContent = `Version ${wasm.version()}.`;
  setUpTabs();
  // The skip link moves the focus to the demo without touching the URL (and its settings).
  document.querySelector('a.skip')?.addEventListener('click', (e) => { e.preventDefault(); $('main').focus(); });
  gpu.ready = detectGpu();
  window.addEventListener('hashchange', route);
  route();
  registerServiceWorker();
  document.body.dataset.ready = 'true';
}

main();
