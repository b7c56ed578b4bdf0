//! A run's whole state as bytes: both networks, both optimizers, the random generator, the
//! phase and the history rows from a given one on. The page trains in a Web Worker and draws
//! from the states it sends back; a run moved this way goes on with exactly the same numbers
//! as one that never moved, so a seed still gives the same run.
//!
//! Layout (little-endian): "GAN1", iteration u64, phase u8, random state u64, last D loss
//! f64, the divergence message (u8 flag, u32 length, UTF-8), G's and D's parameters, each
//! optimizer's step (i32) and moments (each a u32 count then f32s), then the first history
//! row sent (u64), the rows' count (u32) and each row (iteration u64, losses f64 x2, u8 flag,
//! JS, KL, outside f64 x3).

use super::divergence::Divergences;
use super::{Gan, HistoryRow, Phase};
use crate::rng::SeededRng;

const MAGIC: &[u8; 4] = b"GAN1";

struct Writer(Vec<u8>);

impl Writer {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.bytes(&v.to_le_bytes());
    }
    fn floats(&mut self, v: &[f32]) {
        self.u32(v.len() as u32);
        for x in v {
            self.bytes(&x.to_le_bytes());
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("the run's state ends early (at byte {})", self.at))?;
        let b = &self.bytes[self.at..end];
        self.at = end;
        Ok(b)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        Ok(self.take(N)?.try_into().expect("take returns N bytes"))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.array()?))
    }
    fn usize(&mut self, what: &str) -> Result<usize, String> {
        usize::try_from(self.u64()?).map_err(|_| format!("the run's state: {what} out of range"))
    }
    /// `expected` f32s, or an error naming `what`.
    fn floats(&mut self, expected: usize, what: &str) -> Result<Vec<f32>, String> {
        let n = self.u32()? as usize;
        if n != expected {
            return Err(format!(
                "the run's state holds {n} values for {what}, this run has {expected}: \
                 it comes from a run with other settings"
            ));
        }
        let raw = self.take(4 * n)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
}

impl Gan {
    /// The state as bytes, with the history rows from `history_from` on (all rows: 0).
    pub fn save_state(&self, history_from: usize) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.bytes(MAGIC);
        w.u64(self.iteration as u64);
        w.bytes(&[match self.phase {
            Phase::Discriminator => 0,
            Phase::Generator => 1,
        }]);
        w.u64(self.rng.state());
        w.f64(self.last_d_loss);
        match &self.diverged {
            None => w.bytes(&[0]),
            Some(message) => {
                w.bytes(&[1]);
                w.u32(message.len() as u32);
                w.bytes(message.as_bytes());
            }
        }
        w.floats(&self.generator.params);
        w.floats(&self.discriminator.params);
        for opt in [&self.g_opt, &self.d_opt] {
            let (t, m, v) = opt.moments();
            w.u32(t as u32);
            w.floats(m);
            w.floats(v);
        }
        let from = history_from.min(self.history.len());
        w.u64(from as u64);
        w.u32((self.history.len() - from) as u32);
        for row in &self.history[from..] {
            w.u64(row.iteration as u64);
            w.f64(row.d_loss);
            w.f64(row.g_loss);
            match &row.divergences {
                None => w.bytes(&[0]),
                Some(d) => {
                    w.bytes(&[1]);
                    w.f64(d.js);
                    w.f64(d.kl);
                    w.f64(d.outside);
                }
            }
        }
        w.0
    }

    /// Takes on a state from `save_state` of a run with the same settings: the history is kept
    /// up to the state's first row, then its rows follow. Nothing changes if the bytes are
    /// refused.
    pub fn restore_state(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).ok() != Some(MAGIC.as_slice()) {
            return Err("not a GAN run's state (it must start with \"GAN1\")".into());
        }
        let iteration = r.usize("the iteration")?;
        let phase = match r.u8()? {
            0 => Phase::Discriminator,
            1 => Phase::Generator,
            other => return Err(format!("the run's state: unknown phase {other}")),
        };
        let rng = SeededRng::from_state(r.u64()?);
        let last_d_loss = r.f64()?;
        let diverged = match r.u8()? {
            0 => None,
            _ => {
                let n = r.u32()? as usize;
                let text = std::str::from_utf8(r.take(n)?)
                    .map_err(|_| "the run's state: its message is not UTF-8".to_string())?;
                Some(text.to_string())
            }
        };
        let g = r.floats(self.generator.params.len(), "the generator")?;
        let d = r.floats(self.discriminator.params.len(), "the discriminator")?;
        let mut moments = Vec::new();
        for (len, what) in [
            (self.generator.params.len(), "the generator's optimizer"),
            (
                self.discriminator.params.len(),
                "the discriminator's optimizer",
            ),
        ] {
            let t = r.u32()? as i32;
            let m = r.floats(len, what)?;
            let v = r.floats(len, what)?;
            moments.push((t, m, v));
        }
        let from = r.usize("the first history row")?;
        if from > self.history.len() {
            return Err(format!(
                "the run's state continues the history from row {from}, and this run has {} rows",
                self.history.len()
            ));
        }
        let rows = r.u32()? as usize;
        let mut history = Vec::with_capacity(rows.min(bytes.len() / 25));
        for _ in 0..rows {
            let iteration = r.usize("a history row's iteration")?;
            let d_loss = r.f64()?;
            let g_loss = r.f64()?;
            let divergences = match r.u8()? {
                0 => None,
                _ => Some(Divergences {
                    js: r.f64()?,
                    kl: r.f64()?,
                    outside: r.f64()?,
                }),
            };
            history.push(HistoryRow {
                iteration,
                d_loss,
                g_loss,
                divergences,
            });
        }
        if r.at != bytes.len() {
            return Err(format!(
                "the run's state has {} bytes after its end",
                bytes.len() - r.at
            ));
        }
        self.iteration = iteration;
        self.phase = phase;
        self.rng = rng;
        self.last_d_loss = last_d_loss;
        self.diverged = diverged;
        self.generator.params = g;
        self.discriminator.params = d;
        for (opt, (t, m, v)) in [&mut self.g_opt, &mut self.d_opt].into_iter().zip(moments) {
            opt.set_moments(t, &m, &v);
        }
        self.history.truncate(from);
        self.history.extend(history);
        Ok(())
    }
}
