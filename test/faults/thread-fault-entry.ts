/**
 * A simulation thread with an injected fault (fault tests only): the real
 * thread entry, with the shard's phase A sabotaged at step 200 by
 * SPIKEFLOW_TEST_FAULT: "exit" (the thread exits at once, as a killed one
 * would), "throw" (a step throws), "silent" (the thread drops its own exit
 * listener, which would mark the run dead, then exits: a death without a word,
 * as an out-of-memory kill; only the host's exit listener or the liveness
 * timeout can notice).
 */
import { Shard } from '../../engine/sim/parallel/shard.ts';
// Importing the entry serves the thread (it waits for its init message, which comes after this module ran).
import '../../engine/hosts/sim-thread-node-entry.ts';

const fault = process.env.SPIKEFLOW_TEST_FAULT;
const phaseA = Shard.prototype.phaseA;
Shard.prototype.phaseA = function (this: Shard, n: number) {
  if (n === 200 && fault === 'exit') process.exit(7);
  if (n === 200 && fault === 'silent') {
    process.removeAllListeners('exit');
    process.exit(9);
  }
  if (n === 200 && fault === 'throw') throw new Error('injected fault in phase A');
  return phaseA.call(this, n);
};
