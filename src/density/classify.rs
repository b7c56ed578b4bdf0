//! Generative against discriminative classification of labelled 2-D points.
//!
//! Generative: model p(x | y) for each class (a Gaussian, with a full or a diagonal covariance:
//! the diagonal one is naive Bayes, coordinates independent given the class) and p(y), then
//! Bayes' rule p(y | x) = p(x | y) p(y) / sum_c p(x | c) p(c). It can also draw new points of
//! a class. Discriminative: logistic regression models p(y | x) directly (a softmax of linear
//! scores), trained by gradient descent on the cross-entropy; it cannot draw points.

use super::mixture::{floored, Gaussian};
use super::{log_sum_exp, DensityError};
use crate::rng::SeededRng;

pub const MAX_CLASSES: usize = 3;

/// Class-conditional Gaussians with class priors from the label counts.
#[derive(Debug, Clone)]
pub struct GaussianClassifier {
    pub naive: bool,
    pub priors: Vec<f64>,
    pub classes: Vec<Gaussian>,
}

fn check_labels(points: &[[f64; 2]], labels: &[u8], classes: usize) -> Result<(), DensityError> {
    if points.is_empty() {
        return Err(DensityError::NoPoints);
    }
    super::check_range(
        "the number of classes",
        classes as f64,
        2.0,
        MAX_CLASSES as f64,
    )?;
    if let Some(&bad) = labels.iter().find(|&&l| l as usize >= classes) {
        return Err(DensityError::OutOfRange {
            what: "a label",
            min: 0.0,
            max: (classes - 1) as f64,
            value: bad as f64,
        });
    }
    Ok(())
}

impl GaussianClassifier {
    /// Maximum-likelihood fit. A class without points gets prior 0 (Bayes' rule never picks it).
    pub fn fit(
        points: &[[f64; 2]],
        labels: &[u8],
        classes: usize,
        naive: bool,
    ) -> Result<Self, DensityError> {
        check_labels(points, labels, classes)?;
        let mut priors = Vec::new();
        let mut gaussians = Vec::new();
        for c in 0..classes {
            let members: Vec<[f64; 2]> = points
                .iter()
                .zip(labels)
                .filter(|(_, &l)| l as usize == c)
                .map(|(p, _)| *p)
                .collect();
            priors.push(members.len() as f64 / points.len() as f64);
            let n = members.len().max(1) as f64;
            let mean = if members.is_empty() {
                [0.5, 0.5]
            } else {
                let s = members
                    .iter()
                    .fold([0.0, 0.0], |a, p| [a[0] + p[0], a[1] + p[1]]);
                [s[0] / n, s[1] / n]
            };
            let mut s = [0.0; 3];
            for p in &members {
                let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
                s[0] += dx * dx / n;
                s[1] += dx * dy / n;
                s[2] += dy * dy / n;
            }
            if naive {
                s[1] = 0.0;
            }
            gaussians.push(Gaussian {
                mean,
                cov: floored(s),
            });
        }
        Ok(GaussianClassifier {
            naive,
            priors,
            classes: gaussians,
        })
    }

    /// ln p(x | c) + ln p(c) for every class.
    pub fn log_joint(&self, p: [f64; 2]) -> Vec<f64> {
        self.classes
            .iter()
            .zip(&self.priors)
            .map(|(g, prior)| g.log_density(2, p) + prior.ln())
            .collect()
    }

    /// p(y | x) by Bayes' rule.
    pub fn posterior(&self, p: [f64; 2]) -> Vec<f64> {
        let joint = self.log_joint(p);
        let evidence = log_sum_exp(&joint);
        joint.iter().map(|j| (j - evidence).exp()).collect()
    }

    /// `count` new points of class `c`: what a generative model can do and a discriminative
    /// one cannot.
    pub fn sample(&self, c: usize, count: usize, rng: &mut SeededRng) -> Vec<[f64; 2]> {
        (0..count).map(|_| self.classes[c].sample(2, rng)).collect()
    }
}

/// Multinomial logistic regression on (1, x, y): scores s_c = w_c . (1, x', y') with the
/// coordinates centred and scaled (x' = 4 (x - 1/2)) so that plain gradient descent moves at
/// the same speed in every direction; p(y | x) = softmax(s). The loss is the mean
/// cross-entropy plus a small L2 penalty that keeps separable data's weights finite.
#[derive(Debug, Clone)]
pub struct LogisticRegression {
    /// Three weights (bias, x, y) per class.
    pub weights: Vec<[f64; 3]>,
    pub steps: usize,
}

pub const L2_PENALTY: f64 = 1e-3;

fn features(p: [f64; 2]) -> [f64; 3] {
    [1.0, 4.0 * (p[0] - 0.5), 4.0 * (p[1] - 0.5)]
}

impl LogisticRegression {
    /// All weights zero: p(y | x) uniform everywhere.
    pub fn new(classes: usize) -> Self {
        LogisticRegression {
            weights: vec![[0.0; 3]; classes],
            steps: 0,
        }
    }

    pub fn posterior(&self, p: [f64; 2]) -> Vec<f64> {
        let f = features(p);
        let scores: Vec<f64> = self
            .weights
            .iter()
            .map(|w| w[0] * f[0] + w[1] * f[1] + w[2] * f[2])
            .collect();
        let z = log_sum_exp(&scores);
        scores.iter().map(|s| (s - z).exp()).collect()
    }

    /// The loss and its gradient with respect to every weight.
    pub fn loss_and_gradient(&self, points: &[[f64; 2]], labels: &[u8]) -> (f64, Vec<[f64; 3]>) {
        let n = points.len().max(1) as f64;
        let mut grad = vec![[0.0; 3]; self.weights.len()];
        let mut loss = 0.0;
        for (&p, &y) in points.iter().zip(labels) {
            let f = features(p);
            let probs = self.posterior(p);
            loss -= probs[y as usize].max(f64::MIN_POSITIVE).ln() / n;
            for (c, g) in grad.iter_mut().enumerate() {
                let err = probs[c] - if c == y as usize { 1.0 } else { 0.0 };
                for d in 0..3 {
                    g[d] += err * f[d] / n;
                }
            }
        }
        for (g, w) in grad.iter_mut().zip(&self.weights) {
            for d in 0..3 {
                loss += 0.5 * L2_PENALTY * w[d] * w[d];
                g[d] += L2_PENALTY * w[d];
            }
        }
        (loss, grad)
    }

    /// One step of gradient descent; returns the loss before it.
    pub fn step(&mut self, points: &[[f64; 2]], labels: &[u8], learning_rate: f64) -> f64 {
        let (loss, grad) = self.loss_and_gradient(points, labels);
        for (w, g) in self.weights.iter_mut().zip(&grad) {
            for d in 0..3 {
                w[d] -= learning_rate * g[d];
            }
        }
        self.steps += 1;
        loss
    }
}

/// The fraction of points whose most probable class is their label.
pub fn accuracy(
    points: &[[f64; 2]],
    labels: &[u8],
    posterior: impl Fn([f64; 2]) -> Vec<f64>,
) -> f64 {
    if points.is_empty() {
        return f64::NAN;
    }
    let right = points
        .iter()
        .zip(labels)
        .filter(|(&p, &y)| {
            let q = posterior(p);
            (0..q.len()).max_by(|&a, &b| q[a].total_cmp(&q[b])) == Some(y as usize)
        })
        .count();
    right as f64 / points.len() as f64
}
