// Philox4x32-10 counter-based random numbers (Salmon, Moraes, Dror, Shaw, "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011; constants and round as in Random123's philox.h) and Box–Muller
// normals. Functions only: include with `//!include lib/philox.wgsl`.
// The exact CPU twin is src/ot/philox.ts: u32 outputs agree bit for bit, uniforms exactly, normals
// to float32 rounding of log/sqrt/cos/sin.

const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u; // golden ratio
const PHILOX_W1: u32 = 0xBB67AE85u; // sqrt(3) − 1
const PHILOX_PI: f32 = 3.14159265358979;

// (high, low) words of the 64-bit product a·b. WGSL has no 64-bit integers: split into 16-bit
// halves so that every partial product fits in 32 bits.
fn philox_mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let ll = a_lo * b_lo;
  let lh = a_lo * b_hi;
  let hl = a_hi * b_lo;
  let hh = a_hi * b_hi;
  // Carry out of the low word: bits 16..31 of ll plus the low halves of the cross terms (< 2^18).
  let middle = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  let high = hh + (lh >> 16u) + (hl >> 16u) + (middle >> 16u);
  return vec2<u32>(high, a * b);
}

fn philox_round(c: vec4<u32>, k: vec2<u32>) -> vec4<u32> {
  let p0 = philox_mulhilo(PHILOX_M0, c.x);
  let p1 = philox_mulhilo(PHILOX_M1, c.z);
  return vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
}

// Ten rounds; the key is bumped by the Weyl constants between rounds.
fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var i = 0u; i < 10u; i += 1u) {
    c = philox_round(c, k);
    k += vec2<u32>(PHILOX_W0, PHILOX_W1);
  }
  return c;
}

// Uniform in (0, 1]: the top 24 bits plus one, times 2^-24. Every value is exact in float32, so the
// CPU reference gets the same numbers, and u > 0 keeps log(u) finite.
fn philox_uniform(x: u32) -> f32 {
  return f32((x >> 8u) + 1u) * (1.0 / 16777216.0);
}

// −ln u for u ∈ (0, 1]. Near u = 1, log() is only accurate to an absolute 2^-21 in WGSL, which
// after the square root would be a large error for small radii; there −ln(1 − w) is summed as its
// series (w < 2^-6: the first omitted term is below float32 precision relative to the sum).
fn philox_neg_log(u: f32) -> f32 {
  let w = 1.0 - u; // exact on the 2^-24 grid
  let series = w * (1.0 + w * (0.5 + w * (1.0 / 3.0 + w * 0.25)));
  return select(-log(u), series, w < 0.015625);
}

// (cos πt, sin πt) for t ∈ [−1, 1], accurate to about 1e-7 on every platform: WGSL only promises
// 2^-11 absolute for cos/sin (SwiftShader is off by 1.9e-4), too coarse to track the CPU reference.
// t is reduced exactly, t = q/2 + f with q = round(2t) and |f| ≤ 1/4 (t lies on the 2^-23 grid),
// then x = πf ∈ [−π/4, π/4] goes through the Cephes sinf/cosf minimax polynomials, and the
// quadrant q rotates the result.
fn philox_cos_sin_pi(t: f32) -> vec2<f32> {
  let q = round(2.0 * t);
  let x = PHILOX_PI * (t - 0.5 * q);
  let z = x * x;
  let s = x + x * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z
    + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  switch i32(q) & 3 {
    case 0: { return vec2<f32>(c, s); }
    case 1: { return vec2<f32>(-s, c); }
    case 2: { return vec2<f32>(-c, -s); }
    default: { return vec2<f32>(s, -c); } // q = −1
  }
}

// Box–Muller: z0 = r cos θ, z1 = r sin θ with r = √(−2 ln u1), θ = π (2 u2 − 1) ∈ (−π, π].
// |z| ≤ √(48 ln 2) ≈ 5.77 since u1 ≥ 2^-24.
fn philox_box_muller(x1: u32, x2: u32) -> vec2<f32> {
  let r = sqrt(2.0 * philox_neg_log(philox_uniform(x1)));
  return r * philox_cos_sin_pi(2.0 * philox_uniform(x2) - 1.0);
}

// Four standard normals from one Philox block: (x, y) → z.xy, (z, w) → z.zw.
fn philox_normal4(counter: vec4<u32>, key: vec2<u32>) -> vec4<f32> {
  let bits = philox4x32_10(counter, key);
  return vec4<f32>(philox_box_muller(bits.x, bits.y), philox_box_muller(bits.z, bits.w));
}
