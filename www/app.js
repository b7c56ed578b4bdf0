// The shell: loads the wasm module (with progress), routes #demo?settings to a tab, shows
// notices, detects WebGPU, and registers the offline service worker. Demo modules only draw.
import init, * as firstModule from '../pkg/genmodels.js';
import { download } from './net.js';
import { wellFormed } from './draw.js';

const DEMOS = ['kmeans', 'density', 'rnn', 'pixelcnn', 'vae', 'gan'];
const mounting = {}; // demo -> promise of its mounted controller, so a tab is mounted once
const mounted = {}; // demo -> its controller, once mounted
const mountedWith = {}; // demo -> the settings its tab is being built with (until it is mounted)
let active = null;
let wasmBytes = null; // the module's bytes, kept to reinstantiate it after a trap
let generation = 0; // how many times the module was reinstantiated
let wasm = null; // the module's exports, guarded (see guard)
let compiledModule = null; // the module compiled once more, for Web Workers (see wasmModule)

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
  wasmBytes = bytes;
  wasm = guard(firstModule, 0);
}

// A trap (an out-of-memory, a bug that panics) leaves a wasm instance unusable: every later
// call may fail. The page notices any trap in a call it makes, and reinstantiates the module
// instead of dying: a fresh copy of the module, every tab rebuilt, the one on screen from its
// link. Nothing on the page should trap; this is the last line of defence.
const isTrap = (e) => e instanceof WebAssembly.RuntimeError;

/** The module's exports (functions, classes and their instances), each call watched for traps. */
function guard(exports, gen) {
  const watch = (call) => {
    try {
      const out = call();
      return out instanceof Promise ? out.catch((e) => { if (isTrap(e)) recover(e, gen); throw e; }) : wrap(out);
    } catch (e) {
      if (isTrap(e)) recover(e, gen);
      throw e;
    }
  };
  const wrap = (value) => {
    if (value === null || typeof value !== 'object' || !('__wbg_ptr' in value)) return value;
    return new Proxy(value, {
      get(target, key) {
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? (...args) => watch(() => v.apply(target, args)) : v;
      },
    });
  };
  const handler = {
    apply: (target, self, args) => watch(() => Reflect.apply(target, self, args)),
    construct: (target, args) => watch(() => Reflect.construct(target, args)),
    get(target, key) {
      const v = Reflect.get(target, key);
      return typeof v === 'function' && key !== 'prototype' ? new Proxy(v, handler) : v;
    },
  };
  return Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, typeof v === 'function' ? new Proxy(v, handler) : v]));
}

let recovering = false;
/** A second copy of the JS glue, imported ahead (a module of its own: a fresh instance needs
 * fresh glue), so that a trap while the network is off can still restart the module from the
 * bytes in memory. */
let spareGlue = null;
function prepareSpareGlue() {
  spareGlue = import(`../pkg/genmodels.js?instance=${generation + 1}`).catch(() => null);
}
async function recover(error, gen) {
  if (gen !== generation || recovering) return; // already being (or been) replaced
  recovering = true;
  console.error('wasm trap:', error);
  try {
    const fresh = (await spareGlue) ?? await import(`../pkg/genmodels.js?instance=${generation + 1}`).catch(() => {
      throw new Error('the network is off and no spare copy of the page\'s code was loaded; reload the page once it is back');
    });
    await fresh.default({ module_or_path: wasmBytes });
    generation += 1;
    prepareSpareGlue(); // for a later trap (offline now: none, and that trap says so)
    wasm = guard(fresh, generation);
    for (const d of DEMOS) {
      mounted[d]?.hide?.();
      delete mounted[d];
      delete mounting[d];
      delete mountedWith[d];
      $(`panel-${d}`).replaceChildren();
    }
    gpu.device = null;
    gpu.ready = detectGpu();
    notify(`The WebAssembly module stopped with an internal error (${error.message}). It was restarted, and this tab was rebuilt from its link; results not in the link were lost.`, 'error');
    route();
  } catch (e) {
    showFatal(`The WebAssembly module stopped with an internal error (${error.message}) and could not be restarted: ${e.message ?? e}`);
  } finally {
    recovering = false;
  }
}

/** The wasm module compiled (once) from the bytes already downloaded, for a demo's Web Workers:
 * each instantiates its own copy, without a second download. */
function wasmModule() {
  compiledModule ??= WebAssembly.compile(wasmBytes);
  return compiledModule;
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
const queryString = (values) => Object.entries(values).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(wellFormed(String(v)))}`).join('&');

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
  if (firstVisit) mountedWith[demo] = settings.values;
  mounting[demo] ??= import(`./${demo}.js`)
    .then((module) => module.mount($(`panel-${demo}`), { wasm, settings: settings.values, notify, writeHash, gpu, wasmModule }))
    .then((controller) => { mounted[demo] = controller; return controller; })
    .catch((e) => {
      // Nothing half-built stays; the panel says what failed and offers to try again.
      delete mounting[demo];
      delete mountedWith[demo];
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

/** A GPU error as one readable sentence for the page (a browser's WebGPU errors can be
 * pages of stack trace); the whole message goes to the console. */
function brief(error) {
  const full = String(error?.message ?? error);
  if (full.length > 160 || full.includes('\n')) console.warn('WebGPU:', full);
  // The first sentence, without the wrappers of the Rust/JS boundary ("JsValue(OperationError: ").
  const line = full.split('\n')[0].replace(/JsValue\((\w*Error: )?/g, '').replace(/\)+$/, '').trim();
  const first = line.match(/^.{20,}?[.!?](?=\s|$)/)?.[0] ?? line;
  if (first.length <= 160) return first;
  const cut = first.slice(0, 160);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 100))}…`;
}

/** WebGPU, shared by the demos: { device, name } or { device: null, reason }. `epoch` counts
 * the devices made (work compiled for one is not valid on the next). */
const gpu = {
  device: null, name: 'CPU', reason: 'still starting', ready: null, settled: false, epoch: 0, brief,
  /** Whether the adapter is the browser's software one (SwiftShader and the like): WebGPU then
   * runs on the processor, and the page says so instead of "your GPU". */
  software: false,
  /** Where a WebGPU run ran, in plain words. */
  place() {
    return gpu.software ? "WebGPU, emulated on this computer's processor" : 'your GPU';
  },
  /** Whether the device still works; a lost one is dropped (the header says CPU) and a new
   * one is made in the background. */
  /** Set by a run while a GPU row is in flight: takes an uncaught error as that row's failure. */
  claimError: null,
  /** Drops a device that failed (a submit that throws): the header says so, a new one is made. */
  fail(error) {
    if (!gpu.device) return;
    gpu.device = null;
    gpu.reason = `the GPU failed (${brief(error)}); making a new one`;
    showBackend();
    gpu.ready = detectGpu();
  },
  alive() {
    const why = gpu.device?.lostReason;
    if (gpu.device && why !== undefined) {
      gpu.device = null;
      gpu.reason = `the GPU ${brief(why).replace(/^the /, '')}; making a new one`;
      showBackend();
      gpu.ready = detectGpu();
    }
    return gpu.device !== null;
  },
};

function showBackend() {
  // Plain words for students; the adapter's name and the reason go into the details.
  $('backend').textContent = !gpu.device ? "Runs on this computer's processor" : gpu.software ? 'Runs on WebGPU (CPU)' : 'Runs on your GPU (WebGPU)';
  $('backend-more').textContent = gpu.device
    ? `Graphics adapter: ${gpu.name}${gpu.software ? ", the browser's software adapter (WebGPU emulated on the processor)" : ''}. The PixelCNN samples on it; everything else runs in WebAssembly on the processor.`
    : `No GPU in use: ${gpu.reason}. Every demo runs in WebAssembly on the processor.`;
  $('backend').dataset.backend = gpu.device ? 'webgpu' : 'cpu';
}

async function detectGpu() {
  gpu.settled = false;
  if (!('gpu' in navigator) || !navigator.gpu) {
    gpu.reason = 'this browser has no WebGPU';
  } else {
    try {
      const device = await wasm.GpuDevice.create();
      gpu.name = device.adapterName;
      // Browsers expose the adapter's description only through GPUAdapter.info.
      const info = (await navigator.gpu.requestAdapter())?.info;
      const described = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
      if (described) gpu.name = described;
      gpu.software = Boolean(info?.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(gpu.name);
      gpu.device = device;
      gpu.epoch += 1;
    } catch (e) {
      // wgpu's own text lists every backend it was not built with: one plain sentence here,
      // the whole text in the console.
      const full = String(e?.message ?? e);
      if (/no suitable graphics adapter/i.test(full)) {
        console.warn('WebGPU:', full);
        gpu.reason = 'this browser offers no suitable graphics adapter';
      } else gpu.reason = brief(e);
    }
  }
  gpu.settled = true;
  showBackend();
}

function setUpTabs() {
  const tabs = DEMOS.map((d) => $(`tab-${d}`));
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      const demo = tab.dataset.demo;
      // A tab still loading has no controller yet: its link's settings are kept all the same.
      const current = mounted[demo]?.settings?.() ?? mountedWith[demo];
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
  // Storage can throw: blocked site data on reading, a full quota on writing. The switch still
  // works; it is only not remembered.
  let remembered = null;
  try { remembered = localStorage.getItem('genmodels-shortcuts'); } catch { /* site data blocked */ }
  shortcuts.checked = remembered !== 'off';
  shortcuts.addEventListener('change', () => {
    try { localStorage.setItem('genmodels-shortcuts', shortcuts.checked ? 'on' : 'off'); } catch { /* not remembered */ }
  });
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
  // A trap anywhere (also in a call the page did not make through `guard`) restarts the module.
  // A GPU call that throws inside a sampler's future escapes as an uncaught error: a run on the
  // GPU claims it (gpu.claimError) and finishes on the CPU instead.
  window.addEventListener('error', (e) => {
    if (isTrap(e.error)) recover(e.error, generation);
    else if (gpu.claimError?.(e.error ?? e.message)) e.preventDefault();
    else notify(`Unexpected error: ${e.message}`, 'error');
  });
  window.addEventListener('unhandledrejection', (e) => {
    if (isTrap(e.reason)) recover(e.reason, generation);
    else if (gpu.claimError?.(e.reason)) e.preventDefault();
    else notify(`Unexpected error: ${e.reason?.message ?? e.reason}`, 'error');
  });
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
  // A device can be lost at any time (a driver reset, the GPU process restarting): the header
  // says so within a second, and a new device is made.
  setInterval(() => { if (!document.hidden) gpu.alive(); }, 1000);
  window.addEventListener('hashchange', route);
  route();
  registerServiceWorker();
  prepareSpareGlue();
  document.body.dataset.ready = 'true';
}

main();
