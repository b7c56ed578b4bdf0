//! Interactive teaching demos of generative models. The core modules are pure Rust with no
//! browser types; `web` is the only place that knows JavaScript exists.

// Index loops mirror the formulas of the maths they implement (W[i][j], h[t][j]).
#![allow(clippy::needless_range_loop)]

pub mod bench;
pub mod charrnn;
pub mod density;
pub mod gan;
pub mod gpu;
pub mod kmeans;
pub mod pixelcnn;
pub mod rng;
pub mod urlstate;
pub mod vae;
#[cfg(target_family = "wasm")]
pub mod web;
