export * from './color.js';
export * from './dct.js';
export { ArgumentError, FdlError } from './errors.js';
export * from './image.js';
export * from './layout.js';
export * from './libjpeg.js';
