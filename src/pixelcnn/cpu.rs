//! The PixelCNN on the CPU in plain Rust: a full forward pass (for likelihoods and the naive
//! sampler) and the cached sampler, which per step computes only the new pixel's activations
//! from cached activations of earlier positions (Ramachandran et al. 2017).
//!
//! Both are built from the same two phases, mirroring the network's two stacks:
//! * row phase: the vertical stack for a whole row, which only sees rows above, so it runs
//!   once per row, before any pixel of that row is sampled;
//! * pixel phase: the horizontal stack and the output head at one position.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::config::ModelConfig;
use super::weights::WeightsError;

/// Weights of one gated layer, each matrix stored [inputs x outputs] so that a step is a
/// sequence of contiguous `y += x_i * W[i, :]` updates (which the compiler vectorises).
#[derive(Debug, Clone)]
struct Layer {
    v_w: Vec<f32>,
    v_b: Vec<f32>,
    h_w: Vec<f32>,
    h_b: Vec<f32>,
    link_w: Vec<f32>,
    link_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
    skip_w: Vec<f32>,
    skip_b: Vec<f32>,
    cond_v: Vec<f32>,
    cond_h: Vec<f32>,
}

#[derive(Debug, Clone)]
pub struct CpuModel {
    pub config: ModelConfig,
    layers: Vec<Layer>,
    hidden_w: Vec<f32>,
    hidden_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
}

/// [out, in, kh, kw] (the file's conv layout) to [(kh, kw, in), out].
fn to_inputs_by_outputs(w: &[f32], shape: &[usize]) -> Vec<f32> {
    let (cout, cin, kh, kw) = (shape[0], shape[1], shape[2], shape[3]);
    let mut out = vec![0.0; w.len()];
    for o in 0..cout {
        for i in 0..cin {
            for y in 0..kh {
                for x in 0..kw {
                    let src = ((o * cin + i) * kh + y) * kw + x;
                    let dst = ((y * kw + x) * cin + i) * cout + o;
                    out[dst] = w[src];
                }
            }
        }
    }
    out
}

/// e^x to within about 2 ulp, without branches or calls, so that loops over it vectorise
/// (libm's expf and tanhf are calls in wasm, and the gates took a third of the sampler's time):
/// x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor series to degree 7, times 2^n.
#[inline(always)]
fn fast_exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E).round();
    // ln 2 split in two so that n * LN2_HI is exact.
    let r = (x - n * 0.693_145_75) - n * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r / 5040.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// The gated unit: tanh(a) * sigmoid(b) for pre = [a, b]; tanh(a) = 2 sigmoid(2a) - 1.
#[inline]
fn gate_into(pre: &[f32], out: &mut [f32]) {
    let c = out.len();
    let (a, b) = pre.split_at(c);
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        let tanh = 2.0 / (1.0 + fast_exp(-2.0 * a)) - 1.0;
        *o = tanh / (1.0 + fast_exp(-b));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_gate_agrees_with_libm() {
        let mut worst_exp = 0.0f32;
        let mut worst_gate = 0.0f32;
        for i in -20_000..=20_000 {
            let x = i as f32 * 0.0043;
            let want = x.exp();
            worst_exp = worst_exp.max(((super::fast_exp(x) - want) / want).abs());
            let mut out = [0.0f32];
            super::gate_into(&[x, 0.7 - x], &mut out);
            let want = x.tanh() / (1.0 + (x - 0.7).exp());
            worst_gate = worst_gate.max((out[0] - want).abs());
        }
        assert!(worst_exp < 1e-6, "exp: relative error {worst_exp}");
        assert!(worst_gate < 1e-6, "gate: absolute error {worst_gate}");
        // Far outside the range it saturates instead of overflowing to infinity or NaN.
        assert_eq!(super::fast_exp(-1000.0), super::fast_exp(-87.0));
        assert!(super::fast_exp(-1000.0) > 0.0 && super::fast_exp(-1000.0) < 1e-37);
        assert!(super::fast_exp(1000.0).is_finite());
    }
}

impl CpuModel {
    /// Builds the CPU model from checked tensors (see `weights::load_checked`).
    pub fn from_tensors(
        config: &ModelConfig,
        tensors: &BTreeMap<String, Vec<f32>>,
    ) -> Result<Self, WeightsError> {
        let shapes: BTreeMap<String, Vec<usize>> = config.parameter_shapes().into_iter().collect();
        let get = |name: &str| -> Result<Vec<f32>, WeightsError> {
            let values = tensors
                .get(name)
                .ok_or_else(|| WeightsError::Missing(name.to_string()))?;
            let shape = &shapes[name];
            if values.len() != shape.iter().product::<usize>() {
                return Err(WeightsError::Shape {
                    name: name.to_string(),
                    got: vec![values.len()],
                    want: shape.clone(),
                });
            }
            Ok(if shape.len() == 4 {
                to_inputs_by_outputs(values, shape)
            } else {
                values.clone()
            })
        };
        let mut layers = Vec::new();
        for l in 0..config.layers {
            let p = |n: &str| format!("layers.{l}.{n}");
            layers.push(Layer {
                v_w: get(&p("v_conv.weight"))?,
                v_b: get(&p("v_conv.bias"))?,
                h_w: get(&p("h_conv.weight"))?,
                h_b: get(&p("h_conv.bias"))?,
                link_w: get(&p("link.weight"))?,
                link_b: get(&p("link.bias"))?,
                out_w: get(&p("h_out.weight"))?,
                out_b: get(&p("h_out.bias"))?,
                skip_w: get(&p("skip.weight"))?,
                skip_b: get(&p("skip.bias"))?,
                cond_v: get(&p("cond_v"))?,
                cond_h: get(&p("cond_h"))?,
            });
        }
        Ok(Self {
            config: config.clone(),
            layers,
            hidden_w: get("head.hidden.weight")?,
            hidden_b: get("head.hidden.bias")?,
            out_w: get("head.out.weight")?,
            out_b: get("head.out.bias")?,
        })
    }

    /// All weights in one array, with the offset of every tensor: per layer v_w, v_b, h_w,
    /// h_b, link_w, link_b, out_w, out_b, skip_w, skip_b, cond_v, cond_h; then the head's
    /// hidden_w, hidden_b, out_w, out_b (the layout the WGSL sampler reads).
    pub fn packed(&self) -> (Vec<f32>, Vec<u32>) {
        let mut data = Vec::new();
        let mut offsets = Vec::new();
        // Every tensor starts at a multiple of 4 floats: the shader reads them as vec4.
        let mut push = |t: &[f32]| {
            offsets.push(data.len() as u32);
            data.extend_from_slice(t);
            data.resize(data.len().next_multiple_of(4), 0.0);
        };
        for l in &self.layers {
            for t in [
                &l.v_w, &l.v_b, &l.h_w, &l.h_b, &l.link_w, &l.link_b, &l.out_w, &l.out_b,
                &l.skip_w, &l.skip_b, &l.cond_v, &l.cond_h,
            ] {
                push(t);
            }
        }
        for t in [&self.hidden_w, &self.hidden_b, &self.out_w, &self.out_b] {
            push(t);
        }
        (data, offsets)
    }

    /// Multiply-adds of one image by the cached sampler (for FLOP counts in benchmarks).
    pub fn cached_macs_per_image(&self) -> usize {
        let c = &self.config;
        let (ch, s) = (c.channels, c.head_channels);
        let mut per_pixel = s * s + s * c.levels;
        for l in 0..c.layers {
            let cin = c.layer_in_channels(l);
            let (kv, kw) = c.vertical_kernel(l);
            per_pixel += kv * kw * cin * 2 * ch + 4 * ch * ch; // row phase: v conv, link
            per_pixel += c.horizontal_kernel(l) * cin * 2 * ch + ch * ch + ch * s;
            // pixel phase
        }
        per_pixel * c.pixels()
    }
}

fn normalise(pixel: u8, levels: usize) -> f32 {
    pixel as f32 * (2.0 / (levels as f32 - 1.0)) - 1.0
}

/// Cached activations of a batch of images, stored image after image in each array. Each
/// phase gathers its inputs into a matrix (one row per image, or per image and column) and
/// multiplies it by the layer's weights with `gemm_acc`, which keeps a block of outputs in
/// registers and reads each weight row once for several rows of inputs: the model's weights
/// (1.6 MB for digits) do not fit in the faster caches, and streaming them per image was most
/// of the time. Every output's sum runs over the same inputs in the same order as for a
/// single image, so the result does not depend on the batch.
#[derive(Debug, Clone)]
struct BatchState {
    labels: Vec<usize>,
    /// [image][pixel].
    pixels: Vec<u8>,
    /// Per layer, gated vertical features of every row: [image][pixel][channel].
    v_act: Vec<Vec<f32>>,
    /// Per layer, the current row's link(v_pre) + biases + class term: [image][col][2C].
    h_base: Vec<Vec<f32>>,
    /// Per layer, the current row's horizontal features: [image][col][C].
    h_row: Vec<Vec<f32>>,
    /// [image][level] of the last pixel.
    logits: Vec<f32>,
    /// Scratch of the row phase: the vertical pre-activations [image][col][2C] and the input
    /// patches [image][col][taps * channels].
    v_pre: Vec<f32>,
    patches: Vec<f32>,
}

impl BatchState {
    fn new(model: &CpuModel, labels: &[usize]) -> Self {
        let c = &model.config;
        let (b, w, ch) = (labels.len(), c.width, c.channels);
        let widest_patch = (0..c.layers)
            .map(|l| {
                let (kv, kw) = c.vertical_kernel(l);
                kv * kw * c.layer_in_channels(l)
            })
            .max()
            .unwrap_or(0);
        Self {
            labels: labels.to_vec(),
            pixels: vec![0; b * c.pixels()],
            v_act: vec![vec![0.0; b * c.pixels() * ch]; c.layers],
            h_base: vec![vec![0.0; b * w * 2 * ch]; c.layers],
            h_row: vec![vec![0.0; b * w * ch]; c.layers],
            logits: vec![0.0; b * c.levels],
            v_pre: vec![0.0; b * w * 2 * ch],
            patches: vec![0.0; b * w * widest_patch],
        }
    }

    fn images(&self) -> usize {
        self.labels.len()
    }

    /// Vertical stack for row `r` of every image (needs rows < r of the pixels).
    fn row_phase(&mut self, model: &CpuModel, r: usize) {
        let cfg = &model.config;
        let (h, w, ch, hw) = (cfg.height as isize, cfg.width, cfg.channels, cfg.pixels());
        let c2 = 2 * ch;
        let images = self.images();
        for (l, layer) in model.layers.iter().enumerate() {
            let (kv, kw) = cfg.vertical_kernel(l);
            let cin = cfg.layer_in_channels(l);
            let d = cfg.dilation(l) as isize;
            // Layer 0: rows r-kv..r-1; later layers: rows r-(kv-1)d..r, step d. Columns
            // c-(kw/2)d..c+(kw/2)d. Taps outside the image read zeros.
            let (first_row, row_step) = if l == 0 {
                (r as isize - kv as isize, 1)
            } else {
                (r as isize - (kv as isize - 1) * d, d)
            };
            let k = kv * kw * cin;
            let below = if l == 0 {
                None
            } else {
                Some(&self.v_act[l - 1])
            };
            for b in 0..images {
                for c in 0..w {
                    let patch = &mut self.patches[(b * w + c) * k..(b * w + c + 1) * k];
                    for dy in 0..kv {
                        let rr = first_row + dy as isize * row_step;
                        for dx in 0..kw {
                            let cc = c as isize + (dx as isize - (kw / 2) as isize) * d;
                            let tap = &mut patch[(dy * kw + dx) * cin..(dy * kw + dx + 1) * cin];
                            if rr < 0 || rr >= h || cc < 0 || cc >= w as isize {
                                tap.fill(0.0);
                                continue;
                            }
                            let at = b * hw + rr as usize * w + cc as usize;
                            match below {
                                None => tap[0] = normalise(self.pixels[at], cfg.levels),
                                Some(v) => tap.copy_from_slice(&v[at * ch..(at + 1) * ch]),
                            }
                        }
                    }
                }
            }
            for (b, &label) in self.labels.iter().enumerate() {
                let cond = &layer.cond_v[label * c2..(label + 1) * c2];
                for pre in self.v_pre[b * w * c2..(b + 1) * w * c2].chunks_exact_mut(c2) {
                    for ((p, bias), k) in pre.iter_mut().zip(&layer.v_b).zip(cond) {
                        *p = bias + k;
                    }
                }
            }
            let rows = images * w;
            gemm_acc(
                &self.patches[..rows * k],
                &layer.v_w,
                &mut self.v_pre,
                rows,
                k,
                c2,
            );
            let v_act = &mut self.v_act[l];
            let base = &mut self.h_base[l];
            for (b, &label) in self.labels.iter().enumerate() {
                let cond_h = &layer.cond_h[label * c2..(label + 1) * c2];
                for c in 0..w {
                    let pre = &self.v_pre[(b * w + c) * c2..(b * w + c + 1) * c2];
                    let at = b * hw + r * w + c;
                    gate_into(pre, &mut v_act[at * ch..(at + 1) * ch]);
                    let out = &mut base[(b * w + c) * c2..(b * w + c + 1) * c2];
                    for (j, o) in out.iter_mut().enumerate() {
                        *o = layer.link_b[j] + layer.h_b[j] + cond_h[j];
                    }
                }
            }
            gemm_acc(&self.v_pre, &layer.link_w, base, rows, c2, c2);
        }
    }

    /// Horizontal stack and head at (r, c) of every image: fills `self.logits`.
    fn pixel_phase(&mut self, model: &CpuModel, r: usize, c: usize, scratch: &mut Scratch) {
        let cfg = &model.config;
        let (w, ch, s, hw) = (cfg.width, cfg.channels, cfg.head_channels, cfg.pixels());
        let c2 = 2 * ch;
        let images = self.images();
        scratch.skip.iter_mut().for_each(|x| *x = 0.0);
        for (l, layer) in model.layers.iter().enumerate() {
            let kh = cfg.horizontal_kernel(l);
            let cin = cfg.layer_in_channels(l);
            let k = kh * cin;
            // Layer 0: columns c-kh..c-1; later layers: columns c-(kh-1)d..c, step d.
            let d = cfg.dilation(l) as isize;
            let (first_col, col_step) = if l == 0 {
                (c as isize - kh as isize, 1)
            } else {
                (c as isize - (kh as isize - 1) * d, d)
            };
            for b in 0..images {
                scratch.pre[b * c2..(b + 1) * c2]
                    .copy_from_slice(&self.h_base[l][(b * w + c) * c2..(b * w + c + 1) * c2]);
                let patch = &mut scratch.patch[b * k..(b + 1) * k];
                for dx in 0..kh {
                    let cc = first_col + dx as isize * col_step;
                    let tap = &mut patch[dx * cin..(dx + 1) * cin];
                    if cc < 0 {
                        tap.fill(0.0);
                    } else if l == 0 {
                        tap[0] = normalise(self.pixels[b * hw + r * w + cc as usize], cfg.levels);
                    } else {
                        let at = (b * w + cc as usize) * ch;
                        tap.copy_from_slice(&self.h_row[l - 1][at..at + ch]);
                    }
                }
            }
            gemm_acc(
                &scratch.patch[..images * k],
                &layer.h_w,
                &mut scratch.pre,
                images,
                k,
                c2,
            );
            for (pre, gated) in scratch
                .pre
                .chunks_exact(c2)
                .zip(scratch.gated.chunks_exact_mut(ch))
            {
                gate_into(pre, gated);
            }
            for out in scratch.out.chunks_exact_mut(ch) {
                out.copy_from_slice(&layer.out_b);
            }
            gemm_acc(
                &scratch.gated,
                &layer.out_w,
                &mut scratch.out,
                images,
                ch,
                ch,
            );
            let (before, rest) = self.h_row.split_at_mut(l);
            let h_row = &mut rest[0];
            for (b, out) in scratch.out.chunks_exact(ch).enumerate() {
                let at = (b * w + c) * ch;
                h_row[at..at + ch].copy_from_slice(out);
                if let Some(previous) = before.last() {
                    for (o, res) in h_row[at..at + ch].iter_mut().zip(&previous[at..at + ch]) {
                        *o += res;
                    }
                }
            }
            for skip in scratch.skip.chunks_exact_mut(s) {
                for (a, bias) in skip.iter_mut().zip(&layer.skip_b) {
                    *a += bias;
                }
            }
            gemm_acc(
                &scratch.gated,
                &layer.skip_w,
                &mut scratch.skip,
                images,
                ch,
                s,
            );
        }
        scratch.skip.iter_mut().for_each(|x| *x = x.max(0.0));
        for hidden in scratch.hidden.chunks_exact_mut(s) {
            hidden.copy_from_slice(&model.hidden_b);
        }
        gemm_acc(
            &scratch.skip,
            &model.hidden_w,
            &mut scratch.hidden,
            images,
            s,
            s,
        );
        scratch.hidden.iter_mut().for_each(|x| *x = x.max(0.0));
        for logits in self.logits.chunks_exact_mut(cfg.levels) {
            logits.copy_from_slice(&model.out_b);
        }
        gemm_acc(
            &scratch.hidden,
            &model.out_w,
            &mut self.logits,
            images,
            s,
            cfg.levels,
        );
    }
}

/// Per-pixel buffers of a batch, kept between pixels to avoid allocating in the hot loop.
struct Scratch {
    patch: Vec<f32>,
    pre: Vec<f32>,
    gated: Vec<f32>,
    out: Vec<f32>,
    skip: Vec<f32>,
    hidden: Vec<f32>,
}

impl Scratch {
    fn new(config: &ModelConfig, images: usize) -> Self {
        let (ch, s) = (config.channels, config.head_channels);
        let widest = (0..config.layers)
            .map(|l| config.horizontal_kernel(l) * config.layer_in_channels(l))
            .max()
            .unwrap_or(0);
        Self {
            patch: vec![0.0; images * widest],
            pre: vec![0.0; images * 2 * ch],
            gated: vec![0.0; images * ch],
            out: vec![0.0; images * ch],
            skip: vec![0.0; images * s],
            hidden: vec![0.0; images * s],
        }
    }
}

/// Rows of inputs per block and outputs per block of `gemm_acc`: 4 x 16 accumulators.
const BLOCK_ROWS: usize = 4;
const BLOCK_COLS: usize = 16;

/// c[m][n] += a[m][k] * b[k][n] (row-major). Every output adds its k products in order
/// 0..k onto its starting value, whatever the blocking, so results do not depend on m.
fn gemm_acc(a: &[f32], b: &[f32], c: &mut [f32], m: usize, k: usize, n: usize) {
    let blocked_n = n - n % BLOCK_COLS;
    let mut i = 0;
    while i < m {
        let rows = (m - i).min(BLOCK_ROWS);
        for j in (0..blocked_n).step_by(BLOCK_COLS) {
            if rows == BLOCK_ROWS {
                gemm_block::<BLOCK_ROWS>(a, b, c, i, j, k, n);
            } else {
                for p in i..i + rows {
                    gemm_block::<1>(a, b, c, p, j, k, n);
                }
            }
        }
        // Columns beyond the last full block (only in small test models).
        for p in i..i + rows {
            for q in blocked_n..n {
                let mut acc = c[p * n + q];
                for kk in 0..k {
                    acc += a[p * k + kk] * b[kk * n + q];
                }
                c[p * n + q] = acc;
            }
        }
        i += rows;
    }
}

/// One block of R rows x 16 columns at (i, j), its accumulators kept in registers.
#[inline(always)]
fn gemm_block<const R: usize>(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    i: usize,
    j: usize,
    k: usize,
    n: usize,
) {
    let mut acc = [[0.0f32; BLOCK_COLS]; R];
    for (p, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + p) * n + j..(i + p) * n + j + BLOCK_COLS]);
    }
    for kk in 0..k {
        let w: &[f32; BLOCK_COLS] = b[kk * n + j..kk * n + j + BLOCK_COLS]
            .try_into()
            .expect("a block of columns");
        for (p, row) in acc.iter_mut().enumerate() {
            let x = a[(i + p) * k + kk];
            for (o, wq) in row.iter_mut().zip(w) {
                *o += x * wq;
            }
        }
    }
    for (p, row) in acc.iter().enumerate() {
        c[(i + p) * n + j..(i + p) * n + j + BLOCK_COLS].copy_from_slice(row);
    }
}

/// Logits of every pixel of a known image: [pixels][levels]. One full forward pass.
pub fn forward_full(model: &CpuModel, pixels: &[u8], label: usize) -> Vec<f32> {
    let cfg = &model.config;
    let mut state = BatchState::new(model, &[label]);
    let mut scratch = Scratch::new(cfg, 1);
    state.pixels.copy_from_slice(pixels);
    let mut out = Vec::with_capacity(cfg.pixels() * cfg.levels);
    for r in 0..cfg.height {
        state.row_phase(model, r);
        for c in 0..cfg.width {
            state.pixel_phase(model, r, c, &mut scratch);
            out.extend_from_slice(&state.logits);
        }
    }
    out
}

/// -log2 p(x_i | x_<i) for every pixel of an image: the per-pixel cost in bits.
pub fn bits_per_pixel(model: &CpuModel, pixels: &[u8], label: usize) -> Vec<f32> {
    let levels = model.config.levels;
    forward_full(model, pixels, label)
        .chunks_exact(levels)
        .zip(pixels)
        .map(|(logits, &x)| {
            let m = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let lse = m + logits.iter().map(|l| (l - m).exp()).sum::<f32>().ln();
            (lse - logits[x as usize]) / std::f32::consts::LN_2
        })
        .collect()
}

/// ln p(x | y) in nats of one image under each class in `labels`: every class's likelihood of
/// the same known image, all in one batched pass (no sampling: each pixel's distribution given
/// the true pixels before it). With a uniform prior, Bayes' rule turns these into p(y | x):
/// the PixelCNN as a generative classifier.
pub fn log_likelihood_per_class(model: &CpuModel, pixels: &[u8], labels: &[usize]) -> Vec<f64> {
    let cfg = &model.config;
    let (n, levels) = (cfg.pixels(), cfg.levels);
    let mut state = BatchState::new(model, labels);
    let mut scratch = Scratch::new(cfg, labels.len());
    for image in state.pixels.chunks_exact_mut(n) {
        image.copy_from_slice(pixels);
    }
    let mut total = vec![0.0f64; labels.len()];
    for r in 0..cfg.height {
        state.row_phase(model, r);
        for c in 0..cfg.width {
            state.pixel_phase(model, r, c, &mut scratch);
            let x = pixels[r * cfg.width + c] as usize;
            for (t, logits) in total.iter_mut().zip(state.logits.chunks_exact(levels)) {
                let m = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let lse = m + logits.iter().map(|l| (l - m).exp()).sum::<f32>().ln();
                *t += (logits[x] - lse) as f64;
            }
        }
    }
    total
}

/// A counter-based random number: the same (seed, image, pixel) gives the same draw on
/// every backend (the WGSL samplers use the same hash).
pub fn pcg_hash(v: u32) -> u32 {
    let state = v.wrapping_mul(747_796_405).wrapping_add(2_891_336_453);
    let word = ((state >> ((state >> 28) + 4)) ^ state).wrapping_mul(277_803_737);
    (word >> 22) ^ word
}

pub fn uniform_draw(seed: u32, image: u32, pixel: u32) -> f32 {
    let h = pcg_hash(pcg_hash(seed) ^ pcg_hash(image.wrapping_mul(65_536).wrapping_add(pixel)));
    (h >> 8) as f32 / 16_777_216.0
}

/// softmax(logits / temperature) as probabilities.
pub fn distribution(logits: &[f32], temperature: f32) -> Vec<f32> {
    let t = temperature.max(1e-3);
    let m = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits.iter().map(|l| ((l - m) / t).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.into_iter().map(|x| x / sum).collect()
}

/// Inverse-CDF draw from softmax(logits / temperature) with the uniform number `u`.
pub fn draw(logits: &[f32], temperature: f32, u: f32) -> u8 {
    // Sums in blocks of DRAW_BLOCK levels, in the order the WGSL sampler adds them in
    // parallel, so that the same logits give the same level on both.
    let t = temperature.max(1e-3);
    let m = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f32> = logits.iter().map(|l| ((l - m) / t).exp()).collect();
    let block_sums: Vec<f32> = weights
        .chunks(DRAW_BLOCK)
        .map(|block| block.iter().fold(0.0, |a, &w| a + w))
        .collect();
    let total = block_sums.iter().fold(0.0f32, |a, &s| a + s);
    let target = u * total;
    let mut cum = 0.0;
    for (b, (block, &sum)) in weights.chunks(DRAW_BLOCK).zip(&block_sums).enumerate() {
        if cum + sum > target {
            for (k, w) in block.iter().enumerate() {
                cum += w;
                if cum > target {
                    return (b * DRAW_BLOCK + k) as u8;
                }
            }
        } else {
            cum += sum;
        }
    }
    (logits.len() - 1) as u8
}

/// Levels per block in `draw` (and in the WGSL sampler's draw).
pub const DRAW_BLOCK: usize = 16;

/// What to generate: one class per image, temperature, seed, and optionally known pixels
/// (image completion: pixels where `known_mask` is true are kept, not sampled).
#[derive(Debug, Clone)]
pub struct SampleRequest {
    pub labels: Vec<usize>,
    pub temperature: f32,
    pub seed: u32,
    pub known: Option<(Vec<u8>, Vec<bool>)>,
    /// Index in the whole batch of this request's first image: a share of a batch sampled
    /// elsewhere (a Web Worker) draws the same random numbers as the whole batch would.
    pub first_image: usize,
}

impl SampleRequest {
    /// Images sampled from scratch (no known pixels).
    pub fn new(labels: Vec<usize>, temperature: f32, seed: u32) -> Self {
        Self {
            labels,
            temperature,
            seed,
            known: None,
            first_image: 0,
        }
    }
}

/// Common interface of the CPU samplers, stepped one pixel (of every image) at a time.
pub trait PixelSampler {
    /// Samples the next pixel of every image; false once the images are complete.
    fn step_pixel(&mut self) -> bool;
    /// Raster index of the next pixel to sample (= number of pixels done).
    fn next_pixel(&self) -> usize;
    fn image(&self, index: usize) -> &[u8];
    /// Logits of the last sampled pixel of an image.
    fn last_logits(&self, index: usize) -> &[f32];
    fn images(&self) -> usize;
}

fn choose_pixel(request: &SampleRequest, image: usize, pixel: usize, logits: &[f32]) -> u8 {
    if let Some((values, mask)) = &request.known {
        let n = mask.len();
        if mask[pixel] {
            return values[image * n + pixel];
        }
    }
    draw(
        logits,
        request.temperature,
        uniform_draw(
            request.seed,
            (request.first_image + image) as u32,
            pixel as u32,
        ),
    )
}

pub struct CachedSampler {
    model: Arc<CpuModel>,
    request: SampleRequest,
    state: BatchState,
    scratch: Scratch,
    next: usize,
}

impl CachedSampler {
    pub fn new(model: Arc<CpuModel>, request: SampleRequest) -> Self {
        let state = BatchState::new(&model, &request.labels);
        let scratch = Scratch::new(&model.config, request.labels.len());
        Self {
            model,
            request,
            state,
            scratch,
            next: 0,
        }
    }
}

impl PixelSampler for CachedSampler {
    fn step_pixel(&mut self) -> bool {
        let cfg = &self.model.config;
        if self.next >= cfg.pixels() {
            return false;
        }
        let (n, levels) = (cfg.pixels(), cfg.levels);
        let (r, c) = (self.next / cfg.width, self.next % cfg.width);
        if c == 0 {
            self.state.row_phase(&self.model, r);
        }
        self.state.pixel_phase(&self.model, r, c, &mut self.scratch);
        for i in 0..self.state.images() {
            let logits = &self.state.logits[i * levels..(i + 1) * levels];
            self.state.pixels[i * n + self.next] =
                choose_pixel(&self.request, i, self.next, logits);
        }
        self.next += 1;
        true
    }
    fn next_pixel(&self) -> usize {
        self.next
    }
    fn image(&self, index: usize) -> &[u8] {
        let n = self.model.config.pixels();
        &self.state.pixels[index * n..(index + 1) * n]
    }
    fn last_logits(&self, index: usize) -> &[f32] {
        let levels = self.model.config.levels;
        &self.state.logits[index * levels..(index + 1) * levels]
    }
    fn images(&self) -> usize {
        self.state.images()
    }
}

/// The lecture's sampler: a full forward pass of the whole network for every pixel.
pub struct NaiveSampler {
    model: Arc<CpuModel>,
    request: SampleRequest,
    canvases: Vec<Vec<u8>>,
    logits: Vec<Vec<f32>>,
    next: usize,
}

impl NaiveSampler {
    pub fn new(model: Arc<CpuModel>, request: SampleRequest) -> Self {
        let n = model.config.pixels();
        let levels = model.config.levels;
        let images = request.labels.len();
        Self {
            canvases: vec![vec![0; n]; images],
            logits: vec![vec![0.0; levels]; images],
            model,
            request,
            next: 0,
        }
    }
}

impl PixelSampler for NaiveSampler {
    fn step_pixel(&mut self) -> bool {
        let cfg = &self.model.config;
        if self.next >= cfg.pixels() {
            return false;
        }
        let levels = cfg.levels;
        for i in 0..self.canvases.len() {
            let all = forward_full(&self.model, &self.canvases[i], self.request.labels[i]);
            self.logits[i].copy_from_slice(&all[self.next * levels..(self.next + 1) * levels]);
            self.canvases[i][self.next] =
                choose_pixel(&self.request, i, self.next, &self.logits[i]);
        }
        self.next += 1;
        true
    }
    fn next_pixel(&self) -> usize {
        self.next
    }
    fn image(&self, index: usize) -> &[u8] {
        &self.canvases[index]
    }
    fn last_logits(&self, index: usize) -> &[f32] {
        &self.logits[index]
    }
    fn images(&self) -> usize {
        self.canvases.len()
    }
}
