//! The architecture of the Gated PixelCNN, as numbers: shared by the candle model
//! (training, evaluation, reference), the plain-Rust samplers and the WGSL samplers.

use serde::{Deserialize, Serialize};

/// Hyper-parameters of a class-conditional Gated PixelCNN over `levels`-valued grey pixels.
///
/// Layer 0 is the "mask A" layer: its vertical stack sees only rows strictly above and its
/// horizontal stack only pixels strictly to the left. Layers 1.. are "mask B" layers that
/// may also use the current position of the previous layer's features. Every vertical
/// feature at row r depends only on input rows < r, which is what removes the blind spot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub height: usize,
    pub width: usize,
    pub levels: usize,
    pub classes: usize,
    /// Channels of each stack (the gate produces `channels` from `2 * channels`).
    pub channels: usize,
    /// Number of gated layers, the first of which is the mask-A layer.
    pub layers: usize,
    /// Odd kernel width of the first layer.
    pub first_kernel: usize,
    /// Odd kernel width of layers 1.. .
    pub kernel: usize,
    /// Channels of the skip connections and of the output head.
    pub head_channels: usize,
    /// Dilation of each layer's kernels (the mask-A layer's is 1). Dilated layers let the
    /// receptive field grow fast enough to cover every earlier pixel. Cards written before
    /// dilations existed have none, which means 1 everywhere.
    #[serde(default)]
    pub dilations: Vec<usize>,
}

impl ModelConfig {
    /// Dilation of layer `layer`'s vertical and horizontal kernels.
    pub fn dilation(&self, layer: usize) -> usize {
        self.dilations.get(layer).copied().unwrap_or(1)
    }

    pub fn pixels(&self) -> usize {
        self.height * self.width
    }

    pub fn layer_in_channels(&self, layer: usize) -> usize {
        if layer == 0 {
            1
        } else {
            self.channels
        }
    }

    pub fn layer_kernel(&self, layer: usize) -> usize {
        if layer == 0 {
            self.first_kernel
        } else {
            self.kernel
        }
    }

    /// Vertical kernel (rows, cols). Layer 0 covers rows r-rows..r-1 (shifted down one row);
    /// later layers, with dilation d, rows r-(rows-1)d..r (step d) of the previous vertical
    /// features and columns c-(cols/2)d..c+(cols/2)d.
    pub fn vertical_kernel(&self, layer: usize) -> (usize, usize) {
        let k = self.layer_kernel(layer);
        (k / 2 + 1, k)
    }

    /// Horizontal kernel width. Layer 0 covers columns c-w..c-1; later layers, with dilation
    /// d, columns c-(w-1)d..c (step d).
    pub fn horizontal_kernel(&self, layer: usize) -> usize {
        let k = self.layer_kernel(layer);
        if layer == 0 {
            k / 2
        } else {
            k / 2 + 1
        }
    }

    /// Checks the numbers a hostile or corrupt model card could get wrong.
    pub fn validate(&self) -> Result<(), String> {
        let checks = [
            (
                self.height >= 1 && self.height <= 256,
                "height must be 1..=256",
            ),
            (
                self.width >= 1 && self.width <= 256,
                "width must be 1..=256",
            ),
            (
                self.levels >= 2 && self.levels <= 256,
                "levels must be 2..=256",
            ),
            (
                self.classes >= 1 && self.classes <= 1000,
                "classes must be 1..=1000",
            ),
            (
                self.channels >= 1 && self.channels <= 512,
                "channels must be 1..=512",
            ),
            (
                self.layers >= 1 && self.layers <= 64,
                "layers must be 1..=64",
            ),
            (
                self.first_kernel % 2 == 1 && self.first_kernel >= 3 && self.first_kernel <= 15,
                "first_kernel must be odd, 3..=15",
            ),
            (
                self.kernel % 2 == 1 && self.kernel >= 3 && self.kernel <= 15,
                "kernel must be odd, 3..=15",
            ),
            (
                self.head_channels >= 1 && self.head_channels <= 1024,
                "head_channels must be 1..=1024",
            ),
        ];
        if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(format!("invalid model configuration: {why}"));
        }
        if !self.dilations.is_empty() && self.dilations.len() != self.layers {
            return Err(format!(
                "invalid model configuration: {} dilations for {} layers",
                self.dilations.len(),
                self.layers
            ));
        }
        if self.dilation(0) != 1 {
            return Err(
                "invalid model configuration: the first (mask A) layer's dilation must be 1".into(),
            );
        }
        let largest = self.height.max(self.width);
        if self.dilations.iter().any(|&d| d == 0 || d > largest) {
            return Err(format!(
                "invalid model configuration: dilations must be 1..={largest}"
            ));
        }
        Ok(())
    }

    /// Every parameter tensor the model has, with its shape, in a fixed order.
    pub fn parameter_shapes(&self) -> Vec<(String, Vec<usize>)> {
        let c = self.channels;
        let s = self.head_channels;
        let mut out = Vec::new();
        for l in 0..self.layers {
            let cin = self.layer_in_channels(l);
            let (kv, kw) = self.vertical_kernel(l);
            let kh = self.horizontal_kernel(l);
            let p = |n: &str| format!("layers.{l}.{n}");
            out.push((p("v_conv.weight"), vec![2 * c, cin, kv, kw]));
            out.push((p("v_conv.bias"), vec![2 * c]));
            out.push((p("h_conv.weight"), vec![2 * c, cin, 1, kh]));
            out.push((p("h_conv.bias"), vec![2 * c]));
            out.push((p("link.weight"), vec![2 * c, 2 * c, 1, 1]));
            out.push((p("link.bias"), vec![2 * c]));
            out.push((p("h_out.weight"), vec![c, c, 1, 1]));
            out.push((p("h_out.bias"), vec![c]));
            out.push((p("skip.weight"), vec![s, c, 1, 1]));
            out.push((p("skip.bias"), vec![s]));
            out.push((p("cond_v"), vec![self.classes, 2 * c]));
            out.push((p("cond_h"), vec![self.classes, 2 * c]));
        }
        out.push(("head.hidden.weight".into(), vec![s, s, 1, 1]));
        out.push(("head.hidden.bias".into(), vec![s]));
        out.push(("head.out.weight".into(), vec![self.levels, s, 1, 1]));
        out.push(("head.out.bias".into(), vec![self.levels]));
        out
    }

    pub fn parameter_count(&self) -> usize {
        self.parameter_shapes()
            .iter()
            .map(|(_, s)| s.iter().product::<usize>())
            .sum()
    }

    /// Which input pixels can influence the output at (row, col), derived by propagating
    /// reachability through the stacks (independently of any weights).
    /// Returned as a row-major mask of size height*width.
    pub fn receptive_field(&self, row: usize, col: usize) -> Vec<bool> {
        self.receptive_fields().field(row * self.width + col)
    }

    /// The receptive fields of every output pixel at once: one pass through the layers, each
    /// pixel's dependency set a bitset (about 2 ms for 28x28 and 37 layers), so that a page
    /// can show the field of every pixel it samples without recomputing anything.
    pub fn receptive_fields(&self) -> ReceptiveFields {
        let (h, w) = (self.height as isize, self.width as isize);
        let n = self.pixels();
        let words = n.div_ceil(64);
        let idx = |r: isize, c: isize| (r * w + c) as usize;
        // v / hz: for every pixel, the input pixels its vertical / horizontal features depend on.
        let mut v = vec![0u64; n * words];
        let mut hz = vec![0u64; n * words];
        let set = |sets: &mut [u64], p: usize, q: usize| sets[p * words + q / 64] |= 1 << (q % 64);
        let union = |dst: &mut [u64], p: usize, src: &[u64], q: usize| {
            for k in 0..words {
                dst[p * words + k] |= src[q * words + k];
            }
        };
        for l in 0..self.layers {
            let (kv, kw) = self.vertical_kernel(l);
            let kh = self.horizontal_kernel(l);
            let d = self.dilation(l) as isize;
            let half = (kw / 2) as isize;
            let mut nv = vec![0u64; n * words];
            let mut nh = vec![0u64; n * words];
            for r in 0..h {
                for c in 0..w {
                    let p = idx(r, c);
                    // vertical: the rows above (the first layer) or the dilated taps up to here
                    let rows: Vec<isize> = if l == 0 {
                        (r - kv as isize..r).collect()
                    } else {
                        (0..kv as isize).map(|i| r - i * d).collect()
                    };
                    for &rr in &rows {
                        for cc in (-half..=half).map(|i| c + i * d) {
                            if rr < 0 || rr >= h || cc < 0 || cc >= w {
                                continue;
                            }
                            if l == 0 {
                                set(&mut nv, p, idx(rr, cc));
                            } else {
                                union(&mut nv, p, &v, idx(rr, cc));
                            }
                        }
                    }
                    // horizontal: its own row to the left, plus the vertical pre-activation here
                    let from_vertical = nv[p * words..(p + 1) * words].to_vec();
                    for (k, word) in from_vertical.into_iter().enumerate() {
                        nh[p * words + k] |= word;
                    }
                    let cols: Vec<isize> = if l == 0 {
                        (c - kh as isize..c).collect()
                    } else {
                        (0..kh as isize).map(|i| c - i * d).collect()
                    };
                    for cc in cols {
                        if cc < 0 {
                            continue;
                        }
                        if l == 0 {
                            set(&mut nh, p, idx(r, cc));
                        } else {
                            union(&mut nh, p, &hz, idx(r, cc));
                        }
                    }
                    if l > 0 {
                        union(&mut nh, p, &hz, p);
                    }
                }
            }
            v = nv;
            hz = nh;
        }
        ReceptiveFields {
            pixels: n,
            words,
            sets: hz,
        }
    }
}

/// Every output pixel's receptive field (`ModelConfig::receptive_fields`).
#[derive(Debug, Clone)]
pub struct ReceptiveFields {
    pixels: usize,
    words: usize,
    sets: Vec<u64>,
}

impl ReceptiveFields {
    /// The input pixels that can influence output pixel `pixel` (row-major), as a mask.
    pub fn field(&self, pixel: usize) -> Vec<bool> {
        let set = &self.sets[pixel * self.words..(pixel + 1) * self.words];
        (0..self.pixels)
            .map(|q| set[q / 64] >> (q % 64) & 1 == 1)
            .collect()
    }
}
