import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBrowserPage } from './build.js';

describe('buildBrowserPage', () => {
  it('bundles a self-contained browser module next to the page', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'fdl-docs-build-'));
    try {
      const size = await buildBrowserPage(directory);
      const bundle = readFileSync(join(directory, 'app.js'), 'utf8');
      expect(size).toBe(Buffer.byteLength(bundle));
      // dct-core and its JPEG decoder are inside; nothing is left to resolve at run time.
      expect(bundle).toContain('decodeJpeg');
      expect(bundle).not.toMatch(/from\s*["'](node:|@fdl\/|@tensorflow\/)/);
      expect(bundle).not.toMatch(/\bimport\s*\(/);
      const html = readFileSync(join(directory, 'index.html'), 'utf8');
      expect(html).toContain('<script type="module" src="./app.js"></script>');
      expect(readFileSync(join(directory, 'style.css'), 'utf8')).toContain('#drop-zone');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
