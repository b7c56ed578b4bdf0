//! The Gated PixelCNN in candle: the one model definition used for training, for evaluation
//! and as the reference that every sampler (plain Rust, WGSL) is tested against.

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, D};

use super::config::ModelConfig;
use super::gate::gate;
use super::loss::pixel_nll;
use super::patches::{patches, Window};
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

    /// A weight stored in the usual [out, in, kh, kw] layout as the matrix that multiplies
    /// `patches`: [kh * kw * in, out].
    fn weight_matrix(&self, prefix: &str) -> CandleResult<Tensor> {
        let w = self.p(&format!("{prefix}.weight"))?;
        let (cout, cin, kh, kw) = w.dims4()?;
        w.permute((2, 3, 1, 0))?.reshape((kh * kw * cin, cout))
    }

    /// A 1x1 convolution with its bias over an NHWC tensor.
    fn conv1x1(&self, x: &Tensor, prefix: &str) -> CandleResult<Tensor> {
        let (batch, height, width, cin) = x.dims4()?;
        x.reshape((batch * height * width, cin))?
            .matmul(&self.weight_matrix(prefix)?)?
            .broadcast_add(self.p(&format!("{prefix}.bias"))?)?
            .reshape((batch, height, width, ()))
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
            // Every bias of a pre-activation folded into its per-class offset: [batch, 1, 1, 2C].
            let offset = |table: &str, biases: &[&str]| -> CandleResult<Tensor> {
                let mut per_class = self.p(&format!("{prefix}.{table}"))?.clone();
                for bias in biases {
                    per_class =
                        per_class.broadcast_add(self.p(&format!("{prefix}.{bias}.bias"))?)?;
                }
                per_class
                    .index_select(labels, 0)?
                    .reshape((batch, 1, 1, 2 * cfg.channels))
            };
            // Vertical stack: layer 0 sees rows r-kv..r-1 (kv rows of zeros on top, the last
            // row never read); later layers see rows r-kv+1..r of features that only see
            // rows above. Columns are centred.
            let at = |kernel_height, kernel_width, top, left| Window {
                kernel_height,
                kernel_width,
                top,
                left,
                out_height: height,
                out_width: width,
            };
            let v_window = at(kv, kw, if l == 0 { kv } else { kv - 1 }, kw / 2);
            let v_pre = patches(&v, v_window)?
                .matmul(&self.weight_matrix(&format!("{prefix}.v_conv"))?)?
                .reshape((batch, height, width, 2 * cfg.channels))?
                .broadcast_add(&offset("cond_v", &["v_conv"])?)?;
            // Horizontal stack: the same idea along the row, from the left only. Its
            // convolution and the 1x1 link from the vertical stack are one matrix product.
            let h_window = at(1, kh, 0, if l == 0 { kh } else { kh - 1 });
            let h_and_link = Tensor::cat(
                &[
                    patches(&h, h_window)?,
                    v_pre.reshape((batch * height * width, 2 * cfg.channels))?,
                ],
                1,
            )?;
            let h_and_link_weights = Tensor::cat(
                &[
                    self.weight_matrix(&format!("{prefix}.h_conv"))?,
                    self.weight_matrix(&format!("{prefix}.link"))?,
                ],
                0,
            )?;
            let h_pre = h_and_link
                .matmul(&h_and_link_weights)?
                .reshape((batch, height, width, 2 * cfg.channels))?
                .broadcast_add(&offset("cond_h", &["h_conv", "link"])?)?;
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
        self.conv1x1(&hidden, "head.out")
    }

    /// Negative log-likelihood in nats per pixel, one value per image: [batch].
    pub fn nll_per_image(&self, pixels: &Tensor, labels: &Tensor) -> CandleResult<Tensor> {
        let logits = self.forward(pixels, labels)?;
        let (batch, _, height, width) = pixels.dims4()?;
        let targets = pixels
            .to_dtype(DType::U32)?
            .flatten_all()?
            .to_vec1::<u32>()?;
        pixel_nll(&logits.reshape((batch * height * width, ()))?, targets)?
            .reshape((batch, height * width))?
            .mean(D::Minus1)
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
