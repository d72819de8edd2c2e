import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Relative link targets of a Markdown file: `[text](target)`, without #anchors; web links excluded. */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1].split('#')[0])
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
}

describe('docs Markdown', () => {
  const files = markdownFiles(docsRoot);

  it('has the index and every guide the index promises', () => {
    const names = files.map((file) => relative(docsRoot, file)).sort();
    expect(names).toEqual([
      'README.md',
      'guides/backends.md',
      'guides/browser-page.md',
      'guides/channel-selection.md',
      'guides/data-conventions.md',
      'guides/differences-from-official.md',
      'guides/getting-started.md',
      'guides/jpeg-coefficients.md',
      'guides/learned-gate.md',
      'guides/normalization.md',
      'guides/training.md',
    ]);
  });

  it('links only to files that exist', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
        checked++;
        if (!existsSync(resolve(dirname(file), target)))
          broken.push(`${relative(docsRoot, file)} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
    // The guides cross-link heavily; a parser that finds nothing would pass vacuously.
    expect(checked).toBeGreaterThan(40);
  });

  it('lists every runnable example in the index, and every example has a test', () => {
    const index = readFileSync(join(docsRoot, 'README.md'), 'utf8');
    const examples = readdirSync(join(docsRoot, 'examples')).filter(
      (name) =>
        name.endsWith('.ts') &&
        !name.endsWith('.test.ts') &&
        name !== 'print-result.ts' &&
        name !== 'run-example.ts',
    );
    expect(examples.length).toBe(6);
    for (const example of examples) {
      expect(index).toContain(`(examples/${example})`);
      expect(existsSync(join(docsRoot, 'examples', example.replace(/\.ts$/, '.test.ts')))).toBe(true);
    }
  });
});
