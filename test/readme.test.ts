import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { KINDS } from '../engine/kinds/index.ts';
import { ROOT } from './helpers.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('lists every node kind in the catalogue, one line each', () => {
    const catalogue = readme.slice(readme.indexOf('## Node catalogue'));
    for (const k of KINDS) expect(catalogue).toMatch(new RegExp(`^\\| \`${k.id}\` \\| .+ \\|$`, 'm'));
  });

  it('shows a screenshot that exists, and the two set-up commands', () => {
    const shot = /!\[[^\]]*\]\(([^)]+)\)/.exec(readme)?.[1];
    expect(shot && existsSync(path.join(ROOT, shot))).toBe(true);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('names only example files that exist', () => {
    for (const m of readme.matchAll(/examples\/([\w.-]+\.json)/g)) expect(existsSync(path.join(ROOT, 'examples', m[1]))).toBe(true);
  });
});
