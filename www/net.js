// Downloads for the demos: progress as the bytes arrive, and a clear error (never an endless
// "Loading…") when a download stalls, as it can on lecture-hall Wi-Fi.

/** Seconds without a single byte after which a download is given up. */
export const STALL_SECONDS = 20;

/** The bytes at `url`; `onProgress(received, total)` as they arrive (total 0 when unknown).
 * Rejects with a readable message on an HTTP error or when nothing arrives for
 * `stallSeconds`; `signal` cancels it (a sibling download failed: no more progress). */
export async function download(url, { onProgress = null, stallSeconds = STALL_SECONDS, signal = null } = {}) {
  const name = new URL(url, location.href).pathname.split('/').slice(-2).join('/');
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let timer = 0;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), stallSeconds * 1000);
  };
  arm();
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok) throw new Error(`${name} could not be downloaded (HTTP ${response.status})`);
    const total = Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      chunks.push(value);
      received += value.length;
      onProgress?.(received, total);
    }
    const bytes = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    return bytes;
  } catch (e) {
    if (signal?.aborted) throw new Error(`${name}: download cancelled`);
    if (controller.signal.aborted) {
      throw new Error(`${name} stopped arriving (nothing for ${stallSeconds} s): check the connection and press Retry`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** "370 of 817 KB (45%)" */
export function progressText(received, total) {
  const kb = (n) => Math.round(n / 1024).toLocaleString();
  return total ? `${kb(received)} of ${kb(total)} KB (${Math.round((100 * received) / total)}%)` : `${kb(received)} KB`;
}
