// Gaussian-mixture densities on a W×H grid, several mixtures in one dispatch; driver
// src/gpu/density.ts, float64 reference mixtureDensity in src/ot/gmm.ts.
//
// Mixture m, component k occupies components[2 (m K + k)] = (mean x, mean y, log coefficient, 0)
// and components[2 (m K + k) + 1] = (P00, P01, P11, 0), P = S⁻¹. The log coefficient
// log w_k − log 2π − ½ log det S_k is computed on the CPU in float64; unused slots hold a very
// negative coefficient and contribute exp(−huge) = 0. Pixel (i, j) of mixture m is
// out[m W H + j W + i] = Σ_k exp(c_k − ½ (x − m_k)ᵀ P_k (x − m_k)) at
// x = origin + ((i + ½) step.x, (j + ½) step.y) (step.y < 0 puts row 0 at the top).

struct DensityParams {
  width: u32,
  height: u32,
  // components per mixture (K, padded)
  components: u32,
  mixtures: u32,
  origin: vec2<f32>,
  step: vec2<f32>,
}

@group(0) @binding(0) var<uniform> params: DensityParams;
@group(0) @binding(1) var<storage, read> components: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn evaluate(@builtin(global_invocation_id) id: vec3<u32>) {
  let pixels = params.width * params.height;
  let pixel = id.x;
  let mixture = id.y;
  if (pixel >= pixels || mixture >= params.mixtures) {
    return;
  }
  let i = pixel % params.width;
  let j = pixel / params.width;
  let x = params.origin + (vec2<f32>(f32(i), f32(j)) + vec2<f32>(0.5, 0.5)) * params.step;
  var sum = 0.0;
  let first = mixture * params.components;
  for (var k = 0u; k < params.components; k += 1u) {
    let a = components[2u * (first + k)];
    let p = components[2u * (first + k) + 1u];
    let d = x - a.xy;
    let q = p.x * d.x * d.x + 2.0 * p.y * d.x * d.y + p.z * d.y * d.y;
    sum += exp(a.z - 0.5 * q);
  }
  out[mixture * pixels + pixel] = sum;
}
