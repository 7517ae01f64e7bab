// Node 20 worker_threads cannot load a .ts entry: register tsx, then import it.
import { register } from 'tsx/esm/api';
register();
await import('./sim-thread-node-entry.ts');
