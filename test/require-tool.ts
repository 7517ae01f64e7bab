/**
 * Tests that need an outside tool (Chromium, Brian2, h5py) call this. Under CI=true a
 * missing tool is a failure; elsewhere the tests are skipped with a loud note.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const CHROMIUM = process.env.SPIKEFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const PYTHON = process.env.SPIKEFLOW_PYTHON ?? '/usr/bin/python3';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function hasBrian2(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import brian2'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether Debian's python3 imports every module named (e.g. `h5py`, `numpy` for the NIR reference). */
export function hasPythonModules(...modules: string[]): boolean {
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Returns whether to run; throws under CI when the tool is missing. */
export function requireTool(name: string, present: boolean, install: string): boolean {
  if (present) return true;
  const msg = `${name} is missing: these tests cannot run. Install it with: ${install}`;
  if (process.env.CI) throw new Error(`${msg} (CI=true: a missing tool is a failure)`);
  process.stderr.write(`\n!!! ${msg}. SKIPPING them (outside CI only).\n\n`);
  return false;
}
