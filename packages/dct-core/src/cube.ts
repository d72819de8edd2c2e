import { ArgumentError } from './errors.js';
import { FULL_CHANNEL_COUNT } from './layout.js';

/**
 * A DCT cube for one image: `data` is [height, width, channels] (row-major, channels last), where
 * height = H/8 and width = W/8 block rows/columns, and channel i holds global channel
 * `channelIndices[i]` of the 192 (component * 64 + u * 8 + v, see `channelIndex`), ascending.
 */
export interface DctCube {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
  channelIndices: Int32Array;
}

/** Throws unless `cube` is well formed (sizes, length, channel indices 0..191 ascending). */
export function validateDctCube(functionName: string, cube: DctCube, argumentName = 'cube'): void {
  if (
    cube === null ||
    typeof cube !== 'object' ||
    !(cube.data instanceof Float32Array) ||
    !(cube.channelIndices instanceof Int32Array)
  ) {
    throw new ArgumentError(
      functionName,
      argumentName,
      'must be a DctCube {data: Float32Array, height, width, channels, channelIndices: Int32Array}',
    );
  }
  const { height, width, channels } = cube;
  if (![height, width, channels].every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `must have integer sizes, got [${height}, ${width}, ${channels}]`,
    );
  }
  if (cube.data.length !== height * width * channels) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `data length ${cube.data.length} does not match [${height}, ${width}, ${channels}]`,
      {
        shape: [height, width, channels],
        length: cube.data.length,
      },
    );
  }
  if (cube.channelIndices.length !== channels) {
    throw new ArgumentError(
      functionName,
      argumentName,
      `has ${cube.channelIndices.length} channelIndices for ${channels} channels`,
    );
  }
  for (let i = 0; i < channels; i++) {
    const index = cube.channelIndices[i];
    if (index < 0 || index >= FULL_CHANNEL_COUNT || (i > 0 && index <= cube.channelIndices[i - 1])) {
      throw new ArgumentError(
        functionName,
        `${argumentName}.channelIndices`,
        `must be ascending channels 0..191, got ${index} at position ${i}`,
      );
    }
  }
}

/** Keeps only the listed global channels of a cube (each must be present). */
export function selectCubeChannels(cube: DctCube, indices: readonly number[]): DctCube {
  validateDctCube('selectCubeChannels', cube);
  const position = new Map<number, number>();
  cube.channelIndices.forEach((channel, i) => {
    position.set(channel, i);
  });
  const sorted = [...indices].sort((a, b) => a - b);
  const from = sorted.map((channel) => {
    const at = position.get(channel);
    if (at === undefined)
      throw new ArgumentError(
        'selectCubeChannels',
        'indices',
        `asks for channel ${channel}, which the cube does not hold`,
      );
    return at;
  });
  const cells = cube.height * cube.width;
  const out = new Float32Array(cells * sorted.length);
  for (let cell = 0; cell < cells; cell++) {
    for (let i = 0; i < from.length; i++)
      out[cell * sorted.length + i] = cube.data[cell * cube.channels + from[i]];
  }
  return {
    data: out,
    height: cube.height,
    width: cube.width,
    channels: sorted.length,
    channelIndices: Int32Array.from(sorted),
  };
}
