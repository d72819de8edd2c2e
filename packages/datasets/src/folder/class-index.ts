import { readFileSync, writeFileSync } from 'node:fs';
import { DatasetError, errorMessage } from '../errors.js';

/** On-disk form of a class index, saved next to checkpoints so labels keep their meaning. */
export interface ClassIndexFile {
  format: 'fdl-class-index';
  version: 1;
  /** Class names; position = label. */
  classes: string[];
}

/** Writes `classes` as a class-index JSON file. */
export function saveClassIndex(path: string, classes: readonly string[]): void {
  const file: ClassIndexFile = { format: 'fdl-class-index', version: 1, classes: [...classes] };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads a class-index JSON file written by `saveClassIndex`; throws `DatasetError` if malformed. */
export function loadClassIndex(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DatasetError(
      'missing',
      path,
      `loadClassIndex: cannot read: ${errorMessage(error)}`,
      {},
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DatasetError('invalid-annotation', path, `loadClassIndex: not JSON: ${errorMessage(error)}`);
  }
  const file = parsed as Partial<ClassIndexFile>;
  if (
    file?.format !== 'fdl-class-index' ||
    !Array.isArray(file.classes) ||
    !file.classes.every((name) => typeof name === 'string')
  ) {
    throw new DatasetError(
      'invalid-annotation',
      path,
      "loadClassIndex: expected {format: 'fdl-class-index', version: 1, classes: string[]}",
    );
  }
  if (new Set(file.classes).size !== file.classes.length) {
    throw new DatasetError('invalid-annotation', path, 'loadClassIndex: class names are not unique');
  }
  return file.classes;
}
