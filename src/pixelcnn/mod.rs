//! Gated PixelCNN: the model (candle), its weights, samplers and training.

#[cfg(not(target_family = "wasm"))]
pub mod cli;
pub mod config;
pub mod cpu;
#[cfg(not(target_family = "wasm"))]
pub mod data;
mod fused;
mod gate;
mod loss;
pub mod model;
mod patches;
#[cfg(not(target_family = "wasm"))]
pub mod train;
pub mod weights;

pub use config::ModelConfig;
pub use model::GatedPixelCnn;
