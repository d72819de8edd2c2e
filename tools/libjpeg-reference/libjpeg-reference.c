/*
 * libjpeg-reference: the independent oracle for fdl's JPEG and DCT code, built against the system
 * libjpeg (libjpeg-turbo on Debian). Three modes:
 *
 *   read   <in.jpg> <out.fdlc>                       quantized coefficients via jpeg_read_coefficients
 *   encode <width> <height> <in.rgb> <out.fdlc> [quality] [444|420|422|440] [islow|ifast|float]
 *                                                    encode raw interleaved RGB in memory, read back
 *   decode <in.jpg> <out.raw>                        libjpeg's default pixel decode (islow IDCT, fancy
 *                                                    upsampling); writes u32 width, height, components,
 *                                                    then the interleaved samples
 *
 * The .fdlc format (little endian): "FDLC", u32 components, u32 image width, u32 image height,
 * u32 jpeg_color_space, u32 progressive, u32 adobe transform (0xffffffff if no APP14), then per component:
 * u32 id, u32 h, u32 v, u32 width_in_blocks, u32 height_in_blocks, u16 quant[64] (natural order),
 * int16 blocks[height_in_blocks][width_in_blocks][64] (natural order, as libjpeg stores a JBLOCK).
 * Errors print one line to stderr and exit 1.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

struct error_manager {
  struct jpeg_error_mgr base;
  jmp_buf jump;
};

static void on_error(j_common_ptr info) {
  struct error_manager *manager = (struct error_manager *)info->err;
  char message[JMSG_LENGTH_MAX];
  (*info->err->format_message)(info, message);
  fprintf(stderr, "libjpeg: %s\n", message);
  longjmp(manager->jump, 1);
}

static void put_u32(FILE *out, uint32_t value) { fwrite(&value, 4, 1, out); }

static unsigned char *read_file(const char *path, unsigned long *size) {
  FILE *file = fopen(path, "rb");
  if (!file) { fprintf(stderr, "cannot open %s\n", path); exit(1); }
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *data = malloc(length > 0 ? (size_t)length : 1);
  if (length > 0 && fread(data, 1, (size_t)length, file) != (size_t)length) { fprintf(stderr, "short read %s\n", path); exit(1); }
  fclose(file);
  *size = (unsigned long)length;
  return data;
}

/* Reads the coefficients of an in-memory JPEG and writes them as .fdlc. */
static int dump_coefficients(const unsigned char *data, unsigned long size, const char *out_path) {
  struct jpeg_decompress_struct info;
  struct error_manager error;
  info.err = jpeg_std_error(&error.base);
  error.base.error_exit = on_error;
  if (setjmp(error.jump)) { jpeg_destroy_decompress(&info); return 1; }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, size);
  jpeg_save_markers(&info, JPEG_APP0 + 14, 0xffff);
  jpeg_read_header(&info, TRUE);
  jvirt_barray_ptr *arrays = jpeg_read_coefficients(&info);
  FILE *out = fopen(out_path, "wb");
  if (!out) { fprintf(stderr, "cannot write %s\n", out_path); exit(1); }
  fwrite("FDLC", 1, 4, out);
  put_u32(out, (uint32_t)info.num_components);
  put_u32(out, info.image_width);
  put_u32(out, info.image_height);
  put_u32(out, (uint32_t)info.jpeg_color_space);
  put_u32(out, (uint32_t)info.progressive_mode);
  put_u32(out, info.saw_Adobe_marker ? (uint32_t)info.Adobe_transform : 0xffffffffu);
  for (int c = 0; c < info.num_components; c++) {
    jpeg_component_info *component = &info.comp_info[c];
    put_u32(out, (uint32_t)component->component_id);
    put_u32(out, (uint32_t)component->h_samp_factor);
    put_u32(out, (uint32_t)component->v_samp_factor);
    put_u32(out, component->width_in_blocks);
    put_u32(out, component->height_in_blocks);
    uint16_t quant[64];
    for (int k = 0; k < 64; k++) quant[k] = component->quant_table ? component->quant_table->quantval[k] : 0;
    fwrite(quant, 2, 64, out);
    for (JDIMENSION row = 0; row < component->height_in_blocks; row++) {
      JBLOCKARRAY blocks = (*info.mem->access_virt_barray)((j_common_ptr)&info, arrays[c], row, 1, FALSE);
      fwrite(blocks[0], sizeof(JCOEF), (size_t)64 * component->width_in_blocks, out);
    }
  }
  fclose(out);
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return 0;
}

static int mode_read(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: read <in.jpg> <out.fdlc>\n"); return 2; }
  unsigned long size;
  unsigned char *data = read_file(argv[2], &size);
  int status = dump_coefficients(data, size, argv[3]);
  free(data);
  return status;
}

static int mode_encode(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: encode <w> <h> <in.rgb> <out.fdlc> [quality] [444|420|422|440] [islow|ifast|float]\n"); return 2; }
  int width = atoi(argv[2]), height = atoi(argv[3]);
  int quality = argc > 6 ? atoi(argv[6]) : 100;
  const char *sampling = argc > 7 ? argv[7] : "420";
  const char *method = argc > 8 ? argv[8] : "islow";
  unsigned long size;
  unsigned char *rgb = read_file(argv[4], &size);
  if (size != (unsigned long)width * height * 3) { fprintf(stderr, "expected %d bytes, got %lu\n", width * height * 3, size); return 1; }
  struct jpeg_compress_struct info;
  struct error_manager error;
  info.err = jpeg_std_error(&error.base);
  error.base.error_exit = on_error;
  if (setjmp(error.jump)) { jpeg_destroy_compress(&info); return 1; }
  jpeg_create_compress(&info);
  unsigned char *jpeg = NULL;
  unsigned long jpeg_size = 0;
  jpeg_mem_dest(&info, &jpeg, &jpeg_size);
  info.image_width = (JDIMENSION)width;
  info.image_height = (JDIMENSION)height;
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  int h = 2, v = 2;
  if (strcmp(sampling, "444") == 0) { h = 1; v = 1; }
  else if (strcmp(sampling, "422") == 0) { h = 2; v = 1; }
  else if (strcmp(sampling, "440") == 0) { h = 1; v = 2; }
  info.comp_info[0].h_samp_factor = h;
  info.comp_info[0].v_samp_factor = v;
  info.dct_method = strcmp(method, "float") == 0 ? JDCT_FLOAT : strcmp(method, "ifast") == 0 ? JDCT_IFAST : JDCT_ISLOW;
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = rgb + (size_t)info.next_scanline * width * 3;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  int status = dump_coefficients(jpeg, jpeg_size, argv[5]);
  free(jpeg);
  free(rgb);
  return status;
}

static int mode_decode(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: decode <in.jpg> <out.raw>\n"); return 2; }
  unsigned long size;
  unsigned char *data = read_file(argv[2], &size);
  struct jpeg_decompress_struct info;
  struct error_manager error;
  info.err = jpeg_std_error(&error.base);
  error.base.error_exit = on_error;
  if (setjmp(error.jump)) { jpeg_destroy_decompress(&info); return 1; }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, size);
  jpeg_read_header(&info, TRUE);
  jpeg_start_decompress(&info);
  size_t stride = (size_t)info.output_width * info.output_components;
  FILE *out = fopen(argv[3], "wb");
  if (!out) { fprintf(stderr, "cannot write %s\n", argv[3]); exit(1); }
  put_u32(out, info.output_width);
  put_u32(out, info.output_height);
  put_u32(out, (uint32_t)info.output_components);
  unsigned char *row = malloc(stride);
  while (info.output_scanline < info.output_height) {
    jpeg_read_scanlines(&info, &row, 1);
    fwrite(row, 1, stride, out);
  }
  fclose(out);
  free(row);
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  free(data);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "read") == 0) return mode_read(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "encode") == 0) return mode_encode(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "decode") == 0) return mode_decode(argc, argv);
  fprintf(stderr, "usage: libjpeg-reference read|encode|decode ...\n");
  return 2;
}
