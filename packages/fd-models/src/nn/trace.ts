/** Shape of one image's activation, NHWC without the batch axis: `[height, width, channels]`. */
export type ImageShape = readonly [number, number, number];

/** One row of a network summary. */
export interface LayerRecord {
  /** torchvision module name, e.g. `layer1.0.conv2`. */
  readonly name: string;
  /** Module type, e.g. `Conv2d(3x3, s2, p1)`, `BatchNorm2d`, `Linear`. */
  readonly type: string;
  readonly inputShape: ImageShape;
  readonly outputShape: ImageShape;
  /** Number of learnable parameters (BatchNorm running statistics excluded, as torch counts). */
  readonly parameters: number;
  /** Multiply-adds for one image (convolutions and linear layers; BN, activations and pooling count 0). */
  readonly multiplyAdds: number;
}

/** Collects layer records while a network walks its structure on shapes only (no tensors). */
export class ShapeTrace {
  readonly rows: LayerRecord[] = [];

  record(row: LayerRecord): ImageShape {
    this.rows.push(row);
    return row.outputShape;
  }
}
