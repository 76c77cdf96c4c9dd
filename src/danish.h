/*
 * danish.h - Danish language and locale rules: slugs, dates in the site
 * time zone, numbers, collation, UTF-8 checks.
 *
 * Nothing here uses the C library's locale or the TZ database: output must
 * be the same on every machine, so the rules are written out (EU summer
 * time for Europe/Copenhagen; CLDR "da" collation order for letters).
 */
#ifndef FORMIDL_DANISH_H
#define FORMIDL_DANISH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* ---- UTF-8 ---- */

/* Returns 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF); otherwise 0 and *bad_offset is the byte offset
 * of the first invalid byte. */
int utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decode the UTF-8 sequence at s[0..len) (len >= 1) strictly.  Returns its
 * length in bytes and sets *cp; an invalid sequence counts as 1 byte with
 * *cp = UINT32_MAX, so a caller can step over bad bytes one at a time. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* ---- slugs ---- */

/* Append the URL slug of text to out: lower case; æ→ae, ø→oe, å→aa (and
 * capitals); é, ü, ... lose their accents; ß→ss; every run of other
 * characters becomes one '-'; no leading or trailing '-'.
 * "Frisættende ledelse & styring" → "frisaettende-ledelse-styring".
 * Returns the number of bytes appended (0 when nothing is left). */
size_t slugify(const char *text, buf *out);

/* ---- dates ---- */

typedef struct datetime {
    int year, month, day;       /* local calendar date */
    int hour, minute, second;   /* local time */
    int utc_offset_min;         /* e.g. 60 or 120 for Copenhagen */
    int has_time;               /* the source gave a time of day */
    int64_t epoch;              /* seconds since 1970-01-01T00:00:00Z */
} datetime;

/* Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]"
 * with an optional "Z" or "+HH:MM"/"-HH:MM" offset.  A date without an
 * offset is local time in the given zone (see tz_offset).  Impossible
 * dates (2023-02-30, month 13, hour 25) are rejected.  Returns 0 on
 * success; otherwise -1 and *err points at a static English message
 * ("month 13 does not exist", "day 30 does not exist in February"; a
 * static message cannot name the year: see date_parse_buf).
 * Fractional seconds (".123") are accepted and ignored.  With an explicit
 * offset the fields are kept as written and epoch is the instant.  In
 * Europe/Copenhagen a local time in the hour skipped in spring is read as
 * +01:00, one in the hour repeated in autumn as the first, +02:00. */
int date_parse(const char *s, const char *tz, datetime *out, const char **err);

/* Like date_parse, but on failure appends the message to err, naming the
 * year when a day does not exist: "day 30 does not exist in February 2023". */
int date_parse_buf(const char *s, const char *tz, datetime *out, buf *err);

/* Fill out from a moment in time, in the given zone. */
void date_from_epoch(int64_t epoch, const char *tz, datetime *out);

/* Is tz a zone this module knows? ("Europe/Copenhagen", "UTC"). */
int tz_known(const char *tz);

/* Offset from UTC in minutes in zone tz at the given UTC moment
 * (Europe/Copenhagen: +60, or +120 from the last Sunday of March 01:00 UTC
 * to the last Sunday of October 01:00 UTC). */
int tz_offset(const char *tz, int64_t epoch);

/* "2016-04-15T09:30:00+02:00" */
void date_format_iso(const datetime *d, buf *out);
/* "2016-04-15" */
void date_format_ymd(const datetime *d, buf *out);
/* "15. april 2016" (month names in lower case) */
void date_format_long_da(const datetime *d, buf *out);
/* "Fri, 15 Apr 2016 09:30:00 +0200" (RFC 822, English names) */
void date_format_rfc822(const datetime *d, buf *out);

/* ---- numbers ---- */

/* Danish number format: "1.234,5" (decimals digits after the comma,
 * rounded; decimals 0 gives "2.200.000"). */
void number_format_da(double n, int decimals, buf *out);

/* ---- collation ---- */

/* Compare two UTF-8 strings by Danish collation (CLDR "da", as ICU and
 * Node's Intl.Collator('da') do it): letters a..z then æ ø å; "aa" sorts
 * as å; ü as y, ä as æ, ö as ø; accents, then case (upper before lower),
 * are compared only when the strings are otherwise equal.  Like ICU's
 * default, spaces and punctuation are not ignored: they sort before
 * digits, and digits before letters ("Høje Taastrup" < "Højer").
 * Returns <0, 0, >0 like strcmp; 0 only for identical strings. */
int collate_da(const char *a, const char *b);

/* ---- misc ---- */

/* Plain-text edit distance (bytes), for "did you mean" suggestions. */
int edit_distance(const char *a, const char *b);

/* The word of known (NULL-ended) closest to word, if it is at most 2
 * edits away; else NULL.  The first of equally close words wins. */
const char *did_you_mean(const char *word, const char *const *known);

#endif
