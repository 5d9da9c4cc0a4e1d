/**
 * Controls generated from a scene's parameter schema: sliders (linear or log), number fields,
 * selects and text fields. Values are checked against the schema by the store before they are applied.
 */
import { useId, useState } from 'react';
import {
  roundToSpec,
  type ParamSchema,
  type ParamSpec,
  type ParamValue,
  type TextSpec,
} from '../params';

interface ParamControlsProps {
  schema: ParamSchema;
  values: Readonly<Record<string, ParamValue>>;
  onChange: (key: string, value: ParamValue) => void;
  /** Only these keys, in this order (all by default). */
  keys?: readonly string[];
}

export function ParamControls({ schema, values, onChange, keys }: ParamControlsProps) {
  return (
    <div className="params">
      {(keys ?? Object.keys(schema)).map((key) => {
        const spec = schema[key];
        if (!spec) return null;
        return (
          <ParamControl
            key={key}
            name={key}
            spec={spec}
            value={values[key] ?? spec.default}
            onChange={(value) => {
              onChange(key, value);
            }}
          />
        );
      })}
    </div>
  );
}

/** Numbers for display: compact, with scientific notation for small values. */
export function formatValue(value: ParamValue): string {
  if (typeof value === 'string') return value;
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) {
    return value.toExponential(1);
  }
  return String(value);
}

interface ParamControlProps {
  name: string;
  spec: ParamSpec;
  value: ParamValue;
  onChange: (value: ParamValue) => void;
}

function ParamControl({ name, spec, value, onChange }: ParamControlProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const label = (
    <label htmlFor={id} title={spec.description}>
      {spec.label}
    </label>
  );
  if (spec.kind === 'enum') {
    return (
      <div className="param">
        {label}
        <select
          id={id}
          name={name}
          value={String(value)}
          onChange={(event) => {
            onChange(event.target.value);
          }}
        >
          {spec.options.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </div>
    );
  }
  if (spec.kind === 'text') {
    return (
      <div className="param">
        {label}
        <TextField
          key={String(value)}
          id={id}
          name={name}
          spec={spec}
          value={String(value)}
          onChange={onChange}
        />
      </div>
    );
  }
  if (spec.kind === 'int' && spec.control === 'number') {
    return (
      <div className="param">
        {label}
        {/* Remount on outside changes so the field shows the applied value. */}
        <IntField
          key={String(value)}
          id={id}
          name={name}
          spec={spec}
          value={Number(value)}
          onChange={onChange}
        />
      </div>
    );
  }
  const log = spec.kind === 'number' && spec.scale === 'log';
  const number = Number(value);
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (s: number) => {
    if (spec.kind === 'int') return Math.round(s);
    return roundToSpec(spec, log ? 10 ** s : s);
  };
  const step = spec.kind === 'int' ? 1 : log ? 0.01 : (spec.max - spec.min) / 200;
  return (
    <div className="param">
      {label}
      <div className="param__slider">
        <input
          id={id}
          name={name}
          type="range"
          min={toSlider(spec.min)}
          max={toSlider(spec.max)}
          step={step}
          value={toSlider(number)}
          aria-valuetext={formatValue(number)}
          aria-describedby={hintId}
          onChange={(event) => {
            onChange(fromSlider(Number(event.target.value)));
          }}
        />
        <output htmlFor={id} className="param__value">
          {formatValue(number)}
        </output>
      </div>
      <span id={hintId} className="visually-hidden">
        {spec.description}
        {log ? ' (logarithmic slider)' : ''}
      </span>
    </div>
  );
}

interface IntFieldProps {
  id: string;
  name: string;
  spec: ParamSpec & { kind: 'int' };
  value: number;
  onChange: (value: number) => void;
}

/** A number field that applies its text on Enter or blur, when it is a valid integer in range. */
function IntField({ id, name, spec, value, onChange }: IntFieldProps) {
  const [text, setText] = useState(String(value));
  const parsed = Number(text);
  const valid =
    /^\s*[+-]?\d+\s*$/.test(text) &&
    Number.isInteger(parsed) &&
    parsed >= spec.min &&
    parsed <= spec.max;
  const commit = () => {
    if (valid && parsed !== value) onChange(parsed);
  };
  return (
    <span className="param__field">
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={spec.min}
        max={spec.max}
        step={1}
        value={text}
        aria-invalid={!valid}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      {!valid && (
        <span className="param__error" role="alert">
          Enter an integer in [{spec.min}, {spec.max}]
        </span>
      )}
    </span>
  );
}

interface TextFieldProps {
  id: string;
  name: string;
  spec: TextSpec;
  value: string;
  onChange: (value: string) => void;
}

/** A text field that applies its text on Enter or blur (the scene checks what it means). */
function TextField({ id, name, spec, value, onChange }: TextFieldProps) {
  const [text, setText] = useState(value);
  const commit = () => {
    if (text !== value) onChange(text);
  };
  return (
    <span className="param__field">
      <input
        id={id}
        name={name}
        type="text"
        spellCheck={false}
        maxLength={spec.maxLength}
        value={text}
        title={spec.description}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </span>
  );
}
