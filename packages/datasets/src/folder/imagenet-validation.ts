import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError, errorMessage } from '../errors.js';
import {
  type ClassificationDataset,
  type ClassificationSample,
  compareCodeUnits,
  IMAGE_FOLDER_EXTENSIONS,
} from './image-folder.js';

/** Options of `openImageNetValidation`. */
export interface ImageNetValidationOptions {
  /**
   * Ground-truth file. Two formats, recognised by content:
   * - devkit `ILSVRC2012_validation_ground_truth.txt`: one ILSVRC2012_ID (1-1000) per line, line i
   *   for the i-th image in sorted file-name order; needs `synsets`;
   * - Kaggle `LOC_val_solution.csv`: header `ImageId,PredictionString`, then
   *   `ILSVRC2012_val_00000001,n01751748 x y x y ...`: the first token is the WordNet id.
   */
  groundTruth: string;
  /**
   * Synset list in ILSVRC2012_ID order (line k = ID k+1; first whitespace-separated token is the
   * WordNet id), e.g. Kaggle's `LOC_synset_mapping.txt`. Required for the devkit format.
   */
  synsets?: string;
  /** Class names (WordNet ids) defining labels, normally the train split's sorted folder names. */
  classes: readonly string[];
}

/**
 * The official flat ImageNet validation layout: `folder/ILSVRC2012_val_XXXXXXXX.JPEG` plus a
 * ground-truth file. Labels are indices into `classes`. Every inconsistency (missing file, an image
 * without a label, an unknown synset, a count mismatch) throws a `DatasetError` before any decoding.
 */
export function openImageNetValidation(
  folder: string,
  options: ImageNetValidationOptions,
): ClassificationDataset {
  const functionName = 'openImageNetValidation';
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) =>
      IMAGE_FOLDER_EXTENSIONS.some((extension) => name.toLowerCase().endsWith(extension)),
    );
  } catch (error) {
    throw new DatasetError('missing', folder, `${functionName}: cannot list folder: ${errorMessage(error)}`);
  }
  names.sort(compareCodeUnits);
  if (names.length === 0)
    throw new DatasetError('empty', folder, `${functionName}: no image file in the folder`);
  const classIndex = new Map(options.classes.map((name, index) => [name, index]));
  const wordnetIds = readGroundTruth(options, names, functionName);
  const samples: ClassificationSample[] = names.map((name) => {
    const stem = basename(name).replace(/\.[^.]+$/, '');
    const wordnetId = wordnetIds.get(stem);
    if (wordnetId === undefined) {
      throw new DatasetError(
        'invalid-annotation',
        options.groundTruth,
        `${functionName}: no label for image ${name}`,
      );
    }
    const label = classIndex.get(wordnetId);
    if (label === undefined) {
      throw new DatasetError(
        'invalid-annotation',
        options.groundTruth,
        `${functionName}: image ${name} has synset ${wordnetId}, which is not among the ${options.classes.length} classes`,
      );
    }
    return { path: join(folder, name), label };
  });
  return { classes: [...options.classes], samples, skipped: [] };
}

/** Map from image stem (file name without extension) to WordNet id. */
function readGroundTruth(
  options: ImageNetValidationOptions,
  sortedNames: readonly string[],
  functionName: string,
): Map<string, string> {
  const lines = readLines(options.groundTruth, functionName);
  const result = new Map<string, string>();
  if (lines[0]?.startsWith('ImageId')) {
    for (const [lineIndex, line] of lines.slice(1).entries()) {
      const match = /^([^,]+),\s*(\S+)/.exec(line);
      if (!match) {
        throw new DatasetError(
          'invalid-annotation',
          options.groundTruth,
          `${functionName}: line ${lineIndex + 2} is not 'ImageId,PredictionString': ${JSON.stringify(line)}`,
        );
      }
      result.set(match[1]!, match[2]!);
    }
    return result;
  }
  if (options.synsets === undefined) {
    throw new DatasetError(
      'invalid-annotation',
      options.groundTruth,
      `${functionName}: devkit ground truth (one ID per line) needs options.synsets`,
    );
  }
  const synsets = readLines(options.synsets, functionName).map((line) => line.split(/\s+/)[0]!);
  if (lines.length !== sortedNames.length) {
    throw new DatasetError(
      'invalid-annotation',
      options.groundTruth,
      `${functionName}: ${lines.length} labels for ${sortedNames.length} images`,
    );
  }
  lines.forEach((line, index) => {
    const id = Number(line);
    if (!Number.isInteger(id) || id < 1 || id > synsets.length) {
      throw new DatasetError(
        'invalid-annotation',
        options.groundTruth,
        `${functionName}: line ${index + 1} is ${JSON.stringify(line)}, expected an ID in 1..${synsets.length}`,
      );
    }
    result.set(basename(sortedNames[index]!).replace(/\.[^.]+$/, ''), synsets[id - 1]!);
  });
  return result;
}

function readLines(path: string, functionName: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
  } catch (error) {
    throw new DatasetError('missing', path, `${functionName}: cannot read: ${errorMessage(error)}`);
  }
}
