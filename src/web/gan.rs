//! The GAN tab: a 2-D GAN trained live (`GanDemo`) and the digits generator (`GanDigits`).

use js_sys::{Float32Array, Float64Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::{pairs, seed32, to_js, whole};
use crate::gan::data::{RealDistribution, MAX_DRAWN};
use crate::gan::digits::{DigitsCard, DigitsGenerator};
use crate::gan::divergence::{self, Divergences};
use crate::gan::{
    Gan, GanConfig, GeneratorLoss, Noise, OptimizerKind, Phase, MAX_BATCH, MAX_D_STEPS, MAX_LAYERS,
    MAX_WIDTH,
};
use crate::rng::SeededRng;

/// Most points one call generates, scores or returns (the page shows a few hundred).
const MAX_POINTS: usize = 20_000;
/// Largest side of a grid of D values.
const MAX_GRID: usize = 256;
/// Most iterations one call runs (a frame takes a few).
const MAX_ITERATIONS: usize = 1000;
/// Most digits one call draws.
const MAX_DIGITS: usize = 256;

/// The options of a run as the page passes them; every number checked here.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Options {
    data: String,
    /// Drawn points, x0, y0, x1, y1, ... (only for `data: "drawn"`).
    points: Vec<f64>,
    loss: String,
    noise: String,
    noise_dim: f64,
    generator_layers: f64,
    generator_width: f64,
    discriminator_layers: f64,
    discriminator_width: f64,
    optimizer: String,
    beta1: f64,
    lr_generator: f64,
    lr_discriminator: f64,
    d_steps: f64,
    batch: f64,
    decay: f64,
    seed: f64,
}

impl Default for Options {
    fn default() -> Self {
        let c = GanConfig::default();
        Options {
            data: "two".into(),
            points: Vec::new(),
            loss: "non-saturating".into(),
            noise: "gaussian".into(),
            noise_dim: c.noise_dim as f64,
            generator_layers: c.generator_hidden.len() as f64,
            generator_width: c.generator_hidden[0] as f64,
            discriminator_layers: c.discriminator_hidden.len() as f64,
            discriminator_width: c.discriminator_hidden[0] as f64,
            optimizer: "adam".into(),
            beta1: c.beta1,
            lr_generator: c.lr_generator,
            lr_discriminator: c.lr_discriminator,
            d_steps: c.d_steps as f64,
            batch: c.batch as f64,
            decay: c.decay as f64,
            seed: c.seed as f64,
        }
    }
}

fn err(message: String) -> JsError {
    JsError::new(&message)
}

fn points_of(flat: &[f32], what: &str) -> Result<usize, JsError> {
    if !flat.len().is_multiple_of(2) || flat.len() / 2 > MAX_POINTS {
        return Err(JsError::new(&format!(
            "{what}: up to {MAX_POINTS} x, y pairs"
        )));
    }
    Ok(flat.len() / 2)
}

#[derive(Serialize)]
struct History {
    iteration: Vec<f64>,
    d_loss: Vec<f64>,
    g_loss: Vec<f64>,
    /// NaN where no evaluation was made.
    js: Vec<f64>,
    kl: Vec<f64>,
}

/// A 2-D GAN in training.
#[wasm_bindgen]
pub struct GanDemo {
    gan: Gan,
}

#[wasm_bindgen]
impl GanDemo {
    /// A new run from its options (an object; missing ones take their defaults). Refuses a
    /// setting out of range with a sentence.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<GanDemo, JsError> {
        let o: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("the GAN's options: {e}")))?
        };
        let drawn = pairs(&o.points, "drawn points")?;
        if drawn.len() > MAX_DRAWN {
            return Err(JsError::new(&format!("at most {MAX_DRAWN} drawn points")));
        }
        let real = RealDistribution::preset(&o.data, &drawn).map_err(err)?;
        let hidden = |layers: f64, width: f64, what: &str| -> Result<Vec<usize>, JsError> {
            let l = whole(
                layers,
                &format!("the {what}'s hidden layers"),
                1,
                MAX_LAYERS,
            )?;
            let w = whole(width, &format!("the {what}'s width"), 1, MAX_WIDTH)?;
            Ok(vec![w; l])
        };
        let config = GanConfig {
            noise: match o.noise.as_str() {
                "gaussian" => Noise::Gaussian,
                "uniform" => Noise::Uniform,
                other => {
                    return Err(err(format!(
                        "the noise is \"gaussian\" or \"uniform\", not {other:?}"
                    )))
                }
            },
            noise_dim: whole(o.noise_dim, "the noise's dimensions", 1, 2)?,
            generator_hidden: hidden(o.generator_layers, o.generator_width, "generator")?,
            discriminator_hidden: hidden(
                o.discriminator_layers,
                o.discriminator_width,
                "discriminator",
            )?,
            loss: GeneratorLoss::parse(&o.loss).map_err(err)?,
            optimizer: match o.optimizer.as_str() {
                "adam" => OptimizerKind::Adam,
                "sgd" => OptimizerKind::Sgd,
                other => {
                    return Err(err(format!(
                        "the optimizer is \"adam\" or \"sgd\", not {other:?}"
                    )))
                }
            },
            beta1: o.beta1,
            lr_generator: o.lr_generator,
            lr_discriminator: o.lr_discriminator,
            d_steps: whole(
                o.d_steps,
                "discriminator steps per generator step",
                1,
                MAX_D_STEPS,
            )?,
            batch: whole(o.batch, "the batch", 1, MAX_BATCH)?,
            decay: whole(o.decay, "the decay's iterations", 0, 1_000_000)?,
            seed: u64::from(seed32(o.seed)?),
        };
        Ok(GanDemo {
            gan: Gan::new(config, real).map_err(err)?,
        })
    }

    /// The discriminator's half-step (k updates).
    #[wasm_bindgen(js_name = trainDiscriminator)]
    pub fn train_discriminator(&mut self) -> Result<(), JsError> {
        self.gan.train_discriminator().map_err(err)
    }

    /// The generator's half-step (one update).
    #[wasm_bindgen(js_name = trainGenerator)]
    pub fn train_generator(&mut self) -> Result<(), JsError> {
        self.gan.train_generator().map_err(err)
    }

    /// `n` whole iterations.
    pub fn iterate(&mut self, n: f64) -> Result<(), JsError> {
        let n = whole(n, "the number of iterations", 0, MAX_ITERATIONS)?;
        self.gan.iterate(n).map_err(err)
    }

    /// The whole run as bytes, with the history rows from `historyFrom` on: what the page's
    /// Web Worker sends back after training, to be drawn.
    pub fn state(&self, history_from: f64) -> Result<Uint8Array, JsError> {
        let from = whole(history_from, "the first history row", 0, usize::MAX >> 12)?;
        Ok(Uint8Array::from(self.gan.save_state(from).as_slice()))
    }

    /// Takes on a state from `state()` of a run with the same options; refuses other bytes with
    /// a sentence and then changes nothing.
    pub fn restore(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.gan.restore_state(bytes).map_err(err)
    }

    pub fn iteration(&self) -> usize {
        self.gan.iteration
    }

    /// "discriminator" or "generator": the half-step that comes next.
    #[wasm_bindgen(js_name = nextPhase)]
    pub fn next_phase(&self) -> String {
        match self.gan.phase {
            Phase::Discriminator => "discriminator".into(),
            Phase::Generator => "generator".into(),
        }
    }

    /// Whether the learning rates have decayed to zero.
    pub fn finished(&self) -> bool {
        self.gan.finished()
    }

    /// Why the run stopped, when it diverged.
    pub fn diverged(&self) -> Option<String> {
        self.gan.diverged.clone()
    }

    /// The history from row `from` on: iteration, both losses, JS and KL (NaN between
    /// evaluations).
    pub fn history(&self, from: f64) -> Result<JsValue, JsError> {
        let from = whole(from, "the first row", 0, usize::MAX >> 12)?.min(self.gan.history.len());
        let rows = &self.gan.history[from..];
        let pick = |f: &dyn Fn(&Divergences) -> f64| {
            rows.iter()
                .map(|r| r.divergences.as_ref().map_or(f64::NAN, f))
                .collect()
        };
        to_js(&History {
            iteration: rows.iter().map(|r| r.iteration as f64).collect(),
            d_loss: rows.iter().map(|r| r.d_loss).collect(),
            g_loss: rows.iter().map(|r| r.g_loss).collect(),
            js: pick(&|d| d.js),
            kl: pick(&|d| d.kl),
        })
    }

    /// JS, KL and the share outside the square, now (10,000 generated points, 30 x 30 cells).
    pub fn divergences(&self) -> Result<JsValue, JsError> {
        to_js(&self.gan.divergences())
    }

    /// The modes' shares of the generated points (null for a line, a spiral or drawn data).
    #[wasm_bindgen(js_name = modeShares)]
    pub fn mode_shares(&self) -> Result<JsValue, JsError> {
        to_js(&self.gan.mode_shares())
    }

    /// The real distribution's centres of its modes, x0, y0, ... (for the legend's marks).
    pub fn modes(&self) -> Float64Array {
        let flat: Vec<f64> = self.gan.real.modes.iter().flatten().copied().collect();
        Float64Array::from(&flat[..])
    }

    /// `n` samples of the real distribution from `seed` (x, y interleaved).
    #[wasm_bindgen(js_name = realPoints)]
    pub fn real_points(&self, n: f64, seed: f64) -> Result<Float32Array, JsError> {
        let n = whole(n, "the number of points", 0, MAX_POINTS)?;
        let mut rng = SeededRng::new(u64::from(seed32(seed)?) ^ 0xDA7A);
        let mut out = Vec::new();
        self.gan.real.sample(n, &mut rng, &mut out);
        Ok(Float32Array::from(&out[..]))
    }

    /// `n` noise vectors from `seed` (the generator's input).
    pub fn noise(&self, n: f64, seed: f64) -> Result<Float32Array, JsError> {
        let n = whole(n, "the number of noise vectors", 0, MAX_POINTS)?;
        let mut rng = SeededRng::new(u64::from(seed32(seed)?) ^ 0x2015E);
        let dim = self.gan.config.noise_dim;
        let out: Vec<f32> = (0..n * dim)
            .map(|_| match self.gan.config.noise {
                Noise::Uniform => (rng.next_f64() * 2.0 - 1.0) as f32,
                Noise::Gaussian => rng.normal() as f32,
            })
            .collect();
        Ok(Float32Array::from(&out[..]))
    }

    /// G(z) for noise vectors (one or two numbers each).
    pub fn generate(&self, noise: &[f32]) -> Result<Float32Array, JsError> {
        let dim = self.gan.config.noise_dim;
        if !noise.len().is_multiple_of(dim) || noise.len() / dim > MAX_POINTS {
            return Err(JsError::new(&format!(
                "up to {MAX_POINTS} noise vectors of {dim} numbers"
            )));
        }
        Ok(Float32Array::from(&self.gan.generate(noise)[..]))
    }

    /// The generator's image of a grid over the noise space: `lines` lines each way, each of
    /// `samples` points (with 1-D noise: one line of `lines * samples` points). Points x, y
    /// interleaved, line after line. The grid spans [-1, 1] for uniform noise, [-2.5, 2.5] for
    /// Gaussian (99% of its mass per axis).
    #[wasm_bindgen(js_name = generatorGrid)]
    pub fn generator_grid(&self, lines: f64, samples: f64) -> Result<Float32Array, JsError> {
        let lines = whole(lines, "the grid's lines", 2, 64)?;
        let samples = whole(samples, "points per line", 2, 256)?;
        let reach = match self.gan.config.noise {
            Noise::Uniform => 1.0,
            Noise::Gaussian => 2.5,
        };
        let at = |i: usize, n: usize| (-reach + 2.0 * reach * i as f64 / (n - 1) as f64) as f32;
        let mut noise = Vec::new();
        if self.gan.config.noise_dim == 1 {
            let n = lines * samples;
            noise.extend((0..n).map(|i| at(i, n)));
        } else {
            for l in 0..lines {
                for s in 0..samples {
                    noise.extend([at(s, samples), at(l, lines)]);
                }
            }
            for l in 0..lines {
                for s in 0..samples {
                    noise.extend([at(l, lines), at(s, samples)]);
                }
            }
        }
        Ok(Float32Array::from(&self.gan.generate(&noise)[..]))
    }

    /// D(x) at the centres of a `side` x `side` grid over the unit square (row 0 at y near 0).
    #[wasm_bindgen(js_name = discriminatorGrid)]
    pub fn discriminator_grid(&self, side: f64) -> Result<Float32Array, JsError> {
        let side = whole(side, "the grid side", 2, MAX_GRID)?;
        let mut points = Vec::with_capacity(2 * side * side);
        for r in 0..side {
            for c in 0..side {
                points.extend([
                    (c as f32 + 0.5) / side as f32,
                    (r as f32 + 0.5) / side as f32,
                ]);
            }
        }
        Ok(Float32Array::from(
            &self.gan.discriminator_values(&points)[..],
        ))
    }

    /// D(x) at given points.
    #[wasm_bindgen(js_name = discriminatorAt)]
    pub fn discriminator_at(&self, points: &[f32]) -> Result<Float32Array, JsError> {
        points_of(points, "points")?;
        Ok(Float32Array::from(
            &self.gan.discriminator_values(points)[..],
        ))
    }

    /// The optimal discriminator for the generator as it is, D* = p_data / (p_data + p_g),
    /// on the same grid as `discriminatorGrid`, p_g a kernel density of 10,000 generated points.
    #[wasm_bindgen(js_name = optimalDiscriminatorGrid)]
    pub fn optimal_discriminator_grid(&self, side: f64) -> Result<Float64Array, JsError> {
        let side = whole(side, "the grid side", 2, 128)?;
        let grid = divergence::optimal_discriminator(&self.gan.real, &self.gan.eval_points(), side);
        Ok(Float64Array::from(&grid[..]))
    }

    /// Where the generator's next step moves each point: minus the gradient of its loss.
    #[wasm_bindgen(js_name = pointGradients)]
    pub fn point_gradients(&self, points: &[f32]) -> Result<Float32Array, JsError> {
        points_of(points, "points")?;
        Ok(Float32Array::from(&self.gan.point_gradients(points)[..]))
    }

    /// The real density at the centres of a `side` x `side` grid (as `discriminatorGrid`).
    #[wasm_bindgen(js_name = realDensityGrid)]
    pub fn real_density_grid(&self, side: f64) -> Result<Float64Array, JsError> {
        let side = whole(side, "the grid side", 2, 128)?;
        let grid: Vec<f64> = (0..side * side)
            .map(|i| {
                self.gan.real.density(
                    ((i % side) as f64 + 0.5) / side as f64,
                    ((i / side) as f64 + 0.5) / side as f64,
                )
            })
            .collect();
        Ok(Float64Array::from(&grid[..]))
    }
}

/// Each generator loss, and its slope with respect to D's raw output, at `n` values of
/// D(G(z)) evenly spaced in (0, 1): [D..., minimax..., non-saturating..., least squares...,
/// then the three slopes]. The loss plot's curves.
#[wasm_bindgen(js_name = ganLossCurves)]
pub fn gan_loss_curves(n: f64) -> Result<Float64Array, JsError> {
    let n = whole(n, "the number of points", 2, 1000)?;
    let d: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
    let losses = [
        GeneratorLoss::Minimax,
        GeneratorLoss::NonSaturating,
        GeneratorLoss::LeastSquares,
    ];
    let mut out = d.clone();
    for l in losses {
        out.extend(d.iter().map(|&v| l.of_d(v).0));
    }
    for l in losses {
        out.extend(d.iter().map(|&v| l.of_d(v).1));
    }
    Ok(Float64Array::from(&out[..]))
}

/// Reads drawn points written as "x,y;x,y;..." (the URL's form): each pair in the unit square,
/// at most 2,000 pairs. Returns x0, y0, x1, y1, ...
#[wasm_bindgen(js_name = parseGanPoints)]
pub fn parse_gan_points(text: &str) -> Result<Float64Array, JsError> {
    let mut out = Vec::new();
    for (i, pair) in text.split(';').filter(|p| !p.trim().is_empty()).enumerate() {
        if i >= MAX_DRAWN {
            return Err(JsError::new(&format!("at most {MAX_DRAWN} drawn points")));
        }
        let mut it = pair.split(',').map(|v| v.trim().parse::<f64>());
        match (it.next(), it.next(), it.next()) {
            (Some(Ok(x)), Some(Ok(y)), None)
                if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) =>
            {
                out.extend([x, y])
            }
            _ => {
                return Err(JsError::new(&format!(
                    "drawn point {} ({pair:?}) is not \"x,y\" with both in [0, 1]",
                    i + 1
                )))
            }
        }
    }
    Ok(Float64Array::from(&out[..]))
}

/// The class-conditional digits generator.
#[wasm_bindgen]
pub struct GanDigits {
    card: DigitsCard,
    generator: DigitsGenerator,
}

#[wasm_bindgen]
impl GanDigits {
    #[wasm_bindgen(constructor)]
    pub fn new(weights_bytes: &[u8], card_json: &str) -> Result<GanDigits, JsError> {
        let card = DigitsCard::parse(card_json).map_err(|e| err(e.to_string()))?;
        let generator = DigitsGenerator::from_safetensors(weights_bytes, &card.config)
            .map_err(|e| err(e.to_string()))?;
        Ok(GanDigits { card, generator })
    }

    pub fn card(&self) -> Result<JsValue, JsError> {
        to_js(&self.card)
    }

    fn class(&self, label: f64) -> Result<usize, JsError> {
        whole(label, "the class", 0, self.card.config.classes - 1)
    }

    /// The noise vectors of `generate(n, class, seed)`, one after another.
    pub fn noise(&self, n: f64, seed: f64) -> Result<Float32Array, JsError> {
        let n = whole(n, "the number of digits", 1, MAX_DIGITS)?;
        let mut rng = SeededRng::new(u64::from(seed32(seed)?));
        let flat: Vec<f32> = (0..n)
            .flat_map(|_| self.generator.noise(&mut rng))
            .collect();
        Ok(Float32Array::from(&flat[..]))
    }

    /// `n` digits of `class` from `seed`: grey images one after another.
    pub fn generate(&self, n: f64, class: f64, seed: f64) -> Result<Uint8Array, JsError> {
        let label = self.class(class)?;
        let noise = self.noise(n, seed)?.to_vec();
        self.images_of(&noise, label)
    }

    /// The images of given noise vectors (`noise` holds whole vectors) for one class.
    #[wasm_bindgen(js_name = fromNoise)]
    pub fn images_from_noise(&self, noise: &[f32], class: f64) -> Result<Uint8Array, JsError> {
        let label = self.class(class)?;
        self.images_of(noise, label)
    }

    fn images_of(&self, noise: &[f32], label: usize) -> Result<Uint8Array, JsError> {
        let dim = self.card.config.noise;
        if noise.is_empty() || !noise.len().is_multiple_of(dim) || noise.len() / dim > MAX_DIGITS {
            return Err(err(format!(
                "give 1 to {MAX_DIGITS} noise vectors of {dim} numbers"
            )));
        }
        let mut out = Vec::with_capacity(noise.len() / dim * 784);
        for z in noise.chunks_exact(dim) {
            out.extend(
                self.generator
                    .generate(z, label)
                    .map_err(|e| err(e.to_string()))?,
            );
        }
        Ok(Uint8Array::from(&out[..]))
    }

    /// A walk of `steps` images from the noise of seed `a` to that of seed `b` (straight line
    /// in z, both ends included), all of `class`.
    pub fn walk(&self, class: f64, a: f64, b: f64, steps: f64) -> Result<Uint8Array, JsError> {
        let label = self.class(class)?;
        let steps = whole(steps, "the walk's steps", 2, 64)?;
        let za = self.noise(1.0, a)?.to_vec();
        let zb = self.noise(1.0, b)?.to_vec();
        let mut noise = Vec::with_capacity(steps * za.len());
        for s in 0..steps {
            let t = s as f32 / (steps - 1) as f32;
            noise.extend(za.iter().zip(&zb).map(|(x, y)| x + t * (y - x)));
        }
        self.images_of(&noise, label)
    }
}
