//! A Gaussian mixture fitted by EM, one half-step at a time, as the k-means tab does with
//! assign and recenter: the E-step gives every point soft responsibilities (the posterior over
//! components), the M-step refits every component's weight, mean and covariance to the points
//! weighted by them. Each half-step raises (never lowers) the lower bound
//!   L(q, theta) = sum_i sum_k q_ik [ln w_k + ln N(x_i; mu_k, S_k) - ln q_ik] <= ln p(data),
//! which the E-step makes tight. With a fixed, shared covariance sigma^2 I and equal weights,
//! EM becomes k-means as sigma shrinks to zero (responsibilities turn hard).

use super::{check_range, log_sum_exp, DensityError, LN_2PI};
use crate::rng::SeededRng;

/// Smallest variance along any direction: keeps a component on one point (or on points in a
/// line) a finite, usable density instead of a collapse to infinity.
pub const VARIANCE_FLOOR: f64 = 1e-5;
/// The smallest sigma of the k-means limit that the floor leaves as it is (sqrt(1e-5) = 0.00316,
/// rounded up): the page and the API offer no smaller one, rather than raise it silently.
pub const MIN_SIGMA: f64 = 0.0032;
/// A component whose responsibilities add up to less than this many points is re-seeded.
const EMPTY_COMPONENT: f64 = 1e-6;
pub const MAX_COMPONENTS: usize = 12;

/// Which covariances the mixture may have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Covariance {
    /// Any ellipse (full covariance).
    Full,
    /// Axis-aligned ellipses (independent coordinates).
    Diagonal,
    /// Every component the circle sigma^2 I, fixed, and equal weights: the k-means limit.
    KMeansLimit { sigma: f64 },
}

impl Covariance {
    pub fn parse(name: &str, sigma: f64) -> Option<Covariance> {
        match name {
            "full" => Some(Covariance::Full),
            "diagonal" => Some(Covariance::Diagonal),
            "kmeans" => Some(Covariance::KMeansLimit { sigma }),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Expectation,
    Maximisation,
}

/// A Gaussian in 1 or 2 dimensions; the covariance [a, b, c] is [[a, b], [b, c]] (1-D: a only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gaussian {
    pub mean: [f64; 2],
    pub cov: [f64; 3],
}

impl Gaussian {
    pub fn log_density(&self, dim: usize, p: [f64; 2]) -> f64 {
        let [a, b, c] = self.cov;
        let dx = p[0] - self.mean[0];
        if dim == 1 {
            return -0.5 * (dx * dx / a + a.ln() + LN_2PI);
        }
        let dy = p[1] - self.mean[1];
        let det = a * c - b * b;
        -0.5 * ((dx * dx * c - 2.0 * dx * dy * b + dy * dy * a) / det + det.ln()) - LN_2PI
    }

    pub fn sample(&self, dim: usize, rng: &mut SeededRng) -> [f64; 2] {
        let [a, b, c] = self.cov;
        let (u, v) = (rng.normal(), rng.normal());
        let l11 = a.sqrt();
        if dim == 1 {
            return [self.mean[0] + l11 * u, 0.0];
        }
        // Cholesky factor of [[a, b], [b, c]].
        let l21 = b / l11;
        let l22 = (c - l21 * l21).max(0.0).sqrt();
        [self.mean[0] + l11 * u, self.mean[1] + l21 * u + l22 * v]
    }

    /// The one-standard-deviation ellipse: [radius along its major axis, along its minor
    /// axis, angle of the major axis in radians].
    pub fn ellipse(&self, dim: usize) -> [f64; 3] {
        if dim == 1 {
            return [self.cov[0].sqrt(), 0.0, 0.0];
        }
        let (l1, l2, angle) = eigen(self.cov);
        [l1.max(0.0).sqrt(), l2.max(0.0).sqrt(), angle]
    }
}

/// Eigenvalues (larger first) and the angle of the first eigenvector of [[a, b], [b, c]].
fn eigen([a, b, c]: [f64; 3]) -> (f64, f64, f64) {
    let mean = 0.5 * (a + c);
    let spread = (0.25 * (a - c) * (a - c) + b * b).sqrt();
    (mean + spread, mean - spread, 0.5 * (2.0 * b).atan2(a - c))
}

/// The covariance closest in likelihood to `s` whose every variance is at least the floor:
/// its eigenvalues clamped (the M-step's exact maximiser under that constraint, so the bound
/// still never falls).
pub(crate) fn floored([a, b, c]: [f64; 3]) -> [f64; 3] {
    if b == 0.0 {
        // Axis-aligned (diagonal, or 1-D): exactly so, without rounding in a rotation.
        return [a.max(VARIANCE_FLOOR), 0.0, c.max(VARIANCE_FLOOR)];
    }
    let (l1, l2, angle) = eigen([a, b, c]);
    let (l1, l2) = (l1.max(VARIANCE_FLOOR), l2.max(VARIANCE_FLOOR));
    let (cs, sn) = (angle.cos(), angle.sin());
    [
        l1 * cs * cs + l2 * sn * sn,
        (l1 - l2) * cs * sn,
        l1 * sn * sn + l2 * cs * cs,
    ]
}

/// Weighted mean and scatter of the points (weights summing to `total`).
fn moments(
    dim: usize,
    points: &[[f64; 2]],
    weight: impl Fn(usize) -> f64,
    total: f64,
) -> ([f64; 2], [f64; 3]) {
    let mut mean = [0.0; 2];
    for (i, p) in points.iter().enumerate() {
        let w = weight(i);
        mean[0] += w * p[0];
        mean[1] += w * p[1];
    }
    mean = [mean[0] / total, mean[1] / total];
    let mut s = [0.0; 3];
    for (i, p) in points.iter().enumerate() {
        let w = weight(i);
        let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
        s[0] += w * dx * dx;
        s[1] += w * dx * dy;
        s[2] += w * dy * dy;
    }
    let mut s = [s[0] / total, s[1] / total, s[2] / total];
    if dim == 1 {
        s = [s[0], 0.0, 1.0];
    }
    (mean, s)
}

/// What a half-step did, for the page's status line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HalfStep {
    pub phase: &'static str,
    /// The bound per point after this half-step.
    pub bound: f64,
    /// Components that had (almost) no responsibility and were moved to the worst-fit point:
    /// the bound may fall at such a step.
    pub reseeded: Vec<usize>,
    /// Points whose most responsible component changed (E-step).
    pub changed: usize,
}

#[derive(Debug, Clone)]
pub struct Mixture {
    pub dim: usize,
    pub kind: Covariance,
    pub weights: Vec<f64>,
    pub components: Vec<Gaussian>,
    /// Responsibilities q_ik of the training points, row-major (point, component); empty
    /// before the first E-step.
    pub responsibilities: Vec<f64>,
    next: Phase,
    /// The bound per point after every half-step.
    bounds: Vec<f64>,
    /// Half-steps (indices into `bounds`) that re-seeded a component.
    reseeds: Vec<usize>,
    /// `bounds.len()` when the training points last changed: convergence is judged on the new
    /// data only.
    data_changed_at: usize,
}

impl Mixture {
    /// k components: means by k-means++ on the points (seeded), every covariance the data's
    /// own (so the first E-step gives soft, overlapping responsibilities), equal weights.
    pub fn new(
        dim: usize,
        points: &[[f64; 2]],
        k: usize,
        kind: Covariance,
        seed: u64,
    ) -> Result<Self, DensityError> {
        if points.is_empty() {
            return Err(DensityError::NoPoints);
        }
        check_range(
            "the number of components",
            k as f64,
            1.0,
            MAX_COMPONENTS as f64,
        )?;
        if let Covariance::KMeansLimit { sigma } = kind {
            check_range("sigma", sigma, 0.001, 1.0)?;
        }
        let mut rng = SeededRng::new(seed);
        let mut means = vec![points[rng.below(points.len())]];
        while means.len() < k {
            let d2: Vec<f64> = points
                .iter()
                .map(|p| {
                    means
                        .iter()
                        .map(|m| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            // All points on the centers already: any point will do.
            let i = rng
                .weighted_index(&d2)
                .unwrap_or_else(|| rng.below(points.len()));
            means.push(points[i]);
        }
        let (_, scatter) = moments(dim, points, |_| 1.0, points.len() as f64);
        let cov = match kind {
            Covariance::Full => floored(scatter),
            Covariance::Diagonal => floored([scatter[0], 0.0, scatter[2]]),
            Covariance::KMeansLimit { sigma } => spherical(dim, sigma),
        };
        Ok(Mixture {
            dim,
            kind,
            weights: vec![1.0 / k as f64; k],
            components: means
                .into_iter()
                .map(|mean| Gaussian { mean, cov })
                .collect(),
            responsibilities: Vec::new(),
            next: Phase::Expectation,
            bounds: Vec::new(),
            reseeds: Vec::new(),
            data_changed_at: 0,
        })
    }

    /// The training points changed (a point added): EM goes on, and has not converged on the new
    /// data until three more iterations say so.
    pub fn data_changed(&mut self) {
        self.data_changed_at = self.bounds.len();
    }

    pub fn k(&self) -> usize {
        self.components.len()
    }

    pub fn next_phase(&self) -> Phase {
        self.next
    }

    pub fn bounds(&self) -> &[f64] {
        &self.bounds
    }

    pub fn reseeds(&self) -> &[usize] {
        &self.reseeds
    }

    /// Full EM iterations done (M-steps).
    pub fn iterations(&self) -> usize {
        self.bounds.len() / 2
    }

    /// ln(w_k N(x; mu_k, S_k)) for every component.
    fn joint(&self, p: [f64; 2], out: &mut [f64]) {
        for (o, (w, g)) in out
            .iter_mut()
            .zip(self.weights.iter().zip(&self.components))
        {
            *o = w.ln() + g.log_density(self.dim, p);
        }
    }

    pub fn log_density(&self, p: [f64; 2]) -> f64 {
        let mut joint = vec![0.0; self.k()];
        self.joint(p, &mut joint);
        log_sum_exp(&joint)
    }

    /// E-step: q_ik = w_k N(x_i; k) / p(x_i). The bound becomes ln p(data) per point.
    pub fn expectation_step(&mut self, points: &[[f64; 2]]) -> HalfStep {
        let k = self.k();
        let before: Vec<usize> = (0..points.len()).map(|i| self.owner(i)).collect();
        self.responsibilities.resize(points.len() * k, 0.0);
        let mut joint = vec![0.0; k];
        let mut total = 0.0;
        for (i, &p) in points.iter().enumerate() {
            self.joint(p, &mut joint);
            let log_p = log_sum_exp(&joint);
            total += log_p;
            for (q, j) in self.responsibilities[i * k..(i + 1) * k]
                .iter_mut()
                .zip(&joint)
            {
                *q = (j - log_p).exp();
            }
        }
        let changed = (0..points.len())
            .filter(|&i| self.owner(i) != before[i])
            .count();
        let bound = total / points.len() as f64;
        self.bounds.push(bound);
        self.next = Phase::Maximisation;
        HalfStep {
            phase: "expectation",
            bound,
            reseeded: Vec::new(),
            changed,
        }
    }

    /// The component most responsible for training point i (usize::MAX before any E-step).
    pub fn owner(&self, i: usize) -> usize {
        let k = self.k();
        self.responsibilities
            .get(i * k..(i + 1) * k)
            .and_then(|q| (0..k).max_by(|&a, &b| q[a].total_cmp(&q[b])))
            .unwrap_or(usize::MAX)
    }

    /// M-step: every component refitted to its weighted points. A component with no
    /// responsibility is re-seeded at the point the mixture explains worst.
    pub fn maximisation_step(&mut self, points: &[[f64; 2]]) -> HalfStep {
        if self.responsibilities.len() != points.len() * self.k() {
            return self.expectation_step(points);
        }
        let k = self.k();
        let n = points.len() as f64;
        let mut reseeded = Vec::new();
        for j in 0..k {
            let mass: f64 = (0..points.len())
                .map(|i| self.responsibilities[i * k + j])
                .sum();
            if mass < EMPTY_COMPONENT {
                reseeded.push(j);
                continue;
            }
            let (mean, scatter) =
                moments(self.dim, points, |i| self.responsibilities[i * k + j], mass);
            let cov = match self.kind {
                Covariance::Full => floored(scatter),
                Covariance::Diagonal => floored([scatter[0], 0.0, scatter[2]]),
                Covariance::KMeansLimit { sigma } => spherical(self.dim, sigma),
            };
            self.components[j] = Gaussian { mean, cov };
            if !matches!(self.kind, Covariance::KMeansLimit { .. }) {
                self.weights[j] = mass / n;
            }
        }
        if !reseeded.is_empty() {
            self.reseed(points, &reseeded);
        }
        let bound = self.bound(points);
        if !reseeded.is_empty() {
            self.reseeds.push(self.bounds.len());
        }
        self.bounds.push(bound);
        self.next = Phase::Expectation;
        HalfStep {
            phase: "maximisation",
            bound,
            reseeded,
            changed: 0,
        }
    }

    fn reseed(&mut self, points: &[[f64; 2]], empty: &[usize]) {
        let mut order: Vec<(f64, usize)> = points
            .iter()
            .enumerate()
            .map(|(i, &p)| (self.log_density(p), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (_, scatter) = moments(self.dim, points, |_| 1.0, n_of(points));
        for (slot, &j) in empty.iter().enumerate() {
            let at = points[order[slot % order.len()].1];
            let cov = match self.kind {
                Covariance::KMeansLimit { sigma } => spherical(self.dim, sigma),
                _ => floored([scatter[0] * 0.1, 0.0, scatter[2] * 0.1]),
            };
            self.components[j] = Gaussian { mean: at, cov };
            if !matches!(self.kind, Covariance::KMeansLimit { .. }) {
                self.weights[j] = 1.0 / n_of(points);
            }
        }
        let total: f64 = self.weights.iter().sum();
        for w in &mut self.weights {
            *w /= total;
        }
    }

    /// L(q, theta) per point for the current responsibilities and parameters.
    fn bound(&self, points: &[[f64; 2]]) -> f64 {
        let k = self.k();
        let mut joint = vec![0.0; k];
        let mut total = 0.0;
        for (i, &p) in points.iter().enumerate() {
            self.joint(p, &mut joint);
            for (q, j) in self.responsibilities[i * k..(i + 1) * k].iter().zip(&joint) {
                if *q > 0.0 {
                    total += q * (j - q.ln());
                }
            }
        }
        total / points.len() as f64
    }

    pub fn half_step(&mut self, points: &[[f64; 2]]) -> HalfStep {
        match self.next {
            Phase::Expectation => self.expectation_step(points),
            Phase::Maximisation => self.maximisation_step(points),
        }
    }

    /// Whether EM has converged: the last full iteration raised the bound by less than
    /// `tolerance` per point, and so little is left to gain. A small rise alone is not enough:
    /// on a plateau (near a saddle) EM crawls for hundreds of iterations before it climbs again.
    /// Near a maximum the rises shrink geometrically, by a ratio r each iteration, so what is
    /// left is about rise * r / (1 - r) (Aitken's estimate); on a plateau r is near or above 1
    /// and the estimate stays large.
    pub fn converged(&self, tolerance: f64) -> bool {
        let b = &self.bounds;
        if b.len() < self.data_changed_at + 6 || self.next != Phase::Expectation {
            return false;
        }
        // Bounds at the ends of the last three full iterations (after their M-steps).
        let (l0, l1, l2) = (b[b.len() - 5], b[b.len() - 3], b[b.len() - 1]);
        let (earlier, last) = (l1 - l0, l2 - l1);
        if last.abs() >= tolerance {
            return false;
        }
        // Rises at the level of rounding: nothing is moving.
        if earlier <= 1e-12 || last <= 1e-12 {
            return true;
        }
        let ratio = last / earlier;
        ratio < 1.0 && last * ratio / (1.0 - ratio) < tolerance
    }

    /// EM to convergence (or `max_iterations` full iterations); ends after an M-step.
    pub fn fit(&mut self, points: &[[f64; 2]], max_iterations: usize, tolerance: f64) {
        if self.next == Phase::Maximisation {
            self.maximisation_step(points);
        }
        for _ in 0..max_iterations {
            self.expectation_step(points);
            self.maximisation_step(points);
            if self.converged(tolerance) {
                break;
            }
        }
    }

    /// Draws a component by weight, then a point from it.
    pub fn sample(&self, count: usize, rng: &mut SeededRng) -> Vec<[f64; 2]> {
        (0..count)
            .map(|_| {
                let j = rng.weighted_index(&self.weights).unwrap_or(0);
                self.components[j].sample(self.dim, rng)
            })
            .collect()
    }
}

fn n_of(points: &[[f64; 2]]) -> f64 {
    points.len() as f64
}

fn spherical(dim: usize, sigma: f64) -> [f64; 3] {
    let v = (sigma * sigma).max(VARIANCE_FLOOR);
    if dim == 1 {
        [v, 0.0, 1.0]
    } else {
        [v, 0.0, v]
    }
}

/// Held-out and training log-likelihood per point of mixtures with 1..=max_k components, each
/// fitted by EM to convergence from the same seed.
pub fn components_curve(
    dim: usize,
    train: &[[f64; 2]],
    held_out: &[[f64; 2]],
    max_k: usize,
    kind: Covariance,
    seed: u64,
    progress: super::Progress,
) -> Result<super::Curve, DensityError> {
    let mut curve = super::Curve {
        settings: Vec::new(),
        train: Vec::new(),
        held_out: Vec::new(),
    };
    let top = max_k.min(MAX_COMPONENTS);
    for k in 1..=top {
        // EM's work grows with k: the fraction done counts it so.
        progress((k * (k - 1)) as f64 / (top * (top + 1)) as f64);
        let mut m = Mixture::new(dim, train, k, kind, seed)?;
        m.fit(train, 200, 1e-6);
        curve.settings.push(k as f64);
        curve
            .train
            .push(super::mean_log_density(train, |p| m.log_density(p)));
        curve
            .held_out
            .push(super::mean_log_density(held_out, |p| m.log_density(p)));
    }
    Ok(curve)
}
