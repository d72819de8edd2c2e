import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/jpeg/index.ts', 'src/cli/main.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts', 'src/jpeg/index.ts'] },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
