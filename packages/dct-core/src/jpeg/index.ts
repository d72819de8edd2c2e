export type { ChromaToLumaGrid, DctCubeFromJpegOptions } from './dct-cube.js';
export {
  boxUpsampleMatrix,
  DEFAULT_DCT_CUBE_FROM_JPEG_OPTIONS,
  dequantizeComponent,
  jpegToDctCube,
  triangleUpsampleMatrix,
} from './dct-cube.js';
export type { JpegPixels } from './decode.js';
export { coefficientsToPlanes, coefficientsToRgb, componentToPlane, decodeJpeg } from './decode.js';
export type { JpegErrorCode } from './errors.js';
export { JpegError } from './errors.js';
export { ZIGZAG_TO_NATURAL } from './natural-order.js';
export { readJpegCoefficients, readJpegInfo } from './read-coefficients.js';
export type {
  JpegCoefficients,
  JpegColorSpace,
  JpegComponentCoefficients,
  JpegFrameType,
  JpegReadOptions,
} from './types.js';
export { DEFAULT_JPEG_READ_OPTIONS } from './types.js';
