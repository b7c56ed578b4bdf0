// Merges the benchmark JSON lines (native, browser, NumPy) into BENCHMARKS.md and the README's
// speed table, compares every figure with its target from the issues, and prints the table.
import fs from 'node:fs';
import os from 'node:os';

const [input, root] = process.argv.slice(2);
const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.startsWith('{'));
const all = lines.map((l) => JSON.parse(l));
const figures = all.filter((r) => r.runs && r.runs.length);
const browserVersion = all.find((r) => r.name === 'browser version')?.text ?? 'unknown';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const find = (where, re) => figures.find((r) => r.where === where && re.test(r.name));

// Targets from the issues: [where, name pattern, comparison, value].
const TARGETS = [
  ['browser', /^k-means Lloyd iteration, N = 100000/, '<=', 5],
  ['browser', /^colour quantization/, '<=', 60],
  ['browser', /^char-RNN: train "hello"/, '<=', 300],
  ['browser', /^char-RNN training, hidden 100/, '>=', 20000],
  ['browser', /^PixelCNN digits: cached CPU, batch 1,/, '<=', 100],
  ['browser', /^PixelCNN digits: cached CPU, batch 16,/, '<=', 1500],
  ['browser', /^PixelCNN fashion: cached CPU, batch 1,/, '<=', 100],
  ['browser', /^PixelCNN fashion: cached CPU, batch 16,/, '<=', 1500],
  ['browser', /^page: first PixelCNN pixels/, '<=', 1000],
  ['browser', /^k-means half-steps per second drawn/, '>=', 30],
  ['browser', /^VAE: decodes per second drawn/, '>=', 30],
  ['browser', /WebGPU submissions and read-backs per image/, '<=', 28],
  ['native', /wgpu submissions and read-backs per image/, '<=', 28],
  ['browser', /^PixelCNN tab: 4 images at full speed on the CPU, tab time/, '<=', 1.3],
  ['browser', /^page: a tab click answered while the PixelCNN samples/, '<=', 200],
  ['browser', /^k-means: longest main-thread task while the elbow/, '<=', 100],
  ['browser', /^density: EM half-steps per second drawn/, '>=', 60],
  ['browser', /^density: held-out curve over 50 bandwidths, 300 points/, '<=', 50],
  ['browser', /^VAE: true posterior on a 64 x 64 grid/, '<=', 300],
  ['browser', /^PixelCNN digits: Bayes classification of one image/, '<=', 1000],
  ['browser', /^PixelCNN digits: 16 images, one core time \/ every core time/, '>=', 1.7],
  ['browser', /^GAN 2-D: training iterations per second while drawing/, '>=', 500],
  ['browser', /^GAN 2-D: frames per second drawn/, '>=', 30],
  ['browser', /^GAN digits: 64 digits generated and drawn/, '<=', 100],
];

const derived = [];
for (const model of ['digits', 'fashion']) {
  for (const where of ['native', 'browser']) {
    const naive = find(where, new RegExp(`^PixelCNN ${model}: naive CPU`));
    const cached = find(where, new RegExp(`^PixelCNN ${model}: cached CPU, batch 1,`));
    if (naive && cached) derived.push({ name: `PixelCNN ${model}: cached speed-up over naive, batch 1`, unit: 'x', where, runs: [median(naive.runs) / median(cached.runs)], target: ['>=', 100] });
  }
  const wasm = find('browser', new RegExp(`^PixelCNN ${model}: cached CPU, batch 1,`));
  const native = find('native', new RegExp(`^PixelCNN ${model}: cached CPU, batch 1,`));
  if (wasm && native) derived.push({ name: `PixelCNN ${model}: wasm time / native time, cached batch 1`, unit: 'x', where: 'browser', runs: [median(wasm.runs) / median(native.runs)], target: ['<=', 2] });
  const flops = find('native', new RegExp(`^PixelCNN ${model}: cached sampler FLOPs`));
  const peak = find('native', /^peak f32/);
  const nat16 = find('native', new RegExp(`^PixelCNN ${model}: cached CPU, batch 16,`));
  if (flops && peak && nat16) {
    const rate = (flops.runs[0] * 1e6 * 16) / (median(nat16.runs) / 1000) / 1e9;
    derived.push({ name: `PixelCNN ${model}: cached CPU batch 16 achieved rate (fraction of the measured one-core peak: ${(100 * rate / median(peak.runs)).toFixed(1)}%)`, unit: 'GFLOP/s', where: 'native', runs: [rate] });
  }
  // Effective rate in wasm: the FLOPs of one image's forward pass per unit of time per image.
  const wasm16 = find('browser', new RegExp(`^PixelCNN ${model}: cached CPU, batch 16,`));
  if (flops && wasm16) derived.push({ name: `PixelCNN ${model}: cached CPU batch 16 effective rate in wasm`, unit: 'GFLOP/s', where: 'browser', runs: [(flops.runs[0] * 1e6 * 16) / (median(wasm16.runs) / 1000) / 1e9], target: ['>=', 15] });
  // The WGSL sampler on a software adapter (lavapipe) against the native cached CPU sampler, both
  // on this machine's cores: how much of the shader's time is overhead (issue 32's proxy).
  for (const [batch, limit] of [[1, 10], [16, 4]]) {
    const gpu = find('native', new RegExp(`^PixelCNN ${model}: wgpu native \\(llvmpipe.*batch ${batch}, per batch`));
    const cpu = find('native', new RegExp(`^PixelCNN ${model}: cached CPU, batch ${batch},`));
    if (gpu && cpu) derived.push({ name: `PixelCNN ${model}: lavapipe WGSL time / native cached CPU time, batch ${batch}`, unit: 'x', where: 'native', runs: [median(gpu.runs) / median(cpu.runs)], target: ['<=', limit] });
  }
  for (const where of ['native', 'browser']) {
    const b16 = find(where, new RegExp(`^PixelCNN ${model}: cached CPU, batch 16,`));
    if (b16) derived.push({ name: `PixelCNN ${model}: cached CPU pixels per second, batch 16`, unit: 'pixels/s', where, runs: [(16 * 784) / (median(b16.runs) / 1000)] });
  }
}
const rustChars = find('browser', /^char-RNN training, hidden 100/);
const numpy = find('python', /^NumPy min-char-rnn/);
if (rustChars && numpy) derived.push({ name: 'char-RNN: wasm characters per second / NumPy min-char-rnn', unit: 'x', where: 'browser', runs: [median(rustChars.runs) / median(numpy.runs)] });

/** A figure with its median, range and verdict against the target `t` ([op, value]) if any. */
function summarise(r, t) {
  const m = median(r.runs);
  return { ...r, median: m, min: Math.min(...r.runs), max: Math.max(...r.runs), target: t, ok: t ? (t[0] === '<=' ? m <= t[1] : m >= t[1]) : null };
}
const rows = [...figures, ...derived].map((r) => summarise(r, r.target ?? TARGETS.find(([w, re]) => w === r.where && re.test(r.name))?.slice(2)));
const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const cells = (r) => `${r.name} | ${f(r.median)} | ${f(r.min)} | ${f(r.max)} | ${r.unit} | ${r.runs.length} | ${r.target ? `${r.target[0]} ${r.target[1]} ${r.ok ? 'met' : '**missed**'}` : ''} |`;
const table = ['| where | figure | median | min | max | unit | runs | target |', '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.where} | ${cells(r)}`)].join('\n');
const misses = rows.filter((r) => r.ok === false);

// Native figures from a machine with a real GPU (scripts/bench-device.sh, run where one is lent
// and committed): a table of their own, headed by that machine, never mixed with this one's.
const deviceFile = `${root}/bench/device-native.jsonl`;
let deviceSection = '';
if (fs.existsSync(deviceFile)) {
  const deviceLines = fs.readFileSync(deviceFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const about = deviceLines.find((r) => r.machine) ?? { machine: 'unknown', date: 'unknown' };
  const DEVICE_TARGETS = [[/wgpu native .*, batch 64, per batch/, '<=', 1000], [/wgpu submissions and read-backs per image/, '<=', 28]];
  const deviceRows = deviceLines.filter((r) => r.runs && r.runs.length).map((r) => summarise(r, DEVICE_TARGETS.find(([re]) => re.test(r.name))?.slice(1)));
  const how = about.how ?? '`scripts/bench-device.sh` (the same `bench` binary)';
  deviceSection = `\n## On a machine with a real GPU\n\nMeasured by ${how} on ${about.date}: ${about.machine}. ` +
    (about.shader ? `It ran ${about.shader}. ` : '') +
    'Native wgpu on Vulkan runs the same WGSL as the browser; the browser there was not measured (no browser can be installed on that machine).\n\n' +
    ['| figure | median | min | max | unit | runs | target |', '|---|---|---|---|---|---|---|',
      ...deviceRows.map((r) => `| ${cells(r)}`)].join('\n') + '\n';
}
const notes = all.filter((r) => r.unit === 'note').map((r) => `- ${r.name}`);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const md = `# Benchmarks

Written by \`bash scripts/bench.sh\` on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}
- Browser: ${browserVersion} (headless; its WebGPU adapter here is SwiftShader, on the CPU)
- Native GPU figures use whatever wgpu finds (lavapipe's Vulkan on the CPU on a machine without a GPU).
- Browser figures are timed with \`performance.now()\` inside the page (\`bench/bench.js\`), driven by Playwright.
- The one-core peak is a register-resident multiply-and-add loop (\`src/bench.rs\`), vectorised by the compiler.
- "naive per image" times 28 naive pixels and multiplies by 784 (a whole naive image takes minutes).

${table}

## Missed targets

${misses.length ? misses.map((r) => `- ${r.where}: ${r.name}: ${f(r.median)} ${r.unit}, target ${r.target[0]} ${r.target[1]}`).join('\n') : 'None.'}
${notes.length ? `\n## Notes\n\n${notes.join('\n')}\n` : ''}
- The browser's WebGPU figures above are SwiftShader's, on the CPU.${deviceSection ? ' For a real GPU see the next table.' : ' WebGPU on a real GPU (the target is 64 images in at most 1 s) is not measurable here.'}
${deviceSection}`;
fs.writeFileSync(`${root}/BENCHMARKS.md`, md);
// The README keeps a few headline figures of this table, between its markers.
const HEADLINES = [
  ['browser', /^k-means Lloyd iteration, N = 100000/],
  ['browser', /^char-RNN training, hidden 100/],
  ['browser', /^PixelCNN digits: cached CPU, batch 1,/],
  ['browser', /^page: first PixelCNN pixels/],
  ['browser', /^VAE: decodes per second drawn/],
  ['browser', /^GAN 2-D: training iterations per second while drawing/],
  ['browser', /^GAN 2-D: frames per second drawn/],
  ['browser', /^GAN digits: 64 digits generated and drawn/],
];
const headlines = rows.filter((r) => HEADLINES.some(([w, re]) => w === r.where && re.test(r.name)));
const headTable = ['| where | figure | median | min | max | unit | runs | target |', '|---|---|---|---|---|---|---|---|',
  ...headlines.map((r) => `| ${r.where} | ${cells(r)}`)].join('\n');
const readme = fs.readFileSync(`${root}/README.md`, 'utf8');
const block = `<!-- bench:start -->\n${headTable}\n\nMissed targets: ${misses.length ? misses.map((r) => `${r.name} (${r.where})`).join('; ') : 'none'}.\n<!-- bench:end -->`;
const next = readme.includes('<!-- bench:start -->') ? readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block) : readme.replace('BENCH_TABLE', block);
fs.writeFileSync(`${root}/README.md`, next);
console.log(table);
console.log(`\nMissed targets: ${misses.length}`);
