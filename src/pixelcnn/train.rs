//! Training of the candle model: Adam, seeded batches, resumable checkpoints, progress lines.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{Device, Tensor, Var};
use serde::{Deserialize, Serialize};

use super::config::ModelConfig;
use super::data::{ImageSet, SIDE};
use super::model::{CandleResult, GatedPixelCnn};
use crate::rng::SeededRng;

#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub steps: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub seed: u64,
    /// Stop (after checkpointing) once this much wall time has passed in this run.
    pub max_minutes: f64,
    pub checkpoint_every: usize,
    pub eval_every: usize,
    /// Images of the held-out set used for the periodic evaluation (all at the end).
    pub eval_images: usize,
    /// Decay of the running average of the parameters that is exported (0: no average).
    pub average_decay: f64,
}

/// What a checkpoint carries besides tensors (stored next to them as JSON).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TrainState {
    pub config: Option<ModelConfig>,
    pub step: usize,
    pub seconds: f64,
    pub seed: u64,
    pub history: Vec<(usize, f64)>,
    pub evaluations: Vec<(usize, f64)>,
    /// Depth increases by `pixelcnn grow`: (at step, layers before, layers after).
    #[serde(default)]
    pub grown: Vec<(usize, usize, usize)>,
    /// The exponential moving average of the parameters kept since `since`, if any.
    #[serde(default)]
    pub average: Option<AverageState>,
}

/// How the parameter average stored as `average.<name>` in a checkpoint was made, and how it
/// evaluates: (step, held-out nats per pixel) alongside `evaluations` of the raw parameters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AverageState {
    pub decay: f64,
    pub since: usize,
    pub evaluations: Vec<(usize, f64)>,
}

/// Where a checkpoint keeps the running average of parameter `name`.
pub fn average_key(name: &str) -> String {
    format!("average.{name}")
}

pub fn bits_per_dim(nats_per_pixel: f64) -> f64 {
    nats_per_pixel / std::f64::consts::LN_2
}

/// A batch as candle tensors: pixels [b,1,28,28] (u8 values as f32) and labels [b] (u32).
pub fn batch_tensors(
    set: &ImageSet,
    indices: &[usize],
    device: &Device,
) -> CandleResult<(Tensor, Tensor)> {
    let mut pixels = Vec::with_capacity(indices.len() * SIDE * SIDE);
    let mut labels = Vec::with_capacity(indices.len());
    for &i in indices {
        pixels.extend(set.image(i).iter().map(|&p| p as f32));
        labels.push(set.labels[i] as u32);
    }
    Ok((
        Tensor::from_vec(pixels, (indices.len(), 1, SIDE, SIDE), device)?,
        Tensor::from_vec(labels, indices.len(), device)?,
    ))
}

/// Mean NLL (nats per pixel) over the first `limit` images of `set`.
pub fn evaluate(
    model: &GatedPixelCnn,
    set: &ImageSet,
    limit: usize,
    device: &Device,
) -> CandleResult<f64> {
    let model = model.detached();
    let n = limit.min(set.len());
    let mut total = 0.0;
    for start in (0..n).step_by(100) {
        let idx: Vec<usize> = (start..(start + 100).min(n)).collect();
        let (x, y) = batch_tensors(set, &idx, device)?;
        let nll = model.nll_per_image(&x, &y)?;
        total += nll.sum_all()?.to_scalar::<f32>()? as f64;
    }
    Ok(total / n as f64)
}

struct Adam {
    m: Vec<Var>,
    v: Vec<Var>,
    beta1: f64,
    beta2: f64,
    eps: f64,
}

fn state_path(checkpoint: &Path) -> PathBuf {
    checkpoint.with_extension("json")
}

/// A checkpoint's tensors (parameters and Adam moments, by name) and its state.
pub type Checkpoint = (HashMap<String, Tensor>, TrainState);

/// The checkpoint at `checkpoint`, or `None` when there is none yet.
pub fn read_checkpoint(
    checkpoint: &Path,
) -> Result<Option<Checkpoint>, Box<dyn std::error::Error>> {
    if !checkpoint.exists() {
        return Ok(None);
    }
    let tensors = candle_core::safetensors::load(checkpoint, &Device::Cpu)
        .map_err(|e| format!("{}: {e}", checkpoint.display()))?;
    let path = state_path(checkpoint);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let state = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some((tensors, state)))
}

/// Writes a checkpoint's tensors and state: each to a temporary file, then renamed, so an
/// interrupted save never leaves a corrupt checkpoint.
pub fn write_checkpoint(
    checkpoint: &Path,
    tensors: &HashMap<String, Tensor>,
    state: &TrainState,
) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(dir) = checkpoint.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = checkpoint.with_extension("tmp");
    let state_tmp = state_path(checkpoint).with_extension("json.tmp");
    candle_core::safetensors::save(tensors, &tmp)?;
    std::fs::write(&state_tmp, serde_json::to_string_pretty(state)?)?;
    std::fs::rename(&tmp, checkpoint)?;
    std::fs::rename(&state_tmp, state_path(checkpoint))?;
    Ok(())
}

/// Trains `config` on `train`, resuming from `checkpoint` when it exists, and returns the
/// trained model with its state. Progress goes to stdout, one line per `eval_every` steps.
pub fn train(
    config: &ModelConfig,
    train: &ImageSet,
    held_out: &ImageSet,
    options: &TrainOptions,
    checkpoint: &Path,
) -> Result<(GatedPixelCnn, TrainState), Box<dyn std::error::Error>> {
    let device = Device::Cpu;
    let names: Vec<String> = config
        .parameter_shapes()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut state = TrainState {
        config: Some(config.clone()),
        seed: options.seed,
        ..Default::default()
    };
    let mut saved: HashMap<String, Tensor> = HashMap::new();
    if let Some((tensors, resumed)) = read_checkpoint(checkpoint)? {
        (saved, state) = (tensors, resumed);
        if state.config.as_ref() != Some(config) {
            return Err("checkpoint was made for another model configuration".into());
        }
        println!(
            "resuming from {} at step {}",
            checkpoint.display(),
            state.step
        );
    }
    let fresh = GatedPixelCnn::init(config, options.seed, &device)?;
    let var_for = |key: &str, default: &Tensor| -> CandleResult<Var> {
        match saved.get(key) {
            Some(t) => Var::from_tensor(t),
            None => Var::from_tensor(default),
        }
    };
    let mut params = Vec::new();
    let mut adam = Adam {
        m: Vec::new(),
        v: Vec::new(),
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };
    for name in &names {
        let init = &fresh.params[name];
        params.push(var_for(name, init)?);
        let zeros = init.zeros_like()?;
        adam.m.push(var_for(&format!("adam.m.{name}"), &zeros)?);
        adam.v.push(var_for(&format!("adam.v.{name}"), &zeros)?);
    }
    let model = GatedPixelCnn {
        config: config.clone(),
        params: names
            .iter()
            .zip(&params)
            .map(|(n, v)| (n.clone(), v.as_tensor().clone()))
            .collect::<BTreeMap<_, _>>(),
    };

    // Polyak averaging: the average of the last ~1/(1-decay) steps' parameters usually has
    // a better likelihood than the last step's. Started from the current parameters when the
    // checkpoint has none (a fresh run, an older checkpoint, or one that was just grown) or
    // one with another decay.
    let averaging = options.average_decay > 0.0;
    let mut average: Vec<Tensor> = Vec::new();
    if !averaging {
        state.average = None;
    } else {
        let resume_average = names.iter().all(|n| saved.contains_key(&average_key(n)))
            && state.average.as_ref().map(|a| a.decay) == Some(options.average_decay);
        if !resume_average {
            state.average = Some(AverageState {
                decay: options.average_decay,
                since: state.step,
                evaluations: Vec::new(),
            });
        }
        for (name, p) in names.iter().zip(&params) {
            average.push(match saved.get(&average_key(name)) {
                Some(t) if resume_average => t.clone(),
                // A copy: a detached tensor would share the storage that `Var::set` updates.
                _ => p.as_tensor().copy()?,
            });
        }
    }
    let averaged_model = |average: &[Tensor]| GatedPixelCnn {
        config: config.clone(),
        params: names.iter().cloned().zip(average.iter().cloned()).collect(),
    };

    let save = |state: &TrainState, average: &[Tensor]| -> Result<(), Box<dyn std::error::Error>> {
        let mut out: HashMap<String, Tensor> = HashMap::new();
        for (name, t) in names.iter().zip(average) {
            out.insert(average_key(name), t.clone());
        }
        for (i, name) in names.iter().enumerate() {
            out.insert(name.clone(), params[i].as_tensor().clone());
            out.insert(format!("adam.m.{name}"), adam.m[i].as_tensor().clone());
            out.insert(format!("adam.v.{name}"), adam.v[i].as_tensor().clone());
        }
        write_checkpoint(checkpoint, &out, state)
    };

    let run_start = Instant::now();
    let seconds_before = state.seconds;
    let mut recent = Vec::new();
    while state.step < options.steps {
        let step_start = Instant::now();
        // Batches depend only on (seed, step), so a resumed run sees the same data.
        let mut rng =
            SeededRng::new(options.seed ^ (state.step as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        let idx: Vec<usize> = (0..options.batch).map(|_| rng.below(train.len())).collect();
        let (x, y) = batch_tensors(train, &idx, &device)?;
        let loss = model.nll_per_image(&x, &y)?.mean_all()?;
        let grads = loss.backward()?;
        let t = (state.step + 1) as f64;
        let progress = state.step as f64 / options.steps as f64;
        let warmup = (t / 100.0).min(1.0);
        let lr = options.learning_rate
            * warmup
            * (0.1 + 0.9 * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()));
        for (i, p) in params.iter().enumerate() {
            let Some(g) = grads.get(p.as_tensor()) else {
                continue;
            };
            let m = ((adam.m[i].as_tensor() * adam.beta1)? + (g * (1.0 - adam.beta1))?)?;
            let v = ((adam.v[i].as_tensor() * adam.beta2)? + (g.sqr()? * (1.0 - adam.beta2))?)?;
            let m_hat = (&m / (1.0 - adam.beta1.powf(t)))?;
            let v_hat = (&v / (1.0 - adam.beta2.powf(t)))?;
            let update = (m_hat / (v_hat.sqrt()? + adam.eps)?)?;
            p.set(&(p.as_tensor() - (update * lr)?)?)?;
            adam.m[i].set(&m)?;
            adam.v[i].set(&v)?;
        }
        if averaging {
            let decay = options.average_decay;
            for (a, p) in average.iter_mut().zip(&params) {
                *a = ((&*a * decay)? + (p.as_tensor().detach() * (1.0 - decay))?)?;
            }
        }
        let loss_value = loss.to_scalar::<f32>()? as f64;
        if !loss_value.is_finite() {
            return Err(format!(
                "loss became {loss_value} at step {}; lower the learning rate",
                state.step
            )
            .into());
        }
        recent.push(loss_value);
        state.step += 1;
        state.seconds = seconds_before + run_start.elapsed().as_secs_f64();
        let step_secs = step_start.elapsed().as_secs_f64();
        if state.step.is_multiple_of(options.eval_every) || state.step == options.steps {
            let mean = recent.iter().sum::<f64>() / recent.len() as f64;
            recent.clear();
            state.history.push((state.step, mean));
            let eval = evaluate(&model, held_out, options.eval_images, &device)?;
            state.evaluations.push((state.step, eval));
            let mut averaged = String::new();
            if let Some(avg) = state.average.as_mut() {
                let eval = evaluate(
                    &averaged_model(&average),
                    held_out,
                    options.eval_images,
                    &device,
                )?;
                avg.evaluations.push((state.step, eval));
                averaged = format!(" (average {:.4})", bits_per_dim(eval));
            }
            let left = (options.steps - state.step) as f64 * step_secs;
            println!(
                "step {:>6}/{}  train {:.4} nats/px ({:.4} bits/dim)  held-out {:.4} bits/dim{}  lr {:.2e}  {:.2} s/step  left {:.0} min",
                state.step,
                options.steps,
                mean,
                bits_per_dim(mean),
                bits_per_dim(eval),
                averaged,
                lr,
                step_secs,
                left / 60.0
            );
        }
        let out_of_time = run_start.elapsed().as_secs_f64() > options.max_minutes * 60.0;
        if state.step.is_multiple_of(options.checkpoint_every)
            || state.step == options.steps
            || out_of_time
        {
            save(&state, &average)?;
        }
        if out_of_time {
            println!(
                "time limit reached at step {}; checkpoint saved, run again to resume",
                state.step
            );
            break;
        }
    }
    Ok((model.detached(), state))
}
