// Offline support: the page, the shell, the wasm module and the models are cached on the
// first visit. Network first for everything (so an update is picked up as soon as the site
// is reachable), falling back to the cache when offline. The cache name carries a version;
// old caches are deleted on activation, so a new deployment never leaves users stuck.
//
// Every request is revalidated with the server (`cache: 'no-cache'`: a conditional request,
// a cheap 304 when nothing changed), never answered from the browser's HTTP cache. GitHub
// Pages sends max-age=600, and a reload revalidates only the page itself: without this, a
// new index.html could run with the old app.js or an old wasm module with new bindings.
const VERSION = 'genmodels-v6';
const CORE = [
  './',
  './index.html',
  './www/app.js',
  './www/kmeans.js',
  './www/density.js',
  './www/pixelcnn-worker.js',
  './www/gan-worker.js',
  './www/density-worker.js',
  './www/worker.js',
  './www/rnn.js',
  './www/pixelcnn.js',
  './www/vae.js',
  './www/gan.js',
  './www/draw.js',
  './www/net.js',
  './www/style.css',
  './www/manifest.json',
  './www/coffee.jpg',
  './pkg/genmodels.js',
  './pkg/genmodels_bg.wasm',
  './models/digits.json',
  './models/digits.safetensors',
  './models/digits-examples.bin',
  './models/fashion.json',
  './models/fashion.safetensors',
  './models/fashion-examples.bin',
  './models/vae-digits.json',
  './models/vae-digits.safetensors',
  './models/vae-digits-points.bin',
  './models/gan-digits.json',
  './models/gan-digits.safetensors',
  './models/gan-digits-nearest.json',
  './models/gan-digits-nearest.bin',
  './models/gan-digits-progress.bin',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    // One missing file must not prevent the rest from being cached.
    await Promise.all(CORE.map((url) => cache.add(new Request(url, { cache: 'reload' })).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== VERSION) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(VERSION);
    try {
      const response = await fetch(event.request, { cache: 'no-cache' });
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    } catch (offline) {
      const cached = await cache.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw offline;
    }
  })());
});
