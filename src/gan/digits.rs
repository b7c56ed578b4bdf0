//! The class-conditional digits generator trained by PyTorch (`train/gan.py`): noise z and a
//! class in, a 28 x 28 image out, in three layers (the batch norms are folded into them at
//! export). `tests/gan.rs` checks it against PyTorch's fixture.
//!
//! Layouts are channel-last inside (`[y][x][channel]`), so each transposed convolution is a
//! scatter whose innermost loop runs over contiguous output channels (it vectorises).

use serde::{Deserialize, Serialize};

use crate::pixelcnn::weights::{check_card, load_with_shapes, WeightsError};
use crate::rng::SeededRng;

pub const CARD_FORMAT: &str = "genmodels-gan/1";
/// The seed side of the first layer's output (7 x 7), doubled by each transposed convolution.
const BASE: usize = 7;
const KERNEL: usize = 4;
/// Output channels summed at once in registers: eight 4-lane vectors, enough independent
/// sums that the adds do not wait on one another.
const CHUNK: usize = 32;

/// The (input index, kernel tap) pairs of a 4-tap, stride-2, padding-1 transposed convolution
/// that reach output index `o` (o = 2 i - 1 + k), for inputs 0..n.
fn taps(o: usize, n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..KERNEL).filter_map(move |k| {
        let t = o + 1;
        (t >= k && (t - k).is_multiple_of(2) && (t - k) / 2 < n).then(|| ((t - k) / 2, k))
    })
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GanError {
    #[error("the GAN weights: {0}")]
    File(#[from] WeightsError),
    #[error("the GAN model card is not valid: {0}")]
    Card(String),
    #[error("{0}")]
    Input(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsConfig {
    pub height: usize,
    pub width: usize,
    pub classes: usize,
    /// Dimensions of z, drawn from N(0, I).
    pub noise: usize,
    /// Channels after the linear layer and after the first transposed convolution.
    pub channels: [usize; 2],
    /// The output is clamp(gain * tanh(a), -1, 1).
    pub output_gain: f64,
}

impl DigitsConfig {
    fn validate(&self) -> Result<(), String> {
        if self.height != 4 * BASE || self.width != 4 * BASE {
            return Err(format!("images must be {0} x {0}", 4 * BASE));
        }
        if !(1..=100).contains(&self.classes) || !(1..=512).contains(&self.noise) {
            return Err("1 to 100 classes and 1 to 512 noise dimensions".into());
        }
        if self.channels.iter().any(|c| !(1..=512).contains(c)) {
            return Err("1 to 512 channels per layer".into());
        }
        if !(self.output_gain.is_finite() && self.output_gain >= 1.0 && self.output_gain <= 4.0) {
            return Err("the output gain must be from 1 to 4".into());
        }
        Ok(())
    }

    pub fn parameter_shapes(&self) -> Vec<(String, Vec<usize>)> {
        let [c1, c2] = self.channels;
        vec![
            (
                "fc.weight".into(),
                vec![c1 * BASE * BASE, self.noise + self.classes],
            ),
            ("fc.bias".into(), vec![c1 * BASE * BASE]),
            ("up1.weight".into(), vec![c1, c2, KERNEL, KERNEL]),
            ("up1.bias".into(), vec![c2]),
            ("up2.weight".into(), vec![c2, 1, KERNEL, KERNEL]),
            ("up2.bias".into(), vec![1]),
        ]
    }

    pub fn parameter_count(&self) -> usize {
        self.parameter_shapes()
            .iter()
            .map(|(_, s)| s.iter().product::<usize>())
            .sum()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DigitsCard {
    pub format: String,
    pub name: String,
    pub title: String,
    pub config: DigitsConfig,
    pub parameters: usize,
    #[serde(default)]
    pub sample_quality: serde_json::Value,
    #[serde(default)]
    pub training: serde_json::Value,
    #[serde(default)]
    pub data: serde_json::Value,
    #[serde(default)]
    pub likelihood: String,
}

impl DigitsCard {
    pub fn parse(text: &str) -> Result<Self, GanError> {
        let card: DigitsCard =
            serde_json::from_str(text).map_err(|e| GanError::Card(e.to_string()))?;
        card.config.validate().map_err(GanError::Card)?;
        check_card(
            &card.format,
            CARD_FORMAT,
            card.parameters,
            card.config.parameter_count(),
        )
        .map_err(GanError::Card)?;
        Ok(card)
    }
}

pub struct DigitsGenerator {
    pub config: DigitsConfig,
    /// fc weights for z, `[noise][c1 * 49]` in channel-last order (y, x, channel).
    fc_noise: Vec<f32>,
    /// fc bias plus the class's column, per class: `[classes][49 * c1]`, channel-last.
    fc_class: Vec<f32>,
    /// `[ky][kx][c1][c2]`
    up1: Vec<f32>,
    up1_bias: Vec<f32>,
    /// `[ky][kx][c2]`
    up2: Vec<f32>,
    up2_bias: f32,
}

impl DigitsGenerator {
    pub fn from_safetensors(bytes: &[u8], config: &DigitsConfig) -> Result<Self, GanError> {
        config.validate().map_err(GanError::Card)?;
        let mut t = load_with_shapes(bytes, config.parameter_shapes())?;
        let mut take = |name: &str| t.remove(name).unwrap_or_default();
        let [c1, c2] = config.channels;
        let inputs = config.noise + config.classes;
        let cells = BASE * BASE;
        let (fc_w, fc_b) = (take("fc.weight"), take("fc.bias"));
        // PyTorch's fc output index is channel-major (c, y, x); ours is (y, x, c).
        let ours = |o: usize| {
            let (c, p) = (o / cells, o % cells);
            p * c1 + c
        };
        let mut fc_noise = vec![0.0; config.noise * c1 * cells];
        let mut fc_class = vec![0.0; config.classes * c1 * cells];
        for o in 0..c1 * cells {
            for i in 0..config.noise {
                fc_noise[i * c1 * cells + ours(o)] = fc_w[o * inputs + i];
            }
            for k in 0..config.classes {
                fc_class[k * c1 * cells + ours(o)] = fc_w[o * inputs + config.noise + k] + fc_b[o];
            }
        }
        let w1 = take("up1.weight");
        let mut up1 = vec![0.0; KERNEL * KERNEL * c1 * c2];
        for ci in 0..c1 {
            for co in 0..c2 {
                for k in 0..KERNEL * KERNEL {
                    up1[(k * c1 + ci) * c2 + co] = w1[(ci * c2 + co) * KERNEL * KERNEL + k];
                }
            }
        }
        let w2 = take("up2.weight");
        let mut up2 = vec![0.0; KERNEL * KERNEL * c2];
        for ci in 0..c2 {
            for k in 0..KERNEL * KERNEL {
                up2[k * c2 + ci] = w2[ci * KERNEL * KERNEL + k];
            }
        }
        let up1_bias = take("up1.bias");
        let up2_bias = take("up2.bias")[0];
        Ok(Self {
            config: config.clone(),
            fc_noise,
            fc_class,
            up1,
            up1_bias,
            up2,
            up2_bias,
        })
    }

    /// The generator's output in [-1, 1] (row-major 28 x 28) for noise `z` and class `label`.
    pub fn generate_values(&self, z: &[f32], label: usize) -> Result<Vec<f32>, GanError> {
        let cfg = &self.config;
        if z.len() != cfg.noise || !z.iter().all(|v| v.is_finite()) {
            return Err(GanError::Input(format!(
                "z must be {} finite numbers",
                cfg.noise
            )));
        }
        if label >= cfg.classes {
            return Err(GanError::Input(format!(
                "the class must be below {}",
                cfg.classes
            )));
        }
        let [c1, c2] = cfg.channels;
        let n1 = BASE * BASE * c1;
        // Linear layer (the one-hot class picks a column), then ReLU: [7][7][c1].
        let mut h1 = self.fc_class[label * n1..(label + 1) * n1].to_vec();
        for (i, &zi) in z.iter().enumerate() {
            for (h, w) in h1.iter_mut().zip(&self.fc_noise[i * n1..(i + 1) * n1]) {
                *h += zi * *w;
            }
        }
        h1.iter_mut().for_each(|v| *v = v.max(0.0));
        // After the ReLU about half the inputs are zero: each input pixel keeps a list of its
        // non-zero channels, so the loops below skip the zeros without a branch.
        let mut nonzero: Vec<(usize, f32)> = Vec::with_capacity(n1);
        let mut starts = Vec::with_capacity(BASE * BASE + 1);
        for pixel in h1.chunks_exact(c1) {
            starts.push(nonzero.len());
            nonzero.extend(
                pixel
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| **a != 0.0)
                    .map(|(c, a)| (c, *a)),
            );
        }
        starts.push(nonzero.len());
        // Transposed convolution, stride 2, padding 1: out(2i - 1 + k) += in(i) * w(k). Each
        // output pixel gathers its 2 x 2 contributing (input pixel, tap) pairs.
        let side1 = 2 * BASE;
        let mut h2 = self.up1_bias.repeat(side1 * side1);
        for oy in 0..side1 {
            for ox in 0..side1 {
                let out = &mut h2[(oy * side1 + ox) * c2..(oy * side1 + ox + 1) * c2];
                for (iy, ky) in taps(oy, BASE) {
                    for (ix, kx) in taps(ox, BASE) {
                        let pixel = iy * BASE + ix;
                        let tap = ky * KERNEL + kx;
                        add_weighted_rows(
                            out,
                            &nonzero[starts[pixel]..starts[pixel + 1]],
                            &self.up1[tap * c1 * c2..(tap + 1) * c1 * c2],
                        );
                    }
                }
            }
        }
        h2.iter_mut().for_each(|v| *v = v.max(0.0));
        let side2 = 2 * side1;
        let mut out = vec![self.up2_bias; side2 * side2];
        for oy in 0..side2 {
            for ox in 0..side2 {
                let mut sum = self.up2_bias;
                for (iy, ky) in taps(oy, side1) {
                    for (ix, kx) in taps(ox, side1) {
                        let input = &h2[(iy * side1 + ix) * c2..(iy * side1 + ix + 1) * c2];
                        sum += dot(
                            input,
                            &self.up2[(ky * KERNEL + kx) * c2..(ky * KERNEL + kx + 1) * c2],
                        );
                    }
                }
                out[oy * side2 + ox] = sum;
            }
        }
        let gain = cfg.output_gain as f32;
        out.iter_mut()
            .for_each(|v| *v = (gain * v.tanh()).clamp(-1.0, 1.0));
        Ok(out)
    }

    /// Grey levels 0..=255 of the image for `z` and `label`.
    pub fn generate(&self, z: &[f32], label: usize) -> Result<Vec<u8>, GanError> {
        Ok(self
            .generate_values(z, label)?
            .iter()
            .map(|v| to_grey(*v))
            .collect())
    }

    /// A noise vector from N(0, I).
    pub fn noise(&self, rng: &mut SeededRng) -> Vec<f32> {
        (0..self.config.noise)
            .map(|_| rng.normal() as f32)
            .collect()
    }
}

pub fn to_grey(v: f32) -> u8 {
    ((v + 1.0) * 127.5).round().clamp(0.0, 255.0) as u8
}

/// out[c] += sum of a * w[ci][c] over the (ci, a) pairs, w being `[inputs][out.len()]`. Blocks
/// of `CHUNK` channels are summed in a local accumulator that stays in registers.
fn add_weighted_rows(out: &mut [f32], inputs: &[(usize, f32)], w: &[f32]) {
    let n = out.len();
    let blocked = n - n % CHUNK;
    for c0 in (0..blocked).step_by(CHUNK) {
        // Four rows of eight: the shape the compiler turns into vectors.
        let mut acc = [[0.0f32; 8]; CHUNK / 8];
        for (j, part) in acc.iter_mut().enumerate() {
            part.copy_from_slice(&out[c0 + 8 * j..c0 + 8 * j + 8]);
        }
        for &(ci, a) in inputs {
            let row = &w[ci * n + c0..ci * n + c0 + CHUNK];
            for (j, part) in acc.iter_mut().enumerate() {
                let r: &[f32; 8] = row[8 * j..8 * j + 8].try_into().unwrap();
                for l in 0..8 {
                    part[l] += a * r[l];
                }
            }
        }
        for (j, part) in acc.iter().enumerate() {
            out[c0 + 8 * j..c0 + 8 * j + 8].copy_from_slice(part);
        }
    }
    for c in blocked..n {
        let mut sum = out[c];
        for &(ci, a) in inputs {
            sum += a * w[ci * n + c];
        }
        out[c] = sum;
    }
}

/// A dot product with eight running sums, so the compiler can keep them in vector lanes.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = a.len() / 8;
    for c in 0..chunks {
        for l in 0..8 {
            acc[l] += a[c * 8 + l] * b[c * 8 + l];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for i in chunks * 8..a.len() {
        s += a[i] * b[i];
    }
    s
}
