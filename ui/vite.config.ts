import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

// The registry serves this build (src/server/ui-assets.ts): hashed names under /ui-assets/, a path
// no API or REST route uses, so the assets can be cached for a year.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'ui-assets',
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
