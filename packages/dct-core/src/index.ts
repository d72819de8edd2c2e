export { ArgumentError, FdlError } from './errors.js';
