//! k-means (Lloyd's algorithm) split into the two half-steps taught in the lecture, with
//! the objective tracked after every half-step, several initialisations, restarts, an elbow
//! curve, data presets and colour quantization. Points are flat `f32` rows of `dim` values.

pub mod presets;

use serde::{Deserialize, Serialize};

use crate::rng::SeededRng;

pub const MAX_K: usize = 256;
pub const MAX_POINTS: usize = 4_194_304;
/// The largest coordinate magnitude accepted: squared distances (in f32) between points this
/// far out stay finite, so F and every assignment are exact numbers, never Infinity.
pub const MAX_COORDINATE: f32 = 1e9;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KMeansError {
    #[error("there are no points yet: add some points or pick a data preset")]
    NoPoints,
    #[error("k must be between 1 and {max}, got {k}")]
    BadK { k: usize, max: usize },
    #[error("k = {k} is more than the number of points ({n}); lower k or add points")]
    KAboveN { k: usize, n: usize },
    #[error("point {index} has a coordinate that is not a finite number")]
    NonFinite { index: usize },
    #[error("point {index} has a coordinate beyond ±1e9 (its squared distances would overflow)")]
    TooFar { index: usize },
    #[error("the coordinates do not form whole points of dimension {dim} (got {len} numbers)")]
    Ragged { dim: usize, len: usize },
    #[error("too many points: {n} (at most {max})")]
    TooManyPoints { n: usize, max: usize },
    #[error("{0}")]
    BadCenters(String),
}

/// How the k centers are first placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Init {
    /// Uniform at random inside the bounding box of the data.
    RandomPositions,
    /// Forgy: k distinct data points chosen uniformly at random.
    Forgy,
    /// Every point gets a random cluster; centers start at those clusters' means.
    RandomPartition,
    /// k-means++ (Arthur and Vassilvitskii 2007): each next center is a data point drawn
    /// with probability proportional to its squared distance to the nearest chosen center.
    KMeansPlusPlus,
}

impl Init {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "random" => Self::RandomPositions,
            "forgy" => Self::Forgy,
            "partition" => Self::RandomPartition,
            "kmeans++" | "kmeanspp" => Self::KMeansPlusPlus,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::RandomPositions => "random",
            Self::Forgy => "forgy",
            Self::RandomPartition => "partition",
            Self::KMeansPlusPlus => "kmeans++",
        }
    }
}

/// What a center that owns no points does at recenter time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmptyRule {
    /// It stays where it is.
    Stay,
    /// It jumps onto the point that is farthest from its own center.
    JumpToFarthest,
}

/// Which half-step comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Assign,
    Recenter,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignReport {
    /// Points whose owner changed.
    pub changed: usize,
    pub objective: f64,
    /// True when no assignment changed after a recenter: Lloyd's algorithm has converged.
    pub converged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecenterReport {
    /// Centers that owned no points, and so followed the empty-cluster rule.
    pub empty: Vec<usize>,
    /// Largest distance any center moved.
    pub max_shift: f64,
    pub objective: f64,
}

const UNASSIGNED: u32 = u32::MAX;

/// Validates flat coordinates: whole points, finite, within limits.
pub fn validate_points(dim: usize, coords: &[f32]) -> Result<usize, KMeansError> {
    if dim == 0 || !coords.len().is_multiple_of(dim) {
        return Err(KMeansError::Ragged {
            dim,
            len: coords.len(),
        });
    }
    let n = coords.len() / dim;
    if n > MAX_POINTS {
        return Err(KMeansError::TooManyPoints { n, max: MAX_POINTS });
    }
    if let Some(i) = coords.iter().position(|c| !c.is_finite()) {
        return Err(KMeansError::NonFinite { index: i / dim });
    }
    if let Some(i) = coords.iter().position(|c| c.abs() > MAX_COORDINATE) {
        return Err(KMeansError::TooFar { index: i / dim });
    }
    Ok(n)
}

#[inline]
fn sq_dist(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Index and squared distance of the center nearest to `p`; ties go to the lowest index.
#[inline]
pub fn nearest(p: &[f32], centers: &[f32], dim: usize) -> (usize, f32) {
    match dim {
        2 => {
            let (x, y) = (p[0], p[1]);
            let mut best = (0, f32::INFINITY);
            for (j, c) in centers.chunks_exact(2).enumerate() {
                let d = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
                if d < best.1 {
                    best = (j, d);
                }
            }
            best
        }
        _ => {
            let mut best = (0, f32::INFINITY);
            for (j, c) in centers.chunks_exact(dim).enumerate() {
                let d = sq_dist(p, c);
                if d < best.1 {
                    best = (j, d);
                }
            }
            best
        }
    }
}

/// Runs `$f(args.., dim)` with `dim` a constant for 2 (the demo's points) and 3 (RGB colours),
/// so that the per-point loops of an `#[inline(always)]` `$f` unroll; other dimensions fall back.
macro_rules! with_fixed_dim {
    ($dim:expr, $f:ident($($arg:expr),*)) => {
        match $dim {
            2 => $f($($arg,)* 2),
            3 => $f($($arg,)* 3),
            dim => $f($($arg,)* dim),
        }
    };
}

/// The assign half-step over all points: (points whose owner changed, sum of the nearest
/// squared distances). Ties keep the current owner.
#[inline(always)]
fn assign_points(
    points: &[f32],
    centers: &[f32],
    assignment: &mut [u32],
    dim: usize,
) -> (usize, f64) {
    let lanes = CenterLanes::new(centers, dim);
    let mut changed = 0;
    let mut total = 0.0f64;
    for (p, owner) in points.chunks_exact(dim).zip(assignment.iter_mut()) {
        let p = &p[..dim];
        let (j, d) = lanes.nearest_fixed(p, dim);
        changed += settle_owner(owner, j, d, p, centers);
        // The nearest distance equals the kept owner's on ties.
        total += d as f64;
    }
    (changed, total)
}

/// `assign_points` for small fixed dimensions, four points at a time: their coordinates
/// side by side, so that each center is compared with four points in one f32x4 pass.
/// Same distances, same ties, same sums as `assign_points`.
fn assign_points_by4<const D: usize>(
    points: &[f32],
    centers: &[f32],
    assignment: &mut [u32],
) -> (usize, f64) {
    let mut changed = 0;
    let mut total = 0.0f64;
    let whole = assignment.len() / 4 * 4;
    for (block, owners) in points[..whole * D]
        .chunks_exact(4 * D)
        .zip(assignment[..whole].chunks_exact_mut(4))
    {
        let cols = side_by_side::<D>(block);
        let mut best_d = [f32::INFINITY; 4];
        let mut best_j = [0u32; 4];
        for (j, c) in centers.chunks_exact(D).enumerate() {
            let dist = four_sq_dists::<D>(&cols, c);
            for l in 0..4 {
                // Strict `<`: the lowest index wins a tie, as in `nearest`.
                let better = dist[l] < best_d[l];
                best_d[l] = if better { dist[l] } else { best_d[l] };
                best_j[l] = if better { j as u32 } else { best_j[l] };
            }
        }
        for l in 0..4 {
            let p = &block[l * D..(l + 1) * D];
            changed += settle_owner(&mut owners[l], best_j[l] as usize, best_d[l], p, centers);
            total += best_d[l] as f64;
        }
    }
    for (p, owner) in points[whole * D..]
        .chunks_exact(D)
        .zip(&mut assignment[whole..])
    {
        let (j, d) = nearest(p, centers, D);
        changed += settle_owner(owner, j, d, p, centers);
        total += d as f64;
    }
    (changed, total)
}

/// Four points' coordinates transposed: `cols[d][l]` is coordinate d of point l.
#[inline(always)]
fn side_by_side<const D: usize>(block: &[f32]) -> [[f32; 4]; D] {
    let mut cols = [[0.0f32; 4]; D];
    for l in 0..4 {
        for d in 0..D {
            cols[d][l] = block[l * D + d];
        }
    }
    cols
}

/// Squared distances of four side-by-side points to center `c`, summed coordinate by
/// coordinate from zero like `sq_dist`, so the values are bit-identical to it.
#[inline(always)]
fn four_sq_dists<const D: usize>(cols: &[[f32; 4]; D], c: &[f32]) -> [f32; 4] {
    let mut dist = [0.0f32; 4];
    for d in 0..D {
        for l in 0..4 {
            let t = cols[d][l] - c[d];
            dist[l] += t * t;
        }
    }
    dist
}

/// Gives the point to its nearest center `j` (at squared distance `d`) unless its current
/// owner is just as near. Returns 1 if the owner changed.
#[inline(always)]
fn settle_owner(owner: &mut u32, j: usize, d: f32, p: &[f32], centers: &[f32]) -> usize {
    let dim = p.len();
    let keep = *owner != UNASSIGNED && {
        let o = *owner as usize * dim;
        sq_dist(p, &centers[o..o + dim]) <= d
    };
    if !keep && *owner != j as u32 {
        *owner = j as u32;
        1
    } else {
        0
    }
}

/// F: the sum of every point's squared distance to its owner.
#[inline(always)]
fn owned_distance_sum(points: &[f32], centers: &[f32], assignment: &[u32], dim: usize) -> f64 {
    let mut total = 0.0f64;
    for (p, &a) in points.chunks_exact(dim).zip(assignment) {
        let o = a as usize * dim;
        total += sq_dist(&p[..dim], &centers[o..o + dim]) as f64;
    }
    total
}

/// Per-center coordinate sums and point counts.
#[inline(always)]
fn sum_owned_points(
    points: &[f32],
    assignment: &[u32],
    sums: &mut [f64],
    counts: &mut [usize],
    dim: usize,
) {
    for (p, &a) in points.chunks_exact(dim).zip(assignment) {
        let a = a as usize;
        counts[a] += 1;
        for (s, &x) in sums[a * dim..(a + 1) * dim].iter_mut().zip(&p[..dim]) {
            *s += x as f64;
        }
    }
}

/// Centers searched this many at a time: the inner loop is a fixed-width array, which
/// LLVM turns into f32x4 instructions (wasm simd128, SSE natively).
const LANES: usize = 4;

/// The centers laid out for a fast nearest-center search: by blocks of `LANES` centers,
/// coordinate by coordinate (`blocks[b * dim + d][l]` is coordinate d of center
/// `b * LANES + l`), padded with centers at infinity, which never win. Gives exactly the
/// same answer as [`nearest`], ties included.
#[derive(Debug, Clone)]
pub struct CenterLanes {
    dim: usize,
    blocks: Vec<[f32; LANES]>,
}

impl CenterLanes {
    pub fn new(centers: &[f32], dim: usize) -> Self {
        let k = centers.len() / dim;
        let mut blocks = vec![[f32::INFINITY; LANES]; k.div_ceil(LANES) * dim];
        for (j, c) in centers.chunks_exact(dim).enumerate() {
            for (d, &x) in c.iter().enumerate() {
                blocks[(j / LANES) * dim + d][j % LANES] = x;
            }
        }
        Self { dim, blocks }
    }

    /// Index and squared distance of the center nearest to `p`; ties go to the lowest index.
    #[inline]
    pub fn nearest(&self, p: &[f32]) -> (usize, f32) {
        // Constant dimensions let the compiler unroll the coordinate loop.
        match self.dim {
            2 => self.nearest_fixed(p, 2),
            3 => self.nearest_fixed(p, 3),
            dim => self.nearest_fixed(p, dim),
        }
    }

    #[inline(always)]
    fn nearest_fixed(&self, p: &[f32], dim: usize) -> (usize, f32) {
        let mut best_d = [f32::INFINITY; LANES];
        let mut best_j = [u32::MAX; LANES];
        for (b, block) in self.blocks.chunks_exact(dim).enumerate() {
            // Same summation order as `sq_dist`, so the distances are bit-identical.
            let mut d = [0.0f32; LANES];
            for (c, &x) in block.iter().zip(&p[..dim]) {
                for l in 0..LANES {
                    let t = x - c[l];
                    d[l] += t * t;
                }
            }
            for l in 0..LANES {
                // Strict `<`: within a lane the lowest index wins a tie.
                let better = d[l] < best_d[l];
                best_d[l] = if better { d[l] } else { best_d[l] };
                best_j[l] = if better {
                    (b * LANES + l) as u32
                } else {
                    best_j[l]
                };
            }
        }
        // Across lanes: smallest distance, then lowest index.
        let mut best = (u32::MAX, f32::INFINITY);
        for l in 0..LANES {
            if best_d[l] < best.1 || (best_d[l] == best.1 && best_j[l] < best.0) {
                best = (best_j[l], best_d[l]);
            }
        }
        if best.0 == u32::MAX {
            // Every distance overflowed to infinity: same answer as `nearest`.
            return (0, f32::INFINITY);
        }
        (best.0 as usize, best.1)
    }
}

/// A k-means run that advances one half-step at a time.
#[derive(Debug, Clone)]
pub struct KMeans {
    dim: usize,
    points: Vec<f32>,
    k: usize,
    centers: Vec<f32>,
    previous_centers: Vec<f32>,
    assignment: Vec<u32>,
    phase: Phase,
    empty_rule: EmptyRule,
    /// The objective after every half-step (the first entry after initialisation, when an
    /// assignment exists).
    objectives: Vec<f64>,
    converged: bool,
    iterations: usize,
}

impl KMeans {
    /// Starts a run on `coords` (flat, `dim` per point) with `k` centers placed by `init`.
    pub fn new(
        dim: usize,
        coords: Vec<f32>,
        k: usize,
        init: Init,
        seed: u64,
    ) -> Result<Self, KMeansError> {
        let n = Self::check(dim, &coords, k)?;
        let mut rng = SeededRng::new(seed);
        let mut run = Self::empty(dim, coords, k);
        match init {
            Init::RandomPositions => {
                let (lo, hi) = run.bounds();
                run.centers = (0..k * dim)
                    .map(|i| {
                        let d = i % dim;
                        lo[d] + (hi[d] - lo[d]) * rng.next_f32()
                    })
                    .collect();
            }
            Init::Forgy => {
                // Partial Fisher-Yates: k distinct indices.
                let mut idx: Vec<usize> = (0..n).collect();
                for i in 0..k {
                    let j = i + rng.below(n - i);
                    idx.swap(i, j);
                }
                run.centers = idx[..k]
                    .iter()
                    .flat_map(|&i| run.point(i).to_vec())
                    .collect();
            }
            Init::RandomPartition => {
                run.assignment = (0..n).map(|_| rng.below(k) as u32).collect();
                run.centers = vec![0.0; k * dim];
                let (lo, hi) = run.bounds();
                let mid: Vec<f32> = lo.iter().zip(&hi).map(|(a, b)| (a + b) / 2.0).collect();
                for j in 0..k {
                    run.centers[j * dim..(j + 1) * dim].copy_from_slice(&mid);
                }
                run.recenter_means();
                run.phase = Phase::Assign;
                let f = run.objective().expect("assignment exists");
                run.objectives.push(f);
            }
            Init::KMeansPlusPlus => {
                run.centers = kmeans_plus_plus(dim, &run.points, k, &mut rng);
            }
        }
        run.previous_centers = run.centers.clone();
        Ok(run)
    }

    /// Starts a run from centers the user placed.
    pub fn with_centers(
        dim: usize,
        coords: Vec<f32>,
        centers: Vec<f32>,
    ) -> Result<Self, KMeansError> {
        if dim == 0 || centers.is_empty() || !centers.len().is_multiple_of(dim) {
            return Err(KMeansError::BadCenters("place at least one center".into()));
        }
        if centers.iter().any(|c| !c.is_finite()) {
            return Err(KMeansError::BadCenters(
                "a center has a non-finite coordinate".into(),
            ));
        }
        if centers.iter().any(|c| c.abs() > MAX_COORDINATE) {
            return Err(KMeansError::BadCenters(
                "a center has a coordinate beyond ±1e9".into(),
            ));
        }
        let k = centers.len() / dim;
        Self::check(dim, &coords, k)?;
        let mut run = Self::empty(dim, coords, k);
        run.previous_centers = centers.clone();
        run.centers = centers;
        Ok(run)
    }

    fn check(dim: usize, coords: &[f32], k: usize) -> Result<usize, KMeansError> {
        let n = validate_points(dim, coords)?;
        if n == 0 {
            return Err(KMeansError::NoPoints);
        }
        if k == 0 || k > MAX_K {
            return Err(KMeansError::BadK { k, max: MAX_K });
        }
        if k > n {
            return Err(KMeansError::KAboveN { k, n });
        }
        Ok(n)
    }

    fn empty(dim: usize, points: Vec<f32>, k: usize) -> Self {
        let n = points.len() / dim;
        Self {
            dim,
            points,
            k,
            centers: Vec::new(),
            previous_centers: Vec::new(),
            assignment: vec![UNASSIGNED; n],
            phase: Phase::Assign,
            empty_rule: EmptyRule::Stay,
            objectives: Vec::new(),
            converged: false,
            iterations: 0,
        }
    }

    pub fn set_empty_rule(&mut self, rule: EmptyRule) {
        self.empty_rule = rule;
    }
    pub fn dim(&self) -> usize {
        self.dim
    }
    pub fn k(&self) -> usize {
        self.k
    }
    pub fn len(&self) -> usize {
        self.points.len() / self.dim
    }
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
    pub fn points(&self) -> &[f32] {
        &self.points
    }
    pub fn point(&self, i: usize) -> &[f32] {
        &self.points[i * self.dim..(i + 1) * self.dim]
    }
    pub fn centers(&self) -> &[f32] {
        &self.centers
    }
    /// Centers before the last recenter (for animating the move).
    pub fn previous_centers(&self) -> &[f32] {
        &self.previous_centers
    }
    /// Owner of every point, or `u32::MAX` before the first assign.
    pub fn assignment(&self) -> &[u32] {
        &self.assignment
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    pub fn objectives(&self) -> &[f64] {
        &self.objectives
    }
    pub fn converged(&self) -> bool {
        self.converged
    }
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    fn bounds(&self) -> (Vec<f32>, Vec<f32>) {
        let mut lo = vec![f32::INFINITY; self.dim];
        let mut hi = vec![f32::NEG_INFINITY; self.dim];
        for p in self.points.chunks_exact(self.dim) {
            for d in 0..self.dim {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        (lo, hi)
    }

    /// F(mu, C) = sum_i ||x_i - mu_C(i)||^2, or `None` before any assignment exists.
    pub fn objective(&self) -> Option<f64> {
        if self.assignment.first() == Some(&UNASSIGNED) {
            return None;
        }
        Some(with_fixed_dim!(
            self.dim,
            owned_distance_sum(&self.points, &self.centers, &self.assignment)
        ))
    }

    /// Assign: every point moves to its nearest center (ties keep the current owner, so
    /// that "nothing changed" is a reliable convergence test).
    pub fn assign_step(&mut self) -> AssignReport {
        let (points, centers, assignment) = (&self.points, &self.centers, &mut self.assignment);
        let (changed, total) = match self.dim {
            2 => assign_points_by4::<2>(points, centers, assignment),
            3 => assign_points_by4::<3>(points, centers, assignment),
            dim => assign_points(points, centers, assignment, dim),
        };
        let after_recenter = self.phase == Phase::Assign && !self.objectives.is_empty();
        self.converged = changed == 0 && after_recenter;
        self.phase = Phase::Recenter;
        self.objectives.push(total);
        AssignReport {
            changed,
            objective: total,
            converged: self.converged,
        }
    }

    /// Sets every center with points to the mean of its points; returns the empty ones.
    fn recenter_means(&mut self) -> Vec<usize> {
        let dim = self.dim;
        let mut sums = vec![0.0f64; self.k * dim];
        let mut counts = vec![0usize; self.k];
        with_fixed_dim!(
            dim,
            sum_owned_points(&self.points, &self.assignment, &mut sums, &mut counts)
        );
        let mut empty = Vec::new();
        for j in 0..self.k {
            if counts[j] == 0 {
                empty.push(j);
                continue;
            }
            for d in 0..dim {
                self.centers[j * dim + d] = (sums[j * dim + d] / counts[j] as f64) as f32;
            }
        }
        empty
    }

    /// Recenter: every center jumps to the centroid of the points it owns. Does an assign
    /// first if none has happened yet.
    pub fn recenter_step(&mut self) -> RecenterReport {
        if self.phase == Phase::Assign && self.objectives.is_empty() {
            self.assign_step();
        }
        let dim = self.dim;
        self.previous_centers = self.centers.clone();
        let empty = self.recenter_means();
        if self.empty_rule == EmptyRule::JumpToFarthest && !empty.is_empty() {
            // Distances of each point to its own center, largest first; each empty center
            // takes a different point.
            let mut far: Vec<(f32, usize)> = self
                .points
                .chunks_exact(dim)
                .zip(&self.assignment)
                .enumerate()
                .map(|(i, (p, &a))| {
                    let c = &self.centers[a as usize * dim..(a as usize + 1) * dim];
                    (sq_dist(p, c), i)
                })
                .collect();
            let take = empty.len().min(far.len());
            far.select_nth_unstable_by(take - 1, |a, b| b.0.total_cmp(&a.0));
            far[..take].sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (slot, &j) in empty.iter().enumerate().take(take) {
                let i = far[slot].1;
                let p = self.point(i).to_vec();
                self.centers[j * dim..(j + 1) * dim].copy_from_slice(&p);
            }
        }
        let max_shift = self
            .centers
            .chunks_exact(dim)
            .zip(self.previous_centers.chunks_exact(dim))
            .map(|(a, b)| sq_dist(a, b).sqrt() as f64)
            .fold(0.0, f64::max);
        let objective = self.objective().expect("assigned before recentering");
        self.objectives.push(objective);
        self.phase = Phase::Assign;
        self.iterations += 1;
        RecenterReport {
            empty,
            max_shift,
            objective,
        }
    }

    /// The next half-step, whichever it is.
    pub fn half_step(&mut self) {
        match self.phase {
            Phase::Assign => {
                self.assign_step();
            }
            Phase::Recenter => {
                self.recenter_step();
            }
        }
    }

    /// One full Lloyd iteration: assign then recenter.
    pub fn lloyd_iteration(&mut self) {
        if self.phase == Phase::Recenter {
            self.recenter_step();
        }
        self.assign_step();
        self.recenter_step();
    }

    /// Runs until an assign changes nothing, or `max_iterations` full iterations.
    pub fn run_to_convergence(&mut self, max_iterations: usize) -> f64 {
        for _ in 0..max_iterations {
            if self.converging_iteration() {
                break;
            }
        }
        self.objective().unwrap_or(f64::INFINITY)
    }

    /// One iteration of a run to convergence: a pending recenter, then assign, then recenter
    /// unless the assign changed nothing. True once converged.
    pub fn converging_iteration(&mut self) -> bool {
        if self.phase == Phase::Recenter {
            self.recenter_step();
        }
        let converged = self.assign_step().converged;
        if !converged {
            self.recenter_step();
        }
        converged
    }

    /// Index of the nearest center for each cell of a `cols` x `rows` grid laid over the
    /// box [x0, x1] x [y0, y1] (2-D runs only): the Voronoi regions, ready to colour.
    pub fn voronoi_grid(
        &self,
        cols: usize,
        rows: usize,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(cols * rows);
        if self.dim != 2 {
            return out;
        }
        let lanes = CenterLanes::new(&self.centers, 2);
        for r in 0..rows {
            let y = y0 + (y1 - y0) * (r as f32 + 0.5) / rows as f32;
            for c in 0..cols {
                let x = x0 + (x1 - x0) * (c as f32 + 0.5) / cols as f32;
                out.push(lanes.nearest(&[x, y]).0 as u8);
            }
        }
        out
    }
}

/// k-means++ seeding: returns k centers (flat).
pub fn kmeans_plus_plus(dim: usize, points: &[f32], k: usize, rng: &mut SeededRng) -> Vec<f32> {
    let n = points.len() / dim;
    let first = rng.below(n);
    let mut chosen = vec![first];
    let mut centers = points[first * dim..(first + 1) * dim].to_vec();
    let mut table = SquaredDistances::new(n);
    table.lower_to(points, dim, &centers);
    while chosen.len() < k {
        // When every point coincides with a chosen center (duplicates), fall back to an
        // unchosen index so that the k centers are still k distinct data points.
        let next = table.sample(rng).unwrap_or_else(|| {
            let free: Vec<usize> = (0..n).filter(|i| !chosen.contains(i)).collect();
            free[rng.below(free.len())]
        });
        chosen.push(next);
        let c = points[next * dim..(next + 1) * dim].to_vec();
        table.lower_to(points, dim, &c);
        centers.extend_from_slice(&c);
    }
    centers
}

/// Points per block of [`SquaredDistances`]: sampling walks the block sums, then one block.
const SAMPLE_BLOCK: usize = 1024;

/// D(x)^2 for k-means++: each point's squared distance to its nearest chosen center, with
/// the sums of blocks of points, so that drawing a point with probability proportional to
/// D(x)^2 costs one pass per new center (the update) instead of three (update, total, walk).
struct SquaredDistances {
    d2: Vec<f32>,
    block_sums: Vec<f64>,
}

impl SquaredDistances {
    fn new(n: usize) -> Self {
        Self {
            d2: vec![f32::INFINITY; n],
            block_sums: vec![0.0; n.div_ceil(SAMPLE_BLOCK)],
        }
    }

    /// Lowers every distance to its distance from the new center `c`.
    fn lower_to(&mut self, points: &[f32], dim: usize, c: &[f32]) {
        let (d2, block_sums) = (&mut self.d2, &mut self.block_sums);
        match dim {
            2 => lower_distances_by4::<2>(d2, block_sums, points, c),
            3 => lower_distances_by4::<3>(d2, block_sums, points, c),
            dim => lower_distances(d2, block_sums, points, c, dim),
        }
    }
}

#[inline(always)]
fn lower_distances(d2: &mut [f32], block_sums: &mut [f64], points: &[f32], c: &[f32], dim: usize) {
    for ((d2, p), sum) in d2
        .chunks_mut(SAMPLE_BLOCK)
        .zip(points.chunks(SAMPLE_BLOCK * dim))
        .zip(block_sums.iter_mut())
    {
        // Four partial sums: independent additions instead of one long chain.
        let mut partial = [0.0f64; 4];
        for (i, (d, p)) in d2.iter_mut().zip(p.chunks_exact(dim)).enumerate() {
            *d = d.min(sq_dist(&p[..dim], &c[..dim]));
            partial[i % 4] += *d as f64;
        }
        *sum = partial.iter().sum();
    }
}

/// `lower_distances` four points at a time (see `assign_points_by4`).
fn lower_distances_by4<const D: usize>(
    d2: &mut [f32],
    block_sums: &mut [f64],
    points: &[f32],
    c: &[f32],
) {
    for ((d2, p), sum) in d2
        .chunks_mut(SAMPLE_BLOCK)
        .zip(points.chunks(SAMPLE_BLOCK * D))
        .zip(block_sums.iter_mut())
    {
        let mut partial = [0.0f64; 4];
        let whole = d2.len() / 4 * 4;
        for (ds, block) in d2[..whole].chunks_exact_mut(4).zip(p.chunks_exact(4 * D)) {
            let dist = four_sq_dists::<D>(&side_by_side::<D>(block), c);
            for l in 0..4 {
                ds[l] = if dist[l] < ds[l] { dist[l] } else { ds[l] };
                partial[l] += ds[l] as f64;
            }
        }
        for (d, p) in d2[whole..].iter_mut().zip(p[whole * D..].chunks_exact(D)) {
            *d = d.min(sq_dist(p, &c[..D]));
            partial[0] += *d as f64;
        }
        *sum = partial.iter().sum();
    }
}

impl SquaredDistances {
    /// A point drawn with probability proportional to D(x)^2; `None` when all are zero.
    /// A point at distance zero (a chosen center or its duplicate) is never drawn.
    fn sample(&self, rng: &mut SeededRng) -> Option<usize> {
        let total: f64 = self.block_sums.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        let mut target = rng.next_f64() * total;
        // The last block with weight takes what rounding leaves over.
        let last = self.block_sums.iter().rposition(|&s| s > 0.0)?;
        let mut block = last;
        for (b, &s) in self.block_sums.iter().enumerate() {
            if target < s {
                block = b;
                break;
            }
            target -= s;
        }
        let d2 = &self.d2[block * SAMPLE_BLOCK..((block + 1) * SAMPLE_BLOCK).min(self.d2.len())];
        for (i, &w) in d2.iter().enumerate() {
            let w = w as f64;
            if target < w {
                return Some(block * SAMPLE_BLOCK + i);
            }
            target -= w;
        }
        d2.iter()
            .rposition(|&w| w > 0.0)
            .map(|i| block * SAMPLE_BLOCK + i)
    }
}

/// Best of `restarts` runs (seeds seed, seed+1, ...) to convergence: (best objective, run).
pub fn best_of_restarts(
    dim: usize,
    coords: &[f32],
    k: usize,
    init: Init,
    seed: u64,
    restarts: usize,
    rule: EmptyRule,
) -> Result<(f64, KMeans), KMeansError> {
    let mut best: Option<(f64, KMeans)> = None;
    for r in 0..restarts.max(1) {
        let mut run = KMeans::new(dim, coords.to_vec(), k, init, seed.wrapping_add(r as u64))?;
        run.set_empty_rule(rule);
        let f = run.run_to_convergence(300);
        if best.as_ref().is_none_or(|(bf, _)| f < *bf) {
            best = Some((f, run));
        }
    }
    Ok(best.expect("at least one restart"))
}

/// The elbow curve: best objective over `restarts` runs for k = 1..=max_k (capped at n).
pub fn elbow(
    dim: usize,
    coords: &[f32],
    max_k: usize,
    init: Init,
    seed: u64,
    restarts: usize,
) -> Result<Vec<f64>, KMeansError> {
    let mut search = ElbowSearch::new(dim, coords.to_vec(), max_k, init, seed, restarts)?;
    while !search.advance(usize::MAX)? {}
    Ok(search.curve().to_vec())
}

/// The elbow curve computed a few Lloyd iterations at a time, so that a page stays responsive
/// over 100,000 points: the same runs as `best_of_restarts` for every k (seeds seed,
/// seed+1, ..., a center with no points jumps to the farthest point, at most 300 iterations).
pub struct ElbowSearch {
    dim: usize,
    coords: Vec<f32>,
    init: Init,
    seed: u64,
    restarts: usize,
    /// Best objective so far for k = 1, 2, ...; infinite until a run for that k has ended.
    best: Vec<f64>,
    k: usize,
    restart: usize,
    run: Option<KMeans>,
    run_iterations: usize,
}

impl ElbowSearch {
    pub fn new(
        dim: usize,
        coords: Vec<f32>,
        max_k: usize,
        init: Init,
        seed: u64,
        restarts: usize,
    ) -> Result<Self, KMeansError> {
        let n = validate_points(dim, &coords)?;
        if n == 0 {
            return Err(KMeansError::NoPoints);
        }
        if max_k == 0 || max_k > MAX_K {
            return Err(KMeansError::BadK {
                k: max_k,
                max: MAX_K,
            });
        }
        Ok(Self {
            dim,
            coords,
            init,
            seed,
            restarts: restarts.max(1),
            best: vec![f64::INFINITY; max_k.min(n)],
            k: 1,
            restart: 0,
            run: None,
            run_iterations: 0,
        })
    }

    /// Does at most `max_iterations` Lloyd iterations; true once every run has ended.
    pub fn advance(&mut self, max_iterations: usize) -> Result<bool, KMeansError> {
        let mut done = 0;
        while !self.is_done() && done < max_iterations {
            if self.run.is_none() {
                let seed = self.seed.wrapping_add(self.restart as u64);
                let mut run = KMeans::new(self.dim, self.coords.clone(), self.k, self.init, seed)?;
                run.set_empty_rule(EmptyRule::JumpToFarthest);
                self.run = Some(run);
                self.run_iterations = 0;
            }
            let run = self.run.as_mut().expect("made above");
            let converged = run.converging_iteration();
            self.run_iterations += 1;
            done += 1;
            if converged || self.run_iterations >= 300 {
                let f = run.objective().unwrap_or(f64::INFINITY);
                let best = &mut self.best[self.k - 1];
                *best = best.min(f);
                self.run = None;
                self.restart += 1;
                if self.restart == self.restarts {
                    self.restart = 0;
                    self.k += 1;
                }
            }
        }
        Ok(self.is_done())
    }

    pub fn is_done(&self) -> bool {
        self.k > self.best.len()
    }

    /// The best objective for k = 1, 2, ... so far (infinite where no run has ended yet).
    pub fn curve(&self) -> &[f64] {
        &self.best
    }

    /// The fraction of the runs that have ended, in [0, 1].
    pub fn progress(&self) -> f64 {
        let total = self.best.len() * self.restarts;
        let ended = (self.k - 1) * self.restarts + self.restart;
        (ended.min(total)) as f64 / total as f64
    }
}

/// Colour quantization: k-means on RGB pixels (RGBA bytes in, alpha ignored).
/// Returns (palette as RGB bytes, the image redrawn with its palette as RGBA bytes, objective).
pub fn quantize_colors(
    rgba: &[u8],
    k: usize,
    seed: u64,
    iterations: usize,
) -> Result<(Vec<u8>, Vec<u8>, f64), KMeansError> {
    if !rgba.len().is_multiple_of(4) {
        return Err(KMeansError::Ragged {
            dim: 4,
            len: rgba.len(),
        });
    }
    let mut coords = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        coords.extend_from_slice(&[p[0] as f32, p[1] as f32, p[2] as f32]);
    }
    let mut run = KMeans::new(3, coords, k, Init::KMeansPlusPlus, seed)?;
    run.set_empty_rule(EmptyRule::JumpToFarthest);
    let f = run.run_to_convergence(iterations);
    let palette: Vec<u8> = run
        .centers()
        .iter()
        .map(|c| c.round().clamp(0.0, 255.0) as u8)
        .collect();
    let mut out = Vec::with_capacity(rgba.len());
    for (p, &a) in rgba.chunks_exact(4).zip(run.assignment()) {
        let c = &palette[a as usize * 3..a as usize * 3 + 3];
        out.extend_from_slice(&[c[0], c[1], c[2], p[3]]);
    }
    Ok((palette, out, f))
}
