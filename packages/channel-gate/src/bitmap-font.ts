/**
 * A 3x5 pixel bitmap font with the characters the heat map writes: digits, '.', '-', and the component
 * names Y, Cb, Cr. Each glyph is five rows of three cells, '#' = ink.
 */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '###', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '..#', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '.': ['...', '...', '...', '...', '.#.'],
  '-': ['...', '...', '###', '...', '...'],
  Y: ['#.#', '#.#', '.#.', '.#.', '.#.'],
  C: ['.##', '#..', '#..', '#..', '.##'],
  b: ['#..', '#..', '##.', '#.#', '##.'],
  r: ['...', '...', '#.#', '##.', '#..'],
};

/** Glyph width and height in font pixels, and the advance between characters. */
export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
export const GLYPH_ADVANCE = 4;

/** Characters the font can draw. */
export const FONT_CHARACTERS = Object.freeze(Object.keys(GLYPHS));

/** Width in device pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : ((text.length - 1) * GLYPH_ADVANCE + GLYPH_WIDTH) * scale;
}

/**
 * Calls `plot(x, y)` for every ink pixel of `text` drawn with its top-left corner at (left, top),
 * each font pixel a `scale` x `scale` square. Unknown characters are drawn as blanks.
 */
export function rasterizeText(
  text: string,
  left: number,
  top: number,
  scale: number,
  plot: (x: number, y: number) => void,
): void {
  [...text].forEach((character, index) => {
    const glyph = GLYPHS[character];
    if (glyph === undefined) return;
    const originX = left + index * GLYPH_ADVANCE * scale;
    glyph.forEach((row, gy) => {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (row[gx] !== '#') continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) plot(originX + gx * scale + dx, top + gy * scale + dy);
        }
      }
    });
  });
}

/** Number of ink font pixels of `text` (for tests and layout checks). */
export function inkCount(text: string): number {
  let count = 0;
  for (const character of text) {
    for (const row of GLYPHS[character] ?? []) count += [...row].filter((cell) => cell === '#').length;
  }
  return count;
}
