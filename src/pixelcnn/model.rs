//! The Gated PixelCNN in candle: the one model definition used for training, for evaluation
//! and as the reference that every sampler (plain Rust, WGSL) is tested against.

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, D};

use super::config::ModelConfig;
use crate::rng::SeededRng;

pub type CandleResult<T> = candle_core::Result<T>;

/// A Gated PixelCNN whose parameters are candle tensors (plain or `Var`s while training).
#[derive(Clone)]
pub struct GatedPixelCnn {
    pub config: ModelConfig,
    pub params: BTreeMap<String, Tensor>,
}

/// Pixels in 0..levels mapped to the network's input range [-1, 1].
pub fn normalise_pixels(pixels: &Tensor, levels: usize) -> CandleResult<Tensor> {
    pixels
        .to_dtype(DType::F32)?
        .affine(2.0 / (levels as f64 - 1.0), -1.0)
}

fn gate(pre: &Tensor) -> CandleResult<Tensor> {
    let halves = pre.chunk(2, 3)?;
    // sigmoid(b) = (tanh(b/2) + 1) / 2 keeps to ops with well-tested gradients.
    let sigmoid = halves[1].affine(0.5, 0.0)?.tanh()?.affine(0.5, 0.5)?;
    halves[0].tanh()? * sigmoid
}

impl GatedPixelCnn {
    /// Fresh parameters: weights ~ N(0, 1/fan_in), biases and class embeddings zero.
    pub fn init(config: &ModelConfig, seed: u64, device: &Device) -> CandleResult<Self> {
        let mut rng = SeededRng::new(seed);
        let mut params = BTreeMap::new();
        for (name, shape) in config.parameter_shapes() {
            let len: usize = shape.iter().product();
            let data: Vec<f32> = if name.ends_with(".weight") {
                let fan_in: usize = shape[1..].iter().product();
                let std = (1.0 / fan_in as f64).sqrt();
                (0..len).map(|_| (rng.normal() * std) as f32).collect()
            } else {
                vec![0.0; len]
            };
            params.insert(name, Tensor::from_vec(data, shape, device)?);
        }
        Ok(Self {
            config: config.clone(),
            params,
        })
    }

    fn p(&self, name: &str) -> CandleResult<&Tensor> {
        self.params
            .get(name)
            .ok_or_else(|| candle_core::Error::Msg(format!("missing parameter {name}")))
    }

    /// A convolution over an already padded NHWC tensor, written as patches x matmul: candle's
    /// CPU conv2d backward is a naive loop, while this form trains several times faster.
    /// Weights are stored in the usual [out, in, kh, kw] layout.
    fn conv(&self, x: &Tensor, prefix: &str) -> CandleResult<Tensor> {
        let w = self.p(&format!("{prefix}.weight"))?;
        let b = self.p(&format!("{prefix}.bias"))?;
        let (cout, cin, kh, kw) = w.dims4()?;
        let (batch, hp, wp, _) = x.dims4()?;
        let (ho, wo) = (hp - kh + 1, wp - kw + 1);
        let patches = if kh == 1 && kw == 1 {
            x.clone()
        } else {
            let mut shifted = Vec::with_capacity(kh * kw);
            for dy in 0..kh {
                for dx in 0..kw {
                    shifted.push(x.narrow(1, dy, ho)?.narrow(2, dx, wo)?);
                }
            }
            Tensor::cat(&shifted, 3)?
        };
        let wmat = w.permute((2, 3, 1, 0))?.reshape((kh * kw * cin, cout))?;
        patches
            .reshape((batch * ho * wo, kh * kw * cin))?
            .matmul(&wmat)?
            .broadcast_add(b)?
            .reshape((batch, ho, wo, cout))
    }

    /// Logits of shape [batch, height, width, levels] for pixels [batch, 1, height, width]
    /// (integers 0..levels in any dtype) and class labels [batch] (u32).
    pub fn forward(&self, pixels: &Tensor, labels: &Tensor) -> CandleResult<Tensor> {
        let cfg = &self.config;
        let (batch, _, height, width) = pixels.dims4()?;
        let x = normalise_pixels(pixels, cfg.levels)?.reshape((batch, height, width, 1))?;
        let mut v = x.clone();
        let mut h = x;
        let mut skip: Option<Tensor> = None;
        for l in 0..cfg.layers {
            let (kv, kw) = cfg.vertical_kernel(l);
            let kh = cfg.horizontal_kernel(l);
            let prefix = format!("layers.{l}");
            let embed = |name: &str| -> CandleResult<Tensor> {
                let table = self.p(&format!("{prefix}.{name}"))?;
                table
                    .index_select(labels, 0)?
                    .reshape((batch, 1, 1, 2 * cfg.channels))
            };
            // Vertical stack: layer 0 sees rows r-kv..r-1 (pad kv on top, drop the last
            // row); later layers see rows r-kv+1..r of features that only see rows above.
            let v_in = if l == 0 {
                v.pad_with_zeros(1, kv, 0)?.narrow(1, 0, height + kv - 1)?
            } else {
                v.pad_with_zeros(1, kv - 1, 0)?
            };
            let v_pre = self
                .conv(
                    &v_in.pad_with_zeros(2, kw / 2, kw / 2)?,
                    &format!("{prefix}.v_conv"),
                )?
                .broadcast_add(&embed("cond_v")?)?;
            // Horizontal stack: the same idea along the row, padding on the left only.
            let h_in = if l == 0 {
                h.pad_with_zeros(2, kh, 0)?.narrow(2, 0, width + kh - 1)?
            } else {
                h.pad_with_zeros(2, kh - 1, 0)?
            };
            let h_pre = (self.conv(&h_in, &format!("{prefix}.h_conv"))?
                + self.conv(&v_pre, &format!("{prefix}.link"))?)?
            .broadcast_add(&embed("cond_h")?)?;
            let gated = gate(&h_pre)?;
            let h_out = self.conv(&gated, &format!("{prefix}.h_out"))?;
            h = if l == 0 { h_out } else { (h + h_out)? };
            let s = self.conv(&gated, &format!("{prefix}.skip"))?;
            skip = Some(match skip {
                None => s,
                Some(acc) => (acc + s)?,
            });
            v = gate(&v_pre)?;
        }
        let skip = skip.expect("at least one layer");
        let hidden = self.conv(&skip.relu()?, "head.hidden")?.relu()?;
        self.conv(&hidden, "head.out")
    }

    /// Negative log-likelihood in nats per pixel, one value per image: [batch].
    pub fn nll_per_image(&self, pixels: &Tensor, labels: &Tensor) -> CandleResult<Tensor> {
        let logits = self.forward(pixels, labels)?;
        let log_probs = logits.broadcast_sub(&logits.log_sum_exp(3)?.unsqueeze(3)?)?;
        let (batch, _, height, width) = pixels.dims4()?;
        let targets = pixels
            .to_dtype(DType::U32)?
            .reshape((batch, height, width, 1))?;
        let picked = log_probs.gather(&targets, 3)?;
        picked.flatten_from(1)?.mean(D::Minus1)?.neg()
    }

    /// A copy whose tensors are detached from any autograd graph (for evaluation).
    pub fn detached(&self) -> Self {
        Self {
            config: self.config.clone(),
            params: self
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.detach()))
                .collect(),
        }
    }
}
