// Standard normals from Philox4x32-10 (lib/philox.wgsl); driver src/gpu/random.ts, CPU twin
// fillNormals in src/ot/philox.ts.
//
// Element e of the stream of a seed is lane e mod 4 of Philox block ⌊e/4⌋, with counter
// (block low word, block high word, 0, 0) and key (seed low word, seed high word). A fill writes
// elements offset … offset + count − 1 of the stream to out[0 … count − 1]. Each value depends only
// on (seed, element index), never on the dispatch shape: invocations walk the blocks with a grid
// stride.

//!include lib/philox.wgsl

struct RandomParams {
  count: u32,
  // offset mod 4: the lane of the first block where the fill starts
  first_lane: u32,
  // ⌊offset / 4⌋ as two 32-bit words
  first_block_lo: u32,
  first_block_hi: u32,
  key: vec2<u32>,
}

@group(0) @binding(0) var<uniform> params: RandomParams;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
// Test hook: raw_in[2k] is a counter, raw_in[2k + 1].xy its key; raw_out[k] the Philox output.
@group(0) @binding(2) var<storage, read> raw_in: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> raw_out: array<vec4<u32>>;

// 64-bit block index first_block + t as (low, high) words.
fn block_counter(t: u32) -> vec4<u32> {
  let lo = params.first_block_lo + t;
  let carry = select(0u, 1u, lo < t);
  return vec4<u32>(lo, params.first_block_hi + carry, 0u, 0u);
}

@compute @workgroup_size(64)
fn fill_normals(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let blocks = (params.first_lane + params.count + 3u) / 4u;
  let stride = groups.x * 64u;
  for (var t = gid.x; t < blocks; t += stride) {
    let z = philox_normal4(block_counter(t), params.key);
    for (var lane = 0u; lane < 4u; lane += 1u) {
      // Position of this lane relative to the first element of the fill (wraps when before it).
      let k = 4u * t + lane - params.first_lane;
      if (4u * t + lane >= params.first_lane && k < params.count) { out[k] = z[lane]; }
    }
  }
}

@compute @workgroup_size(64)
fn philox_raw(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  if (k >= arrayLength(&raw_out)) { return; }
  raw_out[k] = philox4x32_10(raw_in[2u * k], raw_in[2u * k + 1u].xy);
}
