//! Tests that run inside headless Chromium (wasm-bindgen-test with chromedriver), including
//! the WGSL sampler on the browser's WebGPU adapter (SwiftShader here).
#![cfg(target_family = "wasm")]
// wgpu's browser types are not Send; the samplers take an Arc on every target.
#![allow(clippy::arc_with_non_send_sync)]

use std::sync::Arc;

use genmodels::charrnn::{build_vocab, Cell, CharRnn, Optimizer, Trainer};
use genmodels::gpu::{GpuContext, GpuSampler};
use genmodels::kmeans::{presets, Init, KMeans};
use genmodels::pixelcnn::cpu::{self, CpuModel, SampleRequest};
use genmodels::pixelcnn::ModelConfig;
use genmodels::rng::SeededRng;
use wasm_bindgen_test::*;

mod common;
use common::{random_image, random_model, tensors_of};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn kmeans_objective_never_rises_in_wasm() {
    let coords = presets::generate("blobs", 2000, 5, 1).unwrap();
    let mut run = KMeans::new(2, coords, 5, Init::RandomPositions, 2).unwrap();
    run.run_to_convergence(100);
    assert!(run.converged());
    assert!(run
        .objectives()
        .windows(2)
        .all(|w| w[1] <= w[0] * (1.0 + 1e-6)));
}

#[wasm_bindgen_test]
fn hello_trains_in_wasm() {
    let model = CharRnn::new(Cell::Vanilla, build_vocab("hello").unwrap(), 3, 42).unwrap();
    let mut trainer = Trainer::new(model, "hello", 4, Optimizer::Adagrad).unwrap();
    let mut n = 0;
    while trainer.full_text_loss() >= 0.05 {
        trainer.train_iteration().unwrap();
        n += 1;
        assert!(n < 20_000);
    }
    assert_eq!(
        trainer.model.generate('h', 4, 1.0, true, 0).unwrap(),
        "hello"
    );
}

#[wasm_bindgen_test]
async fn webgpu_sampler_logits_equal_the_cpu_in_the_browser() {
    let config = ModelConfig {
        height: 8,
        width: 10,
        levels: 32,
        classes: 2,
        channels: 8,
        layers: 2,
        first_kernel: 5,
        kernel: 3,
        head_channels: 16,
        dilations: vec![1, 2],
    };
    let model = random_model(&config, 3);
    let cpu_model = CpuModel::from_tensors(&config, &tensors_of(&model)).unwrap();
    let mut rng = SeededRng::new(2);
    let image = random_image(&config, &mut rng);
    let ctx = GpuContext::new()
        .await
        .expect("headless Chromium with --enable-unsafe-webgpu has an adapter");
    let request = SampleRequest {
        labels: vec![1],
        temperature: 1.0,
        seed: 3,
        known: Some((image.clone(), vec![true; config.pixels()])),
        first_image: 0,
    };
    let mut gpu = GpuSampler::new(Arc::new(ctx), &cpu_model, &request, true).unwrap();
    let mut last = None;
    while !gpu.is_done() {
        last = Some(gpu.sample_row().await.unwrap());
    }
    assert_eq!(gpu.submissions, config.height);
    let got = last.unwrap().row_logits;
    let want = cpu::forward_full(&cpu_model, &image, 1);
    let worst = want
        .iter()
        .zip(&got)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 1e-3, "WebGPU and CPU logits differ by {worst}");
}
