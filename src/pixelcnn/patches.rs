//! The rows of a convolution ("im2col") as one candle op with a hand-written gradient.
//!
//! Each convolution of the network is a matrix product of these rows with the weights. Built
//! from candle's ops (zero padding, one shifted view per kernel position, concatenation), the
//! backward pass made a zero-filled, padded copy of the full gradient per kernel position and
//! added them up: most of the training time on the CPU. Here the zero padding is implicit and
//! the gradient is accumulated in place, one pass each way.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};

use super::fused::{contiguous_f32, for_each_chunk};
use super::model::CandleResult;

/// Where a kernel sits relative to the output pixel: output (r, c) at kernel position
/// (dy, dx) reads input (r + dy - top, c + dx - left), or zero outside the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub kernel_height: usize,
    pub kernel_width: usize,
    pub top: usize,
    pub left: usize,
    pub out_height: usize,
    pub out_width: usize,
}

/// For `x` = [batch, height, width, cin] (NHWC): [batch * out_height * out_width,
/// kernel_height * kernel_width * cin], kernel positions row by row, channels innermost,
/// matching weights permuted to [kh, kw, cin, cout].
pub fn patches(x: &Tensor, window: Window) -> CandleResult<Tensor> {
    x.contiguous()?.apply_op1(Patches(window))
}

struct Patches(Window);
struct PatchesGradient {
    window: Window,
    input_dims: (usize, usize, usize, usize),
}

/// Calls `f(row, dy, dx, Some(input pixel) | None)` for every output pixel of one image, in
/// the order of the output rows, where `row` counts output pixels of that image.
fn walk(
    w: &Window,
    height: usize,
    width: usize,
    mut f: impl FnMut(usize, usize, usize, Option<usize>),
) {
    for r in 0..w.out_height {
        for c in 0..w.out_width {
            let row = r * w.out_width + c;
            for dy in 0..w.kernel_height {
                let y = (r + dy).checked_sub(w.top).filter(|&y| y < height);
                for dx in 0..w.kernel_width {
                    let x = (c + dx).checked_sub(w.left).filter(|&x| x < width);
                    f(row, dy, dx, y.zip(x).map(|(y, x)| y * width + x));
                }
            }
        }
    }
}

impl CustomOp1 for Patches {
    fn name(&self) -> &'static str {
        "patches"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> CandleResult<(CpuStorage, Shape)> {
        let w = self.0;
        let x = contiguous_f32(self.name(), storage, layout)?;
        let (batch, height, width, cin) = layout.shape().dims4()?;
        let positions = w.kernel_height * w.kernel_width;
        let out_image = w.out_height * w.out_width * positions * cin;
        let mut out = vec![0f32; batch * out_image];
        if out_image > 0 {
            for_each_chunk(&mut out, out_image, |b, out| {
                let image = &x[b * height * width * cin..(b + 1) * height * width * cin];
                walk(&w, height, width, |row, dy, dx, source| {
                    if let Some(p) = source {
                        let at = (row * positions + dy * w.kernel_width + dx) * cin;
                        out[at..at + cin].copy_from_slice(&image[p * cin..(p + 1) * cin]);
                    }
                });
            });
        }
        let rows = batch * w.out_height * w.out_width;
        Ok((CpuStorage::F32(out), Shape::from((rows, positions * cin))))
    }

    fn bwd(&self, x: &Tensor, _out: &Tensor, grad_out: &Tensor) -> CandleResult<Option<Tensor>> {
        let gradient = PatchesGradient {
            window: self.0,
            input_dims: x.dims4()?,
        };
        Ok(Some(grad_out.contiguous()?.apply_op1_no_bwd(&gradient)?))
    }
}

impl CustomOp1 for PatchesGradient {
    fn name(&self) -> &'static str {
        "patches-gradient"
    }

    /// Every patch entry's gradient added back onto the input pixel it was copied from.
    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> CandleResult<(CpuStorage, Shape)> {
        let w = self.window;
        let grad = contiguous_f32(self.name(), storage, layout)?;
        let (batch, height, width, cin) = self.input_dims;
        let positions = w.kernel_height * w.kernel_width;
        let grad_image = w.out_height * w.out_width * positions * cin;
        if grad.len() != batch * grad_image {
            return Err(candle_core::Error::Msg(
                "patches-gradient: shapes do not match".into(),
            ));
        }
        let image_len = height * width * cin;
        let mut out = vec![0f32; batch * image_len];
        if image_len > 0 {
            for_each_chunk(&mut out, image_len, |b, out| {
                let grad = &grad[b * grad_image..(b + 1) * grad_image];
                walk(&w, height, width, |row, dy, dx, source| {
                    if let Some(p) = source {
                        let at = (row * positions + dy * w.kernel_width + dx) * cin;
                        for (o, g) in out[p * cin..(p + 1) * cin]
                            .iter_mut()
                            .zip(&grad[at..at + cin])
                        {
                            *o += g;
                        }
                    }
                });
            });
        }
        Ok((
            CpuStorage::F32(out),
            Shape::from((batch, height, width, cin)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    /// The same rows from candle's own differentiable ops (explicit padding, shifted views).
    fn composed(x: &Tensor, w: Window) -> CandleResult<Tensor> {
        let (batch, height, width, cin) = x.dims4()?;
        let bottom = (w.out_height + w.kernel_height - 1).saturating_sub(w.top + height);
        let right = (w.out_width + w.kernel_width - 1).saturating_sub(w.left + width);
        let padded = x
            .pad_with_zeros(1, w.top, bottom)?
            .pad_with_zeros(2, w.left, right)?;
        let mut shifted = Vec::new();
        for dy in 0..w.kernel_height {
            for dx in 0..w.kernel_width {
                shifted.push(
                    padded
                        .narrow(1, dy, w.out_height)?
                        .narrow(2, dx, w.out_width)?,
                );
            }
        }
        Tensor::cat(&shifted, 3)?.reshape((
            batch * w.out_height * w.out_width,
            w.kernel_height * w.kernel_width * cin,
        ))
    }

    #[test]
    fn patches_match_padded_shifted_views_forward_and_backward() -> CandleResult<()> {
        let device = Device::Cpu;
        // The windows the network uses: first-layer vertical (rows strictly above, the last
        // row cropped), later vertical, first-layer and later horizontal, and 1x1.
        let windows = [
            (4, 7, 4, 3),
            (2, 3, 1, 1),
            (1, 3, 0, 3),
            (1, 2, 0, 1),
            (1, 1, 0, 0),
        ];
        for (kernel_height, kernel_width, top, left) in windows {
            let (height, width) = (9, 11);
            let w = Window {
                kernel_height,
                kernel_width,
                top,
                left,
                out_height: height,
                out_width: width,
            };
            let x = Var::from_tensor(&Tensor::randn(0f32, 1.0, (3, height, width, 5), &device)?)?;
            let fused = patches(x.as_tensor(), w)?;
            let reference = composed(x.as_tensor(), w)?;
            assert_eq!(fused.dims(), reference.dims());
            let gap = (&fused - &reference)?
                .abs()?
                .max_all()?
                .to_scalar::<f32>()?;
            assert_eq!(gap, 0.0, "forward differs for {w:?}");

            let weights = Tensor::randn(0f32, 1.0, fused.dims(), &device)?;
            let a = (fused * &weights)?.sum_all()?.backward()?;
            let b = (reference * &weights)?.sum_all()?.backward()?;
            let (a, b) = (
                a.get(x.as_tensor()).expect("gradient"),
                b.get(x.as_tensor()).expect("gradient"),
            );
            let gap = (a - b)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert!(gap < 1e-5, "gradients differ by {gap} for {w:?}");
        }
        Ok(())
    }
}
