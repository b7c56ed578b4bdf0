//! Helpers shared by the integration tests: tiny PixelCNN configurations with random weights.
#![allow(dead_code)]

use std::collections::BTreeMap;

use candle_core::{Device, Tensor};
use genmodels::pixelcnn::{GatedPixelCnn, ModelConfig};
use genmodels::rng::SeededRng;

pub fn tiny(layers: usize) -> ModelConfig {
    ModelConfig {
        height: 9,
        width: 9,
        levels: 16,
        classes: 3,
        channels: 4,
        layers,
        first_kernel: 5,
        kernel: 3,
        head_channels: 8,
        dilations: vec![1; layers],
    }
}

/// A tiny model with dilated layers (as the shipped ones have), whose field skips pixels in
/// single layers but covers the whole past of the last pixel once they are stacked.
pub fn tiny_dilated() -> ModelConfig {
    ModelConfig {
        dilations: vec![1, 2, 1, 3],
        ..tiny(4)
    }
}

/// A candle model with random weights everywhere (biases and class embeddings included).
pub fn random_model(config: &ModelConfig, seed: u64) -> GatedPixelCnn {
    let mut model = GatedPixelCnn::init(config, seed, &Device::Cpu).unwrap();
    let mut rng = SeededRng::new(seed + 100);
    for (name, t) in model.params.iter_mut() {
        if !name.ends_with(".weight") {
            let n = t.elem_count();
            let v: Vec<f32> = (0..n).map(|_| (rng.normal() * 0.3) as f32).collect();
            *t = Tensor::from_vec(v, t.shape(), &Device::Cpu).unwrap();
        }
    }
    model
}

pub fn tensors_of(model: &GatedPixelCnn) -> BTreeMap<String, Vec<f32>> {
    model
        .params
        .iter()
        .map(|(k, t)| {
            (
                k.clone(),
                t.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            )
        })
        .collect()
}

pub fn random_image(config: &ModelConfig, rng: &mut SeededRng) -> Vec<u8> {
    (0..config.pixels())
        .map(|_| rng.below(config.levels) as u8)
        .collect()
}

/// The reference model's logits of every pixel of one image: [pixel][level].
pub fn candle_logits(model: &GatedPixelCnn, pixels: &[u8], label: usize) -> Vec<f32> {
    let cfg = &model.config;
    let x = Tensor::from_vec(
        pixels.iter().map(|&p| p as f32).collect::<Vec<_>>(),
        (1, 1, cfg.height, cfg.width),
        &Device::Cpu,
    )
    .unwrap();
    let y = Tensor::from_vec(vec![label as u32], 1, &Device::Cpu).unwrap();
    model
        .forward(&x, &y)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1()
        .unwrap()
}
