/*
 * test_imagesize.c - tests for src/imagesize.c.
 *
 * Every image is written out here byte for byte: just the header bytes
 * the parser needs, plus a little.  Each one is also checked at every
 * truncated length (copied into a buffer of exactly that size, so ASan
 * sees any read past it) and mutated at random.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "imagesize.h"
#include "test.h"

/* ---- samples ---- */

/* PNG, 300 x 200: signature, IHDR (length 13, 8-bit RGBA), CRC. */
static const unsigned char png_300x200[] = {
    0x89, 'P',  'N',  'G',  0x0D, 0x0A, 0x1A, 0x0A,
    0x00, 0x00, 0x00, 0x0D, 'I',  'H',  'D',  'R',
    0x00, 0x00, 0x01, 0x2C, 0x00, 0x00, 0x00, 0xC8,
    0x08, 0x06, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78,
};

/* Apple CgBI PNG: a 4-byte CgBI chunk before IHDR, 57 x 57. */
static const unsigned char png_cgbi[] = {
    0x89, 'P',  'N',  'G',  0x0D, 0x0A, 0x1A, 0x0A,
    0x00, 0x00, 0x00, 0x04, 'C',  'g',  'B',  'I',
    0x50, 0x00, 0x20, 0x06, 0x2C, 0xB8, 0x77, 0x66,
    0x00, 0x00, 0x00, 0x0D, 'I',  'H',  'D',  'R',
    0x00, 0x00, 0x00, 0x39, 0x00, 0x00, 0x00, 0x39,
    0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* JPEG, 640 x 480, progressive (SOF2), after APP0 (JFIF), an EXIF APP1
 * that says "rotate 90" (orientation 6: not applied), DQT, DAC (0xCC, not
 * a frame header), DHT (0xC4, neither) and two fill bytes. */
static const unsigned char jpeg_640x480[] = {
    0xFF, 0xD8,
    0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00,
    0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    /* APP1: "Exif\0\0", TIFF big-endian header, IFD with 1 entry:
     * tag 0x0112 (Orientation), SHORT, count 1, value 6 */
    0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0x00, 0x00,
    'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02,
    0xFF, 0xCC, 0x00, 0x04, 0x00, 0x00,
    0xFF, 0xC4, 0x00, 0x06, 0x00, 0x00, 0xFF, 0xC0,
    0xFF, 0xFF,
    0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,
};

/* Baseline JPEG (SOF0), 1 x 65535, restart marker before the frame. */
static const unsigned char jpeg_sof0[] = {
    0xFF, 0xD8, 0xFF, 0xD0,
    0xFF, 0xC0, 0x00, 0x0B, 0x08, 0xFF, 0xFF, 0x00, 0x01, 0x01,
    0x01, 0x11, 0x00,
};

static const unsigned char gif_300x200[] = {
    'G', 'I', 'F', '8', '9', 'a', 0x2C, 0x01, 0xC8, 0x00,
    0xF0, 0x00, 0x00,
};

static const unsigned char gif87_1x1[] = {
    'G', 'I', 'F', '8', '7', 'a', 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
};

/* WebP lossy, 320 x 240; the width has the upscale bits set (ignored). */
static const unsigned char webp_vp8[] = {
    'R', 'I', 'F', 'F', 0x24, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
    'V', 'P', '8', ' ', 0x18, 0x00, 0x00, 0x00,
    0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x41, 0xF0, 0x00,
    0x00, 0x00,
};

/* WebP lossless, 400 x 300 with alpha: 0x2F, then
 * 399 | 299 << 14 | 1 << 28 = 0x104AC18F little-endian. */
static const unsigned char webp_vp8l[] = {
    'R', 'I', 'F', 'F', 0x1A, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'L', 0x0D, 0x00, 0x00, 0x00,
    0x2F, 0x8F, 0xC1, 0x4A, 0x10, 0x00, 0x00, 0x00,
};

/* WebP extended, canvas 1024 x 768 (24-bit width - 1, height - 1). */
static const unsigned char webp_vp8x[] = {
    'R', 'I', 'F', 'F', 0x2E, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'X', 0x0A, 0x00, 0x00, 0x00,
    0x10, 0x00, 0x00, 0x00, 0xFF, 0x03, 0x00, 0xFF, 0x02, 0x00,
    'A', 'L', 'P', 'H',
};

static const char svg_plain[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" "
    "height=\"80px\" viewBox=\"0 0 12 8\"><rect/></svg>\n";

typedef struct sample {
    const char *name;
    const unsigned char *data;
    size_t len;
    int w, h;
    size_t min;     /* shortest prefix that still gives the size; 0: up
                     * to the end of the first tag (SVG) */
} sample;

#define BIN(a, w, h, min) {#a, a, sizeof a, w, h, min}
#define TXT(s, w, h) {#s, (const unsigned char *)s, sizeof s - 1, w, h, 0}

static const sample samples[] = {
    BIN(png_300x200, 300, 200, 24),
    BIN(png_cgbi, 57, 57, 40),
    BIN(jpeg_640x480, 640, 480, 88),
    BIN(jpeg_sof0, 1, 65535, 13),
    BIN(gif_300x200, 300, 200, 10),
    BIN(gif87_1x1, 1, 1, 10),
    BIN(webp_vp8, 320, 240, 30),
    BIN(webp_vp8l, 400, 300, 25),
    BIN(webp_vp8x, 1024, 768, 30),
    TXT(svg_plain, 120, 80),
};

/* image_size_mem on an exact-size heap copy of data[0..n). */
static int size_of(const unsigned char *data, size_t n, const char *name,
                   int *w, int *h)
{
    unsigned char *copy = malloc(n ? n : 1);
    memcpy(copy, data, n);
    *w = *h = -7;
    int r = image_size_mem(copy, n, name, w, h);
    free(copy);
    return r;
}

static int svg_size(const char *text, const char *name, int *w, int *h)
{
    return size_of((const unsigned char *)text, strlen(text), name, w, h);
}

#define CHECK_SIZE(expr, w_, h_, W, H)                                   \
    do {                                                                 \
        CHECK_INT((expr), 0);                                            \
        CHECK_INT(w_, W);                                                \
        CHECK_INT(h_, H);                                                \
    } while (0)

/* ---- the formats ---- */

TEST(test_samples)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const sample *s = &samples[i];
        int w, h;
        int r = size_of(s->data, s->len, "x", &w, &h);
        if (s->name[0] == 's')      /* SVG needs a name or none */
            r = size_of(s->data, s->len, NULL, &w, &h);
        if (r != 0 || w != s->w || h != s->h)
            printf("  %s: got %d, %d x %d\n", s->name, r, w, h);
        CHECK_SIZE(r, w, h, s->w, s->h);
    }
}

/* Every prefix: -1 (and the outputs untouched) when too short for the
 * header, the full size from the shortest complete header on. */
TEST(test_truncated)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const sample *s = &samples[i];
        size_t min = s->min;
        if (!min)
            min = (size_t)((const unsigned char *)memchr(s->data, '>', s->len) -
                           s->data) + 1;
        for (size_t n = 0; n < s->len; n++) {
            int w, h;
            int r = size_of(s->data, n, NULL, &w, &h);
            if (n < min) {
                if (r != -1 || w != -7 || h != -7)
                    printf("  %s[0..%zu): got %d\n", s->name, n, r);
                CHECK_INT(r, -1);
                CHECK_INT(w, -7);
            } else {
                if (r != 0)
                    printf("  %s[0..%zu): got %d\n", s->name, n, r);
                CHECK_SIZE(r, w, h, s->w, s->h);
            }
        }
    }
}

TEST(test_png_corrupt)
{
    unsigned char b[sizeof png_300x200];
    int w, h;
    memcpy(b, png_300x200, sizeof b);
    b[11] = 0x0C;                                   /* IHDR length 12 */
    CHECK_INT(size_of(b, sizeof b, NULL, &w, &h), -1);
    memcpy(b, png_300x200, sizeof b);
    b[12] = 'i';                                    /* not IHDR first */
    CHECK_INT(size_of(b, sizeof b, NULL, &w, &h), -1);
    memcpy(b, png_300x200, sizeof b);
    memset(b + 16, 0, 4);                           /* width 0 */
    CHECK_INT(size_of(b, sizeof b, NULL, &w, &h), -1);
    memcpy(b, png_300x200, sizeof b);
    b[20] = 0x80;                                   /* height >= 2^31 */
    CHECK_INT(size_of(b, sizeof b, NULL, &w, &h), -1);
    memcpy(b, png_300x200, sizeof b);
    b[20] = 0x7F;
    b[21] = b[22] = b[23] = 0xFF;                   /* height 2^31 - 1 */
    CHECK_SIZE(size_of(b, sizeof b, NULL, &w, &h), w, h, 300, 0x7FFFFFFF);
    memcpy(b, png_300x200, sizeof b);
    b[1] = 'p';                                     /* no signature */
    CHECK_INT(size_of(b, sizeof b, "x.png", &w, &h), -1);
    /* a CgBI chunk that claims to be huge */
    unsigned char c[sizeof png_cgbi];
    memcpy(c, png_cgbi, sizeof c);
    c[8] = 0x7F;
    CHECK_INT(size_of(c, sizeof c, NULL, &w, &h), -1);
}

TEST(test_jpeg_corrupt)
{
    static const unsigned char sos_first[] = {
        0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F,
        0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01,
    };
    static const unsigned char eoi[] = {0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xC0};
    static const unsigned char no_ff[] = {
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0x12, 0xC0, 0x00,
        0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01,
    };
    static const unsigned char len_1[] = {
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0, 0x00, 0x0B, 0x08,
        0x00, 0x10, 0x00, 0x10, 0x01,
    };
    static const unsigned char dnl_height[] = {   /* height 0 (DNL) */
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x00, 0x00, 0x10,
        0x01, 0x01, 0x11, 0x00,
    };
    static const unsigned char short_sof[] = {    /* SOF length 7 */
        0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x07, 0x08, 0x00, 0x10, 0x00, 0x10,
        0x01,
    };
    static const unsigned char stuffed[] = {      /* FF 00 as a marker */
        0xFF, 0xD8, 0xFF, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10,
        0x00, 0x10, 0x01,
    };
    static const unsigned char two_soi[] = {
        0xFF, 0xD8, 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10,
        0x00, 0x10, 0x01,
    };
    int w, h;
    CHECK_INT(size_of(sos_first, sizeof sos_first, NULL, &w, &h), -1);
    CHECK_INT(size_of(eoi, sizeof eoi, NULL, &w, &h), -1);
    CHECK_INT(size_of(no_ff, sizeof no_ff, NULL, &w, &h), -1);
    CHECK_INT(size_of(len_1, sizeof len_1, NULL, &w, &h), -1);
    CHECK_INT(size_of(dnl_height, sizeof dnl_height, NULL, &w, &h), -1);
    CHECK_INT(size_of(short_sof, sizeof short_sof, NULL, &w, &h), -1);
    CHECK_INT(size_of(stuffed, sizeof stuffed, NULL, &w, &h), -1);
    CHECK_INT(size_of(two_soi, sizeof two_soi, NULL, &w, &h), -1);

    /* Thousands of empty segments: given up on, quickly. */
    size_t n = 2 + 4 * 5000 + 11;
    unsigned char *many = malloc(n);
    many[0] = 0xFF;
    many[1] = 0xD8;
    for (size_t i = 0; i < 5000; i++)
        memcpy(many + 2 + 4 * i, "\xFF\xFE\x00\x02", 4);
    memcpy(many + n - 11, "\xFF\xC0\x00\x0B\x08\x00\x10\x00\x10\x01\x01",
           11);
    CHECK_INT(image_size_mem(many, n, NULL, &w, &h), -1);
    /* ... but a few hundred are fine */
    memcpy(many + 2 + 4 * 500, "\xFF\xC0\x00\x0B\x08\x00\x10\x00\x20\x01\x01",
           11);
    CHECK_SIZE(image_size_mem(many, n, NULL, &w, &h), w, h, 32, 16);
    /* A long run of fill bytes is given up on too. */
    size_t m = 2 + 70000 + 11;
    unsigned char *fill = malloc(m);
    fill[0] = 0xFF;
    fill[1] = 0xD8;
    memset(fill + 2, 0xFF, 70000);
    memcpy(fill + m - 11, "\xFF\xC0\x00\x0B\x08\x00\x10\x00\x10\x01\x01",
           11);
    CHECK_INT(image_size_mem(fill, m, NULL, &w, &h), -1);
    free(fill);
    free(many);
}

TEST(test_gif_webp_corrupt)
{
    unsigned char b[64];
    int w, h;
    memcpy(b, gif_300x200, sizeof gif_300x200);
    b[4] = '8';                                     /* "GIF88a" */
    CHECK_INT(size_of(b, sizeof gif_300x200, NULL, &w, &h), -1);
    memcpy(b, gif_300x200, sizeof gif_300x200);
    b[6] = b[7] = 0;                                /* width 0 */
    CHECK_INT(size_of(b, sizeof gif_300x200, NULL, &w, &h), -1);

    memcpy(b, webp_vp8, sizeof webp_vp8);
    b[20] |= 1;                                     /* not a key frame */
    CHECK_INT(size_of(b, sizeof webp_vp8, NULL, &w, &h), -1);
    memcpy(b, webp_vp8, sizeof webp_vp8);
    b[24] = 0x02;                                   /* bad start code */
    CHECK_INT(size_of(b, sizeof webp_vp8, NULL, &w, &h), -1);
    memcpy(b, webp_vp8, sizeof webp_vp8);
    b[26] = 0x00;
    b[27] = 0xC0;                                   /* width 0, scaled */
    CHECK_INT(size_of(b, sizeof webp_vp8, NULL, &w, &h), -1);
    memcpy(b, webp_vp8, sizeof webp_vp8);
    b[16] = 9;                                      /* chunk too small */
    CHECK_INT(size_of(b, sizeof webp_vp8, NULL, &w, &h), -1);

    memcpy(b, webp_vp8l, sizeof webp_vp8l);
    b[20] = 0x2E;                                   /* bad signature */
    CHECK_INT(size_of(b, sizeof webp_vp8l, NULL, &w, &h), -1);
    memcpy(b, webp_vp8l, sizeof webp_vp8l);
    b[24] |= 0x20;                                  /* version 1 */
    CHECK_INT(size_of(b, sizeof webp_vp8l, NULL, &w, &h), -1);
    memcpy(b, webp_vp8l, sizeof webp_vp8l);
    memset(b + 21, 0xFF, 3);
    b[24] = 0x0F;                                   /* 16384 x 16384 */
    CHECK_SIZE(size_of(b, sizeof webp_vp8l, NULL, &w, &h), w, h, 16384,
               16384);

    memcpy(b, webp_vp8x, sizeof webp_vp8x);
    memset(b + 24, 0xFF, 6);            /* 2^24 x 2^24 > 2^32 - 1 */
    CHECK_INT(size_of(b, sizeof webp_vp8x, NULL, &w, &h), -1);
    memcpy(b, webp_vp8x, sizeof webp_vp8x);
    memcpy(b + 12, "VP8Y", 4);                      /* unknown chunk */
    CHECK_INT(size_of(b, sizeof webp_vp8x, NULL, &w, &h), -1);
    memcpy(b, webp_vp8x, sizeof webp_vp8x);
    memcpy(b + 8, "WAVE", 4);                       /* RIFF, not WebP */
    CHECK_INT(size_of(b, sizeof webp_vp8x, NULL, &w, &h), -1);
}

/* ---- SVG ---- */

TEST(test_svg_sizes)
{
    int w, h;
    /* prolog: BOM, XML declaration, comment with '>', DOCTYPE with an
     * internal subset holding '>' and quotes; viewBox with commas */
    CHECK_SIZE(svg_size("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
                        "<!-- a > b -->\n<?pi x?>"
                        "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                        "\"x.dtd\" [ <!ENTITY a \"b>\"> ]>\n"
                        "<svg viewBox=\"0,0,400.5,200.25\">",
                        NULL, &w, &h),
               w, h, 401, 200);
    /* percentages: the viewBox */
    CHECK_SIZE(svg_size("<svg width=\"100%\" height=\"100%\" "
                        "viewBox=\"-10 -10 300 150\"/>", "a.svg", &w, &h),
               w, h, 300, 150);
    /* one length: the other from the viewBox's aspect ratio */
    CHECK_SIZE(svg_size("<svg width='600' viewBox='0 0 300 150'>", NULL, &w,
                        &h),
               w, h, 600, 300);
    CHECK_SIZE(svg_size("<svg height=\" 50px \" width=\"auto\"\n"
                        "\tviewBox=\"0 0 300 150\">", NULL, &w, &h),
               w, h, 100, 50);
    /* numbers: exponent, leading '+', '.5', "PX" */
    CHECK_SIZE(svg_size("<svg width=\"1.5e2\" height=\"+.5E1PX\">", NULL, &w,
                        &h),
               w, h, 150, 5);
    /* namespace prefix, self-closing, other attributes */
    CHECK_SIZE(svg_size("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\" "
                        "xml:space=\"preserve\" width=\"10\" height=\"20\"/>",
                        "B.SVG", &w, &h),
               w, h, 10, 20);
    /* tiny but positive: at least 1 */
    CHECK_SIZE(svg_size("<svg viewBox=\"0 0 0.2 1e-3\">", NULL, &w, &h), w,
               h, 1, 1);
    /* units other than px, and no viewBox: unknown */
    CHECK_INT(svg_size("<svg width=\"10em\" height=\"5em\">", NULL, &w, &h),
              -1);
    CHECK_INT(svg_size("<svg width=\"10mm\" height=\"5mm\" "
                       "viewBox=\"0 0 100 50\">", NULL, &w, &h), 0);
    CHECK_INT(w, 100);
    CHECK_INT(svg_size("<svg>", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=\"-5\" height=\"5\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=\"0\" height=\"5\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=\"1e400\" height=\"5\">", NULL, &w, &h),
              -1);
    CHECK_INT(svg_size("<svg viewBox=\"0 0 10\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg viewBox=\"0 0 10 0\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg viewBox=\"0 0 10 5 6\">", NULL, &w, &h), -1);
}

TEST(test_svg_refused)
{
    int w, h;
    const char *ok = "<svg width=\"3\" height=\"4\">";
    /* the name decides whether text is tried as SVG */
    CHECK_INT(svg_size(ok, "x.txt", &w, &h), -1);
    CHECK_INT(svg_size(ok, "x.svg.html", &w, &h), -1);
    CHECK_SIZE(svg_size(ok, "dir.d/x.Svg", &w, &h), w, h, 3, 4);
    /* the root element must be svg */
    CHECK_INT(svg_size("<html><svg width=\"3\" height=\"4\">", NULL, &w, &h),
              -1);
    CHECK_INT(svg_size("<svgx width=\"3\" height=\"4\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("text <svg width=\"3\" height=\"4\">", NULL, &w, &h),
              -1);
    CHECK_INT(svg_size("", NULL, &w, &h), -1);
    CHECK_INT(image_size_mem(NULL, 10, NULL, &w, &h), -1);
    /* malformed or unterminated start tags */
    CHECK_INT(svg_size("<svg width=\"3\" height=\"4\"", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=\"3\" height=\"4>", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=3 height=4>", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width=\"3\"height=\"4\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<svg width height=\"4\">", NULL, &w, &h), -1);
    CHECK_INT(svg_size("<!-- never closed <svg width=\"3\" height=\"4\">",
                       NULL, &w, &h), -1);
    CHECK_INT(svg_size("<?xml <svg width=\"3\" height=\"4\">", NULL, &w, &h),
              -1);
    CHECK_INT(svg_size("<!DOCTYPE svg [ <svg width=\"3\" height=\"4\">",
                       NULL, &w, &h), -1);

    /* only the first 64 kB are read: a start tag that ends later is
     * unknown, one that ends just inside is fine */
    buf b;
    buf_init(&b);
    buf_puts(&b, "<svg data-x=\"");
    while (b.len < IMAGE_SVG_MAX)
        buf_putc(&b, 'x');
    buf_puts(&b, "\" width=\"3\" height=\"4\">");
    CHECK_INT(svg_size(b.data, NULL, &w, &h), -1);
    buf_clear(&b);
    buf_puts(&b, "<svg width=\"3\" height=\"4\" data-x=\"");
    while (b.len < IMAGE_SVG_MAX - 2)
        buf_putc(&b, 'x');
    buf_puts(&b, "\">");
    while (b.len < 2 * IMAGE_SVG_MAX)
        buf_putc(&b, ' ');
    CHECK_SIZE(svg_size(b.data, NULL, &w, &h), w, h, 3, 4);
    buf_free(&b);
}

/* ---- files ---- */

static char tmpdir[] = "/tmp/formidl-imagesize-XXXXXX";

static const char *write_file(const char *name, const void *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return path;
    fwrite(data, 1, n, f);
    fclose(f);
    return path;
}

TEST(test_files)
{
    int w, h;
    if (!mkdtemp(tmpdir)) {
        CHECK(!"mkdtemp");
        return;
    }
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const sample *s = &samples[i];
        char name[64];
        snprintf(name, sizeof name, "%s%s", s->name,
                 s->name[0] == 's' ? ".svg" : ".bin");
        const char *p = write_file(name, s->data, s->len);
        w = h = -7;
        CHECK_SIZE(image_size(p, &w, &h), w, h, s->w, s->h);
    }
    /* SVG data in a file not named .svg */
    w = h = -7;
    CHECK_INT(image_size(write_file("svg.txt", svg_plain, strlen(svg_plain)),
                         &w, &h), -1);
    CHECK_INT(w, -7);

    /* A JPEG whose frame header comes after 200 kB of APP segments: read
     * by skipping, not reading, them. */
    size_t n = 2 + 4 * (2 + 65533) + 11;
    unsigned char *big = calloc(1, n);
    big[0] = 0xFF;
    big[1] = 0xD8;
    for (size_t i = 0; i < 4; i++) {
        unsigned char *seg = big + 2 + i * (2 + 65533);
        seg[0] = 0xFF;
        seg[1] = (unsigned char)(0xE1 + i);
        seg[2] = 0xFF;
        seg[3] = 0xFD;      /* length 65533 */
    }
    memcpy(big + n - 11, "\xFF\xC0\x00\x0B\x08\x0F\xA0\x17\x70\x01\x01", 11);
    CHECK_SIZE(image_size(write_file("big.jpg", big, n), &w, &h), w, h,
               6000, 4000);
    CHECK_SIZE(image_size_mem(big, n, NULL, &w, &h), w, h, 6000, 4000);
    /* the same cut short in the middle of the frame header */
    CHECK_INT(image_size(write_file("cut.jpg", big, n - 5), &w, &h), -1);
    free(big);

    /* A large SVG file: only its start is needed. */
    buf b;
    buf_init(&b);
    buf_puts(&b, "<svg viewBox=\"0 0 30 40\">");
    while (b.len < 300000)
        buf_puts(&b, "<g/>");
    CHECK_SIZE(image_size(write_file("big.svg", b.data, b.len), &w, &h), w,
               h, 30, 40);
    buf_free(&b);

    /* Not a file, no file, empty file. */
    w = -7;
    CHECK_INT(image_size(tmpdir, &w, &h), -1);
    CHECK_INT(image_size(write_file("empty.png", "", 0), &w, &h), -1);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/findes-ikke.png", tmpdir);
    CHECK_INT(image_size(missing, &w, &h), -1);
    CHECK_INT(image_size(NULL, &w, &h), -1);
    CHECK_INT(w, -7);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    CHECK_INT(system(cmd), 0);
}

/* ---- random input ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Mutate every sample at random (flip bytes, cut, insert) and feed random
 * bytes behind each signature: never a crash or an out-of-bounds read
 * (ASan), and a success always has a positive size. */
TEST(test_fuzz)
{
    static const char *const sigs[] = {
        "\x89PNG\r\n\x1a\n", "\xFF\xD8\xFF", "GIF89a", "RIFF\0\0\0\0WEBP",
        "RIFF\0\0\0\0WEBPVP8 ", "RIFF\0\0\0\0WEBPVP8L",
        "RIFF\0\0\0\0WEBPVP8X", "<svg ", "<?xml", "<!DOCTYPE", "<!--",
    };
    static const size_t siglen[] = {8, 3, 6, 12, 16, 16, 16, 5, 5, 9, 4};
    static const char svgchars[] = " <>\"'=svgwidthx0.1e-/?![";
    const size_t nsvgchars = sizeof svgchars - 1;
    unsigned char b[512];
    int bad = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t n;
        if (iter & 1) {
            const sample *s =
                &samples[rnd() % (sizeof samples / sizeof samples[0])];
            n = s->len;
            memcpy(b, s->data, n);
            for (int k = (int)(rnd() % 4); k >= 0; k--) {
                size_t at = rnd() % n;
                switch (rnd() % 4) {
                case 0: b[at] = (unsigned char)rnd(); break;
                case 1: b[at] ^= (unsigned char)(1u << (rnd() % 8)); break;
                case 2: b[at] = (unsigned char)"\x00\xFF\"'<>= /"[rnd() % 9];
                        break;
                default:
                    if (n < sizeof b - 1) {
                        memmove(b + at + 1, b + at, n - at);
                        b[at] = (unsigned char)rnd();
                        n++;
                    }
                }
            }
            if (rnd() % 4 == 0)
                n = rnd() % (n + 1);
        } else {
            size_t k = rnd() % (sizeof sigs / sizeof sigs[0]);
            memcpy(b, sigs[k], siglen[k]);
            n = siglen[k] + rnd() % (sizeof b - siglen[k]);
            for (size_t i = siglen[k]; i < n; i++)
                b[i] = k >= 7 ? (unsigned char)svgchars[rnd() % nsvgchars]
                              : (unsigned char)rnd();
        }
        int w = -7, h = -7;
        int r = size_of(b, n, rnd() % 2 ? NULL : "f.svg", &w, &h);
        if (r == 0 ? (w < 1 || h < 1) : (r != -1 || w != -7 || h != -7))
            bad++;
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    RUN(test_samples);
    RUN(test_truncated);
    RUN(test_png_corrupt);
    RUN(test_jpeg_corrupt);
    RUN(test_gif_webp_corrupt);
    RUN(test_svg_sizes);
    RUN(test_svg_refused);
    RUN(test_files);
    RUN(test_fuzz);
    return TEST_SUMMARY();
}
