/**
 * Scene parameters: a schema per scene (numbers with ranges, integers, enums, short text), parsing of URL
 * query text against it, and the canonical query string written back to the address bar.
 *
 * URL text is never trusted: every value is checked against its spec, a rejected value is reported
 * in words (shown as plain text, never as HTML) and replaced by the default.
 */
import { InputError, requireFiniteNumber, requireInteger, requireOneOf } from '../ot/validate';

interface SpecBase {
  /** Label shown next to the control. */
  label: string;
  /** One sentence for tooltips and screen readers. */
  description?: string;
}

export interface IntSpec extends SpecBase {
  kind: 'int';
  min: number;
  max: number;
  default: number;
  /** A slider (default) or a number field, for wide ranges such as seeds. */
  control?: 'slider' | 'number';
}

export interface NumberSpec extends SpecBase {
  kind: 'number';
  min: number;
  max: number;
  default: number;
  /** A log slider moves in log10(value); values are kept to `digits` significant digits. */
  scale: 'linear' | 'log';
  digits: number;
}

export interface EnumSpec extends SpecBase {
  kind: 'enum';
  options: readonly string[];
  default: string;
}

/**
 * Free text of bounded length (e.g. a mixture typed by the user). The schema checks only its length
 * and characters; the scene parses it and shows its own message when the text makes no sense.
 */
export interface TextSpec extends SpecBase {
  kind: 'text';
  default: string;
  maxLength: number;
}

export type ParamSpec = IntSpec | NumberSpec | EnumSpec | TextSpec;

/** A number on a linear slider, kept to `digits` significant digits. */
export function linearNumber(
  label: string,
  min: number,
  max: number,
  value: number,
  description?: string,
  digits = 4,
): NumberSpec {
  return {
    kind: 'number',
    label,
    min,
    max,
    default: value,
    scale: 'linear',
    digits,
    ...(description ? { description } : {}),
  };
}
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** A random seed in a number field: the same seed draws the same instance. */
export function seedParam(description: string, value = 1): IntSpec {
  return {
    kind: 'int',
    label: 'Seed',
    description,
    min: 0,
    max: 1_000_000,
    default: value,
    control: 'number',
  };
}
export type ParamValue = number | string;

/** Distributes over unions, so a generic schema gives `string | number`. */
type ValueOf<P> = P extends EnumSpec | TextSpec ? string : number;

export type ParamValues<S extends ParamSchema> = {
  readonly [K in keyof S]: ValueOf<S[K]>;
};

export interface ParsedParams<S extends ParamSchema> {
  values: ParamValues<S>;
  /** One sentence per rejected or unknown parameter, for a visible message. */
  issues: string[];
}

/** URL text longer than this is cut in messages. */
const QUOTE_LIMIT = 40;
/** Messages listed for one URL; a hostile link with thousands of keys gets a count instead. */
export const MAX_ISSUES = 8;
/** Plain decimal or scientific notation; rejects NaN, Infinity, hex, empty and padded text. */
const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const defaultsCache = new WeakMap<ParamSchema, Readonly<Record<string, ParamValue>>>();

/** The schema's defaults; the same object for the same schema (stable for React selectors). */
export function defaultValues<S extends ParamSchema>(schema: S): ParamValues<S> {
  let values = defaultsCache.get(schema);
  if (!values) {
    values = Object.freeze(
      Object.fromEntries(Object.entries(schema).map(([key, spec]) => [key, spec.default])),
    );
    defaultsCache.set(schema, values);
  }
  return values as ParamValues<S>;
}

/** Quotes untrusted text for a message: JSON-escaped and cut to a readable length. */
export function quote(text: string): string {
  const cut = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  return JSON.stringify(cut);
}

/** Rounds to the spec's precision so sliders and URLs show tidy numbers. */
export function roundToSpec(spec: NumberSpec, value: number): number {
  return Number(value.toPrecision(spec.digits));
}

/** Checks a value of any origin (URL text already converted, or a control) against its spec. */
export function checkValue(spec: ParamSpec, value: unknown, field: string): ParamValue {
  switch (spec.kind) {
    case 'enum':
      return requireOneOf(value, field, spec.options);
    case 'text':
      return requireText(spec, value, field);
    case 'int':
      return requireInteger(value, field, spec.min, spec.max);
    case 'number': {
      const number = requireFiniteNumber(value, field);
      if (number < spec.min || number > spec.max) {
        throw new InputError(field, `must be in [${spec.min}, ${spec.max}], got ${number}`);
      }
      return number;
    }
  }
}

/** Printable text within the spec's length: no control characters. */
const PRINTABLE = /^[^\p{Cc}]*$/u;

function requireText(spec: TextSpec, value: unknown, field: string): string {
  if (typeof value !== 'string') throw new InputError(field, 'expected text');
  if (value.length > spec.maxLength) {
    throw new InputError(
      field,
      `must be at most ${spec.maxLength} characters, got ${value.length}`,
    );
  }
  if (!PRINTABLE.test(value)) throw new InputError(field, 'must not contain control characters');
  return value;
}

/** Parses one URL value; throws an InputError naming the parameter. */
export function parseParam(spec: ParamSpec, text: string, field: string): ParamValue {
  if (spec.kind === 'text') return requireText(spec, text, field);
  if (spec.kind === 'enum') {
    if (!spec.options.includes(text)) {
      throw new InputError(field, `expected one of ${spec.options.join(', ')}, got ${quote(text)}`);
    }
    return text;
  }
  if (!NUMBER_SYNTAX.test(text)) {
    throw new InputError(field, `expected a number, got ${quote(text)}`);
  }
  return checkValue(spec, Number(text), field);
}

/** Values for every parameter of `schema` from a query string; bad or unknown entries are reported. */
export function parseParams<S extends ParamSchema>(
  schema: S,
  query: URLSearchParams,
): ParsedParams<S> {
  const values: Record<string, ParamValue> = { ...defaultValues(schema) };
  const issues: string[] = [];
  const seen = new Set<string>();
  for (const [key, text] of query) {
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (!spec) {
      issues.push(`Ignored unknown URL parameter ${quote(key)}.`);
      continue;
    }
    if (seen.has(key)) {
      issues.push(`URL parameter ${key} is given twice; the first value is used.`);
      continue;
    }
    seen.add(key);
    try {
      values[key] = parseParam(spec, text, key);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(`Rejected URL parameter ${error.message}; using the default ${spec.default}.`);
    }
  }
  if (issues.length > MAX_ISSUES) {
    const more = issues.length - MAX_ISSUES;
    issues.splice(MAX_ISSUES, more, `…and ${more} more rejected URL parameters.`);
  }
  return { values: values as ParamValues<S>, issues };
}

/** The canonical query string (schema order, every parameter) for the address bar. */
export function formatParams<S extends ParamSchema>(schema: S, values: ParamValues<S>): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(schema)) query.set(key, String(values[key]));
  return query.toString();
}
