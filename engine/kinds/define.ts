/**
 * The node-kind declaration API.
 *
 * A kind is declared once, with {@link defineNodeKind}; the palette, the inspector,
 * the loader's validation, the JSON Schema and the compiler all read that one
 * declaration. Nothing here imports DOM, Node or Electron.
 */
import type { Runtime } from '../sim/runtime.ts';
import { DIST_FAMILIES, type DistFamily, type DistValue } from '../core/dist-value.ts';

/** What travels along a wire. A wire may only join ports of the same type. */
export const PORT_TYPES = ['spikes', 'current', 'modulator', 'label'] as const;
export type PortType = (typeof PORT_TYPES)[number];

/**
 * What a wire into an input port means:
 * - `projection`: spike source → population; the wire carries projection params;
 * - `observe`: a monitor watching its source, no params;
 * - `inject`: a current or signal feeding its target, no params;
 * - `plastic`: the presynaptic end of a plastic projection: a spike source or
 *   population wired into a plasticity node, no params (the node holds them).
 */
export type PortRole = 'projection' | 'observe' | 'inject' | 'plastic';

export interface PortSpec {
  readonly id: string;
  readonly label: string;
  readonly type: PortType;
  /** Only for inputs. */
  readonly role?: PortRole;
  /** Inputs only: accepts more than one wire (default true). */
  readonly multiple?: boolean;
  /** Projection inputs: the unit of a wire's weight into this port (e.g. `mV`, `nS`). */
  readonly weightUnit?: string;
  /**
   * Projection inputs: explicit weights (a wire's `weights` matrix or list, engine/format/weights.ts)
   * may be negative, a negative weight acting with the opposite sign of the receptor. True where the
   * input is a current or a jump in V (linear in the weight); false for conductances.
   */
  readonly signedWeights?: boolean;
}

export { DIST_FAMILIES, type DistFamily, type DistValue } from '../core/dist-value.ts';

interface ParamBase {
  readonly label: string;
  readonly tooltip: string;
  /** Show (and validate) this param only when another param has one of these values. */
  readonly when?: { readonly param: string; readonly in: readonly (string | number | boolean)[] };
}

export interface NumberParam extends ParamBase {
  readonly type: 'number';
  readonly default: number;
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is not allowed (e.g. a time constant > 0). */
  readonly exclusiveMin?: boolean;
  readonly integer?: boolean;
}

export interface DistParam extends ParamBase {
  readonly type: 'dist';
  readonly default: DistValue;
  readonly unit?: string;
  /** Families a user may pick for this param. */
  readonly families: readonly DistFamily[];
  /** Bounds every drawn or constant value must respect. */
  readonly min?: number;
  readonly max?: number;
}

export interface EnumParam extends ParamBase {
  readonly type: 'enum';
  readonly default: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
}

export interface BooleanParam extends ParamBase {
  readonly type: 'boolean';
  readonly default: boolean;
}

export interface StringParam extends ParamBase {
  readonly type: 'string';
  readonly default: string;
}

/** A list of numbers, e.g. explicit spike times. */
export interface NumberListParam extends ParamBase {
  readonly type: 'numbers';
  readonly default: readonly number[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
}

export type ParamSpec = NumberParam | DistParam | EnumParam | BooleanParam | StringParam | NumberListParam;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The runtime value type of one param spec. */
export type ParamValue<P extends ParamSpec> = P extends NumberParam
  ? number
  : P extends DistParam
    ? DistValue
    : P extends EnumParam
      ? string
      : P extends BooleanParam
        ? boolean
        : P extends StringParam
          ? string
          : P extends NumberListParam
            ? number[]
            : never;

/** The params object type derived from a spec record (props derive from validators). */
export type ParamsOf<S extends ParamSpecs> = { -readonly [K in keyof S]: ParamValue<S[K]> };

export const CATEGORIES = ['input', 'neuron', 'plasticity', 'monitor'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A named set of param values the inspector offers (e.g. Izhikevich "chattering"). */
export interface Preset {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface NodeKind<S extends ParamSpecs = ParamSpecs> {
  /** Stable kebab-case id, stored in documents. Never rename. */
  readonly id: string;
  readonly label: string;
  readonly category: Category;
  /** Help text: what it is, its equations and units, and its integration method. */
  readonly help: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly params: S;
  /** State variables a state monitor may record, with units. */
  readonly state?: readonly { readonly id: string; readonly unit: string; readonly label: string }[];
  /**
   * Neuron kinds: the level at which V registers a spike — the number param that
   * holds it, in mV (`v_th_mv`, or `v_peak_mv` for AdEx and Izhikevich). The
   * trace panel draws it on membrane-potential traces.
   */
  readonly spikeLevel?: { readonly param: keyof S & string };
  /**
   * Neuron kinds: `false` for a population that never spikes (the leaky
   * integrator readouts LI, CubaLI and I): it needs no `spikeLevel`, its state
   * is read by a state monitor, and a silent raster is not reported as a problem.
   */
  readonly spiking?: boolean;
  readonly presets?: readonly Preset[];
  /** How many neurons/channels the node has, from its params (sources and populations). */
  readonly size?: (params: ParamsOf<S>) => number;
  /** Cross-param checks beyond per-field bounds; return [field, message] pairs. */
  readonly check?: (params: ParamsOf<S>) => readonly (readonly [string, string])[];
  /** How the engine runs this kind; the sim layer defines the shapes. */
  readonly runtime: Runtime;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Declare a node kind. Throws at module load if the declaration is inconsistent. */
export function defineNodeKind<const S extends ParamSpecs>(kind: NodeKind<S>): NodeKind<S> {
  if (!KEBAB.test(kind.id)) throw new Error(`kind id "${kind.id}" is not kebab-case`);
  for (const [name, spec] of Object.entries(kind.params)) {
    const problem = checkParamValue(spec, spec.default);
    if (problem) throw new Error(`kind ${kind.id}: default of "${name}" is invalid: ${problem}`);
    if (spec.when && !(spec.when.param in kind.params)) {
      throw new Error(`kind ${kind.id}: param "${name}" depends on unknown param "${spec.when.param}"`);
    }
  }
  const ports = [...kind.inputs, ...kind.outputs].map((p) => p.id);
  if (new Set(ports).size !== ports.length) throw new Error(`kind ${kind.id}: port ids must be unique`);
  for (const p of kind.inputs) if (!p.role) throw new Error(`kind ${kind.id}: input ${p.id} needs a role`);
  if (kind.runtime.role === 'neurons' && kind.spiking !== false) {
    const level = kind.spikeLevel ? kind.params[kind.spikeLevel.param] : undefined;
    if (!level || level.type !== 'number') throw new Error(`kind ${kind.id}: a neuron kind declares its spike level, a number param (spikeLevel)`);
  }
  return kind;
}

/** Whether a param is active given the current params (its `when` holds). */
export function paramActive(spec: ParamSpec, params: Readonly<Record<string, unknown>>): boolean {
  if (!spec.when) return true;
  return spec.when.in.includes(params[spec.when.param] as string | number | boolean);
}

function fmt(x: number): string {
  return String(x);
}

function checkBounds(x: number, spec: { min?: number; max?: number; exclusiveMin?: boolean }, unit = ''): string | null {
  const u = unit ? ` ${unit}` : '';
  if (spec.min !== undefined) {
    if (spec.exclusiveMin ? !(x > spec.min) : !(x >= spec.min)) {
      return `must be ${spec.exclusiveMin ? '>' : '≥'} ${fmt(spec.min)}${u} (got ${fmt(x)})`;
    }
  }
  if (spec.max !== undefined && !(x <= spec.max)) return `must be ≤ ${fmt(spec.max)}${u} (got ${fmt(x)})`;
  return null;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * Check one param value against its spec. Returns a human message, or null when valid.
 * Messages do not name the field: the caller adds node id and JSON pointer.
 */
export function checkParamValue(spec: ParamSpec, value: unknown): string | null {
  switch (spec.type) {
    case 'number': {
      if (!isFiniteNumber(value)) return `must be a finite number${spec.unit ? ` in ${spec.unit}` : ''}`;
      if (spec.integer && !Number.isInteger(value)) return `must be a whole number (got ${value})`;
      return checkBounds(value, spec, spec.unit);
    }
    case 'dist': {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return 'must be a finite number';
        if (!spec.families.includes('constant')) return `must be a distribution (${spec.families.join(', ')})`;
        return checkBounds(value, spec, spec.unit);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return `must be a number or a distribution {"dist": ${spec.families
          .filter((f) => f !== 'constant')
          .map((f) => `"${f}"`)
          .join(' | ')}, …}`;
      }
      const v = value as Record<string, unknown>;
      const fam = v.dist;
      if (typeof fam !== 'string' || !(DIST_FAMILIES as readonly string[]).includes(fam) || fam === 'constant') {
        return `has unknown distribution ${JSON.stringify(fam)}`;
      }
      if (!spec.families.includes(fam as DistFamily)) return `does not allow a ${fam} distribution (allowed: ${spec.families.join(', ')})`;
      const need = (k: string): string | null => (isFiniteNumber(v[k]) ? null : `needs a finite number "${k}"`);
      if (fam === 'uniform') {
        const e = need('low') ?? need('high');
        if (e) return e;
        if (!((v.low as number) <= (v.high as number))) return `uniform needs low ≤ high (got ${v.low} > ${v.high})`;
        return checkBounds(v.low as number, spec, spec.unit) ?? checkBounds(v.high as number, spec, spec.unit);
      }
      if (fam === 'normal') {
        const e = need('mean') ?? need('sd');
        if (e) return e;
        if ((v.sd as number) < 0) return `normal needs sd ≥ 0 (got ${v.sd})`;
        for (const k of ['min', 'max'] as const) if (v[k] !== undefined && !isFiniteNumber(v[k])) return `"${k}" must be a finite number`;
        return null;
      }
      const e = need('mu') ?? need('sigma');
      if (e) return e;
      if ((v.sigma as number) < 0) return `lognormal needs sigma ≥ 0 (got ${v.sigma})`;
      return null;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.options.some((o) => o.value === value)) {
        return `must be one of ${spec.options.map((o) => `"${o.value}"`).join(', ')} (got ${JSON.stringify(value)})`;
      }
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? null : 'must be text';
    case 'numbers': {
      if (!Array.isArray(value)) return 'must be a list of numbers';
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        if (!isFiniteNumber(x)) return `item ${i} must be a finite number`;
        const b = checkBounds(x, spec, spec.unit);
        if (b) return `item ${i} ${b}`;
      }
      return null;
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown param type ${JSON.stringify(never)}`);
    }
  }
}

/** Default params of a kind, as a fresh mutable object. */
export function defaultParams(specs: ParamSpecs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = structuredCloneJson(s.default);
  return out;
}

function structuredCloneJson<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T);
}
