/**
 * Format migrations: named versions, one up-migration per version step.
 *
 * A migration reads the parsed JSON of version `from` and returns version
 * `from + 1`. It runs before validation, on plain JSON, so it must cope with
 * malformed input (leave what it does not understand alone; validation reports
 * it afterwards) and must keep every field it does not rewrite.
 *
 * Version 1 is the first released format. No "v0" is invented: no file of
 * another shape was ever written by Spikeflow.
 */
import { CURRENT_VERSION } from './document.ts';
import type { DocIssue } from './document.ts';

export type JsonObject = Record<string, unknown>;

export interface Migration {
  /** Stable, descriptive name (e.g. `v2-weights-file-reference`); its test is keyed by it. */
  readonly name: string;
  /** The version this migration reads; it produces `from + 1`. */
  readonly from: number;
  /** Rewrite one document; may mutate and return its argument. Must not set `version`. */
  readonly up: (doc: JsonObject) => JsonObject;
}

/** The oldest format version this build reads. */
export const OLDEST_VERSION = 1;

/** Every migration, oldest first. Add one when CURRENT_VERSION goes up (see README.md). */
export const MIGRATIONS: readonly Migration[] = [
  {
    // Version 2 adds group nodes (kind "group": nodes, edges and ports inside; groups.ts).
    // A version 1 graph has none, and every one of its fields means the same in version 2,
    // so only the version changes. A version 1 node whose kind was already "group" was an
    // unknown kind there; it stays as it is, and validation judges it as a group now.
    name: 'v2-groups',
    from: 1,
    up: (doc) => doc,
  },
];

export interface MigrationSet {
  readonly migrations: readonly Migration[];
  readonly oldestVersion: number;
  readonly currentVersion: number;
}

const SHIPPED: MigrationSet = { migrations: MIGRATIONS, oldestVersion: OLDEST_VERSION, currentVersion: CURRENT_VERSION };

/**
 * Problems with a migration list: each version from `oldestVersion` up to
 * `currentVersion - 1` needs exactly one migration, and names must be unique.
 */
export function migrationChainProblems(set: MigrationSet = SHIPPED): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  for (const m of set.migrations) {
    if (names.has(m.name)) out.push(`Migration name "${m.name}" is used twice.`);
    names.add(m.name);
    if (!Number.isInteger(m.from) || m.from < set.oldestVersion || m.from >= set.currentVersion) {
      out.push(`Migration "${m.name}" reads version ${m.from}, outside ${set.oldestVersion}…${set.currentVersion - 1}.`);
    }
  }
  for (let v = set.oldestVersion; v < set.currentVersion; v++) {
    const n = set.migrations.filter((m) => m.from === v).length;
    if (n !== 1) out.push(`Version ${v} needs exactly one migration to version ${v + 1} (found ${n}).`);
  }
  return out;
}

export type MigrateResult = { readonly ok: true; readonly doc: JsonObject; readonly applied: readonly string[] } | { readonly ok: false; readonly issue: DocIssue };

/**
 * Bring a parsed document (whose `format` was already checked) up to the
 * current version. Refuses versions that are not whole numbers, older than
 * this build reads, or newer than it knows.
 */
export function migrate(doc: JsonObject, set: MigrationSet = SHIPPED): MigrateResult {
  const version = doc.version;
  if (version === undefined) {
    return { ok: false, issue: { pointer: '/version', field: 'version', message: 'The document has no "version" field, so it cannot be read safely.' } };
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return {
      ok: false,
      issue: { pointer: '/version', field: 'version', message: `The document's "version" must be a whole number (got ${JSON.stringify(version)}).` },
    };
  }
  if (version > set.currentVersion) {
    return {
      ok: false,
      issue: {
        pointer: '/version',
        field: 'version',
        message: `This graph was made by a newer Spikeflow (format version ${version}); this Spikeflow reads format versions up to ${set.currentVersion}. ` + 'Update Spikeflow to open it.',
      },
    };
  }
  if (version < set.oldestVersion) {
    return {
      ok: false,
      issue: { pointer: '/version', field: 'version', message: `Format version ${version} is older than this Spikeflow can read (oldest: ${set.oldestVersion}).` },
    };
  }
  let cur = doc;
  const applied: string[] = [];
  for (let v = version; v < set.currentVersion; v++) {
    const m = set.migrations.find((x) => x.from === v);
    if (!m) {
      return { ok: false, issue: { pointer: '/version', field: 'version', message: `No migration from format version ${v} to ${v + 1} exists.` } };
    }
    try {
      cur = m.up(cur);
    } catch (e) {
      return {
        ok: false,
        issue: {
          pointer: '',
          message: `Upgrading the graph from format version ${v} to ${v + 1} (migration "${m.name}") failed: ${e instanceof Error ? e.message : String(e)}.`,
        },
      };
    }
    cur.version = v + 1;
    applied.push(m.name);
  }
  return { ok: true, doc: cur, applied };
}
