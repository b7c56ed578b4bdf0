//! A variational autoencoder with a 2-D latent code, in plain Rust: the encoder q(z | x), the
//! decoder p(x | z) (a discretized logistic over the 256 grey levels per pixel, the same
//! discrete pixels as the PixelCNN's likelihood), and the ELBO's two terms.
//!
//! The weights are trained and exported by PyTorch (`train/vae.py`); the fixture it writes is
//! reproduced by `tests/vae.rs`. The expectation in the reconstruction term is taken with
//! Gauss-Hermite quadrature over the posterior, so the bound is a deterministic number that
//! PyTorch and Rust agree on.

mod posterior;
mod quadrature;

use serde::{Deserialize, Serialize};

use crate::pixelcnn::weights::{check_card, load_with_shapes, WeightsError};
use crate::rng::SeededRng;
pub use posterior::{log_normal, Grid, TruePosterior, PLANE};
pub use quadrature::gauss_hermite;

pub const CARD_FORMAT: &str = "genmodels-vae/1";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaeError {
    #[error("the VAE weights: {0}")]
    File(#[from] WeightsError),
    #[error("the VAE model card is not valid: {0}")]
    Card(String),
    #[error("{0}")]
    Input(String),
}

/// The architecture, as the model card gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeConfig {
    pub height: usize,
    pub width: usize,
    pub levels: usize,
    pub latent: usize,
    /// Hidden layer sizes of the encoder (from the image) and the decoder (from the code).
    pub encoder: Vec<usize>,
    pub decoder: Vec<usize>,
    /// Gauss-Hermite nodes per latent axis for the reconstruction term.
    pub quadrature: usize,
}

impl VaeConfig {
    pub fn pixels(&self) -> usize {
        self.height * self.width
    }

    fn validate(&self) -> Result<(), String> {
        if self.latent != 2 {
            return Err(format!(
                "the latent code must be 2-D (it is {}-D)",
                self.latent
            ));
        }
        if self.height == 0 || self.height > 64 || self.width == 0 || self.width > 64 {
            return Err("height and width must be 1..=64".into());
        }
        if self.levels != 256 {
            return Err("the decoder's pixels must have 256 levels".into());
        }
        let sizes_ok = |s: &[usize]| {
            !s.is_empty() && s.len() <= 4 && s.iter().all(|&n| (1..=1024).contains(&n))
        };
        if !sizes_ok(&self.encoder) || !sizes_ok(&self.decoder) {
            return Err("1 to 4 hidden layers of 1..=1024 units each".into());
        }
        if !(1..=16).contains(&self.quadrature) {
            return Err("quadrature must be 1..=16 nodes per axis".into());
        }
        Ok(())
    }

    /// Every tensor with its shape ([out, in] for dense layers), in a fixed order.
    pub fn parameter_shapes(&self) -> Vec<(String, Vec<usize>)> {
        let mut out = Vec::new();
        let mut dense = |prefix: String, inputs: usize, outputs: usize| {
            out.push((format!("{prefix}.weight"), vec![outputs, inputs]));
            out.push((format!("{prefix}.bias"), vec![outputs]));
        };
        let mut inputs = self.pixels();
        for (i, &n) in self.encoder.iter().enumerate() {
            dense(format!("encoder.{i}"), inputs, n);
            inputs = n;
        }
        dense("encoder.out".into(), inputs, 2 * self.latent);
        inputs = self.latent;
        for (i, &n) in self.decoder.iter().enumerate() {
            dense(format!("decoder.{i}"), inputs, n);
            inputs = n;
        }
        dense("decoder.out".into(), inputs, self.pixels());
        out.push(("decoder.log_scale".into(), vec![self.pixels()]));
        out
    }

    pub fn parameter_count(&self) -> usize {
        self.parameter_shapes()
            .iter()
            .map(|(_, s)| s.iter().product::<usize>())
            .sum()
    }
}

/// What the JSON beside the weights says about them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VaeCard {
    pub format: String,
    pub name: String,
    pub title: String,
    pub config: VaeConfig,
    pub parameters: usize,
    #[serde(default)]
    pub evaluation: serde_json::Value,
    #[serde(default)]
    pub training: serde_json::Value,
    #[serde(default)]
    pub data: serde_json::Value,
}

impl VaeCard {
    pub fn parse(text: &str) -> Result<Self, VaeError> {
        let card: VaeCard =
            serde_json::from_str(text).map_err(|e| VaeError::Card(e.to_string()))?;
        card.config.validate().map_err(VaeError::Card)?;
        check_card(
            &card.format,
            CARD_FORMAT,
            card.parameters,
            card.config.parameter_count(),
        )
        .map_err(VaeError::Card)?;
        Ok(card)
    }
}

/// A dense layer, weights stored [in][out] so a step is contiguous row updates.
#[derive(Debug, Clone)]
struct Dense {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
}

impl Dense {
    fn apply(&self, x: &[f32], relu: bool) -> Vec<f32> {
        let n = self.b.len();
        let mut y = self.b.clone();
        for (i, &xi) in x.iter().enumerate().take(self.inputs) {
            if xi == 0.0 {
                continue; // ReLU zeros and black pixels cost nothing
            }
            for (yo, wo) in y.iter_mut().zip(&self.w[i * n..(i + 1) * n]) {
                *yo += xi * wo;
            }
        }
        if relu {
            y.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        y
    }
}

/// The posterior q(z | x) = N(mu, diag(exp(logvar))).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Posterior {
    pub mu: [f32; 2],
    pub logvar: [f32; 2],
}

impl Posterior {
    pub fn sigma(&self) -> [f32; 2] {
        [(0.5 * self.logvar[0]).exp(), (0.5 * self.logvar[1]).exp()]
    }

    /// KL(q || N(0, I)) in nats, in closed form.
    pub fn kl_to_prior(&self) -> f64 {
        (0..2)
            .map(|i| {
                let (m, lv) = (self.mu[i] as f64, self.logvar[i] as f64);
                0.5 * (m * m + lv.exp() - 1.0 - lv)
            })
            .sum()
    }

    /// The reparameterisation: z = mu + sigma * eps.
    pub fn reparameterise(&self, eps: [f32; 2]) -> [f32; 2] {
        let s = self.sigma();
        [self.mu[0] + s[0] * eps[0], self.mu[1] + s[1] * eps[1]]
    }
}

/// The ELBO of one image and its two terms, in nats (and the bound in bits per pixel).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Elbo {
    /// E_q[log p(x | z)]: how well the codes the encoder proposes explain the image.
    pub reconstruction: f64,
    /// KL(q(z | x) || p(z)): what the code costs against the prior.
    pub kl: f64,
    /// reconstruction - kl: a lower bound on log p(x).
    pub elbo: f64,
    /// -elbo / (pixels ln 2): an upper bound on the image's bits per pixel.
    pub bits_per_dim: f64,
}

#[derive(Debug, Clone)]
pub struct Vae {
    pub config: VaeConfig,
    encoder: Vec<Dense>,
    encoder_out: Dense,
    decoder: Vec<Dense>,
    decoder_out: Dense,
    log_scale: Vec<f32>,
}

fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// log P(x) of a grey level x in 0..=255 under a logistic with `mean` and `log_scale` on
/// [-1, 1], binned into 256 levels (the bins of 0 and 255 take the tails): PixelCNN++'s
/// pixel distribution, computed as the PyTorch code does.
pub fn discretized_logistic_log_prob(x: u8, mean: f32, log_scale: f32) -> f64 {
    let log_scale = (log_scale as f64).max(-7.0);
    let centered = x as f64 / 127.5 - 1.0 - mean as f64;
    let inv_s = (-log_scale).exp();
    let plus_in = inv_s * (centered + 1.0 / 255.0);
    let min_in = inv_s * (centered - 1.0 / 255.0);
    match x {
        0 => plus_in - softplus(plus_in),
        255 => -softplus(min_in),
        _ => {
            let delta = sigmoid(plus_in) - sigmoid(min_in);
            if delta > 1e-5 {
                delta.max(1e-12).ln()
            } else {
                let mid = inv_s * centered;
                mid - log_scale - 2.0 * softplus(mid) - 127.5f64.ln()
            }
        }
    }
}

impl Vae {
    /// Loads the weights, checking them against the card's architecture (the reader refuses
    /// NaN and infinite values).
    pub fn from_safetensors(bytes: &[u8], config: &VaeConfig) -> Result<Self, VaeError> {
        let mut tensors = load_with_shapes(bytes, config.parameter_shapes())?;
        // Every name below is in `parameter_shapes`, so the loader has checked it is there.
        let mut take = |name: &str| tensors.remove(name).unwrap_or_default();
        let mut dense = |prefix: &str| -> Dense {
            let w = take(&format!("{prefix}.weight"));
            let b = take(&format!("{prefix}.bias"));
            let (outputs, inputs) = (b.len(), w.len() / b.len());
            // [out][in] -> [in][out]
            let mut t = vec![0.0; w.len()];
            for o in 0..outputs {
                for i in 0..inputs {
                    t[i * outputs + o] = w[o * inputs + i];
                }
            }
            Dense { w: t, b, inputs }
        };
        let encoder = (0..config.encoder.len())
            .map(|i| dense(&format!("encoder.{i}")))
            .collect();
        let encoder_out = dense("encoder.out");
        let decoder = (0..config.decoder.len())
            .map(|i| dense(&format!("decoder.{i}")))
            .collect();
        let decoder_out = dense("decoder.out");
        let log_scale = take("decoder.log_scale");
        Ok(Self {
            config: config.clone(),
            encoder,
            encoder_out,
            decoder,
            decoder_out,
            log_scale,
        })
    }

    fn check_image(&self, pixels: &[u8]) -> Result<(), VaeError> {
        if pixels.len() != self.config.pixels() {
            return Err(VaeError::Input(format!(
                "an image must have {} pixels ({} x {}), got {}",
                self.config.pixels(),
                self.config.height,
                self.config.width,
                pixels.len()
            )));
        }
        Ok(())
    }

    /// q(z | x) of an image of grey levels 0..=255.
    pub fn encode(&self, pixels: &[u8]) -> Result<Posterior, VaeError> {
        self.check_image(pixels)?;
        let mut h: Vec<f32> = pixels.iter().map(|&p| p as f32 / 127.5 - 1.0).collect();
        for layer in &self.encoder {
            h = layer.apply(&h, true);
        }
        let out = self.encoder_out.apply(&h, false);
        Ok(Posterior {
            mu: [out[0], out[1]],
            logvar: [out[2], out[3]],
        })
    }

    /// The decoder's mean of every pixel, on [-1, 1] (unclamped), for a latent point.
    pub fn decode_means(&self, z: [f32; 2]) -> Vec<f32> {
        let mut h = z.to_vec();
        for layer in &self.decoder {
            h = layer.apply(&h, true);
        }
        self.decoder_out.apply(&h, false)
    }

    /// The decoded image to show: each pixel's mean as a grey level.
    pub fn decode_image(&self, z: [f32; 2]) -> Vec<u8> {
        self.decode_means(z)
            .iter()
            .map(|&m| ((m + 1.0) * 127.5).round().clamp(0.0, 255.0) as u8)
            .collect()
    }

    /// log p(x | z) in nats: the sum of every pixel's discretized-logistic log-probability.
    pub fn log_likelihood(&self, pixels: &[u8], z: [f32; 2]) -> Result<f64, VaeError> {
        self.check_image(pixels)?;
        let means = self.decode_means(z);
        Ok(pixels
            .iter()
            .zip(&means)
            .zip(&self.log_scale)
            .map(|((&x, &m), &s)| discretized_logistic_log_prob(x, m, s))
            .sum())
    }

    /// log p(x | z) for many codes (the grid posterior's inner loop; the image is checked by
    /// the caller).
    fn log_likelihoods(&self, pixels: &[u8], zs: &[[f32; 2]]) -> Vec<f64> {
        zs.iter()
            .map(|&z| {
                let means = self.decode_means(z);
                pixels
                    .iter()
                    .zip(&means)
                    .zip(&self.log_scale)
                    .map(|((&x, &m), &s)| discretized_logistic_log_prob(x, m, s))
                    .sum()
            })
            .collect()
    }

    /// The ELBO of an image: E_q[log p(x|z)] by Gauss-Hermite quadrature, minus the KL.
    pub fn elbo(&self, pixels: &[u8]) -> Result<Elbo, VaeError> {
        let q = self.encode(pixels)?;
        let (nodes, weights) = gauss_hermite(self.config.quadrature);
        let mut reconstruction = 0.0;
        for (xi, wi) in nodes.iter().zip(&weights) {
            for (xj, wj) in nodes.iter().zip(&weights) {
                let z = q.reparameterise([*xi as f32, *xj as f32]);
                reconstruction += wi * wj * self.log_likelihood(pixels, z)?;
            }
        }
        let kl = q.kl_to_prior();
        let elbo = reconstruction - kl;
        Ok(Elbo {
            reconstruction,
            kl,
            elbo,
            bits_per_dim: -elbo / (self.config.pixels() as f64 * std::f64::consts::LN_2),
        })
    }

    /// Standard-normal draws for the reparameterisation, from a seed (the same on every run).
    pub fn normal_draws(seed: u64, count: usize) -> Vec<[f32; 2]> {
        let mut rng = SeededRng::new(seed);
        (0..count)
            .map(|_| [rng.normal() as f32, rng.normal() as f32])
            .collect()
    }
}
