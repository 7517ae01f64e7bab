/**
 * Training checkpoints for `spikeflow run`: `--checkpoint FILE` writes the
 * state to resume from (engine/learn/trainer.ts `TrainingCheckpoint`: epoch,
 * weights, optimiser state, early-stopping record) after every epoch, atomically,
 * so a stop or a crash leaves the last finished epoch's; `--resume FILE` starts
 * the training from one. The engine gets them through the trainer's params
 * (`emit_checkpoints`, `resume_from`), so the in-process and worker engines alike.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.ts';
import type { NetworkPlan } from '../core/plan.ts';
import type { TrainingCheckpoint } from '../learn/trainer.ts';

/** The checkpoint in `file`; throws a message naming the file when it cannot be read or is not one. */
export async function readCheckpoint(file: string): Promise<TrainingCheckpoint> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the checkpoint ${file}: ${(e as Error).message}`);
  }
  let cp: unknown;
  try {
    cp = JSON.parse(text);
  } catch (e) {
    throw new Error(`the checkpoint ${file} is not JSON: ${(e as Error).message}`);
  }
  if ((cp as { format?: unknown } | null)?.format !== 'spikeflow-training-checkpoint') throw new Error(`${file} is not a Spikeflow training checkpoint`);
  return cp as TrainingCheckpoint;
}

/** The plan with its trainer asked to send checkpoints and/or to start from `resume`. */
export function withCheckpoints(plan: NetworkPlan, write: boolean, resume: TrainingCheckpoint | undefined): NetworkPlan {
  if (!plan.trainers?.length || (!write && !resume)) return plan;
  return {
    ...plan,
    trainers: plan.trainers.map((t) => ({ ...t, params: { ...t.params, ...(write ? { emit_checkpoints: true } : {}), ...(resume ? { resume_from: resume } : {}) } })),
  };
}

/** Write checkpoints to `file` one after another (a newer one waits for the write before it). */
export function checkpointWriter(file: string, onError: (message: string) => void): { write(cp: TrainingCheckpoint): void; flush(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  return {
    write(cp) {
      chain = chain.then(() => writeFileAtomic(file, JSON.stringify(cp)).catch((e: Error) => onError(`cannot write the checkpoint ${file}: ${e.message}`)));
    },
    flush: () => chain,
  };
}
