//! The character-level RNN of the lecture: one-hot characters in, a hidden state carried
//! along, scores and a softmax out at every step, trained by backpropagation through time
//! (Adagrad with clipping as in min-char-rnn, or Adam) and sampled one character at a time.
//! A vanilla tanh cell and an LSTM cell share the same training and sampling code.

use serde::{Deserialize, Serialize};

use crate::rng::SeededRng;

pub const MAX_HIDDEN: usize = 512;
pub const MAX_VOCAB: usize = 512;
pub const MAX_TEXT_BYTES: usize = 1 << 20;
pub const MAX_SEQ_LEN: usize = 200;
const WEIGHTS_FORMAT: &str = "genmodels-charrnn/1";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RnnError {
    #[error("the training text is empty: type at least two characters")]
    EmptyText,
    #[error("the training text has a single character: a model needs at least two to learn what follows what")]
    OneCharacter,
    #[error("the training text is {bytes} bytes; the limit is {max} bytes (1 MiB)")]
    TextTooLong { bytes: usize, max: usize },
    #[error("the text has {count} different characters; the limit is {max}")]
    VocabTooLarge { count: usize, max: usize },
    #[error("hidden size must be between 1 and {max}, got {got}")]
    BadHidden { got: usize, max: usize },
    #[error("sequence length must be between 1 and {max}, got {got}")]
    BadSeqLen { got: usize, max: usize },
    #[error("{0:?} is not in this model's vocabulary")]
    UnknownChar(char),
    #[error("temperature must be a positive number, got {0}")]
    BadTemperature(f64),
    #[error("the weights file is not valid: {0}")]
    BadWeights(String),
    #[error("training diverged: the loss or its gradient is not a finite number, so this iteration was not applied; reset, or lower the learning rate")]
    Diverged,
    #[error(
        "these weights were trained on another vocabulary: they lack {0:?}, which the text uses"
    )]
    VocabMismatch(char),
}

/// The largest weight a weights file may hold: trained models stay far below it, and with
/// it the network's sums (hidden units are bounded by tanh) cannot overflow.
pub const MAX_WEIGHT: f64 = 1e4;

/// -ln p, the loss of a character drawn with probability p; a NaN stays NaN (`f64::max`
/// would turn it into a large finite loss and hide a diverged model).
fn surprise(p: f64) -> f64 {
    if p.is_nan() {
        p
    } else {
        -p.max(1e-300).ln()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cell {
    Vanilla,
    Lstm,
}

impl Cell {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vanilla" | "rnn" => Some(Self::Vanilla),
            "lstm" => Some(Self::Lstm),
            _ => None,
        }
    }
    /// Rows of the input and recurrent matrices: the pre-activations of one step.
    fn gates(self) -> usize {
        match self {
            Self::Vanilla => 1,
            Self::Lstm => 4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimizer {
    Adagrad,
    Adam,
}

/// Characters in order of first appearance ("hello" gives [h, e, l, o], as on the slide).
pub fn build_vocab(text: &str) -> Result<Vec<char>, RnnError> {
    check_text(text)?;
    let mut vocab: Vec<char> = Vec::new();
    for ch in text.chars() {
        if !vocab.contains(&ch) {
            vocab.push(ch);
            if vocab.len() > MAX_VOCAB {
                let count = text.chars().collect::<std::collections::HashSet<_>>().len();
                return Err(RnnError::VocabTooLarge {
                    count,
                    max: MAX_VOCAB,
                });
            }
        }
    }
    if vocab.len() < 2 && text.chars().count() < 2 {
        return Err(RnnError::OneCharacter);
    }
    Ok(vocab)
}

fn check_text(text: &str) -> Result<(), RnnError> {
    if text.is_empty() {
        return Err(RnnError::EmptyText);
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(RnnError::TextTooLong {
            bytes: text.len(),
            max: MAX_TEXT_BYTES,
        });
    }
    if text.chars().nth(1).is_none() {
        return Err(RnnError::OneCharacter);
    }
    Ok(())
}

/// Weights of the network. Matrices are row-major.
/// Vanilla: w_x [H x V], w_h [H x H], b [H]. LSTM: the same with 4H rows (gates i, f, o, g).
/// Output: w_y [V x H], b_y [V].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub w_x: Vec<f64>,
    pub w_h: Vec<f64>,
    pub b: Vec<f64>,
    pub w_y: Vec<f64>,
    pub b_y: Vec<f64>,
}

impl Weights {
    fn zeros_like(&self) -> Self {
        Self {
            w_x: vec![0.0; self.w_x.len()],
            w_h: vec![0.0; self.w_h.len()],
            b: vec![0.0; self.b.len()],
            w_y: vec![0.0; self.w_y.len()],
            b_y: vec![0.0; self.b_y.len()],
        }
    }
    fn tensors(&self) -> [&Vec<f64>; 5] {
        [&self.w_x, &self.w_h, &self.b, &self.w_y, &self.b_y]
    }
    fn tensors_mut(&mut self) -> [&mut Vec<f64>; 5] {
        [
            &mut self.w_x,
            &mut self.w_h,
            &mut self.b,
            &mut self.w_y,
            &mut self.b_y,
        ]
    }
}

/// What one time step computed, for drawing the unrolled network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTrace {
    pub input: usize,
    pub hidden: Vec<f64>,
    pub scores: Vec<f64>,
    pub probs: Vec<f64>,
    pub target: Option<usize>,
    pub loss: Option<f64>,
}

/// Hidden state carried between steps: h (and c for the LSTM).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub h: Vec<f64>,
    pub c: Vec<f64>,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Softmax of scores / temperature, computed stably.
pub fn softmax(scores: &[f64], temperature: f64) -> Vec<f64> {
    let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = scores
        .iter()
        .map(|s| ((s - max) / temperature).exp())
        .collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

// Activations of one step kept for backpropagation.
struct StepCache {
    input: usize,
    h_prev: Vec<f64>,
    c_prev: Vec<f64>,
    gates: Vec<f64>, // activated gates: vanilla [h]; LSTM [i, f, o, g]
    c: Vec<f64>,
    h: Vec<f64>,
    probs: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CharRnn {
    pub cell: Cell,
    pub vocab: Vec<char>,
    pub hidden: usize,
    pub weights: Weights,
}

impl CharRnn {
    pub fn new(cell: Cell, vocab: Vec<char>, hidden: usize, seed: u64) -> Result<Self, RnnError> {
        if hidden == 0 || hidden > MAX_HIDDEN {
            return Err(RnnError::BadHidden {
                got: hidden,
                max: MAX_HIDDEN,
            });
        }
        let v = vocab.len();
        let rows = cell.gates() * hidden;
        let mut rng = SeededRng::new(seed);
        let mut randn = |n: usize| -> Vec<f64> { (0..n).map(|_| rng.normal() * 0.1).collect() };
        let mut b = vec![0.0; rows];
        if cell == Cell::Lstm {
            // Forget gate bias 1: remember by default, a standard LSTM initialisation.
            b[hidden..2 * hidden].iter_mut().for_each(|x| *x = 1.0);
        }
        Ok(Self {
            cell,
            vocab,
            hidden,
            weights: Weights {
                w_x: randn(rows * v),
                w_h: randn(rows * hidden),
                b,
                w_y: randn(v * hidden),
                b_y: vec![0.0; v],
            },
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    pub fn zero_state(&self) -> State {
        State {
            h: vec![0.0; self.hidden],
            c: vec![0.0; self.hidden],
        }
    }

    pub fn index_of(&self, ch: char) -> Result<usize, RnnError> {
        self.vocab
            .iter()
            .position(|&c| c == ch)
            .ok_or(RnnError::UnknownChar(ch))
    }

    pub fn encode(&self, text: &str) -> Result<Vec<usize>, RnnError> {
        text.chars().map(|c| self.index_of(c)).collect()
    }

    fn step(&self, input: usize, state: &State) -> StepCache {
        let (hs, v) = (self.hidden, self.vocab.len());
        let rows = self.cell.gates() * hs;
        let w = &self.weights;
        let mut pre = w.b.clone();
        for (r, p) in pre.iter_mut().enumerate() {
            // One-hot input: W_x x picks column `input`.
            let mut acc = w.w_x[r * v + input];
            let row = &w.w_h[r * hs..(r + 1) * hs];
            for (a, b) in row.iter().zip(&state.h) {
                acc += a * b;
            }
            *p += acc;
        }
        debug_assert_eq!(pre.len(), rows);
        let (gates, c, h) = match self.cell {
            Cell::Vanilla => {
                let h: Vec<f64> = pre.iter().map(|x| x.tanh()).collect();
                (h.clone(), vec![0.0; hs], h)
            }
            Cell::Lstm => {
                let mut g = pre;
                for (j, x) in g.iter_mut().enumerate() {
                    *x = if j < 3 * hs { sigmoid(*x) } else { x.tanh() };
                }
                let c: Vec<f64> = (0..hs)
                    .map(|j| g[hs + j] * state.c[j] + g[j] * g[3 * hs + j])
                    .collect();
                let h: Vec<f64> = (0..hs).map(|j| g[2 * hs + j] * c[j].tanh()).collect();
                (g, c, h)
            }
        };
        let mut scores = w.b_y.clone();
        for (k, s) in scores.iter_mut().enumerate() {
            let row = &w.w_y[k * hs..(k + 1) * hs];
            *s += row.iter().zip(&h).map(|(a, b)| a * b).sum::<f64>();
        }
        StepCache {
            input,
            h_prev: state.h.clone(),
            c_prev: state.c.clone(),
            gates,
            c,
            h,
            probs: scores, // turned into probabilities by the caller
        }
    }

    /// One step of the network: (scores, new state).
    pub fn forward_step(&self, input: usize, state: &State) -> (Vec<f64>, State) {
        let cache = self.step(input, state);
        (
            cache.probs,
            State {
                h: cache.h,
                c: cache.c,
            },
        )
    }

    /// Runs the network over `inputs` from `state`, recording every step.
    pub fn trace(
        &self,
        inputs: &[usize],
        targets: &[usize],
        state: &State,
    ) -> (Vec<StepTrace>, State) {
        let mut s = state.clone();
        let mut out = Vec::with_capacity(inputs.len());
        for (t, &x) in inputs.iter().enumerate() {
            let (scores, next) = self.forward_step(x, &s);
            let probs = softmax(&scores, 1.0);
            let target = targets.get(t).copied();
            out.push(StepTrace {
                input: x,
                hidden: next.h.clone(),
                loss: target.map(|y| surprise(probs[y])),
                scores,
                probs,
                target,
            });
            s = next;
        }
        (out, s)
    }

    /// Summed cross-entropy of `targets` given `inputs`, its gradient, and the final state.
    pub fn loss_and_gradient(
        &self,
        inputs: &[usize],
        targets: &[usize],
        state: &State,
    ) -> (f64, Weights, State) {
        let (hs, v) = (self.hidden, self.vocab.len());
        let mut caches = Vec::with_capacity(inputs.len());
        let mut s = state.clone();
        let mut loss = 0.0;
        for (&x, &y) in inputs.iter().zip(targets) {
            let mut cache = self.step(x, &s);
            cache.probs = softmax(&cache.probs, 1.0);
            loss += surprise(cache.probs[y]);
            s = State {
                h: cache.h.clone(),
                c: cache.c.clone(),
            };
            caches.push(cache);
        }
        let w = &self.weights;
        let mut g = w.zeros_like();
        let mut dh_next = vec![0.0; hs];
        let mut dc_next = vec![0.0; hs];
        let rows = self.cell.gates() * hs;
        let mut dpre = vec![0.0; rows];
        for (cache, &y) in caches.iter().zip(targets).rev() {
            let mut dy = cache.probs.clone();
            dy[y] -= 1.0;
            let mut dh = dh_next.clone();
            for k in 0..v {
                g.b_y[k] += dy[k];
                for j in 0..hs {
                    g.w_y[k * hs + j] += dy[k] * cache.h[j];
                    dh[j] += w.w_y[k * hs + j] * dy[k];
                }
            }
            match self.cell {
                Cell::Vanilla => {
                    for j in 0..hs {
                        dpre[j] = (1.0 - cache.h[j] * cache.h[j]) * dh[j];
                    }
                }
                Cell::Lstm => {
                    let gt = &cache.gates;
                    for j in 0..hs {
                        let (i, f, o, gg) = (gt[j], gt[hs + j], gt[2 * hs + j], gt[3 * hs + j]);
                        let tc = cache.c[j].tanh();
                        let dc = dh[j] * o * (1.0 - tc * tc) + dc_next[j];
                        dpre[j] = dc * gg * i * (1.0 - i);
                        dpre[hs + j] = dc * cache.c_prev[j] * f * (1.0 - f);
                        dpre[2 * hs + j] = dh[j] * tc * o * (1.0 - o);
                        dpre[3 * hs + j] = dc * i * (1.0 - gg * gg);
                        dc_next[j] = dc * f;
                    }
                }
            }
            dh_next.iter_mut().for_each(|d| *d = 0.0);
            for r in 0..rows {
                let d = dpre[r];
                g.b[r] += d;
                g.w_x[r * v + cache.input] += d;
                let row = r * hs;
                for j in 0..hs {
                    g.w_h[row + j] += d * cache.h_prev[j];
                    dh_next[j] += w.w_h[row + j] * d;
                }
            }
        }
        (loss, g, s)
    }

    /// Samples from scores: argmax when `greedy`, else from softmax(scores / temperature).
    /// Returns (the distribution drawn from, the index drawn).
    pub fn sample_from(
        scores: &[f64],
        temperature: f64,
        greedy: bool,
        rng: &mut SeededRng,
    ) -> (Vec<f64>, usize) {
        let probs = softmax(scores, temperature);
        let pick = if greedy {
            probs
                .iter()
                .enumerate()
                .fold(
                    (0, f64::NEG_INFINITY),
                    |b, (i, &p)| if p > b.1 { (i, p) } else { b },
                )
                .0
        } else {
            rng.weighted_index(&probs).unwrap_or(0)
        };
        (probs, pick)
    }

    /// Generates `length` characters after `prime` (which is fed in first).
    pub fn generate(
        &self,
        prime: char,
        length: usize,
        temperature: f64,
        greedy: bool,
        seed: u64,
    ) -> Result<String, RnnError> {
        if !(temperature > 0.0 && temperature.is_finite()) {
            return Err(RnnError::BadTemperature(temperature));
        }
        let mut rng = SeededRng::new(seed);
        let mut input = self.index_of(prime)?;
        let mut state = self.zero_state();
        let mut out = String::from(prime);
        for _ in 0..length {
            let (scores, next) = self.forward_step(input, &state);
            let (_, pick) = Self::sample_from(&scores, temperature, greedy, &mut rng);
            out.push(self.vocab[pick]);
            input = pick;
            state = next;
        }
        Ok(out)
    }

    /// The weights as a self-describing JSON file.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            format: &'a str,
            cell: Cell,
            hidden: usize,
            vocab: String,
            weights: &'a Weights,
        }
        serde_json::to_string(&File {
            format: WEIGHTS_FORMAT,
            cell: self.cell,
            hidden: self.hidden,
            vocab: self.vocab.iter().collect(),
            weights: &self.weights,
        })
        .expect("weights serialise")
    }

    /// Reads weights written by `to_json`, checking every shape and number.
    pub fn from_json(text: &str) -> Result<Self, RnnError> {
        #[derive(Deserialize)]
        struct File {
            format: String,
            cell: Cell,
            hidden: usize,
            vocab: String,
            weights: Weights,
        }
        let bad = |m: String| RnnError::BadWeights(m);
        let file: File = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if file.format != WEIGHTS_FORMAT {
            return Err(bad(format!("unknown format {:?}", file.format)));
        }
        let vocab: Vec<char> = file.vocab.chars().collect();
        if vocab.is_empty() || vocab.len() > MAX_VOCAB {
            return Err(bad("the vocabulary is empty or too large".into()));
        }
        let mut seen = std::collections::HashSet::new();
        if !vocab.iter().all(|c| seen.insert(*c)) {
            return Err(bad("the vocabulary repeats a character".into()));
        }
        let model = Self::new(file.cell, vocab, file.hidden, 0)?;
        let expected = model.weights.tensors().map(|t| t.len());
        let names = ["w_x", "w_h", "b", "w_y", "b_y"];
        for ((got, want), name) in file.weights.tensors().iter().zip(expected).zip(names) {
            if got.len() != want {
                return Err(bad(format!(
                    "{name} has {} numbers, expected {want}",
                    got.len()
                )));
            }
            if got.iter().any(|x| !x.is_finite()) {
                return Err(bad(format!("{name} holds a number that is not finite")));
            }
            if got.iter().any(|x| x.abs() > MAX_WEIGHT) {
                return Err(bad(format!(
                    "{name} holds a weight beyond ±{MAX_WEIGHT:e}, far outside what training gives; \
                     the network's sums would overflow"
                )));
            }
        }
        Ok(Self {
            weights: file.weights,
            ..model
        })
    }
}

/// Training state: the model, the optimizer's memory and where it is in the text.
#[derive(Debug, Clone)]
pub struct Trainer {
    pub model: CharRnn,
    pub data: Vec<usize>,
    pub seq_len: usize,
    pub optimizer: Optimizer,
    pub learning_rate: f64,
    pub clip: f64,
    position: usize,
    state: State,
    memory: Weights,
    memory2: Weights,
    adam_t: i32,
    pub iterations: usize,
    /// Mean loss per character of every iteration.
    pub losses: Vec<f64>,
    /// Exponentially smoothed loss per character (as min-char-rnn prints).
    pub smooth_loss: f64,
}

impl Trainer {
    pub fn new(
        model: CharRnn,
        text: &str,
        seq_len: usize,
        optimizer: Optimizer,
    ) -> Result<Self, RnnError> {
        check_text(text)?;
        if seq_len == 0 || seq_len > MAX_SEQ_LEN {
            return Err(RnnError::BadSeqLen {
                got: seq_len,
                max: MAX_SEQ_LEN,
            });
        }
        let data = model.encode(text).map_err(|e| match e {
            RnnError::UnknownChar(c) => RnnError::VocabMismatch(c),
            other => other,
        })?;
        let memory = model.weights.zeros_like();
        let smooth_loss = (model.vocab_size() as f64).ln();
        Ok(Self {
            seq_len: seq_len.min(data.len() - 1),
            learning_rate: match optimizer {
                Optimizer::Adagrad => 0.1,
                Optimizer::Adam => 0.01,
            },
            clip: 5.0,
            position: 0,
            state: model.zero_state(),
            memory2: memory.clone(),
            memory,
            adam_t: 0,
            iterations: 0,
            losses: Vec::new(),
            smooth_loss,
            optimizer,
            data,
            model,
        })
    }

    /// The chunk the next iteration trains on: (inputs, targets).
    pub fn next_chunk(&self) -> (&[usize], &[usize]) {
        let p = if self.position + self.seq_len + 1 > self.data.len() {
            0
        } else {
            self.position
        };
        (
            &self.data[p..p + self.seq_len],
            &self.data[p + 1..p + self.seq_len + 1],
        )
    }

    /// One iteration of truncated BPTT on the next chunk; returns its mean loss per char. A loss
    /// or gradient that is not finite is an error and changes nothing (never a NaN model that
    /// goes on reporting numbers).
    pub fn train_iteration(&mut self) -> Result<f64, RnnError> {
        if self.position + self.seq_len + 1 > self.data.len() {
            // Back to the start of the text with a fresh memory, as min-char-rnn does.
            self.position = 0;
            self.state = self.model.zero_state();
        }
        let p = self.position;
        let inputs = self.data[p..p + self.seq_len].to_vec();
        let targets = self.data[p + 1..p + self.seq_len + 1].to_vec();
        let (loss, mut grad, state) = self.model.loss_and_gradient(&inputs, &targets, &self.state);
        let finite = |t: &[f64]| t.iter().all(|x| x.is_finite());
        if !loss.is_finite() || !grad.tensors().iter().all(|t| finite(t)) {
            return Err(RnnError::Diverged);
        }
        self.state = state;
        self.position += self.seq_len;
        let clip = self.clip;
        let lr = self.learning_rate;
        self.adam_t += 1;
        let t = self.adam_t;
        for ((w, g), (m, v)) in self
            .model
            .weights
            .tensors_mut()
            .into_iter()
            .zip(grad.tensors_mut())
            .zip(
                self.memory
                    .tensors_mut()
                    .into_iter()
                    .zip(self.memory2.tensors_mut()),
            )
        {
            for i in 0..w.len() {
                let gi = g[i].clamp(-clip, clip);
                match self.optimizer {
                    Optimizer::Adagrad => {
                        m[i] += gi * gi;
                        w[i] -= lr * gi / (m[i] + 1e-8).sqrt();
                    }
                    Optimizer::Adam => {
                        m[i] = 0.9 * m[i] + 0.1 * gi;
                        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                        let mh = m[i] / (1.0 - 0.9f64.powi(t));
                        let vh = v[i] / (1.0 - 0.999f64.powi(t));
                        w[i] -= lr * mh / (vh.sqrt() + 1e-8);
                    }
                }
            }
        }
        let per_char = loss / inputs.len() as f64;
        self.smooth_loss = 0.9 * self.smooth_loss + 0.1 * per_char;
        self.losses.push(per_char);
        self.iterations += 1;
        Ok(per_char)
    }

    /// Mean loss per character over the whole text, from a zero state (one pass, no update).
    pub fn full_text_loss(&self) -> f64 {
        // A forward pass that keeps only the current state: memory does not grow with the
        // text (a pass that recorded every step for a gradient took gigabytes for 1 MB).
        let inputs = &self.data[..self.data.len() - 1];
        let targets = &self.data[1..];
        let mut state = self.model.zero_state();
        let mut loss = 0.0;
        for (&x, &y) in inputs.iter().zip(targets) {
            let (scores, next) = self.model.forward_step(x, &state);
            loss += surprise(softmax(&scores, 1.0)[y]);
            state = next;
        }
        loss / inputs.len() as f64
    }
}

#[cfg(test)]
mod tests;
