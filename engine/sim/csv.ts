/**
 * A pure parser for spike lists in CSV, for the spike generator's "Import CSV…".
 *
 * One spike per row: `neuron,t_ms` (channel index, then time in ms). A header
 * row (a first row with no numeric field) is optional; when present it names
 * the columns, in any order, and other columns are ignored. Accepted names:
 * neuron | index | i | channel | id | sender(s) for the channel; t_ms | time_ms
 * | t | time | spike_time_ms for a time in ms, or t_s | time_s for seconds. Blank rows and rows that
 * start with `#` are skipped; fields may be padded with spaces.
 */

export type SpikeCsvParse =
  | { readonly ok: true; readonly neurons: number[]; readonly times_ms: number[]; /** Max channel + 1: the channel count the spikes need. */ readonly size: number }
  | { readonly ok: false; readonly error: string; readonly line: number; readonly field?: string };

/** The most spikes one import may hold (they are stored in the document). */
export const MAX_CSV_SPIKES = 1_000_000;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NEURON_NAMES = ['neuron', 'neurons', 'index', 'i', 'channel', 'id', 'sender', 'senders'];
const TIME_MS_NAMES = ['t_ms', 'time_ms', 't', 'time', 'times', 'times_ms', 'spike_time_ms', 'spike_time'];
const TIME_S_NAMES = ['t_s', 'time_s', 'times_s'];

function show(s: string): string {
  return s.length > 24 ? `"${s.slice(0, 21)}…"` : `"${s}"`;
}

function fail(error: string, line: number, field?: string): SpikeCsvParse {
  return field === undefined ? { ok: false, error, line } : { ok: false, error, line, field };
}

/** Parse `neuron,t_ms` rows. Errors name the 1-based line and the column. */
export function parseSpikeCsv(text: string): SpikeCsvParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  let neuronCol = 0;
  let timeCol = 1;
  let timeScale = 1;
  let names = ['neuron', 't_ms'];
  let width = 2;
  let seenRow = false;
  const neurons: number[] = [];
  const times: number[] = [];
  let size = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = li + 1;
    const raw = lines[li].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(',').map((f) => f.trim());
    if (!seenRow) {
      seenRow = true;
      // A header has no numeric field; a data row with one bad field is reported as data.
      if (!fields.some((f) => NUMBER.test(f))) {
        const lower = fields.map((f) => f.toLowerCase().replace(/^"|"$/g, ''));
        neuronCol = lower.findIndex((f) => NEURON_NAMES.includes(f));
        timeCol = lower.findIndex((f) => TIME_MS_NAMES.includes(f));
        timeScale = 1;
        if (timeCol < 0) {
          timeCol = lower.findIndex((f) => TIME_S_NAMES.includes(f));
          timeScale = 1000;
        }
        if (neuronCol < 0 || timeCol < 0) {
          return fail(`line ${line}: the header must name a neuron column (e.g. "neuron") and a time column (e.g. "t_ms"); got ${fields.map(show).join(', ')}`, line);
        }
        names = fields;
        width = fields.length;
        continue;
      }
    }
    if (fields.length !== width) {
      const expect = width === 2 ? 'two fields, neuron,t_ms' : `${width} fields, as the header`;
      return fail(`line ${line}: expected ${expect}, separated by commas (found ${fields.length})`, line);
    }
    const n = fields[neuronCol];
    const t = fields[timeCol];
    const nName = names[neuronCol];
    const tName = names[timeCol];
    if (n === '') return fail(`line ${line}, field ${nName}: is empty`, line, nName);
    if (!NUMBER.test(n) || !Number.isInteger(Number(n)) || Number(n) < 0) {
      return fail(`line ${line}, field ${nName}: ${show(n)} is not a neuron index (a whole number ≥ 0)`, line, nName);
    }
    if (t === '') return fail(`line ${line}, field ${tName}: is empty`, line, tName);
    const tv = NUMBER.test(t) ? Number(t) * timeScale : NaN;
    if (!Number.isFinite(tv)) return fail(`line ${line}, field ${tName}: ${show(t)} is not a time`, line, tName);
    if (tv < 0) return fail(`line ${line}, field ${tName}: a spike time must be ≥ 0 (got ${t})`, line, tName);
    const nv = Number(n);
    neurons.push(nv);
    times.push(tv);
    if (nv + 1 > size) size = nv + 1;
    if (neurons.length > MAX_CSV_SPIKES) return fail(`line ${line}: more than ${MAX_CSV_SPIKES} spikes; import a shorter list`, line);
  }
  if (neurons.length === 0) return fail('the file holds no spikes (expected rows neuron,t_ms)', Math.max(1, lines.length));
  return { ok: true, neurons, times_ms: times, size };
}
