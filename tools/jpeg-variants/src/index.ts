export { seededRandom, testImage, writeNetpbm } from './test-image.js';
export type { JpegVariant } from './variants.js';
export {
  CMYK_FIXTURE,
  generateJpegVariants,
  JPEG_TOOLS_MISSING,
  jpegToolsAvailable,
  withoutMarkerSegments,
  YCCK_FIXTURE,
} from './variants.js';
