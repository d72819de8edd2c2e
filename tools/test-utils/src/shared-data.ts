import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Root of the repository checkout. */
export function repositoryPath(...parts: string[]): string {
  return join(repositoryRoot, ...parts);
}

/**
 * The shared real-image data (`../shared/data` beside the checkout, or `FDL_SHARED_DATA`), or null when
 * absent. Tests that need it use `describe.skipIf(!sharedData)` and say so in their title.
 */
export function sharedDataPath(...parts: string[]): string | null {
  const root = process.env.FDL_SHARED_DATA ?? resolve(repositoryRoot, '../shared/data');
  if (!existsSync(join(root, 'hymenoptera')) && !existsSync(join(root, 'pennfudan'))) return null;
  return join(root, ...parts);
}

export const SHARED_DATA_MISSING =
  'shared data not found at ../shared/data (set FDL_SHARED_DATA): real-image tests skipped';

/** All files under a folder, recursively, sorted, as absolute paths. */
export function listFilesRecursive(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFilesRecursive(path));
    else out.push(path);
  }
  return out.sort();
}

/** The reason appended to a test title only when the test is skipped: ` (reason)` or ''. */
export function skipNote(skipped: boolean, reason: string): string {
  return skipped ? ` (${reason})` : '';
}
