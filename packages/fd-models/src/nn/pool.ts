import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape, ShapeTrace } from './trace.js';

/**
 * torch `nn.MaxPool2d(kernel, stride, padding)`: padding acts as -infinity, so the input is padded with
 * -Infinity and pooled 'valid' (tf 'same' would pad bottom/right only).
 */
export function maxPool2d(x: tf.Tensor4D, kernelSize: number, stride: number, padding: number): tf.Tensor4D {
  return tf.tidy(() => {
    const padded =
      padding > 0
        ? tf.pad(
            x,
            [
              [0, 0],
              [padding, padding],
              [padding, padding],
              [0, 0],
            ],
            Number.NEGATIVE_INFINITY,
          )
        : x;
    return tf.maxPool(padded, kernelSize, stride, 'valid');
  });
}

export function traceMaxPool2d(
  name: string,
  input: ImageShape,
  kernelSize: number,
  stride: number,
  padding: number,
  trace: ShapeTrace,
): ImageShape {
  const size = (n: number) => Math.floor((n + 2 * padding - kernelSize) / stride) + 1;
  return trace.record({
    name,
    type: `MaxPool2d(${kernelSize}x${kernelSize}, s${stride}, p${padding})`,
    inputShape: input,
    outputShape: [size(input[0]), size(input[1]), input[2]],
    parameters: 0,
    multiplyAdds: 0,
  });
}

/** Global average pooling: [batch, H, W, C] -> [batch, C]. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}
