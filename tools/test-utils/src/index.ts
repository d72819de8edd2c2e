export * from './libjpeg-reference.js';
export * from './shared-data.js';
