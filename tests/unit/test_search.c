/*
 * test_search.c - unit tests for search.c: Danish folding, the exact files
 * of a tiny index (checked by hand against the format in search.c's design
 * note), determinism, HTML scanning, shard splitting with prefix look-ups
 * done the way assets/js/search.js does them, JSON escaping, summaries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "search.h"
#include "test.h"

static buf scratch;

static const char *fold(const char *s)
{
    buf_clear(&scratch);
    search_fold(s, strlen(s), &scratch);
    return scratch.data;
}

/* The file at path, or NULL. */
static const char *file(const search_index *ix, const char *path)
{
    for (size_t i = 0; i < ix->nfiles; i++)
        if (strcmp(ix->files[i].path, path) == 0)
            return ix->files[i].data.data;
    return NULL;
}

static search_doc doc(const char *url, const char *title, const char *summary,
                      const char *type, const char *date, const char *html)
{
    search_doc d = {0};
    d.url = url;
    d.title = title;
    d.summary = summary;
    d.type = type;
    d.type_title = type;
    d.date = date;
    d.html = html;
    d.html_len = html ? strlen(html) : 0;
    return d;
}

/* ---- the client's look-up, as assets/js/search.js does it ---- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Is "p" an element of the JSON array of strings named key in meta? */
static int meta_has(const char *meta, const char *key, const char *p)
{
    char pat[128];
    const char *a, *end;
    snprintf(pat, sizeof pat, "\"%s\":[", key);
    a = strstr(meta, pat);
    if (!a)
        return 0;
    a += strlen(pat);
    end = strchr(a, ']');
    snprintf(pat, sizeof pat, "\"%s\"", p);
    for (const char *h = strstr(a, pat); h && h < end; h = strstr(h + 1, pat))
        if (h[-1] == '[' || h[-1] == ',')
            return 1;
    return 0;
}

/* The posting string of key in a word shard ("" if absent), in scratch. */
static const char *postings(const char *shard, const char *key)
{
    char pat[128];
    const char *h, *e;
    buf_clear(&scratch);
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    h = strstr(shard, pat);
    if (!h)
        return scratch.data;
    h += strlen(pat);
    e = strchr(h, '"');
    buf_put(&scratch, h, (size_t)(e - h));
    return scratch.data;
}

/* Decode a posting string into "doc:level doc:level ..." in out. */
static void decode(const char *s, buf *out)
{
    long x = 0, doc = -1;
    for (; *s; s++) {
        int v = (int)(strchr(b64, *s) - b64);
        x = x * 32 + (v & 31);
        if (!(v & 32)) {
            doc += x >> 3;
            buf_printf(out, "%s%ld:%ld", out->len ? " " : "", doc, x & 7);
            x = 0;
        }
    }
}

/* The word file a query word q needs, and whether it is a split node. */
static const char *node_for(const search_index *ix, const char *q, char *node,
                            int *is_split)
{
    const char *meta = file(ix, "meta.json");
    size_t l = 1;
    char path[80];
    for (;;) {
        memcpy(node, q, l);
        node[l] = '\0';
        *is_split = meta_has(meta, "split", node);
        if (!*is_split || l >= strlen(q))
            break;
        l++;
    }
    if (!*is_split && !meta_has(meta, "shards", node))
        return NULL;
    snprintf(path, sizeof path, "w/%s.json", node);
    return file(ix, path);
}

/* Documents (sorted ids with their best level) matching word q by
 * prefix, decoded from the one file the client would fetch. */
static const char *match(const search_index *ix, const char *q, buf *out)
{
    char node[64];
    int is_split;
    const char *f = node_for(ix, q, node, &is_split);
    buf_clear(out);
    if (!f)
        return out->data;
    if (is_split) {
        decode(postings(f, "*"), out);
        return out->data;
    }
    /* A leaf: the union of the words starting with q, decoded naively. */
    {
        int best[8192];
        char key[64];
        memset(best, -1, sizeof best);
        for (const char *k = strchr(f, '"'); k; k = strchr(k, '"')) {
            const char *e = strchr(k + 1, '"');
            buf one = BUF_INIT;
            size_t kl = (size_t)(e - k - 1);
            memcpy(key, k + 1, kl);
            key[kl] = '\0';
            k = strchr(e + 3, '"') + 1;   /* past the value */
            if (strncmp(key, q, strlen(q)) != 0)
                continue;
            buf_init(&one);
            decode(postings(f, key), &one);
            for (char *p = one.data; *p;) {
                long d = strtol(p, &p, 10), lv = strtol(p + 1, &p, 10);
                if (lv > best[d])
                    best[d] = (int)lv;
            }
            buf_free(&one);
        }
        for (int d = 0; d < 8192; d++)
            if (best[d] >= 0)
                buf_printf(out, "%s%d:%d", out->len ? " " : "", d, best[d]);
    }
    return out->data;
}

/* ---- tests ---- */

TEST(fold_danish_letters)
{
    CHECK_STR(fold("Æble"), "aeble");
    CHECK_STR(fold("ÆØÅ æøå"), "aeoeaaaeoeaa");
    CHECK_STR(fold("Ørnen"), "oernen");
    CHECK_STR(fold("Århus"), "aarhus");
    CHECK_STR(fold("børn"), "boern");
    CHECK_STR(fold("ældre"), "aeldre");
    CHECK_STR(fold("ÆLDRE"), "aeldre");
    /* decomposed å: a + combining ring */
    CHECK_STR(fold("A\xcc\x8a" "rhus"), "aarhus");
    CHECK_STR(fold("a\xcc\x8a"), "aa");
}

TEST(fold_accents_and_others)
{
    CHECK_STR(fold("Café"), "cafe");
    CHECK_STR(fold("É"), "e");
    CHECK_STR(fold("Über"), "uber");
    CHECK_STR(fold("Köln"), "koln");
    CHECK_STR(fold("Mädchen"), "madchen");
    CHECK_STR(fold("Straße"), "strasse");
    CHECK_STR(fold("ẞ"), "ss");
    CHECK_STR(fold("Crème brûlée!"), "cremebrulee");
    CHECK_STR(fold("e\xcc\x81"), "e");             /* e + combining acute */
    CHECK_STR(fold("Łódź"), "lodz");
    CHECK_STR(fold("Þór Ðan"), "thordan");
    CHECK_STR(fold("ĲSSEL œuvre"), "ijsseloeuvre");
    CHECK_STR(fold("Ñandú Ǻ İ ı ǅ"), "nanduaii");  /* ǅ does not decompose */
    CHECK_STR(fold("Ẩm Ẁ ỹ"), "amwy");
    CHECK_STR(fold("2016-04-15"), "20160415");
    CHECK_STR(fold("ABC xyz 0189"), "abcxyz0189");
    CHECK_STR(fold("×÷·"), "");
    CHECK_STR(fold("αβγ кот"), "");               /* other scripts dropped */
    CHECK_STR(fold("bl\xc2\xad" "ød"), "bloed");  /* soft hyphen */
    CHECK_STR(fold("\xff" "a\xc3"), "a");         /* malformed bytes */
    CHECK_STR(fold(""), "");
}

/* The whole index of three documents, checked by hand.  Ids by date,
 * newest first: B = 0, A = 1, C = 2.  Levels: title 4, summary 2, at
 * least three times in the body 1.  Numbers are gap << 3 | level in
 * base 64: 8|4 = 12 'M', 8|0 'I', 16|2 = 18 'S', 24|4 = 28 'c',
 * 8|2 = 10 'K', 16|1 = 17 'R', 24|0 'Y'. */
TEST(tiny_index_exact)
{
    static const char *const t1[] = {"t1"}, *const t1n[] = {"Spor 1"};
    static const char *const t12[] = {"t2", "t1"},
                             *const t12n[] = {"Spor 2", "Spor 1"};
    search_doc d[3];
    search_index ix = {0};
    uint64_t h = 14695981039346656037ull;   /* FNV-1a offset basis */
    char want[1024];

    d[0] = doc("/a/", "Børn", "Leg", "cases", "2020-01-01", "<p>børn leg</p>");
    d[0].type_title = "Praksis";
    d[0].tracks = t1;
    d[0].track_titles = t1n;
    d[0].ntracks = 1;
    d[1] = doc("/b/", "Ældre", "Tid & ro", "guides", "2021-06-01",
               "<p>Ældre &amp; børn</p>");
    d[1].type_title = "Værktøjer";
    d[1].tracks = t12;
    d[1].track_titles = t12n;
    d[1].ntracks = 2;
    d[2] = doc("/c/", "Om \"os\" </script>", "", "cases", "2019-05-05",
               "<h2>x</h2><p>ro ro ro</p>");
    search_build(d, 3, &ix);

    CHECK_INT(ix.nfiles, 10);
    if (ix.nfiles != 10)
        goto out;
    CHECK_STR(ix.files[0].path, "meta.json");
    CHECK_STR(ix.files[1].path, "d/0.json");
    CHECK_STR(ix.files[1].data.data,
              "[[\"/b/\",\"Ældre\",\"Tid & ro\",\"2021-06-01\"],\n"
              "[\"/a/\",\"Børn\",\"Leg\",\"2020-01-01\"],\n"
              "[\"/c/\",\"Om \\\"os\\\" <\\/script>\",\"\",\"2019-05-05\"]]\n");
    CHECK_STR(ix.files[2].path, "w/a.json");
    CHECK_STR(ix.files[2].data.data, "{\"aeldre\":\"M\"}");
    CHECK_STR(ix.files[3].path, "w/b.json");
    CHECK_STR(ix.files[3].data.data, "{\"boern\":\"IM\"}");
    CHECK_STR(ix.files[4].path, "w/l.json");
    CHECK_STR(ix.files[4].data.data, "{\"leg\":\"S\"}");
    CHECK_STR(ix.files[5].path, "w/o.json");
    CHECK_STR(ix.files[5].data.data, "{\"om\":\"c\",\"os\":\"c\"}");
    CHECK_STR(ix.files[6].path, "w/r.json");
    CHECK_STR(ix.files[6].data.data, "{\"ro\":\"KR\"}");
    CHECK_STR(ix.files[7].path, "w/s.json");
    CHECK_STR(ix.files[7].data.data, "{\"script\":\"c\"}");
    CHECK_STR(ix.files[8].path, "w/t.json");
    CHECK_STR(ix.files[8].data.data, "{\"tid\":\"K\"}");
    CHECK_STR(ix.files[9].path, "w/x.json");
    CHECK_STR(ix.files[9].data.data, "{\"x\":\"Y\"}");

    /* The hash: FNV-1a (64 bits) in four lanes over every file but
     * meta.json, path then contents, in order; byte k goes to lane k % 4;
     * then FNV-1a over the lanes' bytes, little-endian. */
    {
        uint64_t lane[4] = {h, h, h, h};
        size_t k = 0;
        for (size_t i = 1; i < ix.nfiles; i++) {
            for (const char *p = ix.files[i].path; *p; p++, k++)
                lane[k % 4] = (lane[k % 4] ^ (unsigned char)*p) * 1099511628211ull;
            for (size_t j = 0; j < ix.files[i].data.len; j++, k++)
                lane[k % 4] = (lane[k % 4] ^ (unsigned char)ix.files[i].data.data[j]) *
                              1099511628211ull;
        }
        for (int l = 0; l < 4; l++)
            for (int b = 0; b < 8; b++)
                h = (h ^ ((lane[l] >> (8 * b)) & 255)) * 1099511628211ull;
    }
    /* attrs: B = guides (1) << 2 | t1 | t2 = 7 'H'; A = cases, t1 = 1
     * 'B'; C = cases, no track = 0 'A'. */
    snprintf(want, sizeof want,
             "{\"attr_width\":1,\n"
             "\"attrs\":\"HBA\",\n"
             "\"docs\":3,\n"
             "\"docs_per_shard\":8,\n"
             "\"format\":1,\n"
             "\"hash\":\"%016llx\",\n"
             "\"shards\":[\"a\",\"b\",\"l\",\"o\",\"r\",\"s\",\"t\",\"x\"],\n"
             "\"split\":[],\n"
             "\"tracks\":[{\"key\":\"t1\",\"title\":\"Spor 1\"},"
             "{\"key\":\"t2\",\"title\":\"Spor 2\"}],\n"
             "\"types\":[{\"key\":\"cases\",\"title\":\"Praksis\"},"
             "{\"key\":\"guides\",\"title\":\"Værktøjer\"}]}\n",
             (unsigned long long)h);
    CHECK_STR(ix.files[0].data.data, want);
out:
    search_index_free(&ix);
}

TEST(empty_index)
{
    search_index ix = {0};
    search_build(NULL, 0, &ix);
    CHECK_INT(ix.nfiles, 1);
    CHECK(strstr(file(&ix, "meta.json"),
                 "\"attrs\":\"\",\n\"docs\":0,") != NULL);
    CHECK(strstr(file(&ix, "meta.json"),
                 "\"shards\":[],\n\"split\":[],\n\"tracks\":[],\n"
                 "\"types\":[]}") != NULL);
    search_index_free(&ix);
}

static int same_index(const search_index *a, const search_index *b)
{
    if (a->nfiles != b->nfiles)
        return 0;
    for (size_t i = 0; i < a->nfiles; i++)
        if (strcmp(a->files[i].path, b->files[i].path) != 0 ||
            a->files[i].data.len != b->files[i].data.len ||
            memcmp(a->files[i].data.data, b->files[i].data.data,
                   a->files[i].data.len) != 0)
            return 0;
    return 1;
}

/* Many documents in two orders: the same bytes (and enough documents for
 * the build to use several threads). */
TEST(deterministic)
{
    enum { N = 1200 };
    static const char *const tr[] = {"b", "a"}, *const trn[] = {"B", "A"};
    search_doc *d = calloc(N, sizeof *d), *r = calloc(N, sizeof *r);
    char (*text)[200] = calloc(N, sizeof *text), (*url)[32] = calloc(N, sizeof *url);
    char (*date)[16] = calloc(N, sizeof *date);
    search_index x = {0}, y = {0};
    for (int i = 0; i < N; i++) {
        snprintf(url[i], sizeof url[i], "/p/%d/", i);
        snprintf(date[i], sizeof date[i], "20%02d-01-%02d", 10 + i % 7, 1 + i % 28);
        snprintf(text[i], sizeof text[i],
                 "<p>ord%d fælles børn%d ældre &amp; tekst%d</p>", i % 97, i % 13, i);
        d[i] = doc(url[i], i % 3 ? "Børn og unge" : "Ældre", "Kort tekst",
                   i % 2 ? "cases" : "guides", date[i], text[i]);
        d[i].tracks = tr + (i % 2);
        d[i].track_titles = trn + (i % 2);
        d[i].ntracks = (size_t)(2 - i % 2);
        r[N - 1 - i] = d[i];
    }
    search_build(d, N, &x);
    search_build(r, N, &y);
    CHECK(same_index(&x, &y));
    CHECK(x.nfiles > 10);
    search_index_free(&x);
    search_build(d, N, &x);
    CHECK(same_index(&x, &y));
    search_index_free(&x);
    search_index_free(&y);
    free(d);
    free(r);
    free(text);
    free(url);
    free(date);
}

/* The cache kept by serve: after documents change, the index made by
 * reading only those again is the same, byte for byte, as a fresh build;
 * words no document has any more are gone; a new set of documents (one
 * more) is read whole. */
TEST(cached_rebuild_same_as_fresh)
{
    enum { N = 700 };
    search_doc *d = calloc(N + 1, sizeof *d);
    char (*text)[200] = calloc(N + 1, sizeof *text), (*url)[32] = calloc(N + 1, sizeof *url);
    char (*date)[16] = calloc(N + 1, sizeof *date);
    unsigned char *changed = calloc(N + 1, 1);
    search_index x = {0}, y = {0};
    search_cache *cache = NULL;
    for (int i = 0; i <= N; i++) {
        snprintf(url[i], sizeof url[i], "/p/%d/", i);
        snprintf(date[i], sizeof date[i], "20%02d-02-%02d", 10 + i % 9, 1 + i % 27);
        snprintf(text[i], sizeof text[i],
                 "<p>ord%d fælles børn%d ældre tekst%d tekst%d tekst%d</p>",
                 i % 89, i % 11, i, i, i);
        d[i] = doc(url[i], i % 3 ? "Børn og unge" : "Ældre", "Kort tekst",
                   "cases", date[i], text[i]);
    }
    search_build_cached(d, N, changed, &cache, &x);   /* first: whole */
    search_build(d, N, &y);
    CHECK(same_index(&x, &y));
    search_index_free(&x);
    search_index_free(&y);
    /* Change three documents: a word only one of them had disappears
     * ("tekst5"), new words come, a title changes. */
    snprintf(text[5], sizeof text[5], "<p>helt ny sjældenhed</p>");
    snprintf(text[400], sizeof text[400], "<p>ord3 ord3 ord3 zebra æble</p>");
    d[699].title = "Ny titel om zebra";
    d[5].html_len = strlen(text[5]);
    d[400].html_len = strlen(text[400]);
    changed[5] = changed[400] = changed[699] = 1;
    search_build_cached(d, N, changed, &cache, &x);
    search_build(d, N, &y);
    CHECK(same_index(&x, &y));
    int has_old = 0, has_new = 0;
    for (size_t i = 0; i < x.nfiles; i++) {
        has_old |= strstr(x.files[i].data.data, "\"tekst5\"") != NULL;
        has_new |= strstr(x.files[i].data.data, "\"sjaeldenhed\"") != NULL;
    }
    CHECK(!has_old);
    CHECK(has_new);
    search_index_free(&x);
    search_index_free(&y);
    /* Once more on the same cache, then with one document more. */
    snprintf(text[5], sizeof text[5], "<p>tekst5 igen</p>");
    d[5].html_len = strlen(text[5]);
    memset(changed, 0, N + 1);
    changed[5] = 1;
    search_build_cached(d, N, changed, &cache, &x);
    search_build(d, N, &y);
    CHECK(same_index(&x, &y));
    search_index_free(&x);
    search_index_free(&y);
    search_build_cached(d, N + 1, changed, &cache, &x);
    search_build(d, N + 1, &y);
    CHECK(same_index(&x, &y));
    search_index_free(&x);
    search_index_free(&y);
    search_cache_free(cache);
    free(d);
    free(text);
    free(url);
    free(date);
    free(changed);
}

TEST(html_scanning)
{
    search_doc d = doc("/x/", "", "", "cases", "2020-01-01",
                       "<p class=\"a>b\">R&amp;D k&#248;d &#xE6;ble&nbsp;ost</p>"
                       "<!-- hemmelig --><script>var skjult = '<p>';</script>"
                       "<STYLE>.s{}</STYLE>syn<em>lig</em> 3&lt;4 x&unknown;y"
                       "<img alt=\"billede\"><scripts>tekst</scripts> a<b");
    search_index ix = {0};
    buf got = BUF_INIT;
    buf_init(&got);
    search_build(&d, 1, &ix);
    /* every word file's contents, concatenated */
    for (size_t i = 0; i < ix.nfiles; i++)
        if (ix.files[i].path[0] == 'w')
            buf_puts(&got, ix.files[i].data.data);
    CHECK_STR(got.data,
              "{\"3\":\"I\"}{\"4\":\"I\"}{\"a\":\"I\",\"aeble\":\"I\"}"
              "{\"d\":\"I\"}{\"koed\":\"I\"}{\"lig\":\"I\"}"
              "{\"ost\":\"I\"}{\"r\":\"I\"}{\"syn\":\"I\"}"
              "{\"tekst\":\"I\"}"
              "{\"unknown\":\"I\"}{\"x\":\"I\"}{\"y\":\"I\"}");
    buf_free(&got);
    search_index_free(&ix);
}

TEST(levels_and_long_words)
{
    char html[200];
    search_doc d;
    search_index ix = {0};
    snprintf(html, sizeof html, "<p>tre tre tre to to %s</p>",
             "abcdefghijabcdefghijabcdefghijabcdefghijXYZ");
    d = doc("/x/", "Tre", "To", "cases", "2020-01-01", html);
    search_build(&d, 1, &ix);
    /* title 4 + body three times 1 = 5: 8|5 = 13 'N'; summary 2: 'K' */
    CHECK_STR(file(&ix, "w/t.json"), "{\"to\":\"K\",\"tre\":\"N\"}");
    /* words are cut at 40 bytes */
    CHECK_STR(file(&ix, "w/a.json"),
              "{\"abcdefghijabcdefghijabcdefghijabcdefghij\":\"I\"}");
    search_index_free(&ix);
}

TEST(json_escaping)
{
    search_doc d = doc("/e/\"q\"/", "Tab\there \\ \"citat\" </b> \x01 \xe2\x80\xa8 end",
                       "Linje\nto\r", "cases", "2020-01-01", "");
    search_index ix = {0};
    search_build(&d, 1, &ix);
    CHECK_STR(file(&ix, "d/0.json"),
              "[[\"/e/\\\"q\\\"/\",\"Tab\\there \\\\ \\\"citat\\\" <\\/b> "
              "\\u0001 \\u2028 end\",\"Linje\\nto\\r\",\"2020-01-01\"]]\n");
    search_index_free(&ix);
}

TEST(summary_cut_at_word)
{
    char sum[400] = "";
    search_doc d;
    search_index ix = {0};
    const char *f, *s;
    for (int i = 0; i < 40; i++)
        strcat(sum, "ærlig ");
    d = doc("/s/", "T", sum, "cases", "2020-01-01", "");
    search_build(&d, 1, &ix);
    f = file(&ix, "d/0.json");
    s = strstr(f, "\"ærlig");
    CHECK(s != NULL);
    /* 26 whole words (26 * 6 = 156 characters) without the last space */
    CHECK(s && strstr(s, "ærlig ærlig…\",\"2020") != NULL);
    CHECK(s && strlen(s) < 200 + strlen("\",\"2020-01-01\"]]\n"));
    search_index_free(&ix);

    d = doc("/s/", "T", "Kort.", "cases", "2020-01-01", "");
    search_build(&d, 1, &ix);
    CHECK_STR(file(&ix, "d/0.json"),
              "[[\"/s/\",\"T\",\"Kort.\",\"2020-01-01\"]]\n");
    search_index_free(&ix);
}

/* 4,000 documents each with its own word zq0000 ... zq3999 overflow the
 * shard for "z"; it is split into "zq" and then "zq0" ... "zq3".  Every
 * look-up downloads one file and finds the right documents. */
TEST(shard_splitting)
{
    enum { N = 4000 };
    search_doc *d = calloc(N + 1, sizeof *d);
    char (*html)[64] = calloc(N, sizeof *html), (*url)[24] = calloc(N, sizeof *url);
    search_index ix = {0};
    buf m = BUF_INIT;
    const char *meta;
    size_t biggest = 0;
    buf_init(&m);
    for (int i = 0; i < N; i++) {
        snprintf(url[i], sizeof url[i], "/%04d/", i);
        snprintf(html[i], sizeof html[i], "<p>zq%04d zebra</p>", N - 1 - i);
        d[i] = doc(url[i], "", "", "cases", "2020-01-01", html[i]);
    }
    d[N] = doc("/zq/", "zq", "", "cases", "2000-01-01", "");
    search_build(d, N + 1, &ix);
    meta = file(&ix, "meta.json");
    CHECK(strstr(meta, "\"split\":[\"z\",\"zq\"]") != NULL);
    CHECK(meta_has(meta, "shards", "ze"));
    CHECK(meta_has(meta, "shards", "zq0"));
    CHECK(meta_has(meta, "shards", "zq3"));
    CHECK(!meta_has(meta, "shards", "zq4"));
    for (size_t i = 0; i < ix.nfiles; i++)
        if (ix.files[i].path[0] == 'w' && ix.files[i].data.len > biggest)
            biggest = ix.files[i].data.len;
    CHECK(biggest <= 24 * 1024);
    /* A split node holds the union and the word equal to its name. */
    CHECK(strncmp(file(&ix, "w/zq.json"), "{\"*\":\"", 6) == 0);
    /* (4001 << 3 | 4) = 32012 = 31, 8, 12 in base 32 */
    CHECK_STR(postings(file(&ix, "w/zq.json"), "zq"), "_oM");
    buf_clear(&m);
    decode("_oM", &m);
    CHECK_STR(m.data, "4000:4");
    /* doc i holds zq(3999 - i); ids follow URL order here. */
    CHECK_STR(match(&ix, "zq0123", &m), "3876:0");
    CHECK_STR(match(&ix, "zq3999", &m), "0:0");
    CHECK(strncmp(match(&ix, "zq", &m), "0:0 1:0 2:0", 11) == 0);
    CHECK(strstr(m.data, " 4000:4") != NULL);
    CHECK(strncmp(match(&ix, "z", &m), "0:0 1:0", 7) == 0);
    CHECK(strncmp(match(&ix, "zq1", &m), "2000:0 2001:0", 13) == 0);
    CHECK(strstr(match(&ix, "zq001", &m), "3980:0 3981:0") != NULL);
    CHECK_STR(match(&ix, "zq0000", &m), "3999:0");
    CHECK(strncmp(match(&ix, "zeb", &m), "0:0 1:0", 7) == 0);
    CHECK_STR(match(&ix, "zq9", &m), "");
    CHECK_STR(match(&ix, "q", &m), "");
    buf_free(&m);
    search_index_free(&ix);
    free(d);
    free(html);
    free(url);
}

/* Prefix look-ups on a small index: "aeld" finds "ældre". */
TEST(prefix_lookup)
{
    search_doc d[2];
    search_index ix = {0};
    buf m = BUF_INIT;
    buf_init(&m);
    d[0] = doc("/1/", "Ældreplejen", "", "cases", "2021-01-01", "<p>Mere tid</p>");
    d[1] = doc("/2/", "Børnene", "", "cases", "2020-01-01", "<p>ældre børn</p>");
    search_build(d, 2, &ix);
    char q[16];
    snprintf(q, sizeof q, "%s", fold("ÆLD"));
    CHECK_STR(q, "aeld");
    CHECK_STR(match(&ix, q, &m), "0:4 1:0");
    CHECK_STR(match(&ix, "aeldre", &m), "0:4 1:0");
    CHECK_STR(match(&ix, "aeldrep", &m), "0:4");
    snprintf(q, sizeof q, "%s", fold("børn"));
    CHECK_STR(match(&ix, q, &m), "1:4");
    CHECK_STR(match(&ix, "b", &m), "1:4");
    CHECK_STR(match(&ix, "boernx", &m), "");
    buf_free(&m);
    search_index_free(&ix);
}

int main(void)
{
    buf_init(&scratch);
    RUN(fold_danish_letters);
    RUN(fold_accents_and_others);
    RUN(tiny_index_exact);
    RUN(empty_index);
    RUN(deterministic);
    RUN(cached_rebuild_same_as_fresh);
    RUN(html_scanning);
    RUN(levels_and_long_words);
    RUN(json_escaping);
    RUN(summary_cut_at_word);
    RUN(shard_splitting);
    RUN(prefix_lookup);
    buf_free(&scratch);
    return TEST_SUMMARY();
}
