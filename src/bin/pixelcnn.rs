//! Evaluate and sample the shipped PixelCNN models: see `genmodels::pixelcnn::cli`.

#[cfg(not(target_family = "wasm"))]
fn main() -> std::process::ExitCode {
    genmodels::pixelcnn::cli::main()
}

#[cfg(target_family = "wasm")]
fn main() {}
