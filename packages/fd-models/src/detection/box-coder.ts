import { ArgumentError } from '@fdl/dct-core';
import { checkBoxes } from './errors.js';

/**
 * torchvision's `BoxCoder`: boxes <-> `(dx, dy, dw, dh)` regression codes relative to reference boxes,
 * with weights `(wx, wy, ww, wh)` and `dw, dh` clamped at `log(1000 / 16)` before `exp` when decoding.
 * float32 arithmetic per op, as torch.
 */
export interface BoxCoderOptions {
  readonly weights: readonly [number, number, number, number];
  readonly clip: number;
}

export const BBOX_XFORM_CLIP = Math.log(1000 / 16);
export const RPN_BOX_CODER_OPTIONS: BoxCoderOptions = Object.freeze({
  weights: Object.freeze([1, 1, 1, 1]) as readonly [number, number, number, number],
  clip: BBOX_XFORM_CLIP,
});
export const ROI_BOX_CODER_OPTIONS: BoxCoderOptions = Object.freeze({
  weights: Object.freeze([10, 10, 5, 5]) as readonly [number, number, number, number],
  clip: BBOX_XFORM_CLIP,
});

const f = Math.fround;

/**
 * Regression targets `[N, 4]` that turn `references` (`[N, 4]`, e.g. anchors or proposals) into `targets`
 * (`[N, 4]`, matched ground-truth boxes), as `BoxCoder.encode_single(targets, references)`.
 */
export function encodeBoxes(
  targets: Float32Array,
  references: Float32Array,
  options: BoxCoderOptions,
): Float32Array {
  const n = checkBoxes('encodeBoxes', 'targets', targets);
  if (checkBoxes('encodeBoxes', 'references', references) !== n) {
    throw new ArgumentError(
      'encodeBoxes',
      'references',
      `must have ${n} boxes like targets, got ${references.length / 4}`,
    );
  }
  const [wx, wy, ww, wh] = options.weights.map(f);
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    const exWidth = f(references[o + 2] - references[o]);
    const exHeight = f(references[o + 3] - references[o + 1]);
    const exX = f(references[o] + f(0.5 * exWidth));
    const exY = f(references[o + 1] + f(0.5 * exHeight));
    const gtWidth = f(targets[o + 2] - targets[o]);
    const gtHeight = f(targets[o + 3] - targets[o + 1]);
    const gtX = f(targets[o] + f(0.5 * gtWidth));
    const gtY = f(targets[o + 1] + f(0.5 * gtHeight));
    out[o] = f(f(wx * f(gtX - exX)) / exWidth);
    out[o + 1] = f(f(wy * f(gtY - exY)) / exHeight);
    out[o + 2] = f(ww * f(Math.log(f(gtWidth / exWidth))));
    out[o + 3] = f(wh * f(Math.log(f(gtHeight / exHeight))));
  }
  return out;
}

/**
 * Decodes `[N, K * 4]` codes against `[N, 4]` reference boxes into `[N, K * 4]` boxes (K = classes or 1),
 * as `BoxCoder.decode_single`.
 */
export function decodeBoxes(
  codes: Float32Array,
  references: Float32Array,
  options: BoxCoderOptions,
): Float32Array {
  const n = checkBoxes('decodeBoxes', 'references', references);
  if (n === 0) return new Float32Array(0);
  if (codes.length % (4 * n) !== 0) {
    throw new ArgumentError('decodeBoxes', 'codes', `must be [${n}, K * 4], got length ${codes.length}`);
  }
  const perBox = codes.length / n;
  const [wx, wy, ww, wh] = options.weights.map(f);
  const clip = f(options.clip);
  const out = new Float32Array(codes.length);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    const width = f(references[o + 2] - references[o]);
    const height = f(references[o + 3] - references[o + 1]);
    const centerX = f(references[o] + f(0.5 * width));
    const centerY = f(references[o + 1] + f(0.5 * height));
    for (let c = i * perBox; c < (i + 1) * perBox; c += 4) {
      const dx = f(codes[c] / wx);
      const dy = f(codes[c + 1] / wy);
      const dw = Math.min(f(codes[c + 2] / ww), clip);
      const dh = Math.min(f(codes[c + 3] / wh), clip);
      const predX = f(f(dx * width) + centerX);
      const predY = f(f(dy * height) + centerY);
      const halfW = f(0.5 * f(f(Math.exp(dw)) * width));
      const halfH = f(0.5 * f(f(Math.exp(dh)) * height));
      out[c] = f(predX - halfW);
      out[c + 1] = f(predY - halfH);
      out[c + 2] = f(predX + halfW);
      out[c + 3] = f(predY + halfH);
    }
  }
  return out;
}
