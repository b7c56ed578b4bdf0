#![cfg(not(target_family = "wasm"))]
//! The shipped models load into the architecture their cards describe, see the whole past, and
//! still give the likelihood the card reports, on the held-out examples shipped beside them;
//! each, the VAE too, stays within 2 MB of weights (the tab's cold load is a bench figure).

use genmodels::pixelcnn::cli::examples_bits_per_dim;
use genmodels::pixelcnn::weights::{self, ModelCard};

#[test]
fn shipped_weights_reproduce_their_model_cards() {
    let mut checked = 0;
    for name in ["digits", "fashion"] {
        let Ok(card_text) = std::fs::read_to_string(format!("models/{name}.json")) else {
            assert_ne!(name, "digits", "the digits model must ship");
            continue;
        };
        let card = ModelCard::parse(&card_text).unwrap();
        let bytes = std::fs::read(format!("models/{name}.safetensors")).unwrap();
        assert_weights_fit(name);
        // The last pixel sees every earlier pixel (the point of the dilated layers).
        let (h, w) = (card.config.height, card.config.width);
        let field = card.config.receptive_field(h - 1, w - 1);
        let unseen = field[..h * w - 1].iter().filter(|&&seen| !seen).count();
        assert_eq!(
            unseen, 0,
            "{name}: the last pixel misses {unseen} earlier pixels"
        );
        let tensors = weights::load_checked(&bytes, &card.config).unwrap();
        let examples = std::fs::read(format!("models/{name}-examples.bin")).unwrap();
        let bits = examples_bits_per_dim(&card.config, &tensors, &examples).unwrap();
        let claimed = card.evaluation["examples_bits_per_dim"].as_f64().unwrap();
        assert!(
            (bits - claimed).abs() < 1e-4,
            "{name}: {bits} bits/dim, card says {claimed}"
        );
        let full = card.evaluation["bits_per_dim"].as_f64().unwrap();
        assert!(full > 0.0 && full < 8.0);
        checked += 1;
    }
    assert!(checked >= 1);
    assert_weights_fit("vae-digits");
}

/// Each model's f16 weights stay under 2 MB (issue 29's cap, per model).
fn assert_weights_fit(name: &str) {
    let bytes = std::fs::metadata(format!("models/{name}.safetensors"))
        .unwrap()
        .len();
    assert!(
        bytes <= 2_000_000,
        "{name}: {bytes} bytes of weights, over the 2 MB a model may have"
    );
}
