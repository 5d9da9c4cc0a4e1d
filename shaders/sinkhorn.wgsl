// Batched log-domain Sinkhorn for point clouds (MATH.md §1; the CPU reference is src/ot/sinkhorn.ts).
//
// One workgroup per (batch, row): its 64 invocations stream over the other side with a running
// max (online log-sum-exp) and combine partials with wg_lse. The cost is computed on the fly, never
// stored, so memory is O(Σ_b (n_b + m_b)). Problems of a batch may have different sizes: batch b
// is described by layouts[b] (sizes and offsets into the packed buffers):
//   points: x at [x_off + i], y at [y_off + j]   (clouds shared between batches are stored once)
//   logw:   log a at [f_off + i], log b at [g_off + j]
//   pot:    f at [f_off + i],     g at [g_off + j]
// Workgroups are numbered linearly over a 2D grid (L = wid.x + wid.y · nwg.x, so more than 65535
// rows fit in a dispatch) as L = b · max_rows + i; those past a batch's size return at once.
// A batch whose `done` flag is set skips its updates, so convergence is decided on the GPU and the
// CPU reads back only once per submit of many iterations.

//!include lib/workgroup_reduce.wgsl
//!include lib/batch_state.wgsl

struct SinkhornParams {
  batch: u32,
  cost_kind: u32,
  max_rows: u32,
  max_cols: u32,
  history_capacity: u32,
  top_k: u32,
  top_batch: u32,
  spare: u32,
  p: f32,
  q: f32,
  eta: f32,
  tolerance: f32,
}

// Mirrored by SINKHORN_BATCH_LAYOUT in src/solvers/sinkhorn/layouts.ts.
struct BatchLayout {
  n: u32,
  m: u32,
  x_off: u32,
  y_off: u32,
  f_off: u32,
  g_off: u32,
  spare0: u32,
  spare1: u32,
}

@group(0) @binding(0) var<uniform> params: SinkhornParams;
@group(0) @binding(1) var<storage, read> points: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> logw: array<f32>;
@group(0) @binding(3) var<storage, read_write> pot: array<f32>;
@group(0) @binding(4) var<storage, read_write> epsilon: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<BatchState>;
@group(0) @binding(6) var<storage, read_write> row_value: array<f32>;
@group(0) @binding(7) var<storage, read_write> history: array<f32>;
// ε-scaling, per batch: (factor, target ε). See annealedEpsilon in src/ot/sinkhorn.ts.
@group(0) @binding(8) var<storage, read> anneal: array<vec2<f32>>;
@group(0) @binding(9) var<storage, read> layouts: array<BatchLayout>;
@group(0) @binding(10) var<storage, read_write> top_index: array<i32>;
@group(0) @binding(11) var<storage, read_write> top_mass: array<f32>;

const WG: u32 = 64u;
// Stands in for log(0) so that zero weights never produce infinities (undefined in WGSL).
const LOG_ZERO: f32 = -1e30;
// Largest k of plan_top_k (MAX_TOP_K in src/solvers/sinkhorn/gpu.ts).
const MAX_TOP_K: u32 = 16u;

var<workgroup> batch_done: u32;

// Where a per-row / per-column workgroup is (uniform built-ins only: the uniformity analysis
// treats a struct as non-uniform if any member is, so local_invocation_index stays separate).
struct Ids {
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
}

// Mirrors costValue() in src/ot/costs.ts; kinds numbered as COST_CODE there.
fn cost(xi: vec4<f32>, yj: vec4<f32>) -> f32 {
  let diff = xi - yj;
  let squared = dot(diff, diff);
  switch params.cost_kind {
    case 0u: { return squared; }
    case 1u: { return sqrt(squared); }
    case 2u: {
      let a = abs(diff);
      // pow(0, p) is undefined in WGSL: zero components contribute exactly zero.
      let powered = select(pow(a, vec4<f32>(params.p)), vec4<f32>(0.0), a == vec4<f32>(0.0));
      let total = powered.x + powered.y + powered.z + powered.w;
      return select(pow(total, params.q / params.p), 0.0, total == 0.0);
    }
    default: { return inverseSqrt(squared + params.eta * params.eta); }
  }
}

// (batch, index) of this workgroup, over `per_batch` slots per batch (max_rows or max_cols);
// batch = params.batch when the slot is past the end or past that batch's n (rows) or m (columns).
fn workgroup_slot(ids: Ids, rows: bool) -> vec2<u32> {
  let per_batch = select(params.max_cols, params.max_rows, rows);
  let linear = ids.wid.x + ids.wid.y * ids.nwg.x;
  let b = linear / per_batch;
  let k = linear % per_batch;
  if (b >= params.batch) { return vec2<u32>(params.batch, k); }
  let size = select(layouts[b].m, layouts[b].n, rows);
  return vec2<u32>(select(params.batch, b, k < size), k);
}

// Workgroup-uniform "is this batch finished?" (barriers below need uniform control flow).
fn is_done(b: u32, lid: u32) -> bool {
  if (lid == 0u) { batch_done = state[b].done; }
  return workgroupUniformLoad(&batch_done) != 0u;
}

// −ε log Σ_j b_j exp((g_j − C_ij)/ε): the row update f̃_i, shared by update_f and the checks.
fn row_update(slot: vec2<u32>, lid: u32) -> f32 {
  let lay = layouts[slot.x];
  let eps = epsilon[slot.x];
  let xi = points[lay.x_off + slot.y];
  var acc = vec2<f32>(-3.4e38, 0.0);
  for (var j = lid; j < lay.m; j += WG) {
    let g = lay.g_off + j;
    acc = lse_push(acc, logw[g] + (pot[g] - cost(xi, points[lay.y_off + j])) / eps);
  }
  let lse = wg_lse(lid, acc.x, acc.y);
  return -eps * (lse.x + log(lse.y));
}

@compute @workgroup_size(64)
fn update_f(ids: Ids, @builtin(local_invocation_index) lid: u32) {
  let s = workgroup_slot(ids, true);
  if (s.x >= params.batch || is_done(s.x, lid)) { return; }
  let f = row_update(s, lid);
  if (lid == 0u) { pot[layouts[s.x].f_off + s.y] = f; }
}

@compute @workgroup_size(64)
fn update_g(ids: Ids, @builtin(local_invocation_index) lid: u32) {
  let slot = workgroup_slot(ids, false);
  let b = slot.x;
  let j = slot.y;
  if (b >= params.batch || is_done(b, lid)) { return; }
  let lay = layouts[b];
  let eps = epsilon[b];
  let yj = points[lay.y_off + j];
  var acc = vec2<f32>(-3.4e38, 0.0);
  for (var i = lid; i < lay.n; i += WG) {
    let f = lay.f_off + i;
    acc = lse_push(acc, logw[f] + (pot[f] - cost(points[lay.x_off + i], yj)) / eps);
  }
  let lse = wg_lse(lid, acc.x, acc.y);
  if (lid == 0u) { pot[lay.g_off + j] = -eps * (lse.x + log(lse.y)); }
}

// row_value_i = a_i |exp((f_i − f̃_i)/ε) − 1|, the row-marginal error of row i.
@compute @workgroup_size(64)
fn row_error(ids: Ids, @builtin(local_invocation_index) lid: u32) {
  let s = workgroup_slot(ids, true);
  if (s.x >= params.batch || is_done(s.x, lid)) { return; }
  let f_tilde = row_update(s, lid);
  if (lid == 0u) {
    let k = layouts[s.x].f_off + s.y;
    let ratio = exp((pot[k] - f_tilde) / epsilon[s.x]);
    row_value[k] = select(exp(logw[k]) * abs(ratio - 1.0), 0.0, logw[k] <= LOG_ZERO);
  }
}

// One workgroup per batch: the L1 marginal error goes to history[b][checks]; below tolerance the
// batch is marked done and later dispatches skip it.
@compute @workgroup_size(64)
fn record_error(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x;
  if (is_done(b, lid)) { return; }
  let lay = layouts[b];
  var partial = 0.0;
  for (var i = lid; i < lay.n; i += WG) { partial += row_value[lay.f_off + i]; }
  let total = wg_sum(lid, partial);
  if (lid == 0u) {
    let slot = state[b].checks;
    if (slot < params.history_capacity) { history[b * params.history_capacity + slot] = total; }
    state[b].checks = slot + 1u;
    // A NaN error also stops the batch (NaN < tol is false, so test the negation).
    if (!(total >= params.tolerance)) { state[b].done = 1u; }
  }
}

// row_value_i = Σ_j C_ij P_ij, summed on the CPU in float64 for ⟨C, P⟩.
@compute @workgroup_size(64)
fn row_cost(ids: Ids, @builtin(local_invocation_index) lid: u32) {
  let slot = workgroup_slot(ids, true);
  let b = slot.x;
  let i = slot.y;
  if (b >= params.batch) { return; }
  let lay = layouts[b];
  let eps = epsilon[b];
  let xi = points[lay.x_off + i];
  let fi = pot[lay.f_off + i];
  let log_a = logw[lay.f_off + i];
  var partial = 0.0;
  for (var j = lid; j < lay.m; j += WG) {
    let c = cost(xi, points[lay.y_off + j]);
    let g = lay.g_off + j;
    partial += c * exp(log_a + logw[g] + (fi + pot[g] - c) / eps);
  }
  let total = wg_sum(lid, partial);
  if (lid == 0u) { row_value[lay.f_off + i] = total; }
}

// ε-scaling: the next stage, ε_b ← max(factor · ε_b, target_b); dispatched at stage boundaries
// inside a submit, so annealing needs neither a readback nor a write from the CPU.
@compute @workgroup_size(64)
fn next_stage(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= params.batch) { return; }
  epsilon[b] = max(epsilon[b] * anneal[b].x, anneal[b].y);
}

// The top_k heaviest entries of row i of batch params.top_batch, one invocation per row, as
// sinkhornPlanTopK in src/ot/sinkhorn.ts: rows ranked by log b_j + (g_j − C_ij)/ε, ties keep the
// smaller j, an empty slot (−1) takes any entry. Output slots [i · top_k, (i + 1) · top_k).
@compute @workgroup_size(64)
fn plan_top_k(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let b = params.top_batch;
  let lay = layouts[b];
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= lay.n) { return; }
  let k = params.top_k;
  let eps = epsilon[b];
  let xi = points[lay.x_off + i];
  var score: array<f32, MAX_TOP_K>;
  var slot: array<i32, MAX_TOP_K>;
  for (var s = 0u; s < k; s += 1u) {
    score[s] = -3.4e38;
    slot[s] = -1;
  }
  for (var j = 0u; j < lay.m; j += 1u) {
    let g = lay.g_off + j;
    let v = logw[g] + (pot[g] - cost(xi, points[lay.y_off + j])) / eps;
    if (!(v > score[k - 1u]) && slot[k - 1u] != -1) { continue; }
    var s = k - 1u;
    while (s > 0u && (slot[s - 1u] == -1 || v > score[s - 1u])) {
      score[s] = score[s - 1u];
      slot[s] = slot[s - 1u];
      s -= 1u;
    }
    score[s] = v;
    slot[s] = i32(j);
  }
  let log_a = logw[lay.f_off + i];
  let fi = pot[lay.f_off + i];
  for (var s = 0u; s < k; s += 1u) {
    let out = i * k + s;
    top_index[out] = slot[s];
    top_mass[out] = select(exp(log_a + fi / eps + score[s]), 0.0, log_a <= LOG_ZERO);
  }
}
