/**
 * Brunel base exported to PyNN on pyNN.neuron against the MODELS.md §6 band
 * (37.1 Hz ± 3 %, CV(ISI) 0.443 ± 0.03 over 1 s). Not in `npm test`:
 * pyNN.neuron makes its 3.9 M synapses one NetCon at a time and delivers about
 * 200 M events per simulated second (recurrent and external drive). The other
 * band cases run in CI (test/pynn-bands.test.ts).
 *
 * PyNN or NEURON missing: under CI=true this fails; elsewhere it is skipped loudly.
 */
import { bandSuite } from '../pynn-bands.ts';

bandSuite(['neuron'], (band) => band.model === 'Brunel base');
