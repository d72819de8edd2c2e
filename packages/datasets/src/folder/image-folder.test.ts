import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DATA_MISSING, sharedDataPath, skipNote } from '@fdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { loadClassIndex, saveClassIndex } from './class-index.js';
import { openImageFolder } from './image-folder.js';
import { openImageNetValidation } from './imagenet-validation.js';

const scratch = mkdtempSync(join(tmpdir(), 'fdl-image-folder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function makeTree(name: string, files: string[]): string {
  const root = join(scratch, name);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    if (!file.endsWith('/')) writeFileSync(join(root, file), 'x');
  }
  return root;
}

describe('openImageFolder', () => {
  it('sorts classes, filters extensions case-insensitively and walks nested folders in torchvision order', () => {
    const root = makeTree('basic', [
      'train/b/2.JPG',
      'train/b/1.png',
      'train/b/notes.txt',
      'train/b/sub/0.jpeg',
      'train/a/z.webp',
      'train/a/anim.gif',
      'train/B/x.jpg',
    ]);
    const dataset = openImageFolder(root, { split: 'train' });
    expect(dataset.classes).toEqual(['B', 'a', 'b']);
    expect(dataset.samples.map((s) => [s.path.slice(root.length + 7), s.label])).toEqual([
      ['B/x.jpg', 0],
      ['a/z.webp', 1],
      ['b/1.png', 2],
      ['b/2.JPG', 2],
      ['b/sub/0.jpeg', 2],
    ]);
    expect(dataset.skipped).toEqual([]);
  });

  it('accepts custom extensions', () => {
    const root = makeTree('custom', ['c/a.gif', 'c/b.jpg']);
    expect(openImageFolder(root, { extensions: ['.GIF'] }).samples.map((s) => s.path)).toEqual([
      join(root, 'c/a.gif'),
    ]);
  });

  it('throws clear errors for a missing root, no classes and an empty class; skip lists the empty class', () => {
    expect(() => openImageFolder(join(scratch, 'nope'))).toThrow(
      /openImageFolder: folder does not exist \(missing: .*nope\)/,
    );
    const flat = makeTree('flat', ['a.jpg']);
    expect(() => openImageFolder(flat)).toThrow(/no class sub-folder found \(empty: /);
    const empty = makeTree('empty-class', ['a/1.jpg', 'b/readme.txt']);
    try {
      openImageFolder(empty);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).path).toBe(join(empty, 'b'));
      expect((error as DatasetError).message).toMatch(/class 'b' has no file ending in \.jpg/);
    }
    const tolerant = openImageFolder(empty, { onError: 'skip' });
    expect(tolerant.classes).toEqual(['a', 'b']);
    expect(tolerant.samples).toHaveLength(1);
    expect(tolerant.skipped.map((s) => [s.path, s.reason])).toEqual([[join(empty, 'b'), 'empty']]);
    expect(tolerant.skipped[0]!.message).toMatch(/class 'b' has no file ending in/);
  });
});

describe('class index files', () => {
  it('round-trips and rejects malformed files', () => {
    const path = join(scratch, 'classes.json');
    saveClassIndex(path, ['ants', 'bees']);
    expect(loadClassIndex(path)).toEqual(['ants', 'bees']);
    writeFileSync(path, '{"classes": [1]}');
    expect(() => loadClassIndex(path)).toThrow(/loadClassIndex: expected \{format/);
    writeFileSync(path, '{not json');
    expect(() => loadClassIndex(path)).toThrow(/loadClassIndex: not JSON/);
    expect(() => loadClassIndex(join(scratch, 'none.json'))).toThrow(/missing: /);
  });
});

describe('openImageNetValidation', () => {
  const folder = makeTree('val-flat', [
    'val/ILSVRC2012_val_00000002.JPEG',
    'val/ILSVRC2012_val_00000001.JPEG',
  ]);
  const classes = ['n01', 'n02', 'n03'];

  it('reads the devkit ground truth with a synset list', () => {
    writeFileSync(join(folder, 'gt.txt'), '3\n1\n');
    writeFileSync(join(folder, 'synsets.txt'), 'n03 third\nn02 second\nn01 first\n');
    const dataset = openImageNetValidation(join(folder, 'val'), {
      groundTruth: join(folder, 'gt.txt'),
      synsets: join(folder, 'synsets.txt'),
      classes,
    });
    // ID 3 -> n01 (label 0) for image 1, ID 1 -> n03 (label 2) for image 2.
    expect(dataset.samples.map((s) => [s.path.slice(-28), s.label])).toEqual([
      ['ILSVRC2012_val_00000001.JPEG', 0],
      ['ILSVRC2012_val_00000002.JPEG', 2],
    ]);
  });

  it('reads the Kaggle solution CSV', () => {
    writeFileSync(
      join(folder, 'solution.csv'),
      'ImageId,PredictionString\nILSVRC2012_val_00000002,n02 1 2 3 4\nILSVRC2012_val_00000001,n03 1 2 3 4 n03 5 6 7 8\n',
    );
    const dataset = openImageNetValidation(join(folder, 'val'), {
      groundTruth: join(folder, 'solution.csv'),
      classes,
    });
    expect(dataset.samples.map((s) => s.label)).toEqual([2, 1]);
  });

  it('rejects count mismatches, unknown synsets and missing labels before any decoding', () => {
    writeFileSync(join(folder, 'short.txt'), '1\n');
    expect(() =>
      openImageNetValidation(join(folder, 'val'), {
        groundTruth: join(folder, 'short.txt'),
        synsets: join(folder, 'synsets.txt'),
        classes,
      }),
    ).toThrow(/1 labels for 2 images/);
    writeFileSync(join(folder, 'bad.csv'), 'ImageId,PredictionString\nILSVRC2012_val_00000001,n09 1 2 3 4\n');
    expect(() =>
      openImageNetValidation(join(folder, 'val'), { groundTruth: join(folder, 'bad.csv'), classes }),
    ).toThrow(/has synset n09, which is not among the 3 classes/);
    writeFileSync(
      join(folder, 'partial.csv'),
      'ImageId,PredictionString\nILSVRC2012_val_00000001,n01 1 2 3 4\n',
    );
    expect(() =>
      openImageNetValidation(join(folder, 'val'), { groundTruth: join(folder, 'partial.csv'), classes }),
    ).toThrow(/no label for image ILSVRC2012_val_00000002\.JPEG/);
    expect(() =>
      openImageNetValidation(join(folder, 'val'), { groundTruth: join(folder, 'gt.txt'), classes }),
    ).toThrow(/needs options\.synsets/);
  });
});

const hymenoptera = sharedDataPath('hymenoptera');
describe.skipIf(!hymenoptera)(
  `openImageFolder on hymenoptera${skipNote(!hymenoptera, SHARED_DATA_MISSING)}`,
  () => {
    it('finds 244 train and 153 val images like torchvision (the .gif is skipped by extension)', () => {
      const train = openImageFolder(hymenoptera!, { split: 'train' });
      const val = openImageFolder(hymenoptera!, { split: 'val' });
      expect(train.classes).toEqual(['ants', 'bees']);
      expect(train.samples).toHaveLength(244);
      expect(val.samples).toHaveLength(153);
      expect(train.samples.filter((s) => s.label === 0)).toHaveLength(123);
      expect(train.samples.some((s) => s.path.endsWith('formica.jpeg'))).toBe(true);
      expect(train.samples.some((s) => s.path.endsWith('.gif'))).toBe(false);
    });
  },
);
