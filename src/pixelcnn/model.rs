//! The Gated PixelCNN in candle: the Rust reference forward pass. It is built from candle's
//! own convolutions (not from the samplers' hand-written loops), so it is an independent
//! check: every sampler (plain Rust, WGSL) is tested against it, and it is tested against the
//! logits PyTorch computed when it trained the shipped weights (`models/*-fixture.safetensors`).

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, D};

use super::config::ModelConfig;
use crate::rng::SeededRng;

pub type CandleResult<T> = candle_core::Result<T>;

/// A Gated PixelCNN whose parameters are candle tensors.
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

/// tanh(first half of the channels) * sigmoid(second half), over NCHW.
fn gate(x: &Tensor) -> CandleResult<Tensor> {
    let c = x.dim(1)? / 2;
    let sigmoid = (x.narrow(1, c, c)?.neg()?.exp()? + 1.0)?.recip()?;
    x.narrow(1, 0, c)?.tanh()? * sigmoid
}

impl GatedPixelCnn {
    /// Random parameters: weights ~ N(0, 1/fan_in), biases and class embeddings zero (tests).
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

    /// The model with the given f32 tensors (checked by `weights::load_checked`).
    pub fn from_tensors(
        config: &ModelConfig,
        tensors: &BTreeMap<String, Vec<f32>>,
    ) -> CandleResult<Self> {
        let mut params = BTreeMap::new();
        for (name, shape) in config.parameter_shapes() {
            let values = tensors
                .get(&name)
                .ok_or_else(|| candle_core::Error::Msg(format!("missing parameter {name}")))?;
            params.insert(name, Tensor::from_vec(values.clone(), shape, &Device::Cpu)?);
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

    /// A 1x1 convolution with its bias over an NCHW tensor.
    fn conv1x1(&self, x: &Tensor, prefix: &str) -> CandleResult<Tensor> {
        x.conv2d(self.p(&format!("{prefix}.weight"))?, 0, 1, 1, 1)?
            .broadcast_add(&self.p(&format!("{prefix}.bias"))?.reshape((1, (), 1, 1))?)
    }

    /// Logits of shape [batch, height, width, levels] for pixels [batch, 1, height, width]
    /// (integers 0..levels in any dtype) and class labels [batch] (u32).
    pub fn forward(&self, pixels: &Tensor, labels: &Tensor) -> CandleResult<Tensor> {
        let cfg = &self.config;
        let (batch, _, height, width) = pixels.dims4()?;
        let x = normalise_pixels(pixels, cfg.levels)?;
        let mut v = x.clone();
        let mut h = x;
        let mut skip: Option<Tensor> = None;
        for l in 0..cfg.layers {
            let (kv, kw) = cfg.vertical_kernel(l);
            let kh = cfg.horizontal_kernel(l);
            let d = cfg.dilation(l);
            let prefix = format!("layers.{l}");
            // Every bias of a pre-activation added to its per-class offset: [batch, 2C, 1, 1].
            let offset = |table: &str, biases: &[&str]| -> CandleResult<Tensor> {
                let mut per_class = self.p(&format!("{prefix}.{table}"))?.clone();
                for bias in biases {
                    per_class =
                        per_class.broadcast_add(self.p(&format!("{prefix}.{bias}.bias"))?)?;
                }
                per_class
                    .index_select(labels, 0)?
                    .reshape((batch, 2 * cfg.channels, 1, 1))
            };
            let v_weight = self.p(&format!("{prefix}.v_conv.weight"))?;
            let h_weight = self.p(&format!("{prefix}.h_conv.weight"))?;
            // Causality comes from padding on one side only. Layer 0 sees rows r-kv..r-1 (kv
            // rows of zeros on top, the last output row dropped) and columns c-kh..c-1; later
            // layers rows r-(kv-1)d..r and columns c-(kh-1)d..c. Vertical columns are centred.
            let (v_pre, h_conv) = if l == 0 {
                let v_pre = v
                    .pad_with_zeros(2, kv, 0)?
                    .pad_with_zeros(3, kw / 2, kw / 2)?
                    .conv2d(v_weight, 0, 1, 1, 1)?
                    .narrow(2, 0, height)?;
                let h_conv = h
                    .pad_with_zeros(3, kh, 0)?
                    .conv2d(h_weight, 0, 1, 1, 1)?
                    .narrow(3, 0, width)?;
                (v_pre, h_conv)
            } else {
                let v_pre = v
                    .pad_with_zeros(2, (kv - 1) * d, 0)?
                    .pad_with_zeros(3, (kw / 2) * d, (kw / 2) * d)?
                    .conv2d(v_weight, 0, 1, d, 1)?;
                let h_conv = h
                    .pad_with_zeros(3, (kh - 1) * d, 0)?
                    .conv2d(h_weight, 0, 1, d, 1)?;
                (v_pre, h_conv)
            };
            let v_pre = v_pre.broadcast_add(&offset("cond_v", &["v_conv"])?)?;
            let link = v_pre.conv2d(self.p(&format!("{prefix}.link.weight"))?, 0, 1, 1, 1)?;
            let h_pre = (h_conv + link)?.broadcast_add(&offset("cond_h", &["h_conv", "link"])?)?;
            let gated = gate(&h_pre)?;
            let h_out = self.conv1x1(&gated, &format!("{prefix}.h_out"))?;
            h = if l == 0 { h_out } else { (h + h_out)? };
            let s = self.conv1x1(&gated, &format!("{prefix}.skip"))?;
            skip = Some(match skip {
                None => s,
                Some(acc) => (acc + s)?,
            });
            v = gate(&v_pre)?;
        }
        let skip = skip.expect("at least one layer");
        let hidden = self.conv1x1(&skip.relu()?, "head.hidden")?.relu()?;
        self.conv1x1(&hidden, "head.out")?.permute((0, 2, 3, 1))
    }

    /// Negative log-likelihood in nats per pixel, one value per image: [batch].
    pub fn nll_per_image(&self, pixels: &Tensor, labels: &Tensor) -> CandleResult<Tensor> {
        let logits = self.forward(pixels, labels)?;
        let (batch, _, height, width) = pixels.dims4()?;
        let logits = logits.reshape((batch * height * width, ()))?;
        let max = logits.max_keepdim(D::Minus1)?;
        let log_sum_exp = (logits
            .broadcast_sub(&max)?
            .exp()?
            .sum_keepdim(D::Minus1)?
            .log()?
            + &max)?;
        let targets = pixels
            .to_dtype(DType::U32)?
            .reshape((batch * height * width, 1))?;
        let picked = logits.gather(&targets, 1)?;
        (log_sum_exp - picked)?
            .reshape((batch, height * width))?
            .mean(D::Minus1)
    }
}
