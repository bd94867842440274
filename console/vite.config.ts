// The operations console is built by Vite (`vite build console`) into console/dist, which the API serves
// at /console/. Preact's JSX is compiled by Vite's own transform (no Babel, no plugin).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The console talks to the API on the same origin; nothing is fetched from elsewhere.
    modulePreload: { polyfill: false },
  },
  logLevel: 'warn',
});
