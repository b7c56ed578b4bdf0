//! A small multilayer perceptron with hand-written backpropagation, for the 2-D GAN's two
//! networks. Generic over the float type: the trainer runs in f32 (speed in the browser), the
//! gradient checks in f64 (so that finite differences are exact enough to compare).
//!
//! Activations are batched row-major `[batch, width]`; a layer's weights are stored
//! `[inputs, outputs]` so that the innermost loops run over contiguous outputs (they
//! vectorise). All parameters live in one flat vector, so an optimizer is a loop over it.

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

use crate::rng::SeededRng;

/// The float operations the networks and losses need, for f32 and f64.
pub trait Real:
    Copy
    + Default
    + Debug
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
{
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn is_finite(self) -> bool;
}

macro_rules! real {
    ($t:ty) => {
        impl Real for $t {
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
        }
    };
}
real!(f32);
real!(f64);

/// ln(1 + e^x) without overflow.
pub fn softplus<T: Real>(x: T) -> T {
    let zero = T::default();
    let m = if x > zero { x } else { zero };
    let a = if x > zero { -x } else { x };
    m + (T::from_f64(1.0) + a.exp()).ln()
}

pub fn sigmoid<T: Real>(x: T) -> T {
    let one = T::from_f64(1.0);
    if x >= T::default() {
        one / (one + (-x).exp())
    } else {
        let e = x.exp();
        e / (one + e)
    }
}

/// Rows computed together: each weight loaded serves two rows.
const ROWS: usize = 2;
/// Columns computed together. With `ROWS` rows that is eight independent 4-lane accumulators
/// (in wasm's 128-bit vectors), enough that the adds never wait on each other's results, and
/// few enough to stay in registers.
const COLS: usize = 16;

/// Where a product's sums start: at zero, at a bias per column, or at what `out` holds.
#[derive(Clone, Copy)]
enum Start<'a, T> {
    Zero,
    Bias(&'a [T]),
    Accumulate,
}

/// out[r][c] = start + sum_k a[r][k] * b[k][c] for `rows` rows; a is [rows][k], b [k][n].
/// With `TRANSPOSED`, a is stored as [k][rows] (a layer's inputs, read as the weight gradient
/// needs them without a copy). Columns in whole blocks of `COLS` are computed from rows of b;
/// the few left over (all of them for a network's 1- or 2-wide ends) as dot products with b's
/// columns, copied into `scratch` so that they are contiguous. Every sum runs over k in order
/// from its start.
#[allow(clippy::too_many_arguments)]
fn gemm<T: Real, const TRANSPOSED: bool>(
    a: &[T],
    rows: usize,
    k: usize,
    b: &[T],
    n: usize,
    start: Start<T>,
    out: &mut [T],
    scratch: &mut Vec<T>,
) {
    debug_assert!(a.len() >= rows * k && b.len() >= k * n && out.len() >= rows * n);
    let blocked = n - n % COLS;
    scratch.clear();
    for c in blocked..n {
        scratch.extend((0..k).map(|kk| b[kk * n + c]));
    }
    let mut r = 0;
    while r < rows {
        if r + ROWS <= rows {
            rows_block::<T, ROWS, TRANSPOSED>(a, rows, r, k, b, n, blocked, start, out, scratch);
            r += ROWS;
        } else {
            rows_block::<T, 1, TRANSPOSED>(a, rows, r, k, b, n, blocked, start, out, scratch);
            r += 1;
        }
    }
}

/// `R` rows of `gemm`, from row `r`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn rows_block<T: Real, const R: usize, const TRANSPOSED: bool>(
    a: &[T],
    rows: usize,
    r: usize,
    k: usize,
    b: &[T],
    n: usize,
    blocked: usize,
    start: Start<T>,
    out: &mut [T],
    columns: &[T],
) {
    let a_rows: [&[T]; R] = if TRANSPOSED {
        [&[]; R]
    } else {
        std::array::from_fn(|i| &a[(r + i) * k..(r + i + 1) * k])
    };
    // The R values a[r..r + R][kk].
    let left = |kk: usize| -> [T; R] {
        if TRANSPOSED {
            *<&[T; R]>::try_from(&a[kk * rows + r..kk * rows + r + R]).unwrap()
        } else {
            std::array::from_fn(|i| a_rows[i][kk])
        }
    };
    for c0 in (0..blocked).step_by(COLS) {
        let mut acc = [[T::default(); COLS]; R];
        for (i, acc_row) in acc.iter_mut().enumerate() {
            match start {
                Start::Zero => {}
                Start::Bias(bias) => acc_row.copy_from_slice(&bias[c0..c0 + COLS]),
                Start::Accumulate => {
                    acc_row.copy_from_slice(&out[(r + i) * n + c0..(r + i) * n + c0 + COLS])
                }
            }
        }
        for kk in 0..k {
            let b_row: &[T; COLS] = b[kk * n + c0..kk * n + c0 + COLS].try_into().unwrap();
            let av = left(kk);
            for i in 0..R {
                for l in 0..COLS {
                    acc[i][l] += av[i] * b_row[l];
                }
            }
        }
        for (i, acc_row) in acc.iter().enumerate() {
            out[(r + i) * n + c0..(r + i) * n + c0 + COLS].copy_from_slice(acc_row);
        }
    }
    // The leftover columns: dot products over k, one sum per row, each summed in order (the
    // same order as the blocks, so that results do not depend on a layer's width).
    for (j, column) in columns.chunks_exact(k.max(1)).enumerate().take(n - blocked) {
        let c = blocked + j;
        let mut sums: [T; R] = std::array::from_fn(|i| match start {
            Start::Zero => T::default(),
            Start::Bias(bias) => bias[c],
            Start::Accumulate => out[(r + i) * n + c],
        });
        for (kk, &cv) in column.iter().enumerate() {
            let av = left(kk);
            for i in 0..R {
                sums[i] += av[i] * cv;
            }
        }
        for (i, sum) in sums.into_iter().enumerate() {
            out[(r + i) * n + c] = sum;
        }
    }
}

/// `out` = the `rows` x `cols` matrix `m` transposed.
fn transpose_into<T: Real>(m: &[T], rows: usize, cols: usize, out: &mut Vec<T>) {
    out.clear();
    out.resize(rows * cols, T::default());
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = m[r * cols + c];
        }
    }
}

/// Fully connected layers with a (leaky) ReLU between them and a linear output.
#[derive(Clone, Debug)]
pub struct Mlp<T> {
    /// Widths from the input to the output, e.g. [2, 32, 32, 1].
    pub sizes: Vec<usize>,
    /// Slope of the hidden activation below zero: 0 for ReLU.
    pub leak: T,
    /// W0, b0, W1, b1, ... (each W as [inputs, outputs]).
    pub params: Vec<T>,
}

/// What a forward pass keeps for the backward pass.
#[derive(Clone, Debug, Default)]
pub struct Tape<T> {
    batch: usize,
    /// The input of every layer (`inputs[0]` is the network's input), after the activation.
    inputs: Vec<Vec<T>>,
    /// The network's output.
    pub output: Vec<T>,
    /// A layer's transposed weights or inputs, made during the backward pass.
    transposed: Vec<T>,
    /// The columns `gemm` reads as dot products.
    scratch: Vec<T>,
}

impl<T: Real> Mlp<T> {
    /// He-initialised weights (uniform with the same variance), zero biases.
    pub fn new(sizes: &[usize], leak: f64, rng: &mut SeededRng) -> Self {
        let mut params = Vec::new();
        for w in sizes.windows(2) {
            let bound = (6.0 / w[0] as f64).sqrt();
            params.extend(
                (0..w[0] * w[1]).map(|_| T::from_f64((rng.next_f64() * 2.0 - 1.0) * bound)),
            );
            params.extend((0..w[1]).map(|_| T::default()));
        }
        Mlp {
            sizes: sizes.to_vec(),
            leak: T::from_f64(leak),
            params,
        }
    }

    pub fn input_width(&self) -> usize {
        self.sizes[0]
    }

    pub fn output_width(&self) -> usize {
        *self.sizes.last().unwrap()
    }

    /// Offsets of each layer's weights and biases in `params`.
    fn layer_offsets(&self) -> impl Iterator<Item = (usize, usize, usize, usize)> + '_ {
        let mut at = 0;
        self.sizes.windows(2).map(move |w| {
            let (nin, nout) = (w[0], w[1]);
            let weights = at;
            at += nin * nout + nout;
            (nin, nout, weights, weights + nin * nout)
        })
    }

    /// The outputs for `batch` rows of `input`, keeping what the backward pass needs.
    pub fn forward(&self, input: &[T], batch: usize, tape: &mut Tape<T>) {
        debug_assert_eq!(input.len(), batch * self.input_width());
        let layers = self.sizes.len() - 1;
        tape.batch = batch;
        tape.inputs.resize(layers, Vec::new());
        tape.inputs[0].clear();
        tape.inputs[0].extend_from_slice(input);
        for (l, (nin, nout, w_at, b_at)) in self.layer_offsets().enumerate() {
            let weights = &self.params[w_at..w_at + nin * nout];
            let bias = &self.params[b_at..b_at + nout];
            let mut out = std::mem::take(if l + 1 < layers {
                &mut tape.inputs[l + 1]
            } else {
                &mut tape.output
            });
            out.clear();
            out.resize(batch * nout, T::default());
            gemm::<T, false>(
                &tape.inputs[l],
                batch,
                nin,
                weights,
                nout,
                Start::Bias(bias),
                &mut out,
                &mut tape.scratch,
            );
            if l + 1 < layers {
                // A multiply by a selected factor, not a branch: the signs are random, and
                // this way the loop vectorises.
                let one = T::from_f64(1.0);
                for o in out.iter_mut() {
                    *o = *o * if *o < T::default() { self.leak } else { one };
                }
                tape.inputs[l + 1] = out;
            } else {
                tape.output = out;
            }
        }
    }

    /// Outputs only (no tape kept by the caller).
    pub fn outputs(&self, input: &[T], batch: usize) -> Vec<T> {
        let mut tape = Tape::default();
        self.forward(input, batch, &mut tape);
        tape.output
    }

    /// Backpropagates `grad_output` (d loss / d output, `[batch, outputs]`) through the pass on
    /// `tape`: adds d loss / d params into `grads` (same layout as `params`) when given, and
    /// returns d loss / d input.
    pub fn backward(
        &self,
        tape: &mut Tape<T>,
        grad_output: &[T],
        grads: Option<&mut [T]>,
    ) -> Vec<T> {
        self.backpropagate(tape, grad_output, grads, true)
    }

    /// `backward` for the parameters alone: d loss / d input, which nothing upstream needs, is
    /// not computed.
    pub fn backward_params(&self, tape: &mut Tape<T>, grad_output: &[T], grads: &mut [T]) {
        self.backpropagate(tape, grad_output, Some(grads), false);
    }

    fn backpropagate(
        &self,
        tape: &mut Tape<T>,
        grad_output: &[T],
        mut grads: Option<&mut [T]>,
        input_grad: bool,
    ) -> Vec<T> {
        let batch = tape.batch;
        let layers = self.sizes.len() - 1;
        let offsets: Vec<_> = self.layer_offsets().collect();
        let mut delta = grad_output.to_vec();
        for l in (0..layers).rev() {
            let (nin, nout, w_at, b_at) = offsets[l];
            let x = &tape.inputs[l];
            if let Some(g) = grads.as_deref_mut() {
                // dW += x^T delta: x read transposed, the batch becomes the inner sum.
                let weight_grads = &mut g[w_at..w_at + nin * nout];
                gemm::<T, true>(
                    x,
                    nin,
                    batch,
                    &delta,
                    nout,
                    Start::Accumulate,
                    weight_grads,
                    &mut tape.scratch,
                );
                for b in 0..batch {
                    for (gb, dv) in g[b_at..b_at + nout]
                        .iter_mut()
                        .zip(&delta[b * nout..(b + 1) * nout])
                    {
                        *gb += *dv;
                    }
                }
            }
            if l == 0 && !input_grad {
                return Vec::new();
            }
            // d loss / d x = delta W^T, through the transposed weights.
            let weights = &self.params[w_at..w_at + nin * nout];
            transpose_into(weights, nin, nout, &mut tape.transposed);
            let mut prev = vec![T::default(); batch * nin];
            gemm::<T, false>(
                &delta,
                batch,
                nout,
                &tape.transposed,
                nin,
                Start::Zero,
                &mut prev,
                &mut tape.scratch,
            );
            if l > 0 {
                // Through the activation that produced x (x < 0 only where it leaked).
                let x = &tape.inputs[l];
                let one = T::from_f64(1.0);
                let zero_leaks = self.leak == T::default();
                for (p, a) in prev.iter_mut().zip(x) {
                    let leaked = *a < T::default() || (*a == T::default() && zero_leaks);
                    *p = *p * if leaked { self.leak } else { one };
                }
            }
            delta = prev;
        }
        delta
    }

    pub fn all_finite(&self) -> bool {
        self.params.iter().all(|p| p.is_finite())
    }
}

/// Plain gradient descent or Adam, over a flat parameter vector.
#[derive(Clone, Debug)]
pub struct Optimizer<T> {
    pub kind: OptimizerKind,
    pub beta1: T,
    m: Vec<T>,
    v: Vec<T>,
    t: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Adam,
}

impl<T: Real> Optimizer<T> {
    pub fn new(kind: OptimizerKind, beta1: f64, params: usize) -> Self {
        Optimizer {
            kind,
            beta1: T::from_f64(beta1),
            m: vec![T::default(); params],
            v: vec![T::default(); params],
            t: 0,
        }
    }

    /// Adam's step count and moments (zero and unused for SGD).
    pub fn moments(&self) -> (i32, &[T], &[T]) {
        (self.t, &self.m, &self.v)
    }

    /// Puts back what `moments` gave; `m` and `v` must have this optimizer's length.
    pub fn set_moments(&mut self, t: i32, m: &[T], v: &[T]) {
        self.t = t;
        self.m.copy_from_slice(m);
        self.v.copy_from_slice(v);
    }

    pub fn step(&mut self, params: &mut [T], grads: &[T], lr: T) {
        match self.kind {
            OptimizerKind::Sgd => {
                for (p, g) in params.iter_mut().zip(grads) {
                    *p = *p - lr * *g;
                }
            }
            OptimizerKind::Adam => {
                let one = T::from_f64(1.0);
                let beta2 = T::from_f64(0.999);
                let eps = T::from_f64(1e-8);
                self.t += 1;
                let c1 = one - T::from_f64(self.beta1.to_f64().powi(self.t));
                let c2 = one - T::from_f64(0.999f64.powi(self.t));
                for i in 0..params.len() {
                    let g = grads[i];
                    self.m[i] = self.beta1 * self.m[i] + (one - self.beta1) * g;
                    self.v[i] = beta2 * self.v[i] + (one - beta2) * g * g;
                    let m_hat = self.m[i] / c1;
                    let v_hat = self.v[i] / c2;
                    params[i] = params[i] - lr * m_hat / (v_hat.sqrt() + eps);
                }
            }
        }
    }
}

#[cfg(test)]
mod kernel_tests {
    use super::*;

    /// The blocked product equals the textbook triple loop, bit for bit (every sum runs in the
    /// same order), for every start, both layouts of a, and shapes that leave partial blocks.
    #[test]
    fn gemm_equals_the_plain_triple_loop() {
        let mut rng = SeededRng::new(3);
        let mut scratch = Vec::new();
        for rows in [1, 3, 4, 5, 9] {
            for k in [1, 2, 7, 33] {
                for n in [1, 2, 8, 13, 32] {
                    let a: Vec<f32> = (0..rows * k).map(|_| rng.next_f32() - 0.5).collect();
                    let b: Vec<f32> = (0..k * n).map(|_| rng.next_f32() - 0.5).collect();
                    let bias: Vec<f32> = (0..n).map(|_| rng.next_f32()).collect();
                    let before: Vec<f32> = (0..rows * n).map(|_| rng.next_f32()).collect();
                    let mut a_t = Vec::new();
                    transpose_into(&a, rows, k, &mut a_t);
                    for which in 0..3 {
                        let start = [Start::Zero, Start::Bias(&bias), Start::Accumulate][which];
                        let mut expected = before.clone();
                        for r in 0..rows {
                            for c in 0..n {
                                let mut sum = match which {
                                    0 => 0.0,
                                    1 => bias[c],
                                    _ => before[r * n + c],
                                };
                                for kk in 0..k {
                                    sum += a[r * k + kk] * b[kk * n + c];
                                }
                                expected[r * n + c] = sum;
                            }
                        }
                        let mut out = before.clone();
                        gemm::<f32, false>(&a, rows, k, &b, n, start, &mut out, &mut scratch);
                        assert_eq!(out, expected, "{rows} x {k} x {n}, start {which}");
                        let mut out = before.clone();
                        gemm::<f32, true>(&a_t, rows, k, &b, n, start, &mut out, &mut scratch);
                        assert_eq!(
                            out, expected,
                            "transposed {rows} x {k} x {n}, start {which}"
                        );
                    }
                }
            }
        }
    }
}
