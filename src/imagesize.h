/*
 * imagesize.h - the pixel size of an image from its header bytes.
 *
 * Used to give every <img> a width and height, so the browser can reserve
 * the space before the image has loaded (no layout shift).  Only the few
 * bytes that hold the size are read; nothing is decoded.
 *
 * Formats (recognised by their content, not by the name):
 *   PNG    the IHDR chunk (an Apple "CgBI" chunk before it is skipped);
 *   JPEG   the markers are walked from SOI to the first start-of-frame
 *          marker SOF0..SOF15 (0xC0..0xCF except DHT 0xC4, JPG 0xC8 and
 *          DAC 0xCC); every other segment, including EXIF APP1, ICC APP2
 *          and XMP, is skipped by its length without being read.  The EXIF
 *          orientation is NOT applied: a photo stored landscape and tagged
 *          "rotate 90" reports its stored (landscape) size, which is what
 *          the image's intrinsic size is when browsers ignore the tag, but
 *          current browsers honour it (image-orientation: from-image), so
 *          for such photos width and height come out swapped.  Rotate the
 *          pixels when exporting photos (most tools do) to avoid that;
 *   GIF    the logical screen size;
 *   WebP   lossy ("VP8 "), lossless ("VP8L") and extended ("VP8X": the
 *          canvas size);
 *   SVG    the width and height attributes of the root <svg> element when
 *          they are plain numbers or px; when only one is, the other
 *          follows from the viewBox's aspect ratio; otherwise the
 *          viewBox's width and height.  Only the first 64 kB are looked
 *          at.  Compressed .svgz and non-UTF-8/ASCII encodings are not
 *          supported.
 * Sizes are rounded to whole pixels (SVG) and are always >= 1.
 *
 * Hostile or truncated input gives -1, never a read outside the data.
 * Thread-safe: no global state.
 */
#ifndef FORMIDL_IMAGESIZE_H
#define FORMIDL_IMAGESIZE_H

#include <stddef.h>

/* The most bytes of an SVG file that are examined. */
#define IMAGE_SVG_MAX 65536

/* Size of the image in the file at path.  Returns 0 and sets *width and
 * *height, or -1 (they are left alone) when the file cannot be read or is
 * not an image of a known format with a valid size. */
int image_size(const char *path, int *width, int *height);

/* The same for an image held in memory (data[0..len), which may be just
 * the start of the file; a JPEG whose start-of-frame lies beyond len gives
 * -1).  image_size uses the same parsers, fetching only what they ask for.
 * name_for_type is the file name or NULL.  PNG, JPEG, GIF and WebP are
 * recognised by their signatures whatever the name; data without one is
 * read as SVG only when name_for_type is NULL or ends in ".svg" (any case),
 * so a text file of another kind is never taken for an image. */
int image_size_mem(const unsigned char *data, size_t len,
                   const char *name_for_type, int *width, int *height);

#endif
