//! The PixelCNN on the CPU for the PixelCNN tab: cached or naive sampling, likelihoods.

use std::sync::Arc;

use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{seed32, to_js, whole};
use crate::pixelcnn::config::ReceptiveFields;
use crate::pixelcnn::cpu::{
    self, CachedSampler, CpuModel, NaiveSampler, PixelSampler, SampleRequest,
};
use crate::pixelcnn::weights::{self, ModelCard};

/// A pretrained PixelCNN on the CPU: cached or naive sampling, likelihoods.
#[wasm_bindgen]
pub struct PixelCnnDemo {
    pub(super) card: ModelCard,
    pub(super) model: Arc<CpuModel>,
    sampler: Option<Box<dyn PixelSampler>>,
    temperature: f32,
    /// Every pixel's receptive field, computed on the first request (they depend only on the
    /// architecture).
    fields: Option<ReceptiveFields>,
}

#[wasm_bindgen]
impl PixelCnnDemo {
    /// Loads a model from its safetensors bytes and its model card (JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(weights_bytes: &[u8], card_json: &str) -> Result<PixelCnnDemo, JsError> {
        let card = ModelCard::parse(card_json).map_err(|e| JsError::new(&e.to_string()))?;
        let tensors = weights::load_checked(weights_bytes, &card.config)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let model = CpuModel::from_tensors(&card.config, &tensors)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(PixelCnnDemo {
            card,
            model: Arc::new(model),
            sampler: None,
            temperature: 1.0,
            fields: None,
        })
    }

    /// The model card as an object.
    pub fn card(&self) -> Result<JsValue, JsError> {
        to_js(&self.card)
    }

    pub(crate) fn request(
        &self,
        labels: &[u32],
        temperature: f32,
        seed: u32,
    ) -> Result<SampleRequest, JsError> {
        if labels.is_empty() || labels.len() > 64 {
            return Err(JsError::new("ask for 1 to 64 images"));
        }
        if let Some(bad) = labels
            .iter()
            .find(|&&l| l as usize >= self.card.config.classes)
        {
            return Err(JsError::new(&format!(
                "class {bad} does not exist in this model"
            )));
        }
        if !(temperature > 0.0 && temperature <= 10.0) {
            return Err(JsError::new("temperature must be in (0, 10]"));
        }
        Ok(SampleRequest::new(
            labels.iter().map(|&l| l as usize).collect(),
            temperature,
            seed,
        ))
    }

    /// Starts generating one image per label; `sampler` is "cached" or "naive".
    pub fn start(
        &mut self,
        labels: &[u32],
        temperature: f32,
        seed: f64,
        sampler: &str,
    ) -> Result<(), JsError> {
        let request = self.request(labels, temperature, seed32(seed)?)?;
        self.temperature = temperature;
        self.sampler = Some(match sampler {
            "cached" => Box::new(CachedSampler::new(self.model.clone(), request)),
            "naive" => Box::new(NaiveSampler::new(self.model.clone(), request)),
            _ => return Err(JsError::new("the sampler is \"cached\" or \"naive\"")),
        });
        Ok(())
    }

    /// Starts the cached sampler on a share of a batch: `labels` are images `first_image`,
    /// `first_image + 1`, ... of the whole batch, and draw the same random numbers as they
    /// would there, so that the batch split among Web Workers gives the same images.
    #[wasm_bindgen(js_name = startShare)]
    pub fn start_share(
        &mut self,
        labels: &[u32],
        temperature: f32,
        seed: f64,
        first_image: f64,
    ) -> Result<(), JsError> {
        let mut request = self.request(labels, temperature, seed32(seed)?)?;
        request.first_image = whole(first_image, "the first image", 0, 63)?;
        if request.first_image + request.labels.len() > 64 {
            return Err(JsError::new("a batch holds at most 64 images"));
        }
        self.temperature = temperature;
        self.sampler = Some(Box::new(CachedSampler::new(self.model.clone(), request)));
        Ok(())
    }

    /// Sampling with known pixels, which are kept: image completion, or carrying on from
    /// pixels made elsewhere (a GPU run that stopped). `values` holds one image, used for
    /// every label, or one image per label; `keep_mask` has one entry per pixel (1 = keep).
    #[wasm_bindgen(js_name = startKnown)]
    pub fn start_known(
        &mut self,
        labels: &[u32],
        values: &[u8],
        keep_mask: &[u8],
        temperature: f32,
        seed: f64,
    ) -> Result<(), JsError> {
        let n = self.card.config.pixels();
        let mut request = self.request(labels, temperature, seed32(seed)?)?;
        let images = request.labels.len();
        let values: Vec<u8> = if values.len() == n {
            (0..images).flat_map(|_| values.iter().copied()).collect()
        } else if values.len() == n * images {
            values.to_vec()
        } else {
            return Err(JsError::new(&format!(
                "give one image of {n} pixels, or one per label"
            )));
        };
        if keep_mask.len() != n {
            return Err(JsError::new(&format!("the mask must have {n} entries")));
        }
        request.known = Some((values, keep_mask.iter().map(|&m| m != 0).collect()));
        self.temperature = temperature;
        self.sampler = Some(Box::new(CachedSampler::new(self.model.clone(), request)));
        Ok(())
    }

    /// Samples up to `pixels` more pixels of every image; returns how many are done.
    pub fn step(&mut self, pixels: f64) -> Result<usize, JsError> {
        let pixels = whole(pixels, "the number of pixels", 0, 1 << 20)?;
        let s = self
            .sampler
            .as_mut()
            .ok_or_else(|| JsError::new("press Generate first"))?;
        for _ in 0..pixels {
            if !s.step_pixel() {
                break;
            }
        }
        Ok(s.next_pixel())
    }

    /// Pixels sampled so far (raster index of the next pixel).
    #[wasm_bindgen(js_name = nextPixel)]
    pub fn next_pixel(&self) -> usize {
        self.sampler.as_ref().map_or(0, |s| s.next_pixel())
    }

    /// All images, one after the other (grey values; unsampled pixels are 0).
    pub fn images(&self) -> Uint8Array {
        let Some(s) = self.sampler.as_ref() else {
            return Uint8Array::new_with_length(0);
        };
        let mut out = Vec::with_capacity(s.images() * self.card.config.pixels());
        for i in 0..s.images() {
            out.extend_from_slice(s.image(i));
        }
        Uint8Array::from(&out[..])
    }

    /// The distribution the last pixel of image `index` was drawn from.
    pub fn distribution(&self, index: f64) -> Result<Float32Array, JsError> {
        let index = whole(index, "the image index", 0, 1 << 20)?;
        Ok(match self.sampler.as_ref() {
            Some(s) if index < s.images() && s.next_pixel() > 0 => {
                Float32Array::from(&cpu::distribution(s.last_logits(index), self.temperature)[..])
            }
            _ => Float32Array::new_with_length(0),
        })
    }

    /// -log2 p of every pixel of an image given its class: the likelihood heat map.
    #[wasm_bindgen(js_name = bitsPerPixel)]
    pub fn bits_per_pixel(&self, pixels: &[u8], label: u32) -> Result<Float32Array, JsError> {
        if pixels.len() != self.card.config.pixels() {
            return Err(JsError::new(&format!(
                "the image must have {} pixels",
                self.card.config.pixels()
            )));
        }
        if label as usize >= self.card.config.classes {
            return Err(JsError::new("no such class"));
        }
        Ok(Float32Array::from(
            &cpu::bits_per_pixel(&self.model, pixels, label as usize)[..],
        ))
    }

    /// The PixelCNN as a generative classifier: ln p(x | y) in nats for every class (one
    /// batched pass, no sampling), then Bayes' rule with a uniform prior. Returns a
    /// Float64Array of [ln p(x | y) per class..., p(y | x) per class...].
    #[wasm_bindgen(js_name = classifyByBayes)]
    pub fn classify_by_bayes(&self, pixels: &[u8]) -> Result<js_sys::Float64Array, JsError> {
        if pixels.len() != self.card.config.pixels() {
            return Err(JsError::new(&format!(
                "the image must have {} pixels",
                self.card.config.pixels()
            )));
        }
        let classes: Vec<usize> = (0..self.card.config.classes).collect();
        let log_likelihoods = cpu::log_likelihood_per_class(&self.model, pixels, &classes);
        let evidence = crate::density::log_sum_exp(&log_likelihoods);
        let out: Vec<f64> = log_likelihoods
            .iter()
            .copied()
            .chain(log_likelihoods.iter().map(|l| (l - evidence).exp()))
            .collect();
        Ok(js_sys::Float64Array::from(&out[..]))
    }

    /// 1 for every input pixel that can influence the output at (row, col).
    #[wasm_bindgen(js_name = receptiveField)]
    pub fn receptive_field(&mut self, row: f64, col: f64) -> Result<Uint8Array, JsError> {
        let cfg = &self.card.config;
        let row = whole(row, "the row", 0, cfg.height - 1)?;
        let col = whole(col, "the column", 0, cfg.width - 1)?;
        let pixel = row * cfg.width + col;
        let field: Vec<u8> = self
            .fields
            .get_or_insert_with(|| cfg.receptive_fields())
            .field(pixel)
            .into_iter()
            .map(u8::from)
            .collect();
        Ok(Uint8Array::from(&field[..]))
    }

    /// Multiply-adds per image of the cached sampler.
    #[wasm_bindgen(js_name = cachedMacsPerImage)]
    pub fn cached_macs_per_image(&self) -> f64 {
        self.model.cached_macs_per_image() as f64
    }
}
