#!/usr/bin/env node
// `npm run security`: Electronegativity (Doyensec) over electron/, for the Electron version
// in package.json. Every finding must be fixed or explained in electron/electronegativity-allow.json;
// any other fails. Works offline (the tool's update checks then just time out).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const electron = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version ?? pkg.devDependencies.electron.replace(/^\D+/, '');
const allow = JSON.parse(readFileSync(path.join(root, 'electron/electronegativity-allow.json'), 'utf8')).allowed;

/**
 * The findings of the tool's SARIF report. Not its CSV: the tool writes the CSV's header and its rows
 * with two concurrent asynchronous writes, so the header sometimes lands over the first row's first
 * 74 bytes (the check then saw a garbled finding and failed CI) or, written last, could truncate the
 * rows away; the SARIF report is one write.
 */
export function parseSarif(text) {
  return JSON.parse(text).runs.flatMap((run) =>
    (run.results ?? []).map((r) => {
      const at = r.locations?.[0]?.physicalLocation;
      return { check: r.ruleId, level: r.level, file: at?.artifactLocation?.uri ?? 'N/A', location: `${at?.region?.startLine}:${at?.region?.startColumn}`, description: r.message?.text ?? '' };
    }),
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
try {
  const out = path.join(dir, 'findings.sarif');
  execFileSync(path.join(root, 'node_modules/.bin/electronegativity'), ['-i', path.join(root, 'electron'), '-e', electron, '-r', '-v', 'false', '-o', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const findings = parseSarif(readFileSync(out, 'utf8')).filter((f) => !/\.test\.ts$|fake-electron\.ts$/.test(f.file));
  const open = findings.filter((f) => !allow.some((a) => a.check === f.check && path.basename(f.file) === a.file));
  for (const f of findings) console.log(`${open.includes(f) ? 'FINDING' : 'allowed'}  ${f.check} (${f.level}) ${f.file}:${f.location} ${f.description}`);
  console.log(`electronegativity (Electron ${electron}): ${findings.length} findings, ${findings.length - open.length} explained in electron/electronegativity-allow.json, ${open.length} open`);
  if (open.length > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
