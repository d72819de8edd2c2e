/**
 * Reads the EXIF Orientation tag (0x0112) from the payload of an APP1 segment (starting with "Exif\0\0").
 * Returns 1..8, or null when the payload is not EXIF, has no orientation, or is malformed (never throws:
 * metadata must not make an image unreadable).
 */
export function readExifOrientation(data: Uint8Array, start: number, end: number): number | null {
  if (end - start < 14) return null;
  if (
    data[start] !== 0x45 ||
    data[start + 1] !== 0x78 ||
    data[start + 2] !== 0x69 ||
    data[start + 3] !== 0x66 ||
    data[start + 4] !== 0 ||
    data[start + 5] !== 0
  ) {
    return null;
  }
  const tiff = start + 6;
  const littleEndian = data[tiff] === 0x49 && data[tiff + 1] === 0x49;
  const bigEndian = data[tiff] === 0x4d && data[tiff + 1] === 0x4d;
  if (!littleEndian && !bigEndian) return null;
  const u16 = (at: number) =>
    littleEndian ? data[at] | (data[at + 1] << 8) : (data[at] << 8) | data[at + 1];
  const u32 = (at: number) =>
    littleEndian
      ? (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0
      : ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
  const directory = tiff + u32(tiff + 4);
  if (directory + 2 > end) return null;
  const count = u16(directory);
  for (let i = 0; i < count; i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}
