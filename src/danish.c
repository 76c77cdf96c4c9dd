/*
 * danish.c - Danish language and locale rules.  See danish.h.
 *
 * Design.  Everything a build prints about dates, numbers and sort order
 * must be byte-for-byte the same on every machine, so nothing here asks the
 * C library for locale data or the TZ database.  The rules are spelt out:
 *
 *   - UTF-8 is checked with the well-formedness table of Unicode chapter 3
 *     (Table 3-7); one decoder serves validation, slugs and collation.
 *
 *   - Letters of Latin-1 and Latin Extended-A are handled with one table of
 *     canonical decompositions (base letter + combining accent) for
 *     U+00C0..U+017F, plus a short list of letters that do not decompose
 *     (æ ø ß ð þ ł ...).  Slugs use it to drop accents; collation uses it
 *     to give each accented letter its base letter's weight plus an accent.
 *
 *   - Dates use proleptic Gregorian day counting (days_from_civil and
 *     civil_from_days, after Howard Hinnant's public-domain algorithms) on
 *     64-bit seconds.  Europe/Copenhagen is CET (+01:00) with EU summer time
 *     (+02:00) from the last Sunday of March 01:00 UTC to the last Sunday of
 *     October 01:00 UTC, applied to every year; the only other zone is UTC.
 *
 *   - Collation follows ICU's implementation of CLDR "da" with its default
 *     settings, which is what Node's Intl.Collator('da') uses: three levels
 *     (base letters, accents, case) with caseFirst=upper and punctuation
 *     NOT ignorable (alternate=non-ignorable: spaces and punctuation sort
 *     before digits, digits before letters).  Weights for ASCII, Latin-1,
 *     Latin Extended-A, common General Punctuation and currency signs were
 *     taken from DUCET/CLDR root and checked against Node 20 with ICU 78; the
 *     Danish tailoring (æ ø å after z, aa = å, ä ö ü ő ű đ ð þ) is coded by
 *     hand.  Other scripts and symbols get coarse weights (see coll_base).
 *
 * No function keeps state between calls; all tables are const.
 */
#include "danish.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* UTF-8                                                              */
/* ------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence that starts at s[i] (storing
 * its code point in *cp), or 0 when the bytes there are not well-formed.
 * Following Unicode Table 3-7, the allowed range of the second byte depends
 * on the lead byte: that single rule excludes overlong forms (E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90..BF, F5..FF); C0 and C1 can only start overlongs. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i,
                       uint32_t *cp)
{
    unsigned c = s[i], lo = 0x80, hi = 0xBF;
    size_t n;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2) {
        return 0;
    } else if (c < 0xE0) {
        n = 2;
        v = c & 0x1F;
    } else if (c < 0xF0) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned b = s[i + k];
        if (b < lo || b > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        v = v << 6 | (b & 0x3F);
    }
    *cp = v;
    return n;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    size_t n = utf8_seq((const unsigned char *)s, len, 0, cp);
    if (n == 0) {
        *cp = UINT32_MAX;
        return 1;
    }
    return n;
}

int utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;

    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(u, len, i, &cp);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* Next code point of s[0..len) at *i; an ill-formed byte reads as U+FFFD
 * and is skipped alone, so decoding always makes progress. */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t cp;
    size_t n = utf8_seq(s, len, *i, &cp);
    if (n == 0) {
        *i += 1;
        return 0xFFFD;
    }
    *i += n;
    return cp;
}

/* ------------------------------------------------------------------ */
/* Latin letters                                                      */
/* ------------------------------------------------------------------ */

/* Canonical decompositions of U+00C0..U+017F: base letter and combining
 * accent (offset from U+0300); {0,0} for characters that do not decompose. */
static const struct latin_decomp {
    char base;
    unsigned char mark;
} latin_decomp[0x180 - 0xC0] = {
    /* 00C0 */ {'A',0x00}, {'A',0x01}, {'A',0x02}, {'A',0x03}, {'A',0x08}, {'A',0x0A}, {0,0}, {'C',0x27},
    /* 00C8 */ {'E',0x00}, {'E',0x01}, {'E',0x02}, {'E',0x08}, {'I',0x00}, {'I',0x01}, {'I',0x02}, {'I',0x08},
    /* 00D0 */ {0,0}, {'N',0x03}, {'O',0x00}, {'O',0x01}, {'O',0x02}, {'O',0x03}, {'O',0x08}, {0,0},
    /* 00D8 */ {0,0}, {'U',0x00}, {'U',0x01}, {'U',0x02}, {'U',0x08}, {'Y',0x01}, {0,0}, {0,0},
    /* 00E0 */ {'a',0x00}, {'a',0x01}, {'a',0x02}, {'a',0x03}, {'a',0x08}, {'a',0x0A}, {0,0}, {'c',0x27},
    /* 00E8 */ {'e',0x00}, {'e',0x01}, {'e',0x02}, {'e',0x08}, {'i',0x00}, {'i',0x01}, {'i',0x02}, {'i',0x08},
    /* 00F0 */ {0,0}, {'n',0x03}, {'o',0x00}, {'o',0x01}, {'o',0x02}, {'o',0x03}, {'o',0x08}, {0,0},
    /* 00F8 */ {0,0}, {'u',0x00}, {'u',0x01}, {'u',0x02}, {'u',0x08}, {'y',0x01}, {0,0}, {'y',0x08},
    /* 0100 */ {'A',0x04}, {'a',0x04}, {'A',0x06}, {'a',0x06}, {'A',0x28}, {'a',0x28}, {'C',0x01}, {'c',0x01},
    /* 0108 */ {'C',0x02}, {'c',0x02}, {'C',0x07}, {'c',0x07}, {'C',0x0C}, {'c',0x0C}, {'D',0x0C}, {'d',0x0C},
    /* 0110 */ {0,0}, {0,0}, {'E',0x04}, {'e',0x04}, {'E',0x06}, {'e',0x06}, {'E',0x07}, {'e',0x07},
    /* 0118 */ {'E',0x28}, {'e',0x28}, {'E',0x0C}, {'e',0x0C}, {'G',0x02}, {'g',0x02}, {'G',0x06}, {'g',0x06},
    /* 0120 */ {'G',0x07}, {'g',0x07}, {'G',0x27}, {'g',0x27}, {'H',0x02}, {'h',0x02}, {0,0}, {0,0},
    /* 0128 */ {'I',0x03}, {'i',0x03}, {'I',0x04}, {'i',0x04}, {'I',0x06}, {'i',0x06}, {'I',0x28}, {'i',0x28},
    /* 0130 */ {'I',0x07}, {0,0}, {0,0}, {0,0}, {'J',0x02}, {'j',0x02}, {'K',0x27}, {'k',0x27},
    /* 0138 */ {0,0}, {'L',0x01}, {'l',0x01}, {'L',0x27}, {'l',0x27}, {'L',0x0C}, {'l',0x0C}, {0,0},
    /* 0140 */ {0,0}, {0,0}, {0,0}, {'N',0x01}, {'n',0x01}, {'N',0x27}, {'n',0x27}, {'N',0x0C},
    /* 0148 */ {'n',0x0C}, {0,0}, {0,0}, {0,0}, {'O',0x04}, {'o',0x04}, {'O',0x06}, {'o',0x06},
    /* 0150 */ {'O',0x0B}, {'o',0x0B}, {0,0}, {0,0}, {'R',0x01}, {'r',0x01}, {'R',0x27}, {'r',0x27},
    /* 0158 */ {'R',0x0C}, {'r',0x0C}, {'S',0x01}, {'s',0x01}, {'S',0x02}, {'s',0x02}, {'S',0x27}, {'s',0x27},
    /* 0160 */ {'S',0x0C}, {'s',0x0C}, {'T',0x27}, {'t',0x27}, {'T',0x0C}, {'t',0x0C}, {0,0}, {0,0},
    /* 0168 */ {'U',0x03}, {'u',0x03}, {'U',0x04}, {'u',0x04}, {'U',0x06}, {'u',0x06}, {'U',0x0A}, {'u',0x0A},
    /* 0170 */ {'U',0x0B}, {'u',0x0B}, {'U',0x28}, {'u',0x28}, {'W',0x02}, {'w',0x02}, {'Y',0x02}, {'y',0x02},
    /* 0178 */ {'Y',0x08}, {'Z',0x01}, {'z',0x01}, {'Z',0x07}, {'z',0x07}, {'Z',0x0C}, {'z',0x0C}, {0,0},
};

/* Base letter of a decomposable Latin letter (and its accent as a code
 * point in *mark), or 0. */
static char latin_base(uint32_t cp, uint32_t *mark)
{
    if (cp < 0xC0 || cp >= 0x180 || !latin_decomp[cp - 0xC0].base)
        return 0;
    *mark = 0x300 + latin_decomp[cp - 0xC0].mark;
    return latin_decomp[cp - 0xC0].base;
}

/* Combining diacritical marks, except U+034F COMBINING GRAPHEME JOINER,
 * which is invisible and ignored. */
static int is_combining(uint32_t cp)
{
    return cp >= 0x300 && cp <= 0x36F && cp != 0x34F;
}

/* Characters with no weight in collation and no effect on slugs: control
 * characters other than the whitespace ones, soft hyphen, zero-width and
 * bidi formatting characters, variation selectors, the BOM. */
static int is_ignorable(uint32_t cp)
{
    if (cp < 0x20)
        return cp < 0x09 || cp > 0x0D;
    return (cp >= 0x7F && cp <= 0x9F && cp != 0x85) || cp == 0xAD ||
           cp == 0x34F || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F && cp != 0x2065) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* ------------------------------------------------------------------ */
/* Slugs                                                              */
/* ------------------------------------------------------------------ */

/* Slug spelling of letters that do not decompose canonically (and of the
 * Danish letters, whose decomposition å = a + ring is not the spelling). */
static const char *slug_special(uint32_t cp)
{
    switch (cp) {
    case 0xC6: case 0xE6: return "ae";
    case 0xD8: case 0xF8: return "oe";
    case 0xC5: case 0xE5: return "aa";
    case 0xDF: return "ss";
    case 0xD0: case 0xF0: case 0x110: case 0x111: return "d";
    case 0xDE: case 0xFE: return "th";
    case 0x126: case 0x127: return "h";
    case 0x131: return "i";
    case 0x132: case 0x133: return "ij";
    case 0x138: return "q";         /* Greenlandic kra, now written q */
    case 0x13F: case 0x140: case 0x141: case 0x142: return "l";
    case 0x149: return "n";
    case 0x14A: case 0x14B: return "ng";
    case 0x152: case 0x153: return "oe";
    case 0x166: case 0x167: return "t";
    case 0x17F: return "s";
    case 0xAA: return "a";
    case 0xBA: return "o";
    case 0xB9: return "1";
    case 0xB2: return "2";
    case 0xB3: return "3";
    }
    return NULL;
}

/* Walks the text once.  Letters and digits are written in their slug
 * spelling; a separator is only remembered, and written just before the
 * next letter, which is what collapses runs and trims both ends.
 * Combining accents are dropped, except that a + combining ring (the
 * decomposed spelling of å) becomes "aa"; invisible characters such as
 * the soft hyphen are skipped without separating words. */
size_t slugify(const char *text, buf *out)
{
    size_t start = out->len;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)s), i = 0;
    int pending_dash = 0, after_plain_a = 0;

    if (!out->data)
        buf_init(out);
    while (i < len) {
        uint32_t cp = utf8_next(s, len, &i), mark;
        char one[2] = {0, 0};
        const char *rep;
        int plain_a = 0;

        if (cp < 0x80 && ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))) {
            one[0] = (char)cp;
            plain_a = cp == 'a';
            rep = one;
        } else if (cp >= 'A' && cp <= 'Z') {
            one[0] = (char)(cp - 'A' + 'a');
            plain_a = cp == 'A';
            rep = one;
        } else if ((rep = slug_special(cp)) != NULL) {
            /* rep set */
        } else if ((one[0] = latin_base(cp, &mark)) != 0) {
            if (one[0] >= 'A' && one[0] <= 'Z')
                one[0] = (char)(one[0] - 'A' + 'a');
            rep = one;
        } else if (is_combining(cp)) {
            if (cp == 0x30A && after_plain_a)
                buf_putc(out, 'a');
            after_plain_a = 0;
            continue;
        } else if (is_ignorable(cp)) {
            continue;
        } else {
            if (out->len > start)
                pending_dash = 1;
            after_plain_a = 0;
            continue;
        }
        if (pending_dash) {
            buf_putc(out, '-');
            pending_dash = 0;
        }
        buf_puts(out, rep);
        after_plain_a = plain_a;
    }
    return out->len - start;
}

/* ------------------------------------------------------------------ */
/* Calendar arithmetic                                                */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant): counts
 * in 400-year eras starting on 1 March, so the leap day is the last day of
 * the era's year and needs no special case. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                               /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;     /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    return (int)(((days + 4) % 7 + 7) % 7);
}

static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m, days_in_month(y, m));
    return last - weekday(last);
}

/* ------------------------------------------------------------------ */
/* Time zones                                                         */
/* ------------------------------------------------------------------ */

enum { TZ_UNKNOWN = -1, TZ_UTC = 0, TZ_CPH = 1 };

static int tz_id(const char *tz)
{
    if (!tz || strcmp(tz, "UTC") == 0)
        return TZ_UTC;
    if (strcmp(tz, "Europe/Copenhagen") == 0)
        return TZ_CPH;
    return TZ_UNKNOWN;
}

int tz_known(const char *tz)
{
    return tz && tz_id(tz) != TZ_UNKNOWN;
}

static int zone_offset(int zone, int64_t epoch)
{
    int y, m, d;

    if (zone != TZ_CPH)
        return 0;
    civil_from_days(floor_div(epoch, 86400), &y, &m, &d);
    int64_t start = last_sunday(y, 3) * 86400 + 3600;
    int64_t end = last_sunday(y, 10) * 86400 + 3600;
    return epoch >= start && epoch < end ? 120 : 60;
}

int tz_offset(const char *tz, int64_t epoch)
{
    return zone_offset(tz_id(tz), epoch);
}

/* Epoch of a wall-clock time in a zone.  local counts seconds as if the
 * wall clock were UTC.  Summer time is tried first (local - 2h is right
 * when that instant is in summer time), then standard time.  So in
 * Europe/Copenhagen the hour that is repeated in autumn (02:00-02:59 on
 * the last Sunday of October) means its first occurrence, +02:00, and the
 * hour skipped in spring (02:00-02:59 on the last Sunday of March) is read
 * as standard time, +01:00 (02:30+01:00 is the instant 03:30+02:00). */
static int64_t local_to_epoch(int zone, int64_t local, int *offset_min)
{
    if (zone != TZ_CPH) {
        *offset_min = 0;
        return local;
    }
    if (zone_offset(zone, local - 7200) == 120) {
        *offset_min = 120;
        return local - 7200;
    }
    *offset_min = 60;
    return local - 3600;
}

/* The instants of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define EPOCH_MIN INT64_C(-62135596800)
#define EPOCH_MAX INT64_C(253402300799)

void date_from_epoch(int64_t epoch, const char *tz, datetime *out)
{
    int zone = tz_id(tz);

    /* Keep local dates within years 1..9999 (and the arithmetic far from
     * overflow) whatever the offset. */
    if (epoch < EPOCH_MIN)
        epoch = EPOCH_MIN;
    if (epoch > EPOCH_MAX - 14 * 3600)
        epoch = EPOCH_MAX - 14 * 3600;
    int off = zone_offset(zone, epoch);
    int64_t local = epoch + off * 60;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;

    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->utc_offset_min = off;
    out->has_time = 1;
    out->epoch = epoch;
}

/* ------------------------------------------------------------------ */
/* Parsing dates                                                      */
/* ------------------------------------------------------------------ */

static const char *const month_en[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

#define MSG_EXPECTED \
    "expected a date like 2016-04-15 or 2016-04-15T09:30:00+02:00"

/* Messages for two-digit fields out of range, one per possible value, so
 * that date_parse can return a specific message that is still static:
 * DA_D100(M) expands M(00) M(01) ... M(99). */
#define DA_D10(M, t) M(t##0) M(t##1) M(t##2) M(t##3) M(t##4) \
                     M(t##5) M(t##6) M(t##7) M(t##8) M(t##9)
#define DA_D100(M) DA_D10(M, 0) DA_D10(M, 1) DA_D10(M, 2) DA_D10(M, 3) \
                   DA_D10(M, 4) DA_D10(M, 5) DA_D10(M, 6) DA_D10(M, 7) \
                   DA_D10(M, 8) DA_D10(M, 9)
#define MONTH_MSG(n) "month " #n " does not exist",
#define DAY_MSG(n) "day " #n " does not exist",
#define HOUR_MSG(n) "hour " #n " does not exist",
#define MINUTE_MSG(n) "minute " #n " does not exist",
#define SECOND_MSG(n) "second " #n " does not exist",
static const char *const month_msg[100] = { DA_D100(MONTH_MSG) };
static const char *const day_msg[100] = { DA_D100(DAY_MSG) };
static const char *const hour_msg[100] = { DA_D100(HOUR_MSG) };
static const char *const minute_msg[100] = { DA_D100(MINUTE_MSG) };
static const char *const second_msg[100] = { DA_D100(SECOND_MSG) };

#define DAYS_IN(name) { "day 29 does not exist in " name, \
                        "day 30 does not exist in " name, \
                        "day 31 does not exist in " name }
static const char *const day_month_msg[12][3] = {
    DAYS_IN("January"),
    { "day 29 does not exist in February (not a leap year)",
      "day 30 does not exist in February",
      "day 31 does not exist in February" },
    DAYS_IN("March"), DAYS_IN("April"), DAYS_IN("May"), DAYS_IN("June"),
    DAYS_IN("July"), DAYS_IN("August"), DAYS_IN("September"),
    DAYS_IN("October"), DAYS_IN("November"), DAYS_IN("December"),
};

/* What went wrong, for both date_parse (msg only) and date_parse_buf
 * (which names the year when a day does not exist in its month). */
typedef struct date_error {
    const char *msg;
    int day, month, year;   /* day != 0: day does not exist in month/year */
} date_error;

/* Reads exactly n decimal digits at *p. */
static int read_digits(const char **p, int n, int *value)
{
    int v = 0;
    for (int k = 0; k < n; k++) {
        char c = (*p)[k];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *value = v;
    return 1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The parser behind date_parse and date_parse_buf: syntax first, then the
 * fields' ranges from largest to smallest, so the message names the first
 * field that is wrong. */
static int parse_date(const char *s, const char *tz, datetime *out,
                      date_error *e)
{
    int zone = tz_id(tz);
    int y, mo, d, h = 0, mi = 0, sec = 0, has_time = 0;
    int has_offset = 0, off_sign = 1, off_h = 0, off_m = 0;
    const char *p = s;

    memset(e, 0, sizeof *e);
    if (zone == TZ_UNKNOWN) {
        e->msg = "unknown time zone (known: Europe/Copenhagen, UTC)";
        return -1;
    }
    e->msg = MSG_EXPECTED;
    if (!p)
        return -1;
    while (is_blank(*p))
        p++;
    if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo) ||
        *p++ != '-' || !read_digits(&p, 2, &d))
        return -1;
    if ((*p == 'T' || *p == 't' || *p == ' ') && p[1] >= '0' && p[1] <= '9') {
        p++;
        has_time = 1;
        if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &sec))
                return -1;
            if (*p == '.' || *p == ',') {       /* fraction: ignored */
                p++;
                if (*p < '0' || *p > '9')
                    return -1;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
            has_offset = 1;
        } else if (*p == '+' || *p == '-') {
            off_sign = *p++ == '-' ? -1 : 1;
            if (!read_digits(&p, 2, &off_h))
                return -1;
            if (*p == ':')
                p++;
            if (!read_digits(&p, 2, &off_m))
                return -1;
            has_offset = 1;
        }
    }
    while (is_blank(*p))
        p++;
    if (*p)
        return -1;

    if (y == 0) {
        e->msg = "year 0000 does not exist";
        return -1;
    }
    if (mo < 1 || mo > 12) {
        e->msg = month_msg[mo];
        return -1;
    }
    if (d < 1 || d > 31) {
        e->msg = day_msg[d];
        return -1;
    }
    if (d > days_in_month(y, mo)) {
        e->msg = day_month_msg[mo - 1][d - 29];
        e->day = d;
        e->month = mo;
        e->year = y;
        return -1;
    }
    if (h > 23) {
        e->msg = hour_msg[h];
        return -1;
    }
    if (mi > 59) {
        e->msg = minute_msg[mi];
        return -1;
    }
    if (sec > 59) {
        e->msg = second_msg[sec];
        return -1;
    }
    if (off_m > 59 || off_h * 60 + off_m > 14 * 60) {
        e->msg = "time zone offset must be between -14:00 and +14:00";
        return -1;
    }

    int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    out->year = y;
    out->month = mo;
    out->day = d;
    out->hour = h;
    out->minute = mi;
    out->second = sec;
    out->has_time = has_time;
    if (has_offset) {
        out->utc_offset_min = off_sign * (off_h * 60 + off_m);
        out->epoch = local - out->utc_offset_min * 60;
    } else {
        out->epoch = local_to_epoch(zone, local, &out->utc_offset_min);
    }
    e->msg = NULL;
    return 0;
}

int date_parse(const char *s, const char *tz, datetime *out, const char **err)
{
    date_error e;
    int rc = parse_date(s, tz, out, &e);
    if (rc != 0 && err)
        *err = e.msg;
    return rc;
}

int date_parse_buf(const char *s, const char *tz, datetime *out, buf *err)
{
    date_error e;
    int rc = parse_date(s, tz, out, &e);
    if (rc != 0 && err) {
        if (e.day)
            buf_printf(err, "day %d does not exist in %s %d", e.day,
                       month_en[e.month - 1], e.year);
        else
            buf_puts(err, e.msg);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Formatting dates                                                   */
/* ------------------------------------------------------------------ */

static int month_index(const datetime *d)
{
    return d->month >= 1 && d->month <= 12 ? d->month - 1 : 0;
}

void date_format_iso(const datetime *d, buf *out)
{
    int off = d->utc_offset_min, a = off < 0 ? -off : off;
    buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->year,
               d->month, d->day, d->hour, d->minute, d->second,
               off < 0 ? '-' : '+', a / 60, a % 60);
}

void date_format_ymd(const datetime *d, buf *out)
{
    buf_printf(out, "%04d-%02d-%02d", d->year, d->month, d->day);
}

void date_format_long_da(const datetime *d, buf *out)
{
    static const char *const month_da[12] = {
        "januar", "februar", "marts", "april", "maj", "juni", "juli",
        "august", "september", "oktober", "november", "december",
    };
    buf_printf(out, "%d. %s %d", d->day, month_da[month_index(d)], d->year);
}

void date_format_rfc822(const datetime *d, buf *out)
{
    static const char *const wday[7] = {"Sun", "Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat"};
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May",
                                        "Jun", "Jul", "Aug", "Sep", "Oct",
                                        "Nov", "Dec"};
    int off = d->utc_offset_min, a = off < 0 ? -off : off;
    int64_t days = days_from_civil(d->year, month_index(d) + 1, d->day);
    buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
               wday[weekday(days)], d->day, mon[month_index(d)], d->year,
               d->hour, d->minute, d->second, off < 0 ? '-' : '+', a / 60,
               a % 60);
}

/* ------------------------------------------------------------------ */
/* Numbers                                                            */
/* ------------------------------------------------------------------ */

/* Rounds in decimal, not in binary: the number is first written with the
 * fewest significant digits (15..17) that read back as the same double,
 * so 2.675 is the digits "2675" and rounds to "2,68" as a reader expects,
 * although the double itself is slightly below 2.675.  Rounding is half
 * away from zero, on those digits.  Only snprintf("%e") and strtod are
 * used, and their decimal point is found without assuming it is '.'. */
void number_format_da(double n, int decimals, buf *out)
{
    char tmp[64], dig[32], r[400];
    int nd = 0, exp10, point, ip, len, neg;
    const char *p;

    if (isnan(n)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(n)) {
        buf_puts(out, n < 0 ? "-\xE2\x88\x9E" : "\xE2\x88\x9E");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 20)
        decimals = 20;
    neg = n < 0;
    n = fabs(n);
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, n);
        if (strtod(tmp, NULL) == n)
            break;
    }
    for (p = tmp; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9')
            dig[nd++] = *p;
    exp10 = *p ? atoi(p + 1) : 0;
    point = exp10 + 1;                  /* digits before the decimal point */
    if (n == 0)
        point = 1;
    ip = point > 1 ? point : 1;
    len = ip + decimals;

    /* r[k]: digit k of the result, r[0] being the leading integer digit. */
    for (int k = 0; k <= len; k++) {
        int j = k - (ip - point);
        r[k] = j >= 0 && j < nd ? dig[j] : '0';
    }
    int carry = r[len] >= '5';
    for (int k = len - 1; k >= 0 && carry; k--) {
        if (r[k] == '9') {
            r[k] = '0';
        } else {
            r[k]++;
            carry = 0;
        }
    }
    if (carry) {
        memmove(r + 1, r, (size_t)len);
        r[0] = '1';
        ip++;
        len++;
    }
    int all_zero = 1;
    for (int k = 0; k < len; k++)
        if (r[k] != '0')
            all_zero = 0;
    if (neg && !all_zero)
        buf_putc(out, '-');
    for (int k = 0; k < ip; k++) {
        if (k > 0 && (ip - k) % 3 == 0)
            buf_putc(out, '.');
        buf_putc(out, r[k]);
    }
    if (decimals > 0) {
        buf_putc(out, ',');
        buf_put(out, r + ip, (size_t)decimals);
    }
}

/* ------------------------------------------------------------------ */
/* Collation                                                          */
/* ------------------------------------------------------------------ */

/*
 * Each character becomes one or more collation elements (CEs) of three
 * weights, as in ICU:
 *
 *   p  primary: the base letter or symbol (0 for a combining accent);
 *   s  secondary: accents.  A CE with a primary has COMMON, or a slightly
 *      higher weight for letters the Danish rules make "an accented form"
 *      of another (ä of æ, ü of y, ...); accents are separate CEs (p = 0)
 *      with DUCET's secondary weight times 8, which is above all of those;
 *   t  tertiary: case in the high byte (upper 0 < mixed 1 < lower or
 *      uncased 2, i.e. caseFirst=upper) and DUCET's tertiary weight in the
 *      low byte (2 plain, 4 compatibility form such as ß, 0x14 superscript).
 *
 * Two strings are compared on their sequences of non-zero primaries, then
 * of secondaries, then of tertiaries; the first difference decides.
 *
 * Primary ranges (p = group << 21, leaving 21 bits for a code point):
 *   groups 1..149  whitespace, punctuation, symbols, currency (coll_syms)
 *   113 << 21 | cp symbols not in the table (emoji, arrows, ...)
 *   150..159       digits 0..9
 *   160..195       letters a..z, with ı ŋ ĸ ŧ ʼ in their places, then æ ø å
 *   210 << 21 | cp everything else (other scripts), in code point order
 */
typedef struct coll_ce {
    uint32_t p;
    uint16_t s, t;
} coll_ce;

#define COMMON 0x100
#define UPPER (0u << 8)
#define MIXED (1u << 8)
#define LOWER (2u << 8)
#define GROUP(g) ((uint32_t)(g) << 21)
#define SYMBOL_FALLBACK GROUP(113)
#define DIGIT(d) GROUP(150 + (d))
#define OTHER_FALLBACK GROUP(210)

/* Letter primaries, in order. */
enum {
    L_A = 160, L_B, L_C, L_D, L_E, L_F, L_G, L_H, L_I, L_DOTLESS_I, L_J,
    L_K, L_L, L_M, L_N, L_ENG, L_O, L_P, L_Q, L_KRA, L_R, L_S, L_T,
    L_T_STROKE, L_U, L_V, L_W, L_X, L_Y, L_Z, L_APOSTROPHE, L_AE, L_OE,
    L_AA
};

static uint32_t letter_primary(char c)
{
    static const unsigned char order[26] = {
        L_A, L_B, L_C, L_D, L_E, L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M,
        L_N, L_O, L_P, L_Q, L_R, L_S, L_T, L_U, L_V, L_W, L_X, L_Y, L_Z,
    };
    int k = c >= 'a' ? c - 'a' : c - 'A';
    return GROUP(order[k]);
}

/* Whitespace, punctuation and symbols of ASCII, Latin-1, General
 * Punctuation and Currency Symbols, in CLDR root order: {code point,
 * group (primary), secondary rank, tertiary rank}.  Members of one group
 * differ only in their secondary or tertiary weight (the quotation marks,
 * the spaces). */
static const struct coll_sym {
    uint16_t cp;
    unsigned char group, s, t;
} coll_syms[] = {
    {0x0009, 1, 0, 0}, {0x000A, 2, 0, 0}, {0x000B, 3, 0, 0}, {0x000C, 4, 0, 0},
    {0x000D, 5, 0, 0}, {0x0085, 6, 0, 0}, {0x2028, 7, 0, 0}, {0x2029, 8, 0, 0},
    {0x0020, 9, 0, 0}, {0x2000, 9, 0, 1}, {0x2001, 9, 0, 2}, {0x2002, 9, 0, 3},
    {0x2003, 9, 0, 4}, {0x2004, 9, 0, 5}, {0x2005, 9, 0, 6}, {0x2006, 9, 0, 7},
    {0x2008, 9, 0, 8}, {0x2009, 9, 0, 9}, {0x200A, 9, 0, 10}, {0x205F, 9, 0, 11},
    {0x00A0, 9, 0, 12}, {0x2007, 9, 0, 13}, {0x202F, 9, 0, 14},
    {0x203E, 10, 0, 0}, {0x005F, 11, 0, 0}, {0x2017, 12, 0, 0},
    {0x002D, 13, 0, 0}, {0x2010, 14, 0, 0}, {0x2011, 14, 0, 1},
    {0x2012, 15, 0, 0}, {0x2013, 16, 0, 0}, {0x2014, 17, 0, 0},
    {0x2015, 18, 0, 0}, {0x2053, 19, 0, 0}, {0x002C, 20, 0, 0},
    {0x003B, 21, 0, 0}, {0x204F, 22, 0, 0}, {0x003A, 23, 0, 0},
    {0x0021, 24, 0, 0}, {0x00A1, 25, 0, 0}, {0x003F, 26, 0, 0},
    {0x00BF, 27, 0, 0}, {0x203D, 28, 0, 0}, {0x002E, 29, 0, 0},
    {0x2024, 29, 0, 1}, {0x00B7, 30, 0, 0}, {0x2055, 31, 0, 0},
    {0x2056, 32, 0, 0}, {0x2058, 33, 0, 0}, {0x2059, 34, 0, 0},
    {0x205A, 35, 0, 0}, {0x205B, 36, 0, 0}, {0x205C, 37, 0, 0},
    {0x205D, 38, 0, 0}, {0x205E, 39, 0, 0}, {0x0027, 40, 0, 0},
    {0x2018, 40, 1, 1}, {0x2019, 40, 2, 2}, {0x201A, 40, 3, 3},
    {0x201B, 40, 4, 4}, {0x2039, 41, 0, 0}, {0x203A, 42, 0, 0},
    {0x0022, 43, 0, 0}, {0x201C, 43, 1, 1}, {0x201D, 43, 2, 2},
    {0x201E, 43, 3, 3}, {0x201F, 43, 4, 4}, {0x00AB, 44, 0, 0},
    {0x00BB, 45, 0, 0}, {0x0028, 46, 0, 0}, {0x0029, 47, 0, 0},
    {0x005B, 48, 0, 0}, {0x005D, 49, 0, 0}, {0x007B, 50, 0, 0},
    {0x007D, 51, 0, 0}, {0x2045, 52, 0, 0}, {0x2046, 53, 0, 0},
    {0x2016, 54, 0, 0}, {0x00A7, 55, 0, 0}, {0x00B6, 56, 0, 0},
    {0x204B, 57, 0, 0}, {0x0040, 58, 0, 0}, {0x002A, 59, 0, 0},
    {0x204E, 60, 0, 0}, {0x2051, 61, 0, 0}, {0x002F, 62, 0, 0},
    {0x005C, 63, 0, 0}, {0x0026, 64, 0, 0}, {0x204A, 65, 0, 0},
    {0x0023, 66, 0, 0}, {0x0025, 67, 0, 0}, {0x2030, 68, 0, 0},
    {0x2031, 69, 0, 0}, {0x2020, 70, 0, 0}, {0x2021, 71, 0, 0},
    {0x2022, 72, 0, 0}, {0x2023, 73, 0, 0}, {0x2027, 74, 0, 0},
    {0x2043, 75, 0, 0}, {0x204C, 76, 0, 0}, {0x204D, 77, 0, 0},
    {0x2032, 78, 0, 0}, {0x2035, 79, 0, 0}, {0x2038, 80, 0, 0},
    {0x203B, 81, 0, 0}, {0x203F, 82, 0, 0}, {0x2054, 83, 0, 0},
    {0x2040, 84, 0, 0}, {0x2050, 85, 0, 0}, {0x2041, 86, 0, 0},
    {0x2042, 87, 0, 0}, {0x0060, 88, 0, 0}, {0x00B4, 89, 0, 0},
    {0x005E, 90, 0, 0}, {0x00AF, 91, 0, 0}, {0x00A8, 92, 0, 0},
    {0x00B8, 93, 0, 0}, {0x00B0, 94, 0, 0}, {0x00A9, 95, 0, 0},
    {0x00AE, 96, 0, 0}, {0x2190, 97, 0, 0}, {0x2192, 98, 0, 0},
    {0x002B, 99, 0, 0}, {0x00B1, 100, 0, 0}, {0x00F7, 101, 0, 0},
    {0x00D7, 102, 0, 0}, {0x003C, 103, 0, 0}, {0x003D, 104, 0, 0},
    {0x003E, 105, 0, 0}, {0x00AC, 106, 0, 0}, {0x007C, 107, 0, 0},
    {0x00A6, 108, 0, 0}, {0x007E, 109, 0, 0}, {0x2212, 110, 0, 0},
    {0x2052, 111, 0, 0}, {0x2044, 112, 0, 0}, {0x221E, 113, 0, 0},
    {0x00A4, 114, 0, 0}, {0x00A2, 115, 0, 0}, {0x0024, 116, 0, 0},
    {0x00A3, 117, 0, 0}, {0x00A5, 118, 0, 0}, {0x20A0, 119, 0, 0},
    {0x20A1, 120, 0, 0}, {0x20A2, 121, 0, 0}, {0x20A3, 122, 0, 0},
    {0x20A4, 123, 0, 0}, {0x20A5, 124, 0, 0}, {0x20A6, 125, 0, 0},
    {0x20A9, 126, 0, 0}, {0x20AA, 127, 0, 0}, {0x20AB, 128, 0, 0},
    {0x20AC, 129, 0, 0}, {0x20AD, 130, 0, 0}, {0x20AE, 131, 0, 0},
    {0x20AF, 132, 0, 0}, {0x20B0, 133, 0, 0}, {0x20B1, 134, 0, 0},
    {0x20B2, 135, 0, 0}, {0x20B3, 136, 0, 0}, {0x20B4, 137, 0, 0},
    {0x20B5, 138, 0, 0}, {0x20B6, 139, 0, 0}, {0x20B7, 140, 0, 0},
    {0x20B8, 141, 0, 0}, {0x20B9, 142, 0, 0}, {0x20BA, 143, 0, 0},
    {0x20BB, 144, 0, 0}, {0x20BC, 145, 0, 0}, {0x20BD, 146, 0, 0},
    {0x20BE, 147, 0, 0}, {0x20BF, 148, 0, 0}, {0x20C0, 149, 0, 0},
};

/* DUCET secondary weights of the combining marks U+0300..U+0362 (0: none). */
static const unsigned char mark_weight[0x363 - 0x300] = {
    0x25, 0x24, 0x27, 0x2D, 0x32, 0x3A, 0x26, 0x2E, 0x2B, 0x3B, 0x29, 0x2C, 0x28, 0x33, 0x33, 0x3C,
    0x3D, 0x3E, 0x33, 0x22, 0x23, 0x33, 0x34, 0x34, 0x34, 0x34, 0x33, 0x3F, 0x34, 0x34, 0x34, 0x34,
    0x34, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x30, 0x31, 0x34, 0x34, 0x34, 0x34, 0x46, 0x47, 0x34,
    0x48, 0x49, 0x21, 0x34, 0x4A, 0x39, 0x35, 0x35, 0x2F, 0x4B, 0x34, 0x34, 0x34, 0x33, 0x33, 0x33,
    0x25, 0x24, 0x2A, 0x22, 0x2B, 0x4C, 0x33, 0x34, 0x34, 0x34, 0x33, 0x33, 0x33, 0x34, 0x34, 0x00,
    0x33, 0x33, 0x33, 0x34, 0x34, 0x34, 0x34, 0x33, 0x4D, 0x34, 0x34, 0x33, 0x34, 0x33, 0x33, 0x34,
    0x4E, 0x4F, 0x34,
};

#define MAX_MARKS 8

/* Iterator over the CEs of a string.  coll_fill turns the next character
 * (with its combining marks, or two letters for "aa" and "l·") into a few
 * CEs in q: at most 1 + MAX_MARKS, or 4 for the longest expansion. */
typedef struct coll_iter {
    const unsigned char *s;
    size_t len, i;
    coll_ce q[MAX_MARKS + 4];
    int nq, iq;
} coll_iter;

static void push(coll_iter *it, uint32_t p, unsigned s, unsigned t)
{
    coll_ce ce = {p, (uint16_t)s, (uint16_t)t};
    it->q[it->nq++] = ce;
}

static void push_mark(coll_iter *it, uint32_t mark, unsigned tert)
{
    unsigned w = mark < 0x363 ? mark_weight[mark - 0x300] : 0x50;
    push(it, 0, (w ? w : 0x50) * 8, LOWER | tert);
}

static uint32_t peek(const coll_iter *it, size_t *next)
{
    *next = it->i;
    if (it->i >= it->len)
        return 0;
    return utf8_next(it->s, it->len, next);
}

/* CEs of one code point with no Danish tailoring involved: ASCII letters
 * and digits, the non-decomposing Latin letters, symbols from coll_syms,
 * a few expansions (… ½ ™), and coarse weights for the rest. */
static void coll_base(coll_iter *it, uint32_t cp)
{
    static const struct { uint16_t cp, parts[4]; unsigned char t; } expand[] = {
        {0x2025, {0x2E, 0x2E}, 4}, {0x2026, {0x2E, 0x2E, 0x2E}, 4},
        {0x203C, {0x21, 0x21}, 4}, {0x2047, {0x3F, 0x3F}, 4},
        {0x2048, {0x3F, 0x21}, 4}, {0x2049, {0x21, 0x3F}, 4},
        {0x2033, {0x2032, 0x2032}, 4}, {0x2034, {0x2032, 0x2032, 0x2032}, 4},
        {0x2057, {0x2032, 0x2032, 0x2032, 0x2032}, 4},
        {0x2036, {0x2035, 0x2035}, 4}, {0x2037, {0x2035, 0x2035, 0x2035}, 4},
        {0x00BD, {'1', 0x2044, '2'}, 0x1E}, {0x00BC, {'1', 0x2044, '4'}, 0x1E},
        {0x00BE, {'3', 0x2044, '4'}, 0x1E}, {0x2122, {'t', 'm'}, 0x14},
    };
    uint32_t L = LOWER, U = UPPER;

    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
        push(it, letter_primary((char)cp), COMMON, cp >= 'a' ? L | 2 : U | 8);
        return;
    }
    if (cp >= '0' && cp <= '9') {
        push(it, DIGIT(cp - '0'), COMMON, L | 2);
        return;
    }
    switch (cp) {
    case 0xAA: push(it, GROUP(L_A), COMMON, L | 0x14); return;      /* ª */
    case 0xBA: push(it, GROUP(L_O), COMMON, L | 0x14); return;      /* º */
    case 0xB9: push(it, DIGIT(1), COMMON, L | 0x14); return;        /* ¹ */
    case 0xB2: push(it, DIGIT(2), COMMON, L | 0x14); return;        /* ² */
    case 0xB3: push(it, DIGIT(3), COMMON, L | 0x14); return;        /* ³ */
    case 0xB5: push(it, OTHER_FALLBACK | 0x3BC, COMMON, L | 4); return; /* µ = μ */
    case 0xC6: push(it, GROUP(L_AE), COMMON, U | 8); return;        /* Æ */
    case 0xE6: push(it, GROUP(L_AE), COMMON, L | 2); return;        /* æ */
    case 0xD8: push(it, GROUP(L_OE), COMMON, U | 8); return;        /* Ø */
    case 0xF8: push(it, GROUP(L_OE), COMMON, L | 2); return;        /* ø */
    case 0x110: push(it, GROUP(L_D), COMMON + 1, U | 8); return;    /* Đ */
    case 0x111: push(it, GROUP(L_D), COMMON + 1, L | 2); return;    /* đ */
    case 0xD0: push(it, GROUP(L_D), COMMON + 2, U | 8); return;     /* Ð */
    case 0xF0: push(it, GROUP(L_D), COMMON + 2, L | 2); return;     /* ð */
    case 0xDE:                                                      /* Þ = T/H */
        push(it, GROUP(L_T), COMMON, U | 9);
        push(it, GROUP(L_H), COMMON, U | 8);
        return;
    case 0xFE:                                                      /* þ = t/h */
        push(it, GROUP(L_T), COMMON, L | 3);
        push(it, GROUP(L_H), COMMON, L | 2);
        return;
    case 0xDF:                                                      /* ß */
        push(it, GROUP(L_S), COMMON, L | 4);
        push(it, 0, 0x118 * 8, L | 4);
        push(it, GROUP(L_S), COMMON, L | 4);
        return;
    case 0x17F:                                                     /* ſ */
        push(it, GROUP(L_S), COMMON, L | 4);
        push(it, 0, 0x119 * 8, L | 4);
        return;
    case 0x132: case 0x133:                                         /* Ĳ ĳ */
        push(it, GROUP(L_I), COMMON, cp == 0x132 ? U | 0xA : L | 4);
        push(it, GROUP(L_J), COMMON, cp == 0x132 ? U | 0xA : L | 4);
        return;
    case 0x152: case 0x153:                                         /* Œ œ */
        push(it, GROUP(L_O), COMMON, cp == 0x152 ? U | 0xA : L | 4);
        push(it, 0, 0x118 * 8, L | 4);
        push(it, GROUP(L_E), COMMON, cp == 0x152 ? U | 0xA : L | 4);
        return;
    case 0x126: case 0x127:                                         /* Ħ ħ */
        push(it, GROUP(L_H), COMMON, cp == 0x126 ? U | 8 : L | 2);
        push(it, 0, 0x39 * 8, L | 2);
        return;
    case 0x141: case 0x142:                                         /* Ł ł */
        push(it, GROUP(L_L), COMMON, cp == 0x141 ? U | 8 : L | 2);
        push(it, 0, 0x39 * 8, L | 2);
        return;
    case 0x13F: case 0x140:                                         /* Ŀ ŀ */
        push(it, GROUP(L_L), COMMON, cp == 0x13F ? U | 8 : L | 2);
        push(it, 0, 0x118 * 8, L | 2);
        return;
    case 0x131: push(it, GROUP(L_DOTLESS_I), COMMON, L | 2); return; /* ı */
    case 0x138: push(it, GROUP(L_KRA), COMMON, L | 2); return;      /* ĸ */
    case 0x14A: push(it, GROUP(L_ENG), COMMON, U | 8); return;      /* Ŋ */
    case 0x14B: push(it, GROUP(L_ENG), COMMON, L | 2); return;      /* ŋ */
    case 0x166: push(it, GROUP(L_T_STROKE), COMMON, U | 8); return; /* Ŧ */
    case 0x167: push(it, GROUP(L_T_STROKE), COMMON, L | 2); return; /* ŧ */
    case 0x2BC: push(it, GROUP(L_APOSTROPHE), COMMON, L | 2); return; /* ʼ */
    case 0x20A7:                                                    /* ₧ = Pts */
        push(it, GROUP(L_P), COMMON, U | 0xA);
        push(it, GROUP(L_T), COMMON, L | 4);
        push(it, GROUP(L_S), COMMON, L | 4);
        return;
    case 0x20A8:                                                    /* ₨ = Rs */
        push(it, GROUP(L_R), COMMON, U | 0xA);
        push(it, GROUP(L_S), COMMON, L | 4);
        return;
    case 0x149:                                                     /* ŉ = ʼn */
        push(it, GROUP(L_APOSTROPHE), COMMON, L | 4);
        push(it, GROUP(L_N), COMMON, L | 4);
        return;
    }
    for (size_t k = 0; k < sizeof expand / sizeof expand[0]; k++) {
        if (expand[k].cp != cp)
            continue;
        for (int j = 0; j < 4 && expand[k].parts[j]; j++) {
            coll_base(it, expand[k].parts[j]);
            it->q[it->nq - 1].t = (uint16_t)(L | expand[k].t);
        }
        return;
    }
    /* coll_syms is short; a linear search keeps the table readable. */
    for (size_t k = 0; k < sizeof coll_syms / sizeof coll_syms[0]; k++) {
        if (coll_syms[k].cp == cp) {
            push(it, GROUP(coll_syms[k].group), COMMON + coll_syms[k].s,
                 L | (2 + coll_syms[k].t));
            return;
        }
    }
    /* Not in the tables: General Punctuation, arrows, dingbats, emoji and
     * the like sort among the symbols, before currency signs and digits;
     * anything else (Greek, Cyrillic, CJK, ...) after all Latin letters.
     * Both in code point order, which is only roughly ICU's order. */
    if (((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x1F000 && cp <= 0x1FBFF)) &&
        cp != 0x2065)                   /* unassigned: last, as in ICU */
        push(it, SYMBOL_FALLBACK | cp, COMMON, L | 2);
    else
        push(it, OTHER_FALLBACK | cp, COMMON, L | 2);
}

/* The Danish tailoring for a base letter followed by one accent: å is a
 * letter of its own after ø; ä, ö, ő, ü, ű are secondary variants of æ,
 * ø, ø, y, y.  Returns 0 when (base, mark) is not such a pair. */
static int coll_tailored(coll_iter *it, char base, uint32_t mark)
{
    unsigned t = base >= 'a' ? LOWER | 2 : UPPER | 8;
    char b = base >= 'a' ? base : (char)(base - 'A' + 'a');

    if (b == 'a' && mark == 0x30A)
        push(it, GROUP(L_AA), COMMON, t);
    else if (b == 'a' && mark == 0x308)
        push(it, GROUP(L_AE), COMMON + 1, t);
    else if (b == 'o' && mark == 0x308)
        push(it, GROUP(L_OE), COMMON + 1, t);
    else if (b == 'o' && mark == 0x30B)
        push(it, GROUP(L_OE), COMMON + 2, t);
    else if (b == 'u' && mark == 0x308)
        push(it, GROUP(L_Y), COMMON + 1, t);
    else if (b == 'u' && mark == 0x30B)
        push(it, GROUP(L_Y), COMMON + 2, t);
    else
        return 0;
    return 1;
}

/* Canonical combining class of a combining mark U+0300..U+036F (most are
 * 230, "above"). */
static int mark_ccc(uint32_t cp)
{
    static const struct { uint16_t lo, hi; unsigned char ccc; } r[] = {
        {0x315, 0x315, 232}, {0x316, 0x319, 220}, {0x31A, 0x31A, 232},
        {0x31B, 0x31B, 216}, {0x31C, 0x320, 220}, {0x321, 0x322, 202},
        {0x323, 0x326, 220}, {0x327, 0x328, 202}, {0x329, 0x333, 220},
        {0x334, 0x338, 1},   {0x339, 0x33C, 220}, {0x345, 0x345, 240},
        {0x347, 0x349, 220}, {0x34D, 0x34E, 220}, {0x353, 0x356, 220},
        {0x358, 0x358, 232}, {0x359, 0x35A, 220}, {0x35C, 0x35C, 233},
        {0x35D, 0x35E, 234}, {0x35F, 0x35F, 233}, {0x360, 0x361, 234},
        {0x362, 0x362, 233},
    };
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        if (cp >= r[k].lo && cp <= r[k].hi)
            return r[k].ccc;
    return 230;
}

/* Collects the accents of the letter just read: first (from its
 * decomposition, or 0) and the combining marks that follow it, put in
 * canonical order (stable sort by combining class) as NFD would have them,
 * so that "ą" + ring and "å" + ogonek give the same marks. */
static int collect_marks(coll_iter *it, uint32_t first, uint32_t *marks)
{
    int n = 0;
    size_t next_i;
    uint32_t cp;

    if (first)
        marks[n++] = first;
    while (n < MAX_MARKS && is_combining(cp = peek(it, &next_i))) {
        marks[n++] = cp;
        it->i = next_i;
    }
    for (int k = 1; k < n; k++) {
        uint32_t m = marks[k];
        int c = mark_ccc(m), j = k;
        for (; j > 0 && mark_ccc(marks[j - 1]) > c; j--)
            marks[j] = marks[j - 1];
        marks[j] = m;
    }
    return n;
}

static void push_marks(coll_iter *it, const uint32_t *marks, int n, int skip)
{
    for (int k = 0; k < n; k++)
        if (k != skip)
            push_mark(it, marks[k], 2);
}

/* Reads the next character and queues its CEs.  A precomposed letter is
 * taken as base letter + accents (its own and any combining marks after
 * it, in canonical order), which is how ICU's canonical closure sees it.
 * Then:
 *   - "l·" and "L·" (middle dot) are ŀ and Ŀ, as in CLDR root;
 *   - "aa", "Aa", "AA" (not "aA") contract to one CE of å's primary, with
 *     tertiary weights ordering å < Å < aa < Aa < AA before the case
 *     reordering (so Å < AA < Aa < å < aa overall, as in ICU); the second
 *     a may carry accents ("aá" is å + acute), the first may not;
 *   - a tailored pair (coll_tailored) of the base and an accent that no
 *     earlier accent of the same combining class blocks becomes one CE,
 *     followed by the other accents ("ą" + ring is å + ogonek);
 *   - otherwise the base's CEs are followed by one CE per accent. */
static void coll_fill(coll_iter *it)
{
    uint32_t cp = utf8_next(it->s, it->len, &it->i), mark = 0;
    uint32_t marks[MAX_MARKS];
    int nm;
    char base;

    if (is_ignorable(cp))
        return;
    if (is_combining(cp)) {             /* marks with no base letter */
        it->i -= 2;                     /* every mark is 2 bytes in UTF-8 */
        nm = collect_marks(it, 0, marks);
        push_marks(it, marks, nm, -1);
        return;
    }
    base = latin_base(cp, &mark);
    if (!base) {
        if (!((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))) {
            coll_base(it, cp);
            nm = collect_marks(it, 0, marks);
            push_marks(it, marks, nm, -1);
            return;
        }
        base = (char)cp;
    }
    nm = collect_marks(it, mark, marks);
    if (nm == 0 && (base == 'l' || base == 'L')) {
        size_t next_i;
        if (peek(it, &next_i) == 0xB7) {        /* "l·" is ŀ (CLDR root) */
            it->i = next_i;
            coll_base(it, base == 'l' ? 0x140 : 0x13F);
            return;
        }
    }
    if (nm == 0 && (base == 'a' || base == 'A')) {
        size_t next_i;
        uint32_t next_cp = peek(it, &next_i), mark2 = 0;
        char base2 = latin_base(next_cp, &mark2);
        if (!base2 && (next_cp == 'a' || next_cp == 'A'))
            base2 = (char)next_cp;
        if ((base2 == 'a' && base == 'a') || (base2 == 'a' && base == 'A') ||
            (base2 == 'A' && base == 'A')) {
            unsigned t = base == 'a' ? LOWER | 0x20
                       : base2 == 'a' ? MIXED | 0x21 : UPPER | 0x22;
            it->i = next_i;
            push(it, GROUP(L_AA), COMMON, t);
            nm = collect_marks(it, mark2, marks);
            push_marks(it, marks, nm, -1);
            return;
        }
    }
    for (int k = 0; k < nm; k++) {
        int blocked = 0;
        for (int j = 0; j < k; j++)
            if (mark_ccc(marks[j]) == mark_ccc(marks[k]))
                blocked = 1;
        if (!blocked && coll_tailored(it, base, marks[k])) {
            push_marks(it, marks, nm, k);
            return;
        }
    }
    coll_base(it, (unsigned char)base);
    push_marks(it, marks, nm, -1);
}

static int coll_next(coll_iter *it, coll_ce *ce)
{
    while (it->iq == it->nq) {
        if (it->i >= it->len)
            return 0;
        it->nq = it->iq = 0;
        coll_fill(it);
    }
    *ce = it->q[it->iq++];
    return 1;
}

static void coll_start(coll_iter *it, const char *s)
{
    it->s = (const unsigned char *)s;
    it->len = strlen(s);
    it->i = 0;
    it->nq = it->iq = 0;
}

/* Weight of a CE at a level (1..3); 0 means "skip at this level". */
static uint32_t level_weight(const coll_ce *ce, int level)
{
    return level == 1 ? ce->p : level == 2 ? ce->s : ce->t;
}

/* Compares the sequences of non-zero level weights of a and b.  The CEs
 * are recomputed for each level instead of being stored, so comparing
 * never allocates; most comparisons end at the first level anyway. */
static int compare_level(const char *a, const char *b, int level)
{
    coll_iter ia, ib;
    coll_ce ca, cb;

    coll_start(&ia, a);
    coll_start(&ib, b);
    for (;;) {
        uint32_t wa = 0, wb = 0;
        int ha, hb;
        while ((ha = coll_next(&ia, &ca)) && !(wa = level_weight(&ca, level)))
            ;
        while ((hb = coll_next(&ib, &cb)) && !(wb = level_weight(&cb, level)))
            ;
        if (!ha || !hb)
            return ha - hb;
        if (wa != wb)
            return wa < wb ? -1 : 1;
    }
}

int collate_da(const char *a, const char *b)
{
    int c;

    if (!a)
        a = "";
    if (!b)
        b = "";
    for (int level = 1; level <= 3; level++)
        if ((c = compare_level(a, b, level)) != 0)
            return c;
    c = strcmp(a, b);
    return (c > 0) - (c < 0);
}

/* ------------------------------------------------------------------ */
/* Edit distance                                                      */
/* ------------------------------------------------------------------ */

/* Levenshtein distance with one row of the table kept. */
int edit_distance(const char *a, const char *b)
{
    size_t n, m;
    int *row;

    if (!a)
        a = "";
    if (!b)
        b = "";
    n = strlen(a);
    m = strlen(b);
    row = xmalloc((m + 1) * sizeof *row);
    for (size_t j = 0; j <= m; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int d = row[m];
    free(row);
    return d;
}

const char *did_you_mean(const char *word, const char *const *known)
{
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; known[i]; i++) {
        int d = edit_distance(word, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    return best;
}
