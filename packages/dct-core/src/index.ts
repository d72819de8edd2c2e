export * from './color.js';
export * from './crop.js';
export * from './dct.js';
export { ArgumentError, FdlError } from './errors.js';
export * from './image.js';
export * from './layout.js';
export * from './libjpeg.js';
export * from './npy.js';
export * from './resize.js';
