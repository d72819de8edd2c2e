/**
 * @fdl/datasets: ImageNet-folder and COCO loaders, decoders, seeded transforms and the worker-thread
 * data loader that turns image files into batches of DCT cubes (or RGB tensors).
 */

export {
  type CocoAnnotation,
  type CocoCategory,
  type CocoDataset,
  type CocoDatasetOptions,
  type CocoImage,
  type CocoSample,
  DEFAULT_COCO_DATASET_OPTIONS,
  loadCocoDataset,
} from './coco/coco-dataset.js';
export {
  type CocoAreaRange,
  type CocoDetection,
  type CocoEvaluation,
  type CocoEvaluationOptions,
  type CocoGroundTruth,
  type CocoIouType,
  DEFAULT_COCO_EVALUATION_OPTIONS,
  evaluateCoco,
} from './coco/coco-evaluation.js';
export { boxIou, type CocoBox, maskIou, rleIntersection } from './coco/coco-iou.js';
export { COCO_STAT_NAMES, formatCocoSummary, numpySum, summarizeCoco } from './coco/coco-summary.js';
export { polygonToCounts } from './coco/polygon.js';
export {
  type CompressedRle,
  countsToMask,
  decodeRleString,
  encodeRleString,
  maskToCounts,
  mergeCounts,
  rleArea,
  rleToBbox,
  type UncompressedRle,
} from './coco/rle.js';
export { type CocoSegmentation, decodeMask, encodeRle, segmentationToCounts } from './coco/segmentation.js';
export { applyExifOrientation } from './decode/apply-orientation.js';
export { cmykToRgb } from './decode/cmyk.js';
export {
  createDecoderSet,
  DEFAULT_DECODE_IMAGE_OPTIONS,
  type DecodeImageOptions,
  type DecoderSet,
  decodeImage,
} from './decode/decode-image.js';
export { readExifOrientation } from './decode/exif-orientation.js';
export { FdlJpegDecoder } from './decode/fdl-decoder.js';
export {
  DECODER_NAMES,
  type DecoderName,
  type ImageDecoder,
  type OrientationPolicy,
} from './decode/image-decoder.js';
export { type ImageFormat, sniffImageFormat } from './decode/image-format.js';
export { JpegJsDecoder } from './decode/jpeg-js-decoder.js';
export { decodeGrayPngSync, PngDecoder } from './decode/png-decoder.js';
export { loadSharp, SharpDecoder } from './decode/sharp-decoder.js';
export { DatasetError, type DatasetErrorReason } from './errors.js';
export { type ClassIndexFile, loadClassIndex, saveClassIndex } from './folder/class-index.js';
export {
  type ClassificationDataset,
  type ClassificationSample,
  type DatasetSkip,
  DEFAULT_IMAGE_FOLDER_OPTIONS,
  type ErrorPolicy,
  IMAGE_FOLDER_EXTENSIONS,
  type ImageFolderOptions,
  openImageFolder,
} from './folder/image-folder.js';
export { type ImageNetValidationOptions, openImageNetValidation } from './folder/imagenet-validation.js';
export type { RgbImage } from './image.js';
export {
  type ClassificationBatch,
  DataLoader,
  type DataLoaderOptions,
  type DataLoaderProgress,
  type DataLoaderReport,
  DEFAULT_DATA_LOADER_OPTIONS,
  type DetectionBatch,
  type SkippedSample,
} from './loader/data-loader.js';
export { WorkerPool, WorkerPoolError } from './loader/worker-pool.js';
export {
  type ClassificationPipeline,
  type ClassificationPipelineOptions,
  createClassificationPipeline,
  IMAGENET_RGB_MEAN,
  IMAGENET_RGB_STD,
  transformClassificationImage,
} from './pipeline/classification-pipeline.js';
export {
  createDetectionPipeline,
  type DetectionPipeline,
  type DetectionPipelineOptions,
  type DetectionTarget,
  transformDetectionSample,
} from './pipeline/detection-pipeline.js';
export {
  createSampleProcessor,
  type SampleOutcome,
  type SamplePipeline,
  type SampleProcessor,
  type SampleProcessorContext,
  type SampleTask,
} from './pipeline/sample-processor.js';
export { deriveEpochSeed, deriveSampleSeed, Random } from './random.js';
export {
  computeDatasetStatistics,
  computeDetectionStatistics,
  type DatasetStatistics,
  type DatasetStatisticsOptions,
  type DetectionStatisticsOptions,
} from './statistics.js';
export {
  DEFAULT_KEEP_RATIO_RESIZE_OPTIONS,
  flipBoxesHorizontal,
  flipMasksHorizontal,
  type KeepRatioResizeOptions,
  keepRatioSize,
  padMasks,
  padToMultiple,
  resizeBoxes,
  resizeMasksNearest,
} from './transforms/detection-geometry.js';
export {
  type CropRegion,
  DEFAULT_RANDOM_RESIZED_CROP_OPTIONS,
  type RandomResizedCropOptions,
  randomResizedCropRegion,
  roundHalfToEven,
} from './transforms/random-resized-crop.js';
