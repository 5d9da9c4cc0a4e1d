/**
 * Numbers and small arrays as TeX, for formulas that show the values a scene currently computes
 * (`<Formula tex={...} />`). Non-finite values print as a dash, never as NaN.
 */

/** `digits` significant digits; scientific notation as a × 10^k for very small or large values. */
export function texNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return '\\text{–}';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${Number(mantissa)} \\times 10^{${Number(exponent)}}`;
  }
  return String(Number(value.toPrecision(digits)));
}

export function texVector(values: readonly number[], digits = 4): string {
  return `\\begin{pmatrix} ${values.map((v) => texNumber(v, digits)).join(' \\\\ ')} \\end{pmatrix}`;
}

export function texMatrix(rows: readonly (readonly number[])[], digits = 4): string {
  const body = rows.map((row) => row.map((v) => texNumber(v, digits)).join(' & ')).join(' \\\\ ');
  return `\\begin{pmatrix} ${body} \\end{pmatrix}`;
}

/** A row vector (λ₁, …, λ_K) in parentheses. */
export function texTuple(values: readonly number[], digits = 3): string {
  return `(${values.map((v) => texNumber(v, digits)).join(',\\ ')})`;
}
