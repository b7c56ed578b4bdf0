// The cached PixelCNN sampler on the GPU: per row, two dispatches with one workgroup per image.
// The row phase computes the vertical stack for the whole row (it only sees rows above); the
// pixel phase then walks the row's pixels: horizontal stack, head and draw.
//
// Why it is shaped this way (a pixel's work is a chain of small layers, so the time is the
// chain's length and the loads, not the arithmetic):
// - Weights are read four outputs at a time (vec4), and each input value read once serves
//   those four.
// - In the row phase every invocation reads the same weight at the same time (invocations own
//   columns, not outputs): one load serves them all, and each serves two columns.
// - In the pixel phase one invocation computes each output quad whole, so a layer needs two
//   barriers and no partial sums; the gate is computed once per quad.
// - Everything a pixel reuses within the row (the current row of the vertical stack, the
//   current pixel's horizontal features, the row's pixel values) stays in workgroup memory;
//   storage holds only what later rows or later columns read.
// - The skip connections' sums stay in the registers of the invocations that own them for
//   all layers, and the draw finds the maximum, the sum and the chosen level in blocks of 16
//   levels in parallel (cpu::draw adds in the same order).
//
// {{NAME}} placeholders are replaced by the model's sizes before compilation (see mod.rs).

struct Params {
    row: u32,
    seed: u32,
    temperature: f32,
    store_all: u32,
}

@group(0) @binding(0) var<storage, read> weights: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read_write> state: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> pixels: array<u32>;
@group(0) @binding(4) var<storage, read_write> logits_out: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
@group(0) @binding(6) var<storage, read_write> row_pixels: array<u32>;

const C: u32 = {{C}}u;
const C2: u32 = {{C2}}u;
const S: u32 = {{S}}u;
const LEVELS: u32 = {{LEVELS}}u;
const W: u32 = {{W}}u;
const HW: u32 = {{HW}}u;
const L: u32 = {{L}}u;
const K0: u32 = {{K0}}u;
const K: u32 = {{K}}u;
const SLOTS: u32 = {{SLOTS}}u;
const STATE_STRIDE: u32 = {{STATE_STRIDE}}u;
const H_BASE: u32 = {{H_BASE}}u;
const H_ROW: u32 = {{H_ROW}}u;
const HEAD: u32 = {{HEAD}}u;
const LABELS: u32 = {{LABELS}}u;
const KNOWN: u32 = 256u;
// Quads (groups of four channels) of each width.
const CQ: u32 = C / 4u;
const C2Q: u32 = C2 / 4u;
const SQ: u32 = S / 4u;
const LQ: u32 = LEVELS / 4u;
// Invocations of the row phase, and the columns each one owns.
const RT: u32 = {{RT}}u;
const COLS: u32 = {{COLS}}u;
// Taps of the horizontal kernels after layer 0.
const KH: u32 = K / 2u + 1u;
// Invocations of the pixel phase, and the rounds they take over the skip projection's quads.
const PT: u32 = {{PT}}u;
const ROUNDS_S: u32 = {{ROUNDS_S}}u;
// The draw's blocks of levels.
const BLOCK: u32 = 16u;
const BLOCKS: u32 = (LEVELS + BLOCK - 1u) / BLOCK;
// Dilation of each layer's kernels (layer 0's is 1).
var<private> DILATIONS: array<u32, {{L}}> = array<u32, {{L}}>({{DILATIONS}});

// Row phase: the vertical stack's activations of the current row, by layer parity (2 x W x C).
var<workgroup> vact: array<vec4<f32>, {{VACT}}>;
// Pixel phase: the gated activations, the layer outputs by parity, the skip sums, the head,
// the draw's levels and blocks.
var<workgroup> gated: array<vec4<f32>, {{CQ}}>;
var<workgroup> hbuf: array<vec4<f32>, {{HBUF}}>;
var<workgroup> skips: array<vec4<f32>, {{SQ}}>;
var<workgroup> hidden: array<vec4<f32>, {{SQ}}>;
var<workgroup> levels: array<vec4<f32>, {{LQ}}>;
var<workgroup> weights_e: array<f32, {{LEVELS}}>;
var<workgroup> block_max: array<f32, {{BLOCKS}}>;
var<workgroup> block_sum: array<f32, {{BLOCKS}}>;
var<workgroup> rowpix: array<f32, {{W}}>;

// Offsets of a layer's tensors in `weights`, in floats (each a multiple of 4): 0 v_w, 1 v_b,
// 2 h_w, 3 h_b, 4 link_w, 5 link_b, 6 out_w, 7 out_b, 8 skip_w, 9 skip_b, 10 cond_v,
// 11 cond_h. Head: hidden_w, hidden_b, out_w, out_b.
fn off(l: u32, t: u32) -> u32 {
    return offsets[l * 12u + t] / 4u;
}

fn sigmoid4(x: vec4<f32>) -> vec4<f32> {
    return 1.0 / (1.0 + exp(-x));
}

fn normalise(p: u32) -> f32 {
    return f32(p & 255u) * (2.0 / f32(LEVELS - 1u)) - 1.0;
}

// acc += v[0] * w[at] + v[1] * w[at + stride] + ...: four inputs times four outputs.
fn mac4(acc: vec4<f32>, v: vec4<f32>, at: u32, stride: u32) -> vec4<f32> {
    return acc + v.x * weights[at] + v.y * weights[at + stride] + v.z * weights[at + 2u * stride]
        + v.w * weights[at + 3u * stride];
}

// The same counter-based generator as cpu::uniform_draw.
fn pcg_hash(v: u32) -> u32 {
    let s = v * 747796405u + 2891336453u;
    let word = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
    return (word >> 22u) ^ word;
}

fn uniform_draw(seed: u32, image: u32, pixel: u32) -> f32 {
    let h = pcg_hash(pcg_hash(seed) ^ pcg_hash(image * 65536u + pixel));
    return f32(h >> 8u) / 16777216.0;
}

@compute @workgroup_size({{RT}})
fn row_phase(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
    let img = wg.x;
    let r = params.row;
    let label = offsets[LABELS + img];
    let sbase = img * STATE_STRIDE;

    // The vertical stack and its link into the horizontal stack, layer by layer. Invocation
    // tid owns columns tid, tid + RT, ...: every invocation reads the same weight at the same
    // time (one load for all), and each weight read serves COLS columns.
    for (var l = 0u; l < L; l++) {
        let d = i32(DILATIONS[l]);
        var pre: array<vec4<f32>, {{PRE}}>;
        for (var q = 0u; q < C2Q; q++) {
            let bias = weights[off(l, 1u) + q] + weights[off(l, 10u) + label * C2Q + q];
            for (var j = 0u; j < COLS; j++) {
                pre[j * C2Q + q] = bias;
            }
        }
        if (l == 0u) {
            // Layer 0 sees the pixels of rows r-kv..r-1 (one input channel).
            let kv = K0 / 2u + 1u;
            for (var dy = 0u; dy < kv; dy++) {
                let rr = i32(r) - i32(kv) + i32(dy);
                if (rr < 0) {
                    continue;
                }
                for (var dx = 0u; dx < K0; dx++) {
                    var p: array<f32, {{COLS}}>;
                    for (var j = 0u; j < COLS; j++) {
                        let cc = i32(tid + j * RT) + i32(dx) - i32(K0 / 2u);
                        let inside = cc >= 0 && cc < i32(W);
                        let at = img * HW + u32(rr) * W + u32(clamp(cc, 0, i32(W) - 1));
                        p[j] = select(0.0, normalise(pixels[at]), inside);
                    }
                    let wb = off(0u, 0u) + (dy * K0 + dx) * C2Q;
                    for (var q = 0u; q < C2Q; q++) {
                        let w = weights[wb + q];
                        for (var j = 0u; j < COLS; j++) {
                            pre[j * C2Q + q] += p[j] * w;
                        }
                    }
                }
            }
        } else {
            // Later layers see rows r-(kv-1)d..r, step d: the current row from workgroup
            // memory (by layer parity), rows above from storage.
            let kv = K / 2u + 1u;
            let parity = ((l - 1u) % 2u) * W * CQ;
            for (var dy = 0u; dy < kv; dy++) {
                let rr = i32(r) - (i32(kv) - 1 - i32(dy)) * d;
                if (rr < 0) {
                    continue;
                }
                let current = u32(rr) == r;
                for (var dx = 0u; dx < K; dx++) {
                    let wb = off(l, 0u) + (dy * K + dx) * C * C2Q;
                    for (var iq = 0u; iq < CQ; iq++) {
                        var v: array<vec4<f32>, {{COLS}}>;
                        for (var j = 0u; j < COLS; j++) {
                            let cc = i32(tid + j * RT) + (i32(dx) - i32(K / 2u)) * d;
                            let inside = cc >= 0 && cc < i32(W);
                            let col = u32(clamp(cc, 0, i32(W) - 1));
                            var x: vec4<f32>;
                            if (current) {
                                x = vact[parity + col * CQ + iq];
                            } else {
                                x = state[sbase + ((l - 1u) * HW + u32(rr) * W + col) * CQ + iq];
                            }
                            v[j] = select(vec4<f32>(0.0), x, inside);
                        }
                        for (var q = 0u; q < C2Q; q++) {
                            let at = wb + 4u * iq * C2Q + q;
                            let w0 = weights[at];
                            let w1 = weights[at + C2Q];
                            let w2 = weights[at + 2u * C2Q];
                            let w3 = weights[at + 3u * C2Q];
                            for (var j = 0u; j < COLS; j++) {
                                pre[j * C2Q + q] += v[j].x * w0 + v[j].y * w1 + v[j].z * w2
                                    + v[j].w * w3;
                            }
                        }
                    }
                }
            }
        }
        // The gated activations (for the next layer and the rows below), after every
        // invocation has read the previous layer's.
        for (var j = 0u; j < COLS; j++) {
            let c = tid + j * RT;
            if (c < W) {
                for (var k = 0u; k < CQ; k++) {
                    let v = tanh(pre[j * C2Q + k]) * sigmoid4(pre[j * C2Q + CQ + k]);
                    vact[(l % 2u) * W * CQ + c * CQ + k] = v;
                    state[sbase + (l * HW + r * W + c) * CQ + k] = v;
                }
            }
        }
        // The link into the horizontal stack.
        for (var q = 0u; q < C2Q; q++) {
            let bias = weights[off(l, 5u) + q] + weights[off(l, 3u) + q]
                + weights[off(l, 11u) + label * C2Q + q];
            var acc: array<vec4<f32>, {{COLS}}>;
            for (var j = 0u; j < COLS; j++) {
                acc[j] = bias;
            }
            for (var iq = 0u; iq < C2Q; iq++) {
                let at = off(l, 4u) + 4u * iq * C2Q + q;
                let w0 = weights[at];
                let w1 = weights[at + C2Q];
                let w2 = weights[at + 2u * C2Q];
                let w3 = weights[at + 3u * C2Q];
                for (var j = 0u; j < COLS; j++) {
                    let v = pre[j * C2Q + iq];
                    acc[j] += v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3;
                }
            }
            for (var j = 0u; j < COLS; j++) {
                let c = tid + j * RT;
                if (c < W) {
                    state[sbase + H_BASE + (l * W + c) * C2Q + q] = acc[j];
                }
            }
        }
        workgroupBarrier();
    }
}

// Pixel phase: left to right along the row, one pixel after another. Each of a pixel's dot
// products is done whole by one invocation, so each layer needs two barriers and no partial
// sums: a barrier costs in proportion to the invocations it waits for.
@compute @workgroup_size({{PT}})
fn pixel_phase(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
    let img = wg.x;
    let r = params.row;
    let sbase = img * STATE_STRIDE;
    // The row's pixel values so far: known pixels, zero elsewhere until drawn.
    for (var c = tid; c < W; c += PT) {
        rowpix[c] = normalise(pixels[img * HW + r * W + c]);
    }
    workgroupBarrier();

    for (var c = 0u; c < W; c++) {
        // The skip sums of the quads tid, tid + PT, ... stay in registers over all layers.
        var skip_acc: array<vec4<f32>, {{ROUNDS_S}}>;
        for (var j = 0u; j < ROUNDS_S; j++) {
            skip_acc[j] = vec4<f32>(0.0);
        }
        for (var l = 0u; l < L; l++) {
            let d = DILATIONS[l];
            // Step A: quad k < CQ of the horizontal convolution's output and quad CQ+k (the
            // two halves its gate multiplies), and the gate.
            for (var k = tid; k < CQ; k += PT) {
                let base = sbase + H_BASE + (l * W + c) * C2Q;
                var a = state[base + k];
                var b = state[base + CQ + k];
                if (l == 0u) {
                    // Layer 0 sees the pixels c-kh..c-1 of this row.
                    let kh = K0 / 2u;
                    for (var dx = 0u; dx < kh; dx++) {
                        let cc = i32(c) - i32(kh) + i32(dx);
                        if (cc >= 0) {
                            let p = rowpix[u32(cc)];
                            a += p * weights[off(0u, 2u) + dx * C2Q + k];
                            b += p * weights[off(0u, 2u) + dx * C2Q + CQ + k];
                        }
                    }
                } else {
                    // Later layers see columns c-(KH-1)d..c, step d, of the previous layer's
                    // horizontal stack: the current column from hbuf, earlier ones from storage.
                    for (var tap = 0u; tap < KH; tap++) {
                        let back = (KH - 1u - tap) * d;
                        if (c < back) {
                            continue;
                        }
                        let vb = sbase + H_ROW + ((l - 1u) * W + c - back) * CQ;
                        for (var iq = 0u; iq < CQ; iq++) {
                            var v: vec4<f32>;
                            if (back == 0u) {
                                v = hbuf[((l - 1u) % 2u) * CQ + iq];
                            } else {
                                v = state[vb + iq];
                            }
                            let at = off(l, 2u) + (tap * C + 4u * iq) * C2Q + k;
                            a = mac4(a, v, at, C2Q);
                            b = mac4(b, v, at + CQ, C2Q);
                        }
                    }
                }
                gated[k] = tanh(a) * sigmoid4(b);
            }
            workgroupBarrier();
            // Step B: quad k < CQ finishes this layer's output (bias, residual, out projection)
            // and keeps it for the next layer (hbuf, by layer parity) and for later columns
            // (storage); then the skip projection's quads. Two loops rather than one with a
            // branch per role: a software adapter runs both sides of a branch that divides
            // its invocations.
            if (l + 1u < L) {
                // (The last layer's output feeds nothing.)
                for (var k = tid; k < CQ; k += PT) {
                    var h = weights[off(l, 7u) + k];
                    if (l > 0u) {
                        h += hbuf[((l - 1u) % 2u) * CQ + k];
                    }
                    for (var iq = 0u; iq < CQ; iq++) {
                        h = mac4(h, gated[iq], off(l, 6u) + 4u * iq * CQ + k, CQ);
                    }
                    hbuf[(l % 2u) * CQ + k] = h;
                    state[sbase + H_ROW + (l * W + c) * CQ + k] = h;
                }
            }
            for (var j = 0u; j < ROUNDS_S; j++) {
                let sq = tid + j * PT;
                if (sq < SQ) {
                    var acc = skip_acc[j] + weights[off(l, 9u) + sq];
                    for (var iq = 0u; iq < CQ; iq++) {
                        acc = mac4(acc, gated[iq], off(l, 8u) + 4u * iq * SQ + sq, SQ);
                    }
                    skip_acc[j] = acc;
                    if (l + 1u == L) {
                        skips[sq] = acc;
                    }
                }
            }
            workgroupBarrier();
        }

        // Head: relu(sum of skips) -> hidden (relu) -> logits.
        for (var hq = tid; hq < SQ; hq += PT) {
            var acc = weights[offsets[HEAD + 1u] / 4u + hq];
            for (var iq = 0u; iq < SQ; iq++) {
                acc = mac4(acc, max(skips[iq], vec4<f32>(0.0)), offsets[HEAD] / 4u + 4u * iq * SQ + hq, SQ);
            }
            hidden[hq] = max(acc, vec4<f32>(0.0));
        }
        workgroupBarrier();
        for (var lq = tid; lq < LQ; lq += PT) {
            var acc = weights[offsets[HEAD + 3u] / 4u + lq];
            for (var iq = 0u; iq < SQ; iq++) {
                acc = mac4(acc, hidden[iq], offsets[HEAD + 2u] / 4u + 4u * iq * LQ + lq, LQ);
            }
            levels[lq] = acc;
        }
        workgroupBarrier();
        // The draw: inverse CDF of softmax(logits / temperature), in blocks of BLOCK levels
        // (one invocation per block), as cpu::draw adds them.
        let at = r * W + c;
        let t = max(params.temperature, 0.001);
        let slot = select(c, at, params.store_all == 1u);
        for (var blk = tid; blk < BLOCKS; blk += PT) {
            var m = levels[blk * BLOCK / 4u].x;
            for (var q = blk * BLOCK; q < min(blk * BLOCK + BLOCK, LEVELS); q++) {
                let logit = levels[q / 4u][q % 4u];
                logits_out[(img * SLOTS + slot) * LEVELS + q] = logit;
                m = max(m, logit);
            }
            block_max[blk] = m;
        }
        workgroupBarrier();
        for (var blk = tid; blk < BLOCKS; blk += PT) {
            var m = block_max[0];
            for (var b = 1u; b < BLOCKS; b++) {
                m = max(m, block_max[b]);
            }
            var total = 0.0;
            for (var q = blk * BLOCK; q < min(blk * BLOCK + BLOCK, LEVELS); q++) {
                let e = exp((levels[q / 4u][q % 4u] - m) / t);
                weights_e[q] = e;
                total += e;
            }
            block_sum[blk] = total;
        }
        workgroupBarrier();
        if (tid == 0u) {
            let current = pixels[img * HW + at];
            var chosen = current & 255u;
            if ((current & KNOWN) == 0u) {
                var total = 0.0;
                for (var b = 0u; b < BLOCKS; b++) {
                    total += block_sum[b];
                }
                let target_mass = uniform_draw(params.seed, img, at) * total;
                var cum = 0.0;
                chosen = LEVELS - 1u;
                var found = false;
                for (var b = 0u; b < BLOCKS && !found; b++) {
                    if (cum + block_sum[b] > target_mass) {
                        for (var q = b * BLOCK; q < min(b * BLOCK + BLOCK, LEVELS); q++) {
                            cum += weights_e[q];
                            if (cum > target_mass) {
                                chosen = q;
                                found = true;
                                break;
                            }
                        }
                    } else {
                        cum += block_sum[b];
                    }
                }
            }
            pixels[img * HW + at] = chosen | (current & KNOWN);
            row_pixels[img * W + c] = chosen;
            rowpix[c] = normalise(chosen);
        }
        // Later columns read this column's horizontal features from storage.
        storageBarrier();
        workgroupBarrier();
    }
}
