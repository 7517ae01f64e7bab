/**
 * The benchmark's command line and its model list (pure: no I/O).
 *
 *   npm run bench -- [--models cuba,coba] [--durations 1,10] [--repeats 3]
 *                    [--no-peers] [--devices cpp_standalone,numpy] [--quick]
 *                    [--no-stream] [--no-memory] [--no-scale] [--scale-only]
 *                    [--timeout-s 1800] [--threads 1] [--no-parallel] [--out DIR]
 */

/** The benchmark networks; ids are the Brian2 peer's `--model` names. */
export const BENCH_MODELS = [
  { id: 'cuba', label: 'CUBA', file: 'examples/cuba.spikeflow.json', staticSynapses: true },
  { id: 'coba', label: 'COBA', file: 'examples/coba.spikeflow.json', staticSynapses: true },
  { id: 'brunel', label: 'Brunel base', file: 'examples/brunel.spikeflow.json', staticSynapses: true },
  { id: 'brunel-x4', label: 'Brunel x4', file: 'examples/brunel-x4.spikeflow.json', staticSynapses: true },
  { id: 'stdp', label: 'STDP', file: 'examples/stdp.spikeflow.json', staticSynapses: false },
] as const;

export type BenchModelId = (typeof BENCH_MODELS)[number]['id'];
export type BenchModel = (typeof BENCH_MODELS)[number];

/** Brian2 devices the peer runs on, in the order they run after ours. */
export const PEER_DEVICES = ['cpp_standalone', 'numpy'] as const;
export type PeerDevice = (typeof PEER_DEVICES)[number];

/**
 * Brian2 run time per simulated second on this machine (MODELS.md §7, medians),
 * used only to skip runs that would take too long.
 */
export const PEER_RUN_S_PER_SIM_S: Readonly<Record<PeerDevice, Readonly<Record<BenchModelId, number>>>> = {
  numpy: { cuba: 2.9, coba: 3.6, brunel: 23.4, 'brunel-x4': 91.5, stdp: 2.2 },
  cpp_standalone: { cuba: 0.21, coba: 0.29, brunel: 6.75, 'brunel-x4': 27.2, stdp: 0.33 },
};

/** numpy runs predicted above this are skipped (MODELS.md §7 skipped the same ones). */
export const NUMPY_SKIP_ABOVE_S = 180;

export interface BenchOptions {
  readonly models: readonly BenchModelId[];
  readonly durationsS: readonly number[];
  /** Runs per case; run k uses seed k. */
  readonly repeats: number;
  readonly peers: boolean;
  readonly devices: readonly PeerDevice[];
  readonly quick: boolean;
  /** Monitors-on vs monitors-off runs (streaming cost). */
  readonly stream: boolean;
  /**
   * Rounds of streaming-cost runs per seed, each two monitors-off and two monitors-on runs
   * (the case's own run counts as one of the first round's). The cost is the best on over the
   * best off: at 1 s a run takes 20–60 ms and this VM's noise only adds time, so the best of
   * more runs is the steadier figure.
   */
  readonly streamRounds: number;
  /** Bytes-per-synapse probes. */
  readonly memory: boolean;
  /** The 1 M neuron / 100 M synapse case. */
  readonly scale: boolean;
  /** Only the scale case. */
  readonly scaleOnly: boolean;
  /** Kill any single child process after this long. */
  readonly timeoutS: number;
  /** Simulation threads of our CLI (`--threads`); 1 = the single-thread engine. */
  readonly threads: number;
  /** The multi-core comparison: Brunel base and x4 on 1 thread vs every core (bench/parallel.ts). */
  readonly parallel: boolean;
  /** Results folder, relative to the repository root unless absolute. */
  readonly outDir: string;
  /** Print the report of a saved results file (`--report FILE`) instead of running anything. */
  readonly report?: string;
  readonly help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench -- [options]

  --models LIST      comma-separated, of: ${BENCH_MODELS.map((m) => m.id).join(', ')} (default: all)
  --durations LIST   simulated seconds, comma-separated (default: 1,10; --quick: 1)
  --repeats N        runs per case, seeds 1..N (default: 3; --quick: 1)
  --no-peers         do not run Brian2
  --devices LIST     Brian2 devices, of: ${PEER_DEVICES.join(', ')} (default: both)
  --quick            shorthand for --durations 1 --repeats 1 --no-scale (explicit flags win)
  --no-stream        skip the streaming-cost runs (monitors on vs off)
  --stream-rounds N  streaming-cost rounds per seed, 2 runs on and 2 off each (default: 2)
  --no-memory        skip the bytes-per-synapse probes
  --no-scale         skip the 1 M neuron / 100 M synapse case
  --scale-only       run only the scale case
  --timeout-s N      kill any single run after N seconds (default: 1800)
  --threads N        simulation threads of our CLI (default: 1, the single-thread engine)
  --no-parallel      skip the multi-core comparison (Brunel on 1 thread vs every core)
  --out DIR          results folder (default: bench/results)
  --report FILE      print the table and targets of a saved results file again (no runs)
  --help             this text`;

export class BenchUsageError extends Error {}

function list(flag: string, v: string | undefined): string[] {
  if (v === undefined || v.trim() === '') throw new BenchUsageError(`${flag} needs a comma-separated list`);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function positive(flag: string, v: string | undefined, integer: boolean): number {
  const x = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
    throw new BenchUsageError(`${flag} needs a positive ${integer ? 'whole ' : ''}number (got ${v === undefined ? 'nothing' : JSON.stringify(v)})`);
  }
  return x;
}

/** Parse the bench's arguments; throws `BenchUsageError` with a sentence naming the flag. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let models: BenchModelId[] | undefined;
  let durationsS: number[] | undefined;
  let repeats: number | undefined;
  let devices: PeerDevice[] | undefined;
  let peers = true;
  let quick = false;
  let stream = true;
  let streamRounds = 2;
  let memory = true;
  let scale: boolean | undefined;
  let scaleOnly = false;
  let timeoutS = 1800;
  let threads = 1;
  let parallel: boolean | undefined;
  let outDir = 'bench/results';
  let report: string | undefined;
  let help = false;

  // Accept both `--flag value` and `--flag=value`.
  const args: string[] = [];
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) args.push(a.slice(0, eq), a.slice(eq + 1));
    else args.push(a);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case '--models': {
        const ids = list(a, args[++i]);
        const known = new Set<string>(BENCH_MODELS.map((m) => m.id));
        const bad = ids.filter((id) => !known.has(id));
        if (bad.length > 0) throw new BenchUsageError(`--models: unknown model ${bad.map((b) => JSON.stringify(b)).join(', ')} (known: ${[...known].join(', ')})`);
        models = [...new Set(ids)] as BenchModelId[];
        break;
      }
      case '--durations':
        durationsS = [...new Set(list(a, args[++i]).map((d) => positive(a, d, false)))];
        break;
      case '--repeats':
        repeats = positive(a, args[++i], true);
        break;
      case '--devices': {
        const ds = list(a, args[++i]);
        const bad = ds.filter((d) => !(PEER_DEVICES as readonly string[]).includes(d));
        if (bad.length > 0) throw new BenchUsageError(`--devices: unknown device ${bad.map((b) => JSON.stringify(b)).join(', ')} (known: ${PEER_DEVICES.join(', ')})`);
        devices = [...new Set(ds)] as PeerDevice[];
        break;
      }
      case '--no-peers':
        peers = false;
        break;
      case '--quick':
        quick = true;
        break;
      case '--no-stream':
        stream = false;
        break;
      case '--stream-rounds':
        streamRounds = positive(a, args[++i], true);
        break;
      case '--no-memory':
        memory = false;
        break;
      case '--no-parallel':
        parallel = false;
        break;
      case '--no-scale':
        scale = false;
        break;
      case '--scale-only':
        scaleOnly = true;
        break;
      case '--timeout-s':
        timeoutS = positive(a, args[++i], false);
        break;
      case '--threads':
        threads = positive(a, args[++i], true);
        break;
      case '--out': {
        const v = args[++i];
        if (!v) throw new BenchUsageError('--out needs a folder');
        outDir = v;
        break;
      }
      case '--report': {
        const f = args[++i];
        if (!f) throw new BenchUsageError('--report needs a results file');
        report = f;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new BenchUsageError(`unknown option ${JSON.stringify(a)}`);
    }
  }
  if (scaleOnly && scale === false) throw new BenchUsageError('--scale-only and --no-scale contradict each other');
  return {
    models: models ?? BENCH_MODELS.map((m) => m.id),
    durationsS: durationsS ?? (quick ? [1] : [1, 10]),
    repeats: repeats ?? (quick ? 1 : 3),
    peers,
    devices: devices ?? [...PEER_DEVICES],
    quick,
    stream,
    streamRounds,
    memory,
    scale: scaleOnly || (scale ?? !quick),
    scaleOnly,
    timeoutS,
    threads,
    // Not with --scale-only, nor --quick unless asked for; only models it covers (Brunel base, x4).
    parallel: !scaleOnly && (parallel ?? !quick),
    outDir,
    ...(report ? { report } : {}),
    help,
  };
}

/** Why a peer run is skipped, or null to run it. */
export function peerSkipReason(model: BenchModelId, device: PeerDevice, durationS: number): string | null {
  if (device !== 'numpy') return null;
  const predicted = PEER_RUN_S_PER_SIM_S.numpy[model] * durationS;
  return predicted > NUMPY_SKIP_ABOVE_S ? `skipped (predicted > ${NUMPY_SKIP_ABOVE_S} s)` : null;
}

export function modelById(id: BenchModelId): BenchModel {
  return BENCH_MODELS.find((m) => m.id === id)!;
}
