/**
 * The benchmark examples exported to PyNN and run on pyNN.brian2 and
 * pyNN.neuron through `spikeflow run --backend … --json` fall inside the
 * MODELS.md §6 bands at T = 1 s: CUBA and COBA against the per-run acceptance
 * bands of the rate (CUBA 5.0–6.6 Hz, COBA 17–21.5 Hz) and the 1 s CV(ISI)
 * (0.523 and 1.53) with the acceptance tolerances (±0.04, ±0.15); Brunel base
 * against 37.1 Hz ± 3 % and the 1 s CV(ISI) 0.443 ± 0.03.
 *
 * These are random networks: PyNN draws its own connectivity and initial
 * values (from the script's seed), so they are statistical checks, not spike
 * for spike. Brunel's external drive is drawn by the simulator too.
 *
 * Brian2 runs on its numpy target (`SPIKEFLOW_BRIAN2_CODEGEN=numpy`): no
 * Cython compilation on CI's cold cache. Brunel base on pyNN.neuron (3.9 M
 * NetCons, ~200 M events per simulated second: 370 s of CPU) is a file of its
 * own (test/pynn-bands-brunel-neuron.test.ts), so the two run side by side.
 *
 * PyNN or NEURON missing: under CI=true this fails; elsewhere it is skipped loudly.
 */
import { bandSuite } from './pynn-bands.ts';

// Every case but Brunel base on pyNN.neuron (test/pynn-bands-brunel-neuron.test.ts).
bandSuite(['brian2', 'neuron'], (band, backend) => !(band.model === 'Brunel base' && backend === 'neuron'));
