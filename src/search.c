/*
 * search.c - the site's search index.  See search.h.
 *
 * Design.  The index is read by assets/js/search.js in the reader's
 * browser, so what matters is how many bytes one query downloads, not the
 * total size.  Everything is plain JSON that the build writes by hand:
 *
 *   meta.json     loaded once by the search page: the number of documents,
 *                 the content types and tracks (key and title, for the
 *                 filters), one short code per document with its type and
 *                 tracks ("attrs"), the list of word shards, and a hash of
 *                 all other files that the script appends as ?v= so a
 *                 rebuilt site never mixes old and new shards in a cache.
 *   w/<p>.json    word shards: {"word": "postings", ...} for every indexed
 *                 word that starts with the prefix p.
 *   d/<n>.json    document shards: [[url, title, summary, date], ...] for
 *                 documents n*DOCS_PER_SHARD ... (DOCS_PER_SHARD - 1 more).
 *
 * Words.  Titles, summaries and body text (HTML tags skipped, the entities
 * cmark emits decoded) are cut into words at every character that is not a
 * letter or a digit, and folded: lower case; æ→ae, ø→oe, å→aa (also "a"
 * followed by a combining ring); ß→ss; other Latin letters lose their
 * accents (é→e, ü→u, ö→o, ä→a).  The accent table below covers Latin-1,
 * Latin Extended-A/B and Latin Extended Additional and was generated from
 * Unicode's canonical decompositions (NFD: a letter whose decomposition is
 * an ASCII letter followed only by combining marks folds to that letter);
 * letters that do not decompose are listed by hand.  search.js folds a
 * query with the same rule (String.normalize('NFD') over the same ranges
 * and the same hand-made list), so the two agree.  Letters of other scripts
 * end a word: the site is Danish.  Words are cut at MAX_WORD bytes; a query
 * word is cut the same way, and prefix matching still finds them.
 *
 * Postings.  For each word, the documents it occurs in with a level 0-7:
 * 4 if it is in the title, +2 if in the summary, +1 if it occurs at least
 * three times in the body.  A posting list is a string of variable-length
 * numbers, one per document, each (gap << 3 | level) where gap is the
 * distance from the previous document id (the first counts from -1).  A
 * number is written most significant 5 bits first, one character per 5
 * bits from the URL-safe base-64 alphabet, with bit 32 set on every
 * character but the last.  A word that occurs in every document costs one
 * byte per document; the strings need no JSON escaping.
 *
 * Document ids are given newest first (date descending, then URL), so the
 * script's tie-break "lower id first" shows the newest pages first, and
 * broad queries find their first results in the first document shard.
 *
 * Sharding.  Word shards form a prefix tree.  The root is always split by
 * the first character.  A node whose words fit in SHARD_LIMIT bytes is a
 * leaf: one file with all its words.  A larger node is split by the next
 * character, and its own file holds only "*": the union of the postings of
 * all its words (per document the highest level, so at most one short
 * number per document) and, under its own name, the word equal to the
 * prefix if there is one.  meta.json lists the split nodes ("split") and
 * the leaves ("shards").  To look up a query word q the script walks down
 * from q's first character while the node is split and shorter than q:
 * it ends either at a leaf (fetch it and take every word that starts with
 * q) or at a split node equal to q (fetch it and use "*").  So a query
 * word of any length downloads exactly one word file of at most
 * max(SHARD_LIMIT, about 2 bytes per document): prefix matching never has
 * to download a whole subtree.
 *
 * Filters by type and track need no document metadata: "attrs" in
 * meta.json holds, per document, (type index << ntracks | track bits) in
 * attr_width base-64 digits, so filtering happens before any document shard
 * is fetched, and the script fetches only the document shards of the
 * results it shows (ten at a time).  The first MAX_TRACKS tracks can be
 * filtered; more would be left out of the codes.
 *
 * Building.  The documents are cut into as many runs as there are
 * processors (at most 8, at least 256 documents each); one thread reads
 * each run into its own table, and the tables are then merged in run
 * order, so every word's postings stay in document order.  Reading a field
 * is two passes: the first folds it into a buffer of words back to back
 * with a loop that has no data-dependent branch for ASCII letters, digits
 * and separators (on this corpus, branch misses at word ends cost more
 * than everything else); the second looks each word up in an
 * open-addressing hash table keyed by its first 16 bytes as two 64-bit
 * words, and appends a posting to one flat array the first time the word
 * is seen in the document (later occurrences update it in place, found
 * through the word's last posting).  A counting sort by word then gives
 * every word its postings.  Word strings live in one pool: no allocation
 * per word or per posting.  10,000 benchmark pages (76 MB of body HTML,
 * 10.6 million words) take about 170 ms on two cores.
 *
 * Shard sizes (SHARD_LIMIT, DOCS_PER_SHARD) were chosen on that corpus:
 * one query there downloads meta.json (12 kB), one word file (at most
 * 24 kB) and about ten document shards (2.5 kB each): 45-55 kB, about
 * 20 kB gzipped.  The whole index is about 650 bytes per page.
 *
 * Output is deterministic: documents are sorted, words are sorted by
 * bytes, types and tracks by key, and JSON objects are written with their
 * keys in sorted order.  Strings are escaped for JSON (", \, control
 * characters, U+2028/U+2029) and "</" is written "<\/".
 */
#include "search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <unistd.h>

#define MAX_WORD 40             /* bytes of a folded word kept */
#define SHARD_LIMIT (24 * 1024) /* a word shard larger than this is split */
#define DOCS_PER_SHARD 8        /* documents per d/<n>.json */
#define SUMMARY_CHARS 160       /* code points of a summary kept */
#define MAX_TRACKS 24           /* tracks that can be filtered */
#define TF_LEVEL 3              /* body occurrences worth level +1 */

enum { F_BODY = 0, F_SUMMARY = 2, F_TITLE = 4 };

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* ------------------------------------------------------------------ */
/* Folding                                                            */
/* ------------------------------------------------------------------ */

/* Two characters per code point ("  " = not a letter we fold, which ends
 * a word), for U+00C0..U+024F and U+1E00..U+1EFF.  Generated from the
 * Unicode 14 NFD decompositions plus the hand-made list of letters that do
 * not decompose (æ ø å ß œ ĳ ð þ ł đ ħ ı ŀ ſ ŋ ŧ ĸ ẞ). */
static const char fold_latin[] =
    "a a a a a aaaec e e e e i i i i d n o o o o o   oeu u u u y thss"
    "a a a a a aaaec e e e e i i i i d n o o o o o   oeu u u u y thy "
    "a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g "
    "g g g g h h h h i i i i i i i i i i ijijj j k k k l l l l l l l "
    "l l l n n n n n n   n n o o o o o o oeoer r r r r r s s s s s s "
    "s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s "
    "                                                                "
    "o o                           u u                               "
    "                          a a i i o o u u u u u u u u u u   a a "
    "a a         g g k k o o o o     j       g g     n n a a         "
    "a a a a e e e e i i i i o o o o r r r r u u u u s s t t     h h "
    "            a a e e o o o o o o o o y y                         "
    "                                ";
static const char fold_ext[] =
    "a a b b b b b b c c d d d d d d d d d d e e e e e e e e e e f f "
    "g g h h h h h h h h h h i i i i k k k k k k l l l l l l l l m m "
    "m m m m n n n n n n n n o o o o o o o o p p p p r r r r r r r r "
    "s s s s s s s s s s t t t t t t t t u u u u u u u u u u v v v v "
    "w w w w w w w w w w x x x x y y z z z z z z h t w y         ss  "
    "a a a a a a a a a a a a a a a a a a a a a a a a e e e e e e e e "
    "e e e e e e e e i i i i o o o o o o o o o o o o o o o o o o o o "
    "o o o o u u u u u u u u u u u u u u y y y y y y y y             ";

enum { CP_BREAK = -1, CP_IGNORE = 0 };

/* Fold one code point: the number of bytes (1 or 2) stored in out, or
 * CP_IGNORE for a character that is part of a word but adds nothing
 * (combining marks, soft hyphen, zero-width joiners), or CP_BREAK. */
static int fold_cp(uint32_t cp, char out[2])
{
    const char *t = NULL;
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out[0] = (char)cp;
            return 1;
        }
        if (cp >= 'A' && cp <= 'Z') {
            out[0] = (char)(cp + 32);
            return 1;
        }
        return CP_BREAK;
    }
    if (cp >= 0xC0 && cp < 0x250)
        t = fold_latin + 2 * (cp - 0xC0);
    else if (cp >= 0x1E00 && cp < 0x1F00)
        t = fold_ext + 2 * (cp - 0x1E00);
    else if ((cp >= 0x300 && cp < 0x370) || cp == 0xAD || cp == 0x200C ||
             cp == 0x200D || cp == 0x2060)
        return CP_IGNORE;
    if (!t || t[0] == ' ')
        return CP_BREAK;
    out[0] = t[0];
    if (t[1] == ' ')
        return 1;
    out[1] = t[1];
    return 2;
}

/* Decode one code point at s[*i] (advancing *i); malformed bytes give
 * U+FFFD, which ends a word. */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *i)
{
    unsigned c = s[*i];
    size_t k, need;
    uint32_t cp, min;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0) {
        need = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c < 0xF0) {
        need = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c < 0xF5) {
        need = 3; cp = c & 0x07; min = 0x10000;
    } else {
        (*i)++;
        return 0xFFFD;
    }
    if (*i + need >= n) {
        (*i)++;
        return 0xFFFD;
    }
    for (k = 1; k <= need; k++) {
        unsigned d = s[*i + k];
        if ((d & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = cp << 6 | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += need + 1;
    return cp;
}

/* ------------------------------------------------------------------ */
/* HTML                                                               */
/* ------------------------------------------------------------------ */

static int lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does s[i..n) start with the ASCII word w, case-insensitively? */
static int starts_ci(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = 0;
    for (; w[k]; k++)
        if (i + k >= n || lower_ascii((unsigned char)s[i + k]) != w[k])
            return 0;
    return 1;
}

static int is_name_char(const char *s, size_t n, size_t i)
{
    int c = i < n ? lower_ascii((unsigned char)s[i]) : ' ';
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* s[i] is '<': the index just past the tag, comment, or script/style
 * element that starts there; i + 1 when it is not a tag. */
static size_t skip_tag(const char *s, size_t n, size_t i)
{
    size_t j = i + 1;
    char quote = 0;
    const char *raw = NULL;

    if (starts_ci(s, n, i, "<!--")) {
        for (j = i + 4; j + 2 < n; j++)
            if (s[j] == '-' && s[j + 1] == '-' && s[j + 2] == '>')
                return j + 3;
        return n;
    }
    if (j >= n || !(((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z') ||
                    s[j] == '/' || s[j] == '!' || s[j] == '?'))
        return i + 1;
    if (starts_ci(s, n, i, "<script") && !is_name_char(s, n, i + 7))
        raw = "</script";
    else if (starts_ci(s, n, i, "<style") && !is_name_char(s, n, i + 6))
        raw = "</style";
    for (; j < n; j++) {
        if (quote) {
            if (s[j] == quote)
                quote = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
            quote = s[j];
        } else if (s[j] == '>') {
            j++;
            break;
        }
    }
    if (raw) {
        for (; j < n; j++)
            if (s[j] == '<' && starts_ci(s, n, j, raw))
                return skip_tag(s, n, j);
        return n;
    }
    return j;
}

/* s[i] is '&': decode the entity there into *cp and return its length,
 * or 0 when it is not one we know. */
static size_t entity(const char *s, size_t n, size_t i, uint32_t *cp)
{
    static const struct { const char *name; uint32_t cp; } named[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
        {"&apos;", '\''}, {"&nbsp;", 0xA0}, {"&shy;", 0xAD},
    };
    if (i + 1 < n && s[i + 1] == '#') {
        size_t j = i + 2;
        int hex = j < n && (s[j] | 32) == 'x';
        uint32_t v = 0;
        size_t digits = 0;
        if (hex)
            j++;
        for (; j < n && digits < 8; j++, digits++) {
            int c = (unsigned char)s[j], d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
                d = (c | 32) - 'a' + 10;
            else
                break;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (!digits || j >= n || s[j] != ';')
            return 0;
        *cp = v > 0x10FFFF ? 0xFFFD : v;
        return j + 1 - i;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t l = strlen(named[k].name);
        if (i + l <= n && memcmp(s + i, named[k].name, l) == 0) {
            *cp = named[k].cp;
            return l;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The index being built                                              */
/* ------------------------------------------------------------------ */

typedef struct word {
    uint64_t k0, k1;    /* the first 16 bytes, zero padded */
    uint32_t off;       /* in pool: the whole word, NUL-terminated */
    uint32_t len;
    uint32_t hash;
    uint32_t last_doc;  /* 1 + id of the document of the last posting */
    uint32_t last;      /* index of that posting */
    uint32_t count;     /* postings */
} word;

typedef struct slot {
    uint32_t hash;
    uint32_t id;        /* 1 + word index, 0 = empty */
} slot;

typedef struct posting {
    uint32_t word;
    uint32_t doc;
    uint16_t tf;        /* body occurrences, saturating */
    uint8_t flags;      /* F_TITLE | F_SUMMARY */
} posting;

/* Byte classes for the scanner: a word character is its folded self
 * ('0'..'9', 'a'..'z'), anything else is one of these. */
enum { K_BREAK = 0, K_LT = 1, K_AMP = 2, K_HIGH = 3 };

typedef struct builder {
    unsigned char cls_html[256], cls_text[256];
    word *words;
    size_t nwords, capwords;
    slot *slots;
    size_t nslots;
    char *pool;
    size_t poollen, poolcap;
    posting *post;
    size_t npost, cappost;
    char *out;          /* the folded words of one field, back to back */
    size_t capout;
    uint32_t *ends;     /* ends[k]: where word k ends in out */
    size_t capends;
    const search_doc *const *docs;  /* this builder's documents ... */
    size_t lo, hi;                  /* ... are docs[lo..hi) */
} builder;

static void builder_init(builder *b)
{
    memset(b, 0, sizeof *b);
    for (int c = 0; c < 256; c++) {
        unsigned char k = K_BREAK;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            k = (unsigned char)c;
        else if (c >= 'A' && c <= 'Z')
            k = (unsigned char)(c + 32);
        else if (c >= 0x80)
            k = K_HIGH;
        b->cls_text[c] = k;
        b->cls_html[c] = c == '<' ? K_LT : c == '&' ? K_AMP : k;
    }
}

static void builder_free(builder *b)
{
    free(b->words);
    free(b->slots);
    free(b->pool);
    free(b->post);
    free(b->out);
    free(b->ends);
}

/* Masks that keep the first n bytes (n = 0..16) of a 16-byte key read as
 * two little- or big-endian words: built from bytes, so either works. */
static void key_of(const char *w, size_t len, uint64_t *k0, uint64_t *k1)
{
    static const unsigned char ones[32] = {
        255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255};
    size_t l16 = len < 16 ? len : 16;
    uint64_t a, c, m0, m1;
    memcpy(&a, w, 8);
    memcpy(&c, w + 8, 8);
    memcpy(&m0, ones + 16 - l16, 8);
    memcpy(&m1, ones + 24 - l16, 8);
    *k0 = a & m0;
    *k1 = c & m1;
}

static uint32_t key_hash(const char *w, size_t len, uint64_t k0, uint64_t k1)
{
    uint64_t h = (k0 ^ (k1 * 0x9E3779B97F4A7C15ull) ^ len) *
                 0xFF51AFD7ED558CCDull;
    if (len > 16)
        for (size_t i = 16; i < len; i++)
            h = (h ^ (unsigned char)w[i]) * 0x100000001B3ull;
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static void rehash(builder *b)
{
    size_t n = b->nslots ? b->nslots * 2 : 4096;
    slot *s = xcalloc(n, sizeof *s);
    for (size_t i = 0; i < b->nwords; i++) {
        size_t j = b->words[i].hash & (n - 1);
        while (s[j].id)
            j = (j + 1) & (n - 1);
        s[j] = (slot){b->words[i].hash, (uint32_t)i + 1};
    }
    free(b->slots);
    b->slots = s;
    b->nslots = n;
}

/* The index of word w[0..len) (16 bytes must be readable at w), added
 * when new. */
static uint32_t lookup(builder *b, const char *w, size_t len)
{
    uint64_t k0, k1;
    uint32_t h;
    size_t j;

    key_of(w, len, &k0, &k1);
    h = key_hash(w, len, k0, k1);
    for (j = h & (b->nslots - 1);; j = (j + 1) & (b->nslots - 1)) {
        slot s = b->slots[j];
        if (!s.id)
            break;
        if (s.hash == h) {
            const word *W = &b->words[s.id - 1];
            if (W->k0 == k0 && W->k1 == k1 && W->len == len &&
                (len <= 16 ||
                 memcmp(b->pool + W->off + 16, w + 16, len - 16) == 0))
                return s.id - 1;
        }
    }
    if (b->nwords == b->capwords) {
        b->capwords = b->capwords ? b->capwords * 2 : 1024;
        b->words = xrealloc(b->words, b->capwords * sizeof *b->words);
    }
    /* Words are kept 8-aligned with 16 readable bytes after them. */
    if (b->poollen + len + 48 > b->poolcap) {
        while (b->poollen + len + 48 > b->poolcap)
            b->poolcap = b->poolcap ? b->poolcap * 2 : 65536;
        b->pool = xrealloc(b->pool, b->poolcap);
    }
    memcpy(b->pool + b->poollen, w, len);
    memset(b->pool + b->poollen + len, 0, 24);
    b->words[b->nwords] =
        (word){k0, k1, (uint32_t)b->poollen, (uint32_t)len, h, 0, 0, 0};
    b->poollen = (b->poollen + len + 8) & ~(size_t)7;
    b->slots[j] = (slot){h, (uint32_t)++b->nwords};
    if (b->nwords * 2 > b->nslots)
        rehash(b);
    return (uint32_t)b->nwords - 1;
}

/* Fold s[0..n) into words: b->out holds them back to back, word k ends
 * at b->ends[k].  Returns the number of words.  In HTML, tags are skipped
 * and entities decoded.  The common bytes (ASCII letters, digits and
 * separators) go through a loop without data-dependent branches: every
 * byte is stored, and counters advance by 0 or 1. */
static size_t fold_field(builder *b, const char *s, size_t n, int html)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char *cls = html ? b->cls_html : b->cls_text;
    size_t o = 0, nw = 0, i = 0;
    unsigned prev = 0;
    char *out;
    uint32_t *ends;

    if (b->capout < n + 32) {
        b->capout = n + 32 > 2 * b->capout ? n + 32 : 2 * b->capout;
        free(b->out);
        b->out = xmalloc(b->capout);
    }
    if (b->capends < n + 2) {
        b->capends = n + 2 > 2 * b->capends ? n + 2 : 2 * b->capends;
        free(b->ends);
        b->ends = xmalloc(b->capends * sizeof *b->ends);
    }
    out = b->out;
    ends = b->ends;
    while (i < n) {
        unsigned k = cls[u[i]];
        if (k - 1u >= 3u) {
            unsigned isw = k != K_BREAK;
            out[o] = (char)k;
            o += isw;
            ends[nw] = (uint32_t)o;
            nw += prev & !isw;
            prev = isw;
            i++;
            continue;
        }
        if (k == K_LT) {
            size_t j = skip_tag(s, n, i);
            if (j > i + 1) {
                if (prev)
                    ends[nw++] = (uint32_t)o;
                prev = 0;
                i = j;
                continue;
            }
            /* a lone '<': a separator */
            if (prev)
                ends[nw++] = (uint32_t)o;
            prev = 0;
            i++;
            continue;
        }
        {
            uint32_t cp;
            int plain_a = i > 0 && (u[i - 1] | 32) == 'a';
            char f[2] = {0, 0};
            int m;
            if (k == K_AMP) {
                size_t l = entity(s, n, i, &cp);
                if (l) {
                    i += l;
                } else {
                    cp = '&';
                    i++;
                }
            } else {
                cp = utf8_decode(u, n, &i);
            }
            m = fold_cp(cp, f);
            if (m == CP_IGNORE && cp == 0x30A && plain_a) {
                f[0] = 'a';
                m = 1;
            }
            if (m > 0) {
                out[o] = f[0];
                out[o + 1] = f[1];
                o += (size_t)m;
                prev = 1;
            } else if (m == CP_BREAK) {
                if (prev)
                    ends[nw++] = (uint32_t)o;
                prev = 0;
            }
        }
    }
    if (prev)
        ends[nw++] = (uint32_t)o;
    return nw;
}

/* Record the words of one field of document doc. */
static void index_field(builder *b, const char *s, size_t n, int html,
                        uint32_t doc, int field)
{
    size_t nw = fold_field(b, s, n, html);
    uint32_t start = 0;
    for (size_t k = 0; k < nw; k++) {
        uint32_t end = b->ends[k], len = end - start;
        uint32_t id = lookup(b, b->out + start, len > MAX_WORD ? MAX_WORD : len);
        word *W = &b->words[id];
        uint32_t isnew = W->last_doc != doc + 1;
        size_t pi;
        posting *P;
        start = end;
        if (b->npost == b->cappost) {
            b->cappost = b->cappost ? b->cappost * 2 : 65536;
            b->post = xrealloc(b->post, b->cappost * sizeof *b->post);
        }
        b->post[b->npost] = (posting){id, doc, 0, 0};
        pi = isnew ? b->npost : W->last;
        b->npost += isnew;
        W->count += isnew;
        W->last = (uint32_t)pi;
        W->last_doc = doc + 1;
        P = &b->post[pi];
        P->tf = (uint16_t)(P->tf + (field == F_BODY && P->tf < UINT16_MAX));
        P->flags = (uint8_t)(P->flags | field);
    }
}

static void *index_docs(void *arg)
{
    builder *b = arg;
    rehash(b);
    for (size_t i = b->lo; i < b->hi; i++) {
        const search_doc *d = b->docs[i];
        const char *t = d->title ? d->title : "";
        const char *s = d->summary ? d->summary : "";
        index_field(b, t, strlen(t), 0, (uint32_t)i, F_TITLE);
        index_field(b, s, strlen(s), 0, (uint32_t)i, F_SUMMARY);
        if (d->html)
            index_field(b, d->html, d->html_len, 1, (uint32_t)i, F_BODY);
    }
    return NULL;
}

/* Add the words and postings of t (later documents) to m. */
static void merge(builder *m, builder *t)
{
    uint32_t *map = xmalloc((t->nwords ? t->nwords : 1) * sizeof *map);
    for (size_t i = 0; i < t->nwords; i++) {
        const word *W = &t->words[i];
        map[i] = lookup(m, t->pool + W->off, W->len);
        m->words[map[i]].count += W->count;
    }
    if (m->npost + t->npost > m->cappost) {
        m->cappost = m->npost + t->npost;
        m->post = xrealloc(m->post, m->cappost * sizeof *m->post);
    }
    for (size_t k = 0; k < t->npost; k++) {
        posting p = t->post[k];
        p.word = map[p.word];
        m->post[m->npost++] = p;
    }
    free(map);
}

void search_fold(const char *word, size_t len, buf *out)
{
    const unsigned char *u = (const unsigned char *)word;
    size_t i = 0;
    int plain_a = 0;
    if (!out->data)
        buf_init(out);
    while (i < len) {
        uint32_t cp = utf8_decode(u, len, &i);
        char f[2];
        int n = fold_cp(cp, f);
        if (n == CP_IGNORE && cp == 0x30A && plain_a) {
            f[0] = 'a';
            n = 1;
        }
        if (n > 0)
            buf_put(out, f, (size_t)n);
        plain_a = cp == 'a' || cp == 'A';
    }
}

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

static void json_str(buf *o, const char *s)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t start = 0, i = 0;
    buf_putc(o, '"');
    for (; u[i]; i++) {
        const char *esc = NULL;
        char tmp[8];
        unsigned c = u[i];
        size_t skip = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            esc = tmp;
        } else if (c == '<' && u[i + 1] == '/') {
            esc = "<\\/";
            skip = 2;
        } else if (c == 0xE2 && u[i + 1] == 0x80 &&
                   (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
            esc = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            skip = 3;
        }
        if (esc) {
            buf_put(o, (const char *)u + start, i - start);
            buf_puts(o, esc);
            i += skip - 1;
            start = i + 1;
        }
    }
    buf_put(o, (const char *)u + start, i - start);
    buf_putc(o, '"');
}

/* One number of a posting list (see the design note). */
static void put_num(buf *o, uint32_t x)
{
    char d[8];
    int n = 0;
    do {
        d[n++] = (char)(x & 31);
        x >>= 5;
    } while (x);
    buf_grow(o, (size_t)n);
    while (n-- > 0)
        o->data[o->len++] = b64[d[n] | (n ? 32 : 0)];
    o->data[o->len] = '\0';
}

/* ------------------------------------------------------------------ */
/* Output                                                             */
/* ------------------------------------------------------------------ */

typedef struct keyed {
    const char *key, *title;
} keyed;

typedef struct out_ctx {
    const builder *b;
    uint32_t *order;      /* word indexes in byte order */
    uint32_t *start;      /* per word: first of its postings in sorted */
    uint32_t *sorted;     /* doc << 3 | level, grouped by word */
    buf enc;              /* posting strings in word order */
    size_t *enc_off;      /* per position in order */
    size_t *psum;         /* prefix sums of entry sizes, by position */
    signed char *levels;  /* per document, for unions */
    size_t ndocs;
    buf split, shards;    /* JSON arrays for meta.json (without brackets) */
    search_file *files;
    size_t nfiles, capfiles;
} out_ctx;

static const char *wstr(const out_ctx *c, size_t pos)
{
    return c->b->pool + c->b->words[c->order[pos]].off;
}

static size_t wlen(const out_ctx *c, size_t pos)
{
    return c->b->words[c->order[pos]].len;
}

static buf *new_file(out_ctx *c, const char *fmt, const char *arg)
{
    search_file *f;
    if (c->nfiles == c->capfiles) {
        c->capfiles = c->capfiles ? c->capfiles * 2 : 64;
        c->files = xrealloc(c->files, c->capfiles * sizeof *c->files);
    }
    f = &c->files[c->nfiles++];
    buf_init(&f->data);
    {
        buf p = BUF_INIT;
        buf_init(&p);
        buf_printf(&p, fmt, arg);
        f->path = buf_detach(&p);
    }
    return &f->data;
}

static void put_entry(out_ctx *c, buf *o, size_t pos)
{
    buf_putc(o, '"');
    buf_put(o, wstr(c, pos), wlen(c, pos));
    buf_puts(o, "\":\"");
    buf_put(o, c->enc.data + c->enc_off[pos],
            c->enc_off[pos + 1] - c->enc_off[pos]);
    buf_putc(o, '"');
}

static void list_add(buf *list, const char *s, size_t n)
{
    if (list->len)
        buf_putc(list, ',');
    buf_putc(list, '"');
    buf_put(list, s, n);
    buf_putc(list, '"');
}

/* Words at positions [lo, hi) share their first l bytes. */
static void emit_node(out_ctx *c, size_t lo, size_t hi, size_t l)
{
    char prefix[MAX_WORD + 1];
    size_t i = lo;
    buf *o;

    memcpy(prefix, wstr(c, lo), l);
    prefix[l] = '\0';
    if (l > 0 && (hi - lo == 1 || 2 + c->psum[hi] - c->psum[lo] <= SHARD_LIMIT)) {
        o = new_file(c, "w/%s.json", prefix);
        buf_putc(o, '{');
        for (; i < hi; i++) {
            if (i > lo)
                buf_putc(o, ',');
            put_entry(c, o, i);
        }
        buf_putc(o, '}');
        list_add(&c->shards, prefix, l);
        return;
    }
    if (l > 0) {
        /* A split node: the union of its words, and the word equal to
         * the prefix. */
        int prev = -1;
        memset(c->levels, -1, c->ndocs);
        for (size_t p = lo; p < hi; p++) {
            uint32_t w = c->order[p];
            for (uint32_t k = c->start[w]; k < c->start[w + 1]; k++) {
                uint32_t d = c->sorted[k] >> 3;
                signed char lv = (signed char)(c->sorted[k] & 7);
                if (lv > c->levels[d])
                    c->levels[d] = lv;
            }
        }
        o = new_file(c, "w/%s.json", prefix);
        buf_puts(o, "{\"*\":\"");
        for (size_t d = 0; d < c->ndocs; d++) {
            if (c->levels[d] < 0)
                continue;
            put_num(o, (uint32_t)((int)d - prev) << 3 | (uint32_t)c->levels[d]);
            prev = (int)d;
        }
        buf_putc(o, '"');
        if (wlen(c, lo) == l) {
            buf_putc(o, ',');
            put_entry(c, o, lo);
            i++;
        }
        buf_putc(o, '}');
        list_add(&c->split, prefix, l);
    }
    while (i < hi) {
        unsigned char ch = (unsigned char)wstr(c, i)[l];
        size_t j = i + 1;
        while (j < hi && (unsigned char)wstr(c, j)[l] == ch)
            j++;
        emit_node(c, i, j, l + 1);
        i = j;
    }
}

/* The hash in meta.json: FNV-1a (64 bits) in four lanes, byte k of the
 * stream going to lane k % 4 (four independent multiplications are four
 * times faster than one chain), the lanes then hashed, little-endian, with
 * FNV-1a from the offset basis. */
#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

typedef struct fnv4 {
    uint64_t h[4];
    size_t k;
} fnv4;

static void fnv4_add(fnv4 *f, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i < n && (f->k & 3); i++, f->k++)
        f->h[f->k & 3] = (f->h[f->k & 3] ^ u[i]) * FNV_PRIME;
    for (; i + 4 <= n; i += 4, f->k += 4) {
        f->h[0] = (f->h[0] ^ u[i]) * FNV_PRIME;
        f->h[1] = (f->h[1] ^ u[i + 1]) * FNV_PRIME;
        f->h[2] = (f->h[2] ^ u[i + 2]) * FNV_PRIME;
        f->h[3] = (f->h[3] ^ u[i + 3]) * FNV_PRIME;
    }
    for (; i < n; i++, f->k++)
        f->h[f->k & 3] = (f->h[f->k & 3] ^ u[i]) * FNV_PRIME;
}

static uint64_t fnv4_end(const fnv4 *f)
{
    uint64_t h = FNV_OFFSET;
    for (int l = 0; l < 4; l++)
        for (int b = 0; b < 8; b++)
            h = (h ^ ((f->h[l] >> (8 * b)) & 255)) * FNV_PRIME;
    return h;
}

static const builder *sort_builder;

static int cmp_words(const void *a, const void *b)
{
    const word *x = &sort_builder->words[*(const uint32_t *)a];
    const word *y = &sort_builder->words[*(const uint32_t *)b];
    size_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(sort_builder->pool + x->off, sort_builder->pool + y->off, n);
    if (r)
        return r;
    return x->len < y->len ? -1 : x->len > y->len;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int cmp_docs(const void *a, const void *b)
{
    const search_doc *x = *(const search_doc *const *)a;
    const search_doc *y = *(const search_doc *const *)b;
    int r = strcmp(nz(y->date), nz(x->date));
    return r ? r : strcmp(nz(x->url), nz(y->url));
}

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Index of key in list[0..n), appending it (with title) when new. */
static size_t intern(keyed **list, size_t *n, size_t *cap, const char *key,
                     const char *title)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].key, key) == 0)
            return i;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *list = xrealloc(*list, *cap * sizeof **list);
    }
    (*list)[*n] = (keyed){key, title ? title : key};
    return (*n)++;
}

static size_t find_key(const keyed *list, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].key, key) == 0)
            return i;
    return n;
}

/* Append the summary cut to SUMMARY_CHARS code points at a space, with
 * "…" when something was cut. */
static void put_summary(buf *o, const char *s)
{
    size_t i = 0, chars = 0, cut = 0;
    s = nz(s);
    while (s[i] && chars < SUMMARY_CHARS) {
        if (s[i] == ' ')
            cut = i;
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (!s[i]) {
        json_str(o, s);
        return;
    }
    if (cut == 0)
        cut = i;
    while (cut > 0 && strchr(" ,.;:-", s[cut - 1]))
        cut--;
    {
        buf t = BUF_INIT;
        buf_init(&t);
        buf_put(&t, s, cut);
        buf_puts(&t, "…");
        json_str(o, t.data);
        buf_free(&t);
    }
}

static void put_keyed(buf *o, const keyed *list, size_t n)
{
    buf_putc(o, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(o, ',');
        buf_puts(o, "{\"key\":");
        json_str(o, list[i].key);
        buf_puts(o, ",\"title\":");
        json_str(o, list[i].title);
        buf_putc(o, '}');
    }
    buf_putc(o, ']');
}

/* The documents in id order: newest first, then by URL. */
static const search_doc **sorted_docs(const search_doc *docs, size_t n)
{
    const search_doc **sd = xmalloc((n ? n : 1) * sizeof *sd);
    for (size_t i = 0; i < n; i++)
        sd[i] = &docs[i];
    qsort(sd, n, sizeof *sd, cmp_docs);
    return sd;
}

/* Words and postings of the documents sd[0..n) into b: each thread reads
 * a run of documents, then the runs are merged in order, so b->post holds
 * the postings document by document. */
static void index_all(const search_doc **sd, size_t n, builder *out)
{
    builder *bs;
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = procs < 1 ? 1 : procs > 8 ? 8 : (size_t)procs;

    if (nthreads > n / 256)
        nthreads = n / 256 ? n / 256 : 1;
    bs = xmalloc(nthreads * sizeof *bs);
    {
        pthread_t *ts = xmalloc(nthreads * sizeof *ts);
        int *started = xcalloc(nthreads, sizeof *started);
        for (size_t t = 0; t < nthreads; t++) {
            builder_init(&bs[t]);
            bs[t].docs = sd;
            bs[t].lo = n * t / nthreads;
            bs[t].hi = n * (t + 1) / nthreads;
        }
        for (size_t t = 1; t < nthreads; t++)
            started[t] = pthread_create(&ts[t], NULL, index_docs, &bs[t]) == 0;
        index_docs(&bs[0]);
        for (size_t t = 1; t < nthreads; t++) {
            if (started[t])
                pthread_join(ts[t], NULL);
            else
                index_docs(&bs[t]);
            merge(&bs[0], &bs[t]);
            builder_free(&bs[t]);
        }
        free(ts);
        free(started);
    }
    *out = bs[0];
    free(bs);
}

/* The files of the index of sd[0..n) from b (words of count 0 are left
 * out; b itself is left as it was). */
static void emit_all(const builder *bp, const search_doc **sd, size_t n,
                     search_index *out)
{
    builder b = *bp;
    out_ctx c = {0};
    keyed *types = NULL, *tracks = NULL;
    size_t ntypes = 0, captypes = 0, ntracks = 0, captracks = 0;
    unsigned attr_width = 1;
    uint64_t hash;
    buf *meta;
    size_t nlive = 0;

    /* Counting sort of the postings by word; documents stay in order. */
    c.b = &b;
    c.ndocs = n;
    c.start = xcalloc(b.nwords + 1, sizeof *c.start);
    for (size_t w = 0; w < b.nwords; w++)
        c.start[w + 1] = c.start[w] + b.words[w].count;
    c.sorted = xmalloc((b.npost ? b.npost : 1) * sizeof *c.sorted);
    {
        uint32_t *fill = xmalloc((b.nwords + 1) * sizeof *fill);
        memcpy(fill, c.start, (b.nwords + 1) * sizeof *fill);
        for (size_t k = 0; k < b.npost; k++) {
            const posting *p = &b.post[k];
            uint32_t lv = (uint32_t)p->flags | (p->tf >= TF_LEVEL);
            c.sorted[fill[p->word]++] = p->doc << 3 | lv;
        }
        free(fill);
    }

    /* Words in byte order, with their posting strings. */
    c.order = xmalloc((b.nwords ? b.nwords : 1) * sizeof *c.order);
    for (size_t w = 0; w < b.nwords; w++)
        if (b.words[w].count)
            c.order[nlive++] = (uint32_t)w;
    sort_builder = &b;
    qsort(c.order, nlive, sizeof *c.order, cmp_words);
    sort_builder = NULL;
    buf_init(&c.enc);
    c.enc_off = xmalloc((nlive + 1) * sizeof *c.enc_off);
    c.psum = xmalloc((nlive + 1) * sizeof *c.psum);
    c.psum[0] = 0;
    for (size_t p = 0; p < nlive; p++) {
        uint32_t w = c.order[p];
        int prev = -1;
        c.enc_off[p] = c.enc.len;
        for (uint32_t k = c.start[w]; k < c.start[w + 1]; k++) {
            int d = (int)(c.sorted[k] >> 3);
            put_num(&c.enc, (uint32_t)(d - prev) << 3 | (c.sorted[k] & 7));
            prev = d;
        }
        c.psum[p + 1] = c.psum[p] + b.words[w].len +
                        (c.enc.len - c.enc_off[p]) + 6;
    }
    c.enc_off[nlive] = c.enc.len;

    /* Types and tracks, sorted by key. */
    for (size_t i = 0; i < n; i++) {
        intern(&types, &ntypes, &captypes, nz(sd[i]->type), sd[i]->type_title);
        for (size_t t = 0; t < sd[i]->ntracks; t++)
            intern(&tracks, &ntracks, &captracks, nz(sd[i]->tracks[t]),
                   sd[i]->track_titles ? sd[i]->track_titles[t] : NULL);
    }
    if (ntypes)
        qsort(types, ntypes, sizeof *types, cmp_keyed);
    if (ntracks)
        qsort(tracks, ntracks, sizeof *tracks, cmp_keyed);
    if (ntracks > MAX_TRACKS)
        ntracks = MAX_TRACKS;
    while (((uint64_t)(ntypes ? ntypes : 1) << ntracks) >
           (1ull << (6 * attr_width)))
        attr_width++;

    /* meta.json comes first; it is filled in last (files[0]). */
    new_file(&c, "meta.json%s", "");

    /* Document shards. */
    for (size_t s = 0; s * DOCS_PER_SHARD < n; s++) {
        char num[24];
        buf *o;
        snprintf(num, sizeof num, "%zu", s);
        o = new_file(&c, "d/%s.json", num);
        buf_putc(o, '[');
        for (size_t i = s * DOCS_PER_SHARD;
             i < n && i < (s + 1) * DOCS_PER_SHARD; i++) {
            if (i > s * DOCS_PER_SHARD)
                buf_puts(o, ",\n");
            buf_putc(o, '[');
            json_str(o, sd[i]->url);
            buf_putc(o, ',');
            json_str(o, sd[i]->title);
            buf_putc(o, ',');
            put_summary(o, sd[i]->summary);
            buf_putc(o, ',');
            json_str(o, sd[i]->date);
            buf_putc(o, ']');
        }
        buf_puts(o, "]\n");
    }

    /* Word shards. */
    buf_init(&c.split);
    buf_init(&c.shards);
    c.levels = xmalloc(n ? n : 1);
    if (nlive)
        emit_node(&c, 0, nlive, 0);

    {
        fnv4 f = {{FNV_OFFSET, FNV_OFFSET, FNV_OFFSET, FNV_OFFSET}, 0};
        for (size_t k = 1; k < c.nfiles; k++) {
            fnv4_add(&f, c.files[k].path, strlen(c.files[k].path));
            fnv4_add(&f, c.files[k].data.data, c.files[k].data.len);
        }
        hash = fnv4_end(&f);
    }

    /* meta.json, keys in sorted order. */
    meta = &c.files[0].data;
    buf_printf(meta, "{\"attr_width\":%u,\n\"attrs\":\"", attr_width);
    buf_grow(meta, n * attr_width);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = find_key(types, ntypes, nz(sd[i]->type));
        v <<= ntracks;
        for (size_t t = 0; t < sd[i]->ntracks; t++) {
            size_t k = find_key(tracks, ntracks, nz(sd[i]->tracks[t]));
            if (k < ntracks)
                v |= 1ull << k;
        }
        for (unsigned d = attr_width; d-- > 0;)
            buf_putc(meta, b64[(v >> (6 * d)) & 63]);
    }
    buf_printf(meta, "\",\n\"docs\":%zu,\n\"docs_per_shard\":%d,\n"
               "\"format\":1,\n\"hash\":\"%016llx\",\n\"shards\":[",
               n, DOCS_PER_SHARD, (unsigned long long)hash);
    buf_put(meta, c.shards.data, c.shards.len);
    buf_puts(meta, "],\n\"split\":[");
    buf_put(meta, c.split.data, c.split.len);
    buf_puts(meta, "],\n\"tracks\":");
    put_keyed(meta, tracks, ntracks);
    buf_puts(meta, ",\n\"types\":");
    put_keyed(meta, types, ntypes);
    buf_puts(meta, "}\n");

    out->files = c.files;
    out->nfiles = c.nfiles;

    buf_free(&c.split);
    buf_free(&c.shards);
    buf_free(&c.enc);
    free(c.levels);
    free(c.enc_off);
    free(c.psum);
    free(c.order);
    free(c.start);
    free(c.sorted);
    free(types);
    free(tracks);
}

void search_build(const search_doc *docs, size_t n, search_index *out)
{
    const search_doc **sd = sorted_docs(docs, n);
    builder b;
    index_all(sd, n, &b);
    emit_all(&b, sd, n, out);
    builder_free(&b);
    free(sd);
}

/* ---- kept between builds (serve) ---- */

struct search_cache {
    builder b;          /* every word seen; postings document by document */
    size_t n;
    char **urls;        /* the documents, in id order */
    size_t *off;        /* postings of document i: b.post[off[i]..off[i+1]) */
    uint32_t spare;     /* next temporary document id (see below) */
};

void search_cache_free(search_cache *c)
{
    if (!c)
        return;
    builder_free(&c->b);
    for (size_t i = 0; i < c->n; i++)
        free(c->urls[i]);
    free(c->urls);
    free(c->off);
    free(c);
}

/* Where each document's postings start in b->post. */
static void cache_offsets(search_cache *c)
{
    c->off = xrealloc(c->off, (c->n + 1) * sizeof *c->off);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        c->off[i] = k;
        while (k < c->b.npost && c->b.post[k].doc == i)
            k++;
    }
    c->off[c->n] = k;
}

/* The same documents in the same order as the cache holds? */
static int cache_fits(const search_cache *c, const search_doc **sd, size_t n)
{
    if (!c || c->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(c->urls[i], nz(sd[i]->url)))
            return 0;
    return 1;
}

/* Read document i (sd[i]) again: its old postings go, new ones are put in
 * its place.  Words no document has any more keep count 0 and are left
 * out of the files. */
static void cache_reread(search_cache *c, const search_doc *d, size_t i)
{
    builder *b = &c->b;
    for (size_t k = c->off[i]; k < c->off[i + 1]; k++)
        b->words[b->post[k].word].count--;
    /* Index it on its own into a fresh posting array, under a document id
     * no word has seen (index_field tells a word's first occurrence in a
     * document by the id of its last one). */
    posting *keep = b->post;
    size_t nkeep = b->npost, capkeep = b->cappost;
    b->post = NULL;
    b->npost = b->cappost = 0;
    uint32_t tmp = (uint32_t)c->n + c->spare++;
    const char *t = d->title ? d->title : "";
    const char *s = d->summary ? d->summary : "";
    index_field(b, t, strlen(t), 0, tmp, F_TITLE);
    index_field(b, s, strlen(s), 0, tmp, F_SUMMARY);
    if (d->html)
        index_field(b, d->html, d->html_len, 1, tmp, F_BODY);
    posting *fresh = b->post;
    size_t nfresh = b->npost;
    for (size_t k = 0; k < nfresh; k++)
        fresh[k].doc = (uint32_t)i;
    /* Splice: keep[..off[i]) + fresh + keep[off[i+1]..). */
    size_t before = c->off[i], after = nkeep - c->off[i + 1];
    size_t total = before + nfresh + after;
    if (total > capkeep) {
        capkeep = total + total / 4;
        keep = xrealloc(keep, capkeep * sizeof *keep);
    }
    memmove(keep + before + nfresh, keep + c->off[i + 1],
            after * sizeof *keep);
    memcpy(keep + before, fresh, nfresh * sizeof *keep);
    free(fresh);
    b->post = keep;
    b->npost = total;
    b->cappost = capkeep;
    ptrdiff_t delta = (ptrdiff_t)nfresh - (ptrdiff_t)(c->off[i + 1] - before);
    for (size_t j = i + 1; j <= c->n; j++)
        c->off[j] = (size_t)((ptrdiff_t)c->off[j] + delta);
}

int search_cache_fits(const search_cache *c, const search_doc *docs,
                      size_t n)
{
    if (!c || c->n != n)
        return 0;
    const search_doc **sd = sorted_docs(docs, n);
    int fits = cache_fits(c, sd, n);
    free(sd);
    return fits;
}

void search_build_cached(const search_doc *docs, size_t n,
                         const unsigned char *changed, search_cache **cache,
                         search_index *out)
{
    const search_doc **sd = sorted_docs(docs, n);
    search_cache *c = *cache;
    if (changed && cache_fits(c, sd, n)) {
        for (size_t i = 0; i < n; i++)
            if (changed[sd[i] - docs])
                cache_reread(c, sd[i], i);
    } else {
        search_cache_free(c);
        c = *cache = xcalloc(1, sizeof *c);
        index_all(sd, n, &c->b);
        c->n = n;
        c->urls = xmalloc((n ? n : 1) * sizeof *c->urls);
        for (size_t i = 0; i < n; i++)
            c->urls[i] = xstrdup(nz(sd[i]->url));
        cache_offsets(c);
    }
    emit_all(&c->b, sd, n, out);
    free(sd);
}

void search_index_free(search_index *idx)
{
    for (size_t i = 0; i < idx->nfiles; i++) {
        free(idx->files[i].path);
        buf_free(&idx->files[i].data);
    }
    free(idx->files);
    idx->files = NULL;
    idx->nfiles = 0;
}
