/** Helpers shared by the Sinkhorn tests (unit and GPU). */

/** Largest |Δ| between two potential pairs after removing the gauge (f + c, g − c). */
export function gaugeGap(
  p: { f: Float64Array; g: Float64Array },
  q: { f: Float64Array; g: Float64Array },
): number {
  const shift = p.f[0]! - q.f[0]!;
  let gap = 0;
  p.f.forEach((v, i) => (gap = Math.max(gap, Math.abs(v - shift - q.f[i]!))));
  p.g.forEach((v, j) => (gap = Math.max(gap, Math.abs(v + shift - q.g[j]!))));
  return gap;
}
