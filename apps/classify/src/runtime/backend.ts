import { registerAllGradients } from '@fdl/tfjs-wasm-train';
import * as tf from '@tensorflow/tfjs-core';
import { ClassifyError } from '../errors.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_CHOICES: readonly BackendChoice[] = Object.freeze(['auto', 'tensorflow', 'wasm', 'cpu']);

export interface BackendOptions {
  /** Register the training kernels wasm lacks (gradients of convolutions) via @fdl/tfjs-wasm-train. */
  training: boolean;
  /**
   * wasm: threads of the multi-threaded build (`setThreadedWasmBackend`); `auto` = every core (at most
   * 8), 1 = the single-threaded build.
   */
  threads: number | 'auto';
  /** Where the choice and the reasons for skipping a backend are reported. */
  log: (message: string) => void;
}

export const DEFAULT_BACKEND_OPTIONS: Readonly<BackendOptions> = Object.freeze({
  training: false,
  threads: 1,
  log: (message: string) => process.stderr.write(`${message}\n`),
});

export interface BackendSelection {
  name: BackendName;
  /** e.g. `@tensorflow/tfjs-node-gpu`, `wasm (simd, 2 threads) + training kernels`. */
  detail: string;
  /** Backends tried before, with the reason each was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

/** Native TensorFlow bindings, tried in this order; they are optional and absent on most machines. */
const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * The app's one backend switch: `auto` tries tensorflow (tfjs-node-gpu, then tfjs-node), then wasm,
 * then cpu, logs the choice and why others were skipped; a forced choice that fails throws E_BACKEND.
 */
export async function selectBackend(
  choice: BackendChoice,
  options: Partial<BackendOptions> = {},
): Promise<BackendSelection> {
  const o = { ...DEFAULT_BACKEND_OPTIONS, ...options };
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new ClassifyError(
      'E_BACKEND',
      `--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${choice}'`,
      {
        choice,
      },
    );
  }
  if (o.training) await registerAllGradients();
  const order: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const skipped: BackendSelection['skipped'] = [];
  for (const name of order) {
    try {
      const detail = await activate(name, o.training, o.threads, o.log);
      const selection = { name, detail, skipped };
      const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      o.log(
        `backend: ${detail}${choice === 'auto' ? ' (auto' : ' (forced'}${why ? `; skipped ${why})` : ')'}`,
      );
      return selection;
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      if (choice !== 'auto') {
        throw new ClassifyError('E_BACKEND', `backend '${name}' cannot be used: ${reason}`, {
          choice,
          reason,
        });
      }
      skipped.push({ name, reason });
    }
  }
  throw new ClassifyError('E_BACKEND', `no tfjs backend could be initialised: ${JSON.stringify(skipped)}`, {
    skipped,
  });
}

async function activate(
  name: BackendName,
  training: boolean,
  threads: number | 'auto',
  log: (message: string) => void,
): Promise<string> {
  if (name === 'tensorflow') {
    const reasons: string[] = [];
    for (const packageName of TENSORFLOW_PACKAGES) {
      try {
        // a variable specifier keeps bundlers and TypeScript from resolving the optional package
        const specifier: string = packageName;
        await import(specifier);
        if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend("tensorflow") returned false');
        return packageName;
      } catch (error) {
        reasons.push(
          `${packageName} ${isMissingModule(error) ? 'is not installed' : (error as Error).message}`,
        );
      }
    }
    throw new Error(reasons.join(', '));
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const { registerWasmTrainingKernels, setThreadedWasmBackend } = await import('@fdl/tfjs-wasm-train');
    let detail = 'wasm';
    try {
      const started = await setThreadedWasmBackend(threads === 'auto' ? {} : { threads });
      detail += ` (${started.threads} thread${started.threads === 1 ? '' : 's'})`;
    } catch (error) {
      // Refused (another tfjs version, a single-threaded backend already running): go on with wasm as is.
      log(`backend: wasm threads unavailable: ${(error as Error).message}`);
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
      const running = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
      detail += ` (${running} thread${running === 1 ? '' : 's'})`;
    }
    if (training) {
      const kernels = registerWasmTrainingKernels();
      detail += ` + ${kernels.length} training kernels`;
    }
    return detail;
  }
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('setBackend("cpu") returned false');
  return 'cpu';
}

function isMissingModule(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
