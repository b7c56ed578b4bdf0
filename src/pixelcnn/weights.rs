//! Loading shipped weights: a small, strict safetensors reader (no panics on any input; it
//! is fuzzed) and the model card that must agree with the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::ModelConfig;

pub const CARD_FORMAT: &str = "genmodels-pixelcnn/1";
/// Headers larger than this are refused before parsing (ours are ~10 KB).
const MAX_HEADER_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error(
        "the model file is too short to be a safetensors file ({0} bytes); it may be truncated"
    )]
    TooShort(usize),
    #[error("the model file is not a safetensors file: {0}")]
    NotSafetensors(String),
    #[error(
        "the model file is truncated: tensor {name} needs bytes up to {end}, the file has {len}"
    )]
    Truncated { name: String, end: u64, len: usize },
    #[error("the model file lacks the tensor {0}")]
    Missing(String),
    #[error("the model file has a tensor this model does not use: {0}")]
    Unexpected(String),
    #[error("tensor {name} has shape {got:?}, the model card's architecture needs {want:?}")]
    Shape {
        name: String,
        got: Vec<usize>,
        want: Vec<usize>,
    },
    #[error("tensor {name} has dtype {dtype}; only F16 and F32 are supported")]
    Dtype { name: String, dtype: String },
    #[error("tensor {name} holds NaN or infinite values")]
    NonFinite { name: String },
    #[error("the model card is not valid: {0}")]
    Card(String),
}

/// A model card: what the JSON beside each `.safetensors` file says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub format: String,
    pub name: String,
    pub title: String,
    pub class_names: Vec<String>,
    pub config: ModelConfig,
    pub parameters: usize,
    pub dtype: String,
    #[serde(default)]
    pub data: serde_json::Value,
    #[serde(default)]
    pub training: serde_json::Value,
    #[serde(default)]
    pub evaluation: serde_json::Value,
}

/// What every model card must get right, whatever the model: its format, and a parameter
/// count that matches its architecture's.
pub fn check_card(
    format: &str,
    want_format: &str,
    claimed: usize,
    actual: usize,
) -> Result<(), String> {
    if format != want_format {
        return Err(format!("unknown format {format:?}"));
    }
    if claimed != actual {
        return Err(format!(
            "it claims {claimed} parameters but its architecture has {actual}"
        ));
    }
    Ok(())
}

impl ModelCard {
    pub fn parse(text: &str) -> Result<Self, WeightsError> {
        let card: ModelCard =
            serde_json::from_str(text).map_err(|e| WeightsError::Card(e.to_string()))?;
        card.config.validate().map_err(WeightsError::Card)?;
        if card.class_names.len() != card.config.classes {
            return Err(WeightsError::Card(format!(
                "it names {} classes but the architecture has {}",
                card.class_names.len(),
                card.config.classes
            )));
        }
        check_card(
            &card.format,
            CARD_FORMAT,
            card.parameters,
            card.config.parameter_count(),
        )
        .map_err(WeightsError::Card)?;
        Ok(card)
    }
}

/// Tensors by name: (shape, values as f32).
pub type NamedTensors = BTreeMap<String, (Vec<usize>, Vec<f32>)>;

#[derive(Deserialize)]
struct TensorInfo {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: (u64, u64),
}

/// Parses a safetensors file into f32 tensors (name -> (shape, values)).
pub fn read_safetensors(bytes: &[u8]) -> Result<NamedTensors, WeightsError> {
    if bytes.len() < 8 {
        return Err(WeightsError::TooShort(bytes.len()));
    }
    let header_len = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    if header_len > MAX_HEADER_BYTES || header_len + 8 > bytes.len() as u64 {
        return Err(WeightsError::NotSafetensors(format!(
            "its header claims {header_len} bytes, the file has {}",
            bytes.len()
        )));
    }
    let header = &bytes[8..8 + header_len as usize];
    let raw: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(header).map_err(|e| WeightsError::NotSafetensors(e.to_string()))?;
    let data = &bytes[8 + header_len as usize..];
    let mut out = BTreeMap::new();
    for (name, value) in raw {
        if name == "__metadata__" {
            continue;
        }
        let info: TensorInfo = serde_json::from_value(value)
            .map_err(|e| WeightsError::NotSafetensors(format!("entry {name}: {e}")))?;
        let width = match info.dtype.as_str() {
            "F32" => 4u64,
            "F16" => 2,
            other => {
                return Err(WeightsError::Dtype {
                    name,
                    dtype: other.to_string(),
                })
            }
        };
        let count = info
            .shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
            .filter(|c| *c <= (1 << 28))
            .ok_or_else(|| {
                WeightsError::NotSafetensors(format!("tensor {name} has an absurd shape"))
            })?;
        let (start, end) = info.data_offsets;
        if end < start || end - start != count * width {
            return Err(WeightsError::NotSafetensors(format!(
                "tensor {name}: its byte range does not match its shape and dtype"
            )));
        }
        if end > data.len() as u64 {
            return Err(WeightsError::Truncated {
                name,
                end: end + 8 + header_len,
                len: bytes.len(),
            });
        }
        let raw = &data[start as usize..end as usize];
        let values: Vec<f32> = if width == 4 {
            raw.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        } else {
            raw.chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect()
        };
        if values.iter().any(|v| !v.is_finite()) {
            return Err(WeightsError::NonFinite { name });
        }
        out.insert(name, (info.shape, values));
    }
    Ok(out)
}

/// Writes f32 tensors as an F16 safetensors file (the shipped format).
pub fn write_safetensors_f16(
    tensors: &NamedTensors,
    metadata: &BTreeMap<String, String>,
) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    header.insert(
        "__metadata__".into(),
        serde_json::to_value(metadata).expect("strings"),
    );
    let mut offset = 0u64;
    let mut body = Vec::new();
    for (name, (shape, values)) in tensors {
        let len = values.len() as u64 * 2;
        header.insert(
            name.clone(),
            serde_json::json!({"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + len]}),
        );
        offset += len;
        for v in values {
            body.extend_from_slice(&half::f16::from_f32(*v).to_le_bytes());
        }
    }
    let mut header_bytes = serde_json::to_vec(&header).expect("json");
    while !(header_bytes.len() + 8).is_multiple_of(8) {
        header_bytes.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + header_bytes.len() + body.len());
    out.extend_from_slice(&(header_bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(&body);
    out
}

/// Reads and checks tensors against the architecture: every tensor present, no extras,
/// right shapes, finite values. Returns name -> values in the file's conv layout.
pub fn load_checked(
    bytes: &[u8],
    config: &ModelConfig,
) -> Result<BTreeMap<String, Vec<f32>>, WeightsError> {
    config.validate().map_err(WeightsError::Card)?;
    load_with_shapes(bytes, config.parameter_shapes())
}

/// Reads a safetensors file that must hold exactly these tensors with these shapes (any
/// model's: the PixelCNN's, the VAE's); values finite. Returns name -> values.
pub fn load_with_shapes(
    bytes: &[u8],
    shapes: Vec<(String, Vec<usize>)>,
) -> Result<BTreeMap<String, Vec<f32>>, WeightsError> {
    let mut tensors = read_safetensors(bytes)?;
    let mut out = BTreeMap::new();
    for (name, want) in shapes {
        let (got, values) = tensors
            .remove(&name)
            .ok_or_else(|| WeightsError::Missing(name.clone()))?;
        if got != want {
            return Err(WeightsError::Shape { name, got, want });
        }
        out.insert(name, values);
    }
    if let Some(extra) = tensors.keys().next() {
        return Err(WeightsError::Unexpected(extra.clone()));
    }
    Ok(out)
}
