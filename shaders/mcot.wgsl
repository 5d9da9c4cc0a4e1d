// MCOT projected constrained overdamped Langevin on the GPU (MATH.md §7, seed 003 §4); driver
// src/solvers/mcot/gpu.ts, float64 reference src/ot/mcot/{particles,langevin}.ts.
//
// The whole adaptive step runs on the GPU as a state machine, so that many Langevin steps go in
// one submit with no readback. The host records "slots"; a slot is one Newton iteration:
//
//   predict → candidate → particle_sums → residual → gram_partial → solve
//           → energy → particle_energy → control
//
// All but `control` are dispatched indirectly with workgroup counts the state machine writes
// (launch_a, launch_b): a kernel with no work this slot (a retry's predict, the Gram after
// convergence, everything once halted) launches no workgroup at all. Each kernel still checks
// McotState and returns unless the phase / Newton status says it has work. Only `residual`,
// `solve` (status) and `control` (everything else) write the state, each from a single workgroup,
// after the kernels that read those fields in the same dispatch.
//
// Data (f32): coords = two halves of [x (K·N·d) | z (K, adaptive only)], `cur` the current state
// Xⁿ and 1 − cur the Newton candidate P = Y + J(Xⁿ)λ; grad and sums (per-particle Σ_i φ_m) are
// ping-ponged the same way, so accepting a step is flipping `cur`.

//!include lib/philox.wgsl
//!include lib/workgroup_reduce.wgsl

struct McotGpuParams {
  electrons_total: u32, // K·N
  particles: u32, // K
  electrons: u32, // N
  dimension: u32, // d ≤ 3
  constraints: u32, // M′ (≤ MAX_CONSTRAINTS)
  axis_stride: u32, // max single-axis degree + 1
  adaptive: u32, // 1: w_k = ω(z_k)
  omega_kind: u32, // 0: z², 1: e^z
  coord_stride: u32, // K·N·d + K·adaptive
  gram_groups: u32, // workgroups of gram_partial
  max_newton: u32,
  fast_newton: u32,
  noise_kind: u32, // 0 constant, 1 σ₀/√(n+1), 2 zero
  history_capacity: u32,
  key: vec2<u32>, // Philox key = seed
  eta: f32,
  sigma0: f32,
  min_dt: f32,
  max_dt: f32,
  dt_growth: f32,
  min_tol: f32,
  tol_factor: f32,
  descent_slack: f32,
}

// Host-visible progress (mirrored by MCOT_STATE in src/solvers/mcot/layouts.ts).
struct McotState {
  phase: u32, // PHASE_*
  cur: u32, // which half of coords/grad/sums holds Xⁿ
  step: u32, // n
  halt_at: u32, // halt when step reaches it
  newton_iter: u32, // solves done in this attempt
  status: u32, // STATUS_*: outcome of this slot's Newton iteration
  accepted: u32,
  rejected: u32,
  history_count: u32,
  fail_code: u32, // FAIL_*
  slots: u32, // slots that did work (for the host's estimate of slots per step)
  dt: f32, // Δt of the next attempt
  tol: f32,
  sigma: f32, // σ of the last accepted step
  residual: f32, // ‖ξ‖∞ of the last candidate
  cost: f32, // f(Xⁿ)
  last_dt: f32, // Δt of the last accepted step
  last_newton: u32, // solves of the last accepted step
}

const PHASE_START: u32 = 0u;
const PHASE_NEWTON: u32 = 1u;
const PHASE_HALT: u32 = 2u;
const PHASE_FAILED: u32 = 3u;

const STATUS_IDLE: u32 = 0u;
const STATUS_CONTINUE: u32 = 1u;
const STATUS_CONVERGED: u32 = 2u;
const STATUS_FAIL_NEWTON: u32 = 3u;
const STATUS_FAIL_SINGULAR: u32 = 4u;

const FAIL_COLLAPSE_NEWTON: u32 = 1u;
const FAIL_COLLAPSE_SINGULAR: u32 = 2u;
const FAIL_COLLAPSE_ASCENT: u32 = 3u;
const FAIL_NAN: u32 = 4u;

const NOISE_STREAM_POSITIONS: u32 = 2u;
const NOISE_STREAM_WEIGHTS: u32 = 3u;

const MAX_CONSTRAINTS: u32 = 80u;
// Per-axis tables of one point: d · axis_stride ≤ TABLE entries.
const TABLE: u32 = 48u;
// Electrons per chunk of gram_partial.
const CHUNK: u32 = 4u;
const HISTORY_STRIDE: u32 = 6u;
const EPSILON32: f32 = 1.1920929e-7;

@group(0) @binding(0) var<uniform> params: McotGpuParams;
@group(0) @binding(1) var<storage, read_write> state: McotState;
// axes[j] = (family, p0, p1, 0): Legendre (0, a, b), Hermite (1, center, scale), monomial (2, 0, 0).
@group(0) @binding(2) var<storage, read> axes: array<vec4<f32>>;
// Multi-indices α_m, M′ × d, then the targets μ(φ_m) as f32 bit patterns.
@group(0) @binding(3) var<storage, read> problem: array<u32>;
@group(0) @binding(4) var<storage, read_write> coords: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
// predicted Y (coord_stride), then λ (M′), then ξ (M′), then per-electron half energies (K·N),
// then per-particle weighted costs (K).
@group(0) @binding(6) var<storage, read_write> work: array<f32>;
// Two halves of K × M′ particle sums S^k_m = Σ_i φ_m(x_i^k).
@group(0) @binding(7) var<storage, read_write> sums: array<f32>;
// gram_groups × M′² partial Newton matrices, then the assembled matrix (M′²), then its LU (M′²).
@group(0) @binding(8) var<storage, read_write> gram: array<f32>;
@group(0) @binding(9) var<storage, read_write> history: array<f32>;
// The current state Xⁿ (coord_stride values), copied once per submit for the host to read.
@group(0) @binding(10) var<storage, read_write> snapshot: array<f32>;
// Indirect dispatch arguments (x, 1, 1) of the gated kernels: a zero count skips a kernel without
// launching a single workgroup. `control` writes launch_a for the next slot's predict, candidate,
// particle_sums and residual; `residual` writes launch_b for gram_partial, solve, energy and
// particle_energy, which `control` zeroes again. (A dispatch never writes its own arguments.)
@group(0) @binding(11) var<storage, read_write> launch_a: array<u32>;
@group(0) @binding(12) var<storage, read_write> launch_b: array<u32>;

// ------------------------------------------------------------------------------- addressing

fn half_offset(h: u32) -> u32 {
  return h * params.coord_stride;
}

fn z_offset() -> u32 {
  return params.electrons_total * params.dimension;
}

fn lambda_offset() -> u32 {
  return params.coord_stride;
}

fn xi_offset() -> u32 {
  return params.coord_stride + params.constraints;
}

fn energy_offset() -> u32 {
  return params.coord_stride + 2u * params.constraints;
}

fn particle_cost_offset() -> u32 {
  return energy_offset() + params.electrons_total;
}

fn target_of(m: u32) -> f32 {
  return bitcast<f32>(problem[params.constraints * params.dimension + m]);
}

fn alpha_of(m: u32, j: u32) -> u32 {
  return problem[m * params.dimension + j];
}

fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn newton_active() -> bool {
  return state.phase == PHASE_START || state.phase == PHASE_NEWTON;
}

fn electron_groups() -> u32 {
  return (params.electrons_total + 63u) / 64u;
}

fn particle_groups() -> u32 {
  return (params.particles + 63u) / 64u;
}

// Launch counts (x of the (x, 1, 1) triplet) for entry e of an argument buffer.
fn set_launch_a(e: u32, x: u32) {
  launch_a[3u * e] = x;
  launch_a[3u * e + 1u] = 1u;
  launch_a[3u * e + 2u] = 1u;
}

fn set_launch_b(e: u32, x: u32) {
  launch_b[3u * e] = x;
  launch_b[3u * e + 1u] = 1u;
  launch_b[3u * e + 2u] = 1u;
}

// ------------------------------------------------------------------------------ weights ω(z)

fn omega(z: f32) -> f32 {
  return select(z * z, exp(z), params.omega_kind == 1u);
}

fn omega_derivative(z: f32) -> f32 {
  return select(2.0 * z, exp(z), params.omega_kind == 1u);
}

// w_k/N of particle k in half h.
fn electron_factor(h: u32, k: u32) -> f32 {
  if (params.adaptive == 0u) {
    return 1.0 / f32(params.particles * params.electrons);
  }
  return omega(coords[half_offset(h) + z_offset() + k]) / f32(params.electrons);
}

// ----------------------------------------------------------------------- test functions φ_m

// Values and d/dx of degrees 0..axis_stride−1 of every axis basis at one point.
struct AxisTables {
  value: array<f32, TABLE>,
  slope: array<f32, TABLE>,
}

// Mirrors axisBasisAll in src/ot/mcot/polynomials.ts.
fn axis_tables(base: u32) -> AxisTables {
  var t: AxisTables;
  let n = params.axis_stride;
  for (var j = 0u; j < params.dimension; j += 1u) {
    let axis = axes[j];
    let x = coords[base + j];
    let o = j * n;
    if (axis.x == 0.0) {
      // Scaled Legendre √(2k+1) P_k(u), u = (2x − a − b)/(b − a).
      let u = (2.0 * x - axis.y - axis.z) / (axis.z - axis.y);
      let chain = 2.0 / (axis.z - axis.y);
      var previous = 0.0;
      var current = 1.0;
      var d_previous = 0.0;
      var d_current = 0.0;
      for (var k = 0u; k < n; k += 1u) {
        let norm = sqrt(f32(2u * k + 1u));
        t.value[o + k] = norm * current;
        t.slope[o + k] = norm * chain * d_current;
        let kf = f32(k);
        let next = ((2.0 * kf + 1.0) * u * current - kf * previous) / (kf + 1.0);
        let d_next = d_previous + (2.0 * kf + 1.0) * current;
        previous = current;
        current = next;
        d_previous = d_current;
        d_current = d_next;
      }
    } else if (axis.x == 1.0) {
      // Orthonormal Hermite h_k(t), t = (x − c)/s.
      let s = (x - axis.y) / axis.z;
      var previous = 0.0;
      var current = 1.0;
      for (var k = 0u; k < n; k += 1u) {
        let kf = f32(k);
        t.value[o + k] = current;
        t.slope[o + k] = sqrt(kf) * previous / axis.z;
        let next = (s * current - sqrt(kf) * previous) / sqrt(kf + 1.0);
        previous = current;
        current = next;
      }
    } else {
      var previous = 0.0;
      var current = 1.0;
      for (var k = 0u; k < n; k += 1u) {
        t.value[o + k] = current;
        t.slope[o + k] = f32(k) * previous;
        previous = current;
        current *= x;
      }
    }
  }
  return t;
}

fn phi_value(t: ptr<function, AxisTables>, m: u32) -> f32 {
  var product = 1.0;
  for (var j = 0u; j < params.dimension; j += 1u) {
    product *= (*t).value[j * params.axis_stride + alpha_of(m, j)];
  }
  return product;
}

// ∂φ_m/∂x_c: the derivative on axis c times the values on the other axes.
fn phi_partial(t: ptr<function, AxisTables>, m: u32, c: u32) -> f32 {
  var product = 1.0;
  for (var j = 0u; j < params.dimension; j += 1u) {
    let entry = j * params.axis_stride + alpha_of(m, j);
    product *= select((*t).value[entry], (*t).slope[entry], j == c);
  }
  return product;
}

fn noise_level() -> f32 {
  switch params.noise_kind {
    case 0u: { return params.sigma0; }
    case 1u: { return params.sigma0 / sqrt(f32(state.step) + 1.0); }
    default: { return 0.0; }
  }
}

// ---------------------------------------------------------------------------------- kernels

// Y = Xⁿ − Δt ∇f(Xⁿ) + σ_n √Δt Gⁿ; electron e draws Philox block [e, n, 2, 0], z_k block [k, n, 3, 0].
@compute @workgroup_size(64)
fn predict(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (state.phase != PHASE_START) { return; }
  let e = gid.x;
  if (e >= params.electrons_total) { return; }
  let dt = state.dt;
  let scale = noise_level() * sqrt(dt);
  let source = half_offset(state.cur);
  let d = params.dimension;
  var noise = vec4<f32>(0.0);
  if (scale > 0.0) {
    noise = philox_normal4(vec4<u32>(e, state.step, NOISE_STREAM_POSITIONS, 0u), params.key);
  }
  for (var c = 0u; c < d; c += 1u) {
    let i = e * d + c;
    work[i] = coords[source + i] - dt * grad[source + i] + scale * noise[c];
  }
  if (params.adaptive == 1u && e < params.particles) {
    var zn = 0.0;
    if (scale > 0.0) {
      zn = philox_normal4(vec4<u32>(e, state.step, NOISE_STREAM_WEIGHTS, 0u), params.key).x;
    }
    let i = z_offset() + e;
    work[i] = coords[source + i] - dt * grad[source + i] + scale * zn;
  }
}

// P = Y + J(Xⁿ) λ into the candidate half: x-part (w_k/N) Σ_m λ_m ∇φ_m(x_e^n),
// z-part ω'(z_k^n)/N Σ_m λ_m S^k_m(Xⁿ) (by the electron i = 0 of each particle).
@compute @workgroup_size(64)
fn candidate(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (!newton_active()) { return; }
  let e = gid.x;
  if (e >= params.electrons_total) { return; }
  let d = params.dimension;
  let M = params.constraints;
  let base = half_offset(state.cur);
  let to = half_offset(1u - state.cur);
  let k = e / params.electrons;
  let factor = electron_factor(state.cur, k);
  var t = axis_tables(base + e * d);
  for (var c = 0u; c < d; c += 1u) {
    var sum = 0.0;
    for (var m = 0u; m < M; m += 1u) {
      sum += work[lambda_offset() + m] * phi_partial(&t, m, c);
    }
    coords[to + e * d + c] = work[e * d + c] + factor * sum;
  }
  if (params.adaptive == 1u && e % params.electrons == 0u) {
    var sum = 0.0;
    for (var m = 0u; m < M; m += 1u) {
      sum += work[lambda_offset() + m] * sums[state.cur * params.particles * M + k * M + m];
    }
    let zi = z_offset() + k;
    let zn = coords[base + zi];
    coords[to + zi] = work[zi] + omega_derivative(zn) / f32(params.electrons) * sum;
  }
}

// S^k_m(P) = Σ_i φ_m(x_i^k) for the candidate, one invocation per particle.
@compute @workgroup_size(64)
fn particle_sums(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (!newton_active()) { return; }
  let k = gid.x;
  if (k >= params.particles) { return; }
  let M = params.constraints;
  let h = 1u - state.cur;
  let out = h * params.particles * M + k * M;
  for (var m = 0u; m < M; m += 1u) { sums[out + m] = 0.0; }
  for (var i = 0u; i < params.electrons; i += 1u) {
    var t = axis_tables(half_offset(h) + (k * params.electrons + i) * params.dimension);
    for (var m = 0u; m < M; m += 1u) { sums[out + m] += phi_value(&t, m); }
  }
}

var<workgroup> shared_flag: u32;

// state.status as a workgroup-uniform value: kernels with barriers may return on it.
fn uniform_status(lid: u32) -> u32 {
  if (lid == 0u) { shared_flag = state.status; }
  return workgroupUniformLoad(&shared_flag);
}

// ξ_m(P) = Σ_k (w_k/N) S^k_m − μ_m (Kahan sums, one invocation per m), ‖ξ‖∞, and the Newton
// decision: converged (‖ξ‖∞ < tol), failed (cap reached or not finite), or continue.
@compute @workgroup_size(64)
fn residual(@builtin(local_invocation_index) lid: u32) {
  let working = newton_active();
  let M = params.constraints;
  let h = 1u - state.cur;
  var local_max = 0.0;
  var bad = 0u;
  if (working) {
    for (var m = lid; m < M; m += 64u) {
      var sum = 0.0;
      var compensation = 0.0;
      for (var k = 0u; k < params.particles; k += 1u) {
        let term = electron_factor(h, k) * sums[h * params.particles * M + k * M + m] - compensation;
        let next = sum + term;
        compensation = (next - sum) - term;
        sum = next;
      }
      let xi = sum - target_of(m);
      work[xi_offset() + m] = xi;
      local_max = max(local_max, abs(xi));
      bad = bad | select(0u, 1u, !is_finite(xi));
    }
  }
  let norm = wg_max(lid, local_max);
  let any_bad = wg_max(lid, f32(bad));
  if (lid == 0u && working) {
    state.residual = norm;
    var status = STATUS_CONTINUE;
    if (any_bad > 0.0) {
      status = STATUS_FAIL_NEWTON;
    } else if (norm < state.tol) {
      status = STATUS_CONVERGED;
    } else if (state.newton_iter >= params.max_newton) {
      status = STATUS_FAIL_NEWTON;
    }
    state.status = status;
    let go = status == STATUS_CONTINUE;
    let done = status == STATUS_CONVERGED;
    set_launch_b(0u, select(0u, params.gram_groups, go));
    set_launch_b(1u, select(0u, 1u, go));
    set_launch_b(2u, select(0u, electron_groups(), done));
    set_launch_b(3u, select(0u, particle_groups(), done));
  }
}

var<workgroup> gram_tables: array<f32, 768>; // CHUNK × 2 points × (value, slope) × TABLE
var<workgroup> gram_gradients: array<vec4<f32>, 640>; // CHUNK × 2 points × M′

// Partial sums of J(P)ᵀ J(Xⁿ) over electron chunks (and, adaptive, over particles for the
// z-part ω'(z^P)ω'(zⁿ)/N² S^k_m(P) S^k_l(Xⁿ)).
@compute @workgroup_size(64)
fn gram_partial(
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
) {
  if (uniform_status(lid) != STATUS_CONTINUE) { return; }
  let M = params.constraints;
  let d = params.dimension;
  let n = params.axis_stride;
  let entries = M * M;
  // Invocation lid owns entries q ≡ lid (mod 64) of this workgroup's partial: no races.
  let out = wid.x * entries;
  for (var q = lid; q < entries; q += 64u) { gram[out + q] = 0.0; }
  let halves = vec2<u32>(1u - state.cur, state.cur); // point 0: P, point 1: Xⁿ
  let chunks = (params.electrons_total + CHUNK - 1u) / CHUNK;
  for (var chunk = wid.x; chunk < chunks; chunk += params.gram_groups) {
    // Tables of the chunk's electrons at both points (invocations 0 .. 2·CHUNK − 1).
    if (lid < 2u * CHUNK) {
      let slot = lid / 2u;
      let point = lid % 2u;
      let e = chunk * CHUNK + slot;
      if (e < params.electrons_total) {
        var t = axis_tables(half_offset(halves[point]) + e * d);
        let o = (slot * 2u + point) * 2u * TABLE;
        for (var q = 0u; q < d * n; q += 1u) {
          gram_tables[o + q] = t.value[q];
          gram_tables[o + TABLE + q] = t.slope[q];
        }
      }
    }
    workgroupBarrier();
    // Gradients (w_k/N) ∇φ_m at both points, one vec4 (x, y, z, 0) per (electron, point, m).
    for (var q = lid; q < CHUNK * 2u * M; q += 64u) {
      let sp = q / M;
      let m = q % M;
      let e = chunk * CHUNK + sp / 2u;
      var gradient = vec4<f32>(0.0);
      if (e < params.electrons_total) {
        let o = sp * 2u * TABLE;
        let factor = electron_factor(halves[sp % 2u], e / params.electrons);
        for (var c = 0u; c < d; c += 1u) {
          var product = factor;
          for (var j = 0u; j < d; j += 1u) {
            let entry = o + j * n + alpha_of(m, j);
            product *= select(gram_tables[entry], gram_tables[entry + TABLE], j == c);
          }
          gradient[c] = product;
        }
      }
      gram_gradients[q] = gradient;
    }
    workgroupBarrier();
    for (var q = lid; q < entries; q += 64u) {
      let m = q / M;
      let l = q % M;
      var sum = 0.0;
      for (var slot = 0u; slot < CHUNK; slot += 1u) {
        sum += dot(gram_gradients[2u * slot * M + m], gram_gradients[(2u * slot + 1u) * M + l]);
      }
      gram[out + q] += sum;
    }
    workgroupBarrier();
  }
  if (params.adaptive == 1u) {
    let N = f32(params.electrons);
    for (var k = wid.x; k < params.particles; k += params.gram_groups) {
      let za = coords[half_offset(halves.x) + z_offset() + k];
      let zb = coords[half_offset(halves.y) + z_offset() + k];
      let factor = omega_derivative(za) * omega_derivative(zb) / (N * N);
      let sa = halves.x * params.particles * M + k * M;
      let sb = halves.y * params.particles * M + k * M;
      for (var q = lid; q < entries; q += 64u) {
        gram[out + q] += factor * sums[sa + q / M] * sums[sb + q % M];
      }
    }
  }
}

var<workgroup> pivot_row: u32;
var<workgroup> matrix_scale: f32;

// Assembles J(P)ᵀJ(Xⁿ) from the partials, factors it (LU, partial pivoting) and updates
// λ ← λ − A⁻¹ ξ. A pivot |p| ≤ M′ ε₃₂ max|a_ij| marks the matrix singular.
@compute @workgroup_size(64)
fn solve(@builtin(local_invocation_index) lid: u32) {
  if (uniform_status(lid) != STATUS_CONTINUE) { return; }
  let M = params.constraints;
  let entries = M * M;
  let assembled = params.gram_groups * entries;
  let lu = assembled + entries;
  var local_max = 0.0;
  for (var q = lid; q < entries; q += 64u) {
    var sum = 0.0;
    for (var g = 0u; g < params.gram_groups; g += 1u) { sum += gram[g * entries + q]; }
    gram[assembled + q] = sum;
    gram[lu + q] = sum;
    local_max = max(local_max, abs(sum));
  }
  // The right-hand side ξ lives in work[xi ..]; it becomes the solution in place.
  let rhs = xi_offset();
  let scale = wg_max(lid, local_max);
  let threshold = f32(M) * EPSILON32 * scale;
  var singular = !(scale > 0.0) || !is_finite(scale);
  storageBarrier();
  for (var k = 0u; k < M; k += 1u) {
    if (lid == 0u) {
      var best = k;
      for (var i = k + 1u; i < M; i += 1u) {
        if (abs(gram[lu + i * M + k]) > abs(gram[lu + best * M + k])) { best = i; }
      }
      pivot_row = best;
    }
    let p = workgroupUniformLoad(&pivot_row);
    if (p != k) {
      for (var j = lid; j < M; j += 64u) {
        let swap = gram[lu + k * M + j];
        gram[lu + k * M + j] = gram[lu + p * M + j];
        gram[lu + p * M + j] = swap;
      }
      if (lid == 0u) {
        let swap = work[rhs + k];
        work[rhs + k] = work[rhs + p];
        work[rhs + p] = swap;
      }
    }
    storageBarrier();
    workgroupBarrier();
    // Read after the swap: before it, another invocation may be moving this very entry.
    let pivot = gram[lu + k * M + k];
    singular = singular || !(abs(pivot) > threshold);
    if (!singular) {
      for (var i = k + 1u + lid; i < M; i += 64u) {
        let factor = gram[lu + i * M + k] / pivot;
        gram[lu + i * M + k] = factor;
        for (var j = k + 1u; j < M; j += 1u) {
          gram[lu + i * M + j] -= factor * gram[lu + k * M + j];
        }
        work[rhs + i] -= factor * work[rhs + k];
      }
    }
    storageBarrier();
    workgroupBarrier();
  }
  if (lid == 0u) {
    if (singular) {
      state.status = STATUS_FAIL_SINGULAR;
    } else {
      for (var i = M; i > 0u; i -= 1u) {
        let r = i - 1u;
        var sum = work[rhs + r];
        for (var j = r + 1u; j < M; j += 1u) { sum -= gram[lu + r * M + j] * work[rhs + j]; }
        work[rhs + r] = sum / gram[lu + r * M + r];
      }
      for (var m = 0u; m < M; m += 1u) { work[lambda_offset() + m] -= work[rhs + m]; }
    }
  }
}

// ∇_x f and the half energies e_i = ½ Σ_{j≠i} c_η(|x_i − x_j|) at the converged candidate, into
// the candidate half of grad: ∂f/∂x_i = −w_k Σ_{j≠i} (x_i − x_j)/(r² + η²)^{3/2}.
@compute @workgroup_size(64)
fn energy(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (state.status != STATUS_CONVERGED) { return; }
  let e = gid.x;
  if (e >= params.electrons_total) { return; }
  let d = params.dimension;
  let h = 1u - state.cur;
  let base = half_offset(h);
  let k = e / params.electrons;
  let first = k * params.electrons;
  let w = electron_factor(h, k) * f32(params.electrons);
  let eta2 = params.eta * params.eta;
  var xi = vec3<f32>(0.0);
  for (var c = 0u; c < d; c += 1u) { xi[c] = coords[base + e * d + c]; }
  var g = vec3<f32>(0.0);
  var energy_sum = 0.0;
  for (var j = first; j < first + params.electrons; j += 1u) {
    if (j == e) { continue; }
    var delta = vec3<f32>(0.0);
    for (var c = 0u; c < d; c += 1u) { delta[c] = xi[c] - coords[base + j * d + c]; }
    let inverse = inverseSqrt(dot(delta, delta) + eta2);
    energy_sum += inverse;
    g -= (inverse * inverse * inverse) * delta;
  }
  for (var c = 0u; c < d; c += 1u) { grad[base + e * d + c] = w * g[c]; }
  work[energy_offset() + e] = 0.5 * energy_sum;
}

// c_k = Σ_i e_i, w_k c_k for the cost, and ∂f/∂z_k = ω'(z_k) c_k.
@compute @workgroup_size(64)
fn particle_energy(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (state.status != STATUS_CONVERGED) { return; }
  let k = gid.x;
  if (k >= params.particles) { return; }
  let h = 1u - state.cur;
  var c = 0.0;
  for (var i = 0u; i < params.electrons; i += 1u) {
    c += work[energy_offset() + k * params.electrons + i];
  }
  work[particle_cost_offset() + k] = electron_factor(h, k) * f32(params.electrons) * c;
  if (params.adaptive == 1u) {
    let zi = half_offset(h) + z_offset() + k;
    grad[zi] = omega_derivative(coords[zi]) * c;
  }
}

fn record_history(cost: f32, sigma: f32, dt: f32) {
  if (state.history_count >= params.history_capacity) { return; }
  let o = state.history_count * HISTORY_STRIDE;
  history[o] = f32(state.step);
  history[o + 1u] = cost;
  history[o + 2u] = state.residual;
  history[o + 3u] = dt;
  history[o + 4u] = sigma;
  history[o + 5u] = f32(state.newton_iter);
  state.history_count += 1u;
}

fn reject_attempt(reason: u32) {
  state.rejected += 1u;
  let dt = state.dt;
  state.dt = 0.5 * dt;
  state.newton_iter = 0u;
  if (state.dt < params.min_dt) {
    state.phase = PHASE_FAILED;
    state.fail_code = reason;
    state.last_dt = dt;
  } else {
    state.phase = PHASE_START;
  }
}

// End of a slot: accept (descent check without noise), reject (Δt/2, or stop below the floor),
// or go on with the next Newton iteration.
@compute @workgroup_size(64)
fn control(@builtin(local_invocation_index) lid: u32) {
  let status = state.status;
  var partial = 0.0;
  if (status == STATUS_CONVERGED) {
    for (var k = lid; k < params.particles; k += 64u) {
      partial += work[particle_cost_offset() + k];
    }
  }
  let cost = wg_sum(lid, partial);
  let finite = wg_max(lid, select(1.0, 0.0, is_finite(partial))) == 0.0;
  if (lid == 0u) {
    if (status != STATUS_IDLE) { state.slots += 1u; }
    let sigma = noise_level();
    if (status == STATUS_CONVERGED) {
      if (!finite || !is_finite(cost)) {
        state.phase = PHASE_FAILED;
        state.fail_code = FAIL_NAN;
      } else if (sigma == 0.0 && cost > state.cost + params.descent_slack * abs(state.cost)) {
        reject_attempt(FAIL_COLLAPSE_ASCENT);
      } else {
        let dt = state.dt;
        state.cur = 1u - state.cur;
        state.step += 1u;
        state.accepted += 1u;
        state.cost = cost;
        state.sigma = sigma;
        state.last_dt = dt;
        state.last_newton = state.newton_iter;
        record_history(cost, sigma, dt);
        if (state.newton_iter <= params.fast_newton) {
          state.dt = min(dt * params.dt_growth, params.max_dt);
          state.tol = max(state.tol * params.tol_factor, params.min_tol);
        }
        state.newton_iter = 0u;
        state.phase = select(PHASE_START, PHASE_HALT, state.step >= state.halt_at);
      }
    } else if (status == STATUS_FAIL_NEWTON) {
      reject_attempt(FAIL_COLLAPSE_NEWTON);
    } else if (status == STATUS_FAIL_SINGULAR) {
      reject_attempt(FAIL_COLLAPSE_SINGULAR);
    } else if (status == STATUS_CONTINUE) {
      state.newton_iter += 1u;
      state.phase = PHASE_NEWTON;
    }
    state.status = STATUS_IDLE;
    shared_flag = select(0u, 1u, state.phase == PHASE_START && status != STATUS_IDLE);
    // The next slot: predict only when an attempt starts; nothing once halted or failed.
    let start = state.phase == PHASE_START;
    let newton = start || state.phase == PHASE_NEWTON;
    set_launch_a(0u, select(0u, electron_groups(), start));
    set_launch_a(1u, select(0u, electron_groups(), newton));
    set_launch_a(2u, select(0u, particle_groups(), newton));
    set_launch_a(3u, select(0u, 1u, newton));
    for (var e = 0u; e < 4u; e += 1u) { set_launch_b(e, 0u); }
  }
  // A new attempt starts from λ = 0.
  if (workgroupUniformLoad(&shared_flag) == 1u) {
    for (var m = lid; m < params.constraints; m += 64u) { work[lambda_offset() + m] = 0.0; }
  }
}

// Copies the current half of coords for the host (the last dispatch of a submit).
@compute @workgroup_size(64)
fn publish(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.coord_stride) { return; }
  snapshot[i] = coords[half_offset(state.cur) + i];
}
