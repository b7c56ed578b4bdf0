#![allow(clippy::needless_range_loop)]
//! The PixelCNN against its candle reference: causality, no blind spot, CPU forward equals
//! candle, cached sampling equals naive sampling, and a strict weights loader.

use std::collections::BTreeMap;
use std::sync::Arc;

use candle_core::{Device, Tensor};
use genmodels::pixelcnn::cpu::{
    self, CachedSampler, CpuModel, NaiveSampler, PixelSampler, SampleRequest,
};
use genmodels::pixelcnn::weights::{self, WeightsError};
use genmodels::pixelcnn::{GatedPixelCnn, ModelConfig};
use genmodels::rng::SeededRng;

mod common;
use common::{random_image, random_model, tensors_of, tiny};

fn candle_logits(model: &GatedPixelCnn, pixels: &[u8], label: u32) -> Vec<f32> {
    let cfg = &model.config;
    let x = Tensor::from_vec(
        pixels.iter().map(|&p| p as f32).collect::<Vec<_>>(),
        (1, 1, cfg.height, cfg.width),
        &Device::Cpu,
    )
    .unwrap();
    let y = Tensor::from_vec(vec![label], 1, &Device::Cpu).unwrap();
    model
        .forward(&x, &y)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1()
        .unwrap()
}

#[test]
fn causality_and_no_blind_spot_for_every_layer_kind() {
    // layers = 1: the mask-A layer alone; 2 and 3: mask-B layers stacked on it.
    for layers in [1, 2, 3] {
        let config = tiny(layers);
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
    for layers in [1, 3] {
        let config = tiny(layers);
        let model = random_model(&config, 5 + layers as u64);
        let cpu_model = CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap();
        let mut rng = SeededRng::new(3);
        for label in 0..3 {
            let image = random_image(&config, &mut rng);
            let want = candle_logits(&model, &image, label as u32);
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
    let config = tiny(3);
    let model = random_model(&config, 21);
    let cpu_model = Arc::new(CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap());
    let request = SampleRequest {
        labels: vec![0, 1, 2, 1],
        temperature: 1.0,
        seed: 77,
        known: None,
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
    let mut hostile = card;
    hostile["config"]["channels"] = serde_json::json!(1_000_000);
    assert!(weights::ModelCard::parse(&hostile.to_string()).is_err());
    assert!(weights::ModelCard::parse("{").is_err());
}

// Training and the command line are native only.
#[cfg(not(target_family = "wasm"))]
#[test]
fn growing_a_checkpoint_keeps_what_the_model_computes() {
    use genmodels::pixelcnn::{cli, train::TrainState};
    let dir = std::env::temp_dir().join(format!("genmodels-grow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("digits.safetensors");
    let small = random_model(&tiny(2), 31);
    let saved: std::collections::HashMap<String, Tensor> =
        small.params.clone().into_iter().collect();
    candle_core::safetensors::save(&saved, &checkpoint).unwrap();
    let state = TrainState {
        config: Some(tiny(2)),
        step: 7,
        ..Default::default()
    };
    std::fs::write(
        checkpoint.with_extension("json"),
        serde_json::to_string(&state).unwrap(),
    )
    .unwrap();

    assert!(
        cli::grow(&checkpoint, 2).is_err(),
        "growing to the same depth is refused"
    );
    cli::grow(&checkpoint, 4).unwrap();
    let state: TrainState =
        serde_json::from_str(&std::fs::read_to_string(checkpoint.with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(state.config, Some(tiny(4)));
    assert_eq!(state.step, 7, "the schedule carries on");
    assert_eq!(state.grown, vec![(7, 2, 4)]);
    // What training does on resuming: tensors the checkpoint lacks get the seeded random
    // initialisation. The grown model must compute exactly what the small one did.
    let loaded = candle_core::safetensors::load(&checkpoint, &Device::Cpu).unwrap();
    let mut grown = random_model(&tiny(4), 5);
    for (name, t) in grown.params.iter_mut() {
        if let Some(saved) = loaded.get(name) {
            *t = saved.clone();
        }
    }
    let silent = loaded.keys().filter(|k| k.starts_with("layers.3.")).count();
    assert_eq!(
        silent, 4,
        "h_out and skip weights and biases of a new layer are zero"
    );
    let mut rng = SeededRng::new(8);
    for label in 0..3 {
        let image = random_image(&tiny(2), &mut rng);
        assert_eq!(
            candle_logits(&small, &image, label),
            candle_logits(&grown, &image, label)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(not(target_family = "wasm"))]
#[test]
fn training_keeps_a_running_average_of_the_weights_across_resumes() {
    use genmodels::pixelcnn::data::ImageSet;
    use genmodels::pixelcnn::train::{self, average_key, TrainOptions, TrainState};
    let dir = std::env::temp_dir().join(format!("genmodels-average-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("digits.safetensors");
    let config = tiny(2);
    // Training reads 28x28 images; the tiny model has 16 grey levels.
    let mut rng = SeededRng::new(3);
    let images = ImageSet {
        pixels: (0..4 * 28 * 28).map(|_| rng.below(16) as u8).collect(),
        labels: vec![0, 1, 2, 1],
    };
    let decay = 0.75;
    let options = |steps| TrainOptions {
        steps,
        batch: 2,
        learning_rate: 0.05,
        seed: 9,
        max_minutes: 10.0,
        checkpoint_every: 1,
        eval_every: 1,
        eval_images: 2,
        average_decay: decay,
    };
    let read = || {
        let tensors = candle_core::safetensors::load(&checkpoint, &Device::Cpu).unwrap();
        let state: TrainState = serde_json::from_str(
            &std::fs::read_to_string(checkpoint.with_extension("json")).unwrap(),
        )
        .unwrap();
        (tensors, state)
    };
    let values = |t: &Tensor| t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    let start = GatedPixelCnn::init(&config, 9, &Device::Cpu).unwrap();

    train::train(&config, &images, &images, &options(1), &checkpoint).unwrap();
    let (first, state) = read();
    let average = state.average.expect("an average is kept");
    assert_eq!((average.decay, average.since), (decay, 0));
    assert_eq!(average.evaluations.len(), 1);
    train::train(&config, &images, &images, &options(2), &checkpoint).unwrap();
    let (second, state) = read();
    assert_eq!(
        state.average.unwrap().since,
        0,
        "a resumed run keeps its average"
    );

    let name = "layers.1.v_conv.weight";
    let (p0, p1, p2) = (
        values(&start.params[name]),
        values(&first[name]),
        values(&second[name]),
    );
    let (a1, a2) = (
        values(&first[&average_key(name)]),
        values(&second[&average_key(name)]),
    );
    assert_ne!(p0, p1, "the step changed the weights");
    for i in 0..p0.len() {
        let expected1 = decay as f32 * p0[i] + (1.0 - decay as f32) * p1[i];
        let expected2 = decay as f32 * a1[i] + (1.0 - decay as f32) * p2[i];
        assert!((a1[i] - expected1).abs() < 1e-6, "{} vs {expected1}", a1[i]);
        assert!((a2[i] - expected2).abs() < 1e-6, "{} vs {expected2}", a2[i]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
