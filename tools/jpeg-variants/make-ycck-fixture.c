/*
 * Writes fixtures/ycck-40x24.jpg: a small deterministic YCCK JPEG (Adobe APP14, transform 2), which
 * neither cjpeg nor Pillow can produce. Made once and committed; rebuild with
 *   cc -O2 -o /tmp/make-ycck-fixture make-ycck-fixture.c -ljpeg && /tmp/make-ycck-fixture fixtures/ycck-40x24.jpg
 */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s out.jpg\n", argv[0]); return 1; }
  enum { WIDTH = 40, HEIGHT = 24 };
  static unsigned char pixels[HEIGHT][WIDTH * 4];
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      pixels[y][x * 4 + 0] = (unsigned char)((x * 6) % 256);
      pixels[y][x * 4 + 1] = (unsigned char)((y * 10) % 256);
      pixels[y][x * 4 + 2] = (unsigned char)(((x + y) * 4) % 256);
      pixels[y][x * 4 + 3] = (unsigned char)(((x * y) * 3) % 256);
    }
  }
  FILE *out = fopen(argv[1], "wb");
  if (!out) { perror(argv[1]); return 1; }
  struct jpeg_compress_struct info;
  struct jpeg_error_mgr error;
  info.err = jpeg_std_error(&error);
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, out);
  info.image_width = WIDTH;
  info.image_height = HEIGHT;
  info.input_components = 4;
  info.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&info);
  jpeg_set_colorspace(&info, JCS_YCCK); /* writes Adobe APP14 with transform 2 */
  info.comp_info[1].h_samp_factor = 1; /* 4:2:0 chroma with full-resolution Y and K */
  info.comp_info[0].h_samp_factor = 2;
  info.comp_info[0].v_samp_factor = 2;
  info.comp_info[3].h_samp_factor = 2;
  info.comp_info[3].v_samp_factor = 2;
  jpeg_set_quality(&info, 90, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = pixels[info.next_scanline];
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  fclose(out);
  return 0;
}
