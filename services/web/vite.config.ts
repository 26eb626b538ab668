// The web page's build: hashed assets under /assets (served with a year-long cache), no inline script.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // No inline script or data: module preload shim: the CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/admin': 'http://127.0.0.1:3000' } },
});
