/**
 * How the core talks to the threads a host starts for it. The core never
 * spawns threads (it has no host globals); a host passes a {@link SpawnThread}
 * that starts one thread running {@link serveShardThread} (./worker.ts).
 */
import type { ShardInit } from './shard.ts';

/** Coordinator → thread. */
export type ThreadRequest = { readonly type: 'init'; readonly init: ShardInit };

/** Thread → coordinator. */
export type ThreadReport =
  | { readonly type: 'ready' }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string; readonly nodeId?: string; readonly field?: string; readonly code?: 'build-failed' | 'too-big' };

/** One started thread. */
export interface ThreadHandle {
  post(message: ThreadRequest): void;
  listen(handler: (message: ThreadReport) => void): void;
  /** End the thread now (also when it is blocked at a barrier). */
  terminate(): void;
}

/** Start one simulation thread. */
export type SpawnThread = () => ThreadHandle;

/** What a host offers for parallel runs. */
export interface ThreadSupport {
  readonly spawn: SpawnThread;
  /** Logical cores of this machine (the default thread count for large networks). */
  readonly cores: number;
}
