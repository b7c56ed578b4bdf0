//! What the fused candle ops (`patches`, `gate`, `loss`) share: reading a contiguous f32
//! input, and filling an output chunk by chunk, in parallel natively (threads are not
//! available to the wasm build).

use candle_core::{CpuStorage, Layout};

use super::model::CandleResult;

/// The values of a contiguous f32 tensor; `op` names the operation in the error.
pub(super) fn contiguous_f32<'a>(
    op: &str,
    storage: &'a CpuStorage,
    layout: &Layout,
) -> CandleResult<&'a [f32]> {
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg(format!("{op}: input must be contiguous")))?;
    Ok(&storage.as_slice::<f32>()?[start..end])
}

/// Runs `f(index, chunk)` over the consecutive chunks of `chunk_len` values of `out` (the
/// last may be shorter).
pub(super) fn for_each_chunk(
    out: &mut [f32],
    chunk_len: usize,
    f: impl Fn(usize, &mut [f32]) + Sync,
) {
    #[cfg(not(target_family = "wasm"))]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(chunk_len)
            .enumerate()
            .for_each(|(i, chunk)| f(i, chunk));
    }
    #[cfg(target_family = "wasm")]
    for (i, chunk) in out.chunks_mut(chunk_len).enumerate() {
        f(i, chunk);
    }
}
