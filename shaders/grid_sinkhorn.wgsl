// Convolutional entropic barycenter of K images on an h×w grid, log domain (MATH.md §5; Solomon et
// al. 2015; debiased: Janati et al. 2020). The CPU reference is src/ot/gridSinkhorn.ts.
//
// The squared-distance kernel is separable: logK(v)_i = LSE_j (v_j − C_ij/ε) is a 1D log-domain blur
// of every row (blur_rows) followed by one of every column (blur_cols). One workgroup per (line,
// image): it loads the line into workgroup memory, then each invocation computes its outputs with an
// online log-sum-exp over the line. Dispatches are (h or w, images), so 256×256 (or 1024×1024)
// stays far below the 65535 workgroups-per-dimension limit.
//
// Buffers, each image a slot of `pixels` = h·w floats:
//   lv   log v_k, slots 0..K−1; slot K holds log d (debiased)
//   lw   log u_k = log a_k − logK(log v_k), slots 0..K−1; slot K holds logK(log d)
//   lphi log φ_k = logK(log u_k)
//   tmp  the row-blurred field between the two passes
// One iteration: blur_rows(lv), blur_cols[MODE 1](→ lw), blur_rows(lw), blur_cols[MODE 0](→ lphi),
// combine. A check: blur_rows(lv), blur_cols[MODE 2](→ per-column error partials), record_error.
// Once record_error marks the problem done, every kernel returns at once: convergence is decided on
// the GPU and the CPU reads back once per submit of many iterations.

//!include lib/workgroup_reduce.wgsl
//!include lib/batch_state.wgsl

struct GridParams {
  height: u32,
  width: u32,
  images: u32,
  debiased: u32,
  pixels: u32,
  history_capacity: u32,
  epsilon: f32,
  tolerance: f32,
}


@group(0) @binding(0) var<uniform> params: GridParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<storage, read> log_a: array<f32>;
// MODE 2 and combine: log u_k (never the buffer bound to dst).
@group(0) @binding(4) var<storage, read> aux: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<BatchState>;
@group(0) @binding(6) var<storage, read> weights: array<f32>;
@group(0) @binding(7) var<storage, read_write> history: array<f32>;
@group(0) @binding(8) var<storage, read_write> log_b: array<f32>;

const WG: u32 = 64u;
// Longest line (MAX_GRID_SIDE in src/ot/gridSinkhorn.ts): 4 KiB of workgroup memory.
const MAX_SIDE: u32 = 1024u;
// Stands in for log(0) so that empty pixels never produce infinities (undefined in WGSL).
const LOG_ZERO: f32 = -1e30;

// What blur_cols writes: 0 the blur itself, 1 log a − blur (log u), 2 the marginal-error partials.
override MODE: u32 = 0u;

var<workgroup> line: array<f32, MAX_SIDE>;
var<workgroup> problem_done: u32;

// Workgroup-uniform "has the problem converged?" (barriers below need uniform control flow).
fn is_done(lid: u32) -> bool {
  if (lid == 0u) { problem_done = state[0].done; }
  return workgroupUniformLoad(&problem_done) != 0u;
}

// C/ε between pixels p and q of an axis of n pixels: ((p − q)/n)²/ε, as axisLogKernel on the CPU.
fn axis_cost(p: u32, q: u32, n: u32) -> f32 {
  let d = (f32(p) - f32(q)) / f32(n);
  return d * d / params.epsilon;
}

// LSE_q (line[q] − C_pq/ε) over a line of n values already in workgroup memory.
fn line_lse(p: u32, n: u32) -> f32 {
  var acc = vec2<f32>(-3.4e38, 0.0);
  for (var q = 0u; q < n; q += 1u) {
    acc = lse_push(acc, line[q] - axis_cost(p, q, n));
  }
  return acc.x + log(acc.y);
}

// tmp = the row blur of src; workgroup (row r, slot k).
@compute @workgroup_size(64)
fn blur_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  if (is_done(lid)) { return; }
  let base = wid.y * params.pixels + wid.x * params.width;
  for (var c = lid; c < params.width; c += WG) { line[c] = src[base + c]; }
  workgroupBarrier();
  for (var c = lid; c < params.width; c += WG) { dst[base + c] = line_lse(c, params.width); }
}

// The column blur of src, turned into what MODE asks for; workgroup (column c, slot k).
@compute @workgroup_size(64)
fn blur_cols(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  if (is_done(lid)) { return; }
  let slot = wid.y;
  let w = params.width;
  let base = slot * params.pixels + wid.x;
  for (var r = lid; r < params.height; r += WG) { line[r] = src[base + r * w]; }
  workgroupBarrier();
  var error = 0.0;
  for (var r = lid; r < params.height; r += WG) {
    let i = base + r * w;
    let lse = line_lse(r, params.height);
    if (MODE == 0u) {
      dst[i] = lse;
    } else if (MODE == 1u) {
      // Slot K carries log d (debiased): keep its blur logK(log d) for combine.
      if (slot < params.images) { dst[i] = log_a[i] - lse; } else { dst[i] = lse; }
    } else {
      // a |u (K v) / a − 1|: pixel i's first-marginal error (0 on empty pixels).
      let la = log_a[i];
      let ratio = exp(aux[i] + lse - la);
      error += select(exp(la) * abs(ratio - 1.0), 0.0, la <= LOG_ZERO);
    }
  }
  if (MODE == 2u) {
    let total = wg_sum(lid, error);
    if (lid == 0u) { dst[slot * w + wid.x] = total; }
  }
}

// Per pixel: log b = log d + Σ λ_k log φ_k, log v_k = log b − log φ_k, and (debiased)
// log d ← ½ (log d + log b − logK(log d)). src = lphi, dst = lv, aux = lw.
@compute @workgroup_size(64)
fn combine(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.pixels || state[0].done != 0u) { return; }
  let n = params.pixels;
  let k_d = params.images * n + i;
  let debiased = params.debiased != 0u;
  var lb = select(0.0, dst[k_d], debiased);
  for (var k = 0u; k < params.images; k += 1u) { lb += weights[k] * src[k * n + i]; }
  log_b[i] = lb;
  for (var k = 0u; k < params.images; k += 1u) { dst[k * n + i] = lb - src[k * n + i]; }
  if (debiased) { dst[k_d] = 0.5 * (dst[k_d] + lb - aux[k_d]); }
}

// One workgroup: error = max_k Σ_columns partials (src); appended to the history, and below the
// tolerance (or NaN) the problem is marked done.
@compute @workgroup_size(64)
fn record_error(@builtin(local_invocation_index) lid: u32) {
  if (is_done(lid)) { return; }
  var worst = 0.0;
  // The first NaN error, kept as is so the CPU sees the divergence (max() may drop NaN).
  var invalid = false;
  var bad = 0.0;
  for (var k = 0u; k < params.images; k += 1u) {
    var partial = 0.0;
    for (var c = lid; c < params.width; c += WG) { partial += src[k * params.width + c]; }
    let total = wg_sum(lid, partial);
    if (!invalid && !(total >= 0.0)) {
      invalid = true;
      bad = total;
    }
    worst = max(worst, total);
  }
  if (lid == 0u) {
    let error = select(worst, bad, invalid);
    let slot = state[0].checks;
    if (slot < params.history_capacity) { history[slot] = error; }
    state[0].checks = slot + 1u;
    if (invalid || !(worst >= params.tolerance)) { state[0].done = 1u; }
  }
}
