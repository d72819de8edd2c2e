import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryPath } from './shared-data.js';

/** One component as libjpeg's `jpeg_read_coefficients` returns it. */
export interface ReferenceComponent {
  id: number;
  horizontalSampling: number;
  verticalSampling: number;
  widthInBlocks: number;
  heightInBlocks: number;
  /** Quantization table, natural order. */
  quantization: Uint16Array;
  /** [heightInBlocks, widthInBlocks, 64] quantized coefficients, natural order. */
  blocks: Int16Array;
}

export interface ReferenceCoefficients {
  width: number;
  height: number;
  /** libjpeg's J_COLOR_SPACE enum: 1 grayscale, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK. */
  colorSpace: number;
  progressive: boolean;
  /** Adobe APP14 transform flag, or null without that marker. */
  adobeTransform: number | null;
  components: ReferenceComponent[];
}

export interface ReferencePixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

const source = repositoryPath('tools/libjpeg-reference/libjpeg-reference.c');
const binary = repositoryPath('node_modules/.cache/fdl/libjpeg-reference');

/**
 * Compiles the libjpeg oracle once (cc + system libjpeg) and returns its path, or null when no compiler
 * or libjpeg headers are available (tests then skip with that reason).
 */
export function libjpegReferenceBinary(): string | null {
  try {
    if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
      mkdirSync(join(binary, '..'), { recursive: true });
      const temporary = `${binary}.${process.pid}`;
      execFileSync('cc', ['-O2', '-o', temporary, source, '-ljpeg'], { stdio: 'pipe' });
      execFileSync('mv', ['-f', temporary, binary]);
    }
    return binary;
  } catch {
    return null;
  }
}

export const LIBJPEG_MISSING =
  'cc or libjpeg headers missing (apt-get install libjpeg62-turbo-dev): libjpeg oracle tests skipped';

function run(args: string[]): void {
  const path = libjpegReferenceBinary();
  if (path === null) throw new Error(LIBJPEG_MISSING);
  execFileSync(path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function withTemporary<T>(work: (folder: string) => T): T {
  const folder = mkdtempSync(join(tmpdir(), 'fdl-libjpeg-'));
  try {
    return work(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Parses the .fdlc dump written by the C tool. */
export function parseFdlc(bytes: Uint8Array): ReferenceCoefficients {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'FDLC') throw new Error('not an FDLC dump');
  let offset = 4;
  const u32 = () => {
    const value = view.getUint32(offset, true);
    offset += 4;
    return value;
  };
  const count = u32();
  const width = u32();
  const height = u32();
  const colorSpace = u32();
  const progressive = u32() !== 0;
  const adobe = u32();
  const components: ReferenceComponent[] = [];
  for (let c = 0; c < count; c++) {
    const id = u32();
    const horizontalSampling = u32();
    const verticalSampling = u32();
    const widthInBlocks = u32();
    const heightInBlocks = u32();
    const quantization = new Uint16Array(64);
    for (let k = 0; k < 64; k++) quantization[k] = view.getUint16(offset + 2 * k, true);
    offset += 128;
    const length = widthInBlocks * heightInBlocks * 64;
    const blocks = new Int16Array(length);
    for (let k = 0; k < length; k++) blocks[k] = view.getInt16(offset + 2 * k, true);
    offset += 2 * length;
    components.push({
      id,
      horizontalSampling,
      verticalSampling,
      widthInBlocks,
      heightInBlocks,
      quantization,
      blocks,
    });
  }
  return {
    width,
    height,
    colorSpace,
    progressive,
    adobeTransform: adobe === 0xffffffff ? null : adobe,
    components,
  };
}

/** libjpeg's `jpeg_read_coefficients` on a JPEG file or buffer. */
export function libjpegReadCoefficients(input: string | Uint8Array): ReferenceCoefficients {
  return withTemporary((folder) => {
    let path = input as string;
    if (typeof input !== 'string') {
      path = join(folder, 'in.jpg');
      writeFileSync(path, input);
    }
    run(['read', path, join(folder, 'out.fdlc')]);
    return parseFdlc(readFileSync(join(folder, 'out.fdlc')));
  });
}

export interface ReferenceEncodeOptions {
  quality?: number;
  sampling?: '444' | '420' | '422' | '440';
  dctMethod?: 'islow' | 'ifast' | 'float';
}

/** Encodes interleaved RGB with libjpeg (defaults: quality 100, 4:2:0, islow) and reads the coefficients back. */
export function libjpegEncodeCoefficients(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: ReferenceEncodeOptions = {},
): ReferenceCoefficients {
  return withTemporary((folder) => {
    writeFileSync(join(folder, 'in.rgb'), rgb);
    run([
      'encode',
      String(width),
      String(height),
      join(folder, 'in.rgb'),
      join(folder, 'out.fdlc'),
      String(options.quality ?? 100),
      options.sampling ?? '420',
      options.dctMethod ?? 'islow',
    ]);
    return parseFdlc(readFileSync(join(folder, 'out.fdlc')));
  });
}

/** libjpeg's default pixel decode (islow IDCT, fancy upsampling) of a JPEG file or buffer. */
export function libjpegDecode(input: string | Uint8Array): ReferencePixels {
  return withTemporary((folder) => {
    let path = input as string;
    if (typeof input !== 'string') {
      path = join(folder, 'in.jpg');
      writeFileSync(path, input);
    }
    run(['decode', path, join(folder, 'out.raw')]);
    const bytes = readFileSync(join(folder, 'out.raw'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
      width: view.getUint32(0, true),
      height: view.getUint32(4, true),
      channels: view.getUint32(8, true),
      data: new Uint8Array(bytes.subarray(12)),
    };
  });
}
