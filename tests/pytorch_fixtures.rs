#![cfg(not(target_family = "wasm"))]
//! Rust computes what PyTorch trained: on the fixture PyTorch exported beside each shipped
//! model, the candle reference and the CPU forward pass (the cached sampler's own code) give
//! PyTorch's logits within `fixture::LOGIT_TOLERANCE`, and PyTorch's NLL per image. The WGSL
//! sampler is checked against the same fixture in `gpu_pixelcnn.rs`. A fixture, card or weights
//! file that does not belong to the others is refused with an error that names the mismatch.

use std::collections::BTreeMap;

use genmodels::pixelcnn::cpu::{self, CpuModel};
use genmodels::pixelcnn::fixture::{Fixture, FixtureError};
use genmodels::pixelcnn::weights::{self, ModelCard};
use genmodels::pixelcnn::{GatedPixelCnn, ModelConfig};

mod common;
use common::candle_logits;

fn shipped(name: &str) -> (ModelCard, BTreeMap<String, Vec<f32>>, Vec<u8>) {
    let card =
        ModelCard::parse(&std::fs::read_to_string(format!("models/{name}.json")).unwrap()).unwrap();
    let bytes = std::fs::read(format!("models/{name}.safetensors")).unwrap();
    let tensors = weights::load_checked(&bytes, &card.config).unwrap();
    let fixture = std::fs::read(format!("models/{name}-fixture.safetensors"))
        .unwrap_or_else(|_| panic!("models/{name}-fixture.safetensors must ship with the model"));
    (card, tensors, fixture)
}

#[test]
fn the_rust_reference_and_the_cpu_sampler_compute_what_pytorch_trained() {
    for name in ["digits", "fashion"] {
        let (card, tensors, bytes) = shipped(name);
        let fixture = Fixture::parse(&bytes, &card.config).unwrap();
        assert!(fixture.len() >= 3);
        let reference = GatedPixelCnn::from_tensors(&card.config, &tensors).unwrap();
        let cpu_model = CpuModel::from_tensors(&card.config, &tensors).unwrap();
        for i in 0..fixture.len() {
            let (image, label) = (fixture.image(i), fixture.labels[i]);
            let worst = fixture
                .check_image(
                    "the candle reference",
                    &card.config,
                    i,
                    &candle_logits(&reference, image, label),
                )
                .unwrap();
            eprintln!("{name} image {i}: candle within {worst:e} of PyTorch");
            fixture
                .check_image(
                    "the CPU forward pass",
                    &card.config,
                    i,
                    &cpu::forward_full(&cpu_model, image, label),
                )
                .unwrap();
            // PyTorch's NLL of the whole image, from the per-pixel costs of the CPU model.
            let bits = cpu::bits_per_pixel(&cpu_model, image, label);
            let nats = bits.iter().map(|&b| b as f64).sum::<f64>() * std::f64::consts::LN_2
                / card.config.pixels() as f64;
            let want = fixture.nats_per_pixel[i] as f64;
            assert!(
                (nats - want).abs() < 1e-4,
                "{name} image {i}: {nats} nats/pixel, PyTorch {want}"
            );
        }
    }
}

#[test]
fn a_fixture_of_another_architecture_is_refused_with_the_mismatch_named() {
    let (card, tensors, bytes) = shipped("digits");
    let fixture = Fixture::parse(&bytes, &card.config).unwrap();
    // The same tensors read with other dilations (a card that disagrees with training): the
    // shapes still fit, so only the fixture can tell.
    let wrong = ModelConfig {
        dilations: vec![1; card.config.layers],
        ..card.config.clone()
    };
    let model = CpuModel::from_tensors(&wrong, &tensors).unwrap();
    let logits = cpu::forward_full(&model, fixture.image(0), fixture.labels[0]);
    let err = fixture
        .check_image("the CPU forward pass", &wrong, 0, &logits)
        .unwrap_err();
    assert!(matches!(err, FixtureError::Mismatch { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("differs from PyTorch on fixture image 0"),
        "{err}"
    );
    // A fixture for another image size or number of levels.
    let smaller = ModelConfig {
        height: 20,
        ..card.config.clone()
    };
    let err = Fixture::parse(&bytes, &smaller).unwrap_err();
    assert!(matches!(err, FixtureError::Architecture(_)), "{err}");
    let fewer_levels = ModelConfig {
        levels: 16,
        ..card.config.clone()
    };
    assert!(Fixture::parse(&bytes, &fewer_levels).is_err());
    // Not a fixture at all, or a weights file in its place.
    assert!(matches!(
        Fixture::parse(b"not a fixture", &card.config),
        Err(FixtureError::File(_))
    ));
    let weights_file = std::fs::read("models/digits.safetensors").unwrap();
    let err = Fixture::parse(&weights_file, &card.config).unwrap_err();
    assert!(err.to_string().contains("no tensor images"), "{err}");
}
