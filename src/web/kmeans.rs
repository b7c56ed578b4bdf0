//! k-means and colour quantization for the k-means tab.

use js_sys::{Float32Array, Float64Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{seed64, whole};
use crate::kmeans::{self, EmptyRule, Init, KMeans};

/// k-means on 2-D points in [0, 1]^2, one half-step at a time.
#[wasm_bindgen]
pub struct KMeansDemo {
    points: Vec<f32>,
    run: Option<KMeans>,
    empty_rule: EmptyRule,
    last_empty: Vec<usize>,
    last_changed: usize,
    /// The elbow curve being computed, a few iterations per call.
    elbow: Option<kmeans::ElbowSearch>,
}

#[wasm_bindgen]
impl KMeansDemo {
    #[wasm_bindgen(constructor)]
    pub fn new() -> KMeansDemo {
        KMeansDemo {
            points: Vec::new(),
            run: None,
            empty_rule: EmptyRule::Stay,
            last_empty: Vec::new(),
            last_changed: 0,
            elbow: None,
        }
    }

    /// Replaces the points with a preset: blobs, uniform, smiley, rings, anisotropic,
    /// unequal-variance or uneven-sizes.
    pub fn generate(
        &mut self,
        preset: &str,
        n: f64,
        blobs: f64,
        seed: JsValue,
    ) -> Result<(), JsError> {
        let seed = seed64(seed)?;
        let n = whole(n, "the number of points", 1, 100_000)?;
        let blobs = whole(blobs, "the number of blobs", 1, 100)?;
        self.points = kmeans::presets::generate(preset, n, blobs, seed)
            .ok_or_else(|| JsError::new(&format!("unknown data preset {preset:?}")))?;
        self.run = None;
        Ok(())
    }

    /// Replaces the points (flat x, y pairs).
    #[wasm_bindgen(js_name = setPoints)]
    pub fn set_points(&mut self, coords: &[f32]) -> Result<(), JsError> {
        let n = kmeans::validate_points(2, coords).map_err(|e| JsError::new(&e.to_string()))?;
        if n > 100_000 {
            return Err(JsError::new("at most 100,000 points"));
        }
        self.points = coords.to_vec();
        self.run = None;
        Ok(())
    }

    /// Adds one point; the current run restarts from its centers.
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: f32, y: f32) -> Result<(), JsError> {
        kmeans::validate_points(2, &[x, y]).map_err(|e| JsError::new(&e.to_string()))?;
        if self.points.len() / 2 >= 100_000 {
            return Err(JsError::new("at most 100,000 points"));
        }
        self.points.extend_from_slice(&[x, y]);
        if let Some(run) = &self.run {
            let centers = run.centers().to_vec();
            self.run = KMeans::with_centers(2, self.points.clone(), centers).ok();
            if let Some(r) = self.run.as_mut() {
                r.set_empty_rule(self.empty_rule);
            }
        }
        Ok(())
    }

    pub fn clear(&mut self) {
        self.points.clear();
        self.run = None;
    }

    /// Starts a run: k centers placed by `init` (random, forgy, partition, kmeans++).
    pub fn reset(&mut self, k: f64, init: &str, seed: JsValue) -> Result<(), JsError> {
        let seed = seed64(seed)?;
        let k = whole(k, "k", 1, kmeans::MAX_K)?;
        let init = Init::parse(init)
            .ok_or_else(|| JsError::new(&format!("unknown initialisation {init:?}")))?;
        let mut run = KMeans::new(2, self.points.clone(), k, init, seed)
            .map_err(|e| JsError::new(&e.to_string()))?;
        run.set_empty_rule(self.empty_rule);
        self.run = Some(run);
        self.last_empty.clear();
        Ok(())
    }

    /// Starts a run from centers the user clicked (flat x, y pairs).
    #[wasm_bindgen(js_name = placeCenters)]
    pub fn place_centers(&mut self, centers: &[f32]) -> Result<(), JsError> {
        let mut run = KMeans::with_centers(2, self.points.clone(), centers.to_vec())
            .map_err(|e| JsError::new(&e.to_string()))?;
        run.set_empty_rule(self.empty_rule);
        self.run = Some(run);
        Ok(())
    }

    /// "stay" or "farthest".
    #[wasm_bindgen(js_name = setEmptyRule)]
    pub fn set_empty_rule(&mut self, rule: &str) -> Result<(), JsError> {
        self.empty_rule = match rule {
            "stay" => EmptyRule::Stay,
            "farthest" => EmptyRule::JumpToFarthest,
            _ => {
                return Err(JsError::new(
                    "the empty-cluster rule is \"stay\" or \"farthest\"",
                ))
            }
        };
        if let Some(run) = self.run.as_mut() {
            run.set_empty_rule(self.empty_rule);
        }
        Ok(())
    }

    fn run_mut(&mut self) -> Result<&mut KMeans, JsError> {
        self.run
            .as_mut()
            .ok_or_else(|| JsError::new("press Reset to place the centers first"))
    }

    /// Assign half-step; returns the number of points that changed owner.
    pub fn assign(&mut self) -> Result<usize, JsError> {
        let report = self.run_mut()?.assign_step();
        self.last_changed = report.changed;
        Ok(report.changed)
    }

    /// Recenter half-step; returns the indices of empty centers.
    pub fn recenter(&mut self) -> Result<Vec<u32>, JsError> {
        let report = self.run_mut()?.recenter_step();
        self.last_empty = report.empty.clone();
        Ok(report.empty.iter().map(|&j| j as u32).collect())
    }

    /// Whichever half-step is next; returns "assign" or "recenter" (the one done).
    #[wasm_bindgen(js_name = halfStep)]
    pub fn half_step(&mut self) -> Result<String, JsError> {
        let phase = self.run_mut()?.phase();
        match phase {
            kmeans::Phase::Assign => self.assign().map(|_| "assign".into()),
            kmeans::Phase::Recenter => self.recenter().map(|_| "recenter".into()),
        }
    }

    /// One full Lloyd iteration (benchmarks).
    #[wasm_bindgen(js_name = lloydIteration)]
    pub fn lloyd_iteration(&mut self) -> Result<(), JsError> {
        self.run_mut()?.lloyd_iteration();
        Ok(())
    }

    /// Runs to convergence (at most `max_iterations`); returns the objective.
    #[wasm_bindgen(js_name = runToConvergence)]
    pub fn run_to_convergence(&mut self, max_iterations: f64) -> Result<f64, JsError> {
        let max_iterations = whole(max_iterations, "the iteration limit", 1, 100_000)?;
        Ok(self.run_mut()?.run_to_convergence(max_iterations))
    }

    /// Best objective of `restarts` runs to convergence; keeps the best run.
    pub fn restarts(
        &mut self,
        k: f64,
        init: &str,
        seed: JsValue,
        restarts: f64,
    ) -> Result<f64, JsError> {
        let seed = seed64(seed)?;
        let k = whole(k, "k", 1, kmeans::MAX_K)?;
        let restarts = whole(restarts, "the number of restarts", 1, 100)?;
        let init = Init::parse(init).ok_or_else(|| JsError::new("unknown initialisation"))?;
        let (f, run) =
            kmeans::best_of_restarts(2, &self.points, k, init, seed, restarts, self.empty_rule)
                .map_err(|e| JsError::new(&e.to_string()))?;
        self.run = Some(run);
        Ok(f)
    }

    /// Starts the elbow curve for k = 1..=max_k; `elbowAdvance` computes it a little at a time.
    #[wasm_bindgen(js_name = elbowStart)]
    pub fn elbow_start(
        &mut self,
        max_k: f64,
        init: &str,
        seed: JsValue,
        restarts: f64,
    ) -> Result<(), JsError> {
        let seed = seed64(seed)?;
        let max_k = whole(max_k, "the largest k", 1, 20)?;
        let restarts = whole(restarts, "the number of restarts", 1, 20)?;
        let init = Init::parse(init).ok_or_else(|| JsError::new("unknown initialisation"))?;
        self.elbow = Some(
            kmeans::ElbowSearch::new(2, self.points.clone(), max_k, init, seed, restarts)
                .map_err(|e| JsError::new(&e.to_string()))?,
        );
        Ok(())
    }

    /// Up to `iterations` Lloyd iterations of the elbow search; returns the fraction of its
    /// runs that have ended (1 when the curve is complete).
    #[wasm_bindgen(js_name = elbowAdvance)]
    pub fn elbow_advance(&mut self, iterations: f64) -> Result<f64, JsError> {
        let iterations = whole(iterations, "the number of iterations", 1, 1_000_000)?;
        let search = self
            .elbow
            .as_mut()
            .ok_or_else(|| JsError::new("start the elbow plot first"))?;
        search
            .advance(iterations)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(search.progress())
    }

    /// The elbow curve so far: the best F for k = 1, 2, ... (NaN where no run has ended yet).
    #[wasm_bindgen(js_name = elbowCurve)]
    pub fn elbow_curve(&self) -> Float64Array {
        let curve: Vec<f64> = self
            .elbow
            .as_ref()
            .map(|s| {
                s.curve()
                    .iter()
                    .map(|&f| if f.is_finite() { f } else { f64::NAN })
                    .collect()
            })
            .unwrap_or_default();
        Float64Array::from(&curve[..])
    }

    pub fn points(&self) -> Float32Array {
        Float32Array::from(&self.points[..])
    }
    #[wasm_bindgen(js_name = pointCount)]
    pub fn point_count(&self) -> usize {
        self.points.len() / 2
    }
    pub fn centers(&self) -> Float32Array {
        Float32Array::from(self.run.as_ref().map(|r| r.centers()).unwrap_or(&[]))
    }
    #[wasm_bindgen(js_name = previousCenters)]
    pub fn previous_centers(&self) -> Float32Array {
        Float32Array::from(
            self.run
                .as_ref()
                .map(|r| r.previous_centers())
                .unwrap_or(&[]),
        )
    }
    /// Owner of each point (4294967295 before the first assign).
    pub fn assignment(&self) -> Uint32Array {
        Uint32Array::from(self.run.as_ref().map(|r| r.assignment()).unwrap_or(&[]))
    }
    /// The objective after every half-step.
    pub fn objectives(&self) -> Float64Array {
        Float64Array::from(self.run.as_ref().map(|r| r.objectives()).unwrap_or(&[]))
    }
    /// "assign" or "recenter": the half-step that comes next.
    #[wasm_bindgen(js_name = nextPhase)]
    pub fn next_phase(&self) -> String {
        match self.run.as_ref().map(|r| r.phase()) {
            Some(kmeans::Phase::Recenter) => "recenter".into(),
            _ => "assign".into(),
        }
    }
    pub fn converged(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.converged())
    }
    pub fn iterations(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.iterations())
    }
    #[wasm_bindgen(js_name = lastChanged)]
    pub fn last_changed(&self) -> usize {
        self.last_changed
    }
    /// Nearest-center index for each cell of a cols x rows grid over the unit square.
    pub fn voronoi(&self, cols: f64, rows: f64) -> Result<Uint8Array, JsError> {
        let cols = whole(cols, "the number of columns", 1, 1024)?;
        let rows = whole(rows, "the number of rows", 1, 1024)?;
        let grid = self
            .run
            .as_ref()
            .map(|r| r.voronoi_grid(cols, rows, 0.0, 0.0, 1.0, 1.0))
            .unwrap_or_default();
        Ok(Uint8Array::from(&grid[..]))
    }
}

impl Default for KMeansDemo {
    fn default() -> Self {
        Self::new()
    }
}

/// Colour quantization of RGBA pixels with k colours: { palette, image, objective }, the
/// palette (RGB) and the image (RGBA) as Uint8Arrays (plain arrays of four million numbers
/// took longer to build than the quantization itself).
#[wasm_bindgen(js_name = quantizeColors)]
pub fn quantize_colors(
    rgba: &[u8],
    k: f64,
    seed: JsValue,
    iterations: f64,
) -> Result<JsValue, JsError> {
    let seed = seed64(seed)?;
    let k = whole(k, "the number of colours", 1, 256)?;
    let iterations = whole(iterations, "the number of iterations", 1, 100)?;
    if rgba.len() < 4 || !rgba.len().is_multiple_of(4) {
        return Err(JsError::new(
            "the image has no pixels: give RGBA bytes, four per pixel",
        ));
    }
    if rgba.len() / 4 > 4_194_304 {
        return Err(JsError::new(
            "the image has more than 4 megapixels: scale it down first (the page scales the images it opens to 1 megapixel)",
        ));
    }
    let (palette, image, objective) = kmeans::quantize_colors(rgba, k, seed, iterations)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let out = js_sys::Object::new();
    let set = |key: &str, value: JsValue| js_sys::Reflect::set(&out, &key.into(), &value);
    set("palette", Uint8Array::from(&palette[..]).into())
        .and_then(|_| set("image", Uint8Array::from(&image[..]).into()))
        .and_then(|_| set("objective", objective.into()))
        .map_err(|_| JsError::new("could not build the result object"))?;
    Ok(out.into())
}
