#![cfg(not(target_family = "wasm"))]
//! The URL settings parser on arbitrary input: it never panics, always returns a known demo
//! with every setting present, and never returns a value outside its range.

use genmodels::urlstate::{parse, Value, DEMOS};
use proptest::prelude::*;

fn check(demo: &str, query: &str) -> Result<(), TestCaseError> {
    let s = parse(demo, query);
    prop_assert!(DEMOS.contains(&s.demo.as_str()));
    let int = |k: &str| {
        s.int(k)
            .unwrap_or_else(|| panic!("{k} is not an integer: {:?}", s.values.get(k)))
    };
    let text = |k: &str| {
        s.text(k)
            .unwrap_or_else(|| panic!("{k} is not text: {:?}", s.values.get(k)))
    };
    prop_assert!((0..=4_294_967_295).contains(&int("seed")));
    match s.demo.as_str() {
        "kmeans" => {
            prop_assert!((1..=20).contains(&int("k")));
            prop_assert!((1..=100_000).contains(&int("n")));
            prop_assert!((1..=20).contains(&int("blobs")));
            prop_assert!(
                ["kmeans++", "forgy", "random", "partition", "click"].contains(&text("init"))
            );
        }
        "rnn" => {
            prop_assert!((1..=512).contains(&int("hidden")));
            prop_assert!((1..=200).contains(&int("seq")));
            let t = text("text");
            prop_assert!(t.chars().count() >= 2 && t.chars().count() <= 2000);
            prop_assert!(!t.chars().any(|c| c.is_control() && c != '\n'));
            match &s.values["temp"] {
                Value::Float(v) => prop_assert!((0.05..=5.0).contains(v)),
                other => prop_assert!(false, "temp {:?}", other),
            }
        }
        "vae" => {
            for key in ["ex", "a", "b"] {
                prop_assert!((0..=99).contains(&int(key)));
            }
            for key in ["x", "y"] {
                match &s.values[key] {
                    Value::Float(v) => prop_assert!((-4.0..=4.0).contains(v)),
                    other => prop_assert!(false, "{} {:?}", key, other),
                }
            }
        }
        _ => {
            prop_assert!((0..=9).contains(&int("class")));
            prop_assert!((1..=64).contains(&int("n")));
            prop_assert!(["digits", "fashion"].contains(&text("model")));
        }
    }
    prop_assert!(
        s.notices.iter().all(|n| n.chars().count() < 400),
        "notices stay short"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_escape_their_ranges(demo in "\\PC{0,12}", query in "\\PC{0,200}") {
        check(&demo, &query)?;
    }

    #[test]
    fn url_shaped_input_with_known_keys(demo in prop_oneof![Just("kmeans"), Just("rnn"), Just("pixelcnn"), Just("vae")],
        pairs in proptest::collection::vec(("(k|n|seed|init|text|hidden|temp|class|model|seq|blobs|x|y|ex|a|b|%[0-9A-Fa-f]{2}|[a-z]{1,5})", "[-+%0-9A-Za-z.eE<>&=]{0,30}"), 0..12)) {
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        check(demo, &query.join("&"))?;
    }
}
