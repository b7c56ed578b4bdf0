//! The only module that knows JavaScript exists: thin `#[wasm_bindgen]` wrappers that own
//! core state, take typed arrays in and hand typed arrays (or plain objects) back. Every
//! error crosses as a `JsError` whose message a person can act on.
//!
//! One file per demo; this one holds what they share.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::urlstate;

mod bench;
mod density;
mod gan;
mod gpu;
mod kmeans;
mod pixelcnn;
mod rnn;
mod vae;

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // JSON-compatible: maps become plain objects, as the shell expects.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A count, size or index from JavaScript, checked as the number it is: wasm-bindgen would
/// turn -1 into 4294967295 and 2.7 into 2 for a `usize` argument, so counts arrive as f64.
pub(crate) fn whole(value: f64, what: &str, min: usize, max: usize) -> Result<usize, JsError> {
    if value.is_finite() && value.fract() == 0.0 && value >= min as f64 && value <= max as f64 {
        Ok(value as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a whole number from {min} to {max}, got {value}"
        )))
    }
}

/// Points from JS as flat x, y pairs (x0, y0, x1, y1, ...).
pub(crate) fn pairs(flat: &[f64], what: &str) -> Result<Vec<[f64; 2]>, JsError> {
    if !flat.len().is_multiple_of(2) {
        return Err(JsError::new(&format!("{what} must come as x, y pairs")));
    }
    Ok(flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect())
}

/// A 64-bit seed from JS: a BigInt or a whole Number from 0 to 2^64 - 1. A negative or
/// fractional number, or a BigInt beyond 64 bits, is refused: wasm-bindgen would otherwise
/// wrap it around silently.
pub(crate) fn seed64(value: JsValue) -> Result<u64, JsError> {
    let refused = || {
        JsError::new(&format!(
            "the seed must be a whole number from 0 to {}",
            u64::MAX
        ))
    };
    if value.is_bigint() {
        return u64::try_from(value).map_err(|_| refused());
    }
    match value.as_f64() {
        Some(n)
            if n.is_finite()
                && n.fract() == 0.0
                && (0.0..=9_007_199_254_740_991.0).contains(&n) =>
        {
            Ok(n as u64)
        }
        _ => Err(refused()),
    }
}

/// A 32-bit seed from JS (the PixelCNN's samplers draw from a 32-bit seed).
pub(crate) fn seed32(value: f64) -> Result<u32, JsError> {
    Ok(whole(value, "the seed", 0, u32::MAX as usize)? as u32)
}

/// Version of the wasm module, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Stops the module with a trap (a wasm `unreachable` instruction), as an out-of-memory or a
/// panic would. Nothing on the page calls it: it lets a test check that the page recovers
/// from a trap (it reinstantiates the module and says so) instead of dying.
#[wasm_bindgen(js_name = debugTrap)]
pub fn debug_trap() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

/// Parses a demo's URL settings (the part after `?` in the hash) into valid values,
/// with a notice for every value that was refused. See `urlstate`.
#[wasm_bindgen(js_name = parseDemoSettings)]
pub fn parse_demo_settings(demo: &str, query: &str) -> Result<JsValue, JsError> {
    to_js(&urlstate::parse(demo, query))
}
