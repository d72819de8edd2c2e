import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../npy.js';
import { smoothRgbImage } from '../testing/random.js';
import { runCli } from './main.js';
import { encodePng } from './read-image.js';

const folder = mkdtempSync(join(tmpdir(), 'fdl-dct-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, out, err };
}

/** Reads dtype and shape from a .npy header independently of decodeNpy. */
function npyHeader(path: string) {
  const bytes = readFileSync(path);
  const length = bytes.readUInt16LE(8);
  const text = bytes.subarray(10, 10 + length).toString('latin1');
  const shape = /'shape': \(([^)]*)\)/
    .exec(text)?.[1]
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
  return { descr: /'descr': '([^']+)'/.exec(text)?.[1], shape, dataBytes: bytes.length - 10 - length };
}

describe('fdl-dct cube', () => {
  const image = smoothRgbImage(100, 60, 3);
  const png = join(folder, 'in.png');
  writeFileSync(png, encodePng(image));

  it('writes a float32 [H/8, W/8, C] cube for the plain geometry', async () => {
    const out = join(folder, 'plain.npy');
    const result = await run('cube', png, '--geometry', 'plain', '--select', '24T', '--out', out);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(
      /^wrote .*plain\.npy: float32 \[8, 13, 24\] from 100x60 \(24T, geometry plain/,
    );
    expect(npyHeader(out)).toEqual({ descr: '<f4', shape: [8, 13, 24], dataBytes: 8 * 13 * 24 * 4 });
  });
  it('applies the ResNet geometry (56x56) to a uint8 .npy input', async () => {
    const input = join(folder, 'in.npy');
    writeFileSync(input, encodeNpy({ data: image.data as Uint8Array, shape: [60, 100, 3] }));
    const out = join(folder, 'resnet.npy');
    const result = await run('cube', input, '--out', out);
    expect(result.code).toBe(0);
    expect(npyHeader(out).shape).toEqual([56, 56, 24]);
  });
  it('fails with one line and a non-zero code', async () => {
    const missing = await run('cube', join(folder, 'missing.png'), '--out', join(folder, 'x.npy'));
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([`fdl-dct: cannot read '${join(folder, 'missing.png')}': ENOENT`]);
    const text = join(folder, 'text.png');
    writeFileSync(text, 'hello');
    const bad = await run('cube', text, '--out', join(folder, 'x.npy'));
    expect(bad.err).toEqual([`fdl-dct: '${text}' is not a JPEG, PNG or .npy file`]);
    const wrongShape = join(folder, 'wrong.npy');
    writeFileSync(wrongShape, encodeNpy({ data: new Float32Array(6), shape: [2, 3] }));
    expect((await run('cube', wrongShape, '--out', join(folder, 'x.npy'))).err).toEqual([
      `fdl-dct: '${wrongShape}' must be a uint8 .npy of shape [H, W, 3], got float32 [2, 3]`,
    ]);
    const option = await run('cube', png, '--select', '25', '--out', join(folder, 'x.npy'));
    expect(option.code).toBe(1);
    expect(option.err.join('\n')).toContain("argument '25' is invalid");
  });
});

describe('fdl-dct info and demo', () => {
  it('info prints size, shape and energy grids', async () => {
    const png = join(folder, 'info.png');
    writeFileSync(png, encodePng(smoothRgbImage(32, 16, 1)));
    const result = await run('info', png, '--select', '6');
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(`image: ${png} 32x16 RGB`);
    expect(result.out[1]).toBe('cube: geometry plain, [2, 4, 6] (DCT-6)');
    expect(result.out.some((line) => line.startsWith('Cr:'))).toBe(true);
  });
  it('demo writes the 56x56x24 cube of the generated scene', async () => {
    const out = join(folder, 'demo.npy');
    const result = await run('demo', '--out', out);
    expect(result.code).toBe(0);
    expect(npyHeader(out).shape).toEqual([56, 56, 24]);
    expect(result.out.length).toBe(2 + 1 + 24);
  });
});
