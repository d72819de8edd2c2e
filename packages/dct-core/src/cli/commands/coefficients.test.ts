import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBase64, TWO_BLOCKS } from '../../jpeg/test-fixtures.js';
import { decodeNpy } from '../../npy.js';
import { runCli } from '../main.js';

const folder = mkdtempSync(join(tmpdir(), 'fdl-dct-coefficients-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, out, err };
}

describe('fdl-dct coefficients', () => {
  const jpeg = join(folder, 'two-blocks.jpg');
  writeFileSync(jpeg, decodeBase64(TWO_BLOCKS));

  it('writes int16 [H/8, W/8, 64] quantized coefficients per component and meta.json', async () => {
    const out = join(folder, 'out');
    const result = await run('coefficients', jpeg, '--out', out);
    expect(result).toEqual({
      code: 0,
      out: [`wrote 1 components to ${out}: 16x8 grayscale baseline, int16 [1, 2, 64]`],
      err: [],
    });
    const component = decodeNpy(new Uint8Array(readFileSync(join(out, 'component-0.npy'))));
    expect(component.dtype).toBe('int16');
    expect(component.shape).toEqual([1, 2, 64]);
    expect([component.data[0], component.data[1], component.data[64]]).toEqual([576, 0, -624]);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({
      width: 16,
      height: 8,
      colorSpace: 'grayscale',
      progressive: false,
      partial: false,
    });
    expect(meta.components[0]).toMatchObject({
      file: 'component-0.npy',
      widthInBlocks: 2,
      heightInBlocks: 1,
    });
    expect(meta.components[0].quantization).toEqual(new Array(64).fill(1));
  });

  it('fails with one line naming the file and the problem, and a non-zero code', async () => {
    const gif = join(folder, 'not.jpg');
    writeFileSync(gif, 'GIF89a-not-a-jpeg');
    expect(await run('coefficients', gif, '--out', join(folder, 'x'))).toEqual({
      code: 1,
      out: [],
      err: [`fdl-dct: '${gif}': readJpegCoefficients: not a JPEG: the data is a GIF (starts with "GIF")`],
    });
    const truncated = join(folder, 'truncated.jpg');
    const bytes = decodeBase64(TWO_BLOCKS);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 8));
    const broken = await run('coefficients', truncated, '--out', join(folder, 'y'));
    expect(broken.code).toBe(1);
    expect(broken.err).toHaveLength(1);
    expect(broken.err[0]).toMatch(
      /^fdl-dct: '.*truncated\.jpg': readJpegCoefficients: corrupt JPEG: .* at byte \d+$/,
    );
    const partial = await run('coefficients', truncated, '--out', join(folder, 'z'), '--allow-partial');
    expect(partial.code).toBe(0);
    expect(partial.out[0]).toContain('(partial)');
    const missing = await run('coefficients', join(folder, 'missing.jpg'), '--out', join(folder, 'w'));
    expect(missing.err).toEqual([`fdl-dct: cannot read '${join(folder, 'missing.jpg')}': ENOENT`]);
  });
});
