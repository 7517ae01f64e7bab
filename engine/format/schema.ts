/**
 * The JSON Schema (draft 2020-12) of the graph document, generated from the
 * kind registry so it cannot drift from it. The committed copy,
 * `spikeflow-graph.schema.json`, is for other tools; regenerate it with
 * `npx tsx scripts/gen-schema.ts`.
 *
 * The schema accepts every document the loader accepts. The loader is stricter
 * where JSON Schema cannot follow: unique ids, wires that reference existing
 * nodes and ports of the same type, a kind's cross-field checks (e.g.
 * v_reset < v_th), uniform low ≤ high, duration a whole number of steps, and
 * which wires are projections (the schema checks projection params on every
 * wire that has them).
 */
import { KINDS, PROJECTION_PARAMS } from '../kinds/index.ts';
import type { DistFamily, ParamSpec, ParamSpecs } from '../kinds/index.ts';
import { CURRENT_VERSION, FORMAT_ID } from './document.ts';
import { MAX_SEED } from './validate.ts';
import { GROUP_KIND } from './groups.ts';

export type JsonSchema = { [key: string]: unknown };

/** Where the committed schema lives, relative to the repository root. */
export const SCHEMA_PATH = 'engine/format/spikeflow-graph.schema.json';

function bounds(spec: { min?: number; max?: number; exclusiveMin?: boolean }): JsonSchema {
  const out: JsonSchema = {};
  if (spec.min !== undefined) out[spec.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = spec.min;
  if (spec.max !== undefined) out.maximum = spec.max;
  return out;
}

function describe(spec: ParamSpec): string {
  const unit = 'unit' in spec && spec.unit ? ` Unit: ${spec.unit}.` : '';
  return `${spec.tooltip}${unit}`;
}

function distBranch(family: DistFamily, spec: { min?: number; max?: number }): JsonSchema {
  const num = { type: 'number' };
  switch (family) {
    case 'constant':
      return { type: 'number', ...bounds(spec) };
    case 'uniform':
      return {
        type: 'object',
        required: ['dist', 'low', 'high'],
        properties: { dist: { const: 'uniform' }, low: { type: 'number', ...bounds(spec) }, high: { type: 'number', ...bounds(spec) } },
      };
    case 'normal':
      return {
        type: 'object',
        required: ['dist', 'mean', 'sd'],
        properties: { dist: { const: 'normal' }, mean: num, sd: { type: 'number', minimum: 0 }, min: num, max: num },
      };
    case 'lognormal':
      return {
        type: 'object',
        required: ['dist', 'mu', 'sigma'],
        properties: { dist: { const: 'lognormal' }, mu: num, sigma: { type: 'number', minimum: 0 } },
      };
    default: {
      const never: never = family;
      throw new Error(`unknown distribution family ${String(never)}`);
    }
  }
}

/** The schema of one param value (what `checkParamValue` accepts, but uniform low ≤ high). */
export function paramJsonSchema(spec: ParamSpec): JsonSchema {
  const base: JsonSchema = { title: spec.label, description: describe(spec) };
  if ((spec.type === 'number' || spec.type === 'dist') && spec.perNeuron) {
    // Also one value per neuron (engine/core/per-neuron.ts); the loader checks the length against the size.
    const one = paramJsonSchema({ ...spec, perNeuron: false });
    const { title, description, default: def, ...rest } = one;
    const each = { type: 'array', minItems: 1, items: { type: spec.type === 'number' && spec.integer ? 'integer' : 'number', ...bounds(spec) } };
    return { title, description, anyOf: [rest.anyOf ? rest.anyOf : rest, each].flat(), default: def };
  }
  switch (spec.type) {
    case 'number':
      return { ...base, type: spec.integer ? 'integer' : 'number', ...bounds(spec), default: spec.default };
    case 'dist':
      return { ...base, anyOf: spec.families.map((f) => distBranch(f, spec)), default: spec.default };
    case 'enum':
      return { ...base, enum: spec.options.map((o) => o.value), default: spec.default };
    case 'boolean':
      return { ...base, type: 'boolean', default: spec.default };
    case 'string':
      return { ...base, type: 'string', default: spec.default };
    case 'numbers':
      return { ...base, type: 'array', items: { type: 'number', ...bounds(spec) }, default: [...spec.default] };
    default: {
      const never: never = spec;
      throw new Error(`unknown param type ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The schema of a params object. A param with `when` is checked only when it
 * is active: its controlling param holds one of the listed values, or is
 * absent and its default (which the loader fills in) is one of them.
 * Unknown params are allowed (the loader keeps them and warns).
 */
export function paramsJsonSchema(specs: ParamSpecs): JsonSchema {
  const properties: JsonSchema = {};
  const conditional: JsonSchema[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.when) {
      properties[name] = paramJsonSchema(spec);
      continue;
    }
    const controller = specs[spec.when.param];
    const activeWhenAbsent = spec.when.in.includes(controller.default as string | number | boolean);
    conditional.push({
      if: {
        properties: { [spec.when.param]: { enum: [...spec.when.in] } },
        ...(activeWhenAbsent ? {} : { required: [spec.when.param] }),
      },
      then: { properties: { [name]: paramJsonSchema(spec) } },
    });
  }
  return { type: 'object', properties, ...(conditional.length ? { allOf: conditional } : {}) };
}

/** The JSON Schema of the current format version. */
export function buildJsonSchema(): JsonSchema {
  const defs: JsonSchema = {
    meta: {
      type: 'object',
      description: 'About the document. Filled with defaults when missing.',
      properties: {
        name: { type: 'string' },
        description: { type: 'string' },
        created: { type: 'string', description: 'ISO 8601 date-time.' },
        modified: { type: 'string', description: 'ISO 8601 date-time.' },
      },
    },
    simulation: {
      type: 'object',
      description: 'duration_ms must be a whole number of steps of dt_ms (relative tolerance 1e-9).',
      required: ['dt_ms', 'duration_ms', 'seed'],
      properties: {
        dt_ms: { type: 'number', exclusiveMinimum: 0, description: 'Time step. Unit: ms.' },
        duration_ms: { type: 'number', exclusiveMinimum: 0, description: 'Length of a run. Unit: ms.' },
        seed: { type: 'integer', minimum: 0, maximum: MAX_SEED, description: 'Seed of every random draw of a run.' },
        same_step_delivery: {
          type: 'boolean',
          description:
            "Discrete graph order (NIR import sets it; absent = false): within a step, populations update in the graph's order and a spike crosses a zero-delay wire into a delta-synapse population (lif-delta under forward Euler, if-delta, li-delta, integrator) in the step it is fired, before that population's threshold. Wires back to the same or an earlier population (loops) still take at least one step.",
        },
      },
    },
    sweep: {
      type: 'object',
      description: "A saved parameter sweep: what `spikeflow sweep FILE` runs without --set, and what the app's Sweep panel opens with. One set draws a line, two a heatmap.",
      required: ['sets'],
      properties: {
        sets: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '=' },
          description: 'NODE.FIELD=VALUES, as `spikeflow sweep --set` takes them (VALUES: 1,2,3 | FROM:TO:STEP | log:FROM:TO:N).',
        },
        seeds: { type: 'integer', minimum: 1, description: 'Runs per point: the document seed and the next ones. Default 1.' },
        metrics: { type: 'array', items: { type: 'string' }, description: 'Metric names (a full name or a bare field such as cv_isi_mean). Default: all.' },
        duration_ms: { type: 'number', exclusiveMinimum: 0, description: 'Overrides simulation.duration_ms for each point. Unit: ms.' },
        label: { type: 'string', description: 'A title for the sweep.' },
      },
    },
    position: {
      type: 'object',
      required: ['x', 'y'],
      properties: { x: { type: 'number' }, y: { type: 'number' } },
    },
    portRef: {
      type: 'object',
      required: ['node', 'port'],
      properties: { node: { type: 'string', description: 'A node id.' }, port: { type: 'string', description: 'A port id of that node’s kind.' } },
    },
    node: {
      type: 'object',
      description: 'label, position and params are filled with defaults when missing; so is each missing param.',
      required: ['id', 'kind'],
      properties: {
        id: { type: 'string', minLength: 1, description: 'Unique among nodes; edges refer to it.' },
        kind: { enum: [...KINDS.map((k) => k.id), GROUP_KIND], description: 'A node kind id, or "group" (format version 2).' },
        label: { type: 'string' },
        position: { $ref: '#/$defs/position' },
        params: { type: 'object' },
        weights: { $ref: '#/$defs/storedWeights', description: 'Plasticity nodes only: the projection\u2019s stored synapses and weights.' },
      },
      allOf: [
        ...KINDS.map((k) => ({
          if: { properties: { kind: { const: k.id } }, required: ['kind'] },
          then: { properties: { params: { $ref: `#/$defs/params-${k.id}` } } },
        })),
        {
          if: { properties: { kind: { const: GROUP_KIND } }, required: ['kind'] },
          then: {
            description:
              'A group (subgraph): its own nodes and wires, and named ports that stand for ports of inner nodes. Node and wire ids are unique across ' +
              'the whole document, groups included; wires outside refer to the group\u2019s port ids.',
            required: ['nodes', 'edges', 'ports'],
            properties: {
              params: { type: 'object', maxProperties: 0, description: 'A group has no params of its own.' },
              collapsed: { type: 'boolean', description: 'Editor state: drawn compact (true) or with its contents listed.' },
              ports: { type: 'array', items: { $ref: '#/$defs/groupPort' } },
              nodes: { type: 'array', items: { $ref: '#/$defs/node' } },
              edges: { type: 'array', items: { $ref: '#/$defs/edge' } },
            },
          },
        },
      ],
    },
    groupPort: {
      type: 'object',
      description: 'A boundary port of a group: outside wires end at its id; inside, it is the port `port` of the inner node `node`.',
      required: ['id', 'direction', 'node', 'port'],
      properties: {
        id: { type: 'string', minLength: 1, description: 'Unique among the group\u2019s ports.' },
        label: { type: 'string', description: 'The name shown on the group node.' },
        direction: { enum: ['in', 'out'] },
        node: { type: 'string', description: 'An inner node id (of a node or a nested group).' },
        port: { type: 'string', description: 'A port id of that node (or that nested group\u2019s port id).' },
      },
    },
    edge: {
      type: 'object',
      required: ['id', 'source', 'target'],
      properties: {
        id: { type: 'string', minLength: 1, description: 'Unique among edges.' },
        source: { $ref: '#/$defs/portRef', description: 'An output port.' },
        target: { $ref: '#/$defs/portRef', description: 'An input port of the same type.' },
        params: {
          $ref: '#/$defs/projectionParams',
          description: 'Projection params on a wire into a projection input (filled with defaults when missing); other wires carry {}.',
        },
        weights: { $ref: '#/$defs/storedWeights', description: 'Projection wires only: the projection\u2019s stored synapses and weights.' },
      },
    },
    storedWeights: {
      description:
        'Stored synapses and weights, used instead of drawing them from rule and weight: synapse k joins source neuron pre[k] to target neuron post[k] ' +
        'with weight w[k] (the receptor sets the sign); or a side file, relative to the document, holding them. Indices must be below the sizes ' +
        '(checked by the loader).',
      anyOf: [
        {
          type: 'object',
          required: ['pre', 'post', 'w'],
          properties: {
            pre: { type: 'array', items: { type: 'integer', minimum: 0 } },
            post: { type: 'array', items: { type: 'integer', minimum: 0 } },
            w: { type: 'array', items: { type: 'number', minimum: 0 } },
          },
        },
        { type: 'object', required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
      ],
    },
    projectionParams: paramsJsonSchema(PROJECTION_PARAMS),
  };
  for (const k of KINDS) {
    defs[`params-${k.id}`] = { description: `Params of ${k.label}.`, ...paramsJsonSchema(k.params) };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Spikeflow graph document',
    description: `A Spikeflow graph (*.spikeflow.json), format version ${CURRENT_VERSION}. Generated from the node-kind registry by scripts/gen-schema.ts; unknown fields are allowed everywhere and kept by Spikeflow.`,
    type: 'object',
    required: ['format', 'version', 'simulation', 'nodes', 'edges'],
    properties: {
      format: { const: FORMAT_ID },
      version: { type: 'integer', minimum: 1, maximum: CURRENT_VERSION, description: 'Older versions are upgraded on load; version 2 adds groups.' },
      meta: { $ref: '#/$defs/meta' },
      simulation: { $ref: '#/$defs/simulation' },
      nodes: { type: 'array', items: { $ref: '#/$defs/node' } },
      edges: { type: 'array', items: { $ref: '#/$defs/edge' } },
      view: { type: 'object', description: 'Editor state (viewport and the like). Filled with {} when missing.' },
      sweep: { $ref: '#/$defs/sweep' },
    },
    $defs: defs,
  };
}

/** The exact text of the committed schema file. */
export function schemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
