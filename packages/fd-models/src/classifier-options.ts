import type { GateForwardOptions } from '@fdl/channel-gate';
import { ArgumentError } from '@fdl/dct-core';

/** Options of the gate's forward pass (mode, tau, threshold, seed, noise, ...); `training` follows the network. */
export type GateCallOptions = Omit<GateForwardOptions, 'training'>;

/** Supported networks. */
export type Architecture = 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101' | 'mobilenetv2';

/** Network input: an RGB image `[batch, H, W, 3]` or a DCT cube `[batch, H/8, W/8, channels]`. */
export type NetworkInput = 'rgb' | { kind: 'dct'; channels: number };

/**
 * Which description of the DCT networks to build (RGB networks are torchvision's in both cases):
 * - `paper`: the paper's text. DCT ResNets keep layer2's stride 2 (DCT-ResNet-50 ~3.9 G multiply-adds
 *   at 56x56); the DCT MobileNetV2's first inverted residual takes C channels (depthwise C, BN C,
 *   pointwise C -> 16) for every C.
 * - `official`: the published code (kaix90/DCTNet) and its checkpoints. DCT ResNets set layer2's stride
 *   to 1 (~13.5 G multiply-adds); the DCT MobileNetV2 keeps the 32-channel first block for C = 32, uses
 *   C-channel slices for C < 32, and for C a multiple of 32 (192 in the paper) a depthwise conv
 *   C -> 32 with groups 32.
 */
export type NetworkVariant = 'paper' | 'official';

/** Options of the optional channel gate in front of a DCT network (passed to @fdl/channel-gate). */
export interface GateConfig {
  /** Seed of the gate's initial weights (defaults to the network seed + 1). */
  seed?: number;
  /** Default options of the gate's forward pass (e.g. `{tau: 1, mode: 'hard'}`), see `gateForward`. */
  forward?: GateCallOptions;
}

export interface ClassifierOptions {
  architecture: Architecture;
  /** Default 'rgb'. */
  input?: NetworkInput;
  /** Default 1000. */
  numClasses?: number;
  /** MobileNetV2 width multiplier (default 1). */
  widthMultiplier?: number;
  /**
   * ResNet base width: planes of layer1 (and stem channels); torchvision uses 64. Smaller values give
   * narrow networks of the same structure (tests, fixtures). Must be a positive integer.
   */
  baseWidth?: number;
  /** Default 'paper'. */
  variant?: NetworkVariant;
  /** A channel gate in front of a DCT network; only valid with DCT input. Default: none. */
  gate?: GateConfig | false;
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /**
   * Draw random initial weights (default true). Pass false when a checkpoint is loaded right away:
   * randomly initialised weights then start at zero, which saves seconds for a ResNet-50.
   */
  initialize?: boolean;
}

export interface ResolvedClassifierOptions {
  readonly architecture: Architecture;
  readonly input: NetworkInput;
  readonly numClasses: number;
  readonly widthMultiplier: number;
  readonly baseWidth: number;
  readonly variant: NetworkVariant;
  readonly gate: GateConfig | false;
  readonly seed: number;
  readonly initialize: boolean;
}

export const CLASSIFIER_DEFAULTS = Object.freeze({
  input: 'rgb' as NetworkInput,
  numClasses: 1000,
  widthMultiplier: 1,
  baseWidth: 64,
  variant: 'paper' as NetworkVariant,
  gate: false as GateConfig | false,
  seed: 0,
  initialize: true,
});

const ARCHITECTURES: readonly Architecture[] = [
  'resnet18',
  'resnet34',
  'resnet50',
  'resnet101',
  'mobilenetv2',
];

/** Merges defaults and validates; messages name the function, the argument and the value. */
export function resolveClassifierOptions(
  functionName: string,
  options: ClassifierOptions,
): ResolvedClassifierOptions {
  const resolved = { ...CLASSIFIER_DEFAULTS, ...stripUndefined(options) } as ResolvedClassifierOptions;
  if (!ARCHITECTURES.includes(resolved.architecture)) {
    throw new ArgumentError(
      functionName,
      'options.architecture',
      `must be one of ${ARCHITECTURES.join(', ')}, got ${JSON.stringify(resolved.architecture)}`,
    );
  }
  const input = resolved.input;
  if (input !== 'rgb') {
    if (typeof input !== 'object' || input === null || input.kind !== 'dct') {
      throw new ArgumentError(
        functionName,
        'options.input',
        `must be 'rgb' or {kind: 'dct', channels}, got ${JSON.stringify(input)}`,
      );
    }
    if (!Number.isInteger(input.channels) || input.channels < 1 || input.channels > 192) {
      throw new ArgumentError(
        functionName,
        'options.input.channels',
        `must be an integer in 1..192, got ${input.channels}`,
      );
    }
  }
  if (!Number.isInteger(resolved.numClasses) || resolved.numClasses < 1) {
    throw new ArgumentError(
      functionName,
      'options.numClasses',
      `must be a positive integer, got ${resolved.numClasses}`,
    );
  }
  if (!(resolved.widthMultiplier > 0) || !Number.isFinite(resolved.widthMultiplier)) {
    throw new ArgumentError(
      functionName,
      'options.widthMultiplier',
      `must be a positive number, got ${resolved.widthMultiplier}`,
    );
  }
  if (!Number.isInteger(resolved.baseWidth) || resolved.baseWidth < 1) {
    throw new ArgumentError(
      functionName,
      'options.baseWidth',
      `must be a positive integer, got ${resolved.baseWidth}`,
    );
  }
  if (resolved.variant !== 'paper' && resolved.variant !== 'official') {
    throw new ArgumentError(
      functionName,
      'options.variant',
      `must be 'paper' or 'official', got ${JSON.stringify(resolved.variant)}`,
    );
  }
  if (resolved.gate && input === 'rgb') {
    throw new ArgumentError(functionName, 'options.gate', 'is only supported with DCT input, got input rgb');
  }
  if (!Number.isInteger(resolved.seed)) {
    throw new ArgumentError(functionName, 'options.seed', `must be an integer, got ${resolved.seed}`);
  }
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The number of input channels of the network. */
export function inputChannels(input: NetworkInput): number {
  return input === 'rgb' ? 3 : input.channels;
}

/** A short human-readable description of the input, e.g. `rgb` or `dct-24`. */
export function describeInput(input: NetworkInput): string {
  return input === 'rgb' ? 'rgb' : `dct-${input.channels}`;
}
