# Sourced by the scripts that build for wasm32: one set of flags, so that the pkg build and
# the wasm tests share compiled dependencies, and paths are remapped for reproducible output.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export RUSTFLAGS="-C target-feature=+simd128 --cfg getrandom_backend=\"wasm_js\" --remap-path-prefix=$HOME=/home --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$PWD=/genmodels"
export SOURCE_DATE_EPOCH=0
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
