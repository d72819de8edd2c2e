import { ArgumentError } from '@fdl/dct-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Nearest-neighbour upsampling of `[N, H, W, C]` to `[N, outH, outW, C]` with torch's index rule
 * (`F.interpolate(mode='nearest', size=...)`): source index `floor(dst * float32(in / out))`, clamped.
 * The FPN case (out = 2 * in or 2 * in - 1 on each axis, where the rule reduces to `dst >> 1`) is built
 * from reshape + tile + slice, whose gradients exist on every backend; other sizes use a gather.
 */
export function upsampleNearest(x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const [outHeight, outWidth] = size;
  if (!(outHeight >= 1 && outWidth >= 1 && Number.isInteger(outHeight) && Number.isInteger(outWidth))) {
    throw new ArgumentError('upsampleNearest', 'size', `must be positive integers, got [${size}]`);
  }
  const doubling = (input: number, output: number) => output === 2 * input || output === 2 * input - 1;
  return tf.tidy((): tf.Tensor4D => {
    if (doubling(height, outHeight) && doubling(width, outWidth)) {
      // columns then rows, each a rank <= 4 tile (tfjs implements tile gradients up to rank 4)
      const columns = tf.tile(tf.reshape(x, [batch * height, width, 1, channels]), [1, 1, 2, 1]);
      const rows = tf.tile(tf.reshape(columns, [batch * height, 1, 2 * width * channels]), [1, 2, 1]);
      const doubled = tf.reshape(rows, [batch, 2 * height, 2 * width, channels]) as tf.Tensor4D;
      return outHeight === 2 * height && outWidth === 2 * width
        ? doubled
        : tf.slice(doubled, [0, 0, 0, 0], [batch, outHeight, outWidth, channels]);
    }
    const rows = tf.tensor1d(nearestIndices(height, outHeight), 'int32');
    const columns = tf.tensor1d(nearestIndices(width, outWidth), 'int32');
    return tf.gather(tf.gather(x, rows, 1), columns, 2) as tf.Tensor4D;
  });
}

/** torch's nearest source indices for one axis. */
export function nearestIndices(input: number, output: number): Int32Array {
  const scale = Math.fround(input / output);
  return Int32Array.from({ length: output }, (_, i) =>
    Math.min(Math.floor(Math.fround(i * scale)), input - 1),
  );
}
