// A static file server for the repository root (what GitHub Pages serves), on localhost.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.safetensors': 'application/octet-stream', '.bin': 'application/octet-stream',
  '.ts': 'text/plain', '.md': 'text/plain; charset=utf-8',
};

/** `cacheControl`: the header every file is sent with (GitHub Pages sends max-age=600);
 * `overrides`: a Map from a URL path to the text served in place of the file (a new deployment);
 * `prefix`: the sub-path the site lives under (a project page is served at /<repository>/):
 * everything outside it is a 404. */
export function serve(root, port = 0, { cacheControl = 'no-cache', overrides = null, prefix = '/' } = {}) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
    let file = path.normalize(path.join(base, decodeURIComponent(url.pathname.slice(prefix.length - 1))));
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const override = overrides?.get(url.pathname);
    const read = override !== undefined ? (f, cb) => cb(null, Buffer.from(override)) : fs.readFile;
    read(file, (err, data) => {
      if (err) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': data.length, 'Cache-Control': cacheControl });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT || 8000);
  const server = await serve(path.join(path.dirname(new URL(import.meta.url).pathname), '../..'), port);
  console.log(`Serving the site at http://localhost:${server.address().port}/`);
}
