/**
 * @fdl/fd-models/detection: Mask R-CNN with a ResNet-50-FPN backbone for RGB images and DCT cubes,
 * split into torchvision 0.14's parts (each usable and tested alone). See DETECTION.md.
 */
export {
  type AnchorGeneratorOptions,
  anchorsPerLocation,
  cellAnchors,
  DEFAULT_ANCHOR_GENERATOR_OPTIONS,
  generateAnchors,
} from './anchors.js';
export {
  BBOX_XFORM_CLIP,
  type BoxCoderOptions,
  decodeBoxes,
  encodeBoxes,
  ROI_BOX_CODER_OPTIONS,
  RPN_BOX_CODER_OPTIONS,
} from './box-coder.js';
export { FastRcnnPredictor, TwoMlpHead } from './box-head.js';
export {
  type Boxes,
  boxArea,
  boxIou,
  clipBoxesToImage,
  gatherRows,
  removeSmallBoxes,
  resizeBoxes,
} from './boxes.js';
export { ConvTranspose2d } from './conv-transpose.js';
export { DetectionError } from './errors.js';
export { DEFAULT_FEATURE_PYRAMID_OPTIONS, FeaturePyramid, type FeaturePyramidOptions } from './fpn.js';
export { binaryCrossEntropyWithLogits, crossEntropy, smoothL1 } from './losses.js';
export { MaskHead, MaskPredictor } from './mask-head.js';
export {
  createMaskRcnn,
  type Detections,
  type DetectOptions,
  type LossOptions,
  MASK_RCNN_DEFAULTS,
  MaskRcnn,
  type MaskRcnnBackbone,
  type MaskRcnnLosses,
  type MaskRcnnOptions,
} from './mask-rcnn.js';
export {
  BELOW_LOW_THRESHOLD,
  BETWEEN_THRESHOLDS,
  type MatcherOptions,
  matchPredictions,
  ROI_MATCHER_OPTIONS,
  RPN_MATCHER_OPTIONS,
} from './matcher.js';
export {
  BOX_ROI_POOL_OPTIONS,
  inferScale,
  MASK_ROI_POOL_OPTIONS,
  type MultiScaleRoiAlignOptions,
  mapBoxesToLevels,
  multiScaleRoiAlign,
} from './multiscale-roi-align.js';
export { batchedNms, nms, sortByScoreDescending } from './nms.js';
export { DEFAULT_PASTE_MASKS_OPTIONS, type PasteMasksOptions, pasteMasksInImage } from './paste-masks.js';
export { createRandomSource, type RandomSource, randomSubset } from './random.js';
export {
  DEFAULT_ROI_ALIGN_OPTIONS,
  type FeatureShape,
  type RoiAlignOptions,
  roiAlign,
  roiAlignBackward,
  roiAlignForward,
  roiAlignLevels,
} from './roi-align.js';
export {
  DEFAULT_ROI_HEADS_OPTIONS,
  type DetectionTarget,
  fastRcnnLoss,
  maskRcnnLoss,
  postprocessDetections,
  projectMasksOnBoxes,
  type RoiDetections,
  RoiHeads,
  type RoiHeadsLosses,
  type RoiHeadsOptions,
  type RoiHeadsTrainingInput,
  type RoiTrainingSamples,
  selectTrainingSamples,
} from './roi-heads.js';
export {
  type AnchorTargets,
  anchorTargets,
  DEFAULT_RPN_OPTIONS,
  type ImageProposals,
  RegionProposalNetwork,
  type RpnLosses,
  type RpnOptions,
  type RpnOutput,
  type RpnTrainingInput,
  rpnLoss,
  selectProposals,
} from './rpn.js';
export { RpnHead, type RpnHeadOutput } from './rpn-head.js';
export {
  maskToIndices,
  ROI_SAMPLER_OPTIONS,
  RPN_SAMPLER_OPTIONS,
  type SampledIndices,
  type SamplerOptions,
  sampleBalanced,
} from './sampler.js';
export {
  DEFAULT_DETECTION_TRANSFORM_OPTIONS,
  type DetectionTransformOptions,
  paddedBatchSize,
  resizedImageSize,
  resizeTarget,
  type TransformedBatch,
  transformImages,
} from './transform.js';
export { nearestIndices, upsampleNearest } from './upsample.js';
