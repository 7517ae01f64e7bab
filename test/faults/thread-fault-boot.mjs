// Node 20 worker_threads cannot load a .ts entry: register tsx, then import it (fault tests only).
import { register } from 'tsx/esm/api';
register();
await import('./thread-fault-entry.ts');
