import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../test/helpers.ts';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  build: { asar: boolean; electronFuses: Record<string, boolean> };
};

describe('packaging (electron-builder config in package.json)', () => {
  it('flips the Electron fuses: no running as Node, no NODE_OPTIONS, no --inspect; app only from an integrity-checked asar; cookies encrypted', () => {
    expect(pkg.build.asar).toBe(true);
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('asks for the Node that the Electron it ships needs (Electron 45: Node 22.12 or newer)', () => {
    expect(pkg.devDependencies.electron).toMatch(/^\^45\./);
    expect(pkg.engines.node).toBe('>=22.12');
  });
});
