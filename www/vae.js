// The VAE tab: the 2-D latent plane (decoded live under the pointer or the arrow keys), encoding
// a drawing or a held-out digit, the reparameterisation, the ELBO's two terms against the
// PixelCNN's exact likelihood, interpolation and samples from the prior. All maths in Rust.
import { el, field, canvas, fmt, fixed, math, CLASS_COLORS, CLASS_SHAPES, marker, drawingPad, drawGrey as drawImage, shortcutList } from './draw.js';
import { download, progressText } from './net.js';

const SIDE = 28;
const EXTENT = 4; // the plane shows [-4, 4]^2 of the latent space (the prior is N(0, I))
const EXAMPLES = 100; // held-out digits shipped in models/digits-examples.bin

/** A SIDE x SIDE image drawn as a `size` x `size` square at (x0, y0). */
function drawGrey(ctx, pixels, x0, y0, size) {
  drawImage(ctx, pixels, SIDE, x0, y0, size / SIDE);
}

/** Draws `count` images of SIDE x SIDE stored one after another into a grid on `cv`. */
function drawStrip(cv, images, count, perRow) {
  const ctx = cv.getContext('2d');
  const size = Math.floor(cv.width / perRow);
  ctx.fillStyle = '#0f121a';
  ctx.fillRect(0, 0, cv.width, cv.height);
  for (let i = 0; i < count; i++) {
    drawGrey(ctx, images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), (i % perRow) * size, Math.floor(i / perRow) * size, size - 2);
  }
}

export async function mount(panel, { wasm, settings, writeHash }) {
  const s = { ...settings };
  const base = new URL('../models/', import.meta.url);
  const loading = el('p', { class: 'muted', 'aria-live': 'polite', text: 'Loading the VAE…' });
  panel.append(loading);
  let shown = 0;
  const onProgress = (got, total) => {
    if (performance.now() - shown < 1000) return; // a live region: at most once a second
    shown = performance.now();
    loading.textContent = `Loading the VAE: ${progressText(got, total)}`;
  };
  const text = (bytes) => new TextDecoder().decode(bytes);
  const [cardText, weights, pointBytes, examples, pixelCard] = await Promise.all([
    download(new URL('vae-digits.json', base)).then(text),
    download(new URL('vae-digits.safetensors', base), { onProgress }),
    download(new URL('vae-digits-points.bin', base)),
    download(new URL('digits-examples.bin', base)),
    download(new URL('digits.json', base)).then((b) => JSON.parse(text(b))).catch(() => null),
  ]);
  loading.remove();
  const vae = new wasm.VaeDemo(weights, cardText);
  const card = vae.card();
  const points = new Float32Array(pointBytes.buffer, pointBytes.byteOffset, Math.floor(pointBytes.length / 4));
  const example = (i) => ({ label: examples[i], pixels: examples.subarray(EXAMPLES + i * SIDE * SIDE, EXAMPLES + (i + 1) * SIDE * SIDE) });

  // ---- controls and canvases
  const btn = (label, key, fn, cls) => el('button', { class: cls, 'aria-keyshortcuts': key, title: `Shortcut: ${key}`, onclick: fn, text: label });
  const plane = canvas(420, 420, 'The latent plane: held-out digits at their posterior means, coloured by class; the cursor is the point being decoded');
  plane.tabIndex = 0;
  plane.id = 'vae-plane';
  plane.classList.add('main-picture');
  plane.dataset.story = 'picture';
  plane.style.setProperty('--picture-max', '420px');
  const decoded = canvas(168, 168, 'The image decoded at the cursor');
  decoded.id = 'vae-decoded';
  decoded.style.width = '96px'; // beside the plane on a laptop or a projector
  decoded.style.maxWidth = '100%';
  decoded.dataset.story = 'readout';
  const nextBtn = btn('Encode the next held-out digit', 'E', () => nextExample(), 'primary next');
  nextBtn.dataset.story = 'advance';
  const termsOut = el('table', { class: 'kv small', id: 'vae-terms', 'data-story': 'readout' });
  const SHAPE_GLYPHS = { circle: '●', square: '■', triangle: '▲', diamond: '◆', plus: '✚', down: '▼', cross: '✖', star: '★', ring: '○', bar: '▬' };
  const zOut = el('p', { id: 'vae-z', class: 'mono' });
  const exIndex = el('input', { type: 'range', min: 0, max: EXAMPLES - 1, value: s.ex });
  const exOut = el('output');
  const pad = canvas(168, 168, 'Drawing pad: draw a digit to encode it');
  pad.id = 'vae-pad';
  const recon = canvas(168, 168, 'Reconstruction: the image decoded at the posterior mean');
  const posteriorOut = el('p', { id: 'vae-posterior', class: 'mono' });
  const reparamTable = el('table', { class: 'kv mono', id: 'vae-reparam' });
  const reparamImages = canvas(8 * 56, 56, 'Decodings of eight draws z = mu + sigma * eps');
  const seedInput = el('input', { type: 'number', min: 0, max: 4294967295, value: s.seed });
  const boundOut = el('div', { id: 'vae-bound' });
  const heldOutOut = el('p', { id: 'vae-heldout' });
  const aInput = el('input', { type: 'number', min: 0, max: EXAMPLES - 1, value: s.a });
  const bInput = el('input', { type: 'number', min: 0, max: EXAMPLES - 1, value: s.b });
  const path = canvas(10 * 56, 56, 'Ten decodings along the straight line between two posterior means');
  path.id = 'vae-path';
  const prior = canvas(8 * 56, 4 * 56, 'Thirty-two decodings of z drawn from the prior N(0, I)');
  prior.id = 'vae-prior';
  const manifold = canvas(420, 420, 'Decodings on a 15 by 15 grid over the plane: the manifold the decoder has learnt');
  manifold.style.width = 'min(100%, 420px)';
  const rateOut = el('p', { class: 'muted small', id: 'vae-rate' });
  const zoom = canvas(240, 240, 'The true posterior p(z | x) of the encoded digit, zoomed in, under the encoder\'s q(z | x)');
  zoom.id = 'vae-zoom';
  const zoomOut = el('p', { class: 'small', id: 'vae-zoom-text' });

  const pixelBits = pixelCard?.evaluation?.bits_per_dim;
  const ev = card.evaluation;
  heldOutOut.textContent = `On the ${ev.held_out_images} held-out digits: VAE bound ${ev.bound_bits_per_dim.toFixed(3)} bits/dim ` +
    `(reconstruction ${fmt(ev.reconstruction_nats_per_image, 4)} nats, KL ${fmt(ev.kl_nats_per_image, 3)} nats per image)` +
    (ev.log_evidence_bits_per_dim ? `; the VAE's own ln p(x), summed on a grid, ${ev.log_evidence_bits_per_dim.toFixed(3)} bits/dim (a gap of ${fmt(ev.gap_nats_per_image, 3)} nats per image, up to ${fmt(ev.largest_gap_nats, 3)} on one)` : '') +
    (pixelBits ? `; PixelCNN exact ${pixelBits.toFixed(3)} bits/dim on the same images.` : '.');

  panel.append(
    el('h2', { text: 'Variational autoencoder: a 2-D code for every digit' }),
    el('div', { class: 'stage' }, plane,
      el('div', { class: 'side' },
        el('div', { class: 'pair' }, decoded,
          el('div', {}, el('p', { class: 'small', text: 'Decoded at the cursor:' }), zOut,
            el('p', { class: 'small muted', text: 'Move over the plane (or focus it and use the arrow keys).' }))),
        el('div', { class: 'controls' }, nextBtn),
        termsOut,
        el('p', { class: 'try', id: 'vae-try', text: 'Try: move to an empty corner of the plane, far from every mark: no digit was encoded there, yet the decoder still draws something, often a blurred, in-between digit. Then press M to jump back to the encoded digit.' }),
        el('p', { class: 'key' }, 'Marks: held-out digits at their posterior means, by class: ',
          ...Array.from({ length: 10 }, (_, k) => {
            const key = el('span', { class: 'class-key', text: `${SHAPE_GLYPHS[CLASS_SHAPES[k]]}${k}` });
            key.style.color = CLASS_COLORS[k]; // through the CSSOM: the page's CSP forbids style attributes
            return key;
          }),
          '. White ring: q(z | x) of the encoded digit (its one-σ ellipse, never drawn under 6 px); the orange patch under it: the true posterior p(z | x). Hollow white squares: samples from the prior. Dashed line: the interpolation below. Yellow crosshair: the cursor.'),
        el('div', { class: 'explain' },
          el('p', { class: 'equation' }, ...math('log p(x) ≥ ELBO = E_{q(z|x)}[log p(x | z)] − KL(q(z | x) ‖ p(z))')),
          el('p', {}, 'The encoder maps an image x to a Gaussian q(z | x) over a 2-D code z; the decoder maps any z back to an image. Training raises the ELBO: the first term asks the decoded images to match x (reconstruction), the second keeps each q(z | x) close to the prior N(0, I), so that every part of the plane decodes to something digit-like. The ELBO is a lower bound on log p(x). With a 2-D code, log p(x) itself can be summed on a grid over the plane (last rows above); the gap is KL(q(z | x) ‖ p(z | x)), how far the encoder\'s Gaussian is from the true posterior.')),
        rateOut)),
    el('div', { class: 'row' },
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Encode: q(z | x)' }),
          el('p', { class: 'muted', text: 'Draw a digit on the pad, or pick a held-out one. The encoder gives a mean μ and a standard deviation σ per axis: the ellipse on the plane is one σ around μ.' }),
          el('div', { class: 'controls' }, field('Held-out digit', exIndex), exOut, btn('Clear the pad', 'X', () => clearPad())),
          el('div', { class: 'row' },
            el('figure', {}, pad, el('figcaption', { text: 'input x' })),
            el('figure', {}, recon, el('figcaption', { text: 'decoded at μ' }))),
          posteriorOut,
          el('h3', { text: 'The reparameterisation: z = μ + σ ⊙ ε' }),
          el('div', { class: 'controls' }, field('Seed of ε', seedInput), btn('New ε', 'N', () => nextSeed())),
          reparamTable, reparamImages),
        el('div', { class: 'card' }, el('h3', { text: 'The bound: ELBO = reconstruction − KL' }),
          boundOut, heldOutOut,
          el('h3', { text: 'The true posterior, beside q(z | x)' }),
          el('div', { class: 'pair' }, zoom, zoomOut),
          el('p', { class: 'muted', text: 'The PixelCNN multiplies exact conditionals, so its number is log p(x) itself. The VAE cannot sum over every code z, so it reports the ELBO, a lower bound: log p(x) is larger by the KL divergence between q(z | x) and the true posterior. Both count bits of the same 256-level pixels.' }))),
      el('div', { class: 'col' },
        el('div', { class: 'card' }, el('h3', { text: 'Interpolate between two digits' }),
          el('div', { class: 'controls' }, field('From held-out digit', aInput), field('to', bInput)),
          path),
        el('div', { class: 'card' }, el('h3', { text: 'Samples from the prior: z ~ N(0, I)' }),
          el('p', { class: 'muted', text: 'One decoder pass per sample, all at once: no pixel-by-pixel loop. Their codes are the hollow white squares on the plane.' }),
          el('div', { class: 'controls' }, btn('New samples', 'S', () => nextSeed(), 'primary')),
          prior),
        el('div', { class: 'card' }, el('h3', { text: 'The decoder over the plane' }),
          el('p', { class: 'muted', text: `Decodings on an evenly spaced grid over [−${EXTENT}, ${EXTENT}]², the same square as the plane.` }),
          manifold),
        shortcutList([['Arrows', 'move (on the plane)'], ['M', 'go to the posterior mean'], ['E', 'next held-out digit'], ['N', 'new ε'], ['S', 'new prior samples'], ['X', 'clear the pad']]))),
  );

  // ---- state
  let cursor = [s.x, s.y];
  let posterior = null; // { mu, sigma, ... } of the current input
  let truePost = null; // the true posterior p(z | x) on a zoomed grid, and ln p(x)
  let truePostTimer = 0;
  let priorZ = null;
  const padPixels = new Uint8Array(SIDE * SIDE);
  let pathZ = null;

  const toCanvas = ([x, y]) => [((x + EXTENT) / (2 * EXTENT)) * plane.width, ((EXTENT - y) / (2 * EXTENT)) * plane.height];
  const fromCanvas = (px, py) => [(px / plane.width) * 2 * EXTENT - EXTENT, EXTENT - (py / plane.height) * 2 * EXTENT];
  const round2 = (v) => Math.round(v * 100) / 100;

  function drawPlane() {
    const ctx = plane.getContext('2d');
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 0, plane.width, plane.height);
    ctx.strokeStyle = '#2a3145';
    ctx.lineWidth = 1;
    for (let v = -EXTENT; v <= EXTENT; v++) {
      const [px] = toCanvas([v, 0]);
      const [, py] = toCanvas([0, v]);
      ctx.strokeStyle = v === 0 ? '#3f4a66' : '#232a3b';
      ctx.beginPath(); ctx.moveTo(px, 0); ctx.lineTo(px, plane.height); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, py); ctx.lineTo(plane.width, py); ctx.stroke();
    }
    for (let i = 0; i + 2 < points.length; i += 3) {
      const [px, py] = toCanvas([points[i + 1], points[i + 2]]);
      const k = points[i] | 0;
      ctx.fillStyle = CLASS_COLORS[k];
      marker(ctx, CLASS_SHAPES[k], px, py, 3);
    }
    if (priorZ) {
      ctx.strokeStyle = '#f4f6fb';
      ctx.lineWidth = 1.5;
      for (let i = 0; i + 1 < priorZ.length; i += 2) {
        const [px, py] = toCanvas([priorZ[i], priorZ[i + 1]]);
        ctx.strokeRect(px - 5, py - 5, 10, 10);
      }
    }
    if (pathZ) {
      ctx.strokeStyle = '#ffd166'; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
      const [a, b] = [toCanvas(pathZ[0]), toCanvas(pathZ[1])];
      ctx.beginPath(); ctx.moveTo(...a); ctx.lineTo(...b); ctx.stroke();
      ctx.setLineDash([]);
    }
    if (truePost) {
      // The true posterior where it lies on the plane: a small bright patch under the ring.
      const [x0, y0] = toCanvas([truePost.lo[0], truePost.hi[1]]);
      const [x1, y1] = toCanvas([truePost.hi[0], truePost.lo[1]]);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(posteriorImage(), x0, y0, Math.max(2, x1 - x0), Math.max(2, y1 - y0));
    }
    if (posterior) {
      // A confident posterior's ellipse is a fraction of a pixel: never drawn under 6 px.
      const [px, py] = toCanvas(posterior.mu);
      const rx = (posterior.sigma[0] / (2 * EXTENT)) * plane.width;
      const ry = (posterior.sigma[1] / (2 * EXTENT)) * plane.height;
      ctx.lineWidth = 4; ctx.strokeStyle = '#000';
      ctx.beginPath(); ctx.ellipse(px, py, Math.max(rx, 6), Math.max(ry, 6), 0, 0, 2 * Math.PI); ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = '#ffffff'; ctx.stroke();
      ctx.fillStyle = '#ffffff';
      ctx.beginPath(); ctx.arc(px, py, 2, 0, 7); ctx.fill();
    }
    const [cx, cy] = toCanvas(cursor);
    ctx.strokeStyle = '#ffbf00'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(cx, cy, 7, 0, 2 * Math.PI); ctx.moveTo(cx - 12, cy); ctx.lineTo(cx + 12, cy); ctx.moveTo(cx, cy - 12); ctx.lineTo(cx, cy + 12); ctx.stroke();
    // Ticks of z1 (along the bottom) and z2 (up the left side), on the plane's own edge.
    ctx.font = '16px system-ui, sans-serif';
    ctx.fillStyle = '#c8cdd8';
    for (const v of [-4, -2, 0, 2, 4]) {
      const [px] = toCanvas([v, 0]);
      const [, py] = toCanvas([0, v]);
      ctx.textAlign = v === -4 ? 'left' : v === 4 ? 'right' : 'center';
      ctx.fillText(String(v).replace('-', '−'), px + (v === -4 ? 3 : v === 4 ? -3 : 0), plane.height - 5);
      if (v !== -4) { ctx.textAlign = 'left'; ctx.fillText(String(v).replace('-', '−'), 4, py + (v === 4 ? 15 : 5)); }
    }
    ctx.textAlign = 'right';
    ctx.fillText('z₁ →', plane.width - 6, plane.height - 24);
    ctx.textAlign = 'left';
    ctx.fillText('↑ z₂', 26, 18);
  }

  let decodes = 0;
  let decodeMs = 0;
  function decodeCursor() {
    const t0 = performance.now();
    const image = vae.decode(cursor[0], cursor[1]);
    decodeMs += performance.now() - t0;
    decodes += 1;
    drawGrey(decoded.getContext('2d'), image, 0, 0, decoded.width);
    zOut.textContent = `z = (${fixed(cursor[0])}, ${fixed(cursor[1])})`;
    zOut.dataset.decodes = String(decodes);
    // The browser's clock ticks in 0.1 ms steps, so a few decodes can read 0: say "under".
    const mean = decodeMs / decodes;
    rateOut.textContent = `One decoder pass per move: ${mean < 1 ? 'well under a millisecond' : `about ${Math.round(mean)} ms`}.`;
    rateOut.title = `mean of ${decodes} decodes: ${mean.toFixed(2)} ms`;
    drawPlane();
  }
  let pending = false;
  function moveCursor(next, record = true) {
    cursor = [Math.max(-EXTENT, Math.min(EXTENT, next[0])), Math.max(-EXTENT, Math.min(EXTENT, next[1]))];
    if (record) { s.x = round2(cursor[0]); s.y = round2(cursor[1]); writeHash('vae', s); }
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; decodeCursor(); }); }
  }

  function pointerAt(e) {
    const rect = plane.getBoundingClientRect();
    return fromCanvas(((e.clientX - rect.left) / rect.width) * plane.width, ((e.clientY - rect.top) / rect.height) * plane.height);
  }
  plane.addEventListener('pointermove', (e) => moveCursor(pointerAt(e)));
  plane.addEventListener('pointerdown', (e) => { plane.focus(); moveCursor(pointerAt(e)); });
  plane.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 0.5 : 0.1;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    moveCursor([cursor[0] + d[0], cursor[1] + d[1]]);
  });

  // ---- encoding
  function drawPad() { drawGrey(pad.getContext('2d'), padPixels, 0, 0, pad.width); }
  function encode() {
    const t = vae.encode(padPixels);
    posterior = t;
    drawGrey(recon.getContext('2d'), vae.decode(t.mu[0], t.mu[1]), 0, 0, recon.width);
    posteriorOut.textContent = `μ = (${t.mu[0].toFixed(3)}, ${t.mu[1].toFixed(3)}), σ = (${t.sigma[0].toFixed(3)}, ${t.sigma[1].toFixed(3)})`;
    const bits = t.bits_per_dim;
    boundOut.replaceChildren(
      el('table', { class: 'kv' },
        el('tr', {}, el('td', { text: 'reconstruction E_q[log p(x | z)]' }), el('td', { class: 'mono', text: `${t.reconstruction.toFixed(1)} nats` })),
        el('tr', {}, el('td', { text: 'KL(q(z | x) ‖ p(z))' }), el('td', { class: 'mono', text: `${t.kl.toFixed(2)} nats` })),
        el('tr', {}, el('td', { text: 'ELBO = reconstruction − KL' }), el('td', { class: 'mono', text: `${t.elbo.toFixed(1)} nats` })),
        el('tr', {}, el('td', { text: 'bound on the bits per pixel' }), el('td', { class: 'mono big', text: `${bits.toFixed(3)} bits/dim` }))));
    termsOut.replaceChildren(
      el('caption', { text: `The bound for ${exOut.textContent ? `held-out digit ${exOut.textContent}` : 'the drawing'}` }),
      el('tr', {}, el('td', { text: 'reconstruction' }), el('td', { class: 'mono', text: `${t.reconstruction.toFixed(1)} nats` })),
      el('tr', {}, el('td', { text: '− KL(q ‖ prior)' }), el('td', { class: 'mono', text: `${(-t.kl).toFixed(1)} nats` })),
      el('tr', {}, el('td', {}, el('b', { text: '= ELBO' })), el('td', { class: 'mono' }, el('b', { text: `${t.elbo.toFixed(1)} nats` }), ` (${bits.toFixed(3)} bits/dim)`)));
    boundOut.dataset.reconstruction = String(t.reconstruction);
    boundOut.dataset.kl = String(t.kl);
    truePost = null;
    drawZoom();
    computeTruePosterior();
    reparameterise();
    drawPlane();
  }
  /** p(z | x) on its grid as an image (rows flipped: z2 grows upwards), bright where dense. */
  function posteriorImage() {
    const { side, density } = truePost;
    let top = 0;
    for (const v of density) top = Math.max(top, v);
    const img = new ImageData(side, side);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const t = top > 0 ? density[r * side + c] / top : 0;
        const o = ((side - 1 - r) * side + c) * 4;
        img.data.set([255 * Math.min(1, 1.6 * t), 120 + 135 * t, 60 * t, Math.round(255 * Math.min(1, 2 * t))], o);
      }
    }
    const off = new OffscreenCanvas(side, side);
    off.getContext('2d').putImageData(img, 0, 0);
    return off;
  }

  /** The zoomed view: p(z | x) filling the canvas, q(z | x) as its 1- and 2-sigma ellipses. */
  function drawZoom() {
    const ctx = zoom.getContext('2d');
    const w = zoom.width;
    ctx.fillStyle = '#0f121a';
    ctx.fillRect(0, 0, w, w);
    if (!truePost || !posterior) return;
    // Shown: the part of the grid where the density is at least 1/1000 of its peak, joined
    // with q's 2.5-sigma box, squared, so that both shapes fill the view.
    const { side, density } = truePost;
    const cell = [(truePost.hi[0] - truePost.lo[0]) / side, (truePost.hi[1] - truePost.lo[1]) / side];
    let top = 0;
    for (const v of density) top = Math.max(top, v);
    let lo = [posterior.mu[0] - 2.5 * posterior.sigma[0], posterior.mu[1] - 2.5 * posterior.sigma[1]];
    let hi = [posterior.mu[0] + 2.5 * posterior.sigma[0], posterior.mu[1] + 2.5 * posterior.sigma[1]];
    for (let i = 0; i < density.length; i++) {
      if (density[i] < top * 1e-3) continue;
      const z = [truePost.lo[0] + ((i % side) + 0.5) * cell[0], truePost.lo[1] + (Math.floor(i / side) + 0.5) * cell[1]];
      lo = [Math.min(lo[0], z[0] - cell[0]), Math.min(lo[1], z[1] - cell[1])];
      hi = [Math.max(hi[0], z[0] + cell[0]), Math.max(hi[1], z[1] + cell[1])];
    }
    const half = Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2;
    const mid = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
    lo = [mid[0] - half, mid[1] - half];
    hi = [mid[0] + half, mid[1] + half];
    // The grid image (its row 0 at the top is z2 = truePost.hi[1]) cropped to that square.
    const gx = (z) => ((z - truePost.lo[0]) / (truePost.hi[0] - truePost.lo[0])) * side;
    const gy = (z) => ((truePost.hi[1] - z) / (truePost.hi[1] - truePost.lo[1])) * side;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(posteriorImage(), gx(lo[0]), gy(hi[1]), gx(hi[0]) - gx(lo[0]), gy(lo[1]) - gy(hi[1]), 0, 0, w, w);
    const X = (z) => ((z - lo[0]) / (hi[0] - lo[0])) * w;
    const Y = (z) => ((hi[1] - z) / (hi[1] - lo[1])) * w;
    for (const k of [1, 2]) {
      ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2; ctx.setLineDash(k === 1 ? [] : [5, 4]);
      ctx.beginPath();
      ctx.ellipse(X(posterior.mu[0]), Y(posterior.mu[1]), (k * posterior.sigma[0] / (hi[0] - lo[0])) * w, (k * posterior.sigma[1] / (hi[1] - lo[1])) * w, 0, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillStyle = '#c8cdd8';
    ctx.fillText(`z₁ ${lo[0].toFixed(2)} to ${hi[0].toFixed(2)}`, 4, w - 6);
    ctx.fillText(`z₂ ${lo[1].toFixed(2)} to ${hi[1].toFixed(2)}`, 4, 15);
  }

  /** The true posterior takes a few thousand decoder passes: computed just after the encoding
   * is shown, so that the pad and the plane answer first. */
  function computeTruePosterior() {
    clearTimeout(truePostTimer);
    truePostTimer = setTimeout(() => {
      const t0 = performance.now();
      try { truePost = vae.truePosterior(padPixels, 64); } catch (e) { truePost = null; zoomOut.textContent = e.message; return; }
      const ms = performance.now() - t0;
      zoom.dataset.ms = String(ms);
      zoom.dataset.logEvidence = String(truePost.logEvidence);
      zoom.dataset.gap = String(truePost.gap);
      zoom.dataset.kl = String(truePost.kl);
      zoomOut.textContent = `Shading: p(z | x) ∝ p(x | z) p(z), computed on a ${truePost.side}×${truePost.side} grid zoomed onto it (${truePost.grids} grids, ${Math.round(ms)} ms); the view spans the corner labels. White ellipses: the encoder's q(z | x) at 1 and 2 σ. ` +
        `ln p(x) = ${truePost.logEvidence.toFixed(1)} nats (${truePost.bitsPerDim.toFixed(3)} bits/dim); the ELBO is ${truePost.elbo.toFixed(1)}. ` +
        `The gap, ${truePost.gap.toFixed(2)} nats, is KL(q(z | x) ‖ p(z | x)) = ${truePost.kl.toFixed(2)} on the grid: how far q is from the true posterior.`;
      addEvidenceRows();
      drawZoom();
      drawPlane();
    }, 30);
  }

  function addEvidenceRows() {
    termsOut.querySelector('.evidence')?.remove();
    termsOut.append(el('tbody', { class: 'evidence' },
      el('tr', {}, el('td', { text: 'ln p(x), on a grid' }), el('td', { class: 'mono', text: `${truePost.logEvidence.toFixed(1)} nats` })),
      el('tr', {}, el('td', { text: 'gap = KL(q ‖ p(z | x))' }), el('td', { class: 'mono', text: `${truePost.gap.toFixed(2)} nats` }))));
  }

  function reparameterise() {
    const steps = vae.reparameterise(padPixels, 8, s.seed);
    reparamTable.replaceChildren(el('tr', {}, ...['Draw', 'ε', 'σ ⊙ ε', 'z = μ + σ ⊙ ε'].map((h) => el('th', { scope: 'col', text: h }))));
    const pair = (v) => `(${fixed(v[0])}, ${fixed(v[1])})`;
    const images = new Uint8Array(8 * SIDE * SIDE);
    steps.forEach((st, i) => {
      if (i < 3) reparamTable.append(el('tr', {}, el('td', { text: String(i + 1) }), el('td', { text: pair(st.eps) }), el('td', { text: pair(st.sigma_eps) }), el('td', { text: pair(st.z) })));
      images.set(vae.decode(st.z[0], st.z[1]), i * SIDE * SIDE);
    });
    drawStrip(reparamImages, images, 8, 8);
  }
  function useExample(i) {
    const ex = example(i);
    padPixels.set(ex.pixels);
    exOut.textContent = `#${i} (a ${ex.label})`;
    drawPad();
    encode();
  }
  function clearPad() { padPixels.fill(0); exOut.textContent = ''; drawPad(); encode(); }
  function nextExample() { s.ex = (s.ex + 1) % EXAMPLES; exIndex.value = s.ex; writeHash('vae', s); useExample(s.ex); }
  drawingPad(pad, padPixels, SIDE, { redraw: drawPad, onStrokeEnd: () => encode() });

  // ---- interpolation, prior samples, manifold
  function interpolate() {
    const a = example(s.a).pixels;
    const b = example(s.b).pixels;
    drawStrip(path, vae.interpolate(a, b, 10), 10, 10);
    pathZ = [vae.encode(a).mu, vae.encode(b).mu];
    drawPlane();
  }
  function samplePrior() {
    drawStrip(prior, vae.priorSamples(32, s.seed), 32, 8);
    priorZ = vae.priorPoints(32, s.seed);
    drawPlane();
  }
  function drawManifold() {
    const n = 15;
    const images = vae.manifold(n, EXTENT * (n - 1) / n);
    drawStrip(manifold, images, n * n, n);
  }

  const wholeIn = (input, lo, hi, fallback) => {
    const v = Number(input.value);
    const ok = Number.isInteger(v) && v >= lo && v <= hi;
    if (!ok) input.value = fallback;
    return ok ? v : fallback;
  };
  function onSeed() {
    s.seed = wholeIn(seedInput, 0, 4294967295, s.seed);
    writeHash('vae', s);
    reparameterise();
    samplePrior();
  }
  /** One seed drives the draws of ε and the prior samples: a new seed renews both. */
  function nextSeed() {
    seedInput.value = s.seed + 1;
    onSeed();
  }
  seedInput.addEventListener('change', onSeed);
  exIndex.addEventListener('input', () => { s.ex = Number(exIndex.value); writeHash('vae', s); useExample(s.ex); });
  for (const [input, key] of [[aInput, 'a'], [bInput, 'b']]) {
    input.addEventListener('change', () => { s[key] = wholeIn(input, 0, EXAMPLES - 1, s[key]); writeHash('vae', s); interpolate(); });
  }

  function applyAll() {
    exIndex.value = s.ex; aInput.value = s.a; bInput.value = s.b; seedInput.value = s.seed;
    cursor = [s.x, s.y];
    useExample(s.ex);
    interpolate();
    samplePrior();
    decodeCursor();
  }
  drawManifold();
  applyAll();
  panel.dataset.ready = 'true';

  return {
    settings: () => s,
    apply(values) { Object.assign(s, values); applyAll(); },
    onKey(e) {
      const map = {
        m: () => posterior && moveCursor(posterior.mu),
        e: nextExample,
        n: nextSeed,
        s: nextSeed,
        x: clearPad,
      };
      const f = map[e.key.toLowerCase()];
      if (f) { f(); return true; }
      return false;
    },
  };
}
