// Reduction of a storage array<f32> of length n ≥ 1 to one value: sum, max or log Σ exp(x).
// The CPU reference is reduceFloat64 in src/ot/reduce.ts; the driver is src/gpu/reduce.ts.
//
// Two passes in one submit, chosen over a single strided workgroup because one workgroup runs on
// one GPU core: for n = 1e6 that would leave all but one core idle.
//   reduce_partials: G workgroups (G ≤ 1024, about 16 elements per invocation); each invocation
//     accumulates a grid-strided slice (coalesced loads), the workgroup combines its 64 values and
//     writes one partial.
//   reduce_finish: one workgroup folds the G partials the same way and writes output[0].
// Partials are vec2<f32> for every op: (sum, 0), (max, 0), or (running max, Σ exp(x − max)) for
// log-sum-exp, so that pass 2 merges LSE partials exactly as pass 1 merged values.
// The operation is the override constant OP (0 sum, 1 max, 2 logsumexp): a pipeline per op.

//!include lib/workgroup_reduce.wgsl

struct ReduceParams {
  n: u32,
  partial_count: u32,
}

@group(0) @binding(0) var<uniform> params: ReduceParams;
@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;

override OP: u32 = 0u;

// Neutral starting value of an invocation. Max and LSE have no finite identity and WGSL has no
// infinity literal, so they start from an element of the data (max is idempotent; an LSE partial
// with s = 0 contributes nothing whatever its m).
fn neutral(first: f32) -> vec2<f32> {
  if (OP == WG_REDUCE_SUM) { return vec2<f32>(0.0, 0.0); }
  return vec2<f32>(first, 0.0);
}

// Adds one input element to an invocation's accumulator.
fn accumulate(acc: vec2<f32>, x: f32) -> vec2<f32> {
  switch OP {
    case WG_REDUCE_SUM: { return vec2<f32>(acc.x + x, 0.0); }
    case WG_REDUCE_MAX: { return vec2<f32>(max(acc.x, x), 0.0); }
    default: { return lse_push(acc, x); }
  }
}

@compute @workgroup_size(64)
fn reduce_partials(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  var acc = neutral(input[0]);
  let stride = groups.x * WG_REDUCE_SIZE;
  for (var i = wid.x * WG_REDUCE_SIZE + lid; i < params.n; i += stride) {
    acc = accumulate(acc, input[i]);
  }
  let total = wg_reduce(lid, OP, acc);
  if (lid == 0u) { partials[wid.x] = total; }
}

@compute @workgroup_size(64)
fn reduce_finish(@builtin(local_invocation_index) lid: u32) {
  var acc = neutral(partials[0].x);
  for (var k = lid; k < params.partial_count; k += WG_REDUCE_SIZE) {
    acc = wg_reduce_combine(OP, acc, partials[k]);
  }
  let total = wg_reduce(lid, OP, acc);
  if (lid == 0u) {
    output[0] = select(total.x, total.x + log(total.y), OP == WG_REDUCE_LSE);
  }
}
