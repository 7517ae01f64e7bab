import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { findElectron } from './start-electron.mjs';

describe('npm start without Electron', () => {
  it('says the download failed and offers the browser build when the electron package cannot load', () => {
    const r = findElectron(
      () => {
        throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
      },
      () => true,
    );
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^Spikeflow: Electron is not installed correctly: the electron package could not be loaded \(Electron failed to install correctly/);
    expect(r.message).toMatch(/download failed/);
    expect(r.message).toMatch(/npm run web/);
  });

  it('says so when the binary the package names is missing, and answers the path when it is there', () => {
    expect(
      findElectron(
        () => '/nowhere/electron',
        () => false,
      ),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/its binary is not at \/nowhere\/electron/) });
    expect(
      findElectron(
        () => '/opt/electron',
        () => true,
      ),
    ).toEqual({ ok: true, path: '/opt/electron' });
  });
});
