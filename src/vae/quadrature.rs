//! Gauss-Hermite quadrature for expectations under a standard normal.

/// Nodes and weights with E_{e ~ N(0, 1)}[f(e)] ~= sum_i w_i f(x_i), exact for polynomials of
/// degree < 2n; nodes ascending, weights summing to 1. (Newton's method on the orthonormal
/// Hermite polynomials, as in Numerical Recipes' `gauher`, then rescaled from the physicists'
/// weight e^{-t^2} to the standard normal.)
pub fn gauss_hermite(n: usize) -> (Vec<f64>, Vec<f64>) {
    let n = n.max(1);
    let pi_m4 = std::f64::consts::PI.powf(-0.25);
    let mut t = vec![0.0f64; n];
    let mut w = vec![0.0f64; n];
    let nf = n as f64;
    let mut z = 0.0f64;
    for i in 0..n.div_ceil(2) {
        z = match i {
            0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-1.0 / 6.0),
            1 => z - 1.14 * nf.powf(0.426) / z,
            2 => 1.86 * z - 0.86 * t[0],
            3 => 1.91 * z - 0.91 * t[1],
            _ => 2.0 * z - t[i - 2],
        };
        let mut pp = 1.0;
        for _ in 0..100 {
            let (mut p1, mut p2) = (pi_m4, 0.0f64);
            for j in 1..=n {
                let p3 = p2;
                p2 = p1;
                let jf = j as f64;
                p1 = z * (2.0 / jf).sqrt() * p2 - ((jf - 1.0) / jf).sqrt() * p3;
            }
            pp = (2.0 * nf).sqrt() * p2;
            let previous = z;
            z = previous - p1 / pp;
            if (z - previous).abs() <= 1e-14 {
                break;
            }
        }
        t[i] = z;
        t[n - 1 - i] = -z;
        w[i] = 2.0 / (pp * pp);
        w[n - 1 - i] = w[i];
    }
    let total: f64 = w.iter().sum();
    let mut pairs: Vec<(f64, f64)> = t
        .iter()
        .zip(&w)
        .map(|(&t, &w)| (t * std::f64::consts::SQRT_2, w / total))
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    pairs.into_iter().unzip()
}

#[cfg(test)]
mod tests {
    use super::gauss_hermite;

    #[test]
    fn moments_of_the_standard_normal_are_exact() {
        for n in 1..=16usize {
            let (x, w) = gauss_hermite(n);
            let moment = |k: i32| x.iter().zip(&w).map(|(x, w)| w * x.powi(k)).sum::<f64>();
            assert!((moment(0) - 1.0).abs() < 1e-12, "n {n}");
            assert!(moment(1).abs() < 1e-12, "n {n}");
            if n >= 2 {
                assert!((moment(2) - 1.0).abs() < 1e-10, "n {n}: {}", moment(2));
            }
            if n >= 3 {
                assert!((moment(4) - 3.0).abs() < 1e-9, "n {n}: {}", moment(4));
            }
            if n >= 4 {
                assert!((moment(6) - 15.0).abs() < 1e-8, "n {n}: {}", moment(6));
            }
            assert!(x.windows(2).all(|p| p[0] < p[1]));
        }
        // numpy.polynomial.hermite_e.hermegauss(3): nodes -sqrt(3), 0, sqrt(3), weights 1/6, 2/3, 1/6.
        let (x, w) = gauss_hermite(3);
        assert!((x[2] - 3f64.sqrt()).abs() < 1e-12 && (w[1] - 2.0 / 3.0).abs() < 1e-12);
    }
}
