//! Interactive teaching demos of generative models. The core modules are pure Rust with no
//! browser types; `web` is the only place that knows JavaScript exists.

pub mod pixelcnn;
pub mod rng;
pub mod charrnn;
pub mod gpu;
pub mod kmeans;
pub mod urlstate;
#[cfg(target_family = "wasm")]
pub mod web;
