import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker entry is bundled next to index.js: the pool loads it as `new URL('./sample-worker.js', import.meta.url)`.
  entry: { index: 'src/index.ts', 'sample-worker': 'src/loader/sample-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['sharp'],
});
