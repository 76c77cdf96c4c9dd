/*
 * imagesize.c - the pixel size of an image from its header bytes.  See
 * imagesize.h.
 *
 * Design.  Every parser reads through a small source (isrc) that hands
 * out "up to n bytes at offset off": for image_size_mem a pointer into the
 * caller's data, for image_size a window of the file filled with pread on
 * demand, so a JPEG's large EXIF or ICC segments are skipped by offset,
 * never read.  Every read is bounds-checked by the source; a parser only
 * ever asks for a fixed, small number of bytes (SVG: the first 64 kB once),
 * and the one loop that walks the file (JPEG markers) moves forward at
 * every step and gives up after a fixed number of segments, so hostile
 * input costs little and cannot make a parser read outside the data.
 */
#include "imagesize.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read from a file at a time (the window grows to IMAGE_SVG_MAX for
 * the SVG prefix). */
#define IS_CHUNK 4096
/* The most JPEG segments (and fill bytes) walked before the frame header;
 * real files have a dozen or so. */
#define IS_JPEG_MAX_SEGMENTS 1024
#define IS_JPEG_MAX_FILL 65536
/* Largest SVG size accepted, in px. */
#define IS_SVG_MAX_PX 1000000000.0

/* ---- the byte source ---- */

typedef struct isrc {
    const unsigned char *mem;   /* memory source, or NULL */
    size_t memlen;
    int fd;                     /* file source, or -1 */
    unsigned char *win;         /* IMAGE_SVG_MAX bytes */
    size_t wlen;                /* valid bytes in win */
    uint64_t woff;              /* file offset of win[0] */
    int wvalid;
} isrc;

/* Up to max (<= IMAGE_SVG_MAX) bytes at offset off: returns a pointer to
 * them and sets *got (< max only at the end of the data), or NULL when
 * there is nothing at off.  The pointer is valid until the next call. */
static const unsigned char *isrc_at(isrc *s, uint64_t off, size_t max,
                                    size_t *got)
{
    *got = 0;
    if (max > IMAGE_SVG_MAX)
        max = IMAGE_SVG_MAX;
    if (s->fd < 0) {
        if (off >= s->memlen)
            return NULL;
        size_t n = s->memlen - (size_t)off;
        *got = n < max ? n : max;
        return s->mem + off;
    }
    if (s->wvalid && off >= s->woff && off - s->woff < s->wlen) {
        size_t in = s->wlen - (size_t)(off - s->woff);
        if (in >= max) {
            *got = max;
            return s->win + (off - s->woff);
        }
    }
    if (off > (uint64_t)INT64_MAX - IMAGE_SVG_MAX)
        return NULL;
    size_t want = max < IS_CHUNK ? IS_CHUNK : max, have = 0;
    while (have < want) {
        ssize_t r = pread(s->fd, s->win + have, want - have,
                          (off_t)(off + have));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    s->woff = off;
    s->wlen = have;
    s->wvalid = 1;
    if (have == 0)
        return NULL;
    *got = have < max ? have : max;
    return s->win;
}

/* Exactly n bytes at off, or NULL. */
static const unsigned char *isrc_need(isrc *s, uint64_t off, size_t n)
{
    size_t got;
    const unsigned char *p = isrc_at(s, off, n, &got);
    return p && got == n ? p : NULL;
}

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | le24(p);
}

/* Store w x h when both are 1..INT_MAX. */
static int is_ok(uint32_t w, uint32_t h, int *width, int *height)
{
    if (w == 0 || h == 0 || w > (uint32_t)INT_MAX || h > (uint32_t)INT_MAX)
        return -1;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

/* ---- PNG ---- */

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G',
                                         0x0D, 0x0A, 0x1A, 0x0A};

/* The IHDR chunk comes first: length 13, "IHDR", width, height (big
 * endian, 1..2^31-1).  Apple's iOS-optimised PNGs put a "CgBI" chunk
 * before it. */
static int png_size(isrc *s, int *w, int *h)
{
    uint64_t off = 8;
    for (int i = 0; i < 2; i++) {
        const unsigned char *p = isrc_need(s, off, 16);
        if (!p)
            return -1;
        uint32_t len = be32(p);
        if (memcmp(p + 4, "IHDR", 4) == 0)
            return len == 13 ? is_ok(be32(p + 8), be32(p + 12), w, h) : -1;
        if (i > 0 || memcmp(p + 4, "CgBI", 4) != 0 || len > 1024)
            return -1;
        off += 12 + (uint64_t)len;
    }
    return -1;
}

/* ---- JPEG ---- */

/* Walk the markers after SOI.  Each marker is 0xFF (any number of them:
 * fill bytes) and a code; codes 0x01 and 0xD0..0xD7 stand alone, every
 * other one is followed by a big-endian length (>= 2, counting itself)
 * and that many bytes minus two.  The frame header SOFn holds precision,
 * height, width.  A scan (SOS), the end (EOI) or a second SOI before any
 * frame header means the file is corrupt; so does a height of 0 (the
 * height would come later in a DNL segment, which is not looked for). */
static int jpeg_size(isrc *s, int *w, int *h)
{
    uint64_t off = 2;
    size_t fill = 0;
    for (int seg = 0; seg < IS_JPEG_MAX_SEGMENTS; seg++) {
        const unsigned char *p = isrc_need(s, off, 2);
        if (!p || p[0] != 0xFF)
            return -1;
        unsigned m = p[1];
        if (m == 0xFF) {            /* fill byte */
            if (++fill > IS_JPEG_MAX_FILL)
                return -1;
            off++;
            seg--;
            continue;
        }
        off += 2;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0x00 || m == 0xD8 || m == 0xD9 || m == 0xDA)
            return -1;
        p = isrc_need(s, off, 2);
        if (!p)
            return -1;
        uint32_t len = be16(p);
        if (len < 2)
            return -1;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (len < 8)
                return -1;
            p = isrc_need(s, off + 2, 5);
            if (!p)
                return -1;
            return is_ok(be16(p + 3), be16(p + 1), w, h);
        }
        off += len;                 /* APPn (EXIF, ICC, XMP), DQT, DHT, ... */
    }
    return -1;
}

/* ---- GIF ---- */

static int gif_size(isrc *s, int *w, int *h)
{
    const unsigned char *p = isrc_need(s, 0, 10);
    return p ? is_ok(le16(p + 6), le16(p + 8), w, h) : -1;
}

/* ---- WebP ---- */

/* "RIFF" size "WEBP", then the first chunk: fourcc, size, data at 20.
 *   "VP8 "  frame tag (3 bytes, bit 0 clear on a key frame), start code
 *           9D 01 2A, then 14-bit width and height (the top two bits are
 *           the upscaling hint, not part of the size);
 *   "VP8L"  signature 0x2F, then 14 bits width - 1, 14 bits height - 1,
 *           1 bit alpha, 3 bits version (0);
 *   "VP8X"  4 bytes flags, 24 bits canvas width - 1, 24 bits height - 1
 *           (width * height at most 2^32 - 1). */
static int webp_size(isrc *s, int *w, int *h)
{
    const unsigned char *p = isrc_need(s, 0, 20);
    if (!p)
        return -1;
    uint32_t csize = le32(p + 16);
    if (memcmp(p + 12, "VP8 ", 4) == 0) {
        if (csize < 10 || !(p = isrc_need(s, 0, 30)))
            return -1;
        if ((p[20] & 1) != 0 || p[23] != 0x9D || p[24] != 0x01 ||
            p[25] != 0x2A)
            return -1;
        return is_ok(le16(p + 26) & 0x3FFF, le16(p + 28) & 0x3FFF, w, h);
    }
    if (memcmp(p + 12, "VP8L", 4) == 0) {
        if (csize < 5 || !(p = isrc_need(s, 0, 25)))
            return -1;
        uint32_t bits = le32(p + 21);
        if (p[20] != 0x2F || (bits >> 29) != 0)
            return -1;
        return is_ok((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, w,
                      h);
    }
    if (memcmp(p + 12, "VP8X", 4) == 0) {
        if (csize < 10 || !(p = isrc_need(s, 0, 30)))
            return -1;
        uint32_t cw = le24(p + 24) + 1, ch = le24(p + 27) + 1;
        if ((uint64_t)cw * ch > UINT32_MAX)
            return -1;
        return is_ok(cw, ch, w, h);
    }
    return -1;
}

/* ---- SVG ---- */

static int svg_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int svg_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Find the NUL-free needle in [p, e); NULL if absent. */
static const char *svg_find(const char *p, const char *e, const char *needle)
{
    size_t n = strlen(needle);
    for (; (size_t)(e - p) >= n; p++)
        if (*p == needle[0] && memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

/* Parse an SVG number ([+-] digits [. digits] [e [+-] digits], or starting
 * with ".") at *pp without going past e, without strtod (whose result
 * depends on the locale).  Moves *pp past it. */
static int svg_number(const char **pp, const char *e, double *out)
{
    const char *p = *pp;
    int neg = 0, digits = 0, exp10 = 0;
    double v = 0;
    if (p < e && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    for (; p < e && svg_digit(*p); p++, digits++) {
        if (v < 1e17)
            v = v * 10 + (*p - '0');
        else if (exp10 < 100000)
            exp10++;
    }
    if (p < e && *p == '.') {
        for (p++; p < e && svg_digit(*p); p++, digits++) {
            if (v < 1e17) {
                v = v * 10 + (*p - '0');
                if (exp10 > -100000)
                    exp10--;
            }
        }
    }
    if (digits == 0)
        return -1;
    if (p < e && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        int eneg = 0, ev = 0;
        if (q < e && (*q == '+' || *q == '-')) {
            eneg = *q == '-';
            q++;
        }
        if (q < e && svg_digit(*q)) {
            for (; q < e && svg_digit(*q); q++)
                if (ev < 100000)
                    ev = ev * 10 + (*q - '0');
            exp10 += eneg ? -ev : ev;
            p = q;
        }
    }
    for (; v != 0 && exp10 > 0; exp10--) {
        v *= 10;
        if (v > 1e300)
            break;
    }
    for (; v != 0 && exp10 < 0; exp10++) {
        v /= 10;
        if (v < 1e-300)
            v = 0;
    }
    *out = neg ? -v : v;
    *pp = p;
    return 0;
}

/* A width or height attribute: a number, optionally "px", with white space
 * around; anything else (%, em, mm, "auto") is not a size in pixels. */
static int svg_length(const char *p, const char *e, double *out)
{
    while (p < e && svg_space(*p))
        p++;
    if (svg_number(&p, e, out) != 0 || !(*out > 0))
        return -1;
    if (e - p >= 2 && (p[0] == 'p' || p[0] == 'P') &&
        (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    while (p < e && svg_space(*p))
        p++;
    return p == e ? 0 : -1;
}

/* viewBox="min-x min-y width height", separated by white space and/or a
 * comma; width and height > 0. */
static int svg_viewbox(const char *p, const char *e, double *vw, double *vh)
{
    double v[4];
    for (int i = 0; i < 4; i++) {
        while (p < e && svg_space(*p))
            p++;
        if (i > 0 && p < e && *p == ',') {
            p++;
            while (p < e && svg_space(*p))
                p++;
        }
        if (svg_number(&p, e, &v[i]) != 0)
            return -1;
    }
    while (p < e && svg_space(*p))
        p++;
    if (p != e || !(v[2] > 0) || !(v[3] > 0))
        return -1;
    *vw = v[2];
    *vh = v[3];
    return 0;
}

static int svg_px(double v, int *out)
{
    if (!(v > 0) || v > IS_SVG_MAX_PX)
        return -1;
    int r = (int)(v + 0.5);
    *out = r < 1 ? 1 : r;
    return 0;
}

/* Skip the prolog (BOM, XML declaration, processing instructions,
 * comments, DOCTYPE with an internal subset) and read the attributes of
 * the root element, which must be svg (or prefix:svg). */
static int svg_size_text(const char *p, const char *e, int *w, int *h)
{
    const char *aw = NULL, *awe = NULL, *ah = NULL, *ahe = NULL;
    const char *av = NULL, *ave = NULL;

    if (e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (;;) {
        while (p < e && svg_space(*p))
            p++;
        if (e - p < 2 || *p != '<')
            return -1;
        if (p[1] == '?') {
            p = svg_find(p + 2, e, "?>");
            if (!p)
                return -1;
            p += 2;
        } else if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = svg_find(p + 4, e, "-->");
            if (!p)
                return -1;
            p += 3;
        } else if (e - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
            int depth = 0;
            char quote = 0;
            for (p += 9; p < e; p++) {
                if (quote) {
                    if (*p == quote)
                        quote = 0;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '[') {
                    depth++;
                } else if (*p == ']') {
                    depth -= depth > 0;
                } else if (*p == '>' && depth == 0) {
                    break;
                }
            }
            if (p == e)
                return -1;
            p++;
        } else {
            break;
        }
    }

    /* the root element's name */
    const char *n = ++p;
    while (p < e && !svg_space(*p) && *p != '>' && *p != '/')
        p++;
    size_t nl = (size_t)(p - n);
    if (!((nl == 3 && memcmp(n, "svg", 3) == 0) ||
          (nl > 4 && memcmp(p - 4, ":svg", 4) == 0)))
        return -1;

    /* its attributes, up to > or /> */
    for (;;) {
        int sp = 0;
        while (p < e && svg_space(*p)) {
            p++;
            sp = 1;
        }
        if (p == e)
            return -1;
        if (*p == '>' || (*p == '/' && e - p >= 2 && p[1] == '>'))
            break;
        if (!sp)
            return -1;
        const char *an = p;
        while (p < e && !svg_space(*p) && *p != '=' && *p != '>' &&
               *p != '/')
            p++;
        const char *ane = p;
        while (p < e && svg_space(*p))
            p++;
        if (ane == an || p == e || *p != '=')
            return -1;
        p++;
        while (p < e && svg_space(*p))
            p++;
        if (p == e || (*p != '"' && *p != '\''))
            return -1;
        char q = *p++;
        const char *v = p;
        while (p < e && *p != q)
            p++;
        if (p == e)
            return -1;
        const char *ve = p++;
        size_t al = (size_t)(ane - an);
        if (al == 5 && memcmp(an, "width", 5) == 0) {
            aw = v;
            awe = ve;
        } else if (al == 6 && memcmp(an, "height", 6) == 0) {
            ah = v;
            ahe = ve;
        } else if (al == 7 && memcmp(an, "viewBox", 7) == 0) {
            av = v;
            ave = ve;
        }
    }

    double dw = 0, dh = 0, vw = 0, vh = 0;
    int hw = aw && svg_length(aw, awe, &dw) == 0;
    int hh = ah && svg_length(ah, ahe, &dh) == 0;
    int hv = av && svg_viewbox(av, ave, &vw, &vh) == 0;
    if (!(hw && hh)) {
        if (!hv)
            return -1;
        if (hw)
            dh = dw * vh / vw;
        else if (hh)
            dw = dh * vw / vh;
        else {
            dw = vw;
            dh = vh;
        }
    }
    int iw, ih;
    if (svg_px(dw, &iw) != 0 || svg_px(dh, &ih) != 0)
        return -1;
    *w = iw;
    *h = ih;
    return 0;
}

static int svg_size(isrc *s, int *w, int *h)
{
    size_t got;
    const unsigned char *p = isrc_at(s, 0, IMAGE_SVG_MAX, &got);
    if (!p)
        return -1;
    return svg_size_text((const char *)p, (const char *)p + got, w, h);
}

/* ---- dispatch ---- */

static int ends_with_svg(const char *name)
{
    size_t n = strlen(name);
    if (n < 4)
        return 0;
    const char *x = name + n - 4;
    return x[0] == '.' && (x[1] == 's' || x[1] == 'S') &&
           (x[2] == 'v' || x[2] == 'V') && (x[3] == 'g' || x[3] == 'G');
}

static int image_size_src(isrc *s, const char *name, int *width,
                          int *height)
{
    size_t got;
    const unsigned char *p = isrc_at(s, 0, 16, &got);
    int w = 0, h = 0, r;
    if (!p)
        return -1;
    if (got >= 8 && memcmp(p, png_sig, 8) == 0)
        r = png_size(s, &w, &h);
    else if (got >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        r = jpeg_size(s, &w, &h);
    else if (got >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
                          memcmp(p, "GIF89a", 6) == 0))
        r = gif_size(s, &w, &h);
    else if (got >= 12 && memcmp(p, "RIFF", 4) == 0 &&
             memcmp(p + 8, "WEBP", 4) == 0)
        r = webp_size(s, &w, &h);
    else if (!name || ends_with_svg(name))
        r = svg_size(s, &w, &h);
    else
        r = -1;
    if (r != 0)
        return -1;
    *width = w;
    *height = h;
    return 0;
}

int image_size_mem(const unsigned char *data, size_t len,
                   const char *name_for_type, int *width, int *height)
{
    isrc s;
    memset(&s, 0, sizeof s);
    s.mem = data;
    s.memlen = data ? len : 0;
    s.fd = -1;
    return image_size_src(&s, name_for_type, width, height);
}

int image_size(const char *path, int *width, int *height)
{
    struct stat st;
    isrc s;
    if (!path)
        return -1;
    /* O_NONBLOCK: opening a FIFO must not hang; it is then refused. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    memset(&s, 0, sizeof s);
    s.fd = fd;
    s.win = malloc(IMAGE_SVG_MAX);
    int r = s.win ? image_size_src(&s, path, width, height) : -1;
    free(s.win);
    close(fd);
    return r;
}
