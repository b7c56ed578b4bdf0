//! Gated PixelCNN: the reference model (candle), its weights and its samplers. Training is
//! in PyTorch (`train/`); the Rust side loads what it exports.

#[cfg(not(target_family = "wasm"))]
pub mod cli;
pub mod config;
pub mod cpu;
#[cfg(not(target_family = "wasm"))]
pub mod data;
pub mod fixture;
pub mod model;
pub mod weights;

pub use config::ModelConfig;
pub use model::GatedPixelCnn;
