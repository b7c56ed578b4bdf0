/* @ts-self-types="./genmodels.d.ts" */

/**
 * The benchmark workloads of `bench.rs`, for timing with performance.now() in the page.
 */
export class BenchWorkload {
    static __wrap(ptr) {
        const obj = Object.create(BenchWorkload.prototype);
        obj.__wbg_ptr = ptr;
        BenchWorkloadFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        BenchWorkloadFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_benchworkload_free(ptr, 0);
    }
    /**
     * @returns {string}
     */
    static englishText() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.benchworkload_englishText();
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * k-means on `n` blob points, k = 16.
     * @param {number} n
     * @returns {BenchWorkload}
     */
    static kmeans(n) {
        const ret = wasm.benchworkload_kmeans(n);
        return BenchWorkload.__wrap(ret);
    }
    lloydIteration() {
        wasm.benchworkload_lloydIteration(this.__wbg_ptr);
    }
    /**
     * min-char-rnn's setting on 1 kB of English.
     * @returns {BenchWorkload}
     */
    static minCharRnn() {
        const ret = wasm.benchworkload_minCharRnn();
        return BenchWorkload.__wrap(ret);
    }
    /**
     * @returns {Uint8Array}
     */
    static testImage() {
        const ret = wasm.benchworkload_testImage();
        return ret;
    }
    /**
     * Trains "hello" below 0.05 loss per character; returns the iterations it took.
     * @returns {number}
     */
    static trainHello() {
        const ret = wasm.benchworkload_trainHello();
        return ret >>> 0;
    }
    /**
     * Trains `iterations` iterations; returns the characters processed.
     * @param {number} iterations
     * @returns {number}
     */
    train(iterations) {
        const ret = wasm.benchworkload_train(this.__wbg_ptr, iterations);
        return ret >>> 0;
    }
}
if (Symbol.dispose) BenchWorkload.prototype[Symbol.dispose] = BenchWorkload.prototype.free;

export class DensityDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        DensityDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_densitydemo_free(ptr, 0);
    }
    /**
     * Accuracy of the three classifiers on the held-out and the training points.
     * @returns {any}
     */
    accuracies() {
        const ret = wasm.densitydemo_accuracies(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Adds one point (a training point, or a held-out one); `label` is its class in the
     * classification part (ignored otherwise). In 1-D, y is ignored.
     * @param {number} x
     * @param {number} y
     * @param {boolean} held_out
     * @param {number} label
     */
    addPoint(x, y, held_out, label) {
        const ret = wasm.densitydemo_addPoint(this.__wbg_ptr, x, y, held_out, label);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Per class of the "naive" or "full" classifier: prior, mean x, mean y, then its 1-sigma
     * ellipse (major radius, minor radius, angle).
     * @param {string} which
     * @returns {Float64Array}
     */
    classGaussians(which) {
        const ptr0 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.densitydemo_classGaussians(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * `count` points drawn from each class of the "naive" or "full" Gaussian classifier:
     * flat (x, y, class) triples.
     * @param {string} which
     * @param {number} count
     * @param {any} seed
     * @returns {Float32Array}
     */
    classSamples(which, count, seed) {
        const val2 = +count;
        const ptr0 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.densitydemo_classSamples(this.__wbg_ptr, ptr0, len0, val2, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {number}
     */
    classes() {
        const ret = wasm.densitydemo_classes(this.__wbg_ptr);
        return ret >>> 0;
    }
    clear() {
        wasm.densitydemo_clear(this.__wbg_ptr);
    }
    /**
     * The overfitting curve of an estimator: mean ln p(x) per training and held-out point
     * against its setting (bin width, bandwidth, or number of components). For the mixture,
     * `kind` and `sigma` choose its covariances, `seed` its start. Returns a Float64Array of
     * [settings..., train..., held-out...].
     * @param {string} name
     * @param {string} kind
     * @param {number} sigma
     * @param {any} seed
     * @returns {Float64Array}
     */
    curve(name, kind, sigma, seed) {
        const val3 = +sigma;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.densitydemo_curve(this.__wbg_ptr, ptr0, len0, ptr1, len1, val3, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {number}
     */
    dim() {
        const ret = wasm.densitydemo_dim(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The bound per point after every half-step.
     * @returns {Float64Array}
     */
    emBounds() {
        const ret = wasm.densitydemo_emBounds(this.__wbg_ptr);
        return ret;
    }
    /**
     * Whether EM has converged (a rise below 1e-6 nats per point with less than that left to
     * gain: `Mixture::converged`).
     * @returns {boolean}
     */
    emConverged() {
        const ret = wasm.densitydemo_emConverged(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * The next EM half-step ("expectation" or "maximisation"); returns what it did:
     * { phase, bound, reseeded: [components moved], changed }.
     * @returns {any}
     */
    emHalfStep() {
        const ret = wasm.densitydemo_emHalfStep(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {number}
     */
    emIterations() {
        const ret = wasm.densitydemo_emIterations(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * "expectation" or "maximisation", or "" without a mixture.
     * @returns {string}
     */
    emNextPhase() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.densitydemo_emNextPhase(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Replaces the data: `part` is "1d" or "2d" (a density preset) or "classify" (a labelled
     * preset); 30% of the points, chosen by the seed, are held out.
     * @param {string} part
     * @param {string} preset
     * @param {number} n
     * @param {any} seed
     */
    generate(part, preset, n, seed) {
        const val3 = +n;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(part, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(preset, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.densitydemo_generate(this.__wbg_ptr, ptr0, len0, ptr1, len1, val3, seed);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * The current estimator's density on a grid of cell centres over [0, 1]^d: `side` values
     * in 1-D, side x side (rows from y = 0) in 2-D.
     * @param {number} side
     * @returns {Float32Array}
     */
    grid(side) {
        const ret = wasm.densitydemo_grid(this.__wbg_ptr, side);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {Uint8Array}
     */
    heldOutLabels() {
        const ret = wasm.densitydemo_heldOutLabels(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {Float64Array}
     */
    heldOutPoints() {
        const ret = wasm.densitydemo_heldOutPoints(this.__wbg_ptr);
        return ret;
    }
    /**
     * The logistic regression's loss after every step so far.
     * @returns {Float64Array}
     */
    logisticLosses() {
        const ret = wasm.densitydemo_logisticLosses(this.__wbg_ptr);
        return ret;
    }
    logisticReset() {
        wasm.densitydemo_logisticReset(this.__wbg_ptr);
    }
    /**
     * `steps` steps of gradient descent on the logistic regression; returns the loss.
     * @param {number} steps
     * @param {number} learning_rate
     * @returns {number}
     */
    logisticSteps(steps, learning_rate) {
        const ret = wasm.densitydemo_logisticSteps(this.__wbg_ptr, steps, learning_rate);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * Per component: weight, mean x, mean y, then the 1-sigma ellipse (major radius, minor
     * radius, angle): 6 numbers each.
     * @returns {Float64Array}
     */
    mixtureComponents() {
        const ret = wasm.densitydemo_mixtureComponents(this.__wbg_ptr);
        return ret;
    }
    /**
     * A fresh mixture of k components ("full", "diagonal" or "kmeans" covariances; sigma is the
     * k-means limit's fixed standard deviation), means placed by k-means++ from the seed.
     * @param {number} k
     * @param {string} kind
     * @param {number} sigma
     * @param {any} seed
     */
    mixtureReset(k, kind, sigma, seed) {
        const val2 = +k;
        const val3 = +sigma;
        const ptr0 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.densitydemo_mixtureReset(this.__wbg_ptr, val2, ptr0, len0, val3, seed);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    constructor() {
        const ret = wasm.densitydemo_new();
        this.__wbg_ptr = ret;
        DensityDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * p(y | x) on a side x side grid (rows from y = 0), `classes` values per cell, of the
     * "naive" or "full" Gaussian classifier or the "logistic" regression.
     * @param {string} which
     * @param {number} side
     * @returns {Float32Array}
     */
    posteriorGrid(which, side) {
        const val2 = +side;
        const ptr0 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.densitydemo_posteriorGrid(this.__wbg_ptr, ptr0, len0, val2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The training points' responsibilities (point-major, k per point); empty before the
     * first E-step.
     * @returns {Float32Array}
     */
    responsibilities() {
        const ret = wasm.densitydemo_responsibilities(this.__wbg_ptr);
        return ret;
    }
    /**
     * `count` points drawn from the current estimator (flat x, y pairs; y = 0 in 1-D).
     * @param {number} count
     * @param {any} seed
     * @returns {Float32Array}
     */
    sample(count, seed) {
        const ret = wasm.densitydemo_sample(this.__wbg_ptr, count, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Mean ln p(x) per training and per held-out point under the current estimator:
     * { train, heldOut (-inf when a held-out point has zero density), zeroDensity (how many) }.
     * @returns {any}
     */
    scores() {
        const ret = wasm.densitydemo_scores(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * "histogram" with its bin width, "kde" with its bandwidth, or "mixture" (the mixture
     * fitted so far; `setting` unused).
     * @param {string} name
     * @param {number} setting
     */
    setEstimator(name, setting) {
        const val2 = +setting;
        const ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.densitydemo_setEstimator(this.__wbg_ptr, ptr0, len0, val2);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * @returns {Uint8Array}
     */
    trainLabels() {
        const ret = wasm.densitydemo_trainLabels(this.__wbg_ptr);
        return ret;
    }
    /**
     * Training points, flat (x, y) pairs.
     * @returns {Float64Array}
     */
    trainPoints() {
        const ret = wasm.densitydemo_trainPoints(this.__wbg_ptr);
        return ret;
    }
}
if (Symbol.dispose) DensityDemo.prototype[Symbol.dispose] = DensityDemo.prototype.free;

/**
 * A 2-D GAN in training.
 */
export class GanDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        GanDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_gandemo_free(ptr, 0);
    }
    /**
     * D(x) at given points.
     * @param {Float32Array | number[]} points
     * @returns {Float32Array}
     */
    discriminatorAt(points) {
        const ptr0 = passArrayF32ToWasm0(points, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gandemo_discriminatorAt(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * D(x) at the centres of a `side` x `side` grid over the unit square (row 0 at y near 0).
     * @param {number} side
     * @returns {Float32Array}
     */
    discriminatorGrid(side) {
        const ret = wasm.gandemo_discriminatorGrid(this.__wbg_ptr, side);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Why the run stopped, when it diverged.
     * @returns {string | undefined}
     */
    diverged() {
        const ret = wasm.gandemo_diverged(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * JS, KL and the share outside the square, now (10,000 generated points, 30 x 30 cells).
     * @returns {any}
     */
    divergences() {
        const ret = wasm.gandemo_divergences(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Whether the learning rates have decayed to zero.
     * @returns {boolean}
     */
    finished() {
        const ret = wasm.gandemo_finished(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * G(z) for noise vectors (one or two numbers each).
     * @param {Float32Array | number[]} noise
     * @returns {Float32Array}
     */
    generate(noise) {
        const ptr0 = passArrayF32ToWasm0(noise, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gandemo_generate(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The generator's image of a grid over the noise space: `lines` lines each way, each of
     * `samples` points (with 1-D noise: one line of `lines * samples` points). Points x, y
     * interleaved, line after line. The grid spans [-1, 1] for uniform noise, [-2.5, 2.5] for
     * Gaussian (99% of its mass per axis).
     * @param {number} lines
     * @param {number} samples
     * @returns {Float32Array}
     */
    generatorGrid(lines, samples) {
        const ret = wasm.gandemo_generatorGrid(this.__wbg_ptr, lines, samples);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The history from row `from` on: iteration, both losses, JS and KL (NaN between
     * evaluations).
     * @param {number} from
     * @returns {any}
     */
    history(from) {
        const ret = wasm.gandemo_history(this.__wbg_ptr, from);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * `n` whole iterations.
     * @param {number} n
     */
    iterate(n) {
        const ret = wasm.gandemo_iterate(this.__wbg_ptr, n);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * @returns {number}
     */
    iteration() {
        const ret = wasm.gandemo_iteration(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The modes' shares of the generated points (null for a line, a spiral or drawn data).
     * @returns {any}
     */
    modeShares() {
        const ret = wasm.gandemo_modeShares(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The real distribution's centres of its modes, x0, y0, ... (for the legend's marks).
     * @returns {Float64Array}
     */
    modes() {
        const ret = wasm.gandemo_modes(this.__wbg_ptr);
        return ret;
    }
    /**
     * A new run from its options (an object; missing ones take their defaults). Refuses a
     * setting out of range with a sentence.
     * @param {any} options
     */
    constructor(options) {
        const ret = wasm.gandemo_new(options);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        GanDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * "discriminator" or "generator": the half-step that comes next.
     * @returns {string}
     */
    nextPhase() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.gandemo_nextPhase(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * `n` noise vectors from `seed` (the generator's input).
     * @param {number} n
     * @param {number} seed
     * @returns {Float32Array}
     */
    noise(n, seed) {
        const ret = wasm.gandemo_noise(this.__wbg_ptr, n, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The optimal discriminator for the generator as it is, D* = p_data / (p_data + p_g),
     * on the same grid as `discriminatorGrid`, p_g a kernel density of 10,000 generated points.
     * @param {number} side
     * @returns {Float64Array}
     */
    optimalDiscriminatorGrid(side) {
        const ret = wasm.gandemo_optimalDiscriminatorGrid(this.__wbg_ptr, side);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Where the generator's next step moves each point: minus the gradient of its loss.
     * @param {Float32Array | number[]} points
     * @returns {Float32Array}
     */
    pointGradients(points) {
        const ptr0 = passArrayF32ToWasm0(points, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gandemo_pointGradients(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The real density at the centres of a `side` x `side` grid (as `discriminatorGrid`).
     * @param {number} side
     * @returns {Float64Array}
     */
    realDensityGrid(side) {
        const ret = wasm.gandemo_realDensityGrid(this.__wbg_ptr, side);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * `n` samples of the real distribution from `seed` (x, y interleaved).
     * @param {number} n
     * @param {number} seed
     * @returns {Float32Array}
     */
    realPoints(n, seed) {
        const ret = wasm.gandemo_realPoints(this.__wbg_ptr, n, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Takes on a state from `state()` of a run with the same options; refuses other bytes with
     * a sentence and then changes nothing.
     * @param {Uint8Array | number[]} bytes
     */
    restore(bytes) {
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gandemo_restore(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * The whole run as bytes, with the history rows from `historyFrom` on: what the page's
     * Web Worker sends back after training, to be drawn.
     * @param {number} history_from
     * @returns {Uint8Array}
     */
    state(history_from) {
        const ret = wasm.gandemo_state(this.__wbg_ptr, history_from);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The discriminator's half-step (k updates).
     */
    trainDiscriminator() {
        const ret = wasm.gandemo_trainDiscriminator(this.__wbg_ptr);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * The generator's half-step (one update).
     */
    trainGenerator() {
        const ret = wasm.gandemo_trainGenerator(this.__wbg_ptr);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) GanDemo.prototype[Symbol.dispose] = GanDemo.prototype.free;

/**
 * The class-conditional digits generator.
 */
export class GanDigits {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        GanDigitsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_gandigits_free(ptr, 0);
    }
    /**
     * @returns {any}
     */
    card() {
        const ret = wasm.gandigits_card(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The images of given noise vectors (`noise` holds whole vectors) for one class.
     * @param {Float32Array | number[]} noise
     * @param {number} _class
     * @returns {Uint8Array}
     */
    fromNoise(noise, _class) {
        const val2 = +_class;
        const ptr0 = passArrayF32ToWasm0(noise, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gandigits_fromNoise(this.__wbg_ptr, ptr0, len0, val2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * `n` digits of `class` from `seed`: grey images one after another.
     * @param {number} n
     * @param {number} _class
     * @param {number} seed
     * @returns {Uint8Array}
     */
    generate(n, _class, seed) {
        const ret = wasm.gandigits_generate(this.__wbg_ptr, n, _class, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @param {Uint8Array | number[]} weights_bytes
     * @param {string} card_json
     */
    constructor(weights_bytes, card_json) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(weights_bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(card_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.gandigits_new(ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        GanDigitsFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * The noise vectors of `generate(n, class, seed)`, one after another.
     * @param {number} n
     * @param {number} seed
     * @returns {Float32Array}
     */
    noise(n, seed) {
        const ret = wasm.gandigits_noise(this.__wbg_ptr, n, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * A walk of `steps` images from the noise of seed `a` to that of seed `b` (straight line
     * in z, both ends included), all of `class`.
     * @param {number} _class
     * @param {number} a
     * @param {number} b
     * @param {number} steps
     * @returns {Uint8Array}
     */
    walk(_class, a, b, steps) {
        const ret = wasm.gandigits_walk(this.__wbg_ptr, _class, a, b, steps);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) GanDigits.prototype[Symbol.dispose] = GanDigits.prototype.free;

/**
 * A WebGPU device for the PixelCNN sampler. `GpuDevice.create()` rejects with a readable
 * message where WebGPU is missing or no adapter is available; the page then stays on the CPU.
 */
export class GpuDevice {
    static __wrap(ptr) {
        const obj = Object.create(GpuDevice.prototype);
        obj.__wbg_ptr = ptr;
        GpuDeviceFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        GpuDeviceFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_gpudevice_free(ptr, 0);
    }
    /**
     * @returns {string}
     */
    get adapterName() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.gpudevice_adapterName(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * @returns {Promise<GpuDevice>}
     */
    static create() {
        const ret = wasm.gpudevice_create();
        return ret;
    }
    /**
     * Why the device was lost, or `undefined` while it works. A lost device stays lost: the
     * page then uses the CPU and makes a new device.
     * @returns {string | undefined}
     */
    get lostReason() {
        const ret = wasm.gpudevice_lostReason(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Prepares a GPU sampling run of `demo`'s model.
     * @param {PixelCnnDemo} demo
     * @param {Uint32Array | number[]} labels
     * @param {number} temperature
     * @param {number} seed
     * @returns {GpuPixelCnn}
     */
    sampler(demo, labels, temperature, seed) {
        _assertClass(demo, PixelCnnDemo);
        const val2 = +temperature;
        const val3 = +seed;
        const ptr0 = passArray32ToWasm0(labels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.gpudevice_sampler(this.__wbg_ptr, demo.__wbg_ptr, ptr0, len0, val2, val3);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return GpuPixelCnn.__wrap(ret[0]);
    }
}
if (Symbol.dispose) GpuDevice.prototype[Symbol.dispose] = GpuDevice.prototype.free;

/**
 * One GPU sampling run: `sampleRow()` samples the next row of every image (one submission,
 * one read-back) and resolves to the number of rows done.
 */
export class GpuPixelCnn {
    static __wrap(ptr) {
        const obj = Object.create(GpuPixelCnn.prototype);
        obj.__wbg_ptr = ptr;
        GpuPixelCnnFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        GpuPixelCnnFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_gpupixelcnn_free(ptr, 0);
    }
    /**
     * The distribution pixel `column` of the last row of image `index` was drawn from (the
     * GPU reads back the first image's; others give an empty array).
     * @param {number} index
     * @param {number} column
     * @returns {Float32Array}
     */
    distribution(index, column) {
        const ret = wasm.gpupixelcnn_distribution(this.__wbg_ptr, index, column);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {Uint8Array}
     */
    images() {
        const ret = wasm.gpupixelcnn_images(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    readbacks() {
        const ret = wasm.gpupixelcnn_readbacks(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {Promise<any>}
     */
    sampleRow() {
        const ret = wasm.gpupixelcnn_sampleRow(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    submissions() {
        const ret = wasm.gpupixelcnn_submissions(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) GpuPixelCnn.prototype[Symbol.dispose] = GpuPixelCnn.prototype.free;

/**
 * k-means on 2-D points in [0, 1]^2, one half-step at a time.
 */
export class KMeansDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        KMeansDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_kmeansdemo_free(ptr, 0);
    }
    /**
     * Adds one point; the current run restarts from its centers.
     * @param {number} x
     * @param {number} y
     */
    addPoint(x, y) {
        const ret = wasm.kmeansdemo_addPoint(this.__wbg_ptr, x, y);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Assign half-step; returns the number of points that changed owner.
     * @returns {number}
     */
    assign() {
        const ret = wasm.kmeansdemo_assign(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] >>> 0;
    }
    /**
     * Owner of each point (4294967295 before the first assign).
     * @returns {Uint32Array}
     */
    assignment() {
        const ret = wasm.kmeansdemo_assignment(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {Float32Array}
     */
    centers() {
        const ret = wasm.kmeansdemo_centers(this.__wbg_ptr);
        return ret;
    }
    clear() {
        wasm.kmeansdemo_clear(this.__wbg_ptr);
    }
    /**
     * @returns {boolean}
     */
    converged() {
        const ret = wasm.kmeansdemo_converged(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Up to `iterations` Lloyd iterations of the elbow search; returns the fraction of its
     * runs that have ended (1 when the curve is complete).
     * @param {number} iterations
     * @returns {number}
     */
    elbowAdvance(iterations) {
        const ret = wasm.kmeansdemo_elbowAdvance(this.__wbg_ptr, iterations);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * The elbow curve so far: the best F for k = 1, 2, ... (NaN where no run has ended yet).
     * @returns {Float64Array}
     */
    elbowCurve() {
        const ret = wasm.kmeansdemo_elbowCurve(this.__wbg_ptr);
        return ret;
    }
    /**
     * Starts the elbow curve for k = 1..=max_k; `elbowAdvance` computes it a little at a time.
     * @param {number} max_k
     * @param {string} init
     * @param {any} seed
     * @param {number} restarts
     */
    elbowStart(max_k, init, seed, restarts) {
        const val2 = +max_k;
        const val3 = +restarts;
        const ptr0 = passStringToWasm0(init, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_elbowStart(this.__wbg_ptr, val2, ptr0, len0, seed, val3);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Replaces the points with a preset: blobs, uniform, smiley, rings, anisotropic,
     * unequal-variance or uneven-sizes.
     * @param {string} preset
     * @param {number} n
     * @param {number} blobs
     * @param {any} seed
     */
    generate(preset, n, blobs, seed) {
        const val2 = +n;
        const val3 = +blobs;
        const ptr0 = passStringToWasm0(preset, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_generate(this.__wbg_ptr, ptr0, len0, val2, val3, seed);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Whichever half-step is next; returns "assign" or "recenter" (the one done).
     * @returns {string}
     */
    halfStep() {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.kmeansdemo_halfStep(this.__wbg_ptr);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * @returns {number}
     */
    iterations() {
        const ret = wasm.kmeansdemo_iterations(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    lastChanged() {
        const ret = wasm.kmeansdemo_lastChanged(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * One full Lloyd iteration (benchmarks).
     */
    lloydIteration() {
        const ret = wasm.kmeansdemo_lloydIteration(this.__wbg_ptr);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    constructor() {
        const ret = wasm.kmeansdemo_new();
        this.__wbg_ptr = ret;
        KMeansDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * "assign" or "recenter": the half-step that comes next.
     * @returns {string}
     */
    nextPhase() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.kmeansdemo_nextPhase(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The objective after every half-step.
     * @returns {Float64Array}
     */
    objectives() {
        const ret = wasm.kmeansdemo_objectives(this.__wbg_ptr);
        return ret;
    }
    /**
     * Starts a run from centers the user clicked (flat x, y pairs).
     * @param {Float32Array | number[]} centers
     */
    placeCenters(centers) {
        const ptr0 = passArrayF32ToWasm0(centers, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_placeCenters(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * @returns {number}
     */
    pointCount() {
        const ret = wasm.kmeansdemo_pointCount(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {Float32Array}
     */
    points() {
        const ret = wasm.kmeansdemo_points(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {Float32Array}
     */
    previousCenters() {
        const ret = wasm.kmeansdemo_previousCenters(this.__wbg_ptr);
        return ret;
    }
    /**
     * Recenter half-step; returns the indices of empty centers.
     * @returns {Uint32Array}
     */
    recenter() {
        const ret = wasm.kmeansdemo_recenter(this.__wbg_ptr);
        if (ret[3]) {
            throw takeFromExternrefTable0(ret[2]);
        }
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Starts a run: k centers placed by `init` (random, forgy, partition, kmeans++).
     * @param {number} k
     * @param {string} init
     * @param {any} seed
     */
    reset(k, init, seed) {
        const val2 = +k;
        const ptr0 = passStringToWasm0(init, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_reset(this.__wbg_ptr, val2, ptr0, len0, seed);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Best objective of `restarts` runs to convergence; keeps the best run.
     * @param {number} k
     * @param {string} init
     * @param {any} seed
     * @param {number} restarts
     * @returns {number}
     */
    restarts(k, init, seed, restarts) {
        const val2 = +k;
        const val3 = +restarts;
        const ptr0 = passStringToWasm0(init, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_restarts(this.__wbg_ptr, val2, ptr0, len0, seed, val3);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * Runs to convergence (at most `max_iterations`); returns the objective.
     * @param {number} max_iterations
     * @returns {number}
     */
    runToConvergence(max_iterations) {
        const ret = wasm.kmeansdemo_runToConvergence(this.__wbg_ptr, max_iterations);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * "stay" or "farthest".
     * @param {string} rule
     */
    setEmptyRule(rule) {
        const ptr0 = passStringToWasm0(rule, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_setEmptyRule(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Replaces the points (flat x, y pairs).
     * @param {Float32Array | number[]} coords
     */
    setPoints(coords) {
        const ptr0 = passArrayF32ToWasm0(coords, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.kmeansdemo_setPoints(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Nearest-center index for each cell of a cols x rows grid over the unit square.
     * @param {number} cols
     * @param {number} rows
     * @returns {Uint8Array}
     */
    voronoi(cols, rows) {
        const ret = wasm.kmeansdemo_voronoi(this.__wbg_ptr, cols, rows);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) KMeansDemo.prototype[Symbol.dispose] = KMeansDemo.prototype.free;

/**
 * A pretrained PixelCNN on the CPU: cached or naive sampling, likelihoods.
 */
export class PixelCnnDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        PixelCnnDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_pixelcnndemo_free(ptr, 0);
    }
    /**
     * -log2 p of every pixel of an image given its class: the likelihood heat map.
     * @param {Uint8Array | number[]} pixels
     * @param {number} label
     * @returns {Float32Array}
     */
    bitsPerPixel(pixels, label) {
        const val2 = +label;
        const ptr0 = passArray8ToWasm0(pixels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.pixelcnndemo_bitsPerPixel(this.__wbg_ptr, ptr0, len0, val2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Multiply-adds per image of the cached sampler.
     * @returns {number}
     */
    cachedMacsPerImage() {
        const ret = wasm.pixelcnndemo_cachedMacsPerImage(this.__wbg_ptr);
        return ret;
    }
    /**
     * The model card as an object.
     * @returns {any}
     */
    card() {
        const ret = wasm.pixelcnndemo_card(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The PixelCNN as a generative classifier: ln p(x | y) in nats for every class (one
     * batched pass, no sampling), then Bayes' rule with a uniform prior. Returns a
     * Float64Array of [ln p(x | y) per class..., p(y | x) per class...].
     * @param {Uint8Array | number[]} pixels
     * @returns {Float64Array}
     */
    classifyByBayes(pixels) {
        const ptr0 = passArray8ToWasm0(pixels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.pixelcnndemo_classifyByBayes(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The distribution the last pixel of image `index` was drawn from.
     * @param {number} index
     * @returns {Float32Array}
     */
    distribution(index) {
        const ret = wasm.pixelcnndemo_distribution(this.__wbg_ptr, index);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * All images, one after the other (grey values; unsampled pixels are 0).
     * @returns {Uint8Array}
     */
    images() {
        const ret = wasm.pixelcnndemo_images(this.__wbg_ptr);
        return ret;
    }
    /**
     * Loads a model from its safetensors bytes and its model card (JSON text).
     * @param {Uint8Array | number[]} weights_bytes
     * @param {string} card_json
     */
    constructor(weights_bytes, card_json) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(weights_bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(card_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.pixelcnndemo_new(ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        PixelCnnDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Pixels sampled so far (raster index of the next pixel).
     * @returns {number}
     */
    nextPixel() {
        const ret = wasm.pixelcnndemo_nextPixel(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * 1 for every input pixel that can influence the output at (row, col).
     * @param {number} row
     * @param {number} col
     * @returns {Uint8Array}
     */
    receptiveField(row, col) {
        const ret = wasm.pixelcnndemo_receptiveField(this.__wbg_ptr, row, col);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Sampling with known pixels, which are kept: image completion, or carrying on from
     * pixels made elsewhere (a GPU run that stopped). `values` holds one image, used for
     * every label, or one image per label; `keep_mask` has one entry per pixel (1 = keep).
     * @param {Uint32Array | number[]} labels
     * @param {Uint8Array | number[]} values
     * @param {Uint8Array | number[]} keep_mask
     * @param {number} temperature
     * @param {number} seed
     */
    startKnown(labels, values, keep_mask, temperature, seed) {
        const val4 = +temperature;
        const val5 = +seed;
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passArray32ToWasm0(labels, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray8ToWasm0(values, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passArray8ToWasm0(keep_mask, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 4, 4); }
            throw e;
        }
        const ret = wasm.pixelcnndemo_startKnown(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2, val4, val5);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Starts the cached sampler on a share of a batch: `labels` are images `first_image`,
     * `first_image + 1`, ... of the whole batch, and draw the same random numbers as they
     * would there, so that the batch split among Web Workers gives the same images.
     * @param {Uint32Array | number[]} labels
     * @param {number} temperature
     * @param {number} seed
     * @param {number} first_image
     */
    startShare(labels, temperature, seed, first_image) {
        const val2 = +temperature;
        const val3 = +seed;
        const val4 = +first_image;
        const ptr0 = passArray32ToWasm0(labels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.pixelcnndemo_startShare(this.__wbg_ptr, ptr0, len0, val2, val3, val4);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Starts generating one image per label; `sampler` is "cached" or "naive".
     * @param {Uint32Array | number[]} labels
     * @param {number} temperature
     * @param {number} seed
     * @param {string} sampler
     */
    start(labels, temperature, seed, sampler) {
        const val3 = +temperature;
        const val4 = +seed;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray32ToWasm0(labels, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(sampler, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 4, 4); }
            throw e;
        }
        const ret = wasm.pixelcnndemo_start(this.__wbg_ptr, ptr0, len0, val3, val4, ptr1, len1);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Samples up to `pixels` more pixels of every image; returns how many are done.
     * @param {number} pixels
     * @returns {number}
     */
    step(pixels) {
        const ret = wasm.pixelcnndemo_step(this.__wbg_ptr, pixels);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] >>> 0;
    }
}
if (Symbol.dispose) PixelCnnDemo.prototype[Symbol.dispose] = PixelCnnDemo.prototype.free;

/**
 * A character-level RNN trained and sampled live.
 */
export class RnnDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        RnnDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_rnndemo_free(ptr, 0);
    }
    /**
     * @returns {string}
     */
    cell() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.rnndemo_cell(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Loss per character over the whole text (for short texts such as "hello").
     * @returns {number}
     */
    fullTextLoss() {
        const ret = wasm.rnndemo_fullTextLoss(this.__wbg_ptr);
        return ret;
    }
    /**
     * `length` characters after `first`.
     * @param {string} first
     * @param {number} length
     * @param {number} temperature
     * @param {boolean} greedy
     * @param {any} seed
     * @returns {string}
     */
    generate(first, length, temperature, greedy, seed) {
        let deferred6_0;
        let deferred6_1;
        try {
            const val2 = +length;
            const val3 = +temperature;
            const val4 = +greedy;
            const ptr0 = passStringToWasm0(first, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len0 = WASM_VECTOR_LEN;
            const ret = wasm.rnndemo_generate(this.__wbg_ptr, ptr0, len0, val2, val3, val4, seed);
            var ptr5 = ret[0];
            var len5 = ret[1];
            if (ret[3]) {
                ptr5 = 0; len5 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred6_0 = ptr5;
            deferred6_1 = len5;
            return getStringFromWasm0(ptr5, len5);
        } finally {
            wasm.__wbindgen_free(deferred6_0, deferred6_1, 1);
        }
    }
    /**
     * @returns {number}
     */
    hidden() {
        const ret = wasm.rnndemo_hidden(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    iterations() {
        const ret = wasm.rnndemo_iterations(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Loads weights; on any problem the current model is kept and the error says why.
     * @param {string} json
     */
    loadWeights(json) {
        const ptr0 = passStringToWasm0(json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.rnndemo_loadWeights(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Mean loss per character of every iteration so far.
     * @returns {Float64Array}
     */
    losses() {
        const ret = wasm.rnndemo_losses(this.__wbg_ptr);
        return ret;
    }
    /**
     * `cell`: "vanilla" or "lstm"; `optimizer`: "adagrad" or "adam".
     * @param {string} text
     * @param {string} cell
     * @param {number} hidden
     * @param {number} seq_len
     * @param {string} optimizer
     * @param {any} seed
     */
    constructor(text, cell, hidden, seq_len, optimizer, seed) {
        const val4 = +hidden;
        const val5 = +seq_len;
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(cell, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passStringToWasm0(optimizer, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.rnndemo_new(ptr0, len0, ptr1, len1, val4, val5, ptr2, len2, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        RnnDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Starts sampling with `first` as the first character.
     * @param {string} first
     */
    sampleStart(first) {
        const ptr0 = passStringToWasm0(first, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.rnndemo_sampleStart(this.__wbg_ptr, ptr0, len0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * One sampling step: { probs, index, character } — the distribution drawn from and the
     * character drawn, which becomes the next input.
     * @param {number} temperature
     * @param {boolean} greedy
     * @returns {any}
     */
    sampleStep(temperature, greedy) {
        const ret = wasm.rnndemo_sampleStep(this.__wbg_ptr, temperature, greedy);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The weights as a JSON file's text.
     * @returns {string}
     */
    saveWeights() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.rnndemo_saveWeights(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * @returns {number}
     */
    seqLen() {
        const ret = wasm.rnndemo_seqLen(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    smoothLoss() {
        const ret = wasm.rnndemo_smoothLoss(this.__wbg_ptr);
        return ret;
    }
    /**
     * Runs `iterations` training iterations; returns the last mean loss per character.
     * @param {number} iterations
     * @returns {number}
     */
    train(iterations) {
        const ret = wasm.rnndemo_train(this.__wbg_ptr, iterations);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * The unrolled network on the first `seq_len` characters of the text, from a zero
     * state: [{input, hidden, scores, probs, target, loss}, ...].
     * @returns {any}
     */
    unrolled() {
        const ret = wasm.rnndemo_unrolled(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * @returns {string[]}
     */
    vocab() {
        const ret = wasm.rnndemo_vocab(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * The weights as { w_x, w_h, b, w_y, b_y } arrays (row-major).
     * @returns {any}
     */
    weights() {
        const ret = wasm.rnndemo_weights(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) RnnDemo.prototype[Symbol.dispose] = RnnDemo.prototype.free;

/**
 * A pretrained VAE with a 2-D latent code.
 */
export class VaeDemo {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        VaeDemoFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_vaedemo_free(ptr, 0);
    }
    /**
     * @returns {any}
     */
    card() {
        const ret = wasm.vaedemo_card(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The decoded image (grey levels, row-major) at latent point (x, y).
     * @param {number} x
     * @param {number} y
     * @returns {Uint8Array}
     */
    decode(x, y) {
        const ret = wasm.vaedemo_decode(this.__wbg_ptr, x, y);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The posterior of an image and its ELBO: { mu, sigma, reconstruction, kl, elbo, bits_per_dim }.
     * @param {Uint8Array | number[]} pixels
     * @returns {any}
     */
    encode(pixels) {
        const ptr0 = passArray8ToWasm0(pixels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.vaedemo_encode(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Decodings at `steps` evenly spaced points from the posterior mean of image `a` to that
     * of image `b` (both ends included): images one after another.
     * @param {Uint8Array | number[]} a
     * @param {Uint8Array | number[]} b
     * @param {number} steps
     * @returns {Uint8Array}
     */
    interpolate(a, b, steps) {
        const val3 = +steps;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(a, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray8ToWasm0(b, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.vaedemo_interpolate(this.__wbg_ptr, ptr0, len0, ptr1, len1, val3);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Decodings over the square [-extent, extent]^2, `side` x `side` images, top row first
     * (y decreasing, as the plane is drawn): the manifold figure.
     * @param {number} side
     * @param {number} extent
     * @returns {Uint8Array}
     */
    manifold(side, extent) {
        const ret = wasm.vaedemo_manifold(this.__wbg_ptr, side, extent);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Loads the model from its safetensors bytes and its model card (JSON text).
     * @param {Uint8Array | number[]} weights_bytes
     * @param {string} card_json
     */
    constructor(weights_bytes, card_json) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(weights_bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(card_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.vaedemo_new(ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        VaeDemoFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * The latent points of `priorSamples(count, seed)`: x0, y0, x1, y1, ...
     * @param {number} count_
     * @param {number} seed
     * @returns {Float32Array}
     */
    priorPoints(count_, seed) {
        const ret = wasm.vaedemo_priorPoints(this.__wbg_ptr, count_, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Decodings of `count` draws z ~ N(0, I) from `seed`: images one after another, then
     * their latent points in `priorPoints`.
     * @param {number} count_
     * @param {number} seed
     * @returns {Uint8Array}
     */
    priorSamples(count_, seed) {
        const ret = wasm.vaedemo_priorSamples(this.__wbg_ptr, count_, seed);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The reparameterisation for an image, step by step: `count` draws eps ~ N(0, I) from
     * `seed`, sigma * eps, and z = mu + sigma * eps: [{ eps, sigma_eps, z }].
     * @param {Uint8Array | number[]} pixels
     * @param {number} count_
     * @param {number} seed
     * @returns {any}
     */
    reparameterise(pixels, count_, seed) {
        const val2 = +count_;
        const val3 = +seed;
        const ptr0 = passArray8ToWasm0(pixels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.vaedemo_reparameterise(this.__wbg_ptr, ptr0, len0, val2, val3);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The true posterior p(z | x) of an image on a grid (side x side cells, zoomed onto its
     * mass) and ln p(x), beside the ELBO: { lo: [z1, z2], hi: [z1, z2], side, density
     * (Float32Array, rows from lo[1] up), logEvidence, elbo, gap, kl, bitsPerDim, grids }. The
     * gap ln p(x) - ELBO and KL(q || p(z | x)) are computed separately: they agree.
     * @param {Uint8Array | number[]} pixels
     * @param {number} side
     * @returns {any}
     */
    truePosterior(pixels, side) {
        const val2 = +side;
        const ptr0 = passArray8ToWasm0(pixels, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.vaedemo_truePosterior(this.__wbg_ptr, ptr0, len0, val2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) VaeDemo.prototype[Symbol.dispose] = VaeDemo.prototype.free;

/**
 * Stops the module with a trap (a wasm `unreachable` instruction), as an out-of-memory or a
 * panic would. Nothing on the page calls it: it lets a test check that the page recovers
 * from a trap (it reinstantiates the module and says so) instead of dying.
 */
export function debugTrap() {
    wasm.debugTrap();
}

/**
 * The overfitting curve of an estimator (see `DensityDemo::curve`) for the given points,
 * reporting the fraction done to `progress` (a function of one number, optional) as it goes:
 * the page computes it in a Web Worker, since at thousands of points it takes seconds.
 * @param {number} dim
 * @param {Float64Array | number[]} train
 * @param {Float64Array | number[]} held_out
 * @param {string} name
 * @param {string} kind
 * @param {number} sigma
 * @param {any} seed
 * @param {Function | null} [progress]
 * @returns {Float64Array}
 */
export function densityCurve(dim, train, held_out, name, kind, sigma, seed, progress) {
    const val5 = +dim;
    const val6 = +sigma;
    let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
    try {
        ptr0 = passArrayF64ToWasm0(train, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArrayF64ToWasm0(held_out, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 8, 8); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 8, 8); }
        throw e;
    }
    const ret = wasm.densityCurve(val5, ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, val6, seed, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Each generator loss, and its slope with respect to D's raw output, at `n` values of
 * D(G(z)) evenly spaced in (0, 1): [D..., minimax..., non-saturating..., least squares...,
 * then the three slopes]. The loss plot's curves.
 * @param {number} n
 * @returns {Float64Array}
 */
export function ganLossCurves(n) {
    const ret = wasm.ganLossCurves(n);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * The kernel density's scores (as `DensityDemo::scores` gives them with the KDE chosen) for
 * the given points: n^2 kernels, a third of a second at 5,000 points, so the page's Web
 * Worker computes them.
 * @param {number} dim
 * @param {Float64Array | number[]} train
 * @param {Float64Array | number[]} held_out
 * @param {number} bandwidth
 * @returns {any}
 */
export function kdeScores(dim, train, held_out, bandwidth) {
    const val3 = +dim;
    const val4 = +bandwidth;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArrayF64ToWasm0(train, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArrayF64ToWasm0(held_out, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 8, 8); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 8, 8); }
        throw e;
    }
    const ret = wasm.kdeScores(val3, ptr0, len0, ptr1, len1, val4);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Parses a demo's URL settings (the part after `?` in the hash) into valid values,
 * with a notice for every value that was refused. See `urlstate`.
 * @param {string} demo
 * @param {string} query
 * @returns {any}
 */
export function parseDemoSettings(demo, query) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(demo, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(query, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.parseDemoSettings(ptr0, len0, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Reads drawn points written as "x,y;x,y;..." (the URL's form): each pair in the unit square,
 * at most 2,000 pairs. Returns x0, y0, x1, y1, ...
 * @param {string} text
 * @returns {Float64Array}
 */
export function parseGanPoints(text) {
    const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.parseGanPoints(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Colour quantization of RGBA pixels with k colours: { palette, image, objective }, the
 * palette (RGB) and the image (RGBA) as Uint8Arrays (plain arrays of four million numbers
 * took longer to build than the quantization itself).
 * @param {Uint8Array | number[]} rgba
 * @param {number} k
 * @param {any} seed
 * @param {number} iterations
 * @returns {any}
 */
export function quantizeColors(rgba, k, seed, iterations) {
    const val2 = +k;
    const val3 = +iterations;
    const ptr0 = passArray8ToWasm0(rgba, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.quantizeColors(ptr0, len0, val2, seed, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Version of the wasm module, shown in the page footer.
 * @returns {string}
 */
export function version() {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.version();
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_String_8564e559799eccda: function(arg0, arg1) {
            const ret = String(arg1);
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_Window_41838cbcc08822b5: function(arg0) {
            const ret = arg0.Window;
            return ret;
        },
        __wbg_WorkerGlobalScope_448e3830f27a30fd: function(arg0) {
            const ret = arg0.WorkerGlobalScope;
            return ret;
        },
        __wbg___wbindgen_bigint_get_as_i64_11da4b52cd0aedef: function(arg0, arg1) {
            const v = arg1;
            const ret = typeof(v) === 'bigint' ? v : undefined;
            getDataViewMemory0().setBigInt64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? BigInt(0) : ret, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
        },
        __wbg___wbindgen_boolean_get_4f1baf9a00be3c74: function(arg0) {
            const v = arg0;
            const ret = typeof(v) === 'boolean' ? v : undefined;
            return isLikeNone(ret) ? 0xFFFFFF : ret ? 1 : 0;
        },
        __wbg___wbindgen_debug_string_f249a2a76caa9a55: function(arg0, arg1) {
            const ret = debugString(arg1);
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_in_3f58a9d3b3a7eed2: function(arg0, arg1) {
            const ret = arg0 in arg1;
            return ret;
        },
        __wbg___wbindgen_is_bigint_5fa10641e039d3ef: function(arg0) {
            const ret = typeof(arg0) === 'bigint';
            return ret;
        },
        __wbg___wbindgen_is_function_741ff2bb612836f5: function(arg0) {
            const ret = typeof(arg0) === 'function';
            return ret;
        },
        __wbg___wbindgen_is_null_c22311b1cc228e3a: function(arg0) {
            const ret = arg0 === null;
            return ret;
        },
        __wbg___wbindgen_is_object_8b968c3ab8e96595: function(arg0) {
            const val = arg0;
            const ret = typeof(val) === 'object' && val !== null;
            return ret;
        },
        __wbg___wbindgen_is_string_fc456fee5d3317de: function(arg0) {
            const ret = typeof(arg0) === 'string';
            return ret;
        },
        __wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
            const ret = arg0 === undefined;
            return ret;
        },
        __wbg___wbindgen_jsval_eq_38d7bfbe4cc84039: function(arg0, arg1) {
            const ret = arg0 === arg1;
            return ret;
        },
        __wbg___wbindgen_jsval_loose_eq_b2f214e2e4b30e36: function(arg0, arg1) {
            const ret = arg0 == arg1;
            return ret;
        },
        __wbg___wbindgen_number_get_934b640d0889af78: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'number' ? obj : undefined;
            getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg__wbg_cb_unref_09736879a3f67559: function(arg0) {
            arg0._wbg_cb_unref();
        },
        __wbg_beginComputePass_b3bb1a69e6a70bde: function(arg0, arg1) {
            const ret = arg0.beginComputePass(arg1);
            return ret;
        },
        __wbg_call_40b008ba32f73991: function() { return handleError(function (arg0, arg1) {
            const ret = arg0.call(arg1);
            return ret;
        }, arguments); },
        __wbg_call_a410eb4b59ed5965: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.call(arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_configure_2f4cbe7746e5aa81: function() { return handleError(function (arg0, arg1) {
            arg0.configure(arg1);
        }, arguments); },
        __wbg_copyBufferToBuffer_2c8a5726f948b97e: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4, arg5) {
            arg0.copyBufferToBuffer(arg1, arg2, arg3, arg4, arg5);
        }, arguments); },
        __wbg_copyBufferToBuffer_d8141ff7d5df2685: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
            arg0.copyBufferToBuffer(arg1, arg2, arg3, arg4);
        }, arguments); },
        __wbg_createBindGroupLayout_03a20e72b41b406e: function() { return handleError(function (arg0, arg1) {
            const ret = arg0.createBindGroupLayout(arg1);
            return ret;
        }, arguments); },
        __wbg_createBindGroup_ec4dc4d9e46e1104: function(arg0, arg1) {
            const ret = arg0.createBindGroup(arg1);
            return ret;
        },
        __wbg_createBuffer_baa81dab839b6c5c: function() { return handleError(function (arg0, arg1) {
            const ret = arg0.createBuffer(arg1);
            return ret;
        }, arguments); },
        __wbg_createCommandEncoder_a5136f45baaba888: function(arg0, arg1) {
            const ret = arg0.createCommandEncoder(arg1);
            return ret;
        },
        __wbg_createComputePipeline_6a05383609fddac6: function(arg0, arg1) {
            const ret = arg0.createComputePipeline(arg1);
            return ret;
        },
        __wbg_createPipelineLayout_a955ff1e35a63634: function(arg0, arg1) {
            const ret = arg0.createPipelineLayout(arg1);
            return ret;
        },
        __wbg_createShaderModule_f540847678b68e08: function(arg0, arg1) {
            const ret = arg0.createShaderModule(arg1);
            return ret;
        },
        __wbg_description_359d32310adf317e: function(arg0, arg1) {
            const ret = arg1.description;
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_dispatchWorkgroups_74a6ec8812ef9f3b: function(arg0, arg1, arg2, arg3) {
            arg0.dispatchWorkgroups(arg1 >>> 0, arg2 >>> 0, arg3 >>> 0);
        },
        __wbg_done_57e08d0be6e30c02: function(arg0) {
            const ret = arg0.done;
            return ret;
        },
        __wbg_end_23ba48463344fbc0: function(arg0) {
            arg0.end();
        },
        __wbg_error_2fa67a9496f77475: function(arg0) {
            const ret = arg0.error;
            return ret;
        },
        __wbg_finish_49529a046631ad9a: function(arg0) {
            const ret = arg0.finish();
            return ret;
        },
        __wbg_finish_678df663961386ff: function(arg0, arg1) {
            const ret = arg0.finish(arg1);
            return ret;
        },
        __wbg_getContext_1938edb9a972f63d: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.getContext(getStringFromWasm0(arg1, arg2));
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        }, arguments); },
        __wbg_getMappedRange_fd3092e276caa831: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.getMappedRange(arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_get_635eea311fa1a291: function() { return handleError(function (arg0, arg1) {
            const ret = Reflect.get(arg0, arg1);
            return ret;
        }, arguments); },
        __wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
            const ret = arg0[arg1 >>> 0];
            return ret;
        },
        __wbg_get_with_ref_key_fc601247060b7204: function(arg0, arg1) {
            const ret = arg0[arg1];
            return ret;
        },
        __wbg_gpu_aa311a9494720027: function(arg0) {
            const ret = arg0.gpu;
            return ret;
        },
        __wbg_gpudevice_new: function(arg0) {
            const ret = GpuDevice.__wrap(arg0);
            return ret;
        },
        __wbg_info_84c3d8389e807255: function(arg0) {
            const ret = arg0.info;
            return ret;
        },
        __wbg_instanceof_ArrayBuffer_12cdaa4161423e6b: function(arg0) {
            let result;
            try {
                result = arg0 instanceof ArrayBuffer;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_instanceof_GpuOutOfMemoryError_72d4f143d9ec20cb: function(arg0) {
            let result;
            try {
                result = arg0 instanceof GPUOutOfMemoryError;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_instanceof_GpuValidationError_cdb716bc3a7ed585: function(arg0) {
            let result;
            try {
                result = arg0 instanceof GPUValidationError;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: function(arg0) {
            let result;
            try {
                result = arg0 instanceof Uint8Array;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_isArray_bcf1376d0d732d08: function(arg0) {
            const ret = Array.isArray(arg0);
            return ret;
        },
        __wbg_isFallbackAdapter_b70ad418e985d5d4: function(arg0) {
            const ret = arg0.isFallbackAdapter;
            return ret;
        },
        __wbg_iterator_e4c5e8f68ada7b58: function() {
            const ret = Symbol.iterator;
            return ret;
        },
        __wbg_label_b4e9fa173fb30ad5: function(arg0, arg1) {
            const ret = arg1.label;
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_length_186163212ffe79c3: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_6e9d2869242cabf3: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_b03a0fabb109b1e9: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_limits_7f838192fdb36f0a: function(arg0) {
            const ret = arg0.limits;
            return ret;
        },
        __wbg_lost_b5bea941ce66b09b: function(arg0) {
            const ret = arg0.lost;
            return ret;
        },
        __wbg_mapAsync_84aeaa5780c9b8c7: function(arg0, arg1, arg2, arg3) {
            const ret = arg0.mapAsync(arg1 >>> 0, arg2, arg3);
            return ret;
        },
        __wbg_maxBindGroupsPlusVertexBuffers_5a483d2af94e57bc: function(arg0) {
            const ret = arg0.maxBindGroupsPlusVertexBuffers;
            return ret;
        },
        __wbg_maxBindGroups_8280e3693e832071: function(arg0) {
            const ret = arg0.maxBindGroups;
            return ret;
        },
        __wbg_maxBindingsPerBindGroup_872ae44e536b19a5: function(arg0) {
            const ret = arg0.maxBindingsPerBindGroup;
            return ret;
        },
        __wbg_maxBufferSize_9dae4d9428e42f10: function(arg0) {
            const ret = arg0.maxBufferSize;
            return ret;
        },
        __wbg_maxColorAttachmentBytesPerSample_12d8884108587e97: function(arg0) {
            const ret = arg0.maxColorAttachmentBytesPerSample;
            return ret;
        },
        __wbg_maxColorAttachments_deb9217288cb10c6: function(arg0) {
            const ret = arg0.maxColorAttachments;
            return ret;
        },
        __wbg_maxComputeInvocationsPerWorkgroup_c4b13a829ed0b259: function(arg0) {
            const ret = arg0.maxComputeInvocationsPerWorkgroup;
            return ret;
        },
        __wbg_maxComputeWorkgroupSizeX_91c35c8e026d4b2e: function(arg0) {
            const ret = arg0.maxComputeWorkgroupSizeX;
            return ret;
        },
        __wbg_maxComputeWorkgroupSizeY_961e4fb0ccb8e424: function(arg0) {
            const ret = arg0.maxComputeWorkgroupSizeY;
            return ret;
        },
        __wbg_maxComputeWorkgroupSizeZ_62c453c3b2746fe1: function(arg0) {
            const ret = arg0.maxComputeWorkgroupSizeZ;
            return ret;
        },
        __wbg_maxComputeWorkgroupStorageSize_dcf9113c2281aa6c: function(arg0) {
            const ret = arg0.maxComputeWorkgroupStorageSize;
            return ret;
        },
        __wbg_maxComputeWorkgroupsPerDimension_c8e2df553b22565e: function(arg0) {
            const ret = arg0.maxComputeWorkgroupsPerDimension;
            return ret;
        },
        __wbg_maxDynamicStorageBuffersPerPipelineLayout_43810e253385b7f5: function(arg0) {
            const ret = arg0.maxDynamicStorageBuffersPerPipelineLayout;
            return ret;
        },
        __wbg_maxDynamicUniformBuffersPerPipelineLayout_e160bf315957a3a1: function(arg0) {
            const ret = arg0.maxDynamicUniformBuffersPerPipelineLayout;
            return ret;
        },
        __wbg_maxInterStageShaderVariables_62a6f8974aa80170: function(arg0) {
            const ret = arg0.maxInterStageShaderVariables;
            return ret;
        },
        __wbg_maxSampledTexturesPerShaderStage_45931d0d0e425368: function(arg0) {
            const ret = arg0.maxSampledTexturesPerShaderStage;
            return ret;
        },
        __wbg_maxSamplersPerShaderStage_fd87b1b55a1bce03: function(arg0) {
            const ret = arg0.maxSamplersPerShaderStage;
            return ret;
        },
        __wbg_maxStorageBufferBindingSize_bec702c6fccfd8d5: function(arg0) {
            const ret = arg0.maxStorageBufferBindingSize;
            return ret;
        },
        __wbg_maxStorageBuffersPerShaderStage_36af4d1cf6b73e49: function(arg0) {
            const ret = arg0.maxStorageBuffersPerShaderStage;
            return ret;
        },
        __wbg_maxStorageTexturesPerShaderStage_bf0523882733deac: function(arg0) {
            const ret = arg0.maxStorageTexturesPerShaderStage;
            return ret;
        },
        __wbg_maxTextureArrayLayers_7c675fa8f48e7e97: function(arg0) {
            const ret = arg0.maxTextureArrayLayers;
            return ret;
        },
        __wbg_maxTextureDimension1D_bb69683afe97bf80: function(arg0) {
            const ret = arg0.maxTextureDimension1D;
            return ret;
        },
        __wbg_maxTextureDimension2D_cee54c433bf3b9c1: function(arg0) {
            const ret = arg0.maxTextureDimension2D;
            return ret;
        },
        __wbg_maxTextureDimension3D_ae26b58b1450c99a: function(arg0) {
            const ret = arg0.maxTextureDimension3D;
            return ret;
        },
        __wbg_maxUniformBufferBindingSize_00f780f64f0dd7c4: function(arg0) {
            const ret = arg0.maxUniformBufferBindingSize;
            return ret;
        },
        __wbg_maxUniformBuffersPerShaderStage_2c2054e9d96df7ad: function(arg0) {
            const ret = arg0.maxUniformBuffersPerShaderStage;
            return ret;
        },
        __wbg_maxVertexAttributes_425aa710b80da882: function(arg0) {
            const ret = arg0.maxVertexAttributes;
            return ret;
        },
        __wbg_maxVertexBufferArrayStride_8f0c56e46eba7c97: function(arg0) {
            const ret = arg0.maxVertexBufferArrayStride;
            return ret;
        },
        __wbg_maxVertexBuffers_473f2615aa5963dd: function(arg0) {
            const ret = arg0.maxVertexBuffers;
            return ret;
        },
        __wbg_message_0c79c7c15b1865af: function(arg0, arg1) {
            const ret = arg1.message;
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_message_bb4d389df9355dd2: function(arg0, arg1) {
            const ret = arg1.message;
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg_minStorageBufferOffsetAlignment_f9ce2fe03a21a2e4: function(arg0) {
            const ret = arg0.minStorageBufferOffsetAlignment;
            return ret;
        },
        __wbg_minUniformBufferOffsetAlignment_bca4b75f696bbf11: function(arg0) {
            const ret = arg0.minUniformBufferOffsetAlignment;
            return ret;
        },
        __wbg_navigator_9641ab32fa612dd1: function(arg0) {
            const ret = arg0.navigator;
            return ret;
        },
        __wbg_navigator_c17f443a6fe5d38d: function(arg0) {
            const ret = arg0.navigator;
            return ret;
        },
        __wbg_new_13de428334042d26: function(arg0) {
            const ret = new Uint8Array(arg0);
            return ret;
        },
        __wbg_new_2bfd0f45e60518b1: function() { return handleError(function (arg0, arg1) {
            const ret = new OffscreenCanvas(arg0 >>> 0, arg1 >>> 0);
            return ret;
        }, arguments); },
        __wbg_new_37eb45aaf5eeb820: function() {
            const ret = new Array();
            return ret;
        },
        __wbg_new_7075786089b89c5e: function() {
            const ret = new Map();
            return ret;
        },
        __wbg_new_cd4348290afae586: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_new_from_slice_3512352010266e02: function(arg0, arg1) {
            const ret = new Uint32Array(getArrayU32FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_from_slice_355c10c5d8f2addb: function(arg0, arg1) {
            const ret = new Float32Array(getArrayF32FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_from_slice_aaf85a9746711968: function(arg0, arg1) {
            const ret = new Float64Array(getArrayF64FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_from_slice_b8daf545a41c6aa0: function(arg0, arg1) {
            const ret = new Uint8Array(getArrayU8FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_typed_6b60b99917da27d6: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_new_typed_e09da9dae6ee5935: function(arg0, arg1) {
            try {
                var state0 = {a: arg0, b: arg1};
                var cb0 = (arg0, arg1) => {
                    const a = state0.a;
                    state0.a = 0;
                    try {
                        return wasm_bindgen__convert__closures_____invoke__h3db1156439c7e40d(a, state0.b, arg0, arg1);
                    } finally {
                        state0.a = a;
                    }
                };
                const ret = new Promise(cb0);
                return ret;
            } finally {
                state0.a = 0;
            }
        },
        __wbg_new_with_byte_offset_and_length_3cd32055a417f095: function(arg0, arg1, arg2) {
            const ret = new Uint8Array(arg0, arg1 >>> 0, arg2 >>> 0);
            return ret;
        },
        __wbg_new_with_length_01b143a7e5dd5a3e: function(arg0) {
            const ret = new Uint8Array(arg0 >>> 0);
            return ret;
        },
        __wbg_new_with_length_07edd8a7019b8c30: function(arg0) {
            const ret = new Float64Array(arg0 >>> 0);
            return ret;
        },
        __wbg_new_with_length_5c0c9043ebd9ec32: function(arg0) {
            const ret = new Float32Array(arg0 >>> 0);
            return ret;
        },
        __wbg_next_178c1651c11432b3: function(arg0) {
            const ret = arg0.next;
            return ret;
        },
        __wbg_next_af5ac6a08bb0a717: function() { return handleError(function (arg0) {
            const ret = arg0.next();
            return ret;
        }, arguments); },
        __wbg_onSubmittedWorkDone_f62945abb48d8a84: function(arg0) {
            const ret = arg0.onSubmittedWorkDone();
            return ret;
        },
        __wbg_prototypesetcall_13162965d1fe7aa3: function(arg0, arg1, arg2) {
            Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
        },
        __wbg_prototypesetcall_22b1bb88c4ec5c5a: function(arg0, arg1, arg2) {
            Float32Array.prototype.set.call(getArrayF32FromWasm0(arg0, arg1), arg2);
        },
        __wbg_queueMicrotask_1e8503a8a690f0a3: function(arg0) {
            const ret = arg0.queueMicrotask;
            return ret;
        },
        __wbg_queueMicrotask_4a1a4d8dd332373b: function(arg0) {
            queueMicrotask(arg0);
        },
        __wbg_queue_41b76331de876d9d: function(arg0) {
            const ret = arg0.queue;
            return ret;
        },
        __wbg_reason_9ebfbaed7b40f058: function(arg0) {
            const ret = arg0.reason;
            return (__wbindgen_enum_GpuDeviceLostReason.indexOf(ret) + 1 || 3) - 1;
        },
        __wbg_requestAdapter_b725cba92e32c4ce: function(arg0, arg1) {
            const ret = arg0.requestAdapter(arg1);
            return ret;
        },
        __wbg_requestDevice_45bc1149c3b98eaf: function(arg0, arg1) {
            const ret = arg0.requestDevice(arg1);
            return ret;
        },
        __wbg_resolve_dbf78ab4942478b0: function(arg0) {
            const ret = Promise.resolve(arg0);
            return ret;
        },
        __wbg_setBindGroup_09aa10258bd4dc11: function(arg0, arg1, arg2) {
            arg0.setBindGroup(arg1 >>> 0, arg2);
        },
        __wbg_setBindGroup_0e4a7b8b254673b9: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4, arg5, arg6) {
            arg0.setBindGroup(arg1 >>> 0, arg2, getArrayU32FromWasm0(arg3, arg4), arg5, arg6 >>> 0);
        }, arguments); },
        __wbg_setPipeline_1368374122476dc8: function(arg0, arg1) {
            arg0.setPipeline(arg1);
        },
        __wbg_set_118fefd528ab0a79: function(arg0, arg1, arg2) {
            arg0.set(arg1, arg2 >>> 0);
        },
        __wbg_set_2793479888329cb6: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = Reflect.set(arg0, arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_set_8282f7e0d2d01336: function(arg0, arg1, arg2) {
            const ret = arg0.set(arg1, arg2);
            return ret;
        },
        __wbg_set_access_46b3e62b6a30d608: function(arg0, arg1) {
            arg0.access = __wbindgen_enum_GpuStorageTextureAccess[arg1];
        },
        __wbg_set_beginning_of_pass_write_index_bda54c444871cf36: function(arg0, arg1) {
            arg0.beginningOfPassWriteIndex = arg1 >>> 0;
        },
        __wbg_set_bind_group_layouts_78efad321b8db306: function(arg0, arg1, arg2) {
            arg0.bindGroupLayouts = getArrayJsValueViewFromWasm0(arg1, arg2);
        },
        __wbg_set_binding_49121810d92bb656: function(arg0, arg1) {
            arg0.binding = arg1 >>> 0;
        },
        __wbg_set_binding_921af47b178839b7: function(arg0, arg1) {
            arg0.binding = arg1 >>> 0;
        },
        __wbg_set_buffer_e254d16772ccdf1f: function(arg0, arg1) {
            arg0.buffer = arg1;
        },
        __wbg_set_buffer_f0412de54dad59a0: function(arg0, arg1) {
            arg0.buffer = arg1;
        },
        __wbg_set_code_71b4a924b594417d: function(arg0, arg1, arg2) {
            arg0.code = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_compute_6328b3ac805fa957: function(arg0, arg1) {
            arg0.compute = arg1;
        },
        __wbg_set_d2d33b52458e984a: function(arg0, arg1, arg2) {
            arg0[arg1 >>> 0] = arg2;
        },
        __wbg_set_device_2b7e0e4f69784351: function(arg0, arg1) {
            arg0.device = arg1;
        },
        __wbg_set_e4b9a833d288759a: function(arg0, arg1, arg2) {
            arg0[arg1] = arg2;
        },
        __wbg_set_end_of_pass_write_index_4b0931cfb0c1f44c: function(arg0, arg1) {
            arg0.endOfPassWriteIndex = arg1 >>> 0;
        },
        __wbg_set_entries_02ae66da25c9ddae: function(arg0, arg1, arg2) {
            arg0.entries = getArrayJsValueViewFromWasm0(arg1, arg2);
        },
        __wbg_set_entries_8036374af27741dc: function(arg0, arg1, arg2) {
            arg0.entries = getArrayJsValueViewFromWasm0(arg1, arg2);
        },
        __wbg_set_entry_point_79bb4d8fb01c97ec: function(arg0, arg1, arg2) {
            arg0.entryPoint = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_external_texture_34c43368e77cc844: function(arg0, arg1) {
            arg0.externalTexture = arg1;
        },
        __wbg_set_format_c1603ca98ab9cb13: function(arg0, arg1) {
            arg0.format = __wbindgen_enum_GpuTextureFormat[arg1];
        },
        __wbg_set_format_df8baca64e04f5ef: function(arg0, arg1) {
            arg0.format = __wbindgen_enum_GpuTextureFormat[arg1];
        },
        __wbg_set_has_dynamic_offset_0086bc7faede16d1: function(arg0, arg1) {
            arg0.hasDynamicOffset = arg1 !== 0;
        },
        __wbg_set_label_1d7c053bc726e08f: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_1e431973068c0ea4: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_2d3e4456ff9a120a: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_89172d31c03b3375: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_a71d5f5c41bed969: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_d133ac18919ae10f: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_dcaa5d479cbb5311: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_e9f1af9890ad68b6: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_ef8bfd8864e594a4: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_label_f9171cd5c971dbf2: function(arg0, arg1, arg2) {
            arg0.label = getStringFromWasm0(arg1, arg2);
        },
        __wbg_set_layout_6b757fab7265d0f7: function(arg0, arg1) {
            arg0.layout = arg1;
        },
        __wbg_set_layout_bfddc4788acb0736: function(arg0, arg1) {
            arg0.layout = arg1;
        },
        __wbg_set_layout_gpu_auto_layout_mode_89827b74212f80b4: function(arg0, arg1) {
            arg0.layout = __wbindgen_enum_GpuAutoLayoutMode[arg1];
        },
        __wbg_set_mapped_at_creation_a4cd55019116b792: function(arg0, arg1) {
            arg0.mappedAtCreation = arg1 !== 0;
        },
        __wbg_set_min_binding_size_f64_2458ad9bffad7ea7: function(arg0, arg1) {
            arg0.minBindingSize = arg1;
        },
        __wbg_set_module_bffb3e27ccc03d8d: function(arg0, arg1) {
            arg0.module = arg1;
        },
        __wbg_set_multisampled_d385dcc24cbcdac9: function(arg0, arg1) {
            arg0.multisampled = arg1 !== 0;
        },
        __wbg_set_offset_f64_f65aa794a52b87dc: function(arg0, arg1) {
            arg0.offset = arg1;
        },
        __wbg_set_onuncapturederror_1a772a1feba5ec1d: function(arg0, arg1) {
            arg0.onuncapturederror = arg1;
        },
        __wbg_set_power_preference_06107ba643e66249: function(arg0, arg1) {
            arg0.powerPreference = __wbindgen_enum_GpuPowerPreference[arg1];
        },
        __wbg_set_query_set_a1af7e0b244eb437: function(arg0, arg1) {
            arg0.querySet = arg1;
        },
        __wbg_set_required_features_ef8aeb4d5f909e03: function(arg0, arg1, arg2) {
            arg0.requiredFeatures = getArrayJsValueViewFromWasm0(arg1, arg2);
        },
        __wbg_set_required_limits_a80a53fd4744ccb2: function(arg0, arg1) {
            arg0.requiredLimits = arg1;
        },
        __wbg_set_resource_d37005b6a3d3375f: function(arg0, arg1) {
            arg0.resource = arg1;
        },
        __wbg_set_resource_gpu_buffer_binding_8e9be21bc9a45330: function(arg0, arg1) {
            arg0.resource = arg1;
        },
        __wbg_set_resource_gpu_texture_view_e3bf3810e7168d2b: function(arg0, arg1) {
            arg0.resource = arg1;
        },
        __wbg_set_sample_type_660a4d77497517e2: function(arg0, arg1) {
            arg0.sampleType = __wbindgen_enum_GpuTextureSampleType[arg1];
        },
        __wbg_set_sampler_35b5b2e68532815b: function(arg0, arg1) {
            arg0.sampler = arg1;
        },
        __wbg_set_size_f64_04b949f2af8176ba: function(arg0, arg1) {
            arg0.size = arg1;
        },
        __wbg_set_size_f64_2418f77508fb05d7: function(arg0, arg1) {
            arg0.size = arg1;
        },
        __wbg_set_storage_texture_c2ed1f3eb327112e: function(arg0, arg1) {
            arg0.storageTexture = arg1;
        },
        __wbg_set_texture_39ac35f54ef4c3ba: function(arg0, arg1) {
            arg0.texture = arg1;
        },
        __wbg_set_timestamp_writes_90e77f617d9af260: function(arg0, arg1) {
            arg0.timestampWrites = arg1;
        },
        __wbg_set_type_6cc967b44400577b: function(arg0, arg1) {
            arg0.type = __wbindgen_enum_GpuSamplerBindingType[arg1];
        },
        __wbg_set_type_dd6c71bc279b420e: function(arg0, arg1) {
            arg0.type = __wbindgen_enum_GpuBufferBindingType[arg1];
        },
        __wbg_set_usage_1d663151adcb7f1a: function(arg0, arg1) {
            arg0.usage = arg1 >>> 0;
        },
        __wbg_set_view_dimension_ce6e77a9eb67aa53: function(arg0, arg1) {
            arg0.viewDimension = __wbindgen_enum_GpuTextureViewDimension[arg1];
        },
        __wbg_set_view_dimension_d5c87d8c6f1266b5: function(arg0, arg1) {
            arg0.viewDimension = __wbindgen_enum_GpuTextureViewDimension[arg1];
        },
        __wbg_set_visibility_f68d6576737b8b45: function(arg0, arg1) {
            arg0.visibility = arg1 >>> 0;
        },
        __wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc: function() {
            const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_GLOBAL_e4293fb22cbe77da: function() {
            const ret = typeof global === 'undefined' ? undefined : global;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_SELF_53bb20457401453d: function() {
            const ret = typeof self === 'undefined' ? undefined : self;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_WINDOW_b5e0810bfecb7feb: function() {
            const ret = typeof window === 'undefined' ? undefined : window;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_subgroupMaxSize_b33b2d37e3f1f5f5: function(arg0) {
            const ret = arg0.subgroupMaxSize;
            return ret;
        },
        __wbg_subgroupMinSize_ff381626432f1cbc: function(arg0) {
            const ret = arg0.subgroupMinSize;
            return ret;
        },
        __wbg_submit_c4379e221512d3fa: function(arg0, arg1, arg2) {
            arg0.submit(getArrayJsValueViewFromWasm0(arg1, arg2));
        },
        __wbg_then_3a4f899454bcf8c9: function(arg0, arg1) {
            const ret = arg0.then(arg1);
            return ret;
        },
        __wbg_then_656f253a5dd7d8ea: function(arg0, arg1, arg2) {
            const ret = arg0.then(arg1, arg2);
            return ret;
        },
        __wbg_then_e3f7f2d365708be8: function(arg0, arg1) {
            const ret = arg0.then(arg1);
            return ret;
        },
        __wbg_unconfigure_7ca436ff70c0bcc3: function(arg0) {
            arg0.unconfigure();
        },
        __wbg_unmap_073211b910c6a369: function(arg0) {
            arg0.unmap();
        },
        __wbg_valueOf_2ad4a09774ac959e: function(arg0) {
            const ret = arg0.valueOf();
            return ret;
        },
        __wbg_value_e0f328965e184931: function(arg0) {
            const ret = arg0.value;
            return ret;
        },
        __wbg_writeBuffer_dbc00ede89a23b5e: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4, arg5, arg6) {
            arg0.writeBuffer(arg1, arg2, getArrayU8FromWasm0(arg3, arg4), arg5, arg6);
        }, arguments); },
        __wbindgen_generic_0000000000000001: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [Externref], shim_idx: 173, ret: Result(Unit), inner_ret: Some(Result(Unit)) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h42e5844da15211a5);
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [NamedExternref("GPUDevice")], shim_idx: 116, ret: Result(Unit), inner_ret: Some(Result(Unit)) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6);
            return ret;
        },
        __wbindgen_generic_0000000000000003: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [NamedExternref("GPUDeviceLostInfo")], shim_idx: 120, ret: Unit, inner_ret: Some(Unit) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f);
            return ret;
        },
        __wbindgen_generic_0000000000000004: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [NamedExternref("GPUUncapturedErrorEvent")], shim_idx: 120, ret: Unit, inner_ret: Some(Unit) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f_155);
            return ret;
        },
        __wbindgen_generic_0000000000000005: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [NamedExternref("any")], shim_idx: 116, ret: Result(Unit), inner_ret: Some(Result(Unit)) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_156);
            return ret;
        },
        __wbindgen_generic_0000000000000006: function(arg0, arg1) {
            // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [NamedExternref("undefined")], shim_idx: 116, ret: Result(Unit), inner_ret: Some(Result(Unit)) }, mutable: true }) -> Externref`.
            const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_157);
            return ret;
        },
        __wbindgen_generic_0000000000000007: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000008: function(arg0) {
            // Cast intrinsic for `I64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000009: function(arg0, arg1) {
            // Cast intrinsic for `Ref(Slice(U8)) -> NamedExternref("Uint8Array")`.
            const ret = getArrayU8FromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_generic_000000000000000a: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_generic_000000000000000b: function(arg0) {
            // Cast intrinsic for `U64 -> Externref`.
            const ret = BigInt.asUintN(64, arg0);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./genmodels_bg.js": import0,
    };
}

function wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f(arg0, arg1, arg2) {
    wasm.wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f(arg0, arg1, arg2);
}

function wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f_155(arg0, arg1, arg2) {
    wasm.wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f_155(arg0, arg1, arg2);
}

function wasm_bindgen__convert__closures_____invoke__h42e5844da15211a5(arg0, arg1, arg2) {
    const ret = wasm.wasm_bindgen__convert__closures_____invoke__h42e5844da15211a5(arg0, arg1, arg2);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

function wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6(arg0, arg1, arg2) {
    const ret = wasm.wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6(arg0, arg1, arg2);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

function wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_156(arg0, arg1, arg2) {
    const ret = wasm.wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_156(arg0, arg1, arg2);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

function wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_157(arg0, arg1, arg2) {
    const ret = wasm.wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_157(arg0, arg1, arg2);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

function wasm_bindgen__convert__closures_____invoke__h3db1156439c7e40d(arg0, arg1, arg2, arg3) {
    wasm.wasm_bindgen__convert__closures_____invoke__h3db1156439c7e40d(arg0, arg1, arg2, arg3);
}


const __wbindgen_enum_GpuAutoLayoutMode = ["auto"];


const __wbindgen_enum_GpuBufferBindingType = ["uniform", "storage", "read-only-storage"];


const __wbindgen_enum_GpuDeviceLostReason = ["unknown", "destroyed"];


const __wbindgen_enum_GpuPowerPreference = ["low-power", "high-performance"];


const __wbindgen_enum_GpuSamplerBindingType = ["filtering", "non-filtering", "comparison"];


const __wbindgen_enum_GpuStorageTextureAccess = ["write-only", "read-only", "read-write"];


const __wbindgen_enum_GpuTextureFormat = ["r8unorm", "r8snorm", "r8uint", "r8sint", "r16unorm", "r16snorm", "r16uint", "r16sint", "r16float", "rg8unorm", "rg8snorm", "rg8uint", "rg8sint", "r32uint", "r32sint", "r32float", "rg16unorm", "rg16snorm", "rg16uint", "rg16sint", "rg16float", "rgba8unorm", "rgba8unorm-srgb", "rgba8snorm", "rgba8uint", "rgba8sint", "bgra8unorm", "bgra8unorm-srgb", "rgb9e5ufloat", "rgb10a2uint", "rgb10a2unorm", "rg11b10ufloat", "rg32uint", "rg32sint", "rg32float", "rgba16unorm", "rgba16snorm", "rgba16uint", "rgba16sint", "rgba16float", "rgba32uint", "rgba32sint", "rgba32float", "stencil8", "depth16unorm", "depth24plus", "depth24plus-stencil8", "depth32float", "depth32float-stencil8", "bc1-rgba-unorm", "bc1-rgba-unorm-srgb", "bc2-rgba-unorm", "bc2-rgba-unorm-srgb", "bc3-rgba-unorm", "bc3-rgba-unorm-srgb", "bc4-r-unorm", "bc4-r-snorm", "bc5-rg-unorm", "bc5-rg-snorm", "bc6h-rgb-ufloat", "bc6h-rgb-float", "bc7-rgba-unorm", "bc7-rgba-unorm-srgb", "etc2-rgb8unorm", "etc2-rgb8unorm-srgb", "etc2-rgb8a1unorm", "etc2-rgb8a1unorm-srgb", "etc2-rgba8unorm", "etc2-rgba8unorm-srgb", "eac-r11unorm", "eac-r11snorm", "eac-rg11unorm", "eac-rg11snorm", "astc-4x4-unorm", "astc-4x4-unorm-srgb", "astc-5x4-unorm", "astc-5x4-unorm-srgb", "astc-5x5-unorm", "astc-5x5-unorm-srgb", "astc-6x5-unorm", "astc-6x5-unorm-srgb", "astc-6x6-unorm", "astc-6x6-unorm-srgb", "astc-8x5-unorm", "astc-8x5-unorm-srgb", "astc-8x6-unorm", "astc-8x6-unorm-srgb", "astc-8x8-unorm", "astc-8x8-unorm-srgb", "astc-10x5-unorm", "astc-10x5-unorm-srgb", "astc-10x6-unorm", "astc-10x6-unorm-srgb", "astc-10x8-unorm", "astc-10x8-unorm-srgb", "astc-10x10-unorm", "astc-10x10-unorm-srgb", "astc-12x10-unorm", "astc-12x10-unorm-srgb", "astc-12x12-unorm", "astc-12x12-unorm-srgb"];


const __wbindgen_enum_GpuTextureSampleType = ["float", "unfilterable-float", "depth", "sint", "uint"];


const __wbindgen_enum_GpuTextureViewDimension = ["1d", "2d", "2d-array", "cube", "cube-array", "3d"];
const BenchWorkloadFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_benchworkload_free(ptr, 1));
const DensityDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_densitydemo_free(ptr, 1));
const GanDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_gandemo_free(ptr, 1));
const GanDigitsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_gandigits_free(ptr, 1));
const GpuDeviceFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_gpudevice_free(ptr, 1));
const GpuPixelCnnFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_gpupixelcnn_free(ptr, 1));
const KMeansDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_kmeansdemo_free(ptr, 1));
const PixelCnnDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_pixelcnndemo_free(ptr, 1));
const RnnDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_rnndemo_free(ptr, 1));
const VaeDemoFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_vaedemo_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function _assertClass(instance, klass) {
    if (!(instance instanceof klass)) {
        throw new Error(`expected instance of ${klass.name}`);
    }
}

const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a, state.b));

function debugString(val) {
    switch (typeof val) {
        // primitive types
        case 'number':
        case 'boolean':
        case 'undefined':
        return `${val}`;
        case 'string':
        return JSON.stringify(val);
        case 'bigint':
        return `${val}n`;
        case 'symbol':
        return val.description !== undefined
            ? `Symbol(${val.description})`
            : 'Symbol';
        case 'function':
        return typeof val.name === 'string' && val.name !== ''
            ? `Function(${val.name})`
            : 'Function';
        case 'object': {
            if (val === null) {
                return 'null';
            }
            // objects
            if (Array.isArray(val)) {
                return '[' + Array.from(val, debugString).join(', ') + ']';
            }
            // errors
            if (val instanceof Error) {
                return `${val.name}: ${val.message}\n${val.stack}`;
            }

            const toStringOutput = toString.call(val);
            // Test for built-in
            const className = /\[object ([^\]]+)\]/.exec(toStringOutput)?.[1];

            // Failed to match the standard '[object ClassName]'
            if (className === undefined) {
                return toStringOutput;
            }
            if (className === 'Object') {
                // we're a user defined class or Object
                // JSON.stringify avoids problems with cycles, and is generally much
                // easier than looping through ownProperties of `val`.
                try {
                    return 'Object(' + JSON.stringify(val) + ')';
                } catch (_) {
                    return 'Object';
                }
            }
            // TODO we could test for more things here, like `Set`s and `Map`s.
            return className;
        }
        // Per MDN: 'This list of values is exhaustive.'
        // https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/typeof#description
    }
}

function getArrayF32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayF64FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat64ArrayMemory0().subarray(ptr / 8, ptr / 8 + len);
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayJsValueViewFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    return result;
}

function getArrayU32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

let cachedFloat32ArrayMemory0 = null;
function getFloat32ArrayMemory0() {
    if (cachedFloat32ArrayMemory0 === null || cachedFloat32ArrayMemory0.byteLength === 0) {
        cachedFloat32ArrayMemory0 = new Float32Array(wasm.memory.buffer);
    }
    return cachedFloat32ArrayMemory0;
}

let cachedFloat64ArrayMemory0 = null;
function getFloat64ArrayMemory0() {
    if (cachedFloat64ArrayMemory0 === null || cachedFloat64ArrayMemory0.byteLength === 0) {
        cachedFloat64ArrayMemory0 = new Float64Array(wasm.memory.buffer);
    }
    return cachedFloat64ArrayMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint32ArrayMemory0 = null;
function getUint32ArrayMemory0() {
    if (cachedUint32ArrayMemory0 === null || cachedUint32ArrayMemory0.byteLength === 0) {
        cachedUint32ArrayMemory0 = new Uint32Array(wasm.memory.buffer);
    }
    return cachedUint32ArrayMemory0;
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function makeMutClosure(arg0, arg1, f) {
    const state = { a: arg0, b: arg1, cnt: 1 };
    const real = (...args) => {

        // First up with a closure we increment the internal reference
        // count. This ensures that the Rust closure environment won't
        // be deallocated while we're invoking it.
        state.cnt++;
        const a = state.a;
        state.a = 0;
        try {
            return f(a, state.b, ...args);
        } finally {
            state.a = a;
            real._wbg_cb_unref();
        }
    };
    real._wbg_cb_unref = () => {
        if (--state.cnt === 0) {
            wasm.__wbindgen_destroy_closure(state.a, state.b);
            state.a = 0;
            CLOSURE_DTORS.unregister(state);
        }
    };
    CLOSURE_DTORS.register(real, state, state);
    return real;
}

function passArray32ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 4, 4) >>> 0;
    getUint32ArrayMemory0().set(arg, ptr / 4);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayF32ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 4, 4) >>> 0;
    getFloat32ArrayMemory0().set(arg, ptr / 4);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayF64ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 8, 8) >>> 0;
    getFloat64ArrayMemory0().set(arg, ptr / 8);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedFloat32ArrayMemory0 = null;
    cachedFloat64ArrayMemory0 = null;
    cachedUint32ArrayMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('genmodels_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
