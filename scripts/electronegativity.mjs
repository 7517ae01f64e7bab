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

/** The rows of the tool's CSV (quoted fields may hold commas and line breaks: a CSP finding's description does). */
export function parseCsv(text) {
  const lines = [];
  let cells = [];
  let cur = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cur.trim());
      cur = '';
    } else if (ch === '\n' && !quoted) {
      cells.push(cur.trim());
      lines.push(cells);
      cells = [];
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  lines.push(cells);
  return lines
    .slice(1)
    .filter((c) => c.some((x) => x !== ''))
    .map((c) => ({ check: c[0], severity: c[1], confidence: c[2], file: c[3], location: c[4], description: c[6] }));
}

const dir = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
try {
  const out = path.join(dir, 'findings.csv');
  execFileSync(path.join(root, 'node_modules/.bin/electronegativity'), ['-i', path.join(root, 'electron'), '-e', electron, '-r', '-v', 'false', '-o', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const findings = parseCsv(readFileSync(out, 'utf8')).filter((f) => !/\.test\.ts$|fake-electron\.ts$/.test(f.file));
  const open = findings.filter((f) => !allow.some((a) => a.check === f.check && path.basename(f.file) === a.file));
  for (const f of findings) console.log(`${open.includes(f) ? 'FINDING' : 'allowed'}  ${f.check} (${f.severity}, ${f.confidence}) ${f.file}:${f.location} ${f.description}`);
  console.log(`electronegativity (Electron ${electron}): ${findings.length} findings, ${findings.length - open.length} explained in electron/electronegativity-allow.json, ${open.length} open`);
  if (open.length > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
