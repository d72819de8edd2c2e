/**
 * Bundles the browser page: `app.ts` (with @fdl/dct-core's TypeScript sources, through the `@fdl/source`
 * export condition, so no package build is needed) into `app.js`, next to a copy of the HTML and CSS.
 *
 *   node --import tsx docs/browser/build.ts [outputDirectory = docs/dist/browser]
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

export const DEFAULT_BROWSER_OUTPUT = join(here, '..', 'dist', 'browser');

/** Writes index.html, style.css and app.js (+ source map) into `outputDirectory`; returns the bundle size. */
export async function buildBrowserPage(outputDirectory = DEFAULT_BROWSER_OUTPUT): Promise<number> {
  mkdirSync(outputDirectory, { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'app.ts')],
    outfile: join(outputDirectory, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@fdl/source'],
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) copyFileSync(join(here, file), join(outputDirectory, file));
  return result.metafile.outputs[
    Object.keys(result.metafile.outputs).find((name) => name.endsWith('app.js'))!
  ].bytes;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const output = process.argv[2] ?? DEFAULT_BROWSER_OUTPUT;
  const size = await buildBrowserPage(output);
  console.log(`browser page written to ${output} (app.js ${size.toLocaleString('en-US')} bytes)`);
}
