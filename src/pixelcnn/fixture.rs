//! The fixture PyTorch writes beside each exported model (`models/<name>-fixture.safetensors`):
//! a few fixed inputs, the logits PyTorch computed for them at fixed pixels, and their NLL.
//! Every Rust implementation (the candle reference, the CPU samplers, the WGSL sampler) must
//! reproduce those numbers; when one does not, the error says where and by how much.

use super::config::ModelConfig;
use super::weights::{read_safetensors, WeightsError};

/// Largest allowed difference of a logit from PyTorch's. Both sides compute in f32 from the
/// same f16 weights; only the order of the sums differs (differences seen: about 1e-5).
pub const LOGIT_TOLERANCE: f32 = 2e-3;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FixtureError {
    #[error("the fixture file is not readable: {0}")]
    File(#[from] WeightsError),
    #[error("the fixture is malformed: {0}")]
    Malformed(String),
    #[error(
        "the fixture does not fit the model card: {0}; the fixture and the card come from different exports"
    )]
    Architecture(String),
    #[error(
        "{implementation} differs from PyTorch on fixture image {image} at pixel ({row}, {col}), level {level}: {got} against {want} (tolerance {tolerance}); the weights, the card's architecture and the fixture do not describe the same model"
    )]
    Mismatch {
        implementation: String,
        image: usize,
        row: usize,
        col: usize,
        level: usize,
        got: f32,
        want: f32,
        tolerance: f32,
    },
}

/// Fixed inputs and PyTorch's outputs for them.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Images one after another, height*width pixels each.
    pub images: Vec<u8>,
    pub labels: Vec<usize>,
    /// The (row, col) of each pixel whose logits were recorded.
    pub positions: Vec<(usize, usize)>,
    /// [image][position][level].
    pub logits: Vec<f32>,
    /// PyTorch's mean NLL in nats per pixel of each image.
    pub nats_per_pixel: Vec<f32>,
}

impl Fixture {
    /// Parses a fixture file and checks it against the card's architecture.
    pub fn parse(bytes: &[u8], config: &ModelConfig) -> Result<Self, FixtureError> {
        let tensors = read_safetensors(bytes)?;
        let get = |name: &str| {
            tensors
                .get(name)
                .ok_or_else(|| FixtureError::Malformed(format!("it has no tensor {name}")))
        };
        let (image_shape, images) = get("images")?;
        let (_, labels) = get("labels")?;
        let (position_shape, positions) = get("positions")?;
        let (logit_shape, logits) = get("logits")?;
        let (_, nats) = get("nats_per_pixel")?;
        let count = labels.len();
        if image_shape != &[count, config.height, config.width] {
            return Err(FixtureError::Architecture(format!(
                "its images have shape {image_shape:?}, the card's model takes {count} x {} x {}",
                config.height, config.width
            )));
        }
        if position_shape.len() != 2 || position_shape[1] != 2 {
            return Err(FixtureError::Malformed(format!(
                "positions have shape {position_shape:?}, expected [n, 2]"
            )));
        }
        let spots = position_shape[0];
        if logit_shape != &[count, spots, config.levels] {
            return Err(FixtureError::Architecture(format!(
                "its logits have shape {logit_shape:?}, the card's model gives [{count}, {spots}, {}]",
                config.levels
            )));
        }
        if nats.len() != count {
            return Err(FixtureError::Malformed(format!(
                "{} NLL values for {count} images",
                nats.len()
            )));
        }
        let whole = |v: f32, below: usize, what: &str| {
            if v >= 0.0 && v.fract() == 0.0 && (v as usize) < below {
                Ok(v as usize)
            } else {
                Err(FixtureError::Malformed(format!(
                    "{what} {v} is not an integer below {below}"
                )))
            }
        };
        Ok(Self {
            images: images
                .iter()
                .map(|&v| whole(v, config.levels, "pixel").map(|p| p as u8))
                .collect::<Result<_, _>>()?,
            labels: labels
                .iter()
                .map(|&v| whole(v, config.classes, "label"))
                .collect::<Result<_, _>>()?,
            positions: positions
                .chunks_exact(2)
                .map(|rc| {
                    Ok((
                        whole(rc[0], config.height, "row")?,
                        whole(rc[1], config.width, "column")?,
                    ))
                })
                .collect::<Result<_, FixtureError>>()?,
            logits: logits.clone(),
            nats_per_pixel: nats.clone(),
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn image(&self, index: usize) -> &[u8] {
        let n = self.images.len() / self.len();
        &self.images[index * n..(index + 1) * n]
    }

    /// Compares one implementation's logits of every pixel of fixture image `image`
    /// ([pixel][level], raster order) with PyTorch's; returns the largest difference.
    pub fn check_image(
        &self,
        implementation: &str,
        config: &ModelConfig,
        image: usize,
        all_logits: &[f32],
    ) -> Result<f32, FixtureError> {
        let levels = config.levels;
        if all_logits.len() != config.pixels() * levels {
            return Err(FixtureError::Malformed(format!(
                "{implementation} gave {} logits for an image, expected {}",
                all_logits.len(),
                config.pixels() * levels
            )));
        }
        let mut worst = 0.0f32;
        for (p, &(row, col)) in self.positions.iter().enumerate() {
            let at = (row * config.width + col) * levels;
            let want = &self.logits[(image * self.positions.len() + p) * levels..][..levels];
            for (level, (&got, &want)) in all_logits[at..at + levels].iter().zip(want).enumerate() {
                let diff = (got - want).abs();
                if diff.is_nan() || diff > LOGIT_TOLERANCE {
                    return Err(FixtureError::Mismatch {
                        implementation: implementation.to_string(),
                        image,
                        row,
                        col,
                        level,
                        got,
                        want,
                        tolerance: LOGIT_TOLERANCE,
                    });
                }
                worst = worst.max(diff);
            }
        }
        Ok(worst)
    }
}
