import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelName, createDemoImage, imageToDctCube, type RgbImage } from '@fdl/dct-core';
import { decodeJpeg } from '@fdl/dct-core/jpeg';
import jpeg from 'jpeg-js';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserPage } from './build.js';

/** Debian's Chromium; FDL_CHROMIUM_PATH points the test at another build. */
const CHROMIUM = process.env.FDL_CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** Where the test leaves its screenshots for a human to look at (gitignored). */
const SCREENSHOT_DIRECTORY = fileURLToPath(new URL('../dist/screenshots/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** A static file server for `root` on a free localhost port. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Mean squared coefficient per channel, computed here in Node, independently of the page's code. */
function nodeEnergies(image: RgbImage): { energy: number[]; shape: number[] } {
  const cube = imageToDctCube(image, { geometry: 'plain' });
  const energy = new Array<number>(192).fill(0);
  for (let i = 0; i < cube.data.length; i++) energy[i % 192] += cube.data[i] ** 2;
  const blocks = cube.height * cube.width;
  return { energy: energy.map((e) => e / blocks), shape: [cube.height, cube.width, cube.channels] };
}

function toRgba(image: RgbImage): Buffer {
  const rgba = Buffer.alloc(image.width * image.height * 4, 255);
  for (let i = 0; i < image.width * image.height; i++) rgba.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
  return rgba;
}

interface PageNumbers {
  imageSize: string;
  rgbBytes: string;
  cubeShape: string;
  componentEnergy: string;
  topChannels: string;
  result: { energy: number[]; cubeShape: number[]; topChannels: number[] };
}

async function analyse(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<PageNumbers> {
  await page.setInputFiles('#file-input', { name, mimeType, buffer });
  await page.waitForFunction(
    (file) => document.getElementById('status')?.textContent === `${file}: done.`,
    name,
  );
  const text = (id: string) => page.locator(`#${id}`).innerText();
  return {
    imageSize: await text('image-size'),
    rgbBytes: await text('rgb-bytes'),
    cubeShape: await text('cube-shape'),
    componentEnergy: await text('component-energy'),
    topChannels: await text('top-channels'),
    result: await page.evaluate(() => window.fdlResult as unknown as PageNumbers['result']),
  };
}

describe.skipIf(!hasChromium)(
  `browser page in Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is absent; install it with apt-get install -y chromium)`}`,
  () => {
    let browser: BrowserContext;
    let server: Server;
    let url: string;
    let page: Page;
    let workDirectory: string;

    beforeAll(async () => {
      workDirectory = mkdtempSync(join(tmpdir(), 'fdl-docs-browser-'));
      const site = join(workDirectory, 'site');
      await buildBrowserPage(site);
      ({ server, url } = await serve(site));
      // A new empty profile (playwright passes it to Chromium as --user-data-dir).
      browser = await chromium.launchPersistentContext(join(workDirectory, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1040, height: 1000 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = browser.pages()[0] ?? (await browser.newPage());
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      expect(await page.locator('#status').innerText()).toBe('No image yet.');
      expect(errors).toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      if (workDirectory !== undefined) rmSync(workDirectory, { recursive: true, force: true });
    });

    it('shows the energies, sizes and strongest channels that dct-core computes in Node for a PNG', async () => {
      // 100 x 60: not a multiple of 8, so the page and Node both edge-replicate to 13 x 8 blocks.
      const image = createDemoImage(100, 60);
      const png = new PNG({ width: image.width, height: image.height });
      toRgba(image).copy(png.data);
      const shown = await analyse(page, 'demo.png', 'image/png', PNG.sync.write(png));
      const expected = nodeEnergies(image);

      expect(shown.imageSize).toBe('100 x 60 pixels');
      expect(shown.rgbBytes).toBe('18,000 bytes');
      // 8 x 13 blocks x 192 channels x 4 bytes.
      expect(shown.cubeShape).toBe('8 x 13 x 192 = 79,872 bytes (4.437x RGB)');
      expect(shown.result.cubeShape).toEqual(expected.shape);
      for (let channel = 0; channel < 192; channel++) {
        expect(shown.result.energy[channel]).toBeCloseTo(
          expected.energy[channel],
          6 - Math.log10(expected.energy[channel] + 1),
        );
      }
      // The visible component totals, as printed (5 significant digits).
      const totals = [0, 1, 2].map((c) =>
        expected.energy.slice(c * 64, c * 64 + 64).reduce((a, b) => a + b, 0),
      );
      expect(shown.componentEnergy).toBe(totals.map((t) => t.toExponential(4)).join(' / '));
      const top = expected.energy
        .map((energy, channel) => ({ energy, channel }))
        .sort((a, b) => b.energy - a.energy)
        .slice(0, 5);
      expect(shown.topChannels).toBe(
        top
          .map(({ channel, energy }) => `${channel} ${channelName(channel)} ${energy.toExponential(4)}`)
          .join(', '),
      );
      mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, 'png.png'), fullPage: true });
    });

    it('decodes a JPEG with decodeJpeg in the page and matches Node on the same decoded pixels', async () => {
      const image = createDemoImage(64, 48);
      const bytes = Buffer.from(jpeg.encode({ data: toRgba(image), width: 64, height: 48 }, 90).data);
      const shown = await analyse(page, 'demo.jpg', 'image/jpeg', bytes);
      const decoded = decodeJpeg(new Uint8Array(bytes));
      const expected = nodeEnergies({ data: decoded.data, width: decoded.width, height: decoded.height });
      expect(shown.imageSize).toBe('64 x 48 pixels');
      expect(shown.cubeShape).toBe('6 x 8 x 192 = 36,864 bytes (4.000x RGB)');
      for (let channel = 0; channel < 192; channel++) {
        expect(shown.result.energy[channel]).toBeCloseTo(
          expected.energy[channel],
          6 - Math.log10(expected.energy[channel] + 1),
        );
      }
      const totals = [0, 1, 2].map((c) =>
        expected.energy.slice(c * 64, c * 64 + 64).reduce((a, b) => a + b, 0),
      );
      expect(shown.componentEnergy).toBe(totals.map((t) => t.toExponential(4)).join(' / '));
      mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, 'jpeg.png'), fullPage: true });
    });

    it('accepts a dropped file like a picked one', async () => {
      const image = createDemoImage(40, 24);
      const png = new PNG({ width: image.width, height: image.height });
      toRgba(image).copy(png.data);
      const bytes = [...PNG.sync.write(png)];
      // A real drop: a DataTransfer holding the file, dispatched on the drop zone.
      await page.evaluate((content) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(content)], 'dropped.png', { type: 'image/png' }));
        const zone = document.getElementById('drop-zone')!;
        zone.dispatchEvent(
          new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
        zone.dispatchEvent(
          new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }, bytes);
      await page.waitForFunction(
        () => document.getElementById('status')?.textContent === 'dropped.png: done.',
      );
      expect(await page.locator('#image-size').innerText()).toBe('40 x 24 pixels');
      const energy = await page.evaluate(() => window.fdlResult!.energy);
      const expected = nodeEnergies(image);
      for (let channel = 0; channel < 192; channel++) {
        expect(energy[channel]).toBeCloseTo(
          expected.energy[channel],
          6 - Math.log10(expected.energy[channel] + 1),
        );
      }
      expect(await page.locator('#drop-zone').getAttribute('class')).toBe('');
    });

    it('reports a broken file on the page instead of failing silently', async () => {
      const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a]);
      await page.setInputFiles('#file-input', { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: broken });
      await page.waitForFunction(() =>
        document.getElementById('status')?.textContent?.startsWith('broken.jpg: '),
      );
      const status = await page.locator('#status').innerText();
      expect(status).not.toBe('broken.jpg: done.');
      expect(status).toMatch(/^broken\.jpg: .*(JPEG|jpeg)/);
    });
  },
);
