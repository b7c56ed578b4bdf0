use super::*;

fn numerical_gradient_check(cell: Cell) {
    let vocab = build_vocab("hello world").unwrap();
    let mut model = CharRnn::new(cell, vocab, 5, 3).unwrap();
    // Non-zero biases so that every path is exercised.
    for (i, b) in model.weights.b.iter_mut().enumerate() {
        *b += 0.05 * (i as f64).sin();
    }
    let inputs = model.encode("hello wor").unwrap();
    let targets = model.encode("ello worl").unwrap();
    let mut state = model.zero_state();
    state
        .h
        .iter_mut()
        .enumerate()
        .for_each(|(i, h)| *h = 0.1 * i as f64 - 0.2);
    state
        .c
        .iter_mut()
        .enumerate()
        .for_each(|(i, c)| *c = 0.05 * i as f64);
    let (_, grad, _) = model.loss_and_gradient(&inputs, &targets, &state);
    let eps = 1e-5;
    let mut worst: f64 = 0.0;
    for t in 0..5 {
        for i in 0..model.weights.tensors()[t].len() {
            let mut plus = model.clone();
            plus.weights.tensors_mut()[t][i] += eps;
            let mut minus = model.clone();
            minus.weights.tensors_mut()[t][i] -= eps;
            let lp = plus.loss_and_gradient(&inputs, &targets, &state).0;
            let lm = minus.loss_and_gradient(&inputs, &targets, &state).0;
            let numeric = (lp - lm) / (2.0 * eps);
            let analytic = grad.tensors()[t][i];
            // Relative error, floored so that finite-difference noise on tiny gradients is not counted.
            let rel = (numeric - analytic).abs() / (numeric.abs() + analytic.abs()).max(1e-3);
            worst = worst.max(rel);
            assert!(
                rel < 1e-5,
                "{cell:?} tensor {t} index {i}: numeric {numeric} analytic {analytic}"
            );
        }
    }
    assert!(worst > 0.0);
}

#[test]
fn bptt_gradient_matches_finite_differences_vanilla() {
    numerical_gradient_check(Cell::Vanilla);
}

#[test]
fn bptt_gradient_matches_finite_differences_lstm() {
    numerical_gradient_check(Cell::Lstm);
}

#[test]
fn vocabulary_is_in_order_of_first_appearance() {
    assert_eq!(build_vocab("hello").unwrap(), vec!['h', 'e', 'l', 'o']);
    let emoji = build_vocab("a👍🏽e\u{301}a").unwrap();
    assert_eq!(emoji, vec!['a', '👍', '🏽', 'e', '\u{301}']);
}

#[test]
fn golden_forward_pass_on_fixed_weights() {
    // The slide's network: 4 inputs, 3 hidden units, fixed weights chosen by hand.
    let mut model = CharRnn::new(Cell::Vanilla, vec!['h', 'e', 'l', 'o'], 3, 0).unwrap();
    model.weights.w_x = (0..12).map(|i| (i as f64 - 6.0) / 10.0).collect();
    model.weights.w_h = (0..9).map(|i| (i as f64 - 4.0) / 20.0).collect();
    model.weights.b = vec![0.1, -0.1, 0.0];
    model.weights.w_y = (0..12).map(|i| ((i * 7 % 12) as f64 - 5.5) / 8.0).collect();
    model.weights.b_y = vec![0.0, 0.1, 0.2, 0.3];
    let (trace, _) = model.trace(&[0, 1], &[1, 2], &model.zero_state());
    // h1 = tanh(W_x[:,0] + b): column 0 of W_x is (-0.6, -0.2, 0.2).
    let h1 = [
        (-0.6f64 + 0.1).tanh(),
        (-0.2f64 - 0.1).tanh(),
        0.2f64.tanh(),
    ];
    for (a, b) in trace[0].hidden.iter().zip(h1) {
        assert!((a - b).abs() < 1e-12);
    }
    // y1 = W_y h1 + b_y, row k of W_y = ((7*(3k+j) mod 12) - 5.5) / 8.
    for k in 0..4 {
        let want: f64 = (0..3)
            .map(|j| (((3 * k + j) * 7 % 12) as f64 - 5.5) / 8.0 * h1[j])
            .sum::<f64>()
            + model.weights.b_y[k];
        assert!((trace[0].scores[k] - want).abs() < 1e-12);
    }
    let p: f64 = trace[0].probs.iter().sum();
    assert!((p - 1.0).abs() < 1e-12);
    assert!((trace[0].loss.unwrap() + trace[0].probs[1].ln()).abs() < 1e-12);
    // Second step, computed independently in Python:
    // tanh(W_x[:,1] + W_h h1 + b) with the same hand-picked weights.
    let h2: Vec<f64> = trace[1]
        .hidden
        .iter()
        .map(|x| (x * 1e6).round() / 1e6)
        .collect();
    assert_eq!(h2, vec![-0.27625, -0.165489, 0.244511]);
}

#[test]
fn hello_converges_and_greedy_sampling_from_h_spells_hello() {
    for cell in [Cell::Vanilla, Cell::Lstm] {
        let text = "hello";
        let model = CharRnn::new(cell, build_vocab(text).unwrap(), 3, 42).unwrap();
        let mut trainer = Trainer::new(model, text, 4, Optimizer::Adagrad).unwrap();
        let mut iterations = 0;
        while trainer.full_text_loss() >= 0.05 {
            trainer.train_iteration().unwrap();
            iterations += 1;
            assert!(iterations < 20_000, "{cell:?} did not converge");
        }
        let out = trainer.model.generate('h', 4, 1.0, true, 0).unwrap();
        assert_eq!(out, "hello", "{cell:?} after {iterations} iterations");
    }
}

#[test]
fn adam_also_trains_hello() {
    let model = CharRnn::new(Cell::Vanilla, build_vocab("hello").unwrap(), 8, 1).unwrap();
    let mut trainer = Trainer::new(model, "hello", 4, Optimizer::Adam).unwrap();
    let first = trainer.full_text_loss();
    for _ in 0..500 {
        trainer.train_iteration().unwrap();
    }
    assert!(trainer.full_text_loss() < first / 10.0);
}

#[test]
fn bad_inputs_give_errors_not_panics() {
    assert_eq!(build_vocab(""), Err(RnnError::EmptyText));
    assert_eq!(build_vocab("a"), Err(RnnError::OneCharacter));
    assert!(matches!(
        build_vocab(&"x".repeat(MAX_TEXT_BYTES + 1)),
        Err(RnnError::TextTooLong { .. })
    ));
    let big: String = (0..600u32)
        .filter_map(|i| char::from_u32(0x4E00 + i))
        .collect();
    assert!(matches!(
        build_vocab(&big),
        Err(RnnError::VocabTooLarge { .. })
    ));
    assert!(matches!(
        CharRnn::new(Cell::Vanilla, vec!['a', 'b'], 0, 0),
        Err(RnnError::BadHidden { .. })
    ));
    assert!(matches!(
        CharRnn::new(Cell::Vanilla, vec!['a', 'b'], 10_000, 0),
        Err(RnnError::BadHidden { .. })
    ));
    let model = CharRnn::new(Cell::Vanilla, vec!['a', 'b'], 4, 0).unwrap();
    assert_eq!(
        Trainer::new(model.clone(), "abc", 4, Optimizer::Adagrad).err(),
        Some(RnnError::VocabMismatch('c'))
    );
    assert!(model.generate('a', 3, 0.0, false, 0).is_err());
    assert!(model.generate('z', 3, 1.0, false, 0).is_err());
    // "aa": two characters, one symbol: trainable.
    let model = CharRnn::new(Cell::Vanilla, build_vocab("aa").unwrap(), 2, 0).unwrap();
    assert!(Trainer::new(model, "aa", 25, Optimizer::Adagrad).is_ok());
}

#[test]
fn weights_round_trip_and_corrupt_files_are_rejected() {
    let model = CharRnn::new(Cell::Lstm, build_vocab("héllo 👋").unwrap(), 6, 9).unwrap();
    let json = model.to_json();
    assert_eq!(CharRnn::from_json(&json).unwrap(), model);
    assert!(CharRnn::from_json("not json").is_err());
    assert!(CharRnn::from_json(&json[..json.len() / 2]).is_err());
    let wrong_shape = json.replacen("\"hidden\":6", "\"hidden\":7", 1);
    assert!(matches!(
        CharRnn::from_json(&wrong_shape),
        Err(RnnError::BadWeights(_))
    ));
    let wrong_format = json.replacen("genmodels-charrnn/1", "other/9", 1);
    assert!(CharRnn::from_json(&wrong_format).is_err());
    // Finite but huge: before, such a file loaded and training turned it into NaN.
    let mut huge = model.clone();
    huge.weights.w_h[3] = 1e300;
    let err = CharRnn::from_json(&huge.to_json()).unwrap_err();
    assert!(
        err.to_string().contains("w_h holds a weight beyond"),
        "{err}"
    );
}

#[test]
fn a_model_that_is_not_finite_stops_training_with_an_error_and_changes_nothing() {
    let mut model = CharRnn::new(Cell::Vanilla, build_vocab("hello").unwrap(), 4, 1).unwrap();
    model.weights.w_y[0] = f64::NAN;
    let mut trainer = Trainer::new(model, "hello", 4, Optimizer::Adam).unwrap();
    let before = trainer.model.clone();
    assert!(matches!(trainer.train_iteration(), Err(RnnError::Diverged)));
    assert_eq!(trainer.iterations, 0);
    assert!(trainer.losses.is_empty());
    assert_eq!(format!("{:?}", trainer.model), format!("{before:?}"));
    // The full-text loss says NaN instead of a large finite number.
    assert!(trainer.full_text_loss().is_nan());
}

#[test]
fn sampling_is_seeded_and_greedy_takes_the_argmax() {
    let mut rng = SeededRng::new(5);
    let (probs, pick) = CharRnn::sample_from(&[0.0, 3.0, 1.0], 1.0, true, &mut rng);
    assert_eq!(pick, 1);
    assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let cold = softmax(&[0.0, 1.0], 0.1);
    let hot = softmax(&[0.0, 1.0], 10.0);
    assert!(cold[1] > 0.99 && hot[1] < 0.6);
    let model = CharRnn::new(Cell::Vanilla, build_vocab("abcdef").unwrap(), 5, 2).unwrap();
    assert_eq!(
        model.generate('a', 30, 1.0, false, 7),
        model.generate('a', 30, 1.0, false, 7)
    );
}

#[test]
fn the_full_text_loss_streams_and_equals_the_recorded_pass() {
    let text = "the quick brown fox jumps over the lazy dog. ".repeat(20);
    for cell in [Cell::Vanilla, Cell::Lstm] {
        let model = CharRnn::new(cell, build_vocab(&text).unwrap(), 16, 3).unwrap();
        let trainer = Trainer::new(model, &text, 25, Optimizer::Adagrad).unwrap();
        let ids: Vec<usize> = text
            .chars()
            .map(|c| trainer.model.vocab.iter().position(|&v| v == c).unwrap())
            .collect();
        let (recorded, _, _) = trainer.model.loss_and_gradient(
            &ids[..ids.len() - 1],
            &ids[1..],
            &trainer.model.zero_state(),
        );
        let streamed = trainer.full_text_loss();
        assert!(
            (streamed - recorded / (ids.len() - 1) as f64).abs() < 1e-12,
            "{cell:?}"
        );
    }
}
