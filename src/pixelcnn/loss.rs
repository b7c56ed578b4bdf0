//! The per-pixel loss, -log softmax(logits)[target], as one candle op with its gradient.
//!
//! The logits are the largest tensor of the network (256 values per pixel, four times the
//! widest layer). Composed from candle's ops the loss made about ten passes over them forward
//! and backward (maximum, shift, exponential, sum, logarithm, gather and their gradients);
//! fused it is one pass each way, computed row by row in f32 with the maximum subtracted first.

use std::sync::Arc;

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape, Tensor};

use super::fused::{contiguous_f32, for_each_chunk};
use super::model::CandleResult;

/// For `logits` = [n, levels] and `targets` (n values below `levels`): the negative
/// log-likelihood of each target under the softmax of its row, [n], in nats.
pub fn pixel_nll(logits: &Tensor, targets: Vec<u32>) -> CandleResult<Tensor> {
    let (n, levels) = logits.dims2()?;
    if targets.len() != n {
        return Err(candle_core::Error::Msg(format!(
            "pixel_nll: {} targets for {n} rows",
            targets.len()
        )));
    }
    if let Some(bad) = targets.iter().find(|&&t| t as usize >= levels) {
        return Err(candle_core::Error::Msg(format!(
            "pixel_nll: target {bad} is not below {levels} levels"
        )));
    }
    logits.contiguous()?.apply_op1(PixelNll(Arc::new(targets)))
}

struct PixelNll(Arc<Vec<u32>>);
struct PixelNllGradient(Arc<Vec<u32>>);

/// log(sum(exp(row))), stable for large logits.
fn log_sum_exp(row: &[f32]) -> f32 {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    max + row.iter().map(|&x| (x - max).exp()).sum::<f32>().ln()
}

impl CustomOp1 for PixelNll {
    fn name(&self) -> &'static str {
        "pixel-nll"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> CandleResult<(CpuStorage, Shape)> {
        let logits = contiguous_f32(self.name(), storage, layout)?;
        let (n, levels) = layout.shape().dims2()?;
        let mut out = vec![0f32; n];
        let row_nll = |i: usize, nll: &mut [f32]| {
            let row = &logits[i * levels..(i + 1) * levels];
            nll[0] = log_sum_exp(row) - row[self.0[i] as usize];
        };
        for_each_chunk(&mut out, 1, row_nll);
        Ok((CpuStorage::F32(out), Shape::from(n)))
    }

    fn bwd(&self, logits: &Tensor, _nll: &Tensor, grad: &Tensor) -> CandleResult<Option<Tensor>> {
        let grad = grad.contiguous()?;
        Ok(Some(logits.apply_op2_no_bwd(
            &grad,
            &PixelNllGradient(self.0.clone()),
        )?))
    }
}

impl CustomOp2 for PixelNllGradient {
    fn name(&self) -> &'static str {
        "pixel-nll-gradient"
    }

    /// d nll / d logit_k = softmax_k - [k == target], times the incoming gradient.
    fn cpu_fwd(
        &self,
        logits_storage: &CpuStorage,
        logits_layout: &Layout,
        grad_storage: &CpuStorage,
        grad_layout: &Layout,
    ) -> CandleResult<(CpuStorage, Shape)> {
        let logits = contiguous_f32(self.name(), logits_storage, logits_layout)?;
        let grad = contiguous_f32(self.name(), grad_storage, grad_layout)?;
        let (n, levels) = logits_layout.shape().dims2()?;
        if grad.len() != n {
            return Err(candle_core::Error::Msg(
                "pixel-nll-gradient: shapes do not match".into(),
            ));
        }
        let mut out = vec![0f32; n * levels];
        let row_gradient = |i: usize, d: &mut [f32]| {
            let row = &logits[i * levels..(i + 1) * levels];
            let lse = log_sum_exp(row);
            for (d, &x) in d.iter_mut().zip(row) {
                *d = grad[i] * (x - lse).exp();
            }
            d[self.0[i] as usize] -= grad[i];
        };
        for_each_chunk(&mut out, levels, row_gradient);
        Ok((CpuStorage::F32(out), logits_layout.shape().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var, D};

    #[test]
    fn fused_loss_matches_composed_ops_forward_and_backward() -> CandleResult<()> {
        let device = Device::Cpu;
        let (n, levels) = (700, 256);
        // Large logits too: the maximum must be subtracted before exponentiating.
        let logits = Var::from_tensor(&(Tensor::randn(0f32, 30.0, (n, levels), &device)?))?;
        let targets: Vec<u32> = (0..n as u32).map(|i| (i * 37) % levels as u32).collect();
        let weights = Tensor::randn(0f32, 1.0, n, &device)?;

        let fused = pixel_nll(logits.as_tensor(), targets.clone())?;
        let x = logits.as_tensor();
        let log_probs = x.broadcast_sub(&x.log_sum_exp(D::Minus1)?.unsqueeze(1)?)?;
        let target_tensor = Tensor::from_vec(targets, (n, 1), &device)?;
        let reference = log_probs.gather(&target_tensor, 1)?.squeeze(1)?.neg()?;
        let gap = (&fused - &reference)?
            .abs()?
            .max_all()?
            .to_scalar::<f32>()?;
        assert!(gap < 1e-3, "forward differs by {gap}");
        assert!(fused.min_all()?.to_scalar::<f32>()? >= 0.0);

        let a = (fused * &weights)?.sum_all()?.backward()?;
        let b = (reference * &weights)?.sum_all()?.backward()?;
        let (a, b) = (a.get(x).expect("gradient"), b.get(x).expect("gradient"));
        let gap = (a - b)?.abs()?.max_all()?.to_scalar::<f32>()?;
        // Entries are up to |weight| ~ 3; f32 rounding of the two routes differs by ~1e-5.
        assert!(gap < 5e-5, "gradients differ by {gap}");
        Ok(())
    }

    #[test]
    fn targets_out_of_range_or_miscounted_are_errors() {
        let logits = Tensor::zeros((2, 4), candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(pixel_nll(&logits, vec![0, 4]).is_err());
        assert!(pixel_nll(&logits, vec![0]).is_err());
        assert!(pixel_nll(&logits, vec![3, 0]).is_ok());
    }
}
