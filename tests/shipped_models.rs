#![cfg(not(target_family = "wasm"))]
//! The shipped models load into the architecture their cards describe, see the whole past, and
//! still give the likelihood the card reports, on the held-out examples shipped beside them;
//! together with the VAE they stay within the 3 MB download budget.

use genmodels::pixelcnn::cli::examples_bits_per_dim;
use genmodels::pixelcnn::weights::{self, ModelCard};

#[test]
fn shipped_weights_reproduce_their_model_cards() {
    let mut checked = 0;
    let mut all_bytes = 0;
    for name in ["digits", "fashion"] {
        let Ok(card_text) = std::fs::read_to_string(format!("models/{name}.json")) else {
            assert_ne!(name, "digits", "the digits model must ship");
            continue;
        };
        let card = ModelCard::parse(&card_text).unwrap();
        let bytes = std::fs::read(format!("models/{name}.safetensors")).unwrap();
        all_bytes += weights_and_card_bytes(name);
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
    // The VAE tab's model counts towards the same budget.
    all_bytes += weights_and_card_bytes("vae-digits");
    assert!(
        all_bytes < 3_000_000,
        "{all_bytes} bytes: all models together must stay under 3 MB"
    );
}

/// What the page downloads for one model: its weights and its card.
fn weights_and_card_bytes(name: &str) -> u64 {
    ["safetensors", "json"]
        .iter()
        .map(|e| {
            std::fs::metadata(format!("models/{name}.{e}"))
                .unwrap()
                .len()
        })
        .sum()
}
