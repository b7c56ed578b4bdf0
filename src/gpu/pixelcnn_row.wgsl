// The cached PixelCNN sampler on the GPU: one dispatch samples a whole row of every image.
// One workgroup per image. Per row: the vertical stack for the whole row (it only sees rows
// above), then for each pixel the horizontal stack, the head, and the draw, all in
// workgroup memory, with barriers between the phases.
//
// {{NAME}} placeholders are replaced by the model's sizes before compilation (see mod.rs).

struct Params {
    row: u32,
    seed: u32,
    temperature: f32,
    store_all: u32,
}

@group(0) @binding(0) var<storage, read> weights: array<f32>;
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;
@group(0) @binding(3) var<storage, read_write> pixels: array<u32>;
@group(0) @binding(4) var<storage, read_write> logits_out: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

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
const V_ACT: u32 = 0u;
const H_BASE: u32 = {{H_BASE}}u;
const H_ROW: u32 = {{H_ROW}}u;
const HEAD: u32 = {{HEAD}}u;
const LABELS: u32 = {{LABELS}}u;
const KNOWN: u32 = 256u;
// Dilation of each layer's kernels (layer 0's is 1).
var<private> DILATIONS: array<u32, {{L}}> = array<u32, {{L}}>({{DILATIONS}});

var<workgroup> vpre: array<f32, {{W_C2}}>;
var<workgroup> pre: array<f32, {{C2}}>;
var<workgroup> gated: array<f32, {{C}}>;
var<workgroup> skip: array<f32, {{S}}>;
var<workgroup> hidden: array<f32, {{S}}>;
var<workgroup> logits: array<f32, {{LEVELS}}>;

// Offsets of a layer's tensors in `weights`: 0 v_w, 1 v_b, 2 h_w, 3 h_b, 4 link_w, 5 link_b,
// 6 out_w, 7 out_b, 8 skip_w, 9 skip_b, 10 cond_v, 11 cond_h. Head: hidden_w, hidden_b, out_w, out_b.
fn off(l: u32, t: u32) -> u32 {
    return offsets[l * 12u + t];
}

fn sigmoid(x: f32) -> f32 {
    return 1.0 / (1.0 + exp(-x));
}

fn pixel_input(img: u32, at: u32) -> f32 {
    return f32(pixels[img * HW + at] & 255u) * (2.0 / f32(LEVELS - 1u)) - 1.0;
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

@compute @workgroup_size(256)
fn sample_row(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
    let img = wg.x;
    let r = params.row;
    let label = offsets[LABELS + img];
    let sbase = img * STATE_STRIDE;

    // Row phase: vertical stack and its link into the horizontal stack, layer by layer.
    for (var l = 0u; l < L; l++) {
        let first = l == 0u;
        let cin = select(C, 1u, first);
        let k = select(K, K0, first);
        let kv = k / 2u + 1u;
        let d = i32(DILATIONS[l]);
        for (var o = tid; o < W * C2; o += 256u) {
            let c = o / C2;
            let j = o % C2;
            var acc = weights[off(l, 1u) + j] + weights[off(l, 10u) + label * C2 + j];
            for (var dy = 0u; dy < kv; dy++) {
                // Layer 0 sees rows r-kv..r-1; later layers rows r-(kv-1)d..r, step d.
                let rr = select(i32(r) - (i32(kv) - 1 - i32(dy)) * d, i32(r) - i32(kv) + i32(dy), first);
                if (rr < 0) {
                    continue;
                }
                for (var dx = 0u; dx < k; dx++) {
                    let cc = i32(c) + (i32(dx) - i32(k / 2u)) * d;
                    if (cc < 0 || cc >= i32(W)) {
                        continue;
                    }
                    let at = u32(rr) * W + u32(cc);
                    let wbase = off(l, 0u) + (dy * k + dx) * cin * C2 + j;
                    if (first) {
                        acc += pixel_input(img, at) * weights[wbase];
                    } else {
                        let vb = sbase + V_ACT + ((l - 1u) * HW + at) * C;
                        for (var i = 0u; i < C; i++) {
                            acc += state[vb + i] * weights[wbase + i * C2];
                        }
                    }
                }
            }
            vpre[o] = acc;
        }
        workgroupBarrier();
        for (var o = tid; o < W * C2; o += 256u) {
            let c = o / C2;
            let j = o % C2;
            if (j < C) {
                state[sbase + V_ACT + (l * HW + r * W + c) * C + j] =
                    tanh(vpre[c * C2 + j]) * sigmoid(vpre[c * C2 + C + j]);
            }
            var acc = weights[off(l, 5u) + j] + weights[off(l, 3u) + j] + weights[off(l, 11u) + label * C2 + j];
            for (var i = 0u; i < C2; i++) {
                acc += vpre[c * C2 + i] * weights[off(l, 4u) + i * C2 + j];
            }
            state[sbase + H_BASE + (l * W + c) * C2 + j] = acc;
        }
        storageBarrier();
        workgroupBarrier();
    }

    // Pixel phase: left to right along the row.
    for (var c = 0u; c < W; c++) {
        if (tid < S) {
            skip[tid] = 0.0;
        }
        for (var l = 0u; l < L; l++) {
            let first = l == 0u;
            let cin = select(C, 1u, first);
            let kh = select(K / 2u + 1u, K0 / 2u, first);
            let d = i32(DILATIONS[l]);
            if (tid < C2) {
                var acc = state[sbase + H_BASE + (l * W + c) * C2 + tid];
                for (var dx = 0u; dx < kh; dx++) {
                    // Layer 0 sees columns c-kh..c-1; later layers c-(kh-1)d..c, step d.
                    let cc = select(i32(c) - (i32(kh) - 1 - i32(dx)) * d, i32(c) - i32(kh) + i32(dx), first);
                    if (cc < 0) {
                        continue;
                    }
                    let wbase = off(l, 2u) + dx * cin * C2 + tid;
                    if (first) {
                        acc += pixel_input(img, r * W + u32(cc)) * weights[wbase];
                    } else {
                        let hb = sbase + H_ROW + ((l - 1u) * W + u32(cc)) * C;
                        for (var i = 0u; i < C; i++) {
                            acc += state[hb + i] * weights[wbase + i * C2];
                        }
                    }
                }
                pre[tid] = acc;
            }
            workgroupBarrier();
            if (tid < C) {
                gated[tid] = tanh(pre[tid]) * sigmoid(pre[C + tid]);
            }
            workgroupBarrier();
            if (tid < C) {
                var acc = weights[off(l, 7u) + tid];
                for (var i = 0u; i < C; i++) {
                    acc += gated[i] * weights[off(l, 6u) + i * C + tid];
                }
                if (!first) {
                    acc += state[sbase + H_ROW + ((l - 1u) * W + c) * C + tid];
                }
                state[sbase + H_ROW + (l * W + c) * C + tid] = acc;
            }
            if (tid < S) {
                var acc = skip[tid] + weights[off(l, 9u) + tid];
                for (var i = 0u; i < C; i++) {
                    acc += gated[i] * weights[off(l, 8u) + i * S + tid];
                }
                skip[tid] = acc;
            }
            storageBarrier();
            workgroupBarrier();
        }
        if (tid < S) {
            var acc = weights[offsets[HEAD + 1u] + tid];
            for (var i = 0u; i < S; i++) {
                acc += max(skip[i], 0.0) * weights[offsets[HEAD] + i * S + tid];
            }
            hidden[tid] = max(acc, 0.0);
        }
        workgroupBarrier();
        if (tid < LEVELS) {
            var acc = weights[offsets[HEAD + 3u] + tid];
            for (var i = 0u; i < S; i++) {
                acc += hidden[i] * weights[offsets[HEAD + 2u] + i * LEVELS + tid];
            }
            logits[tid] = acc;
            let slot = select(c, r * W + c, params.store_all == 1u);
            logits_out[(img * SLOTS + slot) * LEVELS + tid] = acc;
        }
        workgroupBarrier();
        if (tid == 0u) {
            let at = r * W + c;
            let current = pixels[img * HW + at];
            var chosen = current & 255u;
            if ((current & KNOWN) == 0u) {
                // Inverse-CDF draw from softmax(logits / temperature), as cpu::draw.
                let t = max(params.temperature, 0.001);
                var m = logits[0];
                for (var q = 1u; q < LEVELS; q++) {
                    m = max(m, logits[q]);
                }
                var total = 0.0;
                for (var q = 0u; q < LEVELS; q++) {
                    total += exp((logits[q] - m) / t);
                }
                let target_mass = uniform_draw(params.seed, img, at) * total;
                var cum = 0.0;
                chosen = LEVELS - 1u;
                for (var q = 0u; q < LEVELS; q++) {
                    cum += exp((logits[q] - m) / t);
                    if (cum > target_mass) {
                        chosen = q;
                        break;
                    }
                }
            }
            pixels[img * HW + at] = chosen | (current & KNOWN);
        }
        storageBarrier();
        workgroupBarrier();
    }
}
