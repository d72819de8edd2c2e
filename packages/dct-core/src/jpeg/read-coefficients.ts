import { ArgumentError } from '../errors.js';
import { EntropyDecoder } from './entropy-decoder.js';
import { corrupt, JpegError, unsupported } from './errors.js';
import { readExifOrientation } from './exif-orientation.js';
import type { HuffmanTable } from './huffman-table.js';
import { buildHuffmanTable } from './huffman-table.js';
import { ZIGZAG_TO_NATURAL } from './natural-order.js';
import { standardHuffmanTable } from './standard-huffman-tables.js';
import type {
  JpegCoefficients,
  JpegColorSpace,
  JpegComponentCoefficients,
  JpegFrameType,
  JpegReadOptions,
} from './types.js';
import { DEFAULT_JPEG_READ_OPTIONS } from './types.js';

const NAME = 'readJpegCoefficients';

/** A frame component while decoding: blocks are stored with MCU padding. */
interface FrameComponent {
  id: number;
  horizontalSampling: number;
  verticalSampling: number;
  quantizationTableIndex: number;
  width: number;
  height: number;
  widthInBlocks: number;
  heightInBlocks: number;
  /** Blocks per padded row (MCUs per line * horizontal sampling). */
  paddedWidthInBlocks: number;
  paddedHeightInBlocks: number;
  blocks: Int16Array;
  quantization: Uint16Array | null;
}

interface Frame {
  type: JpegFrameType;
  width: number;
  height: number;
  maxHorizontalSampling: number;
  maxVerticalSampling: number;
  mcusPerLine: number;
  mcusPerColumn: number;
  components: FrameComponent[];
}

enum ScanKind {
  Sequential = 0,
  DcFirst = 1,
  DcRefine = 2,
  AcFirst = 3,
  AcRefine = 4,
}

const SOF_NAMES: Record<number, string> = {
  195: 'lossless (SOF3)',
  197: 'hierarchical sequential (SOF5)',
  198: 'hierarchical progressive (SOF6)',
  199: 'hierarchical lossless (SOF7)',
  200: 'reserved JPG extension (SOF8)',
  201: 'arithmetic coding (SOF9)',
  202: 'arithmetic coding, progressive (SOF10)',
  203: 'arithmetic coding, lossless (SOF11)',
  205: 'arithmetic coding, hierarchical (SOF13)',
  206: 'arithmetic coding, hierarchical progressive (SOF14)',
  207: 'arithmetic coding, hierarchical lossless (SOF15)',
  222: 'hierarchical mode (DHP marker)',
  223: 'hierarchical mode (EXP marker)',
};

function describeMagic(data: Uint8Array): string {
  if (data.length === 0) return 'the input is empty';
  if (data[0] === 0x47 && data[1] === 0x49 && data[2] === 0x46)
    return 'the data is a GIF (starts with "GIF")';
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e) return 'the data is a PNG';
  const head = Array.from(data.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return `the data starts with ${head}, not the SOI marker ff d8`;
}

/**
 * Reads the quantized DCT coefficients of a baseline, extended-sequential or progressive Huffman JPEG
 * without decoding pixels, identical to libjpeg's `jpeg_read_coefficients`.
 *
 * @param bytes the JPEG file.
 * @param options limits and partial-decode mode (defaults: `DEFAULT_JPEG_READ_OPTIONS`).
 * @returns per component `[heightInBlocks, widthInBlocks, 64]` int16 blocks in natural order, plus the
 *   quantization tables (natural order), sampling factors, sizes and colour space.
 * @throws JpegError `E_JPEG_NOT_JPEG`, `E_JPEG_UNSUPPORTED`, `E_JPEG_CORRUPT` (with `details.offset`) or
 *   `E_JPEG_LIMIT`; ArgumentError for a non-Uint8Array input.
 */
export function readJpegCoefficients(
  bytes: Uint8Array,
  options: Partial<JpegReadOptions> = {},
): JpegCoefficients {
  if (!(bytes instanceof Uint8Array)) {
    throw new ArgumentError(
      NAME,
      'bytes',
      `must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  const settings: JpegReadOptions = { ...DEFAULT_JPEG_READ_OPTIONS, ...options };
  for (const name of ['maxPixels', 'maxDimension', 'maxCoefficientBytes', 'maxScans'] as const) {
    const value = settings[name];
    if (typeof value !== 'number' || !(value > 0)) {
      throw new ArgumentError(NAME, `options.${name}`, `must be a positive number, got ${String(value)}`);
    }
  }
  try {
    return new JpegReader(bytes, settings).read();
  } catch (error) {
    if (error instanceof JpegError) throw error;
    // Defensive: no input may surface anything but the library's own error.
    throw new JpegError('E_JPEG_CORRUPT', `${NAME}: corrupt JPEG: ${(error as Error).message}`, {
      function: NAME,
      cause: String(error),
    });
  }
}

/**
 * Reads only the headers of a JPEG, up to its first scan: sizes, sampling factors, quantization tables,
 * colour space and frame type, without decoding or allocating coefficients (`blocks` are empty). Use it
 * to decide cheaply whether a file's stored geometry suits a model before `readJpegCoefficients`.
 * Throws like `readJpegCoefficients` for anything wrong in the headers.
 */
export function readJpegInfo(bytes: Uint8Array, options: Partial<JpegReadOptions> = {}): JpegCoefficients {
  if (!(bytes instanceof Uint8Array)) {
    throw new ArgumentError(
      'readJpegInfo',
      'bytes',
      `must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  const settings: JpegReadOptions = { ...DEFAULT_JPEG_READ_OPTIONS, ...options };
  try {
    return new JpegReader(bytes, settings, true).read();
  } catch (error) {
    if (error instanceof JpegError) throw error;
    throw new JpegError('E_JPEG_CORRUPT', `readJpegInfo: corrupt JPEG: ${(error as Error).message}`, {
      function: 'readJpegInfo',
      cause: String(error),
    });
  }
}

class JpegReader {
  private readonly data: Uint8Array;
  private readonly options: JpegReadOptions;
  private readonly quantizationTables: (Uint16Array | null)[] = [null, null, null, null];
  private readonly dcTables: (HuffmanTable | null)[] = [null, null, null, null];
  private readonly acTables: (HuffmanTable | null)[] = [null, null, null, null];
  private restartInterval = 0;
  private frame: Frame | null = null;
  private jfif = false;
  private adobeTransform: number | null = null;
  private exifOrientation: number | null = null;
  private scanCount = 0;
  private partial = false;
  private readonly problems: string[] = [];

  constructor(
    data: Uint8Array,
    options: JpegReadOptions,
    private readonly headerOnly = false,
  ) {
    this.data = data;
    this.options = options;
    this.name = headerOnly ? 'readJpegInfo' : NAME;
  }

  /** The public function reading, named in error messages. */
  private readonly name: string;

  read(): JpegCoefficients {
    const data = this.data;
    if (data.length < 2 || data[0] !== 0xff || data[1] !== 0xd8) {
      throw new JpegError('E_JPEG_NOT_JPEG', `${this.name}: not a JPEG: ${describeMagic(data)}`, {
        function: this.name,
        offset: 0,
      });
    }
    let position = 2;
    for (;;) {
      // Find the next marker, skipping stray bytes and 0xFF fill bytes as libjpeg does.
      while (position < data.length && data[position] !== 0xff) position++;
      while (position + 1 < data.length && data[position + 1] === 0xff) position++;
      if (position + 1 >= data.length) {
        if (this.frame !== null && this.scanCount > 0) {
          this.problems.push('missing EOI marker');
          break;
        }
        throw corrupt(this.name, 'unexpected end of data before any image scan', data.length);
      }
      const marker = data[position + 1];
      const markerOffset = position;
      position += 2;
      if (marker === 0) continue;
      if (marker === 0xd9) break;
      if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
      if (marker === 0xd8) throw corrupt(this.name, 'second SOI marker', markerOffset);
      if (SOF_NAMES[marker] !== undefined) throw unsupported(this.name, SOF_NAMES[marker], markerOffset);
      if (position + 2 > data.length) throw corrupt(this.name, 'truncated marker segment', markerOffset);
      const length = (data[position] << 8) | data[position + 1];
      if (length < 2) throw corrupt(this.name, `marker segment length ${length} below 2`, position);
      const end = position + length;
      if (end > data.length) {
        throw corrupt(
          this.name,
          `marker 0xff${marker.toString(16)} segment runs past the end of data`,
          markerOffset,
        );
      }
      const body = position + 2;
      switch (marker) {
        case 0xc0:
        case 0xc1:
        case 0xc2:
          this.readFrame(marker, body, end);
          position = end;
          break;
        case 0xc4:
          this.readHuffmanTables(body, end);
          position = end;
          break;
        case 0xcc:
          throw unsupported(this.name, 'arithmetic coding conditioning (DAC marker)', markerOffset);
        case 0xdb:
          this.readQuantizationTables(body, end);
          position = end;
          break;
        case 0xdd:
          if (length !== 4) throw corrupt(this.name, `DRI length ${length}, expected 4`, markerOffset);
          this.restartInterval = (data[body] << 8) | data[body + 1];
          position = end;
          break;
        case 0xda:
          position = this.readScan(body, end);
          if (position < 0) return this.result();
          break;
        case 0xdc:
        case 0xfe:
          position = end;
          break;
        default:
          if (marker >= 0xe0 && marker <= 0xef) {
            this.readApplication(marker, body, end);
            position = end;
          } else {
            throw corrupt(this.name, `unknown marker 0xff${marker.toString(16)}`, markerOffset);
          }
      }
    }
    return this.result();
  }

  private readApplication(marker: number, body: number, end: number): void {
    const data = this.data;
    const length = end - body;
    if (marker === 0xe0 && length >= 14 && matches(data, body, 'JFIF\0')) this.jfif = true;
    else if (marker === 0xee && length >= 12 && matches(data, body, 'Adobe'))
      this.adobeTransform = data[body + 11];
    else if (marker === 0xe1 && this.exifOrientation === null) {
      this.exifOrientation = readExifOrientation(data, body, end);
    }
  }

  private readQuantizationTables(position: number, end: number): void {
    const data = this.data;
    while (position < end) {
      const precision = data[position] >> 4;
      const index = data[position] & 15;
      if (index > 3) throw corrupt(this.name, `DQT table index ${index} above 3`, position);
      if (precision > 1) throw corrupt(this.name, `DQT precision ${precision} (expected 0 or 1)`, position);
      position++;
      const table = new Uint16Array(64).fill(1);
      // A short table keeps ones in the missing entries, as libjpeg does.
      const count = Math.min(64, (end - position) >> precision);
      for (let k = 0; k < count; k++) {
        table[ZIGZAG_TO_NATURAL[k]] =
          precision === 0 ? data[position + k] : (data[position + 2 * k] << 8) | data[position + 2 * k + 1];
      }
      position += count << precision;
      this.quantizationTables[index] = table;
    }
  }

  private readHuffmanTables(position: number, end: number): void {
    const data = this.data;
    while (position < end) {
      const start = position;
      const tableClass = data[position] >> 4;
      const index = data[position] & 15;
      if (tableClass > 1 || index > 3) {
        throw corrupt(this.name, `DHT class ${tableClass} / index ${index} out of range`, position);
      }
      if (position + 17 > end) throw corrupt(this.name, 'truncated DHT segment', position);
      const counts = data.slice(position + 1, position + 17);
      let total = 0;
      for (let i = 0; i < 16; i++) total += counts[i];
      position += 17;
      if (total > 256 || position + total > end) {
        throw corrupt(this.name, `DHT table with ${total} symbols does not fit its segment`, start);
      }
      const symbols = data.slice(position, position + total);
      position += total;
      const table = buildHuffmanTable(counts, symbols, start);
      if (tableClass === 0) this.dcTables[index] = table;
      else this.acTables[index] = table;
    }
  }

  private readFrame(marker: number, body: number, end: number): void {
    const data = this.data;
    if (this.frame !== null) throw corrupt(this.name, 'second SOF marker', body - 4);
    if (end - body < 6) throw corrupt(this.name, 'truncated SOF segment', body);
    const precision = data[body];
    const height = (data[body + 1] << 8) | data[body + 2];
    const width = (data[body + 3] << 8) | data[body + 4];
    const count = data[body + 5];
    if (precision !== 8) throw unsupported(this.name, `${precision}-bit sample precision (only 8-bit)`, body);
    if (height === 0)
      throw unsupported(this.name, 'height defined by a DNL marker (height 0 in SOF)', body + 1);
    if (width === 0) throw corrupt(this.name, 'image width 0 in SOF', body + 3);
    if (count === 0) throw corrupt(this.name, 'SOF with 0 components', body + 5);
    if (count > 4) throw unsupported(this.name, `${count} components (at most 4)`, body + 5);
    if (end - body !== 6 + 3 * count)
      throw corrupt(this.name, `SOF length does not match ${count} components`, body);
    const { maxDimension, maxPixels, maxCoefficientBytes } = this.options;
    if (width > maxDimension || height > maxDimension || width * height > maxPixels) {
      throw new JpegError(
        'E_JPEG_LIMIT',
        `${this.name}: image ${width}x${height} exceeds the limits (maxDimension ${maxDimension}, maxPixels ${maxPixels})`,
        { function: this.name, width, height, maxDimension, maxPixels },
      );
    }
    let maxH = 1;
    let maxV = 1;
    const raw: { id: number; h: number; v: number; tq: number }[] = [];
    for (let c = 0; c < count; c++) {
      const at = body + 6 + 3 * c;
      const h = data[at + 1] >> 4;
      const v = data[at + 1] & 15;
      const tq = data[at + 2];
      if (h < 1 || h > 4 || v < 1 || v > 4)
        throw corrupt(this.name, `sampling factors ${h}x${v} outside 1..4`, at + 1);
      if (tq > 3) throw corrupt(this.name, `quantization table selector ${tq} above 3`, at + 2);
      maxH = Math.max(maxH, h);
      maxV = Math.max(maxV, v);
      raw.push({ id: data[at], h, v, tq });
    }
    const mcusPerLine = Math.ceil(width / (8 * maxH));
    const mcusPerColumn = Math.ceil(height / (8 * maxV));
    let bytes = 0;
    for (const { h, v } of raw) bytes += mcusPerLine * h * mcusPerColumn * v * 128;
    if (bytes > maxCoefficientBytes) {
      throw new JpegError(
        'E_JPEG_LIMIT',
        `${this.name}: image ${width}x${height} needs ${bytes} bytes of coefficients, above maxCoefficientBytes ${maxCoefficientBytes}`,
        { function: this.name, width, height, bytes, maxCoefficientBytes },
      );
    }
    const components = raw.map(({ id, h, v, tq }): FrameComponent => {
      const componentWidth = Math.ceil((width * h) / maxH);
      const componentHeight = Math.ceil((height * v) / maxV);
      const paddedWidthInBlocks = mcusPerLine * h;
      const paddedHeightInBlocks = mcusPerColumn * v;
      return {
        id,
        horizontalSampling: h,
        verticalSampling: v,
        quantizationTableIndex: tq,
        width: componentWidth,
        height: componentHeight,
        widthInBlocks: Math.ceil(componentWidth / 8),
        heightInBlocks: Math.ceil(componentHeight / 8),
        paddedWidthInBlocks,
        paddedHeightInBlocks,
        // Allocated at the first scan, so header-only reads allocate nothing.
        blocks: new Int16Array(0),
        quantization: null,
      };
    });
    const type: JpegFrameType = marker === 0xc0 ? 'baseline' : marker === 0xc1 ? 'extended' : 'progressive';
    this.frame = {
      type,
      width,
      height,
      maxHorizontalSampling: maxH,
      maxVerticalSampling: maxV,
      mcusPerLine,
      mcusPerColumn,
      components,
    };
  }

  /** Parses an SOS header, decodes its entropy-coded segment and returns the position after it. */
  private readScan(body: number, end: number): number {
    const data = this.data;
    const frame = this.frame;
    if (frame === null) throw corrupt(this.name, 'SOS marker before any SOF', body - 4);
    this.scanCount++;
    if (this.scanCount === 1) {
      // Like libjpeg, slots 0 and 1 still empty when decoding starts get the standard tables (Motion JPEG).
      for (const index of [0, 1] as const) {
        this.dcTables[index] ??= standardHuffmanTable(0, index);
        this.acTables[index] ??= standardHuffmanTable(1, index);
      }
    }
    if (this.scanCount > this.options.maxScans) {
      throw new JpegError('E_JPEG_LIMIT', `${this.name}: more than maxScans ${this.options.maxScans} scans`, {
        function: this.name,
        maxScans: this.options.maxScans,
        offset: body - 4,
      });
    }
    const count = data[body];
    if (count < 1 || count > 4) throw corrupt(this.name, `SOS with ${count} components`, body);
    if (end - body !== 4 + 2 * count)
      throw corrupt(this.name, `SOS length does not match ${count} components`, body);
    const scanComponents: FrameComponent[] = [];
    const dcTables: (HuffmanTable | null)[] = [];
    const acTables: (HuffmanTable | null)[] = [];
    for (let i = 0; i < count; i++) {
      const at = body + 1 + 2 * i;
      const component = frame.components.find((candidate) => candidate.id === data[at]);
      if (component === undefined) throw corrupt(this.name, `SOS names unknown component id ${data[at]}`, at);
      if (scanComponents.includes(component))
        throw corrupt(this.name, `SOS names component ${data[at]} twice`, at);
      const dc = data[at + 1] >> 4;
      const ac = data[at + 1] & 15;
      if (dc > 3 || ac > 3) throw corrupt(this.name, `Huffman table selectors ${dc}/${ac} above 3`, at + 1);
      scanComponents.push(component);
      dcTables.push(this.dcTables[dc]);
      acTables.push(this.acTables[ac]);
    }
    const parameters = body + 1 + 2 * count;
    const start = data[parameters];
    const stop = data[parameters + 1];
    const high = data[parameters + 2] >> 4;
    const low = data[parameters + 2] & 15;

    let kind: ScanKind = ScanKind.Sequential;
    if (frame.type === 'progressive') {
      const bad =
        start === 0
          ? stop !== 0
          : stop < start || stop > 63 || count !== 1 || (high !== 0 && low !== high - 1);
      if (bad || low > 13 || (start === 0 && high !== 0 && low !== high - 1)) {
        throw corrupt(
          this.name,
          `invalid progressive scan parameters Ss=${start} Se=${stop} Ah=${high} Al=${low}`,
          parameters,
        );
      }
      kind =
        start === 0
          ? high === 0
            ? ScanKind.DcFirst
            : ScanKind.DcRefine
          : high === 0
            ? ScanKind.AcFirst
            : ScanKind.AcRefine;
    }
    if (count > 1) {
      let blocksPerMcu = 0;
      for (const component of scanComponents)
        blocksPerMcu += component.horizontalSampling * component.verticalSampling;
      if (blocksPerMcu > 10) throw corrupt(this.name, `${blocksPerMcu} blocks per MCU (at most 10)`, body);
    }
    for (let i = 0; i < count; i++) {
      const component = scanComponents[i];
      const needsDc = kind === ScanKind.Sequential || kind === ScanKind.DcFirst;
      const needsAc = kind === ScanKind.Sequential || kind === ScanKind.AcFirst || kind === ScanKind.AcRefine;
      if (needsDc) {
        const table = dcTables[i];
        if (table === null)
          throw corrupt(this.name, `DC Huffman table not defined for component ${component.id}`, body);
        if (table.maxSymbol > 15)
          throw corrupt(this.name, `DC Huffman table has symbol ${table.maxSymbol} above 15`, body);
      }
      if (needsAc && acTables[i] === null) {
        throw corrupt(this.name, `AC Huffman table not defined for component ${component.id}`, body);
      }
      if (component.quantization === null) {
        const table = this.quantizationTables[component.quantizationTableIndex];
        if (table === null) {
          throw corrupt(
            this.name,
            `quantization table ${component.quantizationTableIndex} not defined for component ${component.id}`,
            body,
          );
        }
        component.quantization = table.slice();
      }
    }
    if (this.headerOnly) return -1;
    for (const component of frame.components) {
      if (component.blocks.length === 0) {
        component.blocks = new Int16Array(
          component.paddedWidthInBlocks * component.paddedHeightInBlocks * 64,
        );
      }
    }
    return this.decodeScan(end, kind, scanComponents, dcTables, acTables, start, stop, low);
  }

  private decodeScan(
    position: number,
    kind: ScanKind,
    components: FrameComponent[],
    dcTables: (HuffmanTable | null)[],
    acTables: (HuffmanTable | null)[],
    start: number,
    stop: number,
    shift: number,
  ): number {
    const frame = this.frame!;
    const strict = !this.options.allowPartial;
    const decoder = new EntropyDecoder(this.data, position, strict);
    const predictions = new Int32Array(4);
    const single = components.length === 1;
    const mcusPerLine = single ? components[0].widthInBlocks : frame.mcusPerLine;
    const mcusPerColumn = single ? components[0].heightInBlocks : frame.mcusPerColumn;
    const interval = this.restartInterval;
    let restartsToGo = interval;
    let nextRestart = 0;
    let skipping = false;
    for (let mcuY = 0; mcuY < mcusPerColumn; mcuY++) {
      for (let mcuX = 0; mcuX < mcusPerLine; mcuX++) {
        if (interval !== 0) {
          if (restartsToGo === 0) {
            decoder.restart(nextRestart);
            nextRestart = (nextRestart + 1) & 7;
            restartsToGo = interval;
            predictions.fill(0);
            skipping = false;
          }
          restartsToGo--;
        }
        if (skipping) {
          // Without restart markers nothing later in this scan can be decoded.
          if (interval === 0) return decoder.stopped ? decoder.markerPosition : decoder.position;
          continue;
        }
        for (let i = 0; i < components.length; i++) {
          const component = components[i];
          const h = single ? 1 : component.horizontalSampling;
          const v = single ? 1 : component.verticalSampling;
          const blocks = component.blocks;
          const stride = component.paddedWidthInBlocks;
          const dcTable = dcTables[i]!;
          const acTable = acTables[i]!;
          for (let y = 0; y < v; y++) {
            const row = mcuY * v + y;
            for (let x = 0; x < h; x++) {
              const offset = (row * stride + mcuX * h + x) * 64;
              switch (kind) {
                case ScanKind.Sequential:
                  decoder.decodeBaselineBlock(blocks, offset, dcTable, acTable, predictions, i);
                  break;
                case ScanKind.DcFirst:
                  decoder.decodeDcFirst(blocks, offset, dcTable, predictions, i, shift);
                  break;
                case ScanKind.DcRefine:
                  decoder.decodeDcRefine(blocks, offset, shift);
                  break;
                case ScanKind.AcFirst:
                  decoder.decodeAcFirst(blocks, offset, acTable, start, stop, shift);
                  break;
                case ScanKind.AcRefine:
                  decoder.decodeAcRefine(blocks, offset, acTable, start, stop, shift);
                  break;
              }
            }
          }
        }
        if (decoder.exhausted()) {
          const offset = decoder.offset();
          const problem = `entropy-coded data ends early (truncated file or misplaced marker) at byte ${offset}`;
          if (strict)
            throw corrupt(
              this.name,
              'entropy-coded data ends early (truncated file or misplaced marker)',
              offset,
            );
          this.partial = true;
          this.problems.push(problem);
          skipping = true;
        }
      }
    }
    return decoder.stopped ? decoder.markerPosition : decoder.position;
  }

  private result(): JpegCoefficients {
    const frame = this.frame;
    if (frame === null) throw corrupt(this.name, 'no SOF marker before EOI', this.data.length);
    if (this.scanCount === 0) throw corrupt(this.name, 'no scan (SOS marker) before EOI', this.data.length);
    const components = frame.components.map((component): JpegComponentCoefficients => {
      const { widthInBlocks, heightInBlocks, paddedWidthInBlocks } = component;
      let blocks = component.blocks;
      if (blocks.length === 0) {
        // Header-only read: no coefficients.
      } else if (paddedWidthInBlocks !== widthInBlocks) {
        blocks = new Int16Array(widthInBlocks * heightInBlocks * 64);
        for (let row = 0; row < heightInBlocks; row++) {
          const from = row * paddedWidthInBlocks * 64;
          blocks.set(component.blocks.subarray(from, from + widthInBlocks * 64), row * widthInBlocks * 64);
        }
      } else if (component.paddedHeightInBlocks !== heightInBlocks) {
        blocks = blocks.subarray(0, widthInBlocks * heightInBlocks * 64);
      }
      const quantization =
        component.quantization ??
        this.quantizationTables[component.quantizationTableIndex]?.slice() ??
        new Uint16Array(64);
      return {
        id: component.id,
        horizontalSampling: component.horizontalSampling,
        verticalSampling: component.verticalSampling,
        width: component.width,
        height: component.height,
        widthInBlocks,
        heightInBlocks,
        quantizationTableIndex: component.quantizationTableIndex,
        quantization,
        blocks,
      };
    });
    return {
      width: frame.width,
      height: frame.height,
      colorSpace: this.colorSpace(),
      frameType: frame.type,
      progressive: frame.type === 'progressive',
      maxHorizontalSampling: frame.maxHorizontalSampling,
      maxVerticalSampling: frame.maxVerticalSampling,
      components,
      jfif: this.jfif,
      adobeTransform: this.adobeTransform,
      exifOrientation: this.exifOrientation,
      restartInterval: this.restartInterval,
      scanCount: this.scanCount,
      partial: this.partial,
      problems: this.problems,
    };
  }

  /** libjpeg's rules (jdapimin.c default_decompress_parms): JFIF, then Adobe, then component ids. */
  private colorSpace(): JpegColorSpace {
    const components = this.frame!.components;
    if (components.length === 1) return 'grayscale';
    if (components.length === 3) {
      if (this.jfif) return 'ycbcr';
      if (this.adobeTransform !== null) return this.adobeTransform === 0 ? 'rgb' : 'ycbcr';
      const [a, b, c] = components.map((component) => component.id);
      if (a === 82 && b === 71 && c === 66) return 'rgb';
      return 'ycbcr';
    }
    if (components.length === 4) {
      if (this.adobeTransform !== null) return this.adobeTransform === 0 ? 'cmyk' : 'ycck';
      return 'cmyk';
    }
    return 'unknown';
  }
}

function matches(data: Uint8Array, position: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[position + i] !== text.charCodeAt(i)) return false;
  return true;
}
