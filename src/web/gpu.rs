//! The PixelCNN's WGSL sampler on a WebGPU device.

use std::sync::Arc;

use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{seed32, whole};

use super::pixelcnn::PixelCnnDemo;
use crate::pixelcnn::cpu;

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

    /// Why the device was lost, or `undefined` while it works. A lost device stays lost: the
    /// page then uses the CPU and makes a new device.
    #[wasm_bindgen(getter, js_name = lostReason)]
    pub fn lost_reason(&self) -> Option<String> {
        self.ctx.lost()
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
        seed: f64,
    ) -> Result<GpuPixelCnn, JsError> {
        let request = demo.request(labels, temperature, seed32(seed)?)?;
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

    /// The distribution pixel `column` of the last row of image `index` was drawn from (the
    /// GPU reads back the first image's; others give an empty array).
    pub fn distribution(&self, index: f64, column: f64) -> Result<Float32Array, JsError> {
        let index = whole(index, "the image index", 0, 1 << 20)?;
        let column = whole(column, "the column", 0, self.width - 1)?;
        let run = self.inner.borrow();
        let at = (index * self.width + column) * self.levels;
        Ok(match run.row_logits.get(at..at + self.levels) {
            Some(logits) => Float32Array::from(&cpu::distribution(logits, self.temperature)[..]),
            None => Float32Array::new_with_length(0),
        })
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
