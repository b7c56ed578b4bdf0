//! The real distributions of the 2-D GAN, all on the unit square: each is a mixture of
//! isotropic Gaussians, so its density, its mass in any grid cell (a product of two normal
//! CDF differences) and its samples are exact. A line and a spiral are chains of small
//! Gaussians along the curve; drawn data puts a small Gaussian on every drawn point.

use serde::Serialize;

use crate::rng::SeededRng;

/// The presets, as the URL and the page name them.
pub const PRESETS: [&str; 6] = ["one", "two", "ring", "line", "spiral", "drawn"];

/// Standard deviation of the Gaussian put on each drawn point.
pub const DRAWN_SIGMA: f64 = 0.03;
/// Most drawn points a data set keeps.
pub const MAX_DRAWN: usize = 2000;

#[derive(Clone, Debug, Serialize)]
pub struct Component {
    pub x: f64,
    pub y: f64,
    pub sigma: f64,
    pub weight: f64,
}

/// A mixture of isotropic Gaussians with weights summing to 1.
#[derive(Clone, Debug, Serialize)]
pub struct RealDistribution {
    pub components: Vec<Component>,
    /// Centres that count as separate modes for the mode readout (the ring's eight, the two
    /// Gaussians' two); empty for a line, a spiral or drawn data.
    pub modes: Vec<[f64; 2]>,
    /// The modes' common spread (for "near a mode": within three of it).
    pub mode_sigma: f64,
}

fn equal(points: &[[f64; 2]], sigma: f64) -> Vec<Component> {
    let w = 1.0 / points.len() as f64;
    points
        .iter()
        .map(|p| Component {
            x: p[0],
            y: p[1],
            sigma,
            weight: w,
        })
        .collect()
}

impl RealDistribution {
    /// A preset by name; `drawn` takes the student's points (at least two, inside the square).
    pub fn preset(name: &str, drawn: &[[f64; 2]]) -> Result<Self, String> {
        let with_modes = |centres: Vec<[f64; 2]>, sigma: f64| RealDistribution {
            components: equal(&centres, sigma),
            modes: centres,
            mode_sigma: sigma,
        };
        let chain = |points: Vec<[f64; 2]>, sigma: f64| RealDistribution {
            components: equal(&points, sigma),
            modes: Vec::new(),
            mode_sigma: sigma,
        };
        Ok(match name {
            "one" => with_modes(vec![[0.5, 0.5]], 0.1),
            "two" => with_modes(vec![[0.3, 0.3], [0.7, 0.7]], 0.06),
            "ring" => with_modes(
                (0..8)
                    .map(|k| {
                        let a = std::f64::consts::TAU * k as f64 / 8.0;
                        [0.5 + 0.32 * a.cos(), 0.5 + 0.32 * a.sin()]
                    })
                    .collect(),
                0.03,
            ),
            "line" => chain(
                (0..41)
                    .map(|k| {
                        let t = k as f64 / 40.0;
                        [0.2 + 0.6 * t, 0.25 + 0.5 * t]
                    })
                    .collect(),
                0.02,
            ),
            "spiral" => chain(
                (0..120)
                    .map(|k| {
                        // An Archimedean spiral, one and a half turns, points evenly by angle.
                        let t = k as f64 / 119.0;
                        let a = 0.6 + t * 3.0 * std::f64::consts::PI;
                        let r = 0.05 + 0.33 * t;
                        [0.5 + r * a.cos(), 0.5 + r * a.sin()]
                    })
                    .collect(),
                0.018,
            ),
            "drawn" => {
                if drawn.len() < 2 {
                    return Err(format!(
                        "draw at least two points to train on (there {} {})",
                        if drawn.len() == 1 { "is" } else { "are" },
                        drawn.len()
                    ));
                }
                if drawn.len() > MAX_DRAWN {
                    return Err(format!(
                        "at most {MAX_DRAWN} drawn points, got {}",
                        drawn.len()
                    ));
                }
                if let Some(p) = drawn.iter().find(|p| {
                    !(p[0].is_finite()
                        && p[1].is_finite()
                        && (0.0..=1.0).contains(&p[0])
                        && (0.0..=1.0).contains(&p[1]))
                }) {
                    return Err(format!(
                        "a drawn point must lie in the unit square, got ({}, {})",
                        p[0], p[1]
                    ));
                }
                chain(drawn.to_vec(), DRAWN_SIGMA)
            }
            other => {
                return Err(format!(
                    "unknown data '{other}': one of {}",
                    PRESETS.join(", ")
                ))
            }
        })
    }

    /// The density at (x, y).
    pub fn density(&self, x: f64, y: f64) -> f64 {
        self.components
            .iter()
            .map(|c| {
                let s2 = c.sigma * c.sigma;
                let d2 = (x - c.x).powi(2) + (y - c.y).powi(2);
                c.weight * (-0.5 * d2 / s2).exp() / (std::f64::consts::TAU * s2)
            })
            .sum()
    }

    /// The probability of the cell [x0, x1] x [y0, y1], exactly.
    pub fn cell_mass(&self, x0: f64, x1: f64, y0: f64, y1: f64) -> f64 {
        self.components
            .iter()
            .map(|c| {
                let px = normal_cdf((x1 - c.x) / c.sigma) - normal_cdf((x0 - c.x) / c.sigma);
                let py = normal_cdf((y1 - c.y) / c.sigma) - normal_cdf((y0 - c.y) / c.sigma);
                c.weight * px * py
            })
            .sum()
    }

    /// `n` independent samples, as interleaved x, y.
    pub fn sample(&self, n: usize, rng: &mut SeededRng, out: &mut Vec<f32>) {
        out.clear();
        let weights: Vec<f64> = self.components.iter().map(|c| c.weight).collect();
        let equal_weights = weights.iter().all(|w| *w == weights[0]);
        for _ in 0..n {
            let k = if equal_weights {
                rng.below(weights.len())
            } else {
                rng.weighted_index(&weights).unwrap_or(0)
            };
            let c = &self.components[k];
            out.push((c.x + c.sigma * rng.normal()) as f32);
            out.push((c.y + c.sigma * rng.normal()) as f32);
        }
    }
}

/// The standard normal CDF through erfc (W. J. Cody's rational approximations, as in
/// Numerical Recipes' erfc: relative error below 1.2e-7 everywhere).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}
