//! The benchmark workloads, timed by the bench page.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::charrnn::Trainer;
use crate::kmeans::KMeans;

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
            t.train_iteration().expect("the benchmark text trains");
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
