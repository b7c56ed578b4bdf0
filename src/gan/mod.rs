//! Generative adversarial networks, the lecture's implicit-density family: a 2-D GAN trained
//! live (two small MLPs with hand-written backpropagation, in `mlp`), the real distributions
//! it learns (`data`), the grid divergences and the optimal discriminator (`divergence`), and
//! the class-conditional digits generator trained by PyTorch (`digits`).
//!
//! One training iteration is k discriminator steps, then one generator step. Each step draws
//! a fresh batch of real points and of noise from the run's own seeded generator, so a seed
//! gives the same run however many iterations the page takes per frame.

pub mod data;
pub mod digits;
pub mod divergence;
pub mod mlp;
mod state;

use serde::Serialize;

use crate::rng::SeededRng;
use data::RealDistribution;
use divergence::{Divergences, ModeShares};
pub use mlp::OptimizerKind;
use mlp::{sigmoid, softplus, Mlp, Optimizer, Real, Tape};

/// Cells per side of the divergence grid.
pub const GRID_CELLS: usize = 30;
/// Generated points scored for the divergences and the mode readout.
pub const EVAL_POINTS: usize = 10_000;
/// Iterations between two evaluations in the history.
pub const EVAL_EVERY: usize = 50;
/// The standard deviation of the generator's first points on each axis.
const START_SPREAD: f64 = 0.05;
/// The learning rates a run accepts.
pub const LR_RANGE: (f64, f64) = (1e-5, 1.0);
/// Most hidden layers and the widest hidden layer of either network.
pub const MAX_LAYERS: usize = 4;
pub const MAX_WIDTH: usize = 128;
pub const MAX_BATCH: usize = 1024;
pub const MAX_D_STEPS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GeneratorLoss {
    /// log(1 - D(G(z))), minimised: the game as written; its gradient vanishes as D(G(z)) -> 0.
    Minimax,
    /// -log D(G(z)): the same fixed point, strong gradients while D rejects the fakes.
    NonSaturating,
    /// Least squares (Mao et al. 2017): D regresses to 1 on real and 0 on generated points,
    /// G pulls its points' D towards 1.
    LeastSquares,
}

impl GeneratorLoss {
    pub const NAMES: [&'static str; 3] = ["minimax", "non-saturating", "least-squares"];

    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "minimax" => Ok(Self::Minimax),
            "non-saturating" => Ok(Self::NonSaturating),
            "least-squares" => Ok(Self::LeastSquares),
            other => Err(format!(
                "unknown loss '{other}': one of {}",
                Self::NAMES.join(", ")
            )),
        }
    }

    /// The generator's loss per point as a function of D(G(z)) in (0, 1), and its derivative
    /// with respect to D's raw output (the logit for the log losses, D itself for least
    /// squares): what the loss plot draws.
    pub fn of_d(self, d: f64) -> (f64, f64) {
        let d = d.clamp(1e-12, 1.0 - 1e-12);
        match self {
            Self::Minimax => ((1.0 - d).ln(), -d),
            Self::NonSaturating => (-d.ln(), -(1.0 - d)),
            Self::LeastSquares => (0.5 * (d - 1.0).powi(2), d - 1.0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    Uniform,
    Gaussian,
}

/// The discriminator's loss at one point from its raw output `o` (a logit, or D itself for
/// least squares), and the derivative with respect to `o`.
pub fn discriminator_loss_at<T: Real>(loss: GeneratorLoss, o: T, real: bool) -> (T, T) {
    let one = T::from_f64(1.0);
    match loss {
        GeneratorLoss::LeastSquares => {
            let target = if real { one } else { T::default() };
            (T::from_f64(0.5) * (o - target) * (o - target), o - target)
        }
        // -log D(x) = softplus(-o) on real points, -log(1 - D) = softplus(o) on generated.
        _ if real => (softplus(-o), sigmoid(o) - one),
        _ => (softplus(o), sigmoid(o)),
    }
}

/// The generator's loss at one generated point from D's raw output, and its derivative.
pub fn generator_loss_at<T: Real>(loss: GeneratorLoss, o: T) -> (T, T) {
    let one = T::from_f64(1.0);
    match loss {
        // log(1 - D) = -softplus(o); d/do = -sigmoid(o) = -D: nothing when D rejects.
        GeneratorLoss::Minimax => (-softplus(o), -sigmoid(o)),
        GeneratorLoss::NonSaturating => (softplus(-o), sigmoid(o) - one),
        GeneratorLoss::LeastSquares => (T::from_f64(0.5) * (o - one) * (o - one), o - one),
    }
}

/// Everything that defines a run.
#[derive(Clone, Debug, Serialize)]
pub struct GanConfig {
    pub noise: Noise,
    /// 1 or 2 dimensions of noise.
    pub noise_dim: usize,
    pub generator_hidden: Vec<usize>,
    pub discriminator_hidden: Vec<usize>,
    pub loss: GeneratorLoss,
    pub optimizer: OptimizerKind,
    /// Adam's first-moment decay (0: no momentum, which suits a two-player game).
    pub beta1: f64,
    pub lr_generator: f64,
    pub lr_discriminator: f64,
    /// Discriminator steps per generator step.
    pub d_steps: usize,
    pub batch: usize,
    /// The learning rates fall linearly to 0 over this many iterations (0: constant).
    pub decay: usize,
    pub seed: u64,
}

impl Default for GanConfig {
    fn default() -> Self {
        GanConfig {
            noise: Noise::Gaussian,
            noise_dim: 2,
            generator_hidden: vec![32, 32, 32],
            discriminator_hidden: vec![32, 32, 32],
            loss: GeneratorLoss::NonSaturating,
            optimizer: OptimizerKind::Adam,
            beta1: 0.0,
            // Two discriminator steps per generator step, D's rate above G's (Adam without
            // momentum): on two Gaussians the grid JS at iteration 3,000 is 0.060 / 0.071 /
            // 0.075 for seeds 1-3 (`sweep` in the tests runs such comparisons).
            lr_generator: 2e-3,
            lr_discriminator: 3e-3,
            d_steps: 2,
            batch: 256,
            decay: 3000,
            seed: 1,
        }
    }
}

impl GanConfig {
    pub fn validate(&self) -> Result<(), String> {
        for (what, lr) in [
            ("generator", self.lr_generator),
            ("discriminator", self.lr_discriminator),
        ] {
            if !(lr.is_finite() && lr >= LR_RANGE.0 && lr <= LR_RANGE.1) {
                return Err(format!(
                    "the {what}'s learning rate must be a number from {} to {}, got {lr}",
                    LR_RANGE.0, LR_RANGE.1
                ));
            }
        }
        if !(1..=2).contains(&self.noise_dim) {
            return Err(format!(
                "the noise has 1 or 2 dimensions, not {}",
                self.noise_dim
            ));
        }
        for (what, hidden) in [
            ("generator", &self.generator_hidden),
            ("discriminator", &self.discriminator_hidden),
        ] {
            if hidden.is_empty()
                || hidden.len() > MAX_LAYERS
                || hidden.iter().any(|w| !(1..=MAX_WIDTH).contains(w))
            {
                return Err(format!(
                    "the {what} needs 1 to {MAX_LAYERS} hidden layers of 1 to {MAX_WIDTH} units, got {hidden:?}"
                ));
            }
        }
        if !(1..=MAX_D_STEPS).contains(&self.d_steps) {
            return Err(format!(
                "discriminator steps per generator step: 1 to {MAX_D_STEPS}, got {}",
                self.d_steps
            ));
        }
        if !(1..=MAX_BATCH).contains(&self.batch) {
            return Err(format!(
                "the batch holds 1 to {MAX_BATCH} points, got {}",
                self.batch
            ));
        }
        if !(self.beta1.is_finite() && (0.0..1.0).contains(&self.beta1)) {
            return Err(format!(
                "Adam's beta1 must be from 0 to below 1, got {}",
                self.beta1
            ));
        }
        Ok(())
    }
}

/// Which half of an iteration comes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Discriminator,
    Generator,
}

/// One row of the history: after an iteration's generator step.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    pub iteration: usize,
    pub d_loss: f64,
    pub g_loss: f64,
    /// Filled every `EVAL_EVERY` iterations (and at iteration 0).
    pub divergences: Option<Divergences>,
}

pub struct Gan {
    pub config: GanConfig,
    pub real: RealDistribution,
    generator: Mlp<f32>,
    discriminator: Mlp<f32>,
    g_opt: Optimizer<f32>,
    d_opt: Optimizer<f32>,
    rng: SeededRng,
    /// Completed iterations (generator steps).
    pub iteration: usize,
    pub phase: Phase,
    pub history: Vec<HistoryRow>,
    /// Set when a step produced a NaN or an infinity: the run stops until Reset.
    pub diverged: Option<String>,
    last_d_loss: f64,
    real_cells: Vec<f64>,
    eval_noise: Vec<f32>,
    // Scratch, reused across steps.
    noise: Vec<f32>,
    real_batch: Vec<f32>,
    g_tape: Tape<f32>,
    d_tape: Tape<f32>,
    g_grads: Vec<f32>,
    d_grads: Vec<f32>,
}

/// A seed's noise, deterministic and independent of the training stream.
fn draw_noise(kind: Noise, dim: usize, n: usize, rng: &mut SeededRng, out: &mut Vec<f32>) {
    out.clear();
    for _ in 0..n * dim {
        out.push(match kind {
            Noise::Uniform => (rng.next_f64() * 2.0 - 1.0) as f32,
            Noise::Gaussian => rng.normal() as f32,
        });
    }
}

impl Gan {
    pub fn new(config: GanConfig, real: RealDistribution) -> Result<Self, String> {
        config.validate()?;
        let mut rng = SeededRng::new(config.seed);
        let g_sizes: Vec<usize> = std::iter::once(config.noise_dim)
            .chain(config.generator_hidden.iter().copied())
            .chain(std::iter::once(2))
            .collect();
        let d_sizes: Vec<usize> = std::iter::once(2)
            .chain(config.discriminator_hidden.iter().copied())
            .chain(std::iter::once(1))
            .collect();
        let mut generator = Mlp::new(&g_sizes, 0.0, &mut rng);
        // Start the generator's points as a small blob in the middle of the square: its last
        // layer scaled so that the points spread by about `START_SPREAD` on each axis, its
        // biases set so that they centre on (0.5, 0.5).
        let mut probe_rng = SeededRng::new(config.seed ^ 0x0B10_B000);
        let mut probe = Vec::new();
        draw_noise(
            config.noise,
            config.noise_dim,
            1000,
            &mut probe_rng,
            &mut probe,
        );
        let width = g_sizes[g_sizes.len() - 2];
        let last = generator.params.len() - 2;
        for axis in 0..2 {
            let (mean, variance) = divergence::axis_moments(&generator.outputs(&probe, 1000), axis);
            let spread = variance.sqrt();
            let scale = if spread > 1e-9 {
                START_SPREAD / spread
            } else {
                1.0
            };
            for i in 0..width {
                generator.params[last - 2 * width + 2 * i + axis] *= scale as f32;
            }
            generator.params[last + axis] =
                (0.5 - (mean - generator.params[last + axis] as f64) * scale) as f32;
        }
        let discriminator = Mlp::new(&d_sizes, 0.2, &mut rng);
        let g_opt = Optimizer::new(config.optimizer, config.beta1, generator.params.len());
        let d_opt = Optimizer::new(config.optimizer, config.beta1, discriminator.params.len());
        let mut eval_rng = SeededRng::new(config.seed ^ 0x005E_ED0F_E7A1);
        let mut eval_noise = Vec::new();
        draw_noise(
            config.noise,
            config.noise_dim,
            EVAL_POINTS,
            &mut eval_rng,
            &mut eval_noise,
        );
        let real_cells = divergence::real_cell_probabilities(&real, GRID_CELLS);
        let g_grads = vec![0.0; generator.params.len()];
        let d_grads = vec![0.0; discriminator.params.len()];
        let mut gan = Gan {
            config,
            real,
            generator,
            discriminator,
            g_opt,
            d_opt,
            rng,
            iteration: 0,
            phase: Phase::Discriminator,
            history: Vec::new(),
            diverged: None,
            last_d_loss: f64::NAN,
            real_cells,
            eval_noise,
            noise: Vec::new(),
            real_batch: Vec::new(),
            g_tape: Tape::default(),
            d_tape: Tape::default(),
            g_grads,
            d_grads,
        };
        let divergences = Some(gan.divergences());
        gan.history.push(HistoryRow {
            iteration: 0,
            d_loss: f64::NAN,
            g_loss: f64::NAN,
            divergences,
        });
        Ok(gan)
    }

    fn learning_rate(&self, base: f64) -> f32 {
        let scale = if self.config.decay > 0 {
            (1.0 - self.iteration as f64 / self.config.decay as f64).max(0.0)
        } else {
            1.0
        };
        (base * scale) as f32
    }

    /// True once the decay has brought both learning rates to zero.
    pub fn finished(&self) -> bool {
        self.config.decay > 0 && self.iteration >= self.config.decay
    }

    /// D's raw outputs on interleaved points (logits; for least squares, D itself).
    pub fn discriminator_raw(&self, points: &[f32]) -> Vec<f32> {
        self.discriminator.outputs(points, points.len() / 2)
    }

    /// D(x) in [0, 1] as the page shades it.
    pub fn discriminator_values(&self, points: &[f32]) -> Vec<f32> {
        let raw = self.discriminator_raw(points);
        raw.into_iter().map(|o| self.d_of_raw(o)).collect()
    }

    fn d_of_raw(&self, o: f32) -> f32 {
        match self.config.loss {
            GeneratorLoss::LeastSquares => o.clamp(0.0, 1.0),
            _ => sigmoid(o),
        }
    }

    /// G(z) for interleaved noise vectors.
    pub fn generate(&self, noise: &[f32]) -> Vec<f32> {
        self.generator
            .outputs(noise, noise.len() / self.config.noise_dim)
    }

    fn check_finite(&mut self, what: &str, loss: f64) -> Result<(), String> {
        if !loss.is_finite() || !self.generator.all_finite() || !self.discriminator.all_finite() {
            let message = format!(
                "the run diverged at iteration {} ({what} gave a NaN or an infinite value): \
                 lower the learning rates and press Reset",
                self.iteration
            );
            self.diverged = Some(message.clone());
            return Err(message);
        }
        Ok(())
    }

    /// A fresh batch of noise through the generator, kept on its tape.
    fn generate_batch(&mut self, b: usize) {
        draw_noise(
            self.config.noise,
            self.config.noise_dim,
            b,
            &mut self.rng,
            &mut self.noise,
        );
        self.generator.forward(&self.noise, b, &mut self.g_tape);
    }

    /// One discriminator update on a fresh batch of real and generated points; its loss.
    fn discriminator_update(&mut self) -> f64 {
        let b = self.config.batch;
        self.real.sample(b, &mut self.rng, &mut self.real_batch);
        self.generate_batch(b);
        let mut points = Vec::with_capacity(4 * b);
        points.extend_from_slice(&self.real_batch);
        points.extend_from_slice(&self.g_tape.output);
        self.discriminator.forward(&points, 2 * b, &mut self.d_tape);
        let mut grad = vec![0.0f32; 2 * b];
        let mut loss = 0.0f64;
        let inv = 1.0 / b as f32;
        for i in 0..2 * b {
            let o = self.d_tape.output[i];
            let (l, g) = discriminator_loss_at(self.config.loss, o, i < b);
            loss += l as f64;
            grad[i] = g * inv;
        }
        self.d_grads.iter_mut().for_each(|g| *g = 0.0);
        self.discriminator
            .backward_params(&mut self.d_tape, &grad, &mut self.d_grads);
        let lr = self.learning_rate(self.config.lr_discriminator);
        self.d_opt
            .step(&mut self.discriminator.params, &self.d_grads, lr);
        loss / b as f64
    }

    /// One generator update; its loss.
    fn generator_update(&mut self) -> f64 {
        let b = self.config.batch;
        self.generate_batch(b);
        let fakes = self.g_tape.output.clone();
        self.discriminator.forward(&fakes, b, &mut self.d_tape);
        let mut grad = vec![0.0f32; b];
        let mut loss = 0.0f64;
        for i in 0..b {
            let (l, g) = self.generator_loss(self.d_tape.output[i]);
            loss += l as f64;
            grad[i] = g / b as f32;
        }
        let grad_points = self.discriminator.backward(&mut self.d_tape, &grad, None);
        self.g_grads.iter_mut().for_each(|g| *g = 0.0);
        self.generator
            .backward_params(&mut self.g_tape, &grad_points, &mut self.g_grads);
        let lr = self.learning_rate(self.config.lr_generator);
        self.g_opt
            .step(&mut self.generator.params, &self.g_grads, lr);
        loss / b as f64
    }

    fn generator_loss(&self, o: f32) -> (f32, f32) {
        generator_loss_at(self.config.loss, o)
    }

    /// The discriminator's half of an iteration: k updates.
    pub fn train_discriminator(&mut self) -> Result<(), String> {
        if let Some(m) = &self.diverged {
            return Err(m.clone());
        }
        let mut total = 0.0;
        for _ in 0..self.config.d_steps {
            total += self.discriminator_update();
        }
        self.last_d_loss = total / self.config.d_steps as f64;
        self.check_finite("the discriminator's step", self.last_d_loss)?;
        self.phase = Phase::Generator;
        Ok(())
    }

    /// The generator's half: one update, then the history row.
    pub fn train_generator(&mut self) -> Result<(), String> {
        if let Some(m) = &self.diverged {
            return Err(m.clone());
        }
        let g_loss = self.generator_update();
        self.check_finite("the generator's step", g_loss)?;
        self.iteration += 1;
        self.phase = Phase::Discriminator;
        let divergences = self
            .iteration
            .is_multiple_of(EVAL_EVERY)
            .then(|| self.divergences());
        self.history.push(HistoryRow {
            iteration: self.iteration,
            d_loss: self.last_d_loss,
            g_loss,
            divergences,
        });
        Ok(())
    }

    /// Whichever half comes next.
    pub fn half_step(&mut self) -> Result<(), String> {
        match self.phase {
            Phase::Discriminator => self.train_discriminator(),
            Phase::Generator => self.train_generator(),
        }
    }

    /// `n` whole iterations (finishing a half-done one first).
    pub fn iterate(&mut self, n: usize) -> Result<(), String> {
        if self.phase == Phase::Generator {
            self.train_generator()?;
        }
        for _ in 0..n {
            self.train_discriminator()?;
            self.train_generator()?;
        }
        Ok(())
    }

    /// The generator's image of the fixed evaluation noise.
    pub fn eval_points(&self) -> Vec<f32> {
        self.generate(&self.eval_noise)
    }

    /// JS and KL on the grid, from the fixed evaluation noise.
    pub fn divergences(&self) -> Divergences {
        let counts = divergence::cell_counts(&self.eval_points(), GRID_CELLS);
        divergence::divergences(&self.real_cells, &counts)
    }

    pub fn mode_shares(&self) -> Option<ModeShares> {
        divergence::mode_shares(&self.real, &self.eval_points())
    }

    /// For each generated point: the direction the generator's next step moves it, minus the
    /// gradient of the generator's loss with respect to the point (interleaved x, y).
    pub fn point_gradients(&self, points: &[f32]) -> Vec<f32> {
        let n = points.len() / 2;
        let mut tape = Tape::default();
        self.discriminator.forward(points, n, &mut tape);
        let grad: Vec<f32> = tape
            .output
            .iter()
            .map(|&o| self.generator_loss(o).1)
            .collect();
        self.discriminator
            .backward(&mut tape, &grad, None)
            .into_iter()
            .map(|g| -g)
            .collect()
    }

    pub fn discriminator_params(&self) -> &[f32] {
        &self.discriminator.params
    }

    pub fn generator_params(&self) -> &[f32] {
        &self.generator.params
    }
}

#[cfg(test)]
mod tests;
