//! Seeded 2-D data sets in the unit square, including the classic cases where k-means fails.

use crate::rng::SeededRng;

pub const PRESETS: [&str; 7] = [
    "blobs",
    "uniform",
    "smiley",
    "rings",
    "anisotropic",
    "unequal-variance",
    "uneven-sizes",
];

fn push_clamped(out: &mut Vec<f32>, x: f64, y: f64) {
    out.push(x.clamp(0.0, 1.0) as f32);
    out.push(y.clamp(0.0, 1.0) as f32);
}

fn gaussian(out: &mut Vec<f32>, rng: &mut SeededRng, n: usize, cx: f64, cy: f64, sx: f64, sy: f64) {
    for _ in 0..n {
        let (x, y) = (cx + sx * rng.normal(), cy + sy * rng.normal());
        push_clamped(out, x, y);
    }
}

fn blob_centers(rng: &mut SeededRng, count: usize) -> Vec<(f64, f64)> {
    // Rejection sampling keeps the blobs apart so that the "right" answer is visible.
    let mut centers: Vec<(f64, f64)> = Vec::new();
    let min_gap = 0.5 / (count as f64).sqrt();
    for _ in 0..count {
        let mut best = (0.5, 0.5);
        for attempt in 0..200 {
            let c = (0.15 + 0.7 * rng.next_f64(), 0.15 + 0.7 * rng.next_f64());
            best = c;
            let ok = centers
                .iter()
                .all(|p| ((p.0 - c.0).powi(2) + (p.1 - c.1).powi(2)).sqrt() > min_gap);
            if ok || attempt == 199 {
                break;
            }
        }
        centers.push(best);
    }
    centers
}

/// `n` points of the named preset (flat x,y pairs in [0,1]); `blobs` sets the number of
/// Gaussian blobs where the preset has blobs. Unknown names give `None`.
pub fn generate(name: &str, n: usize, blobs: usize, seed: u64) -> Option<Vec<f32>> {
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::with_capacity(2 * n);
    let blobs = blobs.clamp(1, 20);
    match name {
        "blobs" => {
            let centers = blob_centers(&mut rng, blobs);
            for i in 0..n {
                let (cx, cy) = centers[i % blobs];
                gaussian(&mut out, &mut rng, 1, cx, cy, 0.05, 0.05);
            }
        }
        "uniform" => {
            for _ in 0..n {
                push_clamped(&mut out, rng.next_f64(), rng.next_f64());
            }
        }
        "smiley" => {
            let parts = [0.55, 0.15, 0.15, 0.15];
            for _ in 0..n {
                let u = rng.next_f64();
                if u < parts[0] {
                    // The face outline.
                    let t = rng.next_f64() * std::f64::consts::TAU;
                    let r = 0.4 + 0.015 * rng.normal();
                    push_clamped(&mut out, 0.5 + r * t.cos(), 0.5 + r * t.sin());
                } else if u < parts[0] + parts[1] {
                    gaussian(&mut out, &mut rng, 1, 0.36, 0.38, 0.03, 0.03);
                } else if u < parts[0] + parts[1] + parts[2] {
                    gaussian(&mut out, &mut rng, 1, 0.64, 0.38, 0.03, 0.03);
                } else {
                    // The smile: an arc in the lower half (y grows downwards on screen).
                    let t = std::f64::consts::PI * (0.2 + 0.6 * rng.next_f64());
                    let r = 0.22 + 0.015 * rng.normal();
                    push_clamped(&mut out, 0.5 + r * t.cos(), 0.52 + r * t.sin());
                }
            }
        }
        "rings" => {
            for i in 0..n {
                let r = if i % 2 == 0 { 0.15 } else { 0.38 };
                let t = rng.next_f64() * std::f64::consts::TAU;
                let r = r + 0.02 * rng.normal();
                push_clamped(&mut out, 0.5 + r * t.cos(), 0.5 + r * t.sin());
            }
        }
        "anisotropic" => {
            // Blobs stretched by a shared linear map: k-means cuts them across.
            let centers = blob_centers(&mut rng, blobs);
            for i in 0..n {
                let (cx, cy) = centers[i % blobs];
                let (a, b) = (rng.normal() * 0.12, rng.normal() * 0.015);
                let (s, c) = (0.6f64.sin(), 0.6f64.cos());
                push_clamped(&mut out, cx + c * a - s * b, cy + s * a + c * b);
            }
        }
        "unequal-variance" => {
            let centers = blob_centers(&mut rng, blobs);
            for i in 0..n {
                let j = i % blobs;
                let (cx, cy) = centers[j];
                let s = [0.02, 0.1, 0.05][j % 3];
                gaussian(&mut out, &mut rng, 1, cx, cy, s, s);
            }
        }
        "uneven-sizes" => {
            // One big blob and small ones: k-means moves centers into the big one.
            let centers = blob_centers(&mut rng, blobs);
            for _ in 0..n {
                let j = if rng.next_f64() < 0.8 || blobs == 1 {
                    0
                } else {
                    1 + rng.below(blobs - 1)
                };
                let (cx, cy) = centers[j];
                let s = if j == 0 { 0.09 } else { 0.03 };
                gaussian(&mut out, &mut rng, 1, cx, cy, s, s);
            }
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_gives_n_points_in_the_unit_square_and_is_seeded() {
        for name in PRESETS {
            let a = generate(name, 501, 4, 3).unwrap();
            assert_eq!(a.len(), 1002, "{name}");
            assert!(a.iter().all(|v| (0.0..=1.0).contains(v)), "{name}");
            assert_eq!(a, generate(name, 501, 4, 3).unwrap(), "{name}");
            assert_ne!(a, generate(name, 501, 4, 4).unwrap(), "{name}");
        }
        assert!(generate("<script>", 10, 3, 1).is_none());
    }
}
