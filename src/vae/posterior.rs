//! The true posterior p(z | x) = p(x | z) p(z) / p(x) and the evidence p(x) of the VAE, by
//! quadrature on a grid: possible because the code z is 2-D. The ELBO is a lower bound on
//! ln p(x); the grid gives ln p(x) itself, and the gap between them is KL(q(z|x) || p(z|x)).
//!
//! A digit's posterior is far narrower than the plane (its width is about 0.05 where the plane
//! spans 8), so one grid over the plane would put the whole posterior inside a cell or two. The
//! grid therefore zooms: a coarse grid over the plane finds where the mass is, and each next
//! grid covers only the cells that hold all but 1e-9 of it (and the encoder's q, for the KL),
//! until the window stops shrinking.

use super::{Posterior, Vae, VaeError};
use crate::density::LN_2PI;

/// Half-width of the first grid: the prior N(0, I) puts e^-18 of its density beyond 6.
pub const PLANE: f64 = 6.0;
const MAX_ROUNDS: usize = 6;
/// Mass a window may leave out (as a fraction of the last grid's estimate).
const LEFT_OUT: f64 = 1e-9;

/// ln p(x, z) on a side x side grid of cell centres over a window of the plane.
#[derive(Debug, Clone)]
pub struct Grid {
    pub lo: [f64; 2],
    pub hi: [f64; 2],
    pub side: usize,
    /// Row-major, rows along z2 from lo[1] up, columns along z1.
    pub log_joint: Vec<f64>,
}

impl Grid {
    pub fn cell(&self) -> [f64; 2] {
        [
            (self.hi[0] - self.lo[0]) / self.side as f64,
            (self.hi[1] - self.lo[1]) / self.side as f64,
        ]
    }

    pub fn centre(&self, i: usize) -> [f64; 2] {
        let c = self.cell();
        [
            self.lo[0] + (0.5 + (i % self.side) as f64) * c[0],
            self.lo[1] + (0.5 + (i / self.side) as f64) * c[1],
        ]
    }

    /// ln of the integral of p(x, z) over the window (midpoint rule).
    pub fn log_mass(&self) -> f64 {
        let c = self.cell();
        crate::density::log_sum_exp(&self.log_joint) + (c[0] * c[1]).ln()
    }
}

/// The posterior of one image on the grids: the first over the plane, the last zoomed on it.
#[derive(Debug, Clone)]
pub struct TruePosterior {
    pub plane: Grid,
    pub zoomed: Grid,
    /// ln p(x) in nats, from the zoomed grid.
    pub log_evidence: f64,
    /// Grids evaluated (each side x side decoder passes).
    pub rounds: usize,
}

impl TruePosterior {
    /// p(z | x) at every cell centre of a grid.
    pub fn density(&self, grid: &Grid) -> Vec<f64> {
        grid.log_joint
            .iter()
            .map(|l| (l - self.log_evidence).exp())
            .collect()
    }

    /// KL(q || p(z | x)) = E_q[ln q(z) - ln p(z | x)], on the zoomed grid.
    pub fn kl_from(&self, q: &Posterior) -> f64 {
        let g = &self.zoomed;
        let c = g.cell();
        let mut kl = 0.0;
        for (i, lj) in g.log_joint.iter().enumerate() {
            let log_q = log_normal(q, g.centre(i));
            kl += log_q.exp() * c[0] * c[1] * (log_q - (lj - self.log_evidence));
        }
        kl
    }
}

/// ln q(z) of the encoder's diagonal Gaussian.
pub fn log_normal(q: &Posterior, z: [f64; 2]) -> f64 {
    (0..2)
        .map(|d| {
            let lv = q.logvar[d] as f64;
            let dz = z[d] - q.mu[d] as f64;
            -0.5 * (dz * dz / lv.exp() + lv + LN_2PI)
        })
        .sum()
}

impl Vae {
    /// ln p(x, z) = ln p(x | z) + ln N(z; 0, I) at every cell centre of a window.
    fn joint_grid(&self, pixels: &[u8], lo: [f64; 2], hi: [f64; 2], side: usize) -> Grid {
        let mut grid = Grid {
            lo,
            hi,
            side,
            log_joint: Vec::with_capacity(side * side),
        };
        let zs: Vec<[f32; 2]> = (0..side * side)
            .map(|i| {
                let z = grid.centre(i);
                [z[0] as f32, z[1] as f32]
            })
            .collect();
        for chunk in zs.chunks(32) {
            for (z, ll) in chunk.iter().zip(self.log_likelihoods(pixels, chunk)) {
                let (a, b) = (z[0] as f64, z[1] as f64);
                grid.log_joint.push(ll - 0.5 * (a * a + b * b) - LN_2PI);
            }
        }
        grid
    }

    /// The true posterior of an image and ln p(x), on grids of side x side cells.
    pub fn true_posterior(&self, pixels: &[u8], side: usize) -> Result<TruePosterior, VaeError> {
        self.check_image(pixels)?;
        if !(8..=256).contains(&side) {
            return Err(VaeError::Input(format!(
                "the grid side must be 8 to 256, got {side}"
            )));
        }
        let q = self.encode(pixels)?;
        // The plane at half the resolution only locates the mass; the zoomed grids measure it.
        let plane = self.joint_grid(pixels, [-PLANE; 2], [PLANE; 2], side / 2);
        let mut zoomed = plane.clone();
        let mut rounds = 1;
        while rounds < MAX_ROUNDS {
            let (lo, hi) = window(&zoomed, &q);
            let c = zoomed.cell();
            // The mass spread over enough cells on both axes: the midpoint rule is already
            // exact to far below a nat there (and zooming further would gain nothing).
            if zoomed.side == side && (0..2).all(|d| (hi[d] - lo[d]) / c[d] >= 0.25 * side as f64) {
                break;
            }
            zoomed = self.joint_grid(pixels, lo, hi, side);
            rounds += 1;
        }
        let log_evidence = zoomed.log_mass();
        Ok(TruePosterior {
            plane,
            zoomed,
            log_evidence,
            rounds,
        })
    }
}

/// The box of the cells that hold all but `LEFT_OUT` of the grid's mass, one cell wider on
/// every side, joined with the encoder's q out to 6 standard deviations (so the KL sees all of
/// q), inside the plane.
fn window(grid: &Grid, q: &Posterior) -> ([f64; 2], [f64; 2]) {
    let top = grid
        .log_joint
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let mut order: Vec<(f64, usize)> = grid
        .log_joint
        .iter()
        .enumerate()
        .map(|(i, l)| ((l - top).exp(), i))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = order.iter().map(|o| o.0).sum();
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    let c = grid.cell();
    let mut kept = 0.0;
    for (mass, i) in order {
        let z = grid.centre(i);
        for d in 0..2 {
            lo[d] = lo[d].min(z[d] - 1.5 * c[d]);
            hi[d] = hi[d].max(z[d] + 1.5 * c[d]);
        }
        kept += mass;
        if kept >= total * (1.0 - LEFT_OUT) {
            break;
        }
    }
    let s = q.sigma();
    for d in 0..2 {
        lo[d] = lo[d].min(q.mu[d] as f64 - 6.0 * s[d] as f64).max(-PLANE);
        hi[d] = hi[d].max(q.mu[d] as f64 + 6.0 * s[d] as f64).min(PLANE);
    }
    (lo, hi)
}
