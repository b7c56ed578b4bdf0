#![cfg(not(target_family = "wasm"))]
//! The shipped models load into the architecture their cards describe and still give the
//! likelihood the card reports, on the held-out examples shipped beside them.

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
        let total: u64 = ["safetensors", "json"]
            .iter()
            .map(|e| {
                std::fs::metadata(format!("models/{name}.{e}"))
                    .unwrap()
                    .len()
            })
            .sum();
        assert!(
            total < 1_500_000,
            "{name}: {total} bytes; all models together must stay under 3 MB"
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
}
