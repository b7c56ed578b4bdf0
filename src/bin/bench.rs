//! Native benchmarks: prints one JSON object per figure ({"name", "unit", "runs", "target"})
//! for scripts/bench.sh to merge with the browser's figures into BENCHMARKS.md.

#[cfg(not(target_family = "wasm"))]
fn main() {
    genmodels::bench::native_main();
}

#[cfg(target_family = "wasm")]
fn main() {}
