//! Seeded data sets for the density tab, in [0, 1]^d: unlabelled shapes for density
//! estimation, labelled classes for classification, and the split into training and held-out
//! points.

use super::{DensityError, MAX_POINTS};
use crate::rng::SeededRng;

/// Shapes for density estimation (1-D and 2-D).
pub const DENSITY_PRESETS: [&str; 5] = ["bimodal", "three-modes", "outliers", "uniform", "ring"];
/// Labelled sets for classification (2-D): which classifier wins differs from one to the next.
pub const CLASS_PRESETS: [&str; 4] = [
    "shared-shape",
    "different-spread",
    "correlated",
    "three-classes",
];

/// A component of a preset: weight, mean, standard deviations and correlation.
struct Blob {
    weight: f64,
    mean: [f64; 2],
    sd: [f64; 2],
    corr: f64,
}

const fn blob(weight: f64, mean: [f64; 2], sd: [f64; 2], corr: f64) -> Blob {
    Blob {
        weight,
        mean,
        sd,
        corr,
    }
}

fn draw(b: &Blob, dim: usize, rng: &mut SeededRng) -> [f64; 2] {
    let (u, v) = (rng.normal(), rng.normal());
    let x = b.mean[0] + b.sd[0] * u;
    if dim == 1 {
        return [x, 0.0];
    }
    let y = b.mean[1] + b.sd[1] * (b.corr * u + (1.0 - b.corr * b.corr).sqrt() * v);
    [x, y]
}

/// Redraws until the point lies inside the unit square (a truncated distribution: nothing
/// piles up on the border, as clamping would).
fn draw_inside(b: &Blob, dim: usize, rng: &mut SeededRng) -> [f64; 2] {
    for _ in 0..1000 {
        let p = draw(b, dim, rng);
        if (0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]) {
            return p;
        }
    }
    [
        b.mean[0].clamp(0.0, 1.0),
        if dim == 1 {
            0.0
        } else {
            b.mean[1].clamp(0.0, 1.0)
        },
    ]
}

fn mixture(blobs: &[Blob], dim: usize, n: usize, rng: &mut SeededRng) -> Vec<[f64; 2]> {
    let weights: Vec<f64> = blobs.iter().map(|b| b.weight).collect();
    (0..n)
        .map(|_| {
            let k = rng.weighted_index(&weights).unwrap_or(0);
            draw_inside(&blobs[k], dim, rng)
        })
        .collect()
}

/// `n` points of a density preset in `dim` dimensions (None for an unknown name).
pub fn density_preset(
    name: &str,
    dim: usize,
    n: usize,
    seed: u64,
) -> Result<Option<Vec<[f64; 2]>>, DensityError> {
    check_size(dim, n)?;
    let mut rng = SeededRng::new(seed);
    let points = match name {
        "bimodal" => mixture(
            &[
                blob(0.6, [0.3, 0.35], [0.07, 0.08], 0.3),
                blob(0.4, [0.7, 0.65], [0.1, 0.09], -0.4),
            ],
            dim,
            n,
            &mut rng,
        ),
        "three-modes" => mixture(
            &[
                blob(0.5, [0.22, 0.3], [0.05, 0.06], 0.0),
                blob(0.3, [0.55, 0.72], [0.04, 0.12], 0.5),
                blob(0.2, [0.8, 0.3], [0.08, 0.04], 0.0),
            ],
            dim,
            n,
            &mut rng,
        ),
        // One tight blob and 8% of the points scattered uniformly.
        "outliers" => (0..n)
            .map(|_| {
                if rng.next_f64() < 0.08 {
                    [rng.next_f64(), if dim == 2 { rng.next_f64() } else { 0.0 }]
                } else {
                    draw_inside(&blob(1.0, [0.45, 0.5], [0.06, 0.06], 0.0), dim, &mut rng)
                }
            })
            .collect(),
        "uniform" => (0..n)
            .map(|_| [rng.next_f64(), if dim == 2 { rng.next_f64() } else { 0.0 }])
            .collect(),
        // A ring in 2-D (no Gaussian fits it; a mixture of several does); in 1-D its shadow,
        // two horns at the ring's edges.
        "ring" => (0..n)
            .map(|_| {
                let angle = std::f64::consts::TAU * rng.next_f64();
                let radius = 0.3 + 0.03 * rng.normal();
                let x = (0.5 + radius * angle.cos()).clamp(0.0, 1.0);
                let y = (0.5 + radius * angle.sin()).clamp(0.0, 1.0);
                [x, if dim == 2 { y } else { 0.0 }]
            })
            .collect(),
        _ => return Ok(None),
    };
    Ok(Some(points))
}

/// `n` labelled 2-D points of a classification preset (None for an unknown name); classes
/// equally likely.
#[allow(clippy::type_complexity)]
pub fn class_preset(
    name: &str,
    n: usize,
    seed: u64,
) -> Result<Option<(Vec<[f64; 2]>, Vec<u8>)>, DensityError> {
    check_size(2, n)?;
    let classes: Vec<Blob> = match name {
        // Both classes the same shape: the Bayes boundary is a straight line, which logistic
        // regression finds too.
        "shared-shape" => vec![
            blob(1.0, [0.35, 0.4], [0.1, 0.12], 0.3),
            blob(1.0, [0.62, 0.6], [0.1, 0.12], 0.3),
        ],
        // One class tight inside a wide one: the boundary is a closed curve; no straight line
        // separates them.
        "different-spread" => vec![
            blob(1.0, [0.5, 0.5], [0.06, 0.06], 0.0),
            blob(1.0, [0.5, 0.5], [0.2, 0.2], 0.0),
        ],
        // Strongly correlated features: naive Bayes (independent features) draws the wrong
        // boundary; full covariances do not.
        "correlated" => vec![
            blob(1.0, [0.4, 0.45], [0.15, 0.15], 0.9),
            blob(1.0, [0.58, 0.4], [0.15, 0.15], 0.9),
        ],
        "three-classes" => vec![
            blob(1.0, [0.3, 0.3], [0.08, 0.08], 0.0),
            blob(1.0, [0.7, 0.35], [0.1, 0.06], 0.2),
            blob(1.0, [0.5, 0.72], [0.07, 0.1], -0.2),
        ],
        _ => return Ok(None),
    };
    let mut rng = SeededRng::new(seed);
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let c = i % classes.len();
        points.push(draw_inside(&classes[c], 2, &mut rng));
        labels.push(c as u8);
    }
    Ok(Some((points, labels)))
}

fn check_size(dim: usize, n: usize) -> Result<(), DensityError> {
    if dim != 1 && dim != 2 {
        return Err(DensityError::Dimension(dim));
    }
    if n > MAX_POINTS {
        return Err(DensityError::TooManyPoints(n));
    }
    Ok(())
}

/// Which points are held out: a seeded `fraction` of them, chosen without replacement, so that
/// the same seed holds out the same points.
pub fn held_out_mask(n: usize, fraction: f64, seed: u64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SeededRng::new(seed ^ 0x005E_ED0F_4E1D);
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let held = ((n as f64) * fraction.clamp(0.0, 1.0)).round() as usize;
    let mut mask = vec![false; n];
    for &i in order.iter().take(held) {
        mask[i] = true;
    }
    mask
}

/// The items kept for fitting and those held out, by a mask from `held_out_mask`, each in its
/// original order.
pub fn split<T: Copy>(items: &[T], held_out: &[bool]) -> (Vec<T>, Vec<T>) {
    let pick = |held: bool| {
        items
            .iter()
            .zip(held_out)
            .filter(|(_, &h)| h == held)
            .map(|(x, _)| *x)
            .collect()
    };
    (pick(false), pick(true))
}
