import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifyConfig } from '../config/schema.js';
import { writeSyntheticDataset } from './synthetic-dataset.js';

/**
 * The folder of the generated dataset a config asks for (data.root null): written once under the system
 * temp folder, keyed by its options, seed and generator version, and reused by later runs (a marker file
 * says it is complete).
 */

/** Bump whenever the generated images change (drawing code or random stream), so old copies are not reused. */
const SYNTHETIC_DATASET_VERSION = 2;
export function syntheticDataRoot(config: ClassifyConfig, log: (line: string) => void): string {
  const s = config.data.synthetic;
  const root = join(
    tmpdir(),
    `fdl-classify-synthetic-v${SYNTHETIC_DATASET_VERSION}-c${s.classes}-n${s.trainPerClass}x${s.valPerClass}-s${s.size}-seed${config.seed}`,
  );
  const marker = join(root, '.complete');
  if (existsSync(marker)) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const dataset = writeSyntheticDataset(root, { ...s, seed: config.seed });
  writeFileSync(marker, `${JSON.stringify(dataset)}\n`);
  log(
    `generated a synthetic dataset (${dataset.classes.join(', ')}; ${dataset.counts.train} train / ${dataset.counts.val} val ` +
      `${s.size}x${s.size} JPEGs) in ${root}`,
  );
  return root;
}
