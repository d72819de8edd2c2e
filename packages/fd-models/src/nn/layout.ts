/**
 * The one place where torch (NCHW) parameter layouts meet tfjs (NHWC) layouts.
 *
 * Every parameter is stored in a tfjs variable in the layout tfjs kernels want, but it is named and
 * exported with torchvision's state_dict name and shape. The mapping per parameter kind:
 *
 * | kind        | torch shape                   | tfjs shape                    | tfjs op              |
 * |-------------|-------------------------------|-------------------------------|----------------------|
 * | `conv`      | `[out, in, kh, kw]`           | `[kh, kw, in, out]`           | `conv2d`             |
 * | `depthwise` | `[groups, in/groups, kh, kw]` | `[kh, kw, in, 1]`             | `depthwiseConv2d`(+sum) |
 * | `linear`    | `[out, in]`                   | `[in, out]`                   | `matMul`             |
 * | `pointwise` | `[out, in, 1, 1]`             | `[in, out]`                   | `matMul` (pooled)    |
 * | `vector`    | `[n]`                         | `[n]`                         | elementwise          |
 * | `reshape`   | any                           | same values, another shape    | (channel gate)       |
 *
 * `depthwise` covers both a true depthwise conv (`groups = in = out`, torch `[C, 1, kh, kw]`) and a
 * grouped conv with one output per group (torch `[G, in/G, kh, kw]`): flattening torch's first two axes
 * gives input channel `g * (in/G) + k`, which is exactly the channel order tfjs' depthwise filter uses.
 * Activations are NHWC everywhere; torch fixtures are transposed by the tests that read them.
 */

/** How a parameter's torch layout maps onto its tfjs layout. */
export type ParameterKind = 'conv' | 'depthwise' | 'linear' | 'pointwise' | 'vector' | 'reshape';

/** Permutes a dense row-major array: output axis `i` is input axis `permutation[i]`. */
export function permuteArray(
  data: Float32Array,
  shape: readonly number[],
  permutation: readonly number[],
): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outputShape = permutation.map((axis) => shape[axis]);
  const inputStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inputStrides[axis] = stride;
    stride *= shape[axis];
  }
  const output = new Float32Array(data.length);
  const strideForOutputAxis = permutation.map((axis) => inputStrides[axis]);
  const index = new Array<number>(rank).fill(0);
  let inputOffset = 0;
  for (let outputOffset = 0; outputOffset < data.length; outputOffset++) {
    output[outputOffset] = data[inputOffset];
    // Odometer increment over the output shape, tracking the matching input offset.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      inputOffset += strideForOutputAxis[axis];
      if (index[axis] < outputShape[axis]) break;
      inputOffset -= strideForOutputAxis[axis] * outputShape[axis];
      index[axis] = 0;
    }
  }
  return { data: output, shape: outputShape };
}

/** The tfjs shape of a parameter given its torch shape. */
export function tfShapeOf(kind: ParameterKind, torchShape: readonly number[]): number[] {
  switch (kind) {
    case 'conv':
      return [torchShape[2], torchShape[3], torchShape[1], torchShape[0]];
    case 'depthwise':
      return [torchShape[2], torchShape[3], torchShape[0] * torchShape[1], 1];
    case 'linear':
    case 'pointwise':
      return [torchShape[1], torchShape[0]];
    case 'vector':
    case 'reshape':
      return [...torchShape];
  }
}

/** Converts torch-layout values to tfjs layout (a fresh array; the input is not modified). */
export function torchToTf(
  kind: ParameterKind,
  torchShape: readonly number[],
  data: Float32Array,
): Float32Array {
  switch (kind) {
    case 'conv':
      return permuteArray(data, torchShape, [2, 3, 1, 0]).data;
    case 'depthwise': {
      const [groups, perGroup, kh, kw] = torchShape;
      return permuteArray(data, [groups * perGroup, kh, kw], [1, 2, 0]).data;
    }
    case 'linear':
    case 'pointwise':
      return permuteArray(data, torchShape.slice(0, 2), [1, 0]).data;
    case 'vector':
    case 'reshape':
      return data.slice();
  }
}

/** Converts tfjs-layout values back to torch layout, given the torch shape (inverse of `torchToTf`). */
export function tfToTorch(
  kind: ParameterKind,
  torchShape: readonly number[],
  data: Float32Array,
): Float32Array {
  switch (kind) {
    case 'conv':
      return permuteArray(data, tfShapeOf(kind, torchShape), [3, 2, 0, 1]).data;
    case 'depthwise': {
      const [groups, perGroup, kh, kw] = torchShape;
      return permuteArray(data, [kh, kw, groups * perGroup], [2, 0, 1]).data;
    }
    case 'linear':
    case 'pointwise':
      return permuteArray(data, tfShapeOf(kind, torchShape), [1, 0]).data;
    case 'vector':
    case 'reshape':
      return data.slice();
  }
}

/** Converts an NHWC activation array to NCHW (for comparing with torch outputs). */
export function nhwcToNchw(
  data: Float32Array,
  shape: readonly [number, number, number, number],
): Float32Array {
  return permuteArray(data, shape, [0, 3, 1, 2]).data;
}

/** Converts an NCHW array (torch activations) to NHWC. */
export function nchwToNhwc(
  data: Float32Array,
  shape: readonly [number, number, number, number],
): Float32Array {
  return permuteArray(data, shape, [0, 2, 3, 1]).data;
}
