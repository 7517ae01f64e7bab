/**
 * The one way Spikeflow writes a file (Node only): the CLI (documents, weights
 * side files, every `--out` file) and the desktop shell (documents, side files,
 * run history, exports, the recent list) all go through {@link writeFileAtomic}.
 *
 * A reader, or a crash at any moment (power loss, SIGKILL, out of memory), sees
 * the old content or the new one, whole, never a mix: the content goes to a
 * temporary file in the same folder (same file system, so the rename is atomic),
 * is fsynced, renamed over the target, and the folder is fsynced so the rename
 * itself is durable. On failure the temporary file is removed and the target is
 * untouched. A writer killed mid-write leaves its hidden temporary file, which the
 * next write of the same target removes ({@link removeStaleTemps}). Content may be streamed (an iterable of chunks), so a large output
 * never has to exist as one string.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The subset of `fs/promises` that {@link writeFileAtomic} uses; injectable for fault tests. */
export interface AtomicFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
  stat: typeof fsp.stat;
}

const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat };

/** One piece of a file's content: text (written as UTF-8) or bytes. */
export type Chunk = string | Uint8Array;

/** A whole file's content: one chunk, or chunks produced one after another (sync or async). */
export type FileContent = Chunk | Iterable<Chunk> | AsyncIterable<Chunk>;

/** Chunks are gathered up to this many bytes before one write call (fewer syscalls for small rows). */
const WRITE_BATCH_BYTES = 1 << 20;

/** The temporary-file name for `target`: hidden, beside it, unique per process and call, naming the writer's pid. */
export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A temporary file untouched this long is stale even if a process with its pid lives (pids are reused). */
export const STALE_TEMP_MS = 60_000;

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporary files of earlier writes of `target` whose writer died (a
 * SIGKILL or power loss leaves them): those whose pid no longer runs, or untouched
 * for {@link STALE_TEMP_MS}. Temporary files of other targets, and a live writer's
 * fresh one, are left alone. Best effort: a failure here never fails the write.
 */
export async function removeStaleTemps(target: string, now = Date.now()): Promise<string[]> {
  const dir = path.dirname(target);
  const base = path.basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${base}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const st = await fsp.lstat(file);
      if (!st.isFile()) continue;
      if (pidAlive(Number(m[1])) && now - st.mtimeMs < STALE_TEMP_MS) continue;
      await fsp.unlink(file);
      removed.push(file);
    } catch {
      // Gone already (another writer cleaned it) or not ours to remove.
    }
  }
  return removed;
}

function isChunk(c: FileContent): c is Chunk {
  return typeof c === 'string' || c instanceof Uint8Array;
}

/**
 * Replace `filePath` with `content` atomically (see the module comment). A file
 * that is replaced keeps its permissions; a new one gets the usual default.
 */
export async function writeFileAtomic(filePath: string, content: FileContent, fs: AtomicFs = realFs): Promise<void> {
  const target = path.resolve(filePath);
  const dir = path.dirname(target);
  const tmp = tempNameFor(target);
  const mode = await fs.stat(target).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  await removeStaleTemps(target);
  let renamed = false;
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await writeChunks(handle, isChunk(content) ? [content] : content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
  await syncDirectory(dir);
}

async function writeChunks(handle: fsp.FileHandle, chunks: Iterable<Chunk> | AsyncIterable<Chunk>): Promise<void> {
  let batch: Buffer[] = [];
  let batched = 0;
  const flush = async () => {
    if (batched === 0) return;
    const buf = batch.length === 1 ? batch[0] : Buffer.concat(batch, batched);
    batch = [];
    batched = 0;
    let off = 0;
    while (off < buf.length) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
  };
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length >= WRITE_BATCH_BYTES) {
      await flush();
      batch.push(buf);
      batched = buf.length;
      await flush();
      continue;
    }
    batch.push(buf);
    batched += buf.length;
    if (batched >= WRITE_BATCH_BYTES) await flush();
  }
  await flush();
}

/** Best effort: directories cannot be opened for fsync on Windows, and some file systems refuse. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // The data is already renamed into place; a failed directory fsync only weakens durability.
  } finally {
    await handle?.close();
  }
}
