/**
 * Builds the web app once (as `npm run build` does for Electron) and serves the
 * build on a loopback port for the browser tests.
 */
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';
import { ROOT } from '../helpers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await build({ root: ROOT, logLevel: 'warn', build: { outDir: 'dist-e2e', emptyOutDir: true } });
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir: 'dist-e2e' }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
