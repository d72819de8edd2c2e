import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JpegError, readJpegCoefficients } from '@fdl/dct-core/jpeg';
import { listFilesRecursive, sharedDataPath } from '@fdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from './test-image.js';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

const tools = jpegToolsAvailable();
/** Per-input time bound: generous because other test suites share the two cores. */
const TIME_BOUND_MS = 2000;

type Outcome = 'result' | 'partial' | JpegError['code'];

/** Runs the reader and classifies the outcome; anything but a result or a JpegError fails the test. */
function outcome(bytes: Uint8Array, allowPartial: boolean): Outcome {
  const started = performance.now();
  try {
    const result = readJpegCoefficients(bytes, { allowPartial });
    for (const component of result.components) {
      expect(component.blocks.length).toBe(component.widthInBlocks * component.heightInBlocks * 64);
    }
    return result.partial ? 'partial' : 'result';
  } catch (error) {
    if (!(error instanceof JpegError)) throw new Error(`non-JpegError thrown: ${String(error)}`);
    // `cause` is only set when an internal exception was wrapped: that would be a reader bug.
    expect(error.details.cause).toBeUndefined();
    return error.code;
  } finally {
    expect(performance.now() - started).toBeLessThan(TIME_BOUND_MS);
  }
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const kind = Math.floor(random() * 4);
  if (kind === 0) return bytes.slice(0, Math.floor(random() * bytes.length));
  const copy = bytes.slice();
  // Headers are where parsing decisions are made: aim half of the edits at the first 700 bytes.
  const position = () => Math.floor(random() * (random() < 0.5 ? Math.min(700, copy.length) : copy.length));
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits; i++) {
    const at = position();
    if (kind === 1) copy[at] = Math.floor(random() * 256);
    else if (kind === 2) copy[at] ^= 1 << Math.floor(random() * 8);
    else copy[at] = [0x00, 0xff, 0xd9, 0xda, 0xc4, 0xd0][Math.floor(random() * 6)];
  }
  return copy;
}

describe.skipIf(!tools)(
  `readJpegCoefficients under seeded mutations (${tools ? 'variants generated' : JPEG_TOOLS_MISSING})`,
  () => {
    const folder = mkdtempSync(join(tmpdir(), 'fdl-jpeg-fuzz-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const seeds = tools
      ? generateJpegVariants(folder)
          .filter((variant) => !variant.unsupported && statSync(variant.path).size < 20_000)
          .map((variant) => variant.path)
      : [];
    const shared = sharedDataPath('hymenoptera');
    if (shared !== null) {
      // The three smallest real photos (a few kB each) add real-world marker layouts.
      const real = listFilesRecursive(shared)
        .filter((path) => path.endsWith('.jpg'))
        .sort((a, b) => statSync(a).size - statSync(b).size)
        .slice(0, 3);
      seeds.push(...real);
    }

    it('ends every truncated or mutated input in a result or a JpegError, within the time bound', () => {
      const random = seededRandom(20260226);
      const counts = new Map<Outcome, number>();
      const cases = 1200;
      for (let i = 0; i < cases; i++) {
        const bytes = new Uint8Array(readFileSync(seeds[i % seeds.length]));
        const mutated = mutate(bytes, random);
        for (const allowPartial of [false, true]) {
          const result = outcome(mutated, allowPartial);
          counts.set(result, (counts.get(result) ?? 0) + 1);
        }
      }
      // The mutations must actually reach the corrupt-data paths and the successful paths.
      expect(counts.get('E_JPEG_CORRUPT') ?? 0).toBeGreaterThan(100);
      expect(counts.get('result') ?? 0).toBeGreaterThan(100);
      expect(counts.get('partial') ?? 0).toBeGreaterThan(10);
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(2 * cases);
    });

    it('ends every truncation of one progressive file in a result or a JpegError', () => {
      const path = seeds.find((candidate) => candidate.includes('422-progressive-17x9'))!;
      const bytes = new Uint8Array(readFileSync(path));
      for (let length = 0; length < bytes.length; length++) {
        outcome(bytes.subarray(0, length), false);
        outcome(bytes.subarray(0, length), true);
      }
    });
  },
);
