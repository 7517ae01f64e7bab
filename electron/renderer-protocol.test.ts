import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAssetHandler, resolveAsset } from './renderer-protocol.ts';

let root: string;
let dist: string;

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'spikeflow-protocol-'));
  dist = path.join(root, 'dist');
  await fsp.mkdir(path.join(dist, 'assets'), { recursive: true });
  await fsp.writeFile(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index.js"></script>');
  await fsp.writeFile(path.join(dist, 'assets', 'index.js'), 'console.log(1)');
  await fsp.writeFile(path.join(root, 'secret.txt'), 'secret');
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe('resolveAsset', () => {
  it('maps app URLs to files under the root, / to index.html', () => {
    expect(resolveAsset(dist, 'app://spikeflow/')).toBe(path.join(dist, 'index.html'));
    expect(resolveAsset(dist, 'app://spikeflow/assets/index.js?v=1#x')).toBe(path.join(dist, 'assets', 'index.js'));
    expect(resolveAsset(dist, 'app://spikeflow/assets/a%20b.css')).toBe(path.join(dist, 'assets', 'a b.css'));
  });

  it('refuses URLs that escape the root or are not ours', () => {
    for (const url of [
      'app://spikeflow/../secret.txt',
      'app://spikeflow/%2e%2e/secret.txt',
      'app://spikeflow/assets/..%2f..%2fsecret.txt',
      'app://spikeflow/..%5csecret.txt',
      'app://spikeflow/%00',
      'app://spikeflow/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const file = resolveAsset(dist, url);
      expect(file === null || file.startsWith(dist + path.sep), url).toBe(true);
      expect(file, url).not.toBe(path.join(root, 'secret.txt'));
    }
  });
});

describe('createAssetHandler', () => {
  const csp = "default-src 'none'; script-src 'self'";

  it('serves the page with the CSP header and the right content type', async () => {
    const handle = createAssetHandler(dist, csp);
    const res = await handle(new Request('app://spikeflow/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<script type="module"');
  });

  it('serves module scripts as JavaScript (module loading requires it)', async () => {
    const res = await createAssetHandler(dist, csp)(new Request('app://spikeflow/assets/index.js'));
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers 404, still with the CSP, for missing files and escapes', async () => {
    const handle = createAssetHandler(dist, csp);
    for (const url of ['app://spikeflow/missing.js', 'app://spikeflow/%2e%2e/secret.txt']) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(csp);
    }
  });
});
