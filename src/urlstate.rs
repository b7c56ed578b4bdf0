//! Demo settings in the URL (`#kmeans?k=4&seed=7`): parsed against a schema, so that every
//! value returned is inside its range, and every refused value gives a notice. The page
//! only ever shows these values as text.

use std::collections::BTreeMap;

use serde::Serialize;

/// One setting: a number in a range, or one of a few words, or a short free text.
enum Kind {
    Int {
        min: i64,
        max: i64,
        default: i64,
    },
    Float {
        min: f64,
        max: f64,
        default: f64,
    },
    Choice {
        options: &'static [&'static str],
        default: &'static str,
    },
    Text {
        max_chars: usize,
        default: &'static str,
    },
}

const KMEANS: &[(&str, Kind)] = &[
    (
        "preset",
        Kind::Choice {
            options: &crate::kmeans::presets::PRESETS,
            default: "blobs",
        },
    ),
    (
        "n",
        Kind::Int {
            min: 1,
            max: 100_000,
            default: 600,
        },
    ),
    (
        "blobs",
        Kind::Int {
            min: 1,
            max: 20,
            default: 4,
        },
    ),
    (
        "k",
        Kind::Int {
            min: 1,
            max: 20,
            default: 4,
        },
    ),
    (
        "init",
        Kind::Choice {
            options: &["kmeans++", "forgy", "random", "partition", "click"],
            // With seed 2 random positions take six iterations to the best clustering, F
            // falling at each (tests/kmeans_properties.rs): the algorithm is there to watch.
            default: "random",
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 2,
        },
    ),
    (
        "empty",
        Kind::Choice {
            options: &["stay", "farthest"],
            default: "farthest",
        },
    ),
];

const DENSITY: &[(&str, Kind)] = &[
    (
        "part",
        Kind::Choice {
            options: &["1d", "2d", "classify"],
            default: "1d",
        },
    ),
    (
        "data",
        Kind::Choice {
            options: &crate::density::data::DENSITY_PRESETS,
            default: "three-modes",
        },
    ),
    (
        "classes",
        Kind::Choice {
            options: &crate::density::data::CLASS_PRESETS,
            default: "different-spread",
        },
    ),
    (
        "n",
        Kind::Int {
            min: 1,
            max: crate::density::MAX_POINTS as i64,
            default: 300,
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
    (
        "width",
        Kind::Float {
            min: 0.01,
            max: 0.5,
            default: 0.05,
        },
    ),
    (
        "bw",
        Kind::Float {
            min: 0.002,
            max: 0.3,
            default: 0.03,
        },
    ),
    (
        "k",
        Kind::Int {
            min: 1,
            max: crate::density::mixture::MAX_COMPONENTS as i64,
            default: 3,
        },
    ),
    (
        "cov",
        Kind::Choice {
            options: &["full", "diagonal", "kmeans"],
            default: "full",
        },
    ),
    (
        "sigma",
        Kind::Float {
            min: crate::density::mixture::MIN_SIGMA,
            max: 0.3,
            default: 0.05,
        },
    ),
    (
        "shade",
        Kind::Choice {
            options: &["histogram", "kde", "mixture"],
            default: "mixture",
        },
    ),
    (
        "chart",
        Kind::Choice {
            options: &["em", "width", "bw", "k"],
            default: "em",
        },
    ),
    (
        "clf",
        Kind::Choice {
            options: &["naive", "full", "logistic"],
            default: "full",
        },
    ),
];

const RNN: &[(&str, Kind)] = &[
    (
        "text",
        Kind::Text {
            max_chars: 2000,
            default: "hello",
        },
    ),
    (
        "cell",
        Kind::Choice {
            options: &["vanilla", "lstm"],
            default: "vanilla",
        },
    ),
    (
        "hidden",
        Kind::Int {
            min: 1,
            max: 512,
            default: 3,
        },
    ),
    (
        "seq",
        Kind::Int {
            min: 1,
            max: 200,
            default: 25,
        },
    ),
    (
        "opt",
        Kind::Choice {
            options: &["adagrad", "adam"],
            default: "adagrad",
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
    (
        "temp",
        Kind::Float {
            min: 0.05,
            max: 5.0,
            default: 1.0,
        },
    ),
];

const PIXELCNN: &[(&str, Kind)] = &[
    (
        "model",
        Kind::Choice {
            options: &["digits", "fashion"],
            default: "digits",
        },
    ),
    (
        "class",
        Kind::Int {
            min: 0,
            max: 9,
            default: 7,
        },
    ),
    (
        "n",
        Kind::Int {
            min: 1,
            max: 64,
            default: 4,
        },
    ),
    (
        "temp",
        Kind::Float {
            min: 0.1,
            max: 3.0,
            default: 1.0,
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
    (
        "sampler",
        Kind::Choice {
            options: &["cached", "naive"],
            default: "cached",
        },
    ),
    (
        "backend",
        Kind::Choice {
            options: &["auto", "webgpu", "cpu"],
            default: "auto",
        },
    ),
    (
        // On the CPU: the batch shared among Web Workers on every core, or one core.
        "cores",
        Kind::Choice {
            options: &["all", "one"],
            default: "all",
        },
    ),
];

const VAE: &[(&str, Kind)] = &[
    (
        "x",
        Kind::Float {
            min: -4.0,
            max: 4.0,
            default: 0.0,
        },
    ),
    (
        "y",
        Kind::Float {
            min: -4.0,
            max: 4.0,
            default: 0.0,
        },
    ),
    (
        "ex",
        Kind::Int {
            min: 0,
            max: 99,
            default: 70,
        },
    ),
    (
        "a",
        Kind::Int {
            min: 0,
            max: 99,
            default: 10,
        },
    ),
    (
        "b",
        Kind::Int {
            min: 0,
            max: 99,
            default: 80,
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
];

const ON_OFF: &[&str] = &["on", "off"];

const GAN: &[(&str, Kind)] = &[
    (
        "part",
        Kind::Choice {
            options: &["2d", "digits", "families"],
            default: "2d",
        },
    ),
    (
        "data",
        Kind::Choice {
            options: &crate::gan::data::PRESETS,
            default: "two",
        },
    ),
    // Drawn points, "x,y;x,y;..." in the unit square (read by the GAN facade).
    (
        "pts",
        Kind::Text {
            max_chars: 6000,
            default: "",
        },
    ),
    (
        "loss",
        Kind::Choice {
            options: &crate::gan::GeneratorLoss::NAMES,
            default: "non-saturating",
        },
    ),
    (
        "noise",
        Kind::Choice {
            options: &["gaussian", "uniform"],
            default: "gaussian",
        },
    ),
    (
        "nd",
        Kind::Int {
            min: 1,
            max: 2,
            default: 2,
        },
    ),
    (
        "gl",
        Kind::Int {
            min: 1,
            max: crate::gan::MAX_LAYERS as i64,
            default: 3,
        },
    ),
    (
        "gw",
        Kind::Int {
            min: 2,
            max: crate::gan::MAX_WIDTH as i64,
            default: 32,
        },
    ),
    (
        "dl",
        Kind::Int {
            min: 1,
            max: crate::gan::MAX_LAYERS as i64,
            default: 3,
        },
    ),
    (
        "dw",
        Kind::Int {
            min: 2,
            max: crate::gan::MAX_WIDTH as i64,
            default: 32,
        },
    ),
    (
        "opt",
        Kind::Choice {
            options: &["adam", "sgd"],
            default: "adam",
        },
    ),
    (
        "beta1",
        Kind::Float {
            min: 0.0,
            max: 0.99,
            default: 0.0,
        },
    ),
    (
        "lrg",
        Kind::Float {
            min: crate::gan::LR_RANGE.0,
            max: crate::gan::LR_RANGE.1,
            default: 2e-3,
        },
    ),
    (
        "lrd",
        Kind::Float {
            min: crate::gan::LR_RANGE.0,
            max: crate::gan::LR_RANGE.1,
            default: 3e-3,
        },
    ),
    (
        "k",
        Kind::Int {
            min: 1,
            max: crate::gan::MAX_D_STEPS as i64,
            default: 2,
        },
    ),
    (
        "decay",
        Kind::Int {
            min: 0,
            max: 1_000_000,
            default: 3000,
        },
    ),
    (
        "speed",
        Kind::Int {
            min: 1,
            max: 50,
            default: 2,
        },
    ),
    (
        "seed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
    (
        "real",
        Kind::Choice {
            options: ON_OFF,
            default: "on",
        },
    ),
    (
        "fake",
        Kind::Choice {
            options: ON_OFF,
            default: "on",
        },
    ),
    (
        "shade",
        Kind::Choice {
            options: ON_OFF,
            default: "on",
        },
    ),
    (
        "grid",
        Kind::Choice {
            options: ON_OFF,
            default: "on",
        },
    ),
    (
        "arrows",
        Kind::Choice {
            options: ON_OFF,
            default: "on",
        },
    ),
    (
        "dstar",
        Kind::Choice {
            options: ON_OFF,
            default: "off",
        },
    ),
    (
        "class",
        Kind::Int {
            min: 0,
            max: 9,
            default: 7,
        },
    ),
    (
        "dseed",
        Kind::Int {
            min: 0,
            max: 4_294_967_295,
            default: 1,
        },
    ),
];

pub const DEMOS: [&str; 6] = ["kmeans", "density", "rnn", "pixelcnn", "vae", "gan"];

/// Settings read from one URL; a longer query (a hostile or corrupted link) is cut, with a notice.
const MAX_PAIRS: usize = 64;

fn schema(demo: &str) -> Option<&'static [(&'static str, Kind)]> {
    match demo {
        "kmeans" => Some(KMEANS),
        "density" => Some(DENSITY),
        "rnn" => Some(RNN),
        "pixelcnn" => Some(PIXELCNN),
        "vae" => Some(VAE),
        "gan" => Some(GAN),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// The demo shown: one of `DEMOS` (unknown names fall back to "kmeans").
    pub demo: String,
    /// Every setting of that demo, defaults filled in.
    pub values: BTreeMap<String, Value>,
    /// One line per refused piece of the URL, for the page to show as text.
    pub notices: Vec<String>,
}

impl Settings {
    /// A whole-number setting's value (None when absent or not a whole number).
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.values.get(key)? {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// A text or choice setting's value (None when absent or not text).
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.values.get(key)? {
            Value::Text(v) => Some(v),
            _ => None,
        }
    }
}

/// Decodes %XX escapes; `None` for malformed escapes or invalid UTF-8. A '+' stays a '+'
/// (`init=kmeans++`): the page writes spaces as %20.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Shortens a value for a notice, so that a huge URL cannot flood the page.
fn shown(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

pub fn parse(demo: &str, query: &str) -> Settings {
    let mut notices = Vec::new();
    let demo_name = if schema(demo).is_some() {
        demo.to_string()
    } else {
        if !demo.is_empty() {
            notices.push(format!("unknown demo \"{}\": showing k-means", shown(demo)));
        }
        "kmeans".to_string()
    };
    let fields = schema(&demo_name).expect("known demo");
    let mut values: BTreeMap<String, Value> = fields
        .iter()
        .map(|(name, kind)| {
            let v = match kind {
                Kind::Int { default, .. } => Value::Int(*default),
                Kind::Float { default, .. } => Value::Float(*default),
                Kind::Choice { default, .. } => Value::Text(default.to_string()),
                Kind::Text { default, .. } => Value::Text(default.to_string()),
            };
            (name.to_string(), v)
        })
        .collect();
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if pairs.len() > MAX_PAIRS {
        notices.push(format!(
            "read the first {MAX_PAIRS} settings of {} and ignored the rest",
            pairs.len()
        ));
    }
    for pair in pairs.into_iter().take(MAX_PAIRS) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(key), Some(value)) = (percent_decode(raw_key), percent_decode(raw_value)) else {
            notices.push(format!("ignored a malformed setting \"{}\"", shown(pair)));
            continue;
        };
        let Some((_, kind)) = fields.iter().find(|(name, _)| *name == key) else {
            notices.push(format!("ignored the unknown setting \"{}\"", shown(&key)));
            continue;
        };
        let parsed = match kind {
            Kind::Int { min, max, .. } => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|v| (*min..=*max).contains(v))
                .map(Value::Int)
                .ok_or(format!("{key} must be a whole number from {min} to {max}")),
            Kind::Float { min, max, .. } => value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (*min..=*max).contains(v))
                .map(Value::Float)
                .ok_or(format!("{key} must be a number from {min} to {max}")),
            Kind::Choice { options, .. } => options
                .iter()
                .find(|o| **o == value)
                .map(|o| Value::Text(o.to_string()))
                .ok_or(format!("{key} must be one of {}", options.join(", "))),
            Kind::Text { max_chars, .. } => {
                if value.chars().count() > *max_chars
                    || value.chars().any(|c| c.is_control() && c != '\n')
                {
                    Err(format!(
                        "{key} must be at most {max_chars} printable characters"
                    ))
                } else if value.chars().count() < 2 {
                    Err(format!("{key} needs at least two characters"))
                } else {
                    Ok(Value::Text(value.clone()))
                }
            }
        };
        match parsed {
            Ok(v) => {
                values.insert(key, v);
            }
            Err(why) => notices.push(format!(
                "ignored {key}=\"{}\": {why}; using the default",
                shown(&value)
            )),
        }
    }
    Settings {
        demo: demo_name,
        values,
        notices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_settings_round_trip_and_bad_ones_fall_back_with_a_notice() {
        let s = parse("kmeans", "k=7&seed=42&init=forgy&preset=rings");
        assert_eq!(s.values["k"], Value::Int(7));
        assert_eq!(s.values["seed"], Value::Int(42));
        assert_eq!(s.values["init"], Value::Text("forgy".into()));
        assert!(s.notices.is_empty());
        let s = parse(
            "kmeans",
            "k=999&init=<script>alert(1)</script>&zzz=1&seed=-1",
        );
        assert_eq!(s.values["k"], Value::Int(4));
        // Refused values fall back to the defaults.
        assert_eq!(s.values["init"], Value::Text("random".into()));
        assert_eq!(s.values["seed"], Value::Int(2));
        assert_eq!(s.notices.len(), 4);
        let s = parse("rnn", "text=h%C3%A9llo%20w&temp=NaN&hidden=10000");
        assert_eq!(s.values["text"], Value::Text("héllo w".into()));
        assert_eq!(s.values["temp"], Value::Float(1.0));
        assert_eq!(s.values["hidden"], Value::Int(3));
        let s = parse("nope", "k=%ZZ");
        assert_eq!(s.demo, "kmeans");
        assert_eq!(s.notices.len(), 2);
        // '+' is a plus sign, not a space: the README's own example raises no notice.
        let s = parse("kmeans", "preset=anisotropic&k=3&init=kmeans++&seed=7");
        assert!(s.notices.is_empty(), "{:?}", s.notices);
        assert_eq!(s.values["init"], Value::Text("kmeans++".into()));
        let s = parse("rnn", "text=a+b%20c");
        assert_eq!(s.values["text"], Value::Text("a+b c".into()));
        // More settings than are read: the rest is ignored, and the page says so.
        let long: Vec<String> = (0..70).map(|i| format!("seed={i}")).collect();
        let s = parse("kmeans", &long.join("&"));
        assert_eq!(s.values["seed"], Value::Int(63));
        assert_eq!(
            s.notices,
            vec!["read the first 64 settings of 70 and ignored the rest"]
        );
    }
}
