// Batched log-domain Sinkhorn for point clouds (MATH.md §1; the CPU reference is src/ot/sinkhorn.ts).
//
// One workgroup per (row, batch): its 64 invocations stream over the other side with a running
// max (online log-sum-exp) and combine partials with wg_lse. The cost is computed on the fly, never
// stored, so memory is O(B (n + m)). Layout of the packed buffers, batch b:
//   points: x at [b * x_stride + i], y at [y_base + b * y_stride + j]   (stride 0 = shared points)
//   logw:   log a at [b * n + i], log b at [batch * n + b * m + j]
//   pot:    f at [b * n + i],     g at [batch * n + b * m + j]
// A batch whose `done` flag is set skips its updates, so convergence is decided on the GPU and the
// CPU reads back only once per submit of many iterations.

//!include lib/workgroup_reduce.wgsl
//!include lib/batch_state.wgsl

struct SinkhornParams {
  n: u32,
  m: u32,
  batch: u32,
  cost_kind: u32,
  x_stride: u32,
  y_stride: u32,
  y_base: u32,
  history_capacity: u32,
  p: f32,
  q: f32,
  eta: f32,
  tolerance: f32,
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

const WG: u32 = 64u;
// Stands in for log(0) so that zero weights never produce infinities (undefined in WGSL).
const LOG_ZERO: f32 = -1e30;

var<workgroup> batch_done: u32;

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

fn x_point(b: u32, i: u32) -> vec4<f32> { return points[b * params.x_stride + i]; }
fn y_point(b: u32, j: u32) -> vec4<f32> { return points[params.y_base + b * params.y_stride + j]; }
fn g_index(b: u32, j: u32) -> u32 { return params.batch * params.n + b * params.m + j; }

// Workgroup-uniform "is this batch finished?" (barriers below need uniform control flow).
fn is_done(b: u32, lid: u32) -> bool {
  if (lid == 0u) { batch_done = state[b].done; }
  return workgroupUniformLoad(&batch_done) != 0u;
}

// −ε log Σ_j b_j exp((g_j − C_ij)/ε): the row update f̃_i, shared by update_f and the checks.
fn row_update(b: u32, i: u32, lid: u32) -> f32 {
  let eps = epsilon[b];
  let xi = x_point(b, i);
  var run_max = -3.4e38;
  var run_sum = 0.0;
  for (var j = lid; j < params.m; j += WG) {
    let v = logw[g_index(b, j)] + (pot[g_index(b, j)] - cost(xi, y_point(b, j))) / eps;
    if (v > run_max) {
      run_sum = run_sum * exp(run_max - v) + 1.0;
      run_max = v;
    } else {
      run_sum += exp(v - run_max);
    }
  }
  let lse = wg_lse(lid, run_max, run_sum);
  return -eps * (lse.x + log(lse.y));
}

@compute @workgroup_size(64)
fn update_f(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x;
  let b = wid.y;
  if (is_done(b, lid)) { return; }
  let f = row_update(b, i, lid);
  if (lid == 0u) { pot[b * params.n + i] = f; }
}

@compute @workgroup_size(64)
fn update_g(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = wid.x;
  let b = wid.y;
  if (is_done(b, lid)) { return; }
  let eps = epsilon[b];
  let yj = y_point(b, j);
  var run_max = -3.4e38;
  var run_sum = 0.0;
  for (var i = lid; i < params.n; i += WG) {
    let v = logw[b * params.n + i] + (pot[b * params.n + i] - cost(x_point(b, i), yj)) / eps;
    if (v > run_max) {
      run_sum = run_sum * exp(run_max - v) + 1.0;
      run_max = v;
    } else {
      run_sum += exp(v - run_max);
    }
  }
  let lse = wg_lse(lid, run_max, run_sum);
  if (lid == 0u) { pot[g_index(b, j)] = -eps * (lse.x + log(lse.y)); }
}

// row_value_i = a_i |exp((f_i − f̃_i)/ε) − 1|, the row-marginal error of row i.
@compute @workgroup_size(64)
fn row_error(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x;
  let b = wid.y;
  if (is_done(b, lid)) { return; }
  let f_tilde = row_update(b, i, lid);
  if (lid == 0u) {
    let log_a = logw[b * params.n + i];
    let ratio = exp((pot[b * params.n + i] - f_tilde) / epsilon[b]);
    row_value[b * params.n + i] = select(exp(log_a) * abs(ratio - 1.0), 0.0, log_a <= LOG_ZERO);
  }
}

// One workgroup per batch: the L1 marginal error goes to history[b][checks]; below tolerance the
// batch is marked done and later dispatches skip it.
@compute @workgroup_size(64)
fn record_error(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x;
  if (is_done(b, lid)) { return; }
  var partial = 0.0;
  for (var i = lid; i < params.n; i += WG) { partial += row_value[b * params.n + i]; }
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
fn row_cost(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x;
  let b = wid.y;
  let eps = epsilon[b];
  let xi = x_point(b, i);
  let fi = pot[b * params.n + i];
  let log_a = logw[b * params.n + i];
  var partial = 0.0;
  for (var j = lid; j < params.m; j += WG) {
    let c = cost(xi, y_point(b, j));
    partial += c * exp(log_a + logw[g_index(b, j)] + (fi + pot[g_index(b, j)] - c) / eps);
  }
  let total = wg_sum(lid, partial);
  if (lid == 0u) { row_value[b * params.n + i] = total; }
}

// ε-scaling: the next stage, ε_b ← max(factor · ε_b, target_b); dispatched at stage boundaries
// inside a submit, so annealing needs neither a readback nor a write from the CPU.
@compute @workgroup_size(64)
fn next_stage(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= params.batch) { return; }
  epsilon[b] = max(epsilon[b] * anneal[b].x, anneal[b].y);
}
