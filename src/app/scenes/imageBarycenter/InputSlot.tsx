/**
 * One input image of the lab: its density, and the ways to change it — pick a shape or letter and
 * place it, paint with the pointer (adds soft ink; Clear empties), or upload a PNG (validated by
 * raster.ts; Invert takes light pixels as the mass). Painted and uploaded images stay in the tab.
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { ParamControls } from '../../components/ParamControls';
import type { ParamValue } from '../../params';
import { paintDensity } from './DensityCanvas';
import { imageBarycenterParams } from './params';
import { pngImage, RASTER_SIDE } from './raster';
import { addBrush, resampleImage } from './shapes';

/** Brush radius in unit-square units. */
const BRUSH = 0.045;

interface InputSlotProps {
  /** 0-based slot index. */
  k: number;
  color: string;
  size: number;
  /** The slot's (unnormalised) image on the grid. */
  image: Float64Array;
  /** The same image at RASTER_SIDE², where painting starts from. */
  raster: () => Float64Array;
  custom: boolean;
  shape: string;
  values: Readonly<Record<string, ParamValue>>;
  onParam: (key: string, value: ParamValue) => void;
  /** A painted or uploaded raster (undefined: back to the shape). */
  onCustom: (ink: Float64Array | undefined) => void;
}

export function InputSlot(props: InputSlotProps) {
  const { k, color, size, image, custom, shape, values, onParam, onCustom } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const ink = useRef<Float64Array | undefined>(undefined);
  const [painting, setPainting] = useState(false);
  const [invert, setInvert] = useState(false);
  const [uploadError, setUploadError] = useState<string | undefined>(undefined);
  const slot = k + 1;

  useEffect(() => {
    if (canvas.current) paintDensity(canvas.current, image, size);
  }, [image, size]);

  const brush = (event: PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const stroke = ink.current;
    if (!stroke) return;
    addBrush(
      stroke,
      RASTER_SIDE,
      (event.clientX - box.left) / box.width,
      (event.clientY - box.top) / box.height,
      BRUSH,
      0.35,
    );
    paintDensity(event.currentTarget, resampleImage(stroke, RASTER_SIDE, size), size);
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    try {
      onCustom(await pngImage(file, invert, `image ${slot}`));
      setUploadError(undefined);
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    }
  };

  const keys = [
    `shape${slot}`,
    ...(shape === 'letter' ? [`letter${slot}`] : []),
    `x${slot}`,
    `y${slot}`,
    `r${slot}`,
  ];
  return (
    <section className="ibl-slot" aria-labelledby={`ibl-slot-${slot}`}>
      <header className="ibl-slot__header">
        <h3 id={`ibl-slot-${slot}`}>
          <span className="swatch" style={{ background: color }} aria-hidden="true" /> Image {slot}
        </h3>
        {custom && <span className="tag">custom, not in the link</span>}
      </header>
      <canvas
        ref={canvas}
        className={`ibl-density${painting ? ' ibl-density--painting' : ''}`}
        role="img"
        aria-label={`Input image ${slot}${painting ? ' (painting: drag to add ink)' : ''}`}
        data-testid={`input-${slot}`}
        onPointerDown={(event) => {
          if (!painting) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          ink.current ??= props.raster().slice();
          brush(event);
        }}
        onPointerMove={(event) => {
          if (painting && event.buttons === 1) brush(event);
        }}
        onPointerUp={() => {
          if (painting && ink.current) onCustom(ink.current.slice());
        }}
      />
      <div className="ibl-slot__tools">
        <button
          type="button"
          className="button button--small"
          aria-pressed={painting}
          onClick={() => {
            ink.current = undefined;
            setPainting(!painting);
          }}
        >
          {painting ? 'Done painting' : 'Paint'}
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            ink.current = new Float64Array(RASTER_SIDE * RASTER_SIDE);
            onCustom(ink.current.slice());
          }}
        >
          Clear
        </button>
        <label className="button button--small button--file">
          Upload PNG
          <input
            type="file"
            accept="image/png"
            data-testid={`upload-${slot}`}
            onChange={(event) => {
              void upload(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </label>
        <label className="ibl-invert">
          <input
            type="checkbox"
            checked={invert}
            onChange={(event) => {
              setInvert(event.target.checked);
            }}
          />{' '}
          Invert
        </label>
        {custom && (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              ink.current = undefined;
              setPainting(false);
              onCustom(undefined);
            }}
          >
            Back to the shape
          </button>
        )}
      </div>
      {uploadError && (
        <p className="ibl-slot__error" role="alert" data-testid={`upload-error-${slot}`}>
          {uploadError}
        </p>
      )}
      <details className="ibl-slot__shape">
        <summary>Shape and position</summary>
        <ParamControls
          schema={imageBarycenterParams}
          values={values}
          onChange={onParam}
          keys={keys}
        />
      </details>
    </section>
  );
}
