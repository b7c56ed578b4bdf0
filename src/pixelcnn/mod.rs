//! Gated PixelCNN: the model (candle), its weights, samplers and training.

pub mod config;
pub mod cpu;
pub mod weights;
pub mod model;
#[cfg(not(target_family = "wasm"))]
pub mod data;
#[cfg(not(target_family = "wasm"))]
pub mod train;

pub use config::ModelConfig;
pub use model::GatedPixelCnn;
