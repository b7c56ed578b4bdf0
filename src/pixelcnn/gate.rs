//! The gated unit tanh(a) * sigmoid(b) as one candle op with a hand-written gradient.
//!
//! Composed from candle's element-wise ops it took about ten passes over the largest tensors
//! of the network forward and as many backward; training on the CPU spent most of its time
//! there rather than in the matrix products. Fused, it is one pass each way, and the forward
//! is the very function the plain-Rust sampler runs (`cpu::gate_into`).

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape, Tensor};

use super::cpu::gate_into;
use super::fused::{contiguous_f32, for_each_chunk};
use super::model::CandleResult;

/// tanh(a) * sigmoid(b) where `pre` = [.., 2C] holds a in its first C channels and b in the rest.
pub fn gate(pre: &Tensor) -> CandleResult<Tensor> {
    pre.contiguous()?.apply_op1(Gate)
}

struct Gate;
struct GateGradient;

/// Runs `f(a_row, b_row, out_row)` over matching rows of `a`, `b` and `out` (row widths
/// `aw`, `bw`, `ow`), in parallel natively.
fn for_rows(
    (a, aw): (&[f32], usize),
    (b, bw): (&[f32], usize),
    (out, ow): (&mut [f32], usize),
    f: impl Fn(&[f32], &[f32], &mut [f32]) + Sync,
) {
    let block = |a: &[f32], b: &[f32], out: &mut [f32]| {
        for ((a, b), o) in a.chunks(aw).zip(b.chunks(bw)).zip(out.chunks_mut(ow)) {
            f(a, b, o);
        }
    };
    // A few hundred pixels per task keeps the scheduling cost negligible.
    const ROWS: usize = 256;
    for_each_chunk(out, ROWS * ow, |i, out| {
        let rows = out.len() / ow;
        let a = &a[i * ROWS * aw..][..rows * aw];
        let b = &b[i * ROWS * bw..][..rows * bw];
        block(a, b, out);
    });
}

impl CustomOp1 for Gate {
    fn name(&self) -> &'static str {
        "gate"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> CandleResult<(CpuStorage, Shape)> {
        let pre = contiguous_f32(self.name(), storage, layout)?;
        let mut dims = layout.dims().to_vec();
        let two_c = *dims.last().unwrap_or(&0);
        if two_c == 0 || !two_c.is_multiple_of(2) {
            return Err(candle_core::Error::Msg(format!(
                "gate: last dimension {two_c} is not even"
            )));
        }
        let c = two_c / 2;
        *dims.last_mut().expect("checked above") = c;
        let mut out = vec![0f32; pre.len() / 2];
        // The forward has one input: it is passed as both row sources.
        for_rows((pre, two_c), (pre, two_c), (&mut out, c), |p, _, o| {
            gate_into(p, o)
        });
        Ok((CpuStorage::F32(out), Shape::from(dims)))
    }

    fn bwd(&self, pre: &Tensor, _out: &Tensor, grad_out: &Tensor) -> CandleResult<Option<Tensor>> {
        let grad_out = grad_out.contiguous()?;
        Ok(Some(pre.apply_op2_no_bwd(&grad_out, &GateGradient)?))
    }
}

impl CustomOp2 for GateGradient {
    fn name(&self) -> &'static str {
        "gate-gradient"
    }

    /// d/da = g * sigmoid(b) * (1 - tanh(a)^2),  d/db = g * tanh(a) * s * (1 - s).
    fn cpu_fwd(
        &self,
        pre_storage: &CpuStorage,
        pre_layout: &Layout,
        grad_storage: &CpuStorage,
        grad_layout: &Layout,
    ) -> CandleResult<(CpuStorage, Shape)> {
        let pre = contiguous_f32(self.name(), pre_storage, pre_layout)?;
        let grad = contiguous_f32(self.name(), grad_storage, grad_layout)?;
        let two_c = *pre_layout.dims().last().unwrap_or(&0);
        let c = two_c / 2;
        if c == 0 || grad.len() * 2 != pre.len() {
            return Err(candle_core::Error::Msg(
                "gate-gradient: shapes do not match".into(),
            ));
        }
        let mut out = vec![0f32; pre.len()];
        for_rows((pre, two_c), (grad, c), (&mut out, two_c), |p, g, d| {
            for j in 0..c {
                let t = p[j].tanh();
                let s = 1.0 / (1.0 + (-p[c + j]).exp());
                d[j] = g[j] * s * (1.0 - t * t);
                d[c + j] = g[j] * t * s * (1.0 - s);
            }
        });
        Ok((CpuStorage::F32(out), pre_layout.shape().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    /// The same unit from candle's own differentiable ops, as the reference.
    fn composed(pre: &Tensor) -> CandleResult<Tensor> {
        let halves = pre.chunk(2, 3)?;
        let sigmoid = (halves[1].neg()?.exp()? + 1.0)?.recip()?;
        halves[0].tanh()? * sigmoid
    }

    #[test]
    fn fused_gate_matches_composed_ops_forward_and_backward() -> CandleResult<()> {
        let device = Device::Cpu;
        // 2 x 17 x 31 pixels: more than one parallel block, and a partial last block.
        let pre = Var::from_tensor(&(Tensor::randn(0f32, 2.0, (2, 17, 31, 10), &device)?))?;
        let weights = Tensor::randn(0f32, 1.0, (2, 17, 31, 5), &device)?;
        let fused = gate(pre.as_tensor())?;
        let reference = composed(pre.as_tensor())?;
        let forward_gap = (&fused - &reference)?
            .abs()?
            .max_all()?
            .to_scalar::<f32>()?;
        assert!(forward_gap < 1e-6, "forward differs by {forward_gap}");

        let fused_grad = (fused * &weights)?.sum_all()?.backward()?;
        let reference_grad = (reference * &weights)?.sum_all()?.backward()?;
        let a = fused_grad.get(pre.as_tensor()).expect("gradient");
        let b = reference_grad.get(pre.as_tensor()).expect("gradient");
        let gap = (a - b)?.abs()?.max_all()?.to_scalar::<f32>()?;
        let scale = b.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(scale > 0.1, "the reference gradient is not trivial");
        assert!(gap < 1e-5, "gradients differ by {gap}");
        Ok(())
    }

    #[test]
    fn odd_channel_count_is_an_error_not_a_panic() {
        let pre = Tensor::zeros((1, 2, 2, 3), candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(gate(&pre).is_err());
    }
}
