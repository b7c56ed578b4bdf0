#![allow(clippy::needless_range_loop)]
//! The PixelCNN against its candle reference: causality, no blind spot, CPU forward equals
//! candle, cached sampling equals naive sampling, and a strict weights loader.

use std::collections::BTreeMap;
use std::sync::Arc;

use genmodels::pixelcnn::cpu::{
    self, CachedSampler, CpuModel, NaiveSampler, PixelSampler, SampleRequest,
};
use genmodels::pixelcnn::weights::{self, WeightsError};
use genmodels::pixelcnn::ModelConfig;
use genmodels::rng::SeededRng;

mod common;
use common::{candle_logits, random_image, random_model, tensors_of, tiny, tiny_dilated};

#[test]
fn causality_and_no_blind_spot_for_every_layer_kind() {
    // layers = 1: the mask-A layer alone; 2 and 3: mask-B layers stacked on it; then
    // dilated mask-B layers.
    for config in [tiny(1), tiny(2), tiny(3), tiny_dilated()] {
        let layers = config.layers;
        let mut model = random_model(&config, layers as u64);
        // Large positive biases before each ReLU keep the head in its linear region, so
        // that "no influence" can only come from the masks, never from a dead ReLU.
        for (name, t) in model.params.iter_mut() {
            if name.ends_with("skip.bias") || name == "head.hidden.bias" {
                *t = (t.ones_like().unwrap() * 20.0).unwrap();
            }
        }
        let mut rng = SeededRng::new(9);
        let base = random_image(&config, &mut rng);
        let levels = config.levels;
        let reference = candle_logits(&model, &base, 1);
        let n = config.pixels();
        let mut influence = vec![vec![false; n]; n]; // influence[i][j]: j changes output i
        for j in 0..n {
            let mut changed = base.clone();
            changed[j] = ((base[j] as usize + 7) % levels) as u8;
            let out = candle_logits(&model, &changed, 1);
            for i in 0..n {
                let a = &reference[i * levels..(i + 1) * levels];
                let b = &out[i * levels..(i + 1) * levels];
                influence[i][j] = a.iter().zip(b).any(|(x, y)| (x - y).abs() > 1e-6);
            }
        }
        for i in 0..n {
            let field = config.receptive_field(i / config.width, i % config.width);
            for j in 0..n {
                if j >= i {
                    assert!(
                        !influence[i][j],
                        "layers {layers}: pixel {j} leaks into output {i}"
                    );
                    assert!(
                        !field[j],
                        "receptive field of {i} contains future pixel {j}"
                    );
                } else {
                    assert_eq!(
                        influence[i][j], field[j],
                        "layers {layers}: output {i}, input {j}"
                    );
                }
            }
        }
        // No blind spot: with two or more layers, the pixels up and to the right, which a
        // plain masked convolution stack never sees, are in the field.
        if layers >= 2 {
            let (r, c) = (5, 4);
            let field = config.receptive_field(r, c);
            for (dr, dc) in [
                (-1isize, 1isize),
                (-1, 2),
                (-2, 3),
                (-1, -2),
                (0, -1),
                (0, -2),
            ] {
                let j = ((r as isize + dr) * config.width as isize + c as isize + dc) as usize;
                assert!(
                    field[j],
                    "layers {layers}: blind spot at offset ({dr}, {dc})"
                );
            }
        }
    }
}

#[test]
fn cpu_forward_equals_the_candle_reference() {
    for config in [tiny(1), tiny(3), tiny_dilated()] {
        let layers = config.layers;
        let model = random_model(&config, 5 + layers as u64);
        let cpu_model = CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap();
        let mut rng = SeededRng::new(3);
        for label in 0..3 {
            let image = random_image(&config, &mut rng);
            let want = candle_logits(&model, &image, label);
            let got = cpu::forward_full(&cpu_model, &image, label);
            assert_eq!(want.len(), got.len());
            let worst = want
                .iter()
                .zip(&got)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(
                worst < 1e-4,
                "layers {layers} label {label}: max difference {worst}"
            );
        }
    }
}

#[test]
fn cached_sampling_equals_naive_sampling_and_is_deterministic() {
    for config in [tiny(3), tiny_dilated()] {
        cached_equals_naive(config);
    }
}

#[test]
fn dilated_layers_let_the_last_pixel_see_the_whole_past() {
    let config = tiny_dilated();
    let field = config.receptive_field(config.height - 1, config.width - 1);
    let last = config.pixels() - 1;
    assert!(field[..last].iter().all(|&seen| seen));
    // The same depth without dilation does not reach the top rows.
    let plain = tiny(4).receptive_field(config.height - 1, config.width - 1);
    assert!(plain[..last].iter().any(|&seen| !seen));
}

fn cached_equals_naive(config: ModelConfig) {
    let model = random_model(&config, 21);
    let cpu_model = Arc::new(CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap());
    let request = SampleRequest {
        labels: vec![0, 1, 2, 1],
        temperature: 1.0,
        seed: 77,
        known: None,
        first_image: 0,
    };
    let mut cached = CachedSampler::new(cpu_model.clone(), request.clone());
    let mut naive = NaiveSampler::new(cpu_model.clone(), request.clone());
    while cached.step_pixel() {
        assert!(naive.step_pixel());
        for i in 0..4 {
            let (a, b) = (cached.last_logits(i), naive.last_logits(i));
            assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-4));
        }
    }
    assert!(!naive.step_pixel());
    for i in 0..4 {
        assert_eq!(cached.image(i), naive.image(i), "image {i}");
    }
    let mut again = CachedSampler::new(cpu_model.clone(), request.clone());
    while again.step_pixel() {}
    assert_eq!(again.image(2), cached.image(2));
    let mut other_seed = CachedSampler::new(
        cpu_model,
        SampleRequest {
            seed: 78,
            ..request
        },
    );
    while other_seed.step_pixel() {}
    assert_ne!(other_seed.image(2), cached.image(2));
}

#[test]
fn completion_keeps_the_known_pixels() {
    let config = tiny(2);
    let model = random_model(&config, 2);
    let cpu_model = Arc::new(CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap());
    let mut rng = SeededRng::new(1);
    let original = random_image(&config, &mut rng);
    let mask: Vec<bool> = (0..config.pixels())
        .map(|i| i < config.pixels() / 2)
        .collect();
    let mut s = CachedSampler::new(
        cpu_model,
        SampleRequest {
            labels: vec![0],
            temperature: 1.0,
            seed: 1,
            known: Some((original.clone(), mask.clone())),
            first_image: 0,
        },
    );
    while s.step_pixel() {}
    for i in 0..config.pixels() {
        if mask[i] {
            assert_eq!(s.image(0)[i], original[i]);
        }
    }
}

#[test]
fn inverse_cdf_draws_follow_the_distribution() {
    let logits = [0.0f32, 1.0, 2.0, -1.0];
    let p = cpu::distribution(&logits, 1.0);
    let mut counts = [0usize; 4];
    for i in 0..40_000u32 {
        counts[cpu::draw(&logits, 1.0, cpu::uniform_draw(3, 0, i)) as usize] += 1;
    }
    for k in 0..4 {
        let freq = counts[k] as f32 / 40_000.0;
        assert!((freq - p[k]).abs() < 0.01, "level {k}: {freq} vs {}", p[k]);
    }
}

fn good_file(config: &ModelConfig) -> Vec<u8> {
    let model = random_model(config, 4);
    let tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)> = model
        .params
        .iter()
        .map(|(k, t)| {
            (
                k.clone(),
                (
                    t.dims().to_vec(),
                    t.flatten_all().unwrap().to_vec1().unwrap(),
                ),
            )
        })
        .collect();
    weights::write_safetensors_f16(&tensors, &BTreeMap::new())
}

#[test]
fn the_loader_names_the_problem_of_every_bad_file() {
    let config = tiny(2);
    let good = good_file(&config);
    assert!(weights::load_checked(&good, &config).is_ok());
    // Truncated anywhere: a clear error, never a panic.
    for cut in [0, 4, 8, 20, good.len() / 2, good.len() - 1] {
        let err = weights::load_checked(&good[..cut], &config).unwrap_err();
        assert!(
            matches!(
                err,
                WeightsError::TooShort(_)
                    | WeightsError::NotSafetensors(_)
                    | WeightsError::Truncated { .. }
            ),
            "cut {cut}: {err}"
        );
    }
    assert!(matches!(
        weights::load_checked(b"<html>not a model</html>", &config),
        Err(WeightsError::NotSafetensors(_))
    ));
    // Another architecture: missing tensors or wrong shapes.
    let err = weights::load_checked(&good, &tiny(3)).unwrap_err();
    assert_eq!(err, WeightsError::Missing("layers.2.v_conv.weight".into()));
    let wider = ModelConfig {
        channels: 5,
        ..config.clone()
    };
    assert!(matches!(
        weights::load_checked(&good, &wider),
        Err(WeightsError::Shape { .. })
    ));
    assert!(matches!(
        weights::load_checked(&good_file(&tiny(3)), &config),
        Err(WeightsError::Unexpected(_))
    ));
    // A dtype we do not read, and NaN values.
    let header_len = u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&good[8..8 + header_len]).unwrap();
    let first = header.find("\"F16\"").unwrap();
    let mut bad_dtype = good.clone();
    bad_dtype[8 + first..8 + first + 5].copy_from_slice(b"\"I16\"");
    let err = weights::load_checked(&bad_dtype, &config).unwrap_err();
    assert!(matches!(err, WeightsError::Dtype { .. }), "{err}");
    let mut nan = good.clone();
    let at = 8 + header_len; // first value of the first tensor
    nan[at..at + 2].copy_from_slice(&half::f16::NAN.to_le_bytes());
    assert!(matches!(
        weights::load_checked(&nan, &config),
        Err(WeightsError::NonFinite { .. })
    ));
}

#[test]
fn the_loader_never_panics_on_mutated_files() {
    let config = tiny(1);
    let good = good_file(&config);
    let mut rng = SeededRng::new(12);
    for _ in 0..3000 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(8) {
            let i = rng.below(bytes.len().min(600));
            bytes[i] = rng.below(256) as u8;
        }
        if rng.below(4) == 0 {
            bytes.truncate(rng.below(bytes.len()));
        }
        let _ = weights::load_checked(&bytes, &config);
    }
}

#[test]
fn model_cards_that_disagree_are_refused() {
    let config = tiny(2);
    let card = serde_json::json!({
        "format": weights::CARD_FORMAT, "name": "t", "title": "T",
        "class_names": ["a", "b", "c"], "config": config, "parameters": config.parameter_count(), "dtype": "f16"
    });
    assert!(weights::ModelCard::parse(&card.to_string()).is_ok());
    let mut wrong = card.clone();
    wrong["parameters"] = serde_json::json!(12);
    assert!(weights::ModelCard::parse(&wrong.to_string()).is_err());
    let mut wrong = card.clone();
    wrong["class_names"] = serde_json::json!(["a"]);
    assert!(weights::ModelCard::parse(&wrong.to_string()).is_err());
    let mut wrong = card.clone();
    wrong["config"]["dilations"] = serde_json::json!([1, 2, 4]);
    let err = weights::ModelCard::parse(&wrong.to_string()).unwrap_err();
    assert!(
        err.to_string().contains("3 dilations for 2 layers"),
        "{err}"
    );
    let mut wrong = card.clone();
    wrong["config"]["dilations"] = serde_json::json!([2, 1]);
    assert!(weights::ModelCard::parse(&wrong.to_string()).is_err());
    let mut hostile = card;
    hostile["config"]["channels"] = serde_json::json!(1_000_000);
    assert!(weights::ModelCard::parse(&hostile.to_string()).is_err());
    assert!(weights::ModelCard::parse("{").is_err());
}

/// The generative classifier's ln p(x | y), every class in one batched pass, equals the candle
/// reference's negative log-likelihood of the same image under each class.
#[test]
fn per_class_log_likelihood_equals_the_candle_reference() {
    use candle_core::{Device, Tensor};
    for config in [tiny(3), tiny_dilated()] {
        let model = random_model(&config, 11);
        let cpu_model = CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap();
        let mut rng = SeededRng::new(8);
        let image = random_image(&config, &mut rng);
        let classes: Vec<usize> = (0..config.classes).collect();
        let got = cpu::log_likelihood_per_class(&cpu_model, &image, &classes);
        for (label, ll) in classes.iter().zip(&got) {
            let pixels: Vec<f32> = image.iter().map(|&p| p as f32).collect();
            let x = Tensor::from_vec(pixels, (1, 1, config.height, config.width), &Device::Cpu)
                .unwrap();
            let y = Tensor::from_vec(vec![*label as u32], 1, &Device::Cpu).unwrap();
            // nll_per_image is in nats per pixel.
            let nll = model
                .nll_per_image(&x, &y)
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()[0] as f64
                * config.pixels() as f64;
            assert!(
                (ll + nll).abs() < 1e-3 * nll.abs().max(1.0),
                "class {label}: {ll} vs -{nll}"
            );
        }
        // The classes differ (the class term matters), so Bayes' rule has something to weigh.
        assert!(got.iter().any(|v| (v - got[0]).abs() > 1e-3), "{got:?}");
    }
}

/// A batch split into shares (as among Web Workers), each share told where it starts in the
/// batch, gives exactly the images of the whole batch sampled at once.
#[test]
fn shares_of_a_batch_give_the_same_images_as_the_whole_batch() {
    let config = tiny_dilated();
    let model =
        Arc::new(CpuModel::from_tensors(&config, &tensors_of(&random_model(&config, 4))).unwrap());
    let labels = vec![0, 1, 2, 1, 0, 2, 1];
    let run = |request: SampleRequest| {
        let mut s = CachedSampler::new(model.clone(), request);
        while s.step_pixel() {}
        (0..s.images())
            .map(|i| s.image(i).to_vec())
            .collect::<Vec<_>>()
    };
    let whole = run(SampleRequest::new(labels.clone(), 1.0, 9));
    for split in [1usize, 3, 4, 6] {
        let mut parts = Vec::new();
        for (n, chunk) in labels.chunks(split).enumerate() {
            let mut request = SampleRequest::new(chunk.to_vec(), 1.0, 9);
            request.first_image = n * split;
            parts.extend(run(request));
        }
        assert_eq!(parts, whole, "shares of {split}");
    }
    // Without the offset, a share would repeat the first images' draws instead.
    let alone = run(SampleRequest::new(labels[3..].to_vec(), 1.0, 9));
    assert_ne!(alone, whole[3..].to_vec());
}
