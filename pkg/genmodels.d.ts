/* tslint:disable */
/* eslint-disable */

/**
 * The benchmark workloads of `bench.rs`, for timing with performance.now() in the page.
 */
export class BenchWorkload {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    static englishText(): string;
    /**
     * k-means on `n` blob points, k = 16.
     */
    static kmeans(n: number): BenchWorkload;
    lloydIteration(): void;
    /**
     * min-char-rnn's setting on 1 kB of English.
     */
    static minCharRnn(): BenchWorkload;
    static testImage(): Uint8Array;
    /**
     * Trains "hello" below 0.05 loss per character; returns the iterations it took.
     */
    static trainHello(): number;
    /**
     * Trains `iterations` iterations; returns the characters processed.
     */
    train(iterations: number): number;
}

export class DensityDemo {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Accuracy of the three classifiers on the held-out and the training points.
     */
    accuracies(): any;
    /**
     * Adds one point (a training point, or a held-out one); `label` is its class in the
     * classification part (ignored otherwise). In 1-D, y is ignored.
     */
    addPoint(x: number, y: number, held_out: boolean, label: number): void;
    /**
     * Per class of the "naive" or "full" classifier: prior, mean x, mean y, then its 1-sigma
     * ellipse (major radius, minor radius, angle).
     */
    classGaussians(which: string): Float64Array;
    /**
     * `count` points drawn from each class of the "naive" or "full" Gaussian classifier:
     * flat (x, y, class) triples.
     */
    classSamples(which: string, count: number, seed: any): Float32Array;
    classes(): number;
    clear(): void;
    /**
     * The overfitting curve of an estimator: mean ln p(x) per training and held-out point
     * against its setting (bin width, bandwidth, or number of components). For the mixture,
     * `kind` and `sigma` choose its covariances, `seed` its start. Returns a Float64Array of
     * [settings..., train..., held-out...].
     */
    curve(name: string, kind: string, sigma: number, seed: any): Float64Array;
    dim(): number;
    /**
     * The bound per point after every half-step.
     */
    emBounds(): Float64Array;
    /**
     * Whether EM has converged (a rise below 1e-6 nats per point with less than that left to
     * gain: `Mixture::converged`).
     */
    emConverged(): boolean;
    /**
     * The next EM half-step ("expectation" or "maximisation"); returns what it did:
     * { phase, bound, reseeded: [components moved], changed }.
     */
    emHalfStep(): any;
    emIterations(): number;
    /**
     * "expectation" or "maximisation", or "" without a mixture.
     */
    emNextPhase(): string;
    /**
     * Replaces the data: `part` is "1d" or "2d" (a density preset) or "classify" (a labelled
     * preset); 30% of the points, chosen by the seed, are held out.
     */
    generate(part: string, preset: string, n: number, seed: any): void;
    /**
     * The current estimator's density on a grid of cell centres over [0, 1]^d: `side` values
     * in 1-D, side x side (rows from y = 0) in 2-D.
     */
    grid(side: number): Float32Array;
    heldOutLabels(): Uint8Array;
    heldOutPoints(): Float64Array;
    /**
     * The logistic regression's loss after every step so far.
     */
    logisticLosses(): Float64Array;
    logisticReset(): void;
    /**
     * `steps` steps of gradient descent on the logistic regression; returns the loss.
     */
    logisticSteps(steps: number, learning_rate: number): number;
    /**
     * Per component: weight, mean x, mean y, then the 1-sigma ellipse (major radius, minor
     * radius, angle): 6 numbers each.
     */
    mixtureComponents(): Float64Array;
    /**
     * A fresh mixture of k components ("full", "diagonal" or "kmeans" covariances; sigma is the
     * k-means limit's fixed standard deviation), means placed by k-means++ from the seed.
     */
    mixtureReset(k: number, kind: string, sigma: number, seed: any): void;
    constructor();
    /**
     * p(y | x) on a side x side grid (rows from y = 0), `classes` values per cell, of the
     * "naive" or "full" Gaussian classifier or the "logistic" regression.
     */
    posteriorGrid(which: string, side: number): Float32Array;
    /**
     * The training points' responsibilities (point-major, k per point); empty before the
     * first E-step.
     */
    responsibilities(): Float32Array;
    /**
     * `count` points drawn from the current estimator (flat x, y pairs; y = 0 in 1-D).
     */
    sample(count: number, seed: any): Float32Array;
    /**
     * Mean ln p(x) per training and per held-out point under the current estimator:
     * { train, heldOut (-inf when a held-out point has zero density), zeroDensity (how many) }.
     */
    scores(): any;
    /**
     * "histogram" with its bin width, "kde" with its bandwidth, or "mixture" (the mixture
     * fitted so far; `setting` unused).
     */
    setEstimator(name: string, setting: number): void;
    trainLabels(): Uint8Array;
    /**
     * Training points, flat (x, y) pairs.
     */
    trainPoints(): Float64Array;
}

/**
 * A 2-D GAN in training.
 */
export class GanDemo {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * D(x) at given points.
     */
    discriminatorAt(points: Float32Array | number[]): Float32Array;
    /**
     * D(x) at the centres of a `side` x `side` grid over the unit square (row 0 at y near 0).
     */
    discriminatorGrid(side: number): Float32Array;
    /**
     * Why the run stopped, when it diverged.
     */
    diverged(): string | undefined;
    /**
     * JS, KL and the share outside the square, now (10,000 generated points, 30 x 30 cells).
     */
    divergences(): any;
    /**
     * Whether the learning rates have decayed to zero.
     */
    finished(): boolean;
    /**
     * G(z) for noise vectors (one or two numbers each).
     */
    generate(noise: Float32Array | number[]): Float32Array;
    /**
     * The generator's image of a grid over the noise space: `lines` lines each way, each of
     * `samples` points (with 1-D noise: one line of `lines * samples` points). Points x, y
     * interleaved, line after line. The grid spans [-1, 1] for uniform noise, [-2.5, 2.5] for
     * Gaussian (99% of its mass per axis).
     */
    generatorGrid(lines: number, samples: number): Float32Array;
    /**
     * The history from row `from` on: iteration, both losses, JS and KL (NaN between
     * evaluations).
     */
    history(from: number): any;
    /**
     * `n` whole iterations.
     */
    iterate(n: number): void;
    iteration(): number;
    /**
     * The modes' shares of the generated points (null for a line, a spiral or drawn data).
     */
    modeShares(): any;
    /**
     * The real distribution's centres of its modes, x0, y0, ... (for the legend's marks).
     */
    modes(): Float64Array;
    /**
     * A new run from its options (an object; missing ones take their defaults). Refuses a
     * setting out of range with a sentence.
     */
    constructor(options: any);
    /**
     * "discriminator" or "generator": the half-step that comes next.
     */
    nextPhase(): string;
    /**
     * `n` noise vectors from `seed` (the generator's input).
     */
    noise(n: number, seed: number): Float32Array;
    /**
     * The optimal discriminator for the generator as it is, D* = p_data / (p_data + p_g),
     * on the same grid as `discriminatorGrid`, p_g a kernel density of 10,000 generated points.
     */
    optimalDiscriminatorGrid(side: number): Float64Array;
    /**
     * Where the generator's next step moves each point: minus the gradient of its loss.
     */
    pointGradients(points: Float32Array | number[]): Float32Array;
    /**
     * The real density at the centres of a `side` x `side` grid (as `discriminatorGrid`).
     */
    realDensityGrid(side: number): Float64Array;
    /**
     * `n` samples of the real distribution from `seed` (x, y interleaved).
     */
    realPoints(n: number, seed: number): Float32Array;
    /**
     * Takes on a state from `state()` of a run with the same options; refuses other bytes with
     * a sentence and then changes nothing.
     */
    restore(bytes: Uint8Array | number[]): void;
    /**
     * The whole run as bytes, with the history rows from `historyFrom` on: what the page's
     * Web Worker sends back after training, to be drawn.
     */
    state(history_from: number): Uint8Array;
    /**
     * The discriminator's half-step (k updates).
     */
    trainDiscriminator(): void;
    /**
     * The generator's half-step (one update).
     */
    trainGenerator(): void;
}

/**
 * The class-conditional digits generator.
 */
export class GanDigits {
    free(): void;
    [Symbol.dispose](): void;
    card(): any;
    /**
     * The images of given noise vectors (`noise` holds whole vectors) for one class.
     */
    fromNoise(noise: Float32Array | number[], _class: number): Uint8Array;
    /**
     * `n` digits of `class` from `seed`: grey images one after another.
     */
    generate(n: number, _class: number, seed: number): Uint8Array;
    constructor(weights_bytes: Uint8Array | number[], card_json: string);
    /**
     * The noise vectors of `generate(n, class, seed)`, one after another.
     */
    noise(n: number, seed: number): Float32Array;
    /**
     * A walk of `steps` images from the noise of seed `a` to that of seed `b` (straight line
     * in z, both ends included), all of `class`.
     */
    walk(_class: number, a: number, b: number, steps: number): Uint8Array;
}

/**
 * A WebGPU device for the PixelCNN sampler. `GpuDevice.create()` rejects with a readable
 * message where WebGPU is missing or no adapter is available; the page then stays on the CPU.
 */
export class GpuDevice {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    static create(): Promise<GpuDevice>;
    /**
     * Prepares a GPU sampling run of `demo`'s model.
     */
    sampler(demo: PixelCnnDemo, labels: Uint32Array | number[], temperature: number, seed: number): GpuPixelCnn;
    readonly adapterName: string;
    /**
     * Why the device was lost, or `undefined` while it works. A lost device stays lost: the
     * page then uses the CPU and makes a new device.
     */
    readonly lostReason: string | undefined;
}

/**
 * One GPU sampling run: `sampleRow()` samples the next row of every image (one submission,
 * one read-back) and resolves to the number of rows done.
 */
export class GpuPixelCnn {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The distribution pixel `column` of the last row of image `index` was drawn from (the
     * GPU reads back the first image's; others give an empty array).
     */
    distribution(index: number, column: number): Float32Array;
    images(): Uint8Array;
    readbacks(): number;
    sampleRow(): Promise<any>;
    submissions(): number;
}

/**
 * k-means on 2-D points in [0, 1]^2, one half-step at a time.
 */
export class KMeansDemo {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds one point; the current run restarts from its centers.
     */
    addPoint(x: number, y: number): void;
    /**
     * Assign half-step; returns the number of points that changed owner.
     */
    assign(): number;
    /**
     * Owner of each point (4294967295 before the first assign).
     */
    assignment(): Uint32Array;
    centers(): Float32Array;
    clear(): void;
    converged(): boolean;
    /**
     * Up to `iterations` Lloyd iterations of the elbow search; returns the fraction of its
     * runs that have ended (1 when the curve is complete).
     */
    elbowAdvance(iterations: number): number;
    /**
     * The elbow curve so far: the best F for k = 1, 2, ... (NaN where no run has ended yet).
     */
    elbowCurve(): Float64Array;
    /**
     * Starts the elbow curve for k = 1..=max_k; `elbowAdvance` computes it a little at a time.
     */
    elbowStart(max_k: number, init: string, seed: any, restarts: number): void;
    /**
     * Replaces the points with a preset: blobs, uniform, smiley, rings, anisotropic,
     * unequal-variance or uneven-sizes.
     */
    generate(preset: string, n: number, blobs: number, seed: any): void;
    /**
     * Whichever half-step is next; returns "assign" or "recenter" (the one done).
     */
    halfStep(): string;
    iterations(): number;
    lastChanged(): number;
    /**
     * One full Lloyd iteration (benchmarks).
     */
    lloydIteration(): void;
    constructor();
    /**
     * "assign" or "recenter": the half-step that comes next.
     */
    nextPhase(): string;
    /**
     * The objective after every half-step.
     */
    objectives(): Float64Array;
    /**
     * Starts a run from centers the user clicked (flat x, y pairs).
     */
    placeCenters(centers: Float32Array | number[]): void;
    pointCount(): number;
    points(): Float32Array;
    previousCenters(): Float32Array;
    /**
     * Recenter half-step; returns the indices of empty centers.
     */
    recenter(): Uint32Array;
    /**
     * Starts a run: k centers placed by `init` (random, forgy, partition, kmeans++).
     */
    reset(k: number, init: string, seed: any): void;
    /**
     * Best objective of `restarts` runs to convergence; keeps the best run.
     */
    restarts(k: number, init: string, seed: any, restarts: number): number;
    /**
     * Runs to convergence (at most `max_iterations`); returns the objective.
     */
    runToConvergence(max_iterations: number): number;
    /**
     * "stay" or "farthest".
     */
    setEmptyRule(rule: string): void;
    /**
     * Replaces the points (flat x, y pairs).
     */
    setPoints(coords: Float32Array | number[]): void;
    /**
     * Nearest-center index for each cell of a cols x rows grid over the unit square.
     */
    voronoi(cols: number, rows: number): Uint8Array;
}

/**
 * A pretrained PixelCNN on the CPU: cached or naive sampling, likelihoods.
 */
export class PixelCnnDemo {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * -log2 p of every pixel of an image given its class: the likelihood heat map.
     */
    bitsPerPixel(pixels: Uint8Array | number[], label: number): Float32Array;
    /**
     * Multiply-adds per image of the cached sampler.
     */
    cachedMacsPerImage(): number;
    /**
     * The model card as an object.
     */
    card(): any;
    /**
     * The PixelCNN as a generative classifier: ln p(x | y) in nats for every class (one
     * batched pass, no sampling), then Bayes' rule with a uniform prior. Returns a
     * Float64Array of [ln p(x | y) per class..., p(y | x) per class...].
     */
    classifyByBayes(pixels: Uint8Array | number[]): Float64Array;
    /**
     * The distribution the last pixel of image `index` was drawn from.
     */
    distribution(index: number): Float32Array;
    /**
     * All images, one after the other (grey values; unsampled pixels are 0).
     */
    images(): Uint8Array;
    /**
     * Loads a model from its safetensors bytes and its model card (JSON text).
     */
    constructor(weights_bytes: Uint8Array | number[], card_json: string);
    /**
     * Pixels sampled so far (raster index of the next pixel).
     */
    nextPixel(): number;
    /**
     * 1 for every input pixel that can influence the output at (row, col).
     */
    receptiveField(row: number, col: number): Uint8Array;
    /**
     * Sampling with known pixels, which are kept: image completion, or carrying on from
     * pixels made elsewhere (a GPU run that stopped). `values` holds one image, used for
     * every label, or one image per label; `keep_mask` has one entry per pixel (1 = keep).
     */
    startKnown(labels: Uint32Array | number[], values: Uint8Array | number[], keep_mask: Uint8Array | number[], temperature: number, seed: number): void;
    /**
     * Starts the cached sampler on a share of a batch: `labels` are images `first_image`,
     * `first_image + 1`, ... of the whole batch, and draw the same random numbers as they
     * would there, so that the batch split among Web Workers gives the same images.
     */
    startShare(labels: Uint32Array | number[], temperature: number, seed: number, first_image: number): void;
    /**
     * Starts generating one image per label; `sampler` is "cached" or "naive".
     */
    start(labels: Uint32Array | number[], temperature: number, seed: number, sampler: string): void;
    /**
     * Samples up to `pixels` more pixels of every image; returns how many are done.
     */
    step(pixels: number): number;
}

/**
 * A character-level RNN trained and sampled live.
 */
export class RnnDemo {
    free(): void;
    [Symbol.dispose](): void;
    cell(): string;
    /**
     * Loss per character over the whole text (for short texts such as "hello").
     */
    fullTextLoss(): number;
    /**
     * `length` characters after `first`.
     */
    generate(first: string, length: number, temperature: number, greedy: boolean, seed: any): string;
    hidden(): number;
    iterations(): number;
    /**
     * Loads weights; on any problem the current model is kept and the error says why.
     */
    loadWeights(json: string): void;
    /**
     * Mean loss per character of every iteration so far.
     */
    losses(): Float64Array;
    /**
     * `cell`: "vanilla" or "lstm"; `optimizer`: "adagrad" or "adam".
     */
    constructor(text: string, cell: string, hidden: number, seq_len: number, optimizer: string, seed: any);
    /**
     * Starts sampling with `first` as the first character.
     */
    sampleStart(first: string): void;
    /**
     * One sampling step: { probs, index, character } — the distribution drawn from and the
     * character drawn, which becomes the next input.
     */
    sampleStep(temperature: number, greedy: boolean): any;
    /**
     * The weights as a JSON file's text.
     */
    saveWeights(): string;
    seqLen(): number;
    smoothLoss(): number;
    /**
     * Runs `iterations` training iterations; returns the last mean loss per character.
     */
    train(iterations: number): number;
    /**
     * The unrolled network on the first `seq_len` characters of the text, from a zero
     * state: [{input, hidden, scores, probs, target, loss}, ...].
     */
    unrolled(): any;
    vocab(): string[];
    /**
     * The weights as { w_x, w_h, b, w_y, b_y } arrays (row-major).
     */
    weights(): any;
}

/**
 * A pretrained VAE with a 2-D latent code.
 */
export class VaeDemo {
    free(): void;
    [Symbol.dispose](): void;
    card(): any;
    /**
     * The decoded image (grey levels, row-major) at latent point (x, y).
     */
    decode(x: number, y: number): Uint8Array;
    /**
     * The posterior of an image and its ELBO: { mu, sigma, reconstruction, kl, elbo, bits_per_dim }.
     */
    encode(pixels: Uint8Array | number[]): any;
    /**
     * Decodings at `steps` evenly spaced points from the posterior mean of image `a` to that
     * of image `b` (both ends included): images one after another.
     */
    interpolate(a: Uint8Array | number[], b: Uint8Array | number[], steps: number): Uint8Array;
    /**
     * Decodings over the square [-extent, extent]^2, `side` x `side` images, top row first
     * (y decreasing, as the plane is drawn): the manifold figure.
     */
    manifold(side: number, extent: number): Uint8Array;
    /**
     * Loads the model from its safetensors bytes and its model card (JSON text).
     */
    constructor(weights_bytes: Uint8Array | number[], card_json: string);
    /**
     * The latent points of `priorSamples(count, seed)`: x0, y0, x1, y1, ...
     */
    priorPoints(count_: number, seed: number): Float32Array;
    /**
     * Decodings of `count` draws z ~ N(0, I) from `seed`: images one after another, then
     * their latent points in `priorPoints`.
     */
    priorSamples(count_: number, seed: number): Uint8Array;
    /**
     * The reparameterisation for an image, step by step: `count` draws eps ~ N(0, I) from
     * `seed`, sigma * eps, and z = mu + sigma * eps: [{ eps, sigma_eps, z }].
     */
    reparameterise(pixels: Uint8Array | number[], count_: number, seed: number): any;
    /**
     * The true posterior p(z | x) of an image on a grid (side x side cells, zoomed onto its
     * mass) and ln p(x), beside the ELBO: { lo: [z1, z2], hi: [z1, z2], side, density
     * (Float32Array, rows from lo[1] up), logEvidence, elbo, gap, kl, bitsPerDim, grids }. The
     * gap ln p(x) - ELBO and KL(q || p(z | x)) are computed separately: they agree.
     */
    truePosterior(pixels: Uint8Array | number[], side: number): any;
}

/**
 * Stops the module with a trap (a wasm `unreachable` instruction), as an out-of-memory or a
 * panic would. Nothing on the page calls it: it lets a test check that the page recovers
 * from a trap (it reinstantiates the module and says so) instead of dying.
 */
export function debugTrap(): void;

/**
 * The overfitting curve of an estimator (see `DensityDemo::curve`) for the given points,
 * reporting the fraction done to `progress` (a function of one number, optional) as it goes:
 * the page computes it in a Web Worker, since at thousands of points it takes seconds.
 */
export function densityCurve(dim: number, train: Float64Array | number[], held_out: Float64Array | number[], name: string, kind: string, sigma: number, seed: any, progress?: Function | null): Float64Array;

/**
 * Each generator loss, and its slope with respect to D's raw output, at `n` values of
 * D(G(z)) evenly spaced in (0, 1): [D..., minimax..., non-saturating..., least squares...,
 * then the three slopes]. The loss plot's curves.
 */
export function ganLossCurves(n: number): Float64Array;

/**
 * The kernel density's scores (as `DensityDemo::scores` gives them with the KDE chosen) for
 * the given points: n^2 kernels, a third of a second at 5,000 points, so the page's Web
 * Worker computes them.
 */
export function kdeScores(dim: number, train: Float64Array | number[], held_out: Float64Array | number[], bandwidth: number): any;

/**
 * Parses a demo's URL settings (the part after `?` in the hash) into valid values,
 * with a notice for every value that was refused. See `urlstate`.
 */
export function parseDemoSettings(demo: string, query: string): any;

/**
 * Reads drawn points written as "x,y;x,y;..." (the URL's form): each pair in the unit square,
 * at most 2,000 pairs. Returns x0, y0, x1, y1, ...
 */
export function parseGanPoints(text: string): Float64Array;

/**
 * Colour quantization of RGBA pixels with k colours: { palette, image, objective }, the
 * palette (RGB) and the image (RGBA) as Uint8Arrays (plain arrays of four million numbers
 * took longer to build than the quantization itself).
 */
export function quantizeColors(rgba: Uint8Array | number[], k: number, seed: any, iterations: number): any;

/**
 * Version of the wasm module, shown in the page footer.
 */
export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_benchworkload_free: (a: number, b: number) => void;
    readonly __wbg_densitydemo_free: (a: number, b: number) => void;
    readonly __wbg_gandemo_free: (a: number, b: number) => void;
    readonly __wbg_gandigits_free: (a: number, b: number) => void;
    readonly __wbg_gpudevice_free: (a: number, b: number) => void;
    readonly __wbg_gpupixelcnn_free: (a: number, b: number) => void;
    readonly __wbg_kmeansdemo_free: (a: number, b: number) => void;
    readonly __wbg_pixelcnndemo_free: (a: number, b: number) => void;
    readonly __wbg_rnndemo_free: (a: number, b: number) => void;
    readonly __wbg_vaedemo_free: (a: number, b: number) => void;
    readonly benchworkload_englishText: () => [number, number];
    readonly benchworkload_kmeans: (a: number) => number;
    readonly benchworkload_lloydIteration: (a: number) => void;
    readonly benchworkload_minCharRnn: () => number;
    readonly benchworkload_testImage: () => any;
    readonly benchworkload_train: (a: number, b: number) => number;
    readonly benchworkload_trainHello: () => number;
    readonly debugTrap: () => void;
    readonly densityCurve: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: any, l: number) => [number, number, number];
    readonly densitydemo_accuracies: (a: number) => [number, number, number];
    readonly densitydemo_addPoint: (a: number, b: number, c: number, d: number, e: number) => [number, number];
    readonly densitydemo_classGaussians: (a: number, b: number, c: number) => [number, number, number];
    readonly densitydemo_classSamples: (a: number, b: number, c: number, d: number, e: any) => [number, number, number];
    readonly densitydemo_classes: (a: number) => number;
    readonly densitydemo_clear: (a: number) => void;
    readonly densitydemo_curve: (a: number, b: number, c: number, d: number, e: number, f: number, g: any) => [number, number, number];
    readonly densitydemo_dim: (a: number) => number;
    readonly densitydemo_emBounds: (a: number) => any;
    readonly densitydemo_emConverged: (a: number) => number;
    readonly densitydemo_emHalfStep: (a: number) => [number, number, number];
    readonly densitydemo_emIterations: (a: number) => number;
    readonly densitydemo_emNextPhase: (a: number) => [number, number];
    readonly densitydemo_generate: (a: number, b: number, c: number, d: number, e: number, f: number, g: any) => [number, number];
    readonly densitydemo_grid: (a: number, b: number) => [number, number, number];
    readonly densitydemo_heldOutLabels: (a: number) => any;
    readonly densitydemo_heldOutPoints: (a: number) => any;
    readonly densitydemo_logisticLosses: (a: number) => any;
    readonly densitydemo_logisticReset: (a: number) => void;
    readonly densitydemo_logisticSteps: (a: number, b: number, c: number) => [number, number, number];
    readonly densitydemo_mixtureComponents: (a: number) => any;
    readonly densitydemo_mixtureReset: (a: number, b: number, c: number, d: number, e: number, f: any) => [number, number];
    readonly densitydemo_new: () => number;
    readonly densitydemo_posteriorGrid: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly densitydemo_responsibilities: (a: number) => any;
    readonly densitydemo_sample: (a: number, b: number, c: any) => [number, number, number];
    readonly densitydemo_scores: (a: number) => [number, number, number];
    readonly densitydemo_setEstimator: (a: number, b: number, c: number, d: number) => [number, number];
    readonly densitydemo_trainLabels: (a: number) => any;
    readonly densitydemo_trainPoints: (a: number) => any;
    readonly ganLossCurves: (a: number) => [number, number, number];
    readonly gandemo_discriminatorAt: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_discriminatorGrid: (a: number, b: number) => [number, number, number];
    readonly gandemo_diverged: (a: number) => [number, number];
    readonly gandemo_divergences: (a: number) => [number, number, number];
    readonly gandemo_finished: (a: number) => number;
    readonly gandemo_generate: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_generatorGrid: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_history: (a: number, b: number) => [number, number, number];
    readonly gandemo_iterate: (a: number, b: number) => [number, number];
    readonly gandemo_iteration: (a: number) => number;
    readonly gandemo_modeShares: (a: number) => [number, number, number];
    readonly gandemo_modes: (a: number) => any;
    readonly gandemo_new: (a: any) => [number, number, number];
    readonly gandemo_nextPhase: (a: number) => [number, number];
    readonly gandemo_noise: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_optimalDiscriminatorGrid: (a: number, b: number) => [number, number, number];
    readonly gandemo_pointGradients: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_realDensityGrid: (a: number, b: number) => [number, number, number];
    readonly gandemo_realPoints: (a: number, b: number, c: number) => [number, number, number];
    readonly gandemo_restore: (a: number, b: number, c: number) => [number, number];
    readonly gandemo_state: (a: number, b: number) => [number, number, number];
    readonly gandemo_trainDiscriminator: (a: number) => [number, number];
    readonly gandemo_trainGenerator: (a: number) => [number, number];
    readonly gandigits_card: (a: number) => [number, number, number];
    readonly gandigits_fromNoise: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly gandigits_generate: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly gandigits_new: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly gandigits_noise: (a: number, b: number, c: number) => [number, number, number];
    readonly gandigits_walk: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly gpudevice_adapterName: (a: number) => [number, number];
    readonly gpudevice_create: () => any;
    readonly gpudevice_lostReason: (a: number) => [number, number];
    readonly gpudevice_sampler: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly gpupixelcnn_distribution: (a: number, b: number, c: number) => [number, number, number];
    readonly gpupixelcnn_images: (a: number) => any;
    readonly gpupixelcnn_readbacks: (a: number) => number;
    readonly gpupixelcnn_sampleRow: (a: number) => any;
    readonly gpupixelcnn_submissions: (a: number) => number;
    readonly kdeScores: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly kmeansdemo_addPoint: (a: number, b: number, c: number) => [number, number];
    readonly kmeansdemo_assign: (a: number) => [number, number, number];
    readonly kmeansdemo_assignment: (a: number) => any;
    readonly kmeansdemo_centers: (a: number) => any;
    readonly kmeansdemo_clear: (a: number) => void;
    readonly kmeansdemo_converged: (a: number) => number;
    readonly kmeansdemo_elbowAdvance: (a: number, b: number) => [number, number, number];
    readonly kmeansdemo_elbowCurve: (a: number) => any;
    readonly kmeansdemo_elbowStart: (a: number, b: number, c: number, d: number, e: any, f: number) => [number, number];
    readonly kmeansdemo_generate: (a: number, b: number, c: number, d: number, e: number, f: any) => [number, number];
    readonly kmeansdemo_halfStep: (a: number) => [number, number, number, number];
    readonly kmeansdemo_iterations: (a: number) => number;
    readonly kmeansdemo_lastChanged: (a: number) => number;
    readonly kmeansdemo_lloydIteration: (a: number) => [number, number];
    readonly kmeansdemo_new: () => number;
    readonly kmeansdemo_nextPhase: (a: number) => [number, number];
    readonly kmeansdemo_objectives: (a: number) => any;
    readonly kmeansdemo_placeCenters: (a: number, b: number, c: number) => [number, number];
    readonly kmeansdemo_pointCount: (a: number) => number;
    readonly kmeansdemo_points: (a: number) => any;
    readonly kmeansdemo_previousCenters: (a: number) => any;
    readonly kmeansdemo_recenter: (a: number) => [number, number, number, number];
    readonly kmeansdemo_reset: (a: number, b: number, c: number, d: number, e: any) => [number, number];
    readonly kmeansdemo_restarts: (a: number, b: number, c: number, d: number, e: any, f: number) => [number, number, number];
    readonly kmeansdemo_runToConvergence: (a: number, b: number) => [number, number, number];
    readonly kmeansdemo_setEmptyRule: (a: number, b: number, c: number) => [number, number];
    readonly kmeansdemo_setPoints: (a: number, b: number, c: number) => [number, number];
    readonly kmeansdemo_voronoi: (a: number, b: number, c: number) => [number, number, number];
    readonly parseDemoSettings: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly parseGanPoints: (a: number, b: number) => [number, number, number];
    readonly pixelcnndemo_bitsPerPixel: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly pixelcnndemo_cachedMacsPerImage: (a: number) => number;
    readonly pixelcnndemo_card: (a: number) => [number, number, number];
    readonly pixelcnndemo_classifyByBayes: (a: number, b: number, c: number) => [number, number, number];
    readonly pixelcnndemo_distribution: (a: number, b: number) => [number, number, number];
    readonly pixelcnndemo_images: (a: number) => any;
    readonly pixelcnndemo_new: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly pixelcnndemo_nextPixel: (a: number) => number;
    readonly pixelcnndemo_receptiveField: (a: number, b: number, c: number) => [number, number, number];
    readonly pixelcnndemo_start: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly pixelcnndemo_startKnown: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number) => [number, number];
    readonly pixelcnndemo_startShare: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly pixelcnndemo_step: (a: number, b: number) => [number, number, number];
    readonly quantizeColors: (a: number, b: number, c: number, d: any, e: number) => [number, number, number];
    readonly rnndemo_cell: (a: number) => [number, number];
    readonly rnndemo_fullTextLoss: (a: number) => number;
    readonly rnndemo_generate: (a: number, b: number, c: number, d: number, e: number, f: number, g: any) => [number, number, number, number];
    readonly rnndemo_hidden: (a: number) => number;
    readonly rnndemo_iterations: (a: number) => number;
    readonly rnndemo_loadWeights: (a: number, b: number, c: number) => [number, number];
    readonly rnndemo_losses: (a: number) => any;
    readonly rnndemo_new: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: any) => [number, number, number];
    readonly rnndemo_sampleStart: (a: number, b: number, c: number) => [number, number];
    readonly rnndemo_sampleStep: (a: number, b: number, c: number) => [number, number, number];
    readonly rnndemo_saveWeights: (a: number) => [number, number];
    readonly rnndemo_seqLen: (a: number) => number;
    readonly rnndemo_smoothLoss: (a: number) => number;
    readonly rnndemo_train: (a: number, b: number) => [number, number, number];
    readonly rnndemo_unrolled: (a: number) => [number, number, number];
    readonly rnndemo_vocab: (a: number) => [number, number];
    readonly rnndemo_weights: (a: number) => [number, number, number];
    readonly vaedemo_card: (a: number) => [number, number, number];
    readonly vaedemo_decode: (a: number, b: number, c: number) => [number, number, number];
    readonly vaedemo_encode: (a: number, b: number, c: number) => [number, number, number];
    readonly vaedemo_interpolate: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly vaedemo_manifold: (a: number, b: number, c: number) => [number, number, number];
    readonly vaedemo_new: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly vaedemo_priorPoints: (a: number, b: number, c: number) => [number, number, number];
    readonly vaedemo_priorSamples: (a: number, b: number, c: number) => [number, number, number];
    readonly vaedemo_reparameterise: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly vaedemo_truePosterior: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly version: () => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_156: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h07b322b73d7af8d6_157: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h3db1156439c7e40d: (a: number, b: number, c: any, d: any) => void;
    readonly wasm_bindgen__convert__closures_____invoke__h42e5844da15211a5: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f: (a: number, b: number, c: any) => void;
    readonly wasm_bindgen__convert__closures_____invoke__h22e0e4087009d62f_155: (a: number, b: number, c: any) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_destroy_closure: (a: number, b: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
