/**
 * Vite: the renderer (index.html → dist/) and its engine Web Worker.
 * `base: './'` makes dist/index.html work from file:// inside Electron.
 * Tests are configured in vitest.config.ts.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation, so the engine's Web Worker may share memory with its
 * simulation threads (engine/sim/parallel); the page loads nothing cross-origin.
 */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // A desktop app loads from disk: one bundle of ~0.5 MB is fine, no need to split.
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, strictPort: false, headers: ISOLATION },
  preview: { headers: ISOLATION },
});
