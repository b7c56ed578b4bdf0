//! Density estimation in one and two dimensions for the density tab: histograms, kernel
//! density estimates and Gaussian mixtures fitted by EM (`mixture`), each evaluated on held-out
//! points and sampled from; and classification by Bayes' rule against logistic regression
//! (`classify`). Points live in [0, 1]^d, d = 1 or 2; a 1-D point keeps its y at 0.

pub mod classify;
pub mod data;
pub mod mixture;

use crate::rng::SeededRng;

/// Most points a data set may hold (training and held-out together): every estimator is
/// evaluated at every point on every change, so the page stays interactive.
pub const MAX_POINTS: usize = 5_000;

/// ln(2 pi), in the Gaussian's normaliser.
pub const LN_2PI: f64 = 1.837_877_066_409_345_5;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DensityError {
    #[error("the dimension must be 1 or 2, got {0}")]
    Dimension(usize),
    #[error("at most {MAX_POINTS} points, got {0}")]
    TooManyPoints(usize),
    #[error("no training points: add some points first")]
    NoPoints,
    #[error("{what} must be a number from {min} to {max}, got {value}")]
    OutOfRange {
        what: &'static str,
        min: f64,
        max: f64,
        value: f64,
    },
    #[error("a point must lie in the unit square, got ({0}, {1})")]
    PointOutside(f64, f64),
}

/// Checks a setting's value against its range.
pub fn check_range(
    what: &'static str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<f64, DensityError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(DensityError::OutOfRange {
            what,
            min,
            max,
            value,
        })
    }
}

/// ln(sum(exp(v))) without overflow; -inf for an empty or all -inf slice.
pub fn log_sum_exp(values: &[f64]) -> f64 {
    let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if top == f64::NEG_INFINITY {
        return top;
    }
    top + values.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
}

/// Mean of `ln p(x)` over `points`; -inf when any point has zero density (a held-out point in
/// an empty histogram bin), NaN for no points.
pub fn mean_log_density(points: &[[f64; 2]], log_density: impl Fn([f64; 2]) -> f64) -> f64 {
    if points.is_empty() {
        return f64::NAN;
    }
    points.iter().map(|&p| log_density(p)).sum::<f64>() / points.len() as f64
}

/// A histogram over [0, 1]^d with square bins of one width: p(x) = count(bin of x) / (n w^d).
/// The last bin of each axis may reach past 1 (when 1 / w is not whole): the density still
/// integrates to 1 over the bins.
#[derive(Debug, Clone)]
pub struct Histogram {
    pub dim: usize,
    pub width: f64,
    /// Bins along each axis.
    pub bins: usize,
    /// Counts, row-major (y then x) in 2-D.
    pub counts: Vec<u32>,
    pub total: usize,
}

impl Histogram {
    pub fn fit(dim: usize, points: &[[f64; 2]], width: f64) -> Result<Self, DensityError> {
        if points.is_empty() {
            return Err(DensityError::NoPoints);
        }
        let width = check_range("the bin width", width, 0.001, 1.0)?;
        // 1 / w bins rounded up (less a hair, so that w = 0.1 gives 10 and not 11), and one
        // more where that hair left the last bin short of 1: the bins always cover [0, 1].
        let mut bins = (1.0 / width - 1e-9).ceil().max(1.0) as usize;
        if (bins as f64) * width < 1.0 {
            bins += 1;
        }
        let mut hist = Histogram {
            dim,
            width,
            bins,
            counts: vec![0; bins.pow(dim as u32)],
            total: points.len(),
        };
        for &p in points {
            if let Some(i) = hist.bin(p) {
                hist.counts[i] += 1;
            }
        }
        Ok(hist)
    }

    /// The bin holding `p`, or None outside the bins.
    pub fn bin(&self, p: [f64; 2]) -> Option<usize> {
        let axis = |v: f64| {
            let i = (v / self.width).floor();
            // Every point of [0, 1] is in a bin (1 itself, or a point whose quotient rounded
            // up to the edge, in the last one).
            let i = if (0.0..=1.0).contains(&v) {
                i.min(self.bins as f64 - 1.0)
            } else {
                i
            };
            (i >= 0.0 && i < self.bins as f64).then_some(i as usize)
        };
        let ix = axis(p[0])?;
        if self.dim == 1 {
            return Some(ix);
        }
        Some(axis(p[1])? * self.bins + ix)
    }

    pub fn density(&self, p: [f64; 2]) -> f64 {
        self.bin(p).map_or(0.0, |i| {
            self.counts[i] as f64 / (self.total as f64 * self.width.powi(self.dim as i32))
        })
    }

    pub fn log_density(&self, p: [f64; 2]) -> f64 {
        self.density(p).ln()
    }

    /// Draws a bin in proportion to its count, then a point uniformly inside it.
    pub fn sample(&self, count: usize, rng: &mut SeededRng) -> Vec<[f64; 2]> {
        // Bins are drawn by bisection over the cumulative counts: a draw costs log(bins), not a
        // scan of every bin (a 0.001-wide 2-D histogram has a million). The same draws as
        // `weighted_index` on the counts: the first bin whose cumulative count exceeds u * n.
        let mut cumulative = Vec::with_capacity(self.counts.len());
        let mut total = 0u64;
        for &c in &self.counts {
            total += c as u64;
            cumulative.push(total as f64);
        }
        let last_filled = self.counts.iter().rposition(|&c| c > 0);
        (0..count)
            .filter_map(|_| {
                let target = rng.next_f64() * total as f64;
                let i = cumulative.partition_point(|&c| c <= target);
                let i = if i < self.counts.len() {
                    i
                } else {
                    last_filled?
                };
                let (ix, iy) = (i % self.bins, i / self.bins);
                let x = (ix as f64 + rng.next_f64()) * self.width;
                let y = if self.dim == 2 {
                    (iy as f64 + rng.next_f64()) * self.width
                } else {
                    0.0
                };
                Some([x, y])
            })
            .collect()
    }
}

/// A kernel density estimate with a Gaussian kernel: p(x) = (1/n) sum_i N(x; x_i, h^2 I).
#[derive(Debug, Clone)]
pub struct Kde<'a> {
    pub dim: usize,
    pub points: &'a [[f64; 2]],
    pub bandwidth: f64,
}

impl<'a> Kde<'a> {
    pub fn new(dim: usize, points: &'a [[f64; 2]], bandwidth: f64) -> Result<Self, DensityError> {
        if points.is_empty() {
            return Err(DensityError::NoPoints);
        }
        let bandwidth = check_range("the bandwidth", bandwidth, 0.001, 1.0)?;
        Ok(Kde {
            dim,
            points,
            bandwidth,
        })
    }

    pub fn log_density(&self, p: [f64; 2]) -> f64 {
        kde_log_density(self.dim, self.points, self.bandwidth, p)
    }

    /// p(x) at the cell centres of a grid over [0, 1]^d: `side` values in 1-D, side x side
    /// (rows from y = 0) in 2-D. The Gaussian kernel factors into an x part and a y part, so the
    /// 2-D grid is a sum of one outer product per point; and along an axis of equally spaced
    /// centres each kernel value is the one before times a ratio that itself shrinks by a
    /// constant factor, so a point's values along an axis take a few exponentials instead of
    /// `side` (`axis_factors`). At 5,000 points the 1-D picture's line costs 3 million
    /// exponentials directly. Equal to exp(log_density) to about 1e-13 relative, and 0 where
    /// that underflows.
    pub fn grid_density(&self, side: usize) -> Vec<f64> {
        if side == 0 {
            return Vec::new();
        }
        let inv = 0.5 / (self.bandwidth * self.bandwidth);
        let mut along_x = vec![0.0; side];
        let n = self.points.len() as f64;
        if self.dim == 1 {
            let mut line = vec![0.0; side];
            for p in self.points {
                axis_factors(p[0], inv, &mut along_x);
                line.iter_mut().zip(&along_x).for_each(|(v, f)| *v += f);
            }
            let norm = 1.0 / (n * (std::f64::consts::TAU).sqrt() * self.bandwidth);
            line.iter_mut().for_each(|v| *v *= norm);
            return line;
        }
        let mut along_y = vec![0.0; side];
        let mut grid = vec![0.0; side * side];
        for p in self.points {
            axis_factors(p[0], inv, &mut along_x);
            axis_factors(p[1], inv, &mut along_y);
            for (row, &fy) in grid.chunks_exact_mut(side).zip(&along_y) {
                if fy == 0.0 {
                    continue;
                }
                for (cell, &fx) in row.iter_mut().zip(&along_x) {
                    *cell += fy * fx;
                }
            }
        }
        let norm = 1.0 / (n * std::f64::consts::TAU * self.bandwidth * self.bandwidth);
        grid.iter_mut().for_each(|v| *v *= norm);
        grid
    }

    /// Draws a training point, then adds the kernel's noise.
    pub fn sample(&self, count: usize, rng: &mut SeededRng) -> Vec<[f64; 2]> {
        (0..count)
            .map(|_| {
                let c = self.points[rng.below(self.points.len())];
                let x = c[0] + self.bandwidth * rng.normal();
                let y = if self.dim == 2 {
                    c[1] + self.bandwidth * rng.normal()
                } else {
                    0.0
                };
                [x, y]
            })
            .collect()
    }
}

/// exp(-(c_i - p)^2 inv) at the cell centres c_i = (i + 1/2) / side of [0, 1], side =
/// `out.len()`. Outward from the centre nearest p, with cell width w: value(i+1) = value(i)
/// ratio(i) and ratio(i+1) = ratio(i) exp(-2 w^2 inv) (the same going down), recomputed
/// exactly every 16 cells so that rounding cannot pile up (the error grows as the square of the
/// cells since the last exact value: 16 keeps it near 1e-14); it stops where the values fall
/// below 1e-300 (the rest are 0, as the direct exponentials would nearly be).
fn axis_factors(p: f64, inv: f64, out: &mut [f64]) {
    const EXACT_EVERY: usize = 16;
    out.fill(0.0);
    let side = out.len();
    let w = 1.0 / side as f64;
    let centre = |i: usize| (i as f64 + 0.5) / side as f64; // as grid_cells rounds them
    let nearest = ((p * side as f64).floor().max(0.0) as usize).min(side - 1);
    let shrink = (-2.0 * w * w * inv).exp();
    for up in [true, false] {
        let cells = if up { side - nearest } else { nearest + 1 };
        let (mut value, mut ratio) = (0.0, 0.0);
        for k in 0..cells {
            let i = if up { nearest + k } else { nearest - k };
            if k % EXACT_EVERY == 0 {
                let d = centre(i) - p;
                value = (-d * d * inv).exp();
                // value(next) / value(i) = exp(-((d +- w)^2 - d^2) inv)
                let toward = if up { 2.0 * d * w } else { -2.0 * d * w };
                ratio = (-(toward + w * w) * inv).exp();
            } else {
                value *= ratio;
                ratio *= shrink;
            }
            if value < 1e-300 {
                break;
            }
            out[i] = value;
        }
    }
}

fn squared_distance(dim: usize, a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    if dim == 1 {
        dx * dx
    } else {
        dx * dx + (a[1] - b[1]).powi(2)
    }
}

/// ln p(x) of the KDE.
fn kde_log_density(dim: usize, points: &[[f64; 2]], h: f64, p: [f64; 2]) -> f64 {
    let inv = -0.5 / (h * h);
    let terms: Vec<f64> = points
        .iter()
        .map(|&q| inv * squared_distance(dim, p, q))
        .collect();
    let n = terms.len() as f64;
    log_sum_exp(&terms) - n.ln() - dim as f64 * (h.ln() + 0.5 * LN_2PI)
}

/// Mean ln p(x) per point of the training and the held-out points for each setting of a
/// smoothing parameter: the overfitting curve (training rises as the setting shrinks, held-out
/// falls past its best).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Curve {
    pub settings: Vec<f64>,
    pub train: Vec<f64>,
    pub held_out: Vec<f64>,
}

impl Curve {
    /// The setting with the highest held-out log-likelihood (None when every one is -inf).
    pub fn best(&self) -> Option<f64> {
        self.held_out
            .iter()
            .zip(&self.settings)
            .filter(|(v, _)| v.is_finite())
            .max_by(|a, b| a.0.total_cmp(b.0))
            .map(|(_, s)| *s)
    }
}

/// `count` settings spaced evenly on a log scale from `lo` to `hi`.
pub fn log_spaced(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let count = count.max(2);
    (0..count)
        .map(|i| lo * (hi / lo).powf(i as f64 / (count - 1) as f64))
        .collect()
}

/// What a long computation reports as it goes: the fraction done, from 0 to 1. The page's Web
/// Worker posts it to a progress line; elsewhere it is ignored (`&mut |_| {}`).
pub type Progress<'a> = &'a mut dyn FnMut(f64);

pub fn histogram_curve(
    dim: usize,
    train: &[[f64; 2]],
    held_out: &[[f64; 2]],
    widths: &[f64],
    progress: Progress,
) -> Result<Curve, DensityError> {
    let mut curve = Curve {
        settings: widths.to_vec(),
        train: Vec::new(),
        held_out: Vec::new(),
    };
    for (i, &w) in widths.iter().enumerate() {
        progress(i as f64 / widths.len() as f64);
        let h = Histogram::fit(dim, train, w)?;
        curve
            .train
            .push(mean_log_density(train, |p| h.log_density(p)));
        curve
            .held_out
            .push(mean_log_density(held_out, |p| h.log_density(p)));
    }
    Ok(curve)
}

/// The KDE's curve over bandwidths. The squared distances from each point to every training
/// point are computed once and sorted, so that each bandwidth sums only the kernels that
/// matter (those within 40 nats of the nearest one).
pub fn kde_curve(
    dim: usize,
    train: &[[f64; 2]],
    held_out: &[[f64; 2]],
    bandwidths: &[f64],
    progress: Progress,
) -> Result<Curve, DensityError> {
    if train.is_empty() {
        return Err(DensityError::NoPoints);
    }
    for &h in bandwidths {
        check_range("the bandwidth", h, 0.001, 1.0)?;
    }
    let sorted_distances = |p: [f64; 2]| {
        let mut d: Vec<f64> = train.iter().map(|&q| squared_distance(dim, p, q)).collect();
        d.sort_by(f64::total_cmp);
        d
    };
    let n = train.len() as f64;
    let total_points = (train.len() + held_out.len()) as f64;
    let mut done = 0usize;
    let mut mean_over = |points: &[[f64; 2]]| -> Vec<f64> {
        let mut sums = vec![0.0; bandwidths.len()];
        for &p in points {
            if done.is_multiple_of(64) {
                progress(done as f64 / total_points);
            }
            done += 1;
            let d = sorted_distances(p);
            for (sum, &h) in sums.iter_mut().zip(bandwidths) {
                let inv = 0.5 / (h * h);
                let nearest = d[0] * inv;
                let mut total = 0.0;
                for &dd in &d {
                    let e = dd * inv - nearest;
                    if e > 40.0 {
                        break;
                    }
                    total += (-e).exp();
                }
                *sum += -nearest + total.ln() - n.ln() - dim as f64 * (h.ln() + 0.5 * LN_2PI);
            }
        }
        sums.iter().map(|s| s / points.len() as f64).collect()
    };
    Ok(Curve {
        settings: bandwidths.to_vec(),
        train: mean_over(train),
        held_out: if held_out.is_empty() {
            vec![f64::NAN; bandwidths.len()]
        } else {
            mean_over(held_out)
        },
    })
}

/// The cell centres of a grid over [0, 1]^d: `side` points in 1-D, `side * side` row-major
/// (y then x) in 2-D.
pub fn grid_cells(dim: usize, side: usize) -> Vec<[f64; 2]> {
    let at = |i: usize| (i as f64 + 0.5) / side as f64;
    if dim == 1 {
        (0..side).map(|i| [at(i), 0.0]).collect()
    } else {
        (0..side * side)
            .map(|i| [at(i % side), at(i / side)])
            .collect()
    }
}

#[cfg(test)]
mod tests;
