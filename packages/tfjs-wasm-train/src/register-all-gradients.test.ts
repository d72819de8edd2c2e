import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('registerAllGradients', () => {
  it('makes tf.grad work in a plain Node ESM process, where tfjs-core registers no gradients', () => {
    // Inside the package, so the script resolves tfjs from this package's node_modules.
    const cache = new URL('../node_modules/.cache/', import.meta.url).pathname;
    mkdirSync(cache, { recursive: true });
    const folder = mkdtempSync(join(cache, 'fdl-gradients-'));
    const script = join(folder, 'grad.mts');
    const source = new URL('./index.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      [
        "import * as tf from '@tensorflow/tfjs-core';",
        "import '@tensorflow/tfjs-backend-cpu';",
        `import { registerAllGradients } from ${JSON.stringify(source)};`,
        "const before = tf.getGradient('Conv2D') !== undefined;",
        'const first = await registerAllGradients();',
        'const second = await registerAllGradients();',
        "await tf.setBackend('cpu');",
        'const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2, 3]));',
        'console.log(JSON.stringify({ before, first, second, gradient: Array.from(g.dataSync()) }));',
      ].join('\n'),
    );
    const output = execFileSync(process.execPath, ['--conditions=@fdl/source', '--import', 'tsx', script], {
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
    });
    rmSync(folder, { recursive: true, force: true });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({
      before: false,
      first: true,
      second: false,
      gradient: [2, 4, 6],
    });
  });
});
