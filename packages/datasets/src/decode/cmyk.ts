/**
 * CMYK (ink amounts, 0 = no ink) to RGB exactly as Pillow's `convert('RGB')` does it:
 * R = (255 - K) - round((255 - K) * C / 255), likewise G from M and B from Y, with Pillow's integer
 * rounding of the product. This ignores ICC profiles on purpose: it is what torchvision pipelines
 * (and the ImageNet statistics everyone uses) saw for ImageNet's CMYK JPEGs.
 * `cmyk` is [pixels, 4]; returns [pixels, 3].
 */
export function cmykToRgb(cmyk: Uint8Array): Uint8Array {
  const pixels = cmyk.length >> 2;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const inverseK = 255 - cmyk[p * 4 + 3]!;
    for (let c = 0; c < 3; c++) {
      const product = cmyk[p * 4 + c]! * inverseK + 128;
      rgb[p * 3 + c] = inverseK - (((product >> 8) + product) >> 8);
    }
  }
  return rgb;
}
