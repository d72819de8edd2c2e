import * as tf from '@tensorflow/tfjs-core';
import { type ParameterKind, tfShapeOf } from './layout.js';

/** One named parameter or buffer of a network. */
export interface ParameterEntry {
  /** torchvision's state_dict key, e.g. `layer1.0.conv1.weight`. */
  readonly name: string;
  /** How the torch layout maps onto the tfjs layout (see layout.ts). */
  readonly kind: ParameterKind;
  /** Shape in torch layout (the shape a torchvision state_dict has). */
  readonly torchShape: readonly number[];
  /** The variable, in tfjs layout. */
  readonly variable: tf.Variable;
  /** True for BatchNorm running statistics: saved and loaded, never trained, not counted as parameters. */
  readonly isBuffer: boolean;
}

let storeCounter = 0;

/**
 * Owns every variable of one network, keyed by torchvision state_dict name. tfjs variable names are
 * global to the engine, so the underlying `tf.Variable.name` carries a store-unique prefix
 * (`fdl3/layer1.0.conv1.weight`); the keys callers see are the bare torchvision names.
 */
export class ParameterStore {
  private readonly entries = new Map<string, ParameterEntry>();
  private readonly frozen = new Set<string>();
  private readonly cleanups: Array<() => void> = [];
  readonly variablePrefix: string;

  constructor() {
    storeCounter++;
    this.variablePrefix = `fdl${storeCounter}_${Date.now().toString(36)}`;
  }

  /**
   * Registers a variable. `initial` must already be in tfjs layout (its shape is checked against the
   * torch shape); the store takes ownership of it.
   */
  add(
    name: string,
    kind: ParameterKind,
    torchShape: readonly number[],
    initial: tf.Tensor,
    isBuffer = false,
  ) {
    if (this.entries.has(name)) throw new Error(`ParameterStore.add: duplicate parameter name '${name}'`);
    const expected = tfShapeOf(kind, torchShape);
    if (!tf.util.arraysEqual(expected, initial.shape)) {
      throw new Error(
        `ParameterStore.add: '${name}' initial value has shape [${initial.shape}], expected [${expected}]`,
      );
    }
    const variable = tf.variable(initial, !isBuffer, `${this.variablePrefix}/${name}`);
    initial.dispose();
    const entry: ParameterEntry = { name, kind, torchShape: [...torchShape], variable, isBuffer };
    this.entries.set(name, entry);
    return variable;
  }

  /**
   * Takes ownership of an existing variable (e.g. a channel gate's), registered under a torch name.
   * `kind` 'reshape' means the torch tensor holds the same values in the same order, only shaped
   * differently. The variable's tfjs shape is checked against the torch shape's element count.
   */
  adopt(
    name: string,
    kind: ParameterKind,
    torchShape: readonly number[],
    variable: tf.Variable,
    isBuffer = false,
  ) {
    if (this.entries.has(name)) throw new Error(`ParameterStore.adopt: duplicate parameter name '${name}'`);
    const size = torchShape.reduce((product, n) => product * n, 1);
    if (size !== variable.size) {
      throw new Error(
        `ParameterStore.adopt: '${name}' has ${variable.size} values, torch shape [${torchShape}] needs ${size}`,
      );
    }
    this.entries.set(name, { name, kind, torchShape: [...torchShape], variable, isBuffer });
    return variable;
  }

  get(name: string): ParameterEntry | undefined {
    return this.entries.get(name);
  }

  /** All entries in registration order (the order torchvision's state_dict uses). */
  list(): ParameterEntry[] {
    return [...this.entries.values()];
  }

  /** Marks names as frozen or not; frozen parameters are excluded from `trainableVariables()`. */
  setFrozen(names: Iterable<string>, frozen: boolean): void {
    for (const name of names) {
      const entry = this.entries.get(name);
      if (!entry || entry.isBuffer) continue;
      if (frozen) this.frozen.add(name);
      else this.frozen.delete(name);
      entry.variable.trainable = !frozen;
    }
  }

  isFrozen(name: string): boolean {
    return this.frozen.has(name);
  }

  /** Map name -> variable for every parameter and buffer. */
  variables(): Map<string, tf.Variable> {
    return new Map([...this.entries].map(([name, entry]) => [name, entry.variable]));
  }

  /** Map name -> variable for the parameters that an optimizer should update. */
  trainableVariables(): Map<string, tf.Variable> {
    const result = new Map<string, tf.Variable>();
    for (const entry of this.entries.values()) {
      if (!entry.isBuffer && !this.frozen.has(entry.name)) result.set(entry.name, entry.variable);
    }
    return result;
  }

  /** Registers a callback run by `dispose()` (modules free derived tensors, e.g. folded filters). */
  onDispose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const entry of this.entries.values()) entry.variable.dispose();
    this.entries.clear();
  }
}

/** A naming scope: the store plus the dotted prefix of the current module (`layer1.0`). */
export class Scope {
  /**
   * @param initialize when false, weights that would be drawn at random start at zero instead (skips
   *   the cost of sampling when a checkpoint is loaded right away); constant initialisers are unchanged.
   */
  constructor(
    readonly store: ParameterStore,
    readonly prefix: string,
    readonly seed: number,
    readonly initialize = true,
  ) {}

  /** The full torchvision name of a local parameter or child, e.g. `layer1.0` + `conv1` -> `layer1.0.conv1`. */
  name(local: string | number): string {
    return this.prefix === '' ? String(local) : `${this.prefix}.${local}`;
  }

  child(local: string | number): Scope {
    return new Scope(this.store, this.name(local), this.seed, this.initialize);
  }

  /** A per-parameter seed: stable for a (model seed, parameter name) pair. */
  seedFor(local: string): number {
    const text = `${this.seed}:${this.name(local)}`;
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 16777619);
    }
    return hash >>> 0;
  }
}
