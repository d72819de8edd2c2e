"""Writes fixtures/cmyk-40x24.jpg: a small deterministic CMYK JPEG (Adobe APP14, transform 0).

cjpeg cannot write CMYK, so this fixture is made once with Pillow (Debian python3-pil) and committed;
tests derive progressive / restart variants from it with jpegtran. Run: /usr/bin/python3 make-cmyk-fixture.py
"""
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 40, 24
image = Image.new('CMYK', (WIDTH, HEIGHT))
pixels = image.load()
for y in range(HEIGHT):
    for x in range(WIDTH):
        pixels[x, y] = ((x * 6) % 256, (y * 10) % 256, ((x + y) * 4) % 256, ((x * y) * 3) % 256)
out = Path(__file__).parent / 'fixtures' / 'cmyk-40x24.jpg'
image.save(out, quality=90, subsampling=0)
print(out, out.stat().st_size, 'bytes')
