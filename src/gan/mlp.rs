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

/// Outputs are computed 16 at a time in a local accumulator, so that they stay in registers
/// (four 128-bit vectors in wasm) while a whole dot product is summed.
const CHUNK: usize = 16;

/// out[r][c] = init[c] + sum_k a[r][k] * b[k][c] for `rows` rows; a is [rows][k], b [k][n].
fn gemm<T: Real>(
    a: &[T],
    rows: usize,
    k: usize,
    b: &[T],
    n: usize,
    init: Option<&[T]>,
    out: &mut [T],
) {
    for r in 0..rows {
        let a_row = &a[r * k..(r + 1) * k];
        let out_row = &mut out[r * n..(r + 1) * n];
        let mut c0 = 0;
        while c0 < n {
            let width = CHUNK.min(n - c0);
            let mut acc = [T::default(); CHUNK];
            if let Some(init) = init {
                acc[..width].copy_from_slice(&init[c0..c0 + width]);
            }
            if width == CHUNK {
                for (kk, &av) in a_row.iter().enumerate() {
                    let b_row: &[T; CHUNK] =
                        b[kk * n + c0..kk * n + c0 + CHUNK].try_into().unwrap();
                    for l in 0..CHUNK {
                        acc[l] += av * b_row[l];
                    }
                }
            } else {
                for (kk, &av) in a_row.iter().enumerate() {
                    for l in 0..width {
                        acc[l] += av * b[kk * n + c0 + l];
                    }
                }
            }
            out_row[c0..c0 + width].copy_from_slice(&acc[..width]);
            c0 += width;
        }
    }
}

/// out[i][j] += sum_r a[r][i] * d[r][j]: a is [rows][m], d [rows][n], out [m][n] (a weight
/// gradient, summed over the batch with the accumulator in registers).
fn gemm_transposed_add<T: Real>(a: &[T], rows: usize, m: usize, d: &[T], n: usize, out: &mut [T]) {
    for i in 0..m {
        let mut c0 = 0;
        while c0 < n {
            let width = CHUNK.min(n - c0);
            let mut acc = [T::default(); CHUNK];
            acc[..width].copy_from_slice(&out[i * n + c0..i * n + c0 + width]);
            for r in 0..rows {
                let av = a[r * m + i];
                let d_row = &d[r * n + c0..r * n + c0 + width];
                for l in 0..width {
                    acc[l] += av * d_row[l];
                }
            }
            out[i * n + c0..i * n + c0 + width].copy_from_slice(&acc[..width]);
            c0 += width;
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
    /// Transposed weights of each layer, made once per backward pass.
    transposed: Vec<T>,
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
            gemm(
                &tape.inputs[l],
                batch,
                nin,
                weights,
                nout,
                Some(bias),
                &mut out,
            );
            if l + 1 < layers {
                for o in out.iter_mut() {
                    if *o < T::default() {
                        *o = *o * self.leak;
                    }
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
        mut grads: Option<&mut [T]>,
    ) -> Vec<T> {
        let batch = tape.batch;
        let layers = self.sizes.len() - 1;
        let offsets: Vec<_> = self.layer_offsets().collect();
        let mut delta = grad_output.to_vec();
        for l in (0..layers).rev() {
            let (nin, nout, w_at, b_at) = offsets[l];
            let x = &tape.inputs[l];
            if let Some(g) = grads.as_deref_mut() {
                gemm_transposed_add(x, batch, nin, &delta, nout, &mut g[w_at..w_at + nin * nout]);
                for b in 0..batch {
                    for (gb, dv) in g[b_at..b_at + nout]
                        .iter_mut()
                        .zip(&delta[b * nout..(b + 1) * nout])
                    {
                        *gb += *dv;
                    }
                }
            }
            // d loss / d x = delta W^T, through the transposed weights.
            let weights = &self.params[w_at..w_at + nin * nout];
            tape.transposed.clear();
            tape.transposed.resize(nin * nout, T::default());
            for i in 0..nin {
                for j in 0..nout {
                    tape.transposed[j * nin + i] = weights[i * nout + j];
                }
            }
            let mut prev = vec![T::default(); batch * nin];
            gemm(&delta, batch, nout, &tape.transposed, nin, None, &mut prev);
            if l > 0 {
                // Through the activation that produced x (x < 0 only where it leaked).
                for (p, a) in prev.iter_mut().zip(x) {
                    if *a < T::default() || (*a == T::default() && self.leak == T::default()) {
                        *p = *p * self.leak;
                    }
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
