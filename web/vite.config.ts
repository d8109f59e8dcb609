import { defineConfig } from 'vite';

// The page the box serves: built into dist/web, every asset local (no CDN, no web fonts).
export default defineConfig({
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
