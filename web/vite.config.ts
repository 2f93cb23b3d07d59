import path from 'node:path';
import { defineConfig } from 'vite';

/** The map app, the reports page and the bench page; `vite build web` writes them to web/dist, which the API serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: path.join(import.meta.dirname, 'index.html'),
        bench: path.join(import.meta.dirname, 'bench.html'),
        reports: path.join(import.meta.dirname, 'reports.html'),
      },
      // deck.gl, luma.gl and Arrow in one cacheable chunk that both pages share
      output: { manualChunks: (id: string) => (id.includes('node_modules') ? 'vendor' : undefined) },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
