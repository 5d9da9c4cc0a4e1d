// Workgroup reductions for a workgroup of 64 invocations (WORKGROUP_SIZE in src/gpu/runtime.ts).
// Functions only: include with `//!include lib/workgroup_reduce.wgsl`.
//
//   wg_sum(lid, v)    Σ v over the workgroup
//   wg_max(lid, v)    max v over the workgroup
//   wg_lse(lid, m, s) combines online log-sum-exp partials (m = running max, s = Σ exp(x − m))
//                     into the workgroup's (max, sum); log Σ exp(x) = r.x + log(r.y).
//
// `lid` is @builtin(local_invocation_index). Every invocation receives the result (broadcast).
// Each call is a tree reduction with workgroupBarrier(), so it MUST be called in uniform control
// flow: by all 64 invocations, never inside a branch or loop that depends on the invocation
// (compute per-invocation partials first, then call with a neutral value on idle invocations:
// 0 for wg_sum, any element of the data for wg_max, s = 0 for wg_lse).
//
// wg_lse and lse_push/lse_merge rely on IEEE infinities at run time, which Vulkan, D3D12 and
// Metal (without fast math) provide: a partial with m = −inf (an empty one, or one over log 0
// values only) contributes nothing and never yields NaN. A finite sentinel such as m = −3.4e38
// with s = 0 works too.

const WG_REDUCE_SIZE: u32 = 64u;
const WG_REDUCE_SUM: u32 = 0u;
const WG_REDUCE_MAX: u32 = 1u;
const WG_REDUCE_LSE: u32 = 2u;

var<workgroup> wg_reduce_scratch: array<vec2<f32>, WG_REDUCE_SIZE>;

// Term of an LSE partial p rescaled to the common max `m` ≥ p.x: p.y exp(p.x − m). When p.x is
// the max itself the factor is exactly 1, which also covers p.x = m = ±inf (inf − inf = NaN).
fn lse_term(p: vec2<f32>, m: f32) -> f32 {
  return select(p.y * exp(p.x - m), p.y, p.x == m);
}

// Merges two log-sum-exp partials (max, Σ exp(x − max)).
fn lse_merge(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let m = max(a.x, b.x);
  return vec2<f32>(m, lse_term(a, m) + lse_term(b, m));
}

// Online log-sum-exp: adds one value x to a partial with a single exp (streaming loops).
fn lse_push(acc: vec2<f32>, x: f32) -> vec2<f32> {
  if (x > acc.x) {
    return vec2<f32>(x, acc.y * exp(acc.x - x) + 1.0);
  }
  return vec2<f32>(acc.x, acc.y + select(exp(x - acc.x), 1.0, x == acc.x));
}

fn wg_reduce_combine(op: u32, a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  switch op {
    case WG_REDUCE_SUM: { return vec2<f32>(a.x + b.x, 0.0); }
    case WG_REDUCE_MAX: { return vec2<f32>(max(a.x, b.x), 0.0); }
    default: { return lse_merge(a, b); }
  }
}

// The shared tree: log2(64) = 6 halving steps, then a broadcast of slot 0.
fn wg_reduce(lid: u32, op: u32, v: vec2<f32>) -> vec2<f32> {
  wg_reduce_scratch[lid] = v;
  workgroupBarrier();
  for (var stride = WG_REDUCE_SIZE / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      wg_reduce_scratch[lid] = wg_reduce_combine(
        op,
        wg_reduce_scratch[lid],
        wg_reduce_scratch[lid + stride],
      );
    }
    workgroupBarrier();
  }
  let result = workgroupUniformLoad(&wg_reduce_scratch[0]);
  // Everyone has read slot 0 before a following call overwrites the scratch array.
  workgroupBarrier();
  return result;
}

fn wg_sum(lid: u32, v: f32) -> f32 {
  return wg_reduce(lid, WG_REDUCE_SUM, vec2<f32>(v, 0.0)).x;
}

fn wg_max(lid: u32, v: f32) -> f32 {
  return wg_reduce(lid, WG_REDUCE_MAX, vec2<f32>(v, 0.0)).x;
}

fn wg_lse(lid: u32, m: f32, s: f32) -> vec2<f32> {
  return wg_reduce(lid, WG_REDUCE_LSE, vec2<f32>(m, s));
}
