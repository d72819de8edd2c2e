import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConfigOverrides } from '../config/load-config.js';
import { resolveConfig } from '../config/load-config.js';
import type { ClassifyConfig } from '../config/schema.js';
import { syntheticDataRoot } from '../data/synthetic-data-root.js';
import { openTrainingData } from '../data/training-data.js';
import { inputError } from '../errors.js';
import { createModelFromConfig } from '../model/create-model.js';
import { loadTrainedModel, resolveChannels } from '../model/load-trained-model.js';
import { selectBackend } from '../runtime/backend.js';
import { createRunFolder, defaultRunName, gitRevision } from '../runtime/run-folder.js';
import { readCheckpoint } from '../training/checkpoint-file.js';
import { InterruptFlag } from '../training/interrupt.js';
import { Trainer, type TrainingResult } from '../training/trainer.js';
import { readTrainingMetadata } from '../training/training-state.js';

export interface TrainCommandOptions {
  /** A checkpoint file or a run folder (its `checkpoints/last.fdlckpt`) to continue. */
  resume?: string | null;
  /** Flags given on this command line; on resume they override the stored config (e.g. more epochs). */
  overrides?: ConfigOverrides;
  log?: (line: string) => void;
  /** Install the Ctrl-C handler (the CLI does; library callers may not want it). */
  handleInterrupt?: boolean;
  /** Use this flag instead of a Ctrl-C handler (programmatic stops, tests). */
  interrupt?: InterruptFlag;
}

export interface TrainSummary extends Omit<TrainingResult, 'lastEvaluation'> {
  runFolder: string;
  name: string;
  mode: string;
  channels: number[] | null;
  top1: number | null;
  top5: number | null;
  inputBytesPerImage: number | null;
  gateChannels: number | null;
  valImagesPerSecond: number | null;
  trainImagesPerSecond: number | null;
}

/** Resolves `--resume` to a checkpoint path. */
export function resumeCheckpointPath(resume: string): string {
  if (!existsSync(resume)) throw inputError(`--resume: '${resume}' does not exist`, { path: resume });
  return statSync(resume).isDirectory() ? join(resume, 'checkpoints', 'last.fdlckpt') : resume;
}

/** Trains one model as the config says; writes everything into `<outputDir>/<name>/`. */
export async function trainCommand(
  config: ClassifyConfig,
  options: TrainCommandOptions = {},
): Promise<TrainSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let resumeFrom: string | null = null;
  let runFolderOverride: string | null = null;
  if (options.resume) {
    resumeFrom = resumeCheckpointPath(options.resume);
    const metadata = readTrainingMetadata(readCheckpoint(resumeFrom), resumeFrom);
    config = resolveConfig(
      [metadata.config as ConfigOverrides, options.overrides ?? {}],
      `config of ${resumeFrom} + flags`,
    );
    runFolderOverride = dirname(dirname(resumeFrom));
  }
  const backend = await selectBackend(config.backend, { training: true, threads: config.threads, log });
  const root = config.data.root ?? syntheticDataRoot(config, log);
  const channels = resolveChannels(config);
  const data = await openTrainingData(config, root, channels);
  const name = config.name ?? defaultRunName(config.input.mode, config.model.architecture);
  const resolvedConfig = { ...config, name, data: { ...config.data, root } };
  const { folder } = runFolderOverride
    ? { folder: runFolderOverride }
    : createRunFolder(config.outputDir, name, 'train', resolvedConfig, backend, config.seed);
  if (resumeFrom) {
    // each continuation is recorded next to run.json: when, from where, with what code and backend
    const record = {
      resumed: new Date().toISOString(),
      from: resumeFrom,
      argv: process.argv.slice(2),
      git: gitRevision(),
      backend,
    };
    appendFileSync(join(folder, 'resumes.jsonl'), `${JSON.stringify(record)}\n`);
  }
  log(`run folder: ${folder}`);
  const model = createModelFromConfig(config, data.classes.length, channels);
  if (config.model.weights && !resumeFrom) {
    const initial = loadTrainedModel(config.model.weights, { config, classes: data.classes });
    for (const [name, variable] of model.variables()) {
      const source = initial.model.variables().get(name);
      if (source && source.shape.join() === variable.shape.join()) variable.assign(source);
    }
    initial.model.dispose();
    log(`initial weights: ${config.model.weights}`);
  }
  log(
    model
      .summary({ inputSize: config.input.mode === 'dct' ? config.input.dctCrop / 8 : config.input.crop })
      .text.split('\n')
      .slice(-2)
      .join('\n'),
  );
  const interrupt =
    options.interrupt ?? (options.handleInterrupt === false ? null : new InterruptFlag().install());
  const trainer = new Trainer({
    config: resolvedConfig,
    model,
    data,
    folder,
    channels,
    resumeFrom,
    interrupt,
    log,
  });
  try {
    const result = await trainer.run();
    const skipped = data.skipped();
    if (skipped.length > 0) {
      log(
        `skipped ${skipped.length} unreadable files: ${skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}`,
      );
    }
    const { lastEvaluation: evaluation, ...rest } = result;
    const summary: TrainSummary = {
      ...rest,
      runFolder: folder,
      name,
      mode:
        config.input.mode === 'dct' ? `dct-${channels!.length}${config.gate.enabled ? '-gate' : ''}` : 'rgb',
      channels,
      top1: evaluation?.top1 ?? null,
      top5: evaluation?.top5 ?? null,
      inputBytesPerImage: evaluation?.inputBytesPerImage ?? null,
      gateChannels: evaluation?.gateChannels ?? null,
      valImagesPerSecond: evaluation?.imagesPerSecond ?? null,
      trainImagesPerSecond: result.trainImagesPerSecond,
    };
    writeFileSync(join(folder, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    if (!options.interrupt) interrupt?.uninstall();
    trainer.dispose();
    model.dispose();
    await data.close();
  }
}
