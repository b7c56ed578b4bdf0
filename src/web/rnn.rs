//! The character-level RNN for the char-RNN tab.

use js_sys::Float64Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{seed64, to_js, whole};
use crate::charrnn::{self, Cell, CharRnn, Optimizer, Trainer};
use crate::rng::SeededRng;

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
        hidden: f64,
        seq_len: f64,
        optimizer: &str,
        seed: JsValue,
    ) -> Result<RnnDemo, JsError> {
        let seed = seed64(seed)?;
        let hidden = whole(hidden, "the number of hidden units", 1, 512)?;
        let seq_len = whole(seq_len, "the sequence length", 1, 200)?;
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
    pub fn train(&mut self, iterations: f64) -> Result<f64, JsError> {
        let iterations = whole(iterations, "the number of iterations", 0, 100_000)?;
        let mut last = f64::NAN;
        for _ in 0..iterations {
            last = self.trainer.train_iteration().map_err(rnn_err)?;
        }
        Ok(last)
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
        length: f64,
        temperature: f64,
        greedy: bool,
        seed: JsValue,
    ) -> Result<String, JsError> {
        let seed = seed64(seed)?;
        let ch = first
            .chars()
            .next()
            .ok_or_else(|| JsError::new("pick a first character"))?;
        let length = whole(length, "the length", 1, 10_000)?;
        self.trainer
            .model
            .generate(ch, length, temperature, greedy, seed)
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
