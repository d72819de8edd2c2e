import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateJpegVariants, JPEG_TOOLS_MISSING, jpegToolsAvailable } from './variants.js';

// Usage: node --conditions=@fdl/source --import tsx src/main.ts <output folder>
const folder = resolve(process.argv[2] ?? 'jpeg-variants-out');
if (!jpegToolsAvailable()) {
  console.error(JPEG_TOOLS_MISSING);
  process.exit(1);
}
mkdirSync(folder, { recursive: true });
for (const variant of generateJpegVariants(folder)) {
  console.log(`${variant.unsupported ? 'unsupported ' : ''}${variant.name}\t${variant.path}`);
}
