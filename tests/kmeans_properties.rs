#![cfg(not(target_family = "wasm"))]
//! Property tests of k-means against its definition, on random data.

use genmodels::kmeans::{self, nearest, EmptyRule, Init, KMeans, KMeansError};
use genmodels::rng::SeededRng;
use proptest::prelude::*;

fn points(max_n: usize) -> impl Strategy<Value = Vec<f32>> {
    (1..max_n).prop_flat_map(|n| proptest::collection::vec(-100.0f32..100.0, 2 * n))
}

fn init_strategy() -> impl Strategy<Value = Init> {
    prop_oneof![
        Just(Init::RandomPositions),
        Just(Init::Forgy),
        Just(Init::RandomPartition),
        Just(Init::KMeansPlusPlus),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn assign_gives_every_point_its_nearest_center(coords in points(200), k in 1usize..12, init in init_strategy(), seed: u64) {
        let n = coords.len() / 2;
        prop_assume!(k <= n);
        let mut run = KMeans::new(2, coords.clone(), k, init, seed).unwrap();
        run.assign_step();
        for (i, &owner) in run.assignment().iter().enumerate() {
            let p = &coords[2 * i..2 * i + 2];
            let (_, best) = nearest(p, run.centers(), 2);
            let c = &run.centers()[2 * owner as usize..2 * owner as usize + 2];
            let mine = (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2);
            prop_assert!(mine <= best, "point {} owned by a center at {} > {}", i, mine, best);
        }
    }

    #[test]
    fn recenter_puts_every_nonempty_center_at_the_mean_of_its_points(coords in points(200), k in 1usize..12, init in init_strategy(), seed: u64) {
        let n = coords.len() / 2;
        prop_assume!(k <= n);
        let mut run = KMeans::new(2, coords.clone(), k, init, seed).unwrap();
        run.assign_step();
        let owners = run.assignment().to_vec();
        let report = run.recenter_step();
        for j in 0..k {
            let mine: Vec<usize> = (0..n).filter(|&i| owners[i] as usize == j).collect();
            if mine.is_empty() {
                prop_assert!(report.empty.contains(&j));
                continue;
            }
            for d in 0..2 {
                let mean = mine.iter().map(|&i| coords[2 * i + d] as f64).sum::<f64>() / mine.len() as f64;
                let got = run.centers()[2 * j + d] as f64;
                prop_assert!((got - mean).abs() <= 1e-3 * (1.0 + mean.abs()), "center {} dim {}: {} vs mean {}", j, d, got, mean);
            }
        }
    }

    #[test]
    fn the_objective_never_increases_over_half_steps(coords in points(300), k in 1usize..16, init in init_strategy(), seed: u64, jump in any::<bool>(), steps in 1usize..30) {
        let n = coords.len() / 2;
        prop_assume!(k <= n);
        let mut run = KMeans::new(2, coords, k, init, seed).unwrap();
        run.set_empty_rule(if jump { EmptyRule::JumpToFarthest } else { EmptyRule::Stay });
        for _ in 0..steps {
            run.half_step();
        }
        for w in run.objectives().windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + 1e-5) + 1e-6, "objective rose: {:?}", run.objectives());
        }
    }

    #[test]
    fn kmeans_plus_plus_picks_distinct_data_points(coords in points(100), k in 1usize..10, seed: u64) {
        let n = coords.len() / 2;
        prop_assume!(k <= n);
        let mut rng = SeededRng::new(seed);
        let centers = kmeans::kmeans_plus_plus(2, &coords, k, &mut rng);
        prop_assert_eq!(centers.len(), 2 * k);
        let mut idx = Vec::new();
        for c in centers.chunks_exact(2) {
            let i = coords.chunks_exact(2).position(|p| p == c);
            prop_assert!(i.is_some(), "center is not a data point");
            idx.push(c.to_vec());
        }
        let distinct_points = { let mut v: Vec<Vec<f32>> = coords.chunks_exact(2).map(|p| p.to_vec()).collect(); v.sort_by(|a, b| a.partial_cmp(b).unwrap()); v.dedup(); v.len() };
        let mut chosen = idx.clone();
        chosen.sort_by(|a, b| a.partial_cmp(b).unwrap());
        chosen.dedup();
        prop_assert_eq!(chosen.len(), k.min(distinct_points));
    }
}

/// Small integer coordinates, so that equal distances (ties) and duplicate points are common.
fn grid_points(max_n: usize, dim: usize) -> impl Strategy<Value = Vec<f32>> {
    (1..max_n)
        .prop_flat_map(move |n| proptest::collection::vec((-3i8..=3).prop_map(f32::from), dim * n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    // The fast paths (four points at a time for 2-D and 3-D, four centers at a time
    // otherwise) must give the scalar reference's answer exactly, ties included.
    #[test]
    fn fast_assign_matches_the_scalar_reference(
        // 1 to 20 centers, never more than there are points (that is an error, tested above).
        (dim, coords, centers) in (1usize..6).prop_flat_map(|dim| grid_points(3000, dim).prop_flat_map(move |coords| {
            let n = coords.len() / dim;
            (Just(dim), Just(coords), grid_points(n.min(20) + 1, dim))
        }))
    ) {
        let mut run = KMeans::with_centers(dim, coords.clone(), centers.clone()).unwrap();
        let report = run.assign_step();
        let lanes = kmeans::CenterLanes::new(&centers, dim);
        let mut total = 0.0f64;
        for (i, p) in coords.chunks_exact(dim).enumerate() {
            let (j, d) = nearest(p, &centers, dim);
            prop_assert_eq!(run.assignment()[i] as usize, j, "point {}", i);
            prop_assert_eq!(lanes.nearest(p), (j, d));
            total += d as f64;
        }
        prop_assert_eq!(report.objective, total);
    }

    #[test]
    fn kmeans_plus_plus_picks_distinct_points_in_any_dimension(
        (dim, coords) in (1usize..6).prop_flat_map(|dim| (Just(dim), grid_points(3000, dim))),
        k in 1usize..17,
        seed: u64,
    ) {
        let n = coords.len() / dim;
        prop_assume!(k <= n);
        let centers = kmeans::kmeans_plus_plus(dim, &coords, k, &mut SeededRng::new(seed));
        let mut chosen: Vec<&[f32]> = centers.chunks_exact(dim).collect();
        for c in &chosen {
            prop_assert!(coords.chunks_exact(dim).any(|p| p == *c), "center is not a data point");
        }
        let mut distinct: Vec<&[f32]> = coords.chunks_exact(dim).collect();
        distinct.sort_by(|a, b| a.partial_cmp(b).unwrap());
        distinct.dedup();
        chosen.sort_by(|a, b| a.partial_cmp(b).unwrap());
        chosen.dedup();
        prop_assert_eq!(chosen.len(), k.min(distinct.len()));
    }
}

#[test]
fn kmeans_plus_plus_samples_across_blocks_in_proportion_to_d_squared() {
    // 4,000 points at the origin and three others at distances 1, 2 and 3, in different
    // blocks of the sampler. Given a first center at the origin, the second is one of the
    // three with probabilities 1/14, 4/14, 9/14.
    let n = 4000;
    let mut coords = vec![0.0f32; 3 * n];
    let far = [(100, 1.0f32), (2000, 2.0), (3999, 3.0)];
    for &(i, r) in &far {
        coords[3 * i + 1] = r;
    }
    let mut counts = [0usize; 3];
    let mut draws = 0;
    for seed in 0..6_000u64 {
        let c = kmeans::kmeans_plus_plus(3, &coords, 2, &mut SeededRng::new(seed));
        if c[..3] == [0.0, 0.0, 0.0] {
            draws += 1;
            let which = far
                .iter()
                .position(|&(_, r)| c[4] == r)
                .expect("a far point");
            counts[which] += 1;
        }
    }
    let total = draws as f64;
    let chi2: f64 = counts
        .iter()
        .zip([1.0, 4.0, 9.0])
        .map(|(&o, w)| {
            let e = total * w / 14.0;
            (o as f64 - e).powi(2) / e
        })
        .sum();
    // Two degrees of freedom, p < 0.001.
    assert!(chi2 < 13.82, "chi2 {chi2}, counts {counts:?} of {draws}");
}

#[test]
fn kmeans_plus_plus_draws_the_second_center_with_probability_proportional_to_d_squared() {
    // Points at 0, 1, 3 on a line plus the first center fixed by a one-point trick: we
    // condition on the first pick being point 0 and count the second pick.
    let coords = vec![0.0f32, 0.0, 1.0, 0.0, 3.0, 0.0];
    let mut counts = [0usize; 3];
    let mut firsts = 0;
    for seed in 0..60_000u64 {
        let mut rng = SeededRng::new(seed);
        let c = kmeans::kmeans_plus_plus(2, &coords, 2, &mut rng);
        if c[0] == 0.0 {
            firsts += 1;
            let second = coords.chunks_exact(2).position(|p| p[0] == c[2]).unwrap();
            counts[second] += 1;
        }
    }
    assert_eq!(counts[0], 0, "the first center is never picked again");
    // Expected: D^2 = 1 and 9, so p = 0.1 and 0.9. Chi-square with 1 degree of freedom.
    let n = firsts as f64;
    let expected = [0.1 * n, 0.9 * n];
    let chi2: f64 = [counts[1], counts[2]]
        .iter()
        .zip(expected)
        .map(|(&o, e)| (o as f64 - e).powi(2) / e)
        .sum();
    assert!(
        chi2 < 10.83,
        "chi2 {chi2} (p < 0.001), counts {counts:?} of {firsts}"
    );
    assert!(
        (n / 60_000.0 - 1.0 / 3.0).abs() < 0.02,
        "first pick is uniform"
    );
}

#[test]
fn golden_run_for_a_fixed_seed() {
    let coords = kmeans::presets::generate("blobs", 300, 3, 11).unwrap();
    let mut run = KMeans::new(2, coords, 3, Init::RandomPositions, 5).unwrap();
    let f = run.run_to_convergence(100);
    assert!(run.converged());
    assert!(
        run.iterations() > 2,
        "the golden run should take several iterations"
    );
    // Recorded from this implementation; a change here means the algorithm or the seeded
    // data changed and must be explained.
    let rounded: Vec<f32> = run
        .centers()
        .iter()
        .map(|c| (c * 1e4).round() / 1e4)
        .collect();
    let golden = golden_centers();
    assert_eq!(
        rounded,
        golden,
        "objective {f}, iterations {}",
        run.iterations()
    );
}

fn golden_centers() -> Vec<f32> {
    let text = include_str!("golden/kmeans_blobs_300_k3_random_seed5.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn convergence_is_detected_and_stable() {
    let coords = kmeans::presets::generate("blobs", 1000, 4, 2).unwrap();
    let mut run = KMeans::new(2, coords, 4, Init::Forgy, 1).unwrap();
    run.run_to_convergence(500);
    assert!(run.converged());
    let centers = run.centers().to_vec();
    run.recenter_step();
    assert_eq!(run.centers(), &centers[..], "a converged run stays put");
    assert!(run.assign_step().converged);
}

#[test]
fn empty_clusters_follow_the_chosen_rule() {
    // Two tight groups, three centers, one of them far away: it owns nothing.
    let coords = vec![0.0, 0.0, 0.1, 0.0, 10.0, 0.0, 10.1, 0.0];
    let centers = vec![0.0, 0.0, 10.0, 0.0, 500.0, 500.0];
    let mut stay = KMeans::with_centers(2, coords.clone(), centers.clone()).unwrap();
    stay.set_empty_rule(EmptyRule::Stay);
    stay.assign_step();
    let r = stay.recenter_step();
    assert_eq!(r.empty, vec![2]);
    assert_eq!(&stay.centers()[4..], &[500.0, 500.0]);
    let mut jump = KMeans::with_centers(2, coords, centers).unwrap();
    jump.set_empty_rule(EmptyRule::JumpToFarthest);
    jump.assign_step();
    let r = jump.recenter_step();
    assert_eq!(r.empty, vec![2]);
    let c = &jump.centers()[4..];
    assert!(c == [0.0, 0.0] || c == [0.1, 0.0] || c == [10.0, 0.0] || c == [10.1, 0.0]);
}

/// At the largest accepted magnitude, F stays finite and every point goes to its own cluster.
#[test]
fn coordinates_at_the_limit_give_finite_objectives_and_right_owners() {
    let m = kmeans::MAX_COORDINATE;
    let points = vec![-m, -m, -m, -0.9 * m, m, m, 0.9 * m, m];
    let mut run = KMeans::with_centers(2, points, vec![-m, -m, m, m]).unwrap();
    let f = run.run_to_convergence(10);
    assert!(f.is_finite() && f > 0.0, "F = {f}");
    assert_eq!(run.assignment(), &[0, 0, 1, 1]);
}

#[test]
fn bad_inputs_are_reported() {
    assert_eq!(
        KMeans::new(2, vec![], 1, Init::Forgy, 0).err(),
        Some(KMeansError::NoPoints)
    );
    assert_eq!(
        KMeans::new(2, vec![0.0, 0.0], 2, Init::Forgy, 0).err(),
        Some(KMeansError::KAboveN { k: 2, n: 1 })
    );
    assert_eq!(
        KMeans::new(2, vec![f32::NAN, 0.0], 1, Init::Forgy, 0).err(),
        Some(KMeansError::NonFinite { index: 0 })
    );
    assert_eq!(
        KMeans::new(2, vec![0.0, f32::INFINITY, 1.0, 1.0], 1, Init::Forgy, 0).err(),
        Some(KMeansError::NonFinite { index: 0 })
    );
    // Huge but finite: refused (before, F became Infinity and owners were wrong).
    assert_eq!(
        KMeans::new(2, vec![0.0, 0.0, 3e19, 0.0], 1, Init::Forgy, 0).err(),
        Some(KMeansError::TooFar { index: 1 })
    );
    assert!(matches!(
        KMeans::with_centers(2, vec![0.0, 0.0], vec![-2e9, 0.0]),
        Err(KMeansError::BadCenters(_))
    ));
    assert!(matches!(
        KMeans::new(2, vec![0.0; 10], 1_000_000, Init::Forgy, 0),
        Err(KMeansError::BadK { .. })
    ));
    assert!(matches!(
        KMeans::new(2, vec![0.0; 3], 1, Init::Forgy, 0),
        Err(KMeansError::Ragged { .. })
    ));
    // All points identical: every initialisation still works and F is zero at the end.
    for init in [
        Init::RandomPositions,
        Init::Forgy,
        Init::RandomPartition,
        Init::KMeansPlusPlus,
    ] {
        let mut run = KMeans::new(2, vec![0.5; 20], 4, init, 3).unwrap();
        run.set_empty_rule(EmptyRule::JumpToFarthest);
        assert_eq!(run.run_to_convergence(50), 0.0);
    }
}

#[test]
fn restarts_keep_the_best_and_the_elbow_falls() {
    let coords = kmeans::presets::generate("blobs", 600, 4, 9).unwrap();
    let (best, _) = kmeans::best_of_restarts(
        2,
        &coords,
        4,
        Init::RandomPositions,
        1,
        8,
        EmptyRule::JumpToFarthest,
    )
    .unwrap();
    for s in 1..9 {
        let mut one = KMeans::new(2, coords.clone(), 4, Init::RandomPositions, s).unwrap();
        one.set_empty_rule(EmptyRule::JumpToFarthest);
        assert!(best <= one.run_to_convergence(300) + 1e-9);
    }
    let curve = kmeans::elbow(2, &coords, 10, Init::KMeansPlusPlus, 1, 3).unwrap();
    assert_eq!(curve.len(), 10);
    assert!(
        curve[3] < curve[0] / 5.0,
        "four blobs: a big drop by k = 4: {curve:?}"
    );
}

#[test]
fn colour_quantization_uses_only_palette_colours() {
    let mut rng = SeededRng::new(4);
    let rgba: Vec<u8> = (0..64 * 64)
        .flat_map(|_| {
            let base = [[200u8, 30, 30], [30, 200, 30], [30, 30, 200]][rng.below(3)];
            [
                base[0].saturating_add(rng.below(10) as u8),
                base[1],
                base[2],
                255,
            ]
        })
        .collect();
    let (palette, out, _) = kmeans::quantize_colors(&rgba, 3, 1, 50).unwrap();
    assert_eq!(palette.len(), 9);
    assert_eq!(out.len(), rgba.len());
    for px in out.chunks_exact(4) {
        assert!(palette.chunks_exact(3).any(|c| c == &px[..3]));
        assert_eq!(px[3], 255);
    }
    assert!(kmeans::quantize_colors(&rgba[..5], 3, 1, 5).is_err());
}

/// The page's default k-means link (`#kmeans`) must show the algorithm at work: at least five
/// iterations before convergence, F falling at each, ending at the best clustering that
/// k-means++ restarts find.
#[test]
fn the_default_link_takes_several_visible_iterations() {
    let settings = genmodels::urlstate::parse("kmeans", "");
    let int = |key: &str| {
        settings
            .int(key)
            .unwrap_or_else(|| panic!("{key} is not a whole number"))
    };
    let text = |key: &str| {
        settings
            .text(key)
            .unwrap_or_else(|| panic!("{key} is not text"))
    };
    let points = kmeans::presets::generate(
        text("preset"),
        int("n") as usize,
        int("blobs") as usize,
        int("seed") as u64,
    )
    .expect("a known preset");
    let init = Init::parse(text("init")).expect("a known initialisation");
    let k = int("k") as usize;
    let mut run = KMeans::new(2, points.clone(), k, init, int("seed") as u64).unwrap();
    let mut objectives = Vec::new();
    while !run.converged() && run.iterations() < 100 {
        run.lloyd_iteration();
        objectives.push(run.objective().unwrap());
    }
    let falls = objectives
        .windows(2)
        .take_while(|w| w[1] < w[0] * (1.0 - 1e-4))
        .count();
    assert!(
        falls >= 5,
        "F fell in only {falls} iterations: {objectives:?}"
    );
    let best = (0..20)
        .map(|s| {
            KMeans::new(2, points.clone(), k, Init::KMeansPlusPlus, s)
                .unwrap()
                .run_to_convergence(200)
        })
        .fold(f64::INFINITY, f64::min);
    let last = *objectives.last().unwrap();
    assert!(
        last <= best * 1.001,
        "the default run ends at F = {last}, restarts reach {best}"
    );
}

/// The elbow computed a few iterations at a time equals the one computed at once, whatever the
/// slice size, and its progress only grows.
#[test]
fn the_elbow_in_slices_equals_the_elbow_at_once() {
    let coords = kmeans::presets::generate("blobs", 800, 4, 9).unwrap();
    let whole = kmeans::elbow(2, &coords, 6, Init::KMeansPlusPlus, 3, 2).unwrap();
    for slice in [1, 3, 17] {
        let mut search =
            kmeans::ElbowSearch::new(2, coords.clone(), 6, Init::KMeansPlusPlus, 3, 2).unwrap();
        let mut last = 0.0;
        while !search.advance(slice).unwrap() {
            assert!(search.progress() >= last);
            last = search.progress();
        }
        assert_eq!(search.progress(), 1.0);
        assert_eq!(search.curve(), &whole[..]);
    }
    for k in 1..=6 {
        let (best, _) = kmeans::best_of_restarts(
            2,
            &coords,
            k,
            Init::KMeansPlusPlus,
            3,
            2,
            EmptyRule::JumpToFarthest,
        )
        .unwrap();
        assert_eq!(best, whole[k - 1]);
    }
}
