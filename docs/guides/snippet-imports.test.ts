import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const guides = fileURLToPath(new URL('.', import.meta.url));

/** `import { a, type B, c } from '@fdl/x'` statements inside the guides' code blocks. */
function fdlImports(): Map<string, Set<string>> {
  const byModule = new Map<string, Set<string>>();
  for (const file of readdirSync(guides).filter((name) => name.endsWith('.md'))) {
    const text = readFileSync(join(guides, file), 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*'(@fdl\/[^']+)'/g)) {
      const names = byModule.get(match[2]) ?? new Set<string>();
      for (const part of match[1].split(',')) {
        const name = part.trim();
        if (name !== '' && !name.startsWith('type ')) names.add(name);
      }
      byModule.set(match[2], names);
    }
  }
  return byModule;
}

describe('code in the guides', () => {
  it('imports only names the fdl packages export', async () => {
    const imports = fdlImports();
    expect([...imports.keys()].sort()).toEqual([
      '@fdl/channel-gate',
      '@fdl/channel-gate/png',
      '@fdl/datasets',
      '@fdl/dct-core',
      '@fdl/dct-core/jpeg',
      '@fdl/fd-models',
      '@fdl/tfjs-wasm-train',
    ]);
    const missing: string[] = [];
    let checked = 0;
    for (const [module, names] of imports) {
      const exports = (await import(module)) as Record<string, unknown>;
      for (const name of names) {
        checked++;
        if (exports[name] === undefined) missing.push(`${module}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(25);
  });
});
