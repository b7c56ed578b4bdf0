use super::data::RealDistribution;
use super::divergence::*;
use super::mlp::{Mlp, Tape};
use super::*;

/// Mean loss of a batch through D only (points -> D -> loss), in f64.
fn d_loss(d: &Mlp<f64>, points: &[f64], real: usize, loss: GeneratorLoss) -> f64 {
    let out = d.outputs(points, points.len() / 2);
    out.iter()
        .enumerate()
        .map(|(i, &o)| discriminator_loss_at(loss, o, i < real).0)
        .sum::<f64>()
        / out.len() as f64
}

/// Mean generator loss of noise -> G -> D -> loss, in f64.
fn g_loss(g: &Mlp<f64>, d: &Mlp<f64>, noise: &[f64], loss: GeneratorLoss) -> f64 {
    let n = noise.len() / g.input_width();
    let points = g.outputs(noise, n);
    d.outputs(&points, n)
        .iter()
        .map(|&o| generator_loss_at(loss, o).0)
        .sum::<f64>()
        / n as f64
}

fn networks(seed: u64) -> (Mlp<f64>, Mlp<f64>, Vec<f64>, Vec<f64>) {
    let mut rng = SeededRng::new(seed);
    // Leaky ReLU in both, so that no unit sits exactly on a kink; tiny widths keep it quick.
    let g = Mlp::<f64>::new(&[2, 6, 5, 2], 0.1, &mut rng);
    let d = Mlp::<f64>::new(&[2, 7, 4, 1], 0.2, &mut rng);
    let noise: Vec<f64> = (0..12).map(|_| rng.normal()).collect();
    let points: Vec<f64> = (0..16).map(|_| rng.next_f64()).collect();
    (g, d, noise, points)
}

fn assert_close(analytic: f64, numeric: f64, what: &str) {
    let err = (analytic - numeric).abs() / (1e-6 + analytic.abs().max(numeric.abs()));
    assert!(
        err < 1e-4 || (analytic - numeric).abs() < 1e-8,
        "{what}: analytic {analytic}, numeric {numeric}"
    );
}

#[test]
fn discriminator_gradients_match_finite_differences_for_every_loss() {
    for loss in [
        GeneratorLoss::Minimax,
        GeneratorLoss::NonSaturating,
        GeneratorLoss::LeastSquares,
    ] {
        let (_, d, _, points) = networks(3);
        let real = 4;
        let n = points.len() / 2;
        let mut tape = Tape::default();
        d.forward(&points, n, &mut tape);
        let grad: Vec<f64> = tape
            .output
            .iter()
            .enumerate()
            .map(|(i, &o)| discriminator_loss_at(loss, o, i < real).1 / n as f64)
            .collect();
        let mut grads = vec![0.0; d.params.len()];
        let input_grad = d.backward(&mut tape, &grad, Some(&mut grads));
        let h = 1e-6;
        for p in 0..d.params.len() {
            let (mut up, mut down) = (d.clone(), d.clone());
            up.params[p] += h;
            down.params[p] -= h;
            let numeric =
                (d_loss(&up, &points, real, loss) - d_loss(&down, &points, real, loss)) / (2.0 * h);
            assert_close(grads[p], numeric, &format!("{loss:?} D parameter {p}"));
        }
        for i in 0..points.len() {
            let (mut up, mut down) = (points.clone(), points.clone());
            up[i] += h;
            down[i] -= h;
            let numeric = (d_loss(&d, &up, real, loss) - d_loss(&d, &down, real, loss)) / (2.0 * h);
            assert_close(input_grad[i], numeric, &format!("{loss:?} D input {i}"));
        }
    }
}

#[test]
fn generator_gradients_through_the_discriminator_match_finite_differences() {
    for loss in [
        GeneratorLoss::Minimax,
        GeneratorLoss::NonSaturating,
        GeneratorLoss::LeastSquares,
    ] {
        let (g, d, noise, _) = networks(5);
        let n = noise.len() / 2;
        let mut g_tape = Tape::default();
        g.forward(&noise, n, &mut g_tape);
        let points = g_tape.output.clone();
        let mut d_tape = Tape::default();
        d.forward(&points, n, &mut d_tape);
        let grad: Vec<f64> = d_tape
            .output
            .iter()
            .map(|&o| generator_loss_at(loss, o).1 / n as f64)
            .collect();
        let point_grad = d.backward(&mut d_tape, &grad, None);
        let mut grads = vec![0.0; g.params.len()];
        g.backward(&mut g_tape, &point_grad, Some(&mut grads));
        let h = 1e-6;
        for p in 0..g.params.len() {
            let (mut up, mut down) = (g.clone(), g.clone());
            up.params[p] += h;
            down.params[p] -= h;
            let numeric =
                (g_loss(&up, &d, &noise, loss) - g_loss(&down, &d, &noise, loss)) / (2.0 * h);
            assert_close(grads[p], numeric, &format!("{loss:?} G parameter {p}"));
        }
    }
}

#[test]
fn minimax_gradient_vanishes_as_the_discriminator_rejects_and_non_saturating_does_not() {
    for logit in [-4.0f64, -8.0, -16.0] {
        let d = sigmoid(logit);
        let minimax = generator_loss_at(GeneratorLoss::Minimax, logit).1.abs();
        let non_saturating = generator_loss_at(GeneratorLoss::NonSaturating, logit)
            .1
            .abs();
        // d/dlogit log(1 - D) = -D: as small as D(G(z)) itself; -log D gives -(1 - D), about 1.
        assert!((minimax - d).abs() < 1e-12, "minimax {minimax} vs D {d}");
        assert!(non_saturating > 0.98, "non-saturating {non_saturating}");
    }
    assert!(generator_loss_at(GeneratorLoss::Minimax, -16.0f64).1.abs() < 1e-6);
    // The loss plot's curves say the same.
    let (_, slope_mm) = GeneratorLoss::Minimax.of_d(1e-4);
    let (_, slope_ns) = GeneratorLoss::NonSaturating.of_d(1e-4);
    assert!(slope_mm.abs() < 1e-3 && slope_ns.abs() > 0.99);
}

#[test]
fn fresh_real_samples_score_a_near_zero_js_and_kl_is_never_negative() {
    for name in ["one", "two", "ring", "line", "spiral"] {
        let real = RealDistribution::preset(name, &[]).unwrap();
        let p = real_cell_probabilities(&real, 30);
        assert!(
            (p.iter().sum::<f64>() - 1.0).abs() < 1e-6,
            "{name}: cells sum to {}",
            p.iter().sum::<f64>()
        );
        let mut rng = SeededRng::new(9);
        let mut points = Vec::new();
        real.sample(20_000, &mut rng, &mut points);
        let d = divergences(&p, &cell_counts(&points, 30));
        assert!(d.js <= 0.01, "{name}: JS {}", d.js);
        assert!(d.kl >= 0.0 && d.kl.is_finite(), "{name}: KL {}", d.kl);
    }
}

#[test]
fn a_generator_that_leaves_cells_empty_or_throws_points_out_gets_finite_honest_scores() {
    let real = RealDistribution::preset("two", &[]).unwrap();
    let p = real_cell_probabilities(&real, 30);
    // Every point on one of the two modes: half the real mass is missed.
    let collapsed: Vec<f32> = (0..10_000).flat_map(|_| [0.3f32, 0.3]).collect();
    let d = divergences(&p, &cell_counts(&collapsed, 30));
    assert!(d.kl.is_finite() && d.kl > 1.0, "KL {}", d.kl);
    assert!(d.js > 0.3 && d.js <= std::f64::consts::LN_2, "JS {}", d.js);
    // Every point outside the square: nothing in common with the data, JS at its maximum.
    let outside: Vec<f32> = (0..1000).flat_map(|_| [1.5f32, -0.5]).collect();
    let d = divergences(&p, &cell_counts(&outside, 30));
    assert_eq!(d.outside, 1.0);
    assert!((d.js - std::f64::consts::LN_2).abs() < 1e-3, "JS {}", d.js);
    // Half outside costs as much as half of the points in the wrong place would.
    let mut rng = SeededRng::new(4);
    let mut half = Vec::new();
    real.sample(5000, &mut rng, &mut half);
    half.extend(std::iter::repeat_n([2.0f32, 2.0], 5000).flatten());
    let d = divergences(&p, &cell_counts(&half, 30));
    assert!(d.js > 0.2, "JS {}", d.js);
    // NaN points count as outside, never panic.
    let nan = vec![f32::NAN; 20];
    assert_eq!(divergences(&p, &cell_counts(&nan, 30)).outside, 1.0);
}

#[test]
fn optimal_discriminator_matches_its_formula_on_known_densities() {
    // p_g is a known Gaussian; the KDE of many of its samples should give D* close to
    // p_data / (p_data + p_g) computed exactly.
    let real = RealDistribution::preset("one", &[]).unwrap();
    let generated_dist = RealDistribution {
        components: vec![data::Component {
            x: 0.6,
            y: 0.45,
            sigma: 0.12,
            weight: 1.0,
        }],
        modes: vec![],
        mode_sigma: 0.12,
    };
    let mut rng = SeededRng::new(2);
    let mut points = Vec::new();
    generated_dist.sample(40_000, &mut rng, &mut points);
    let side = 32;
    let d_star = optimal_discriminator(&real, &points, side);
    let mut checked = 0;
    for r in 0..side {
        for c in 0..side {
            let (x, y) = (
                (c as f64 + 0.5) / side as f64,
                (r as f64 + 0.5) / side as f64,
            );
            let (p, q) = (real.density(x, y), generated_dist.density(x, y));
            if p + q < 2.0 {
                continue; // the tails, where a KDE is unreliable
            }
            let exact = optimal_from_densities(p, q);
            assert!(
                (d_star[r * side + c] - exact).abs() < 0.05,
                "at ({x:.2}, {y:.2}): {} vs {exact}",
                d_star[r * side + c]
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} cells checked");
    // Equal densities give 1/2; data only gives 1.
    assert_eq!(optimal_from_densities(1.0, 1.0), 0.5);
    assert_eq!(optimal_from_densities(3.0, 0.0), 1.0);
}

#[test]
fn kde_integrates_to_one_inside_and_mode_readout_counts_modes() {
    let real = RealDistribution::preset("ring", &[]).unwrap();
    let mut rng = SeededRng::new(1);
    let mut points = Vec::new();
    real.sample(8000, &mut rng, &mut points);
    let grid = kde_grid(&points, 40, 0.02);
    let mass: f64 = grid.iter().sum::<f64>() / (40.0 * 40.0);
    assert!((mass - 1.0).abs() < 0.02, "mass {mass}");
    let shares = mode_shares(&real, &points).unwrap();
    assert_eq!(shares.covered, 8);
    // Collapsed onto two of the eight modes.
    let collapsed: Vec<f32> = points
        .chunks_exact(2)
        .enumerate()
        .flat_map(|(i, _)| {
            if i % 2 == 0 {
                [0.82f32, 0.5]
            } else {
                [0.5f32, 0.82]
            }
        })
        .collect();
    assert_eq!(mode_shares(&real, &collapsed).unwrap().covered, 2);
}

fn run(name: &str, seed: u64, iterations: usize) -> Gan {
    let config = GanConfig {
        seed,
        ..GanConfig::default()
    };
    let mut gan = Gan::new(config, RealDistribution::preset(name, &[]).unwrap()).unwrap();
    gan.iterate(iterations).unwrap();
    gan
}

#[test]
fn the_same_seed_gives_the_same_run_at_any_speed() {
    let a = run("two", 7, 60);
    let config = GanConfig {
        seed: 7,
        ..GanConfig::default()
    };
    let mut b = Gan::new(config, RealDistribution::preset("two", &[]).unwrap()).unwrap();
    // Half-steps one at a time, then frames of 3 and 11 iterations.
    for _ in 0..10 {
        b.half_step().unwrap();
    }
    b.iterate(3).unwrap();
    for _ in 0..4 {
        b.iterate(11).unwrap();
    }
    b.iterate(8).unwrap();
    assert_eq!(b.iteration, 60);
    assert_eq!(a.generator_params(), b.generator_params());
    assert_eq!(a.discriminator_params(), b.discriminator_params());
    let c = run("two", 8, 60);
    assert_ne!(a.generator_params(), c.generator_params());
}

/// The page trains in a Web Worker and draws from the states it sends back: a run moved
/// through `save_state`/`restore_state` (mid-iteration too, history sent in pieces) goes on
/// exactly as one that never moved.
#[test]
fn a_run_moved_through_its_state_goes_on_with_the_same_numbers() {
    let fresh = |seed| {
        let config = GanConfig {
            seed,
            d_steps: 2,
            ..GanConfig::default()
        };
        Gan::new(config, RealDistribution::preset("ring", &[]).unwrap()).unwrap()
    };
    let mut whole = fresh(5);
    whole.iterate(140).unwrap();
    whole.half_step().unwrap();
    whole.iterate(30).unwrap();

    let mut page = fresh(5);
    let mut worker = fresh(5);
    worker.restore_state(&page.save_state(0)).unwrap();
    for chunk in [40, 100] {
        worker.iterate(chunk).unwrap();
        let from = page.history.len();
        page.restore_state(&worker.save_state(from)).unwrap();
    }
    page.half_step().unwrap(); // a half-step on the page, between two runs
    let mut worker = fresh(5);
    worker.restore_state(&page.save_state(0)).unwrap();
    worker.iterate(30).unwrap();
    page.restore_state(&worker.save_state(page.history.len()))
        .unwrap();

    assert_eq!(page.iteration, whole.iteration);
    assert_eq!(page.phase, whole.phase);
    assert_eq!(page.generator_params(), whole.generator_params());
    assert_eq!(page.discriminator_params(), whole.discriminator_params());
    assert_eq!(page.history.len(), whole.history.len());
    for (a, b) in page.history.iter().zip(&whole.history) {
        assert_eq!(a.iteration, b.iteration);
        assert_eq!(a.g_loss.to_bits(), b.g_loss.to_bits());
        assert_eq!(
            a.divergences.as_ref().map(|d| d.js.to_bits()),
            b.divergences.as_ref().map(|d| d.js.to_bits())
        );
    }
    // And both go on alike.
    page.iterate(5).unwrap();
    whole.iterate(5).unwrap();
    assert_eq!(page.generator_params(), whole.generator_params());
}

#[test]
fn a_state_that_is_cut_short_corrupt_or_from_other_settings_is_refused_and_changes_nothing() {
    let mut source = run("two", 3, 20);
    source.diverged = Some("a message that travels".into());
    let bytes = source.save_state(0);
    let mut target = run("two", 4, 7);
    let before = target.save_state(0);
    for cut in [0, 3, 4, 12, 30, bytes.len() / 2, bytes.len() - 1] {
        let e = target.restore_state(&bytes[..cut]).unwrap_err();
        assert!(!e.is_empty());
        assert_eq!(target.save_state(0), before, "cut at {cut} changed the run");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(target
        .restore_state(&longer)
        .unwrap_err()
        .contains("after its end"));
    let mut bad_magic = bytes.clone();
    bad_magic[0] = b'X';
    assert!(target
        .restore_state(&bad_magic)
        .unwrap_err()
        .contains("GAN1"));
    let wider = GanConfig {
        generator_hidden: vec![16, 16],
        ..GanConfig::default()
    };
    let mut other = Gan::new(wider, RealDistribution::preset("two", &[]).unwrap()).unwrap();
    assert!(other
        .restore_state(&bytes)
        .unwrap_err()
        .contains("other settings"));
    // A history continued from a row this run does not have yet.
    let mut short = Gan::new(
        GanConfig::default(),
        RealDistribution::preset("two", &[]).unwrap(),
    )
    .unwrap();
    let e = short.restore_state(&source.save_state(15)).unwrap_err();
    assert!(e.contains("row 15"), "{e}");
    assert_eq!(target.save_state(0), before);
    target.restore_state(&bytes).unwrap();
    assert_eq!(target.save_state(0), bytes);
    assert_eq!(target.diverged.as_deref(), Some("a message that travels"));
}

/// Two equal Gaussians with the defaults, at iteration 3,000 (when the rates reach 0): the
/// issue's targets, JS <= 0.06 with seed 1 and <= 0.08 with seeds 2 and 3 (reached: 0.0595,
/// 0.0706, 0.0751), each Gaussian holding 40 to 60% of the points; one Gaussian <= 0.05.
#[test]
fn defaults_learn_two_gaussians_and_one() {
    for (seed, limit) in [(1, 0.06), (2, 0.08), (3, 0.08)] {
        let gan = run("two", seed, 3000);
        let js = gan.divergences().js;
        let shares = gan.mode_shares().unwrap().nearest;
        eprintln!("two Gaussians, seed {seed}: JS {js:.4}, shares {shares:?}");
        assert!(js <= limit, "seed {seed}: JS {js} above {limit}");
        assert!(
            shares.iter().all(|s| (0.4..=0.6).contains(s)),
            "seed {seed}: shares {shares:?}"
        );
    }
    let gan = run("one", 1, 3000);
    let js = gan.divergences().js;
    eprintln!("one Gaussian: JS {js:.4}");
    assert!(js <= 0.05, "one Gaussian: JS {js}");
}

#[test]
fn bad_settings_are_refused_with_a_sentence_and_a_divergent_run_stops() {
    for lr in [f64::NAN, -1e-3, 0.0, 50.0, f64::INFINITY] {
        let config = GanConfig {
            lr_generator: lr,
            ..GanConfig::default()
        };
        let e = Gan::new(config, RealDistribution::preset("one", &[]).unwrap())
            .err()
            .unwrap();
        assert!(e.contains("learning rate"), "{e}");
    }
    let e = RealDistribution::preset("drawn", &[[0.5, 0.5]])
        .err()
        .unwrap();
    assert!(e.contains("at least two"), "{e}");
    assert!(RealDistribution::preset("drawn", &[[0.5, 0.5], [2.0, 0.5]]).is_err());
    assert!(RealDistribution::preset("nonsense", &[]).is_err());
    // Plain gradient descent at the largest rate with least squares blows up.
    let config = GanConfig {
        optimizer: OptimizerKind::Sgd,
        loss: GeneratorLoss::LeastSquares,
        lr_generator: 1.0,
        lr_discriminator: 1.0,
        decay: 0,
        ..GanConfig::default()
    };
    let mut gan = Gan::new(config, RealDistribution::preset("two", &[]).unwrap()).unwrap();
    let e = gan.iterate(200).expect_err("the run should diverge");
    assert!(e.contains("diverged"), "{e}");
    assert!(gan.diverged.is_some());
    assert!(
        gan.half_step().is_err(),
        "a diverged run refuses to go on until reset"
    );
}

/// Not a test: a sweep for choosing defaults (`GAN_SWEEP=1 cargo test --lib sweep -- --ignored --nocapture`).
#[test]
#[ignore]
fn sweep() {
    let env = |k: &str, d: f64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let data = std::env::var("DATA").unwrap_or("two".into());
    for seed in 1..=3 {
        let config = GanConfig {
            seed,
            lr_generator: env("LRG", 2e-3),
            lr_discriminator: env("LRD", 3e-3),
            beta1: env("BETA1", 0.0),
            generator_hidden: vec![env("GW", 32.0) as usize; env("GL", 3.0) as usize],
            discriminator_hidden: vec![env("DW", 32.0) as usize; env("DL", 3.0) as usize],
            decay: env("DECAY", 3000.0) as usize,
            d_steps: env("K", 2.0) as usize,
            noise: if env("UNIFORM", 0.0) > 0.0 {
                Noise::Uniform
            } else {
                Noise::Gaussian
            },
            ..GanConfig::default()
        };
        let mut gan = Gan::new(config, RealDistribution::preset(&data, &[]).unwrap()).unwrap();
        let t = std::time::Instant::now();
        let iters = env("ITERS", 3000.0) as usize;
        gan.iterate(iters).unwrap();
        let js: Vec<String> = gan
            .history
            .iter()
            .filter_map(|r| r.divergences.as_ref().map(|d| format!("{:.3}", d.js)))
            .collect();
        eprintln!(
            "seed {seed}: JS {:.4} shares {:?} ({:.1} s) last: {}",
            gan.divergences().js,
            gan.mode_shares().map(|m| m.nearest),
            t.elapsed().as_secs_f64(),
            js[js.len().saturating_sub(8)..].join(" ")
        );
    }
}
