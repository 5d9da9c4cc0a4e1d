/**
 * The lab's lecture pieces for its committed parameters (the URL's, which a copied link
 * reproduces): W2² with the current values substituted, and its exports (tables, otlab input).
 */
import { Formula } from '../../components/Formula';
import { useSceneExports } from '../../lecture/sceneExports';
import { interpolationOtlabRun, interpolationTables } from './exports';
import { liveW2Tex } from './liveFormulas';
import { computeLab, type LabInput, type LabModel } from './model';

function modelOrError(input: LabInput): LabModel | Error {
  try {
    return computeLab(input);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function InterpolationLive({ input }: { input: LabInput }) {
  // The lab is 2×2 closed forms: recomputing on each render (a parameter change) is cheap.
  const model = modelOrError(input);
  const valid = () => {
    if (model instanceof Error) throw model; // the planes show the same message
    return model;
  };
  useSceneExports({
    tables: () => interpolationTables(input.t, valid()),
    otlab: () => interpolationOtlabRun(input.t, valid()),
  });
  if (model instanceof Error) return null;
  return (
    <div data-testid="live-formulas">
      <h2>With the current values</h2>
      <Formula tex={liveW2Tex(model)} />
    </div>
  );
}
