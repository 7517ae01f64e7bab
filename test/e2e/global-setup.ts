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
  // The app as it ships (React's production build): vitest sets NODE_ENV=test, which Vite would
  // bake into the bundle (and the JSX transform follow), giving React's development build — its
  // checks and a performance.measure per component render made one edit 60 ms of CPU, not 15.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir: 'dist-e2e', emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir: 'dist-e2e' }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
