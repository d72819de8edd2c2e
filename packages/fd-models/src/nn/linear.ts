import * as tf from '@tensorflow/tfjs-core';
import { constantInit, fanIn, normalInit, uniformInit } from './init.js';
import type { Scope } from './parameter-store.js';
import type { ImageShape, ShapeTrace } from './trace.js';

/** Initialisation of a Linear layer: torch's default (uniform +-1/sqrt(fan_in)) or N(0, std), bias 0. */
export type LinearInit = { kind: 'torch-default' } | { kind: 'normal'; std: number };

/** torch `nn.Linear` with parameters `<name>.weight` ([out, in] in torch) and `<name>.bias`. */
export class Linear {
  readonly name: string;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    scope: Scope,
    readonly inFeatures: number,
    readonly outFeatures: number,
    init: LinearInit = { kind: 'torch-default' },
  ) {
    this.name = scope.prefix;
    const shape = [outFeatures, inFeatures];
    if (!scope.initialize) {
      this.weight = scope.store.add(scope.name('weight'), 'linear', shape, constantInit('linear', shape, 0));
      this.bias = scope.store.add(
        scope.name('bias'),
        'vector',
        [outFeatures],
        constantInit('vector', [outFeatures], 0),
      );
    } else if (init.kind === 'normal') {
      this.weight = scope.store.add(
        scope.name('weight'),
        'linear',
        shape,
        normalInit('linear', shape, init.std, scope.seedFor('weight')),
      );
      this.bias = scope.store.add(
        scope.name('bias'),
        'vector',
        [outFeatures],
        constantInit('vector', [outFeatures], 0),
      );
    } else {
      const bound = 1 / Math.sqrt(fanIn(shape));
      this.weight = scope.store.add(
        scope.name('weight'),
        'linear',
        shape,
        uniformInit('linear', shape, bound, scope.seedFor('weight')),
      );
      this.bias = scope.store.add(
        scope.name('bias'),
        'vector',
        [outFeatures],
        uniformInit('vector', [outFeatures], bound, scope.seedFor('bias')),
      );
    }
  }

  /** [batch, in] -> [batch, out]. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(x, this.weight as tf.Tensor2D), this.bias));
  }

  trace(input: ImageShape, trace: ShapeTrace): ImageShape {
    return trace.record({
      name: this.name,
      type: 'Linear',
      inputShape: input,
      outputShape: [1, 1, this.outFeatures],
      parameters: this.inFeatures * this.outFeatures + this.outFeatures,
      multiplyAdds: this.inFeatures * this.outFeatures,
    });
  }
}
