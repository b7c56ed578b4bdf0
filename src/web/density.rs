//! The density tab: data with a held-out split, a histogram, a kernel density estimate and a
//! Gaussian mixture fitted by EM one half-step at a time; and classification by Bayes' rule
//! against logistic regression. Every number is computed in `crate::density`.

use js_sys::{Float32Array, Float64Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{pairs, seed64, to_js, whole};
use crate::density::classify::{accuracy, GaussianClassifier, LogisticRegression, MAX_CLASSES};
use crate::density::mixture::{self, Covariance, Mixture};
use crate::density::{self, data, DensityError, Histogram, Kde, MAX_POINTS};
use crate::rng::SeededRng;

/// Share of the points held out (never fitted, only scored).
const HELD_OUT_FRACTION: f64 = 0.3;
/// Settings of the overfitting curves: 50 bin widths and bandwidths, log-spaced.
const CURVE_POINTS: usize = 50;
const WIDTHS: (f64, f64) = (0.01, 0.5);
const BANDWIDTHS: (f64, f64) = (0.002, 0.3);
const MAX_CURVE_COMPONENTS: usize = 10;

fn js(e: DensityError) -> JsError {
    JsError::new(&e.to_string())
}

/// A number from JS that must be finite and in range.
fn number(value: f64, what: &'static str, min: f64, max: f64) -> Result<f64, JsError> {
    density::check_range(what, value, min, max).map_err(js)
}

#[derive(Clone, Copy, PartialEq)]
enum Estimator {
    Histogram(f64),
    Kde(f64),
    Mixture,
}

#[derive(Serialize)]
struct Accuracies {
    naive: f64,
    full: f64,
    logistic: f64,
    train_naive: f64,
    train_full: f64,
    train_logistic: f64,
}

#[wasm_bindgen]
pub struct DensityDemo {
    dim: usize,
    points: Vec<[f64; 2]>,
    held: Vec<bool>,
    /// Class of each point in the classification part (empty otherwise).
    labels: Vec<u8>,
    classes: usize,
    estimator: Estimator,
    mixture: Option<Mixture>,
    logistic: LogisticRegression,
    /// The logistic regression's loss after every step.
    losses: Vec<f64>,
}

impl DensityDemo {
    fn train(&self) -> Vec<[f64; 2]> {
        self.split(false)
    }
    fn held_out(&self) -> Vec<[f64; 2]> {
        self.split(true)
    }
    fn split(&self, held: bool) -> Vec<[f64; 2]> {
        let (train, held_out) = data::split(&self.points, &self.held);
        if held {
            held_out
        } else {
            train
        }
    }
    fn labelled(&self, held: bool) -> (Vec<[f64; 2]>, Vec<u8>) {
        let (train, held_out) = data::split(&self.points, &self.held);
        let (train_labels, held_labels) = data::split(&self.labels, &self.held);
        if held {
            (held_out, held_labels)
        } else {
            (train, train_labels)
        }
    }
    fn mixture_ref(&self) -> Result<&Mixture, JsError> {
        self.mixture
            .as_ref()
            .ok_or_else(|| JsError::new("start the mixture first (Reset)"))
    }
    fn classifier(&self, which: &str) -> Result<GaussianClassifier, JsError> {
        let naive = match which {
            "naive" => true,
            "full" => false,
            _ => {
                return Err(JsError::new(
                    "the Gaussian classifier is \"naive\" or \"full\" (logistic regression has no p(x | y))",
                ))
            }
        };
        let (points, labels) = self.labelled(false);
        GaussianClassifier::fit(&points, &labels, self.classes, naive).map_err(js)
    }
    /// ln p(x) under the current estimator, for every point given.
    fn log_density(&self, points: &[[f64; 2]]) -> Result<Vec<f64>, JsError> {
        let train = self.train();
        Ok(match self.estimator {
            Estimator::Histogram(w) => {
                let h = Histogram::fit(self.dim, &train, w).map_err(js)?;
                points.iter().map(|&p| h.log_density(p)).collect()
            }
            Estimator::Kde(bw) => {
                let k = Kde::new(self.dim, &train, bw).map_err(js)?;
                points.iter().map(|&p| k.log_density(p)).collect()
            }
            Estimator::Mixture => {
                let m = self.mixture_ref()?;
                points.iter().map(|&p| m.log_density(p)).collect()
            }
        })
    }
    fn reset_models(&mut self) {
        self.mixture = None;
        self.logistic = LogisticRegression::new(self.classes.max(2));
        self.losses.clear();
    }
}

fn flat(points: &[[f64; 2]]) -> Float32Array {
    let v: Vec<f32> = points
        .iter()
        .flat_map(|p| [p[0] as f32, p[1] as f32])
        .collect();
    Float32Array::from(&v[..])
}

/// The points exactly (x, y pairs; y = 0 in 1-D): what the curve's Web Worker scores.
fn flat64(points: &[[f64; 2]]) -> Float64Array {
    let v: Vec<f64> = points.iter().flat_map(|p| [p[0], p[1]]).collect();
    Float64Array::from(&v[..])
}

fn unflat(values: &[f64], what: &str) -> Result<Vec<[f64; 2]>, JsError> {
    let points = pairs(values, what)?;
    if points.len() > MAX_POINTS {
        return Err(JsError::new(&format!(
            "{what}: up to {MAX_POINTS} x, y pairs"
        )));
    }
    if points
        .iter()
        .flatten()
        .any(|v| !(v.is_finite() && (0.0..=1.0).contains(v)))
    {
        return Err(JsError::new(&format!(
            "{what}: every coordinate from 0 to 1"
        )));
    }
    Ok(points)
}

/// The overfitting curve of an estimator (see `DensityDemo::curve`) for the given points,
/// reporting the fraction done to `progress` (a function of one number, optional) as it goes:
/// the page computes it in a Web Worker, since at thousands of points it takes seconds.
#[wasm_bindgen(js_name = densityCurve)]
#[allow(clippy::too_many_arguments)]
pub fn density_curve(
    dim: f64,
    train: &[f64],
    held_out: &[f64],
    name: &str,
    kind: &str,
    sigma: f64,
    seed: JsValue,
    progress: Option<js_sys::Function>,
) -> Result<Float64Array, JsError> {
    let dim = whole(dim, "the dimension", 1, 2)?;
    let train = unflat(train, "the training points")?;
    let held_out = unflat(held_out, "the held-out points")?;
    let mut report = |fraction: f64| {
        if let Some(f) = &progress {
            // A throwing callback only loses its progress line, not the curve.
            let _ = f.call1(&JsValue::NULL, &fraction.into());
        }
    };
    curve_of(dim, &train, &held_out, name, kind, sigma, seed, &mut report)
}

/// { train, heldOut, zeroDensity } from each point's ln p(x).
fn scores_object(train: &[f64], held: &[f64]) -> Result<JsValue, JsError> {
    let mean = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let zero_density = held.iter().filter(|l| **l == f64::NEG_INFINITY).count();
    // -inf and NaN would cross as null in JSON: the object is built with them as numbers.
    let out = js_sys::Object::new();
    for (k, v) in [
        ("train", mean(train)),
        ("heldOut", mean(held)),
        ("zeroDensity", zero_density as f64),
    ] {
        js_sys::Reflect::set(&out, &k.into(), &v.into())
            .map_err(|_| JsError::new("could not build the scores"))?;
    }
    Ok(out.into())
}

/// The kernel density's scores (as `DensityDemo::scores` gives them with the KDE chosen) for
/// the given points: n^2 kernels, a third of a second at 5,000 points, so the page's Web
/// Worker computes them.
#[wasm_bindgen(js_name = kdeScores)]
pub fn kde_scores(
    dim: f64,
    train: &[f64],
    held_out: &[f64],
    bandwidth: f64,
) -> Result<JsValue, JsError> {
    let dim = whole(dim, "the dimension", 1, 2)?;
    let train = unflat(train, "the training points")?;
    let held_out = unflat(held_out, "the held-out points")?;
    let kde = Kde::new(dim, &train, bandwidth).map_err(js)?;
    let of =
        |points: &[[f64; 2]]| -> Vec<f64> { points.iter().map(|&p| kde.log_density(p)).collect() };
    scores_object(&of(&train), &of(&held_out))
}

#[allow(clippy::too_many_arguments)]
fn curve_of(
    dim: usize,
    train: &[[f64; 2]],
    held: &[[f64; 2]],
    name: &str,
    kind: &str,
    sigma: f64,
    seed: JsValue,
    progress: density::Progress,
) -> Result<Float64Array, JsError> {
    let curve = match name {
        "histogram" => density::histogram_curve(
            dim,
            train,
            held,
            &density::log_spaced(WIDTHS.0, WIDTHS.1, CURVE_POINTS),
            progress,
        ),
        "kde" => density::kde_curve(
            dim,
            train,
            held,
            &density::log_spaced(BANDWIDTHS.0, BANDWIDTHS.1, CURVE_POINTS),
            progress,
        ),
        "mixture" => {
            let kind = covariance(kind, sigma)?;
            mixture::components_curve(
                dim,
                train,
                held,
                MAX_CURVE_COMPONENTS,
                kind,
                seed64(seed)?,
                progress,
            )
        }
        _ => {
            return Err(JsError::new(
                "the estimator is \"histogram\", \"kde\" or \"mixture\"",
            ))
        }
    }
    .map_err(js)?;
    let all: Vec<f64> = curve
        .settings
        .iter()
        .chain(&curve.train)
        .chain(&curve.held_out)
        .copied()
        .collect();
    Ok(Float64Array::from(&all[..]))
}

#[wasm_bindgen]
impl DensityDemo {
    #[wasm_bindgen(constructor)]
    pub fn new() -> DensityDemo {
        DensityDemo {
            dim: 2,
            points: Vec::new(),
            held: Vec::new(),
            labels: Vec::new(),
            classes: 0,
            estimator: Estimator::Kde(0.05),
            mixture: None,
            logistic: LogisticRegression::new(2),
            losses: Vec::new(),
        }
    }

    /// Replaces the data: `part` is "1d" or "2d" (a density preset) or "classify" (a labelled
    /// preset); 30% of the points, chosen by the seed, are held out.
    pub fn generate(
        &mut self,
        part: &str,
        preset: &str,
        n: f64,
        seed: JsValue,
    ) -> Result<(), JsError> {
        let seed = seed64(seed)?;
        let n = whole(n, "the number of points", 1, MAX_POINTS)?;
        let unknown = || JsError::new(&format!("unknown data preset {preset:?}"));
        match part {
            "1d" | "2d" => {
                let dim = if part == "1d" { 1 } else { 2 };
                self.points = data::density_preset(preset, dim, n, seed)
                    .map_err(js)?
                    .ok_or_else(unknown)?;
                self.dim = dim;
                self.labels.clear();
                self.classes = 0;
            }
            "classify" => {
                let (points, labels) = data::class_preset(preset, n, seed)
                    .map_err(js)?
                    .ok_or_else(unknown)?;
                self.classes = labels
                    .iter()
                    .map(|&l| l as usize + 1)
                    .max()
                    .unwrap_or(2)
                    .max(2);
                self.points = points;
                self.labels = labels;
                self.dim = 2;
            }
            _ => return Err(JsError::new("the part is \"1d\", \"2d\" or \"classify\"")),
        }
        self.held = data::held_out_mask(self.points.len(), HELD_OUT_FRACTION, seed);
        self.reset_models();
        Ok(())
    }

    /// Adds one point (a training point, or a held-out one); `label` is its class in the
    /// classification part (ignored otherwise). In 1-D, y is ignored.
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: f64, y: f64, held_out: bool, label: f64) -> Result<(), JsError> {
        if self.points.len() >= MAX_POINTS {
            return Err(js(DensityError::TooManyPoints(self.points.len() + 1)));
        }
        let x = number(x, "x", 0.0, 1.0)?;
        let y = if self.dim == 1 {
            0.0
        } else {
            number(y, "y", 0.0, 1.0)?
        };
        if self.classes > 0 {
            let label = whole(label, "the class", 0, self.classes - 1)? as u8;
            self.labels.push(label);
        }
        self.points.push([x, y]);
        self.held.push(held_out);
        if !held_out {
            if let Some(m) = self.mixture.as_mut() {
                m.data_changed();
            }
        }
        Ok(())
    }

    pub fn clear(&mut self) {
        self.points.clear();
        self.held.clear();
        self.labels.clear();
        self.reset_models();
    }

    pub fn dim(&self) -> usize {
        self.dim
    }
    pub fn classes(&self) -> usize {
        self.classes
    }
    /// Training points, flat (x, y) pairs.
    #[wasm_bindgen(js_name = trainPoints)]
    pub fn train_points(&self) -> Float64Array {
        flat64(&self.train())
    }
    #[wasm_bindgen(js_name = heldOutPoints)]
    pub fn held_out_points(&self) -> Float64Array {
        flat64(&self.held_out())
    }
    #[wasm_bindgen(js_name = trainLabels)]
    pub fn train_labels(&self) -> Uint8Array {
        Uint8Array::from(&self.labelled(false).1[..])
    }
    #[wasm_bindgen(js_name = heldOutLabels)]
    pub fn held_out_labels(&self) -> Uint8Array {
        Uint8Array::from(&self.labelled(true).1[..])
    }

    // ---- density estimation

    /// "histogram" with its bin width, "kde" with its bandwidth, or "mixture" (the mixture
    /// fitted so far; `setting` unused).
    #[wasm_bindgen(js_name = setEstimator)]
    pub fn set_estimator(&mut self, name: &str, setting: f64) -> Result<(), JsError> {
        self.estimator = match name {
            "histogram" => Estimator::Histogram(number(setting, "the bin width", 0.001, 1.0)?),
            "kde" => Estimator::Kde(number(setting, "the bandwidth", 0.001, 1.0)?),
            "mixture" => Estimator::Mixture,
            _ => {
                return Err(JsError::new(
                    "the estimator is \"histogram\", \"kde\" or \"mixture\"",
                ))
            }
        };
        Ok(())
    }

    /// The current estimator's density on a grid of cell centres over [0, 1]^d: `side` values
    /// in 1-D, side x side (rows from y = 0) in 2-D.
    pub fn grid(&self, side: f64) -> Result<Float32Array, JsError> {
        let side = whole(
            side,
            "the grid size",
            1,
            if self.dim == 1 { 4096 } else { 256 },
        )?;
        if let Estimator::Kde(bw) = self.estimator {
            let train = self.train();
            let kde = Kde::new(self.dim, &train, bw).map_err(js)?;
            let values: Vec<f32> = kde.grid_density(side).iter().map(|&v| v as f32).collect();
            return Ok(Float32Array::from(&values[..]));
        }
        let cells = density::grid_cells(self.dim, side);
        let values: Vec<f32> = self
            .log_density(&cells)?
            .iter()
            .map(|l| l.exp() as f32)
            .collect();
        Ok(Float32Array::from(&values[..]))
    }

    /// Mean ln p(x) per training and per held-out point under the current estimator:
    /// { train, heldOut (-inf when a held-out point has zero density), zeroDensity (how many) }.
    pub fn scores(&self) -> Result<JsValue, JsError> {
        scores_object(
            &self.log_density(&self.train())?,
            &self.log_density(&self.held_out())?,
        )
    }

    /// The overfitting curve of an estimator: mean ln p(x) per training and held-out point
    /// against its setting (bin width, bandwidth, or number of components). For the mixture,
    /// `kind` and `sigma` choose its covariances, `seed` its start. Returns a Float64Array of
    /// [settings..., train..., held-out...].
    pub fn curve(
        &self,
        name: &str,
        kind: &str,
        sigma: f64,
        seed: JsValue,
    ) -> Result<Float64Array, JsError> {
        curve_of(
            self.dim,
            &self.train(),
            &self.held_out(),
            name,
            kind,
            sigma,
            seed,
            &mut |_| {},
        )
    }

    /// `count` points drawn from the current estimator (flat x, y pairs; y = 0 in 1-D).
    pub fn sample(&self, count: f64, seed: JsValue) -> Result<Float32Array, JsError> {
        let count = whole(count, "the number of samples", 0, MAX_POINTS)?;
        let mut rng = SeededRng::new(seed64(seed)?);
        let train = self.train();
        let drawn = match self.estimator {
            Estimator::Histogram(w) => Histogram::fit(self.dim, &train, w)
                .map_err(js)?
                .sample(count, &mut rng),
            Estimator::Kde(bw) => Kde::new(self.dim, &train, bw)
                .map_err(js)?
                .sample(count, &mut rng),
            Estimator::Mixture => self.mixture_ref()?.sample(count, &mut rng),
        };
        Ok(flat(&drawn))
    }

    // ---- the mixture, by EM

    /// A fresh mixture of k components ("full", "diagonal" or "kmeans" covariances; sigma is the
    /// k-means limit's fixed standard deviation), means placed by k-means++ from the seed.
    #[wasm_bindgen(js_name = mixtureReset)]
    pub fn mixture_reset(
        &mut self,
        k: f64,
        kind: &str,
        sigma: f64,
        seed: JsValue,
    ) -> Result<(), JsError> {
        let k = whole(k, "the number of components", 1, mixture::MAX_COMPONENTS)?;
        let kind = covariance(kind, sigma)?;
        self.mixture =
            Some(Mixture::new(self.dim, &self.train(), k, kind, seed64(seed)?).map_err(js)?);
        Ok(())
    }

    /// The next EM half-step ("expectation" or "maximisation"); returns what it did:
    /// { phase, bound, reseeded: [components moved], changed }.
    #[wasm_bindgen(js_name = emHalfStep)]
    pub fn em_half_step(&mut self) -> Result<JsValue, JsError> {
        let train = self.train();
        if train.is_empty() {
            return Err(js(DensityError::NoPoints));
        }
        let m = self
            .mixture
            .as_mut()
            .ok_or_else(|| JsError::new("start the mixture first (Reset)"))?;
        // Points added since the last E-step: the M-step does the E-step first (see Mixture).
        to_js(&m.half_step(&train))
    }

    /// "expectation" or "maximisation", or "" without a mixture.
    #[wasm_bindgen(js_name = emNextPhase)]
    pub fn em_next_phase(&self) -> String {
        match self.mixture.as_ref().map(|m| m.next_phase()) {
            Some(mixture::Phase::Expectation) => "expectation".into(),
            Some(mixture::Phase::Maximisation) => "maximisation".into(),
            None => String::new(),
        }
    }

    /// The bound per point after every half-step.
    #[wasm_bindgen(js_name = emBounds)]
    pub fn em_bounds(&self) -> Float64Array {
        Float64Array::from(self.mixture.as_ref().map_or(&[][..], |m| m.bounds()))
    }

    #[wasm_bindgen(js_name = emIterations)]
    pub fn em_iterations(&self) -> usize {
        self.mixture.as_ref().map_or(0, |m| m.iterations())
    }

    /// Whether EM has converged (a rise below 1e-6 nats per point with less than that left to
    /// gain: `Mixture::converged`).
    #[wasm_bindgen(js_name = emConverged)]
    pub fn em_converged(&self) -> bool {
        self.mixture.as_ref().is_some_and(|m| m.converged(1e-6))
    }

    /// Per component: weight, mean x, mean y, then the 1-sigma ellipse (major radius, minor
    /// radius, angle): 6 numbers each.
    #[wasm_bindgen(js_name = mixtureComponents)]
    pub fn mixture_components(&self) -> Float64Array {
        let Some(m) = &self.mixture else {
            return Float64Array::new_with_length(0);
        };
        let v: Vec<f64> = m
            .components
            .iter()
            .zip(&m.weights)
            .flat_map(|(g, w)| {
                let [r1, r2, angle] = g.ellipse(self.dim);
                [*w, g.mean[0], g.mean[1], r1, r2, angle]
            })
            .collect();
        Float64Array::from(&v[..])
    }

    /// The training points' responsibilities (point-major, k per point); empty before the
    /// first E-step.
    pub fn responsibilities(&self) -> Float32Array {
        let v: Vec<f32> = self.mixture.as_ref().map_or(Vec::new(), |m| {
            m.responsibilities.iter().map(|&q| q as f32).collect()
        });
        Float32Array::from(&v[..])
    }

    // ---- classification

    /// p(y | x) on a side x side grid (rows from y = 0), `classes` values per cell, of the
    /// "naive" or "full" Gaussian classifier or the "logistic" regression.
    #[wasm_bindgen(js_name = posteriorGrid)]
    pub fn posterior_grid(&self, which: &str, side: f64) -> Result<Float32Array, JsError> {
        let side = whole(side, "the grid size", 1, 256)?;
        self.need_classes()?;
        let cells = density::grid_cells(2, side).into_iter();
        let values: Vec<f32> = match which {
            "naive" | "full" => {
                let model = self.classifier(which)?;
                cells
                    .flat_map(|p| model.posterior(p))
                    .map(|q| q as f32)
                    .collect()
            }
            "logistic" => cells
                .flat_map(|p| self.logistic.posterior(p))
                .map(|q| q as f32)
                .collect(),
            _ => {
                return Err(JsError::new(
                    "the classifier is \"naive\", \"full\" or \"logistic\"",
                ))
            }
        };
        Ok(Float32Array::from(&values[..]))
    }

    fn need_classes(&self) -> Result<(), JsError> {
        if self.classes < 2 || self.classes > MAX_CLASSES {
            return Err(JsError::new("choose a labelled data set first"));
        }
        if self.labelled(false).0.is_empty() {
            return Err(js(DensityError::NoPoints));
        }
        Ok(())
    }

    /// `steps` steps of gradient descent on the logistic regression; returns the loss.
    #[wasm_bindgen(js_name = logisticSteps)]
    pub fn logistic_steps(&mut self, steps: f64, learning_rate: f64) -> Result<f64, JsError> {
        let steps = whole(steps, "the number of steps", 1, 10_000)?;
        let rate = number(learning_rate, "the learning rate", 0.0001, 10.0)?;
        self.need_classes()?;
        let (points, labels) = self.labelled(false);
        for _ in 0..steps {
            let loss = self.logistic.step(&points, &labels, rate);
            self.losses.push(loss);
        }
        Ok(self.logistic.loss_and_gradient(&points, &labels).0)
    }

    #[wasm_bindgen(js_name = logisticReset)]
    pub fn logistic_reset(&mut self) {
        self.logistic = LogisticRegression::new(self.classes.max(2));
        self.losses.clear();
    }

    /// The logistic regression's loss after every step so far.
    #[wasm_bindgen(js_name = logisticLosses)]
    pub fn logistic_losses(&self) -> Float64Array {
        Float64Array::from(&self.losses[..])
    }

    /// Accuracy of the three classifiers on the held-out and the training points.
    pub fn accuracies(&self) -> Result<JsValue, JsError> {
        self.need_classes()?;
        let (tp, tl) = self.labelled(false);
        let (hp, hl) = self.labelled(true);
        let naive = self.classifier("naive")?;
        let full = self.classifier("full")?;
        to_js(&Accuracies {
            naive: accuracy(&hp, &hl, |p| naive.posterior(p)),
            full: accuracy(&hp, &hl, |p| full.posterior(p)),
            logistic: accuracy(&hp, &hl, |p| self.logistic.posterior(p)),
            train_naive: accuracy(&tp, &tl, |p| naive.posterior(p)),
            train_full: accuracy(&tp, &tl, |p| full.posterior(p)),
            train_logistic: accuracy(&tp, &tl, |p| self.logistic.posterior(p)),
        })
    }

    /// `count` points drawn from each class of the "naive" or "full" Gaussian classifier:
    /// flat (x, y, class) triples.
    #[wasm_bindgen(js_name = classSamples)]
    pub fn class_samples(
        &self,
        which: &str,
        count: f64,
        seed: JsValue,
    ) -> Result<Float32Array, JsError> {
        let count = whole(count, "the number of samples", 0, 1000)?;
        self.need_classes()?;
        let model = self.classifier(which)?;
        if let Some(empty) = model.priors.iter().position(|&p| p == 0.0) {
            return Err(JsError::new(&format!(
                "class {} has no training points, so it has no fitted p(x | y) to draw from: add points of that class first",
                empty + 1
            )));
        }
        let mut rng = SeededRng::new(seed64(seed)?);
        let mut v = Vec::new();
        for c in 0..self.classes {
            for p in model.sample(c, count, &mut rng) {
                v.extend_from_slice(&[p[0] as f32, p[1] as f32, c as f32]);
            }
        }
        Ok(Float32Array::from(&v[..]))
    }

    /// Per class of the "naive" or "full" classifier: prior, mean x, mean y, then its 1-sigma
    /// ellipse (major radius, minor radius, angle).
    #[wasm_bindgen(js_name = classGaussians)]
    pub fn class_gaussians(&self, which: &str) -> Result<Float64Array, JsError> {
        self.need_classes()?;
        let model = self.classifier(which)?;
        let v: Vec<f64> = model
            .classes
            .iter()
            .zip(&model.priors)
            .flat_map(|(g, p)| {
                let [r1, r2, a] = g.ellipse(2);
                [*p, g.mean[0], g.mean[1], r1, r2, a]
            })
            .collect();
        Ok(Float64Array::from(&v[..]))
    }
}

impl Default for DensityDemo {
    fn default() -> Self {
        Self::new()
    }
}

fn covariance(kind: &str, sigma: f64) -> Result<Covariance, JsError> {
    // Sigma is the k-means limit's; below MIN_SIGMA the variance floor would raise it unsaid.
    let sigma = if kind == "kmeans" {
        number(sigma, "sigma", mixture::MIN_SIGMA, 1.0)?
    } else {
        sigma
    };
    Covariance::parse(kind, sigma)
        .ok_or_else(|| JsError::new("the covariances are \"full\", \"diagonal\" or \"kmeans\""))
}
