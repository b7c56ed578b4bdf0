//! The only module that knows JavaScript exists: thin `#[wasm_bindgen]` wrappers that own
//! core state, take typed arrays in and hand typed arrays (or plain objects) back. Every
//! error crosses as a `JsError` whose message a person can act on.

use std::sync::Arc;

use js_sys::{Float32Array, Float64Array, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::charrnn::{self, Cell, CharRnn, Optimizer, Trainer};
use crate::kmeans::{self, EmptyRule, Init, KMeans};
use crate::pixelcnn::cpu::{
    self, CachedSampler, CpuModel, NaiveSampler, PixelSampler, SampleRequest,
};
use crate::pixelcnn::weights::{self, ModelCard};
use crate::rng::SeededRng;
use crate::urlstate;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // JSON-compatible: maps become plain objects, as the shell expects.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Version of the wasm module, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Parses a demo's URL settings (the part after `?` in the hash) into valid values,
/// with a notice for every value that was refused. See `urlstate`.
#[wasm_bindgen(js_name = parseDemoSettings)]
pub fn parse_demo_settings(demo: &str, query: &str) -> Result<JsValue, JsError> {
    to_js(&urlstate::parse(demo, query))
}

// ---------------------------------------------------------------- k-means

/// k-means on 2-D points in [0, 1]^2, one half-step at a time.
#[wasm_bindgen]
pub struct KMeansDemo {
    points: Vec<f32>,
    run: Option<KMeans>,
    empty_rule: EmptyRule,
    last_empty: Vec<usize>,
    last_changed: usize,
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
        }
    }

    /// Replaces the points with a preset: blobs, uniform, smiley, rings, anisotropic,
    /// unequal-variance or uneven-sizes.
    pub fn generate(
        &mut self,
        preset: &str,
        n: usize,
        blobs: usize,
        seed: u64,
    ) -> Result<(), JsError> {
        if n == 0 || n > 100_000 {
            return Err(JsError::new(
                "the number of points must be between 1 and 100,000",
            ));
        }
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
        if !(x.is_finite() && y.is_finite()) {
            return Err(JsError::new("a point needs finite coordinates"));
        }
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
    pub fn reset(&mut self, k: usize, init: &str, seed: u64) -> Result<(), JsError> {
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
    pub fn run_to_convergence(&mut self, max_iterations: usize) -> Result<f64, JsError> {
        Ok(self.run_mut()?.run_to_convergence(max_iterations))
    }

    /// Best objective of `restarts` runs to convergence; keeps the best run.
    pub fn restarts(
        &mut self,
        k: usize,
        init: &str,
        seed: u64,
        restarts: usize,
    ) -> Result<f64, JsError> {
        let init = Init::parse(init).ok_or_else(|| JsError::new("unknown initialisation"))?;
        let (f, run) = kmeans::best_of_restarts(
            2,
            &self.points,
            k,
            init,
            seed,
            restarts.min(100),
            self.empty_rule,
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        self.run = Some(run);
        Ok(f)
    }

    /// Best objective for k = 1..=max_k.
    pub fn elbow(
        &self,
        max_k: usize,
        init: &str,
        seed: u64,
        restarts: usize,
    ) -> Result<Float64Array, JsError> {
        let init = Init::parse(init).ok_or_else(|| JsError::new("unknown initialisation"))?;
        let curve = kmeans::elbow(2, &self.points, max_k.min(20), init, seed, restarts.min(20))
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Float64Array::from(&curve[..]))
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
    pub fn voronoi(&self, cols: usize, rows: usize) -> Uint8Array {
        let grid = self
            .run
            .as_ref()
            .map(|r| r.voronoi_grid(cols.min(1024), rows.min(1024), 0.0, 0.0, 1.0, 1.0))
            .unwrap_or_default();
        Uint8Array::from(&grid[..])
    }
}

impl Default for KMeansDemo {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Serialize)]
struct Quantized {
    palette: Vec<u8>,
    image: Vec<u8>,
    objective: f64,
}

/// Colour quantization of RGBA pixels with k colours: { palette, image, objective }.
#[wasm_bindgen(js_name = quantizeColors)]
pub fn quantize_colors(
    rgba: &[u8],
    k: usize,
    seed: u64,
    iterations: usize,
) -> Result<JsValue, JsError> {
    if rgba.len() / 4 > 4_194_304 {
        return Err(JsError::new(
            "the image has more than 4 megapixels; it is scaled down before quantizing",
        ));
    }
    let (palette, image, objective) =
        kmeans::quantize_colors(rgba, k, seed, iterations.clamp(1, 100))
            .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&Quantized {
        palette,
        image,
        objective,
    })
}

// ---------------------------------------------------------------- char-RNN

/// A character-level RNN trained and sampled live.
#[wasm_bindgen]
pub struct RnnDemo {
    trainer: Trainer,
    seed: u64,
    sample_state: charrnn::State,
    sample_input: Option<usize>,
    sample_rng: SeededRng,
}

#[derive(Serialize)]
struct SampleStep {
    probs: Vec<f64>,
    index: usize,
    character: String,
}

fn rnn_err(e: charrnn::RnnError) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
impl RnnDemo {
    /// `cell`: "vanilla" or "lstm"; `optimizer`: "adagrad" or "adam".
    #[wasm_bindgen(constructor)]
    pub fn new(
        text: &str,
        cell: &str,
        hidden: usize,
        seq_len: usize,
        optimizer: &str,
        seed: u64,
    ) -> Result<RnnDemo, JsError> {
        let cell =
            Cell::parse(cell).ok_or_else(|| JsError::new("the cell is \"vanilla\" or \"lstm\""))?;
        let optimizer = match optimizer {
            "adagrad" => Optimizer::Adagrad,
            "adam" => Optimizer::Adam,
            _ => return Err(JsError::new("the optimizer is \"adagrad\" or \"adam\"")),
        };
        let vocab = charrnn::build_vocab(text).map_err(rnn_err)?;
        let model = CharRnn::new(cell, vocab, hidden, seed).map_err(rnn_err)?;
        let trainer = Trainer::new(model, text, seq_len, optimizer).map_err(rnn_err)?;
        Ok(RnnDemo {
            sample_state: trainer.model.zero_state(),
            trainer,
            seed,
            sample_input: None,
            sample_rng: SeededRng::new(seed),
        })
    }

    /// Runs `iterations` training iterations; returns the last mean loss per character.
    pub fn train(&mut self, iterations: usize) -> f64 {
        let mut last = f64::NAN;
        for _ in 0..iterations {
            last = self.trainer.train_iteration();
        }
        last
    }

    pub fn iterations(&self) -> usize {
        self.trainer.iterations
    }
    #[wasm_bindgen(js_name = smoothLoss)]
    pub fn smooth_loss(&self) -> f64 {
        self.trainer.smooth_loss
    }
    /// Mean loss per character of every iteration so far.
    pub fn losses(&self) -> Float64Array {
        Float64Array::from(&self.trainer.losses[..])
    }
    /// Loss per character over the whole text (for short texts such as "hello").
    #[wasm_bindgen(js_name = fullTextLoss)]
    pub fn full_text_loss(&self) -> f64 {
        self.trainer.full_text_loss()
    }
    pub fn vocab(&self) -> Vec<String> {
        self.trainer
            .model
            .vocab
            .iter()
            .map(|c| c.to_string())
            .collect()
    }
    pub fn hidden(&self) -> usize {
        self.trainer.model.hidden
    }
    pub fn cell(&self) -> String {
        match self.trainer.model.cell {
            Cell::Vanilla => "vanilla".into(),
            Cell::Lstm => "lstm".into(),
        }
    }
    #[wasm_bindgen(js_name = seqLen)]
    pub fn seq_len(&self) -> usize {
        self.trainer.seq_len
    }

    /// The unrolled network on the first `seq_len` characters of the text, from a zero
    /// state: [{input, hidden, scores, probs, target, loss}, ...].
    pub fn unrolled(&self) -> Result<JsValue, JsError> {
        let n = self
            .trainer
            .seq_len
            .min(self.trainer.data.len() - 1)
            .min(32);
        let inputs = &self.trainer.data[..n];
        let targets = &self.trainer.data[1..n + 1];
        let (trace, _) =
            self.trainer
                .model
                .trace(inputs, targets, &self.trainer.model.zero_state());
        to_js(&trace)
    }

    /// The weights as { w_x, w_h, b, w_y, b_y } arrays (row-major).
    pub fn weights(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.model.weights)
    }

    /// Starts sampling with `first` as the first character.
    #[wasm_bindgen(js_name = sampleStart)]
    pub fn sample_start(&mut self, first: &str) -> Result<(), JsError> {
        let mut chars = first.chars();
        let ch = chars
            .next()
            .ok_or_else(|| JsError::new("pick a first character"))?;
        self.sample_input = Some(self.trainer.model.index_of(ch).map_err(rnn_err)?);
        self.sample_state = self.trainer.model.zero_state();
        self.sample_rng = SeededRng::new(self.seed ^ 0x5a5a);
        Ok(())
    }

    /// One sampling step: { probs, index, character } — the distribution drawn from and the
    /// character drawn, which becomes the next input.
    #[wasm_bindgen(js_name = sampleStep)]
    pub fn sample_step(&mut self, temperature: f64, greedy: bool) -> Result<JsValue, JsError> {
        if !(temperature > 0.0 && temperature.is_finite()) {
            return Err(rnn_err(charrnn::RnnError::BadTemperature(temperature)));
        }
        let input = self
            .sample_input
            .ok_or_else(|| JsError::new("pick a first character first"))?;
        let (scores, next) = self.trainer.model.forward_step(input, &self.sample_state);
        let (probs, index) =
            CharRnn::sample_from(&scores, temperature, greedy, &mut self.sample_rng);
        self.sample_state = next;
        self.sample_input = Some(index);
        to_js(&SampleStep {
            probs,
            index,
            character: self.trainer.model.vocab[index].to_string(),
        })
    }

    /// `length` characters after `first`.
    pub fn generate(
        &self,
        first: &str,
        length: usize,
        temperature: f64,
        greedy: bool,
        seed: u64,
    ) -> Result<String, JsError> {
        let ch = first
            .chars()
            .next()
            .ok_or_else(|| JsError::new("pick a first character"))?;
        self.trainer
            .model
            .generate(ch, length.min(10_000), temperature, greedy, seed)
            .map_err(rnn_err)
    }

    /// The weights as a JSON file's text.
    #[wasm_bindgen(js_name = saveWeights)]
    pub fn save_weights(&self) -> String {
        self.trainer.model.to_json()
    }

    /// Loads weights; on any problem the current model is kept and the error says why.
    #[wasm_bindgen(js_name = loadWeights)]
    pub fn load_weights(&mut self, json: &str) -> Result<(), JsError> {
        let model = CharRnn::from_json(json).map_err(rnn_err)?;
        let text: String = self
            .trainer
            .data
            .iter()
            .map(|&i| self.trainer.model.vocab[i])
            .collect();
        let trainer = Trainer::new(model, &text, self.trainer.seq_len, self.trainer.optimizer)
            .map_err(rnn_err)?;
        self.sample_state = trainer.model.zero_state();
        self.sample_input = None;
        self.trainer = trainer;
        Ok(())
    }
}

// ---------------------------------------------------------------- PixelCNN (CPU)

/// A pretrained PixelCNN on the CPU: cached or naive sampling, likelihoods.
#[wasm_bindgen]
pub struct PixelCnnDemo {
    card: ModelCard,
    model: Arc<CpuModel>,
    sampler: Option<Box<dyn PixelSampler>>,
    temperature: f32,
}

#[wasm_bindgen]
impl PixelCnnDemo {
    /// Loads a model from its safetensors bytes and its model card (JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(weights_bytes: &[u8], card_json: &str) -> Result<PixelCnnDemo, JsError> {
        let card = ModelCard::parse(card_json).map_err(|e| JsError::new(&e.to_string()))?;
        let tensors = weights::load_checked(weights_bytes, &card.config)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let model = CpuModel::from_tensors(&card.config, &tensors)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(PixelCnnDemo {
            card,
            model: Arc::new(model),
            sampler: None,
            temperature: 1.0,
        })
    }

    /// The model card as an object.
    pub fn card(&self) -> Result<JsValue, JsError> {
        to_js(&self.card)
    }

    pub(crate) fn request(
        &self,
        labels: &[u32],
        temperature: f32,
        seed: u32,
    ) -> Result<SampleRequest, JsError> {
        if labels.is_empty() || labels.len() > 64 {
            return Err(JsError::new("ask for 1 to 64 images"));
        }
        if let Some(bad) = labels
            .iter()
            .find(|&&l| l as usize >= self.card.config.classes)
        {
            return Err(JsError::new(&format!(
                "class {bad} does not exist in this model"
            )));
        }
        if !(temperature > 0.0 && temperature <= 10.0) {
            return Err(JsError::new("temperature must be in (0, 10]"));
        }
        Ok(SampleRequest::new(
            labels.iter().map(|&l| l as usize).collect(),
            temperature,
            seed,
        ))
    }

    /// Starts generating one image per label; `sampler` is "cached" or "naive".
    pub fn start(
        &mut self,
        labels: &[u32],
        temperature: f32,
        seed: u32,
        sampler: &str,
    ) -> Result<(), JsError> {
        let request = self.request(labels, temperature, seed)?;
        self.temperature = temperature;
        self.sampler = Some(match sampler {
            "cached" => Box::new(CachedSampler::new(self.model.clone(), request)),
            "naive" => Box::new(NaiveSampler::new(self.model.clone(), request)),
            _ => return Err(JsError::new("the sampler is \"cached\" or \"naive\"")),
        });
        Ok(())
    }

    /// Sampling with known pixels, which are kept: image completion, or carrying on from
    /// pixels made elsewhere (a GPU run that stopped). `values` holds one image, used for
    /// every label, or one image per label; `keep_mask` has one entry per pixel (1 = keep).
    #[wasm_bindgen(js_name = startKnown)]
    pub fn start_known(
        &mut self,
        labels: &[u32],
        values: &[u8],
        keep_mask: &[u8],
        temperature: f32,
        seed: u32,
    ) -> Result<(), JsError> {
        let n = self.card.config.pixels();
        let mut request = self.request(labels, temperature, seed)?;
        let images = request.labels.len();
        let values: Vec<u8> = if values.len() == n {
            (0..images).flat_map(|_| values.iter().copied()).collect()
        } else if values.len() == n * images {
            values.to_vec()
        } else {
            return Err(JsError::new(&format!(
                "give one image of {n} pixels, or one per label"
            )));
        };
        if keep_mask.len() != n {
            return Err(JsError::new(&format!("the mask must have {n} entries")));
        }
        request.known = Some((values, keep_mask.iter().map(|&m| m != 0).collect()));
        self.temperature = temperature;
        self.sampler = Some(Box::new(CachedSampler::new(self.model.clone(), request)));
        Ok(())
    }

    /// Samples up to `pixels` more pixels of every image; returns how many are done.
    pub fn step(&mut self, pixels: usize) -> Result<usize, JsError> {
        let s = self
            .sampler
            .as_mut()
            .ok_or_else(|| JsError::new("press Generate first"))?;
        for _ in 0..pixels {
            if !s.step_pixel() {
                break;
            }
        }
        Ok(s.next_pixel())
    }

    /// Pixels sampled so far (raster index of the next pixel).
    #[wasm_bindgen(js_name = nextPixel)]
    pub fn next_pixel(&self) -> usize {
        self.sampler.as_ref().map_or(0, |s| s.next_pixel())
    }

    /// All images, one after the other (grey values; unsampled pixels are 0).
    pub fn images(&self) -> Uint8Array {
        let Some(s) = self.sampler.as_ref() else {
            return Uint8Array::new_with_length(0);
        };
        let mut out = Vec::with_capacity(s.images() * self.card.config.pixels());
        for i in 0..s.images() {
            out.extend_from_slice(s.image(i));
        }
        Uint8Array::from(&out[..])
    }

    /// The distribution the last pixel of image `index` was drawn from.
    pub fn distribution(&self, index: usize) -> Float32Array {
        match self.sampler.as_ref() {
            Some(s) if index < s.images() && s.next_pixel() > 0 => {
                Float32Array::from(&cpu::distribution(s.last_logits(index), self.temperature)[..])
            }
            _ => Float32Array::new_with_length(0),
        }
    }

    /// -log2 p of every pixel of an image given its class: the likelihood heat map.
    #[wasm_bindgen(js_name = bitsPerPixel)]
    pub fn bits_per_pixel(&self, pixels: &[u8], label: u32) -> Result<Float32Array, JsError> {
        if pixels.len() != self.card.config.pixels() {
            return Err(JsError::new(&format!(
                "the image must have {} pixels",
                self.card.config.pixels()
            )));
        }
        if label as usize >= self.card.config.classes {
            return Err(JsError::new("no such class"));
        }
        Ok(Float32Array::from(
            &cpu::bits_per_pixel(&self.model, pixels, label as usize)[..],
        ))
    }

    /// 1 for every input pixel that can influence the output at (row, col).
    #[wasm_bindgen(js_name = receptiveField)]
    pub fn receptive_field(&self, row: usize, col: usize) -> Uint8Array {
        let cfg = &self.card.config;
        if row >= cfg.height || col >= cfg.width {
            return Uint8Array::new_with_length(0);
        }
        let field: Vec<u8> = cfg
            .receptive_field(row, col)
            .into_iter()
            .map(u8::from)
            .collect();
        Uint8Array::from(&field[..])
    }

    /// Multiply-adds per image of the cached sampler.
    #[wasm_bindgen(js_name = cachedMacsPerImage)]
    pub fn cached_macs_per_image(&self) -> f64 {
        self.model.cached_macs_per_image() as f64
    }
}

// ---------------------------------------------------------------- PixelCNN (WebGPU)

/// A WebGPU device for the PixelCNN sampler. `GpuDevice.create()` rejects with a readable
/// message where WebGPU is missing or no adapter is available; the page then stays on the CPU.
#[wasm_bindgen]
pub struct GpuDevice {
    ctx: Arc<crate::gpu::GpuContext>,
}

#[wasm_bindgen]
impl GpuDevice {
    pub async fn create() -> Result<GpuDevice, JsError> {
        let ctx = crate::gpu::GpuContext::new()
            .await
            .map_err(|e| JsError::new(&e.to_string()))?;
        // wgpu's browser types are not Send; one Arc type serves native and web code alike.
        #[allow(clippy::arc_with_non_send_sync)]
        let ctx = Arc::new(ctx);
        Ok(GpuDevice { ctx })
    }

    #[wasm_bindgen(getter, js_name = adapterName)]
    pub fn adapter_name(&self) -> String {
        self.ctx.adapter_name.clone()
    }

    /// Prepares a GPU sampling run of `demo`'s model.
    pub fn sampler(
        &self,
        demo: &PixelCnnDemo,
        labels: &[u32],
        temperature: f32,
        seed: u32,
    ) -> Result<GpuPixelCnn, JsError> {
        let request = demo.request(labels, temperature, seed)?;
        let sampler = crate::gpu::GpuSampler::new(self.ctx.clone(), &demo.model, &request, false)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(GpuPixelCnn {
            inner: std::rc::Rc::new(std::cell::RefCell::new(GpuRun {
                sampler: Some(sampler),
                pixels: vec![0; labels.len() * demo.card.config.pixels()],
                row_logits: Vec::new(),
            })),
            temperature,
            width: demo.card.config.width,
            levels: demo.card.config.levels,
        })
    }
}

struct GpuRun {
    sampler: Option<crate::gpu::GpuSampler>,
    pixels: Vec<u8>,
    row_logits: Vec<f32>,
}

/// One GPU sampling run: `sampleRow()` samples the next row of every image (one submission,
/// one read-back) and resolves to the number of rows done.
#[wasm_bindgen]
pub struct GpuPixelCnn {
    inner: std::rc::Rc<std::cell::RefCell<GpuRun>>,
    temperature: f32,
    width: usize,
    levels: usize,
}

#[wasm_bindgen]
impl GpuPixelCnn {
    #[wasm_bindgen(js_name = sampleRow)]
    pub fn sample_row(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            // Take the sampler out while awaiting, so that no RefCell borrow spans an await.
            let taken = inner.borrow_mut().sampler.take();
            let mut sampler = taken
                .ok_or_else(|| JsValue::from(JsError::new("a row is already being sampled")))?;
            let result = sampler.sample_row().await;
            let next = sampler.next_row();
            let mut run = inner.borrow_mut();
            run.sampler = Some(sampler);
            let row = result.map_err(|e| JsValue::from(JsError::new(&e.to_string())))?;
            run.pixels = row.pixels;
            run.row_logits = row.row_logits;
            Ok(JsValue::from(next as u32))
        })
    }

    pub fn images(&self) -> Uint8Array {
        Uint8Array::from(&self.inner.borrow().pixels[..])
    }

    /// The distribution pixel `column` of the last row of image `index` was drawn from.
    pub fn distribution(&self, index: usize, column: usize) -> Float32Array {
        let run = self.inner.borrow();
        let at = (index * self.width + column.min(self.width - 1)) * self.levels;
        match run.row_logits.get(at..at + self.levels) {
            Some(logits) => Float32Array::from(&cpu::distribution(logits, self.temperature)[..]),
            None => Float32Array::new_with_length(0),
        }
    }

    pub fn submissions(&self) -> usize {
        self.inner
            .borrow()
            .sampler
            .as_ref()
            .map_or(0, |s| s.submissions)
    }
    pub fn readbacks(&self) -> usize {
        self.inner
            .borrow()
            .sampler
            .as_ref()
            .map_or(0, |s| s.readbacks)
    }
}

// ---------------------------------------------------------------- benchmarks

/// The benchmark workloads of `bench.rs`, for timing with performance.now() in the page.
#[wasm_bindgen]
pub struct BenchWorkload {
    kmeans: Option<KMeans>,
    trainer: Option<Trainer>,
}

#[wasm_bindgen]
impl BenchWorkload {
    /// k-means on `n` blob points, k = 16.
    #[wasm_bindgen(js_name = kmeans)]
    pub fn kmeans_workload(n: usize) -> BenchWorkload {
        BenchWorkload {
            kmeans: Some(crate::bench::kmeans_for_bench(n)),
            trainer: None,
        }
    }
    /// min-char-rnn's setting on 1 kB of English.
    #[wasm_bindgen(js_name = minCharRnn)]
    pub fn min_char_rnn() -> BenchWorkload {
        BenchWorkload {
            kmeans: None,
            trainer: Some(crate::bench::min_char_rnn_trainer()),
        }
    }
    #[wasm_bindgen(js_name = lloydIteration)]
    pub fn lloyd_iteration(&mut self) {
        if let Some(k) = self.kmeans.as_mut() {
            k.lloyd_iteration();
        }
    }
    /// Trains `iterations` iterations; returns the characters processed.
    pub fn train(&mut self, iterations: usize) -> usize {
        let Some(t) = self.trainer.as_mut() else {
            return 0;
        };
        for _ in 0..iterations {
            t.train_iteration();
        }
        iterations * t.seq_len
    }
    /// Trains "hello" below 0.05 loss per character; returns the iterations it took.
    #[wasm_bindgen(js_name = trainHello)]
    pub fn train_hello() -> usize {
        crate::bench::train_hello_to_target()
    }
    #[wasm_bindgen(js_name = testImage)]
    pub fn test_image() -> Uint8Array {
        Uint8Array::from(&crate::bench::test_image_1mp()[..])
    }
    #[wasm_bindgen(js_name = englishText)]
    pub fn english_text() -> String {
        crate::bench::ENGLISH_1KB.to_string()
    }
}
