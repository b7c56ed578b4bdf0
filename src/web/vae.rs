//! The variational autoencoder for the VAE tab: decode a point of the latent plane, encode an
//! image, the ELBO's two terms, the reparameterisation, interpolation and prior samples.

use js_sys::{Float32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{seed32, to_js, whole};
use crate::vae::{Vae, VaeCard};

/// Largest |coordinate| of a latent point accepted from JavaScript (the prior is N(0, I)).
const LATENT_LIMIT: f64 = 100.0;
/// Most images one call decodes (grids, paths, samples).
const MAX_IMAGES: usize = 400;
/// Largest side of a manifold grid (MAX_IMAGES decodings).
const MAX_GRID_SIDE: usize = 20;

fn vae_err(e: crate::vae::VaeError) -> JsError {
    JsError::new(&e.to_string())
}

fn latent(x: f64, y: f64) -> Result<[f32; 2], JsError> {
    if !x.is_finite() || !y.is_finite() || x.abs() > LATENT_LIMIT || y.abs() > LATENT_LIMIT {
        return Err(JsError::new(&format!(
            "a latent point needs finite coordinates within ±{LATENT_LIMIT}, got ({x}, {y})"
        )));
    }
    Ok([x as f32, y as f32])
}

#[derive(Serialize)]
struct Encoded {
    mu: [f32; 2],
    sigma: [f32; 2],
    reconstruction: f64,
    kl: f64,
    elbo: f64,
    bits_per_dim: f64,
}

#[derive(Serialize)]
struct Reparameterised {
    eps: [f32; 2],
    sigma_eps: [f32; 2],
    z: [f32; 2],
}

/// A pretrained VAE with a 2-D latent code.
#[wasm_bindgen]
pub struct VaeDemo {
    card: VaeCard,
    vae: Vae,
}

#[wasm_bindgen]
impl VaeDemo {
    /// Loads the model from its safetensors bytes and its model card (JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(weights_bytes: &[u8], card_json: &str) -> Result<VaeDemo, JsError> {
        let card = VaeCard::parse(card_json).map_err(vae_err)?;
        let vae = Vae::from_safetensors(weights_bytes, &card.config).map_err(vae_err)?;
        Ok(VaeDemo { card, vae })
    }

    pub fn card(&self) -> Result<JsValue, JsError> {
        to_js(&self.card)
    }

    /// The decoded image (grey levels, row-major) at latent point (x, y).
    pub fn decode(&self, x: f64, y: f64) -> Result<Uint8Array, JsError> {
        Ok(Uint8Array::from(&self.vae.decode_image(latent(x, y)?)[..]))
    }

    /// Decodings over the square [-extent, extent]^2, `side` x `side` images, top row first
    /// (y decreasing, as the plane is drawn): the manifold figure.
    pub fn manifold(&self, side: f64, extent: f64) -> Result<Uint8Array, JsError> {
        let side = whole(side, "the grid side", 1, MAX_GRID_SIDE)?;
        if !extent.is_finite() || extent <= 0.0 || extent > LATENT_LIMIT {
            return Err(JsError::new(&format!(
                "the extent must be above 0 and at most {LATENT_LIMIT}, got {extent}"
            )));
        }
        let mut out = Vec::with_capacity(side * side * self.vae.config.pixels());
        for row in 0..side {
            for col in 0..side {
                let at = |i: usize| {
                    if side == 1 {
                        0.0
                    } else {
                        -extent + 2.0 * extent * i as f64 / (side - 1) as f64
                    }
                };
                out.extend(self.vae.decode_image([at(col) as f32, -at(row) as f32]));
            }
        }
        Ok(Uint8Array::from(&out[..]))
    }

    /// The posterior of an image and its ELBO: { mu, sigma, reconstruction, kl, elbo, bits_per_dim }.
    pub fn encode(&self, pixels: &[u8]) -> Result<JsValue, JsError> {
        let q = self.vae.encode(pixels).map_err(vae_err)?;
        let e = self.vae.elbo(pixels).map_err(vae_err)?;
        to_js(&Encoded {
            mu: q.mu,
            sigma: q.sigma(),
            reconstruction: e.reconstruction,
            kl: e.kl,
            elbo: e.elbo,
            bits_per_dim: e.bits_per_dim,
        })
    }

    /// The true posterior p(z | x) of an image on a grid (side x side cells, zoomed onto its
    /// mass) and ln p(x), beside the ELBO: { lo: [z1, z2], hi: [z1, z2], side, density
    /// (Float32Array, rows from lo[1] up), logEvidence, elbo, gap, kl, bitsPerDim, grids }. The
    /// gap ln p(x) - ELBO and KL(q || p(z | x)) are computed separately: they agree.
    #[wasm_bindgen(js_name = truePosterior)]
    pub fn true_posterior(&self, pixels: &[u8], side: f64) -> Result<JsValue, JsError> {
        let side = whole(side, "the grid side", 8, 128)?;
        let post = self.vae.true_posterior(pixels, side).map_err(vae_err)?;
        let q = self.vae.encode(pixels).map_err(vae_err)?;
        let elbo = self.vae.elbo(pixels).map_err(vae_err)?;
        let g = &post.zoomed;
        let density: Vec<f32> = post.density(g).iter().map(|&d| d as f32).collect();
        let bits = -post.log_evidence / (self.vae.config.pixels() as f64 * std::f64::consts::LN_2);
        let out = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &k.into(), &v).map(|_| ());
        let pair = |p: [f64; 2]| js_sys::Float64Array::from(&p[..]).into();
        set("lo", pair(g.lo))
            .and(set("hi", pair(g.hi)))
            .and(set("side", (g.side as f64).into()))
            .and(set("density", Float32Array::from(&density[..]).into()))
            .and(set("logEvidence", post.log_evidence.into()))
            .and(set("elbo", elbo.elbo.into()))
            .and(set("gap", (post.log_evidence - elbo.elbo).into()))
            .and(set("kl", post.kl_from(&q).into()))
            .and(set("bitsPerDim", bits.into()))
            .and(set("grids", (post.rounds as f64).into()))
            .map_err(|_| JsError::new("could not build the posterior's result"))?;
        Ok(out.into())
    }

    /// The reparameterisation for an image, step by step: `count` draws eps ~ N(0, I) from
    /// `seed`, sigma * eps, and z = mu + sigma * eps: [{ eps, sigma_eps, z }].
    pub fn reparameterise(
        &self,
        pixels: &[u8],
        count_: f64,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        let n = whole(count_, "the number of samples", 1, MAX_IMAGES)?;
        let q = self.vae.encode(pixels).map_err(vae_err)?;
        let sigma = q.sigma();
        let steps: Vec<Reparameterised> = Vae::normal_draws(u64::from(seed32(seed)?), n)
            .into_iter()
            .map(|eps| Reparameterised {
                eps,
                sigma_eps: [sigma[0] * eps[0], sigma[1] * eps[1]],
                z: q.reparameterise(eps),
            })
            .collect();
        to_js(&steps)
    }

    /// Decodings of `count` draws z ~ N(0, I) from `seed`: images one after another, then
    /// their latent points in `priorPoints`.
    #[wasm_bindgen(js_name = priorSamples)]
    pub fn prior_samples(&self, count_: f64, seed: f64) -> Result<Uint8Array, JsError> {
        let n = whole(count_, "the number of samples", 1, MAX_IMAGES)?;
        let mut out = Vec::with_capacity(n * self.vae.config.pixels());
        for z in Vae::normal_draws(u64::from(seed32(seed)?), n) {
            out.extend(self.vae.decode_image(z));
        }
        Ok(Uint8Array::from(&out[..]))
    }

    /// The latent points of `priorSamples(count, seed)`: x0, y0, x1, y1, ...
    #[wasm_bindgen(js_name = priorPoints)]
    pub fn prior_points(&self, count_: f64, seed: f64) -> Result<Float32Array, JsError> {
        let n = whole(count_, "the number of samples", 1, MAX_IMAGES)?;
        let flat: Vec<f32> = Vae::normal_draws(u64::from(seed32(seed)?), n)
            .into_iter()
            .flatten()
            .collect();
        Ok(Float32Array::from(&flat[..]))
    }

    /// Decodings at `steps` evenly spaced points from the posterior mean of image `a` to that
    /// of image `b` (both ends included): images one after another.
    pub fn interpolate(&self, a: &[u8], b: &[u8], steps: f64) -> Result<Uint8Array, JsError> {
        let n = whole(steps, "the number of steps", 2, MAX_IMAGES)?;
        let (qa, qb) = (
            self.vae.encode(a).map_err(vae_err)?,
            self.vae.encode(b).map_err(vae_err)?,
        );
        let mut out = Vec::with_capacity(n * self.vae.config.pixels());
        for i in 0..n {
            let t = i as f32 / (n - 1) as f32;
            let z = [
                qa.mu[0] + t * (qb.mu[0] - qa.mu[0]),
                qa.mu[1] + t * (qb.mu[1] - qa.mu[1]),
            ];
            out.extend(self.vae.decode_image(z));
        }
        Ok(Uint8Array::from(&out[..]))
    }
}
