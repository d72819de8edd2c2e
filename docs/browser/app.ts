import { channelName, type DctCube, imageToDctCube, type RgbImage } from '@fdl/dct-core';
import { decodeJpeg } from '@fdl/dct-core/jpeg';
import { type ChannelEnergySummary, channelEnergy } from './channel-energy.js';
import { drawEnergyGrids } from './draw-energy.js';

/** What the page computed for the last image; the browser test reads it next to the visible text. */
export interface PageResult extends ChannelEnergySummary {
  width: number;
  height: number;
  cubeShape: [number, number, number];
  rgbBytes: number;
  cubeBytes: number;
  cube24Bytes: number;
  topChannels: number[];
}

declare global {
  interface Window {
    fdlResult?: PageResult;
  }
}

/** Numbers as the page prints them (the test parses these). */
export function formatEnergy(value: number): string {
  return value.toExponential(4);
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`fdl page: element #${id} is missing`);
  return found as T;
}

const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** JPEG through @fdl/dct-core/jpeg; PNG (or anything else the browser reads) through an ImageBitmap. */
async function decodeImage(file: Blob): Promise<RgbImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (JPEG_SIGNATURE.every((value, i) => bytes[i] === value)) {
    const pixels = decodeJpeg(bytes);
    return { data: pixels.data, width: pixels.width, height: pixels.height };
  }
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('fdl page: no 2d context to read the image');
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const data = new Uint8Array(bitmap.width * bitmap.height * 3);
  for (let i = 0; i < bitmap.width * bitmap.height; i++) {
    data[i * 3] = rgba[i * 4];
    data[i * 3 + 1] = rgba[i * 4 + 1];
    data[i * 3 + 2] = rgba[i * 4 + 2];
  }
  return { data, width: bitmap.width, height: bitmap.height };
}

function bytes(count: number): string {
  return `${count.toLocaleString('en-US')} bytes`;
}

function show(
  image: RgbImage,
  cube: DctCube,
  summary: ChannelEnergySummary,
  milliseconds: number,
): PageResult {
  const rgbBytes = image.width * image.height * 3;
  const cubeBytes = cube.data.length * 4;
  const cube24Bytes = cube.height * cube.width * 24 * 4;
  const topChannels = summary.energy
    .map((energy, channel) => ({ energy, channel }))
    .sort((a, b) => b.energy - a.energy || a.channel - b.channel)
    .slice(0, 5)
    .map((entry) => entry.channel);
  element('image-size').textContent = `${image.width} x ${image.height} pixels`;
  element('rgb-bytes').textContent = bytes(rgbBytes);
  element('cube-shape').textContent =
    `${cube.height} x ${cube.width} x ${cube.channels} = ${bytes(cubeBytes)} (${(cubeBytes / rgbBytes).toFixed(3)}x RGB)`;
  element('cube24-bytes').textContent =
    `${cube.height} x ${cube.width} x 24 = ${bytes(cube24Bytes)} (${(cube24Bytes / rgbBytes).toFixed(3)}x RGB)`;
  element('component-energy').textContent = summary.componentEnergy.map(formatEnergy).join(' / ');
  element('top-channels').textContent = topChannels
    .map((channel) => `${channel} ${channelName(channel)} ${formatEnergy(summary.energy[channel])}`)
    .join(', ');
  element('timing').textContent = `${milliseconds.toFixed(1)} ms (decode + DCT)`;
  element('summary').hidden = false;
  const canvas = element<HTMLCanvasElement>('energy-canvas');
  canvas.hidden = false;
  drawEnergyGrids(canvas, summary.energy);
  return {
    ...summary,
    width: image.width,
    height: image.height,
    cubeShape: [cube.height, cube.width, cube.channels],
    rgbBytes,
    cubeBytes,
    cube24Bytes,
    topChannels,
  };
}

async function analyse(file: File): Promise<void> {
  const status = element('status');
  status.textContent = `Reading ${file.name}...`;
  try {
    const start = performance.now();
    const image = await decodeImage(file);
    const cube = imageToDctCube(image, { geometry: 'plain' });
    const summary = channelEnergy(cube);
    const result = show(image, cube, summary, performance.now() - start);
    window.fdlResult = result;
    status.textContent = `${file.name}: done.`;
  } catch (error) {
    status.textContent = `${file.name}: ${(error as Error).message}`;
  }
}

const input = element<HTMLInputElement>('file-input');
input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (file !== undefined) void analyse(file);
});
const dropZone = element('drop-zone');
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (file !== undefined) void analyse(file);
});
