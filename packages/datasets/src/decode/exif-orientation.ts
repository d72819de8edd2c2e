/**
 * EXIF orientation (tag 0x0112) of a JPEG, read from its APP1 "Exif" segment.
 *
 * Values 1-8 as in the TIFF/EXIF specification: 1 = as stored, 2 = mirrored horizontally,
 * 3 = rotated 180, 4 = mirrored vertically, 5 = transposed (mirror along the main diagonal),
 * 6 = rotate 90 clockwise to display, 7 = transversed, 8 = rotate 90 counter-clockwise to display.
 * Returns 1 when there is no EXIF block, no orientation tag, or the block is malformed: orientation
 * is advisory metadata and a broken tag must not make an otherwise decodable photo unusable.
 */
export function readExifOrientation(bytes: Uint8Array): number {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return 1;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    // Start of scan or end of image: no APP segments follow.
    if (marker === 0xda || marker === 0xd9) return 1;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2) return 1;
    if (marker === 0xe1 && length >= 8 && isExifHeader(bytes, offset + 4)) {
      return orientationFromTiff(bytes, offset + 10, offset + 2 + length);
    }
    offset += 2 + length;
  }
  return 1;
}

function isExifHeader(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x45 &&
    bytes[at + 1] === 0x78 &&
    bytes[at + 2] === 0x69 &&
    bytes[at + 3] === 0x66 &&
    bytes[at + 4] === 0 &&
    bytes[at + 5] === 0
  );
}

function orientationFromTiff(bytes: Uint8Array, tiffStart: number, end: number): number {
  if (tiffStart + 8 > end) return 1;
  const littleEndian = bytes[tiffStart] === 0x49 && bytes[tiffStart + 1] === 0x49;
  const bigEndian = bytes[tiffStart] === 0x4d && bytes[tiffStart + 1] === 0x4d;
  if (!littleEndian && !bigEndian) return 1;
  const read16 = (at: number) =>
    littleEndian ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
  const read32 = (at: number) =>
    littleEndian
      ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
      : ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  const ifd = tiffStart + read32(tiffStart + 4);
  if (ifd + 2 > end) return 1;
  const entries = read16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (read16(entry) === 0x0112) {
      const value = read16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
