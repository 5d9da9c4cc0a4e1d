/**
 * Barycentric weights λ on the simplex: the triangle picker for three inputs, one slider per input
 * for any count (moving one renormalises the others). Shared by the barycenter labs.
 */
import { format } from 'd3';
import { setWeight } from './simplex';
import { SimplexPicker } from './SimplexPicker';

const fmt = format('.4~g');

interface WeightControlsProps {
  weights: readonly number[];
  colors: readonly string[];
  onWeights: (weights: readonly number[]) => void;
  /** Prefix of the sliders' element ids (unique per scene). */
  idPrefix: string;
}

export function WeightControls({ weights, colors, onWeights, idPrefix }: WeightControlsProps) {
  return (
    <>
      <h2>Weights λ</h2>
      {weights.length === 3 && (
        <SimplexPicker weights={weights} colors={colors} onChange={onWeights} />
      )}
      <div className="params">
        {weights.map((w, k) => (
          <div className="param" key={k}>
            <label htmlFor={`${idPrefix}-weight-${k}`}>
              <span className="swatch" style={{ background: colors[k] }} aria-hidden="true" />{' '}
              {`λ${String.fromCharCode(0x2081 + k)}`}
            </label>
            <div className="param__slider">
              <input
                id={`${idPrefix}-weight-${k}`}
                type="range"
                min={0}
                max={1}
                step={0.01}
                value={w}
                data-testid={`weight-slider-${k}`}
                onChange={(event) => {
                  onWeights(setWeight(weights, k, Number(event.target.value)));
                }}
              />
              <output className="param__value">{fmt(w)}</output>
            </div>
          </div>
        ))}
      </div>
      <p className="note">
        Sliders renormalise the others so that the weights stay on the simplex.
      </p>
    </>
  );
}
