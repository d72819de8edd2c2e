import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, type DatasetErrorReason, errorMessage } from '../errors.js';

/** One labelled image file. */
export interface ClassificationSample {
  /** Path of the file (root joined with the relative path). */
  path: string;
  /** Class index into `classes`. */
  label: number;
}

/** A labelled image collection: what `openImageFolder` returns and what `DataLoader` consumes. */
export interface ClassificationDataset {
  /** Class names; the index of a name is its label. */
  classes: string[];
  samples: ClassificationSample[];
  /** Problems that were tolerated under `onError: 'skip'` (e.g. empty class folders). */
  skipped: DatasetSkip[];
}

/** A file or folder left out of a dataset under `onError: 'skip'`. */
export interface DatasetSkip {
  path: string;
  reason: DatasetErrorReason;
  message: string;
}

/** Policy for bad input: `error` stops with the path, `skip` records it and continues. */
export type ErrorPolicy = 'error' | 'skip';

/** Options of `openImageFolder`. */
export interface ImageFolderOptions {
  /** Sub-folder of `root` to open, e.g. `train` or `val`; default: `root` itself. */
  split?: string;
  /** Lower-case file name endings that count as images; default `IMAGE_FOLDER_EXTENSIONS`. */
  extensions?: readonly string[];
  /**
   * `error` (default): a class folder without any image file is a `DatasetError` (torchvision
   * raises too). `skip`: the class keeps its label, the folder is listed in `skipped`.
   */
  onError?: ErrorPolicy;
}

/**
 * torchvision's `IMG_EXTENSIONS` (0.14): the file endings `ImageFolder` accepts, compared
 * case-insensitively. `.gif` is not among them, so a GIF named `.gif` is never listed, while a PNG
 * named `.JPEG` is (and is decoded as PNG from its magic bytes).
 */
export const IMAGE_FOLDER_EXTENSIONS: readonly string[] = Object.freeze([
  '.jpg',
  '.jpeg',
  '.png',
  '.ppm',
  '.bmp',
  '.pgm',
  '.tif',
  '.tiff',
  '.webp',
]);

export const DEFAULT_IMAGE_FOLDER_OPTIONS: Readonly<Required<Omit<ImageFolderOptions, 'split'>>> =
  Object.freeze({
    extensions: IMAGE_FOLDER_EXTENSIONS,
    onError: 'error',
  });

/**
 * Lists `root[/split]/<class>/**` like torchvision's `ImageFolder`:
 * - classes are the sub-folder names sorted by code unit (label = index in that order);
 * - a class collects files in its folder and all nested folders (symlinks followed), visiting folders
 *   in sorted path order and files in sorted name order;
 * - a file counts when its lower-cased name ends with one of `extensions`; other files are ignored
 *   silently, exactly as torchvision does (hymenoptera: 244 train / 153 val).
 * Missing root, no class folder, or (under `error`) an empty class throw a `DatasetError` before any
 * image is read.
 */
export function openImageFolder(root: string, options: ImageFolderOptions = {}): ClassificationDataset {
  const extensions = (options.extensions ?? DEFAULT_IMAGE_FOLDER_OPTIONS.extensions).map((e) =>
    e.toLowerCase(),
  );
  const onError = options.onError ?? DEFAULT_IMAGE_FOLDER_OPTIONS.onError;
  const folder = options.split === undefined ? root : join(root, options.split);
  const entries = listDirectory(folder, 'openImageFolder');
  const classes = entries
    .filter((entry) => isDirectory(folder, entry))
    .map((entry) => entry.name)
    .sort(compareCodeUnits);
  if (classes.length === 0) {
    throw new DatasetError('empty', folder, 'openImageFolder: no class sub-folder found', {
      entries: entries.length,
    });
  }
  const samples: ClassificationSample[] = [];
  const skipped: DatasetSkip[] = [];
  classes.forEach((name, label) => {
    const classFolder = join(folder, name);
    const files = listImageFiles(classFolder, extensions);
    if (files.length === 0) {
      const message = `openImageFolder: class '${name}' has no file ending in ${extensions.join(', ')}`;
      if (onError === 'error') throw new DatasetError('empty', classFolder, message, { class: name });
      skipped.push({ path: classFolder, reason: 'empty', message });
    }
    for (const path of files) samples.push({ path, label });
  });
  return { classes, samples, skipped };
}

/** Image files under `folder`, recursively, in torchvision's order. */
function listImageFiles(folder: string, extensions: readonly string[]): string[] {
  const folders: { path: string; files: string[] }[] = [];
  const visit = (path: string) => {
    const files: string[] = [];
    for (const entry of listDirectory(path, 'openImageFolder')) {
      if (isDirectory(path, entry)) visit(join(path, entry.name));
      else if (extensions.some((extension) => entry.name.toLowerCase().endsWith(extension)))
        files.push(entry.name);
    }
    folders.push({ path, files: files.sort(compareCodeUnits) });
  };
  visit(folder);
  folders.sort((a, b) => compareCodeUnits(a.path, b.path));
  return folders.flatMap(({ path, files }) => files.map((name) => join(path, name)));
}

function listDirectory(folder: string, functionName: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DatasetError('missing', folder, `${functionName}: folder does not exist`);
    if (code === 'ENOTDIR')
      throw new DatasetError('missing', folder, `${functionName}: path is not a folder`);
    throw new DatasetError(
      'io',
      folder,
      `${functionName}: cannot list folder: ${errorMessage(error)}`,
      {},
      { cause: error },
    );
  }
}

function isDirectory(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(parent, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Plain code-unit order (Python's `sorted` for BMP names), independent of locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
