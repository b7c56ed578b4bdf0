//! How far the generated points are from the real distribution, measured on a grid of cells
//! over the unit square, as GAN Lab does, but with the real side exact: each cell's real
//! probability is integrated from the known density, not counted from a sample.
//!
//! One more cell stands for everything outside the square: real mass that spills out of it
//! (a Gaussian near an edge) and generated points that land outside count there, so a
//! generator that throws points away is charged for it instead of being renormalised.
//!
//! JS is finite whatever the counts. KL(p_data || p_g) would be infinite wherever the
//! generator leaves a cell with real mass empty, so p_g is smoothed there: every cell count
//! gets half a point (the Jeffreys prior, `SMOOTHING`) before normalising.

use serde::Serialize;

use super::data::RealDistribution;

/// Added to every generated cell count before KL is taken (so KL stays finite).
pub const SMOOTHING: f64 = 0.5;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Divergences {
    /// Jensen-Shannon divergence in nats (at most ln 2).
    pub js: f64,
    /// KL(p_data || p_g) in nats, with p_g's counts smoothed.
    pub kl: f64,
    /// The fraction of generated points outside the square.
    pub outside: f64,
}

/// The real distribution's probability of each of `cells` x `cells` cells (row-major, y
/// rising with the row), then the mass outside the square as the last entry.
pub fn real_cell_probabilities(real: &RealDistribution, cells: usize) -> Vec<f64> {
    let mut p = Vec::with_capacity(cells * cells + 1);
    let w = 1.0 / cells as f64;
    for r in 0..cells {
        for c in 0..cells {
            p.push(real.cell_mass(
                c as f64 * w,
                (c + 1) as f64 * w,
                r as f64 * w,
                (r + 1) as f64 * w,
            ));
        }
    }
    let inside: f64 = p.iter().sum();
    p.push((1.0 - inside).max(0.0));
    p
}

/// Counts of points (interleaved x, y) per cell, the last entry those outside the square.
pub fn cell_counts(points: &[f32], cells: usize) -> Vec<f64> {
    let mut counts = vec![0.0; cells * cells + 1];
    for p in points.chunks_exact(2) {
        let (x, y) = (p[0] as f64, p[1] as f64);
        // The top and right edges belong to the last cell; a NaN lands outside.
        let index = if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) {
            let c = ((x * cells as f64) as usize).min(cells - 1);
            let r = ((y * cells as f64) as usize).min(cells - 1);
            r * cells + c
        } else {
            cells * cells
        };
        counts[index] += 1.0;
    }
    counts
}

/// JS and KL between the real cell probabilities `p` and generated cell counts.
pub fn divergences(p: &[f64], counts: &[f64]) -> Divergences {
    let n: f64 = counts.iter().sum();
    let smoothed_total = n + SMOOTHING * counts.len() as f64;
    let (mut js, mut kl) = (0.0, 0.0);
    for (&pi, &ci) in p.iter().zip(counts) {
        let qi = if n > 0.0 { ci / n } else { 0.0 };
        let mi = 0.5 * (pi + qi);
        if pi > 0.0 {
            js += 0.5 * pi * (pi / mi).ln();
            kl += pi * (pi / ((ci + SMOOTHING) / smoothed_total)).ln();
        }
        if qi > 0.0 {
            js += 0.5 * qi * (qi / mi).ln();
        }
    }
    Divergences {
        js: js.max(0.0),
        kl: kl.max(0.0),
        outside: if n > 0.0 {
            counts[counts.len() - 1] / n
        } else {
            0.0
        },
    }
}

/// How the generated points share the real distribution's modes.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModeShares {
    /// The fraction of all points nearest each mode.
    pub nearest: Vec<f64>,
    /// The fraction of all points within three standard deviations of each mode.
    pub near: Vec<f64>,
    /// Modes holding a fair share: at least half of an equal share within three sigma.
    pub covered: usize,
}

pub fn mode_shares(real: &RealDistribution, points: &[f32]) -> Option<ModeShares> {
    let k = real.modes.len();
    if k == 0 {
        return None;
    }
    let n = (points.len() / 2).max(1) as f64;
    let (mut nearest, mut near) = (vec![0.0; k], vec![0.0; k]);
    let reach2 = (3.0 * real.mode_sigma).powi(2);
    for p in points.chunks_exact(2) {
        let (x, y) = (p[0] as f64, p[1] as f64);
        let (best, d2) = real
            .modes
            .iter()
            .map(|m| (m[0] - x).powi(2) + (m[1] - y).powi(2))
            .enumerate()
            .fold(
                (0, f64::INFINITY),
                |a, (i, d)| if d < a.1 { (i, d) } else { a },
            );
        if d2.is_finite() {
            nearest[best] += 1.0 / n;
            if d2 <= reach2 {
                near[best] += 1.0 / n;
            }
        }
    }
    let covered = near.iter().filter(|s| **s >= 0.5 / k as f64).count();
    Some(ModeShares {
        nearest,
        near,
        covered,
    })
}

/// A kernel density estimate of the points on a `side` x `side` grid of cell centres over the
/// unit square (row-major, y rising with the row): the points are binned on a grid four
/// times finer, then blurred by a Gaussian of standard deviation `bandwidth` (separable), which
/// is the KDE up to the binning's quarter-cell shift.
pub fn kde_grid(points: &[f32], side: usize, bandwidth: f64) -> Vec<f64> {
    let fine = side * 4;
    let h = 1.0 / fine as f64;
    // Room around the square so that mass just outside still spreads in.
    let pad = ((4.0 * bandwidth / h).ceil() as usize).min(4 * fine);
    let width = fine + 2 * pad;
    let mut bins = vec![0.0; width * width];
    let n = (points.len() / 2).max(1) as f64;
    for p in points.chunks_exact(2) {
        let fx = p[0] as f64 / h + pad as f64;
        let fy = p[1] as f64 / h + pad as f64;
        if fx >= 0.0 && fy >= 0.0 && fx < width as f64 && fy < width as f64 {
            bins[fy as usize * width + fx as usize] += 1.0;
        }
    }
    let radius = pad as isize;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|d| {
            let t = d as f64 * h / bandwidth;
            (-0.5 * t * t).exp() / ((std::f64::consts::TAU).sqrt() * bandwidth)
        })
        .collect();
    let blur = |src: &[f64], horizontal: bool| {
        let mut out = vec![0.0; width * width];
        for r in 0..width {
            for c in 0..width {
                let v = if horizontal {
                    src[r * width + c]
                } else {
                    src[c * width + r]
                };
                if v == 0.0 {
                    continue;
                }
                for (k, kv) in kernel.iter().enumerate() {
                    let t = c as isize + k as isize - radius;
                    if t >= 0 && (t as usize) < width {
                        if horizontal {
                            out[r * width + t as usize] += v * kv * h;
                        } else {
                            out[t as usize * width + r] += v * kv * h;
                        }
                    }
                }
            }
        }
        out
    };
    let smooth = blur(&blur(&bins, true), false);
    let mut grid = Vec::with_capacity(side * side);
    for r in 0..side {
        for c in 0..side {
            // Mean of the 4 x 4 fine cells under this cell: its density.
            let mut s = 0.0;
            for dr in 0..4 {
                for dc in 0..4 {
                    s += smooth[(pad + r * 4 + dr) * width + pad + c * 4 + dc];
                }
            }
            grid.push(s / 16.0 / (h * h) / n);
        }
    }
    grid
}

/// The mean of one axis (0: x, 1: y) of interleaved points, and the mean squared deviation
/// from it.
pub fn axis_moments(points: &[f32], axis: usize) -> (f64, f64) {
    let n = (points.len() / 2).max(1) as f64;
    let values = || points.iter().skip(axis).step_by(2).map(|x| *x as f64);
    let mean = values().sum::<f64>() / n;
    (mean, values().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
}

/// Scott's rule bandwidth for 2-D points (the mean of the two axes' spreads).
pub fn scott_bandwidth(points: &[f32]) -> f64 {
    let n = points.len() / 2;
    if n < 2 {
        return 0.05;
    }
    let unbiased = n as f64 / (n - 1) as f64;
    let spread: f64 = (0..2)
        .map(|axis| (axis_moments(points, axis).1 * unbiased).sqrt() / 2.0)
        .sum();
    (spread * (n as f64).powf(-1.0 / 6.0)).clamp(0.005, 0.2)
}

/// The optimal discriminator for the generator as it is, D*(x) = p_data / (p_data + p_g), on
/// the cell centres of a `side` x `side` grid, p_g estimated by a KDE of the generated points;
/// 0.5 where neither puts density.
pub fn optimal_discriminator(real: &RealDistribution, generated: &[f32], side: usize) -> Vec<f64> {
    let p_g = kde_grid(generated, side, scott_bandwidth(generated));
    let w = 1.0 / side as f64;
    (0..side * side)
        .map(|i| {
            let (r, c) = (i / side, i % side);
            let p = real.density((c as f64 + 0.5) * w, (r as f64 + 0.5) * w);
            optimal_from_densities(p, p_g[i])
        })
        .collect()
}

/// D* from the two densities at a point.
pub fn optimal_from_densities(p_data: f64, p_g: f64) -> f64 {
    if p_data + p_g > 1e-12 {
        p_data / (p_data + p_g)
    } else {
        0.5
    }
}
