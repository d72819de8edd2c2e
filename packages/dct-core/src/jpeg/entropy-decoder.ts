import { corrupt } from './errors.js';
import type { HuffmanTable } from './huffman-table.js';
import { LOOKAHEAD_BITS } from './huffman-table.js';
import { ZIGZAG_TO_NATURAL } from './natural-order.js';

const LOOKAHEAD_MASK = (1 << LOOKAHEAD_BITS) - 1;

/**
 * Bit-level reader and block decoders for Huffman-coded entropy segments (spec F.2.2, G.1.2).
 *
 * The bit buffer holds `bits` valid bits right-aligned in a 32-bit integer and is refilled a byte at a time
 * to more than 24 bits, so one refill check covers a Huffman code (<= 16 bits). Stuffed 0xFF00 becomes
 * 0xFF; 0xFF fill bytes are skipped. At a marker or the end of the data the reader stops and feeds zero
 * bits, as libjpeg does; `padding` counts those zero bits, so `exhausted()` tells whether any were consumed.
 */
export class EntropyDecoder {
  private readonly data: Uint8Array;
  position: number;
  private buffer = 0;
  private bits = 0;
  private padding = 0;
  /** True once a marker (or the end of data) stopped the reader; `markerPosition` is its 0xFF byte. */
  stopped = false;
  markerPosition = -1;
  /** Strict mode throws on a bad Huffman code; lenient mode substitutes symbol 0 like libjpeg. */
  private readonly strict: boolean;
  /** End-of-band run of progressive AC scans (spec G.1.2.2). */
  eobRun = 0;

  constructor(data: Uint8Array, position: number, strict: boolean) {
    this.data = data;
    this.position = position;
    this.strict = strict;
  }

  private fill(): void {
    const data = this.data;
    const end = data.length;
    let buffer = this.buffer;
    let bits = this.bits;
    let position = this.position;
    while (bits <= 24) {
      if (this.stopped) {
        buffer <<= 8;
        bits += 8;
        this.padding += 8;
        continue;
      }
      if (position >= end) {
        this.stopped = true;
        this.markerPosition = end;
        continue;
      }
      const byte = data[position++];
      if (byte === 0xff) {
        while (position < end && data[position] === 0xff) position++;
        if (position < end && data[position] === 0) {
          position++;
        } else {
          this.stopped = true;
          this.markerPosition = position - 1;
          continue;
        }
      }
      buffer = (buffer << 8) | byte;
      bits += 8;
    }
    this.buffer = buffer;
    this.bits = bits;
    this.position = position;
  }

  /** True when the decoder consumed zero bits past the end of the segment (data ran out). */
  exhausted(): boolean {
    return this.bits < this.padding;
  }

  /** Byte offset to report for a problem found now. */
  offset(): number {
    return this.stopped ? this.markerPosition : this.position;
  }

  decodeHuffman(table: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const peek = (this.buffer >>> (this.bits - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK;
    const entry = table.lookup[peek];
    if (entry !== 0) {
      this.bits -= entry >> 8;
      return entry & 255;
    }
    return this.decodeLong(table);
  }

  private decodeLong(table: HuffmanTable): number {
    const maxCode = table.maxCode;
    for (let length = LOOKAHEAD_BITS + 1; length <= 16; length++) {
      const code = (this.buffer >>> (this.bits - length)) & ((1 << length) - 1);
      if (code <= maxCode[length]) {
        this.bits -= length;
        return table.symbols[code + table.valueOffset[length]];
      }
    }
    if (this.strict) throw corrupt('readJpegCoefficients', 'invalid Huffman code', this.offset());
    this.bits -= 16;
    return 0;
  }

  getBits(count: number): number {
    if (count === 0) return 0;
    if (this.bits < count) this.fill();
    this.bits -= count;
    return (this.buffer >>> this.bits) & ((1 << count) - 1);
  }

  getBit(): number {
    if (this.bits < 1) this.fill();
    this.bits--;
    return (this.buffer >>> this.bits) & 1;
  }

  /** Reads `size` magnitude bits and extends them to a signed value (spec F.2.2.1, EXTEND). */
  receiveExtend(size: number): number {
    if (size === 0) return 0;
    if (size > 16) size = 16;
    if (this.bits < size) this.fill();
    this.bits -= size;
    const raw = (this.buffer >>> this.bits) & ((1 << size) - 1);
    return raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
  }

  /**
   * Handles the end of a restart interval: drops buffered bits and consumes the RSTn marker. In strict
   * mode anything but the expected marker is corrupt; in lenient mode the reader resynchronises like
   * libjpeg (skip to the next marker, consume it if it is an RST, otherwise leave it and feed zeros).
   */
  restart(expected: number): void {
    const data = this.data;
    const end = data.length;
    let position = this.stopped ? this.markerPosition : this.position;
    if (this.strict && !this.stopped) {
      // A well-formed segment ends right before the marker.
      if (position >= end || data[position] !== 0xff) {
        throw corrupt('readJpegCoefficients', `expected restart marker RST${expected}`, position);
      }
    }
    while (position < end) {
      if (data[position] === 0xff) {
        let next = position + 1;
        while (next < end && data[next] === 0xff) next++;
        if (next < end && data[next] !== 0) {
          position = next - 1;
          break;
        }
        position = next;
      }
      position++;
    }
    this.buffer = 0;
    this.bits = 0;
    this.padding = 0;
    this.eobRun = 0;
    const marker = position + 1 < end ? data[position + 1] : -1;
    if (marker >= 0xd0 && marker <= 0xd7) {
      if (this.strict && marker !== 0xd0 + expected) {
        throw corrupt(
          'readJpegCoefficients',
          `expected restart marker RST${expected}, found RST${marker - 0xd0}`,
          position,
        );
      }
      this.position = position + 2;
      this.stopped = false;
      this.markerPosition = -1;
    } else {
      if (this.strict)
        throw corrupt('readJpegCoefficients', `expected restart marker RST${expected}`, position);
      this.position = position;
      this.stopped = true;
      this.markerPosition = Math.min(position, end);
    }
  }

  /**
   * Baseline / extended sequential block (spec F.2.2): DC difference plus 63 AC coefficients. The bit
   * buffer lives in locals and plain bytes are refilled inline; stuffed bytes and markers go through
   * `fill()`. Codes longer than the lookahead and symbols whose magnitude does not fit it take the slow path.
   */
  decodeBaselineBlock(
    blocks: Int16Array,
    offset: number,
    dcTable: HuffmanTable,
    acTable: HuffmanTable,
    predictions: Int32Array,
    component: number,
  ): void {
    const data = this.data;
    // Bytes below `limit` may be read inline: none once the reader stopped at a marker or the end.
    const limit = this.stopped ? 0 : data.length;
    let buffer = this.buffer;
    let bits = this.bits;
    let position = this.position;

    // DC: Huffman-coded magnitude category, then that many bits.
    while (bits <= 24) {
      const byte = position < limit ? data[position] : 0xff;
      if (byte === 0xff) {
        this.buffer = buffer;
        this.bits = bits;
        this.position = position;
        this.fill();
        buffer = this.buffer;
        bits = this.bits;
        position = this.position;
        break;
      }
      buffer = (buffer << 8) | byte;
      position++;
      bits += 8;
    }
    let size: number;
    const dcEntry = dcTable.lookup[(buffer >>> (bits - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK];
    if (dcEntry !== 0) {
      bits -= dcEntry >> 8;
      size = dcEntry & 255;
    } else {
      this.buffer = buffer;
      this.bits = bits;
      size = this.decodeLong(dcTable);
      bits = this.bits;
    }
    let difference = 0;
    if (size !== 0) {
      if (size > 16) size = 16;
      if (bits < size) {
        this.buffer = buffer;
        this.bits = bits;
        this.position = position;
        this.fill();
        buffer = this.buffer;
        bits = this.bits;
        position = this.position;
      }
      bits -= size;
      const raw = (buffer >>> bits) & ((1 << size) - 1);
      difference = raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
    }
    const prediction = (predictions[component] + difference) | 0;
    predictions[component] = prediction;
    blocks[offset] = prediction;

    const fastAc = acTable.fastAc;
    const lookup = acTable.lookup;
    const natural = ZIGZAG_TO_NATURAL;
    let k = 1;
    while (k < 64) {
      if (bits < 16) {
        // Refill to more than 24 bits: a code (<= 16 bits) always fits; magnitudes check separately.
        while (bits <= 24) {
          const byte = position < limit ? data[position] : 0xff;
          if (byte === 0xff) {
            this.buffer = buffer;
            this.bits = bits;
            this.position = position;
            this.fill();
            buffer = this.buffer;
            bits = this.bits;
            position = this.position;
            break;
          }
          buffer = (buffer << 8) | byte;
          position++;
          bits += 8;
        }
      }
      const peek = (buffer >>> (bits - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK;
      const fast = fastAc[peek];
      if (fast !== 0) {
        k += (fast >> 4) & 15;
        bits -= fast & 15;
        blocks[offset + natural[k]] = fast >> 16;
        k++;
        continue;
      }
      let symbol: number;
      const entry = lookup[peek];
      if (entry !== 0) {
        bits -= entry >> 8;
        symbol = entry & 255;
      } else {
        this.buffer = buffer;
        this.bits = bits;
        symbol = this.decodeLong(acTable);
        bits = this.bits;
      }
      const run = symbol >> 4;
      const magnitude = symbol & 15;
      if (magnitude !== 0) {
        k += run;
        if (bits < magnitude) {
          this.buffer = buffer;
          this.bits = bits;
          this.position = position;
          this.fill();
          buffer = this.buffer;
          bits = this.bits;
          position = this.position;
        }
        bits -= magnitude;
        const raw = (buffer >>> bits) & ((1 << magnitude) - 1);
        blocks[offset + natural[k]] = raw < 1 << (magnitude - 1) ? raw - (1 << magnitude) + 1 : raw;
        k++;
      } else {
        if (run !== 15) break;
        k += 16;
      }
    }
    this.buffer = buffer;
    this.bits = bits;
    this.position = position;
  }

  /** Progressive DC first scan (spec G.1.2.1): the difference scaled by the successive-approximation shift. */
  decodeDcFirst(
    blocks: Int16Array,
    offset: number,
    dcTable: HuffmanTable,
    predictions: Int32Array,
    component: number,
    shift: number,
  ): void {
    const size = this.decodeHuffman(dcTable);
    const prediction = (predictions[component] + this.receiveExtend(size)) | 0;
    predictions[component] = prediction;
    blocks[offset] = prediction << shift;
  }

  /** Progressive DC refinement: one raw bit per block. */
  decodeDcRefine(blocks: Int16Array, offset: number, shift: number): void {
    if (this.getBit() !== 0) blocks[offset] |= 1 << shift;
  }

  /** Progressive AC first scan over the band [start, end] (spec G.1.2.2), with end-of-band runs. */
  decodeAcFirst(
    blocks: Int16Array,
    offset: number,
    acTable: HuffmanTable,
    start: number,
    end: number,
    shift: number,
  ) {
    if (this.eobRun > 0) {
      this.eobRun--;
      return;
    }
    const natural = ZIGZAG_TO_NATURAL;
    const fastAc = acTable.fastAc;
    const lookup = acTable.lookup;
    const scale = 1 << shift;
    let buffer = this.buffer;
    let bits = this.bits;
    for (let k = start; k <= end; k++) {
      if (bits < 16) {
        this.buffer = buffer;
        this.bits = bits;
        this.fill();
        buffer = this.buffer;
        bits = this.bits;
      }
      const peek = (buffer >>> (bits - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK;
      const fast = fastAc[peek];
      if (fast !== 0) {
        k += (fast >> 4) & 15;
        bits -= fast & 15;
        blocks[offset + natural[k]] = (fast >> 16) * scale;
        continue;
      }
      let symbol: number;
      const entry = lookup[peek];
      if (entry !== 0) {
        bits -= entry >> 8;
        symbol = entry & 255;
      } else {
        this.buffer = buffer;
        this.bits = bits;
        symbol = this.decodeLong(acTable);
        bits = this.bits;
      }
      const run = symbol >> 4;
      const magnitude = symbol & 15;
      if (magnitude === 0 && run === 15) {
        k += 15;
        continue;
      }
      const size = magnitude !== 0 ? magnitude : run;
      if (bits < size) {
        this.buffer = buffer;
        this.bits = bits;
        this.fill();
        buffer = this.buffer;
        bits = this.bits;
      }
      bits -= size;
      const raw = size === 0 ? 0 : (buffer >>> bits) & ((1 << size) - 1);
      if (magnitude !== 0) {
        k += run;
        blocks[offset + natural[k]] = (raw < 1 << (magnitude - 1) ? raw - (1 << magnitude) + 1 : raw) * scale;
      } else {
        // End of band: this block and (2^run + raw - 1) more.
        this.eobRun = (1 << run) + raw - 1;
        break;
      }
    }
    this.buffer = buffer;
    this.bits = bits;
  }

  /**
   * Progressive AC refinement scan (spec G.1.2.3): new coefficients of magnitude 1 << shift, and one
   * correction bit for each coefficient that is already non-zero, in band order.
   */
  decodeAcRefine(
    blocks: Int16Array,
    offset: number,
    acTable: HuffmanTable,
    start: number,
    end: number,
    shift: number,
  ) {
    const natural = ZIGZAG_TO_NATURAL;
    const lookup = acTable.lookup;
    const plus = 1 << shift;
    const minus = -1 << shift;
    let buffer = this.buffer;
    let bits = this.bits;
    let k = start;
    if (this.eobRun === 0) {
      for (; k <= end; k++) {
        if (bits < 16) {
          this.buffer = buffer;
          this.bits = bits;
          this.fill();
          buffer = this.buffer;
          bits = this.bits;
        }
        let symbol: number;
        const entry = lookup[(buffer >>> (bits - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK];
        if (entry !== 0) {
          bits -= entry >> 8;
          symbol = entry & 255;
        } else {
          this.buffer = buffer;
          this.bits = bits;
          symbol = this.decodeLong(acTable);
          bits = this.bits;
        }
        let run = symbol >> 4;
        let value = symbol & 15;
        if (value !== 0) {
          // The size of a new coefficient is always 1 in a refinement scan; libjpeg only warns otherwise.
          if (bits < 1) {
            this.buffer = buffer;
            this.bits = bits;
            this.fill();
            buffer = this.buffer;
            bits = this.bits;
          }
          bits--;
          value = ((buffer >>> bits) & 1) !== 0 ? plus : minus;
        } else if (run !== 15) {
          let eobRun = 1 << run;
          if (run !== 0) {
            if (bits < run) {
              this.buffer = buffer;
              this.bits = bits;
              this.fill();
              buffer = this.buffer;
              bits = this.bits;
            }
            bits -= run;
            eobRun += (buffer >>> bits) & ((1 << run) - 1);
          }
          this.eobRun = eobRun;
          break;
        }
        do {
          const position = offset + natural[k];
          const coefficient = blocks[position];
          if (coefficient !== 0) {
            if (bits < 1) {
              this.buffer = buffer;
              this.bits = bits;
              this.fill();
              buffer = this.buffer;
              bits = this.bits;
            }
            bits--;
            if (((buffer >>> bits) & 1) !== 0 && (coefficient & plus) === 0) {
              blocks[position] = coefficient >= 0 ? coefficient + plus : coefficient + minus;
            }
          } else if (--run < 0) {
            break;
          }
          k++;
        } while (k <= end);
        if (value !== 0) blocks[offset + natural[k]] = value;
      }
    }
    if (this.eobRun > 0) {
      for (; k <= end; k++) {
        const position = offset + natural[k];
        const coefficient = blocks[position];
        if (coefficient !== 0) {
          if (bits < 1) {
            this.buffer = buffer;
            this.bits = bits;
            this.fill();
            buffer = this.buffer;
            bits = this.bits;
          }
          bits--;
          if (((buffer >>> bits) & 1) !== 0 && (coefficient & plus) === 0) {
            blocks[position] = coefficient >= 0 ? coefficient + plus : coefficient + minus;
          }
        }
      }
      this.eobRun--;
    }
    this.buffer = buffer;
    this.bits = bits;
  }
}
