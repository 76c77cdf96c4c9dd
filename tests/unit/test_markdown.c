/*
 * test_markdown.c - tests for src/markdown.c.
 *
 * Expected HTML is written out byte for byte: apart from heading ids,
 * rewritten links and the footnote label, it must be exactly what
 * cmark-gfm 0.29.0.gfm.6 emits (one test also compares against cmark-gfm
 * directly).
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "test.h"

#define PAGE "content/cases/foo.md"

/* ---- helpers ---- */

/* HTML of src rendered for PAGE with default options. */
static char *html_of(const char *src, int allow_html)
{
    md_options o = {0};
    md_result r;
    diag d;
    o.allow_html = allow_html;
    diag_init(&d);
    md_render(PAGE, src, strlen(src), 1, &o, &r, &d);
    char *h = r.html;
    r.html = NULL;
    md_result_free(&r);
    diag_free(&d);
    return h;
}

#define CHECK_HTML(src, allow, want)                                     \
    do {                                                                 \
        char *h_ = html_of((src), (allow));                              \
        CHECK_STR(h_, (want));                                           \
        free(h_);                                                        \
    } while (0)

/* A resolver stub: a fixed table of pages; counts calls and remembers the
 * last target it was asked about. */
typedef struct stub_ctx {
    int calls;
    char last[256];
} stub_ctx;

static const char *stub_resolve(void *ctx, const char *target)
{
    static const char *const pages[][2] = {
        {"content/guides/x.md", "/vaerktoejer/x/"},
        {"content/guides/\xC3\xA6" "bler.md", "/vaerktoejer/aebler/"},
        {"content/cases/bar/index.md", "/cases/bar/"},
        {"content/cases/foo/billede.md", "/cases/foo/billede/"},
        {"content/cases/foo.md", "/cases/foo/"},
        {"content/min side.md", "/min-side/"},
        {"content/om.md", "/om/"},
    };
    stub_ctx *s = ctx;
    s->calls++;
    snprintf(s->last, sizeof s->last, "%s", target);
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(pages[i][0], target) == 0)
            return pages[i][1];
    return NULL;
}

/* Render src for page path (first_line given) with the stub resolver. */
static int render_links(const char *path, const char *src, int first_line,
                        stub_ctx *ctx, md_result *r, diag *d)
{
    md_options o = {0};
    o.resolve = stub_resolve;
    o.resolve_ctx = ctx;
    memset(ctx, 0, sizeof *ctx);
    return md_render(path, src, strlen(src), first_line, &o, r, d);
}

static md_result render_summary(const char *src, size_t max)
{
    md_options o = {0};
    md_result r;
    diag d;
    o.summary_max = max;
    diag_init(&d);
    md_render(PAGE, src, strlen(src), 1, &o, &r, &d);
    diag_free(&d);
    return r;
}

/* ---- extensions ---- */

TEST(test_table)
{
    CHECK_HTML("| a | b |\n|---|:-:|\n| 1 | *2* |\n", 0,
               "<table>\n<thead>\n<tr>\n<th>a</th>\n"
               "<th align=\"center\">b</th>\n</tr>\n</thead>\n<tbody>\n"
               "<tr>\n<td>1</td>\n<td align=\"center\"><em>2</em></td>\n"
               "</tr>\n</tbody>\n</table>\n");
}

TEST(test_strikethrough)
{
    CHECK_HTML("~~gammel~~ ny\n", 0, "<p><del>gammel</del> ny</p>\n");
}

TEST(test_autolink)
{
    CHECK_HTML("Se www.kl.dk, https://x.dk/a.md og post@kl.dk.\n", 0,
               "<p>Se <a href=\"http://www.kl.dk\">www.kl.dk</a>, "
               "<a href=\"https://x.dk/a.md\">https://x.dk/a.md</a> og "
               "<a href=\"mailto:post@kl.dk\">post@kl.dk</a>.</p>\n");
}

TEST(test_tagfilter)
{
    /* Only visible with raw HTML allowed; otherwise all raw HTML goes. */
    CHECK_HTML("a <title>x</title> <b>y</b>\n\n<xmp>\n", 1,
               "<p>a &lt;title>x&lt;/title> <b>y</b></p>\n&lt;xmp>\n");
}

TEST(test_tasklist)
{
    CHECK_HTML("- [ ] ring\n- [x] skriv\n", 0,
               "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> ring</li>\n"
               "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
               "skriv</li>\n</ul>\n");
}

TEST(test_footnotes_danish_label)
{
    CHECK_HTML("Tekst[^1] og igen[^1].\n\n[^1]: Kilde.\n", 0,
               "<p>Tekst<sup class=\"footnote-ref\"><a href=\"#fn-1\" "
               "id=\"fnref-1\" data-footnote-ref>1</a></sup> og igen"
               "<sup class=\"footnote-ref\"><a href=\"#fn-1\" "
               "id=\"fnref-1-2\" data-footnote-ref>1</a></sup>.</p>\n"
               "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
               "<li id=\"fn-1\">\n<p>Kilde. <a href=\"#fnref-1\" "
               "class=\"footnote-backref\" data-footnote-backref "
               "aria-label=\"Tilbage til indholdet\">\xE2\x86\xA9</a> "
               "<a href=\"#fnref-1-2\" class=\"footnote-backref\" "
               "data-footnote-backref aria-label=\"Tilbage til indholdet\">"
               "\xE2\x86\xA9<sup class=\"footnote-ref\">2</sup></a></p>\n"
               "</li>\n</ol>\n</section>\n");
}

TEST(test_footnote_label_escaped)
{
    md_options o = {0};
    md_result r;
    diag d;
    const char *src = "a[^n]\n\n[^n]: b\n";
    o.footnote_backref_label = "Op \"igen\" & <v\xC3\xA6k>";
    diag_init(&d);
    CHECK_INT(md_render(PAGE, src, strlen(src), 1, &o, &r, &d), 0);
    CHECK(strstr(r.html, "aria-label=\"Op &quot;igen&quot; &amp; "
                         "&lt;v\xC3\xA6k&gt;\">") != NULL);
    CHECK(strstr(r.html, "Back to content") == NULL);
    CHECK_INT(r.html_len, strlen(r.html));
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_raw_html_omitted)
{
    CHECK_HTML("a <b>x</b>\n\n<div>\nx\n</div>\n", 0,
               "<p>a <!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n"
               "<!-- raw HTML omitted -->\n");
}

TEST(test_raw_html_allowed)
{
    CHECK_HTML("a <b>x</b>\n\n<div>\nx\n</div>\n", 1,
               "<p>a <b>x</b></p>\n<div>\nx\n</div>\n");
}

/* ---- headings ---- */

TEST(test_heading_id)
{
    CHECK_HTML("## Resultater\n", 0,
               "<h2 id=\"resultater\">Resultater</h2>\n");
}

TEST(test_heading_id_danish)
{
    CHECK_HTML("## \xC3\x86" "bler og \xC3\xB8l\n", 0,
               "<h2 id=\"aebler-og-oel\">\xC3\x86" "bler og \xC3\xB8l</h2>\n");
}

TEST(test_heading_duplicates)
{
    CHECK_HTML("## Resultater\n\nTekst\n\n## Resultater\n\n### Resultater\n", 0,
               "<h2 id=\"resultater\">Resultater</h2>\n<p>Tekst</p>\n"
               "<h2 id=\"resultater-1\">Resultater</h2>\n"
               "<h3 id=\"resultater-2\">Resultater</h3>\n");
    /* "a-1" written out is taken, so the second "A" skips to "a-2". */
    CHECK_HTML("# A\n# A-1\n# A\n# A-1\n", 0,
               "<h1 id=\"a\">A</h1>\n<h1 id=\"a-1\">A-1</h1>\n"
               "<h1 id=\"a-2\">A</h1>\n<h1 id=\"a-1-1\">A-1</h1>\n");
}

TEST(test_heading_inline_markup)
{
    md_result r;
    diag d;
    const char *src = "## Om *os* og `kode` [her](https://x.dk)\n";
    diag_init(&d);
    md_render(PAGE, src, strlen(src), 1, NULL, &r, &d);
    CHECK_STR(r.html, "<h2 id=\"om-os-og-kode-her\">Om <em>os</em> og "
                      "<code>kode</code> <a href=\"https://x.dk\">her</a>"
                      "</h2>\n");
    CHECK_INT(r.toc_len, 1);
    if (r.toc_len == 1)
        CHECK_STR(r.toc[0].text, "Om os og kode her");
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_heading_empty_and_symbols)
{
    CHECK_HTML("#\n\n## !!!\n\n### R&amp;D <b>x</b>\n", 0,
               "<h1 id=\"afsnit\"></h1>\n<h2 id=\"afsnit-1\">!!!</h2>\n"
               "<h3 id=\"r-d-x\">R&amp;D <!-- raw HTML omitted -->x"
               "<!-- raw HTML omitted --></h3>\n");
}

TEST(test_heading_raw_html_allowed)
{
    /* Inline HTML in a heading points into the heading's own buffer inside
     * cmark; the replaced heading must live until rendering is done. */
    CHECK_HTML("## A <b>fed</b> `c` &lt;\n", 1,
               "<h2 id=\"a-fed-c\">A <b>fed</b> <code>c</code> &lt;</h2>\n");
}

TEST(test_heading_setext_and_nested)
{
    CHECK_HTML("Titel\nanden linje\n===\n\n- ## Liste\n\n> ### Citat\n", 0,
               "<h1 id=\"titel-anden-linje\">Titel\nanden linje</h1>\n"
               "<ul>\n<li>\n<h2 id=\"liste\">Liste</h2>\n</li>\n</ul>\n"
               "<blockquote>\n<h3 id=\"citat\">Citat</h3>\n</blockquote>\n");
}

TEST(test_toc)
{
    md_result r;
    diag d;
    const char *src = "# Forside\n\nTekst.\n\n## Baggrund\n\n### Data *2023*\n"
                      "\n> ## I citat\n\n## Baggrund\n";
    diag_init(&d);
    CHECK_INT(md_render(PAGE, src, strlen(src), 1, NULL, &r, &d), 0);
    CHECK_INT(r.toc_len, 5);
    if (r.toc_len == 5) {
        static const struct { int level; const char *id, *text; } want[] = {
            {1, "forside", "Forside"},
            {2, "baggrund", "Baggrund"},
            {3, "data-2023", "Data 2023"},
            {2, "i-citat", "I citat"},
            {2, "baggrund-1", "Baggrund"},
        };
        for (size_t i = 0; i < 5; i++) {
            CHECK_INT(r.toc[i].level, want[i].level);
            CHECK_STR(r.toc[i].id, want[i].id);
            CHECK_STR(r.toc[i].text, want[i].text);
        }
    }
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_thousand_same_headings)
{
    buf src;
    md_result r;
    diag d;
    buf_init(&src);
    for (int i = 0; i < 1000; i++)
        buf_puts(&src, "## Resultater\n\n");
    diag_init(&d);
    CHECK_INT(md_render(PAGE, src.data, src.len, 1, NULL, &r, &d), 0);
    CHECK_INT(r.toc_len, 1000);
    if (r.toc_len == 1000) {
        CHECK_STR(r.toc[0].id, "resultater");
        CHECK_STR(r.toc[1].id, "resultater-1");
        CHECK_STR(r.toc[999].id, "resultater-999");
    }
    CHECK(strstr(r.html, "<h2 id=\"resultater-500\">Resultater</h2>\n") !=
          NULL);
    md_result_free(&r);
    diag_free(&d);
    buf_free(&src);
}

TEST(test_huge_heading)
{
    buf src;
    md_result r;
    diag d;
    buf_init(&src);
    buf_puts(&src, "# ");
    for (int i = 0; i < 50000; i++)
        buf_puts(&src, "ord ");
    buf_puts(&src, "\n");
    diag_init(&d);
    CHECK_INT(md_render(PAGE, src.data, src.len, 1, NULL, &r, &d), 0);
    CHECK_INT(r.toc_len, 1);
    CHECK_INT(r.word_count, 50000);
    if (r.toc_len == 1) {
        CHECK_INT(strlen(r.toc[0].id), 50000 * 4 - 1);
        CHECK_INT(strlen(r.toc[0].text), 50000 * 4 - 1);
    }
    CHECK(strncmp(r.html, "<h1 id=\"ord-ord-", 16) == 0);
    md_result_free(&r);
    diag_free(&d);
    buf_free(&src);
}

/* ---- links ---- */

TEST(test_link_relative_with_fragment)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_links(PAGE, "Se [trin 2](../guides/x.md#trin-2).\n", 1,
                           &ctx, &r, &d), 0);
    CHECK_STR(r.html, "<p>Se <a href=\"/vaerktoejer/x/#trin-2\">trin 2</a>."
                      "</p>\n");
    CHECK_INT(ctx.calls, 1);
    CHECK_STR(ctx.last, "content/guides/x.md");
    CHECK_INT(d.len, 0);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_link_page_folder_index)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_links("content/cases/foo/index.md",
                           "[a](../bar/index.md) [b](./billede.md) "
                           "[c](.././../om.md) [d](../foo.md)\n",
                           1, &ctx, &r, &d), 0);
    CHECK_STR(r.html, "<p><a href=\"/cases/bar/\">a</a> "
                      "<a href=\"/cases/foo/billede/\">b</a> "
                      "<a href=\"/om/\">c</a> "
                      "<a href=\"/cases/foo/\">d</a></p>\n");
    CHECK_INT(ctx.calls, 4);
    CHECK_INT(d.len, 0);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_link_query_and_percent)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_links(PAGE,
                           "[q](../guides/x.md?utm=1#trin-2) "
                           "[s](../min%20side.md) "
                           "[u](<../guides/\xC3\xA6" "bler.md>) "
                           "[p](../guides/%C3%A6bler.md) "
                           "[e](%2e%2e/guides/x.md)\n",
                           1, &ctx, &r, &d), 0);
    CHECK_STR(r.html, "<p><a href=\"/vaerktoejer/x/#trin-2\">q</a> "
                      "<a href=\"/min-side/\">s</a> "
                      "<a href=\"/vaerktoejer/aebler/\">u</a> "
                      "<a href=\"/vaerktoejer/aebler/\">p</a> "
                      "<a href=\"/vaerktoejer/x/\">e</a></p>\n");
    CHECK_INT(ctx.calls, 5);
    CHECK_INT(d.len, 0);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_link_reference_image_table_footnote)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_links(PAGE,
                           "[ref][r] ![billede](../guides/x.md)[^1]\n\n"
                           "| a |\n|---|\n| [t](../om.md) |\n\n"
                           "[r]: ../guides/x.md#top\n"
                           "[^1]: Se [fod](../guides/x.md).\n",
                           1, &ctx, &r, &d), 0);
    CHECK_STR(r.html,
              "<p><a href=\"/vaerktoejer/x/#top\">ref</a> "
              "<img src=\"/vaerktoejer/x/\" alt=\"billede\" />"
              "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" "
              "data-footnote-ref>1</a></sup></p>\n"
              "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n"
              "<tr>\n<td><a href=\"/om/\">t</a></td>\n</tr>\n</tbody>\n"
              "</table>\n"
              "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
              "<li id=\"fn-1\">\n<p>Se <a href=\"/vaerktoejer/x/\">fod</a>. "
              "<a href=\"#fnref-1\" class=\"footnote-backref\" "
              "data-footnote-backref aria-label=\"Tilbage til indholdet\">"
              "\xE2\x86\xA9</a></p>\n</li>\n</ol>\n</section>\n");
    CHECK_INT(ctx.calls, 4);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_link_missing_target)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    /* The body starts on line 4 of the file (after front matter). */
    CHECK_INT(render_links(PAGE,
                           "F\xC3\xB8rste linje.\n\n"
                           "Se [her](../guides/mangler.md#a) og "
                           "[der](nope.md).\n",
                           4, &ctx, &r, &d), -1);
    CHECK_STR(r.html, "<p>F\xC3\xB8rste linje.</p>\n"
                      "<p>Se <a href=\"../guides/mangler.md#a\">her</a> og "
                      "<a href=\"nope.md\">der</a>.</p>\n");
    CHECK_INT(d.len, 2);
    CHECK_INT(d.errors, 2);
    if (d.len == 2) {
        CHECK_STR(d.entries[0].path, PAGE);
        CHECK_INT(d.entries[0].line, 6);
        CHECK_INT(d.entries[0].col, 4);
        CHECK_STR(d.entries[0].message,
                  "link to \"../guides/mangler.md#a\" does not resolve: "
                  "no such page");
        CHECK_INT(d.entries[1].line, 6);
        CHECK_INT(d.entries[1].col, 37);
        CHECK_STR(d.entries[1].message,
                  "link to \"nope.md\" does not resolve: no such page");
    }
    CHECK_STR(ctx.last, "content/cases/nope.md");
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_link_missing_positions)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    diag_init(&d);
    /* Indented continuation line (cmark-gfm's own column ignores the
     * indentation), a list item and a link above the site root. */
    CHECK_INT(render_links(PAGE,
                           "tekst\n   og [a](a.md)\n\n- punkt\n\n  ![b](b.md)\n"
                           "\n[c](../../../c.md)\n",
                           10, &ctx, &r, &d), -1);
    CHECK_INT(d.len, 3);
    if (d.len == 3) {
        CHECK_INT(d.entries[0].line, 11);
        CHECK_INT(d.entries[0].col, 7);
        CHECK_INT(d.entries[1].line, 15);
        CHECK_INT(d.entries[1].col, 3);
        CHECK_INT(d.entries[2].line, 17);
        CHECK_INT(d.entries[2].col, 1);
        CHECK_STR(d.entries[2].message,
                  "link to \"../../../c.md\" does not resolve: no such page");
    }
    CHECK_INT(ctx.calls, 2);    /* above the root: not even asked */
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_links_not_rewritten)
{
    stub_ctx ctx;
    md_result r;
    diag d;
    const char *src = "[a](http://x.dk/x.md) [b](/abs.md) [c](#anker) "
                      "[d](mailto:a@b.md) [e](X.MD) [f](//cdn.dk/a.md) "
                      "[g](billede.png) [h](a.md.txt) <https://x.dk/y.md>\n";
    diag_init(&d);
    CHECK_INT(render_links(PAGE, src, 1, &ctx, &r, &d), 0);
    CHECK_STR(r.html, "<p><a href=\"http://x.dk/x.md\">a</a> "
                      "<a href=\"/abs.md\">b</a> <a href=\"#anker\">c</a> "
                      "<a href=\"mailto:a@b.md\">d</a> <a href=\"X.MD\">e</a> "
                      "<a href=\"//cdn.dk/a.md\">f</a> "
                      "<a href=\"billede.png\">g</a> "
                      "<a href=\"a.md.txt\">h</a> "
                      "<a href=\"https://x.dk/y.md\">https://x.dk/y.md</a>"
                      "</p>\n");
    CHECK_INT(ctx.calls, 0);
    CHECK_INT(d.len, 0);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_links_without_resolver)
{
    CHECK_HTML("[x](../guides/nope.md)\n", 0,
               "<p><a href=\"../guides/nope.md\">x</a></p>\n");
}

/* ---- images ---- */

/* An image callback stub: a few files with and without a known size;
 * http(s) and data: are not local.  Its context starts with the link
 * stub's, since both callbacks get resolve_ctx. */
typedef struct img_ctx {
    stub_ctx links;
    int calls;
    char last[256];
} img_ctx;

static int stub_image(void *ctx, const char *src, int *width, int *height)
{
    img_ctx *c = ctx;
    c->calls++;
    snprintf(c->last, sizeof c->last, "%s", src);
    if (strncmp(src, "http:", 5) == 0 || strncmp(src, "https:", 6) == 0 ||
        strncmp(src, "data:", 5) == 0 || strncmp(src, "javascript:", 11) == 0)
        return 1;
    if (strcmp(src, "foto.jpg") == 0) {
        *width = 640;
        *height = 480;
        return 0;
    }
    if (strcmp(src, "graf.svg") == 0 || strcmp(src, "mit%20kort.svg") == 0) {
        *width = 300;
        *height = 150;
        return 0;
    }
    if (strcmp(src, "ukendt.bmp") == 0)
        return 0;                       /* exists, size unknown */
    return -1;
}

/* Render src with the image stub (and the link stub), lazy as given. */
static int render_images(const char *src, int first_line, int lazy,
                         img_ctx *ictx, md_result *r, diag *d)
{
    md_options o = {0};
    o.resolve = stub_resolve;
    o.resolve_ctx = ictx;
    o.image = stub_image;
    o.lazy_images_after = lazy;
    memset(ictx, 0, sizeof *ictx);
    return md_render(PAGE, src, strlen(src), first_line, &o, r, d);
}

TEST(test_image_with_size)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_images("Se ![Et foto af teamet](foto.jpg) her.\n", 1, 0,
                            &c, &r, &d), 0);
    CHECK_STR(r.html, "<p>Se <img src=\"foto.jpg\" alt=\"Et foto af teamet\" "
                      "width=\"640\" height=\"480\" decoding=\"async\"> "
                      "her.</p>\n");
    CHECK_INT(d.len, 0);
    CHECK_INT(c.calls, 1);
    CHECK_STR(c.last, "foto.jpg");
    CHECK_INT(r.nimages, 1);
    if (r.nimages == 1) {
        CHECK_STR(r.images[0].src, "foto.jpg");
        CHECK_STR(r.images[0].alt, "Et foto af teamet");
        CHECK_INT(r.images[0].width, 640);
        CHECK_INT(r.images[0].height, 480);
        CHECK_INT(r.images[0].decorative, 0);
    }
    /* the description still counts as text, as before */
    CHECK_STR(r.summary, "Se Et foto af teamet her.");
    CHECK_INT(r.word_count, 6);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_title_and_unknown_size)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    /* src as written (not decoded) goes to the callback and the list */
    CHECK_INT(render_images("![Kort](<mit%20kort.svg> \"Kortet i 2023\")\n\n"
                            "![Gammelt format](ukendt.bmp)\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html,
              "<p><img src=\"mit%20kort.svg\" alt=\"Kort\" "
              "title=\"Kortet i 2023\" width=\"300\" height=\"150\" "
              "decoding=\"async\"></p>\n"
              "<p><img src=\"ukendt.bmp\" alt=\"Gammelt format\" "
              "loading=\"lazy\" decoding=\"async\"></p>\n");
    CHECK_INT(c.calls, 2);
    CHECK_INT(r.nimages, 2);
    if (r.nimages == 2) {
        CHECK_STR(r.images[0].src, "mit%20kort.svg");
        CHECK_INT(r.images[1].width, 0);
        CHECK_INT(r.images[1].height, 0);
    }
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_without_alt)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    /* Body from line 5; the second one on an indented continuation line,
     * the third only white space. */
    CHECK_INT(render_images("Tekst\n\n![](foto.jpg)\n\ntekst\n   og ![](graf.svg)"
                            " og ![  ](ukendt.bmp)\n",
                            5, 0, &c, &r, &d), -1);
    CHECK_STR(r.html,
              "<p>Tekst</p>\n"
              "<p><img src=\"foto.jpg\" alt=\"\" width=\"640\" "
              "height=\"480\" decoding=\"async\"></p>\n"
              "<p>tekst\nog <img src=\"graf.svg\" alt=\"\" width=\"300\" "
              "height=\"150\" loading=\"lazy\" decoding=\"async\"> og "
              "<img src=\"ukendt.bmp\" alt=\"\" loading=\"lazy\" "
              "decoding=\"async\"></p>\n");
    CHECK_INT(d.len, 3);
    CHECK_INT(d.errors, 3);
    if (d.len == 3) {
        CHECK_STR(d.entries[0].path, PAGE);
        CHECK_INT(d.entries[0].line, 7);
        CHECK_INT(d.entries[0].col, 1);
        CHECK_STR(d.entries[0].message,
                  "image \"foto.jpg\" has no alt text: write "
                  "![what the picture shows](foto.jpg)");
        CHECK_INT(d.entries[1].line, 10);
        CHECK_INT(d.entries[1].col, 7);
        CHECK_STR(d.entries[1].message,
                  "image \"graf.svg\" has no alt text: write "
                  "![what the picture shows](graf.svg)");
        CHECK_INT(d.entries[2].line, 10);
        CHECK_INT(d.entries[2].col, 24);
    }
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_decorative)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_images("![](foto.jpg \"dekorativ\") "
                            "![Bort](graf.svg 'dekorativ')\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html, "<p><img src=\"foto.jpg\" alt=\"\" width=\"640\" "
                      "height=\"480\" decoding=\"async\"> "
                      "<img src=\"graf.svg\" alt=\"\" width=\"300\" "
                      "height=\"150\" loading=\"lazy\" "
                      "decoding=\"async\"></p>\n");
    CHECK_INT(d.len, 0);
    CHECK_INT(r.nimages, 2);
    if (r.nimages == 2) {
        CHECK_INT(r.images[0].decorative, 1);
        CHECK_STR(r.images[0].alt, "");
        CHECK_INT(r.images[1].decorative, 1);
        CHECK_STR(r.images[1].alt, "");
    }
    md_result_free(&r);
    /* only exactly "dekorativ" */
    CHECK_INT(render_images("![](foto.jpg \"Dekorativ\")\n", 1, 0, &c, &r,
                            &d), -1);
    CHECK_INT(d.len, 1);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_remote)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_images("![KL's logo](https://www.kl.dk/logo.png?v=2&s=1)"
                            "\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html, "<p><img src=\"https://www.kl.dk/logo.png?v=2&amp;s=1\" "
                      "alt=\"KL&#39;s logo\" decoding=\"async\"></p>\n");
    CHECK_INT(c.calls, 1);
    CHECK_INT(d.len, 0);
    CHECK_INT(r.nimages, 1);
    if (r.nimages == 1) {
        CHECK_STR(r.images[0].src, "https://www.kl.dk/logo.png?v=2&s=1");
        CHECK_INT(r.images[0].width, 0);
    }
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_missing_file)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_images("Linje.\n\n- punkt ![Kortet](kort.png)\n", 3, 0,
                            &c, &r, &d), -1);
    CHECK_STR(r.html, "<p>Linje.</p>\n<ul>\n<li>punkt <img src=\"kort.png\" "
                      "alt=\"Kortet\" decoding=\"async\"></li>\n</ul>\n");
    CHECK_INT(d.len, 1);
    CHECK_INT(d.errors, 1);
    if (d.len == 1) {
        CHECK_STR(d.entries[0].path, PAGE);
        CHECK_INT(d.entries[0].line, 5);
        CHECK_INT(d.entries[0].col, 9);
        CHECK_STR(d.entries[0].message, "image file \"kort.png\" not found");
    }
    md_result_free(&r);
    /* no alt text and no file: both errors */
    CHECK_INT(render_images("![](x.png)\n", 1, 0, &c, &r, &d), -1);
    CHECK_INT(d.len, 3);
    if (d.len == 3) {
        CHECK_STR(d.entries[1].message,
                  "image \"x.png\" has no alt text: write "
                  "![what the picture shows](x.png)");
        CHECK_STR(d.entries[2].message, "image file \"x.png\" not found");
    }
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_lazy)
{
    static const char src[] = "![a](foto.jpg)\n\n![b](graf.svg)\n\n"
                              "> ![c](ukendt.bmp)\n";
    static const struct {
        int lazy;
        const char *want;
    } cases[] = {
        {0, "<p><img src=\"foto.jpg\" alt=\"a\" width=\"640\" height=\"480\" "
            "decoding=\"async\"></p>\n"
            "<p><img src=\"graf.svg\" alt=\"b\" width=\"300\" height=\"150\" "
            "loading=\"lazy\" decoding=\"async\"></p>\n"
            "<blockquote>\n<p><img src=\"ukendt.bmp\" alt=\"c\" "
            "loading=\"lazy\" decoding=\"async\"></p>\n</blockquote>\n"},
        {2, "<p><img src=\"foto.jpg\" alt=\"a\" width=\"640\" height=\"480\" "
            "decoding=\"async\"></p>\n"
            "<p><img src=\"graf.svg\" alt=\"b\" width=\"300\" height=\"150\" "
            "decoding=\"async\"></p>\n"
            "<blockquote>\n<p><img src=\"ukendt.bmp\" alt=\"c\" "
            "loading=\"lazy\" decoding=\"async\"></p>\n</blockquote>\n"},
        {-1, "<p><img src=\"foto.jpg\" alt=\"a\" width=\"640\" height=\"480\" "
             "loading=\"lazy\" decoding=\"async\"></p>\n"
             "<p><img src=\"graf.svg\" alt=\"b\" width=\"300\" height=\"150\" "
             "loading=\"lazy\" decoding=\"async\"></p>\n"
             "<blockquote>\n<p><img src=\"ukendt.bmp\" alt=\"c\" "
             "loading=\"lazy\" decoding=\"async\"></p>\n</blockquote>\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        img_ctx c;
        md_result r;
        diag d;
        diag_init(&d);
        CHECK_INT(render_images(src, 1, cases[i].lazy, &c, &r, &d), 0);
        CHECK_STR(r.html, cases[i].want);
        CHECK_INT(r.nimages, 3);
        md_result_free(&r);
        diag_free(&d);
    }
}

TEST(test_image_in_link)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(render_images("[![Guiden](foto.jpg)](../guides/x.md#trin) og "
                            "[![Kilde](graf.svg \"Graf\")](https://x.dk)\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html, "<p><a href=\"/vaerktoejer/x/#trin\"><img src=\"foto.jpg\" "
                      "alt=\"Guiden\" width=\"640\" height=\"480\" "
                      "decoding=\"async\"></a> og "
                      "<a href=\"https://x.dk\"><img src=\"graf.svg\" "
                      "alt=\"Kilde\" title=\"Graf\" width=\"300\" "
                      "height=\"150\" loading=\"lazy\" "
                      "decoding=\"async\"></a></p>\n");
    CHECK_INT(d.len, 0);
    CHECK_INT(c.calls, 2);
    CHECK_INT(c.links.calls, 1);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_alt_escaped)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    /* Markup in the description gives plain text; raw HTML in it is text
     * too (as cmark-gfm does), quotes, & and < > are escaped. */
    CHECK_INT(render_images("![Et \"citat\" & *fed* `kode` <b>x</b>\n"
                            "'slut'](foto.jpg \"a \\\"b\\\" & <c>\")\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html, "<p><img src=\"foto.jpg\" alt=\"Et &quot;citat&quot; "
                      "&amp; fed kode &lt;b&gt;x&lt;/b&gt; &#39;slut&#39;\" "
                      "title=\"a &quot;b&quot; &amp; &lt;c&gt;\" "
                      "width=\"640\" height=\"480\" "
                      "decoding=\"async\"></p>\n");
    CHECK_INT(d.len, 0);
    if (r.nimages == 1)
        CHECK_STR(r.images[0].alt,
                  "Et \"citat\" & fed kode <b>x</b> 'slut'");
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_nested_and_heading)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    /* An image in another's description is only its text; an image in a
     * heading keeps the heading's id from the text. */
    CHECK_INT(render_images("## Se ![ikon](graf.svg)\n\n"
                            "![a ![b](nope.png) c](foto.jpg)\n",
                            1, 0, &c, &r, &d), 0);
    CHECK_STR(r.html, "<h2 id=\"se-ikon\">Se <img src=\"graf.svg\" "
                      "alt=\"ikon\" width=\"300\" height=\"150\" "
                      "decoding=\"async\"></h2>\n"
                      "<p><img src=\"foto.jpg\" alt=\"a b c\" width=\"640\" "
                      "height=\"480\" loading=\"lazy\" "
                      "decoding=\"async\"></p>\n");
    CHECK_INT(c.calls, 2);
    CHECK_INT(d.len, 0);
    CHECK_INT(r.nimages, 2);
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_md_destination)
{
    img_ctx c;
    md_result r;
    diag d;
    diag_init(&d);
    /* A .md destination is rewritten as before and not asked about; an
     * unknown one is one "does not resolve" error, nothing more. */
    CHECK_INT(render_images("![Guiden](../guides/x.md) ![x](nope.md)\n", 1,
                            0, &c, &r, &d), -1);
    CHECK_STR(r.html, "<p><img src=\"/vaerktoejer/x/\" alt=\"Guiden\" "
                      "decoding=\"async\"> <img src=\"nope.md\" alt=\"x\" "
                      "loading=\"lazy\" decoding=\"async\"></p>\n");
    CHECK_INT(c.calls, 0);
    CHECK_INT(c.links.calls, 2);
    CHECK_INT(d.len, 1);
    if (d.len == 1)
        CHECK_STR(d.entries[0].message,
                  "link to \"nope.md\" does not resolve: no such page");
    if (r.nimages == 2)
        CHECK_STR(r.images[0].src, "../guides/x.md");
    md_result_free(&r);
    diag_free(&d);
}

TEST(test_image_without_callback)
{
    md_options o = {0};
    md_result r;
    diag d;
    const char *src = "![](a.png) ![B *c*](b.png \"t\")\n";
    diag_init(&d);
    /* cmark-gfm's own output, no checks, but the list is filled */
    CHECK_INT(md_render(PAGE, src, strlen(src), 1, &o, &r, &d), 0);
    CHECK_STR(r.html, "<p><img src=\"a.png\" alt=\"\" /> "
                      "<img src=\"b.png\" alt=\"B c\" title=\"t\" /></p>\n");
    CHECK_INT(d.len, 0);
    CHECK_INT(r.nimages, 2);
    if (r.nimages == 2) {
        CHECK_STR(r.images[0].src, "a.png");
        CHECK_STR(r.images[0].alt, "");
        CHECK_STR(r.images[1].alt, "B c");
        CHECK_INT(r.images[1].width, 0);
    }
    md_result_free(&r);
    diag_free(&d);
}

/* The src attribute in the first <img of html, malloc'ed. */
static char *src_attr(const char *html)
{
    const char *s = strstr(html, "<img src=\"");
    if (!s)
        return xstrdup("(none)");
    s += 10;
    const char *e = strchr(s, '"');
    return xstrndup(s, e ? (size_t)(e - s) : strlen(s));
}

/* src is escaped exactly as cmark-gfm escapes it, with and without raw
 * HTML allowed (dangerous URLs are dropped only in safe mode). */
TEST(test_image_src_same_as_cmark)
{
    static const char *const extra[] = {
        "javascript:alert(1)", "JaVaScRiPt:x", "vbscript:x", "file:///etc",
        "data:text/html,x", "data:image/png;base64,AA", "DATA:IMAGE/WEBP,x",
        "data:image/svg+xml,x", "billede med mellemrum.png",
        "\xC3\xA6\xC3\xB8\xC3\xA5.png", "a&amp;b.png", "%41%zz.png",
    };
    buf md;
    buf_init(&md);
    for (int k = 0; k < 0x7F - 0x20 + 12; k++) {
        buf_clear(&md);
        buf_puts(&md, "![x](<a");
        if (k < 0x7F - 0x20) {
            int ch = 0x20 + k;
            if (ch == '<' || ch == '>' || ch == '\\')
                buf_putc(&md, '\\');
            buf_putc(&md, ch);
            buf_puts(&md, "b>)\n");
        } else {
            buf_clear(&md);
            buf_puts(&md, "![x](<");
            buf_puts(&md, extra[k - (0x7F - 0x20)]);
            buf_puts(&md, ">)\n");
        }
        for (int allow = 0; allow <= 1; allow++) {
            img_ctx c;
            md_options o = {0};
            md_result r1, r2;
            diag d;
            diag_init(&d);
            o.allow_html = allow;
            md_render(PAGE, md.data, md.len, 1, &o, &r1, &d);
            o.image = stub_image;
            o.resolve_ctx = &c;
            md_render(PAGE, md.data, md.len, 1, &o, &r2, &d);
            char *want = src_attr(r1.html), *got = src_attr(r2.html);
            CHECK_STR(got, want);
            free(want);
            free(got);
            md_result_free(&r1);
            md_result_free(&r2);
            diag_free(&d);
        }
    }
    buf_free(&md);
}

TEST(test_local_path)
{
    buf b;
    buf_init(&b);
    CHECK_INT(md_local_path("content/cases/foo/index.md", "billede.jpg", &b),
              0);
    CHECK_STR(b.data, "content/cases/foo/billede.jpg");
    CHECK_INT(md_local_path("content/cases/foo/index.md",
                            "./bilder/../mit%20kort.svg?v=1#x", &b), 0);
    CHECK_STR(b.data, "content/cases/foo/mit kort.svg");
    CHECK_INT(md_local_path("content/om.md", "../../x.png", &b), -1);
    CHECK_STR(b.data, "");
    CHECK_INT(md_local_path("content/om.md", "a%00.png", &b), -1);
    CHECK_INT(md_local_path("content/om.md", "https://x.dk/a.png", &b), 1);
    CHECK_STR(b.data, "");
    CHECK_INT(md_local_path("content/om.md", "data:image/png,AA", &b), 1);
    CHECK_INT(md_local_path("content/om.md", "/assets/a.png", &b), 1);
    CHECK_INT(md_local_path("content/om.md", "//cdn.dk/a.png", &b), 1);
    CHECK_INT(md_local_path("content/om.md", "#top", &b), 1);
    CHECK_INT(md_local_path("content/om.md", "", &b), 1);
    CHECK_INT(md_local_path("content/om.md", NULL, &b), 1);
    CHECK_INT(md_local_path(NULL, "a.png", &b), 0);
    CHECK_STR(b.data, "a.png");
    buf_free(&b);
}

/* ---- summary and word count ---- */

TEST(test_summary_plain_text)
{
    md_result r = render_summary(
        "# Titel\n\n> citat\n\nVi **skal**  [l\xC3\xA6se](https://x.dk) "
        "`kode` &amp; <b>x</b>\nn\xC3\xA6ste   linje.\n\nAndet afsnit.\n", 0);
    CHECK_STR(r.summary,
              "Vi skal l\xC3\xA6se kode & x n\xC3\xA6ste linje.");
    md_result_free(&r);
}

TEST(test_summary_cut_at_word)
{
    md_result r = render_summary(
        "Dette er en ganske lang s\xC3\xA6tning om ledelse.\n", 20);
    CHECK_STR(r.summary, "Dette er en ganske\xE2\x80\xA6");
    md_result_free(&r);
    /* A space right at the limit: the last word is kept whole. */
    r = render_summary("Dette er en ganske lang\n", 19);
    CHECK_STR(r.summary, "Dette er en ganske\xE2\x80\xA6");
    md_result_free(&r);
    /* Exactly max characters: no cut. */
    r = render_summary("Dette er en ganske\n", 18);
    CHECK_STR(r.summary, "Dette er en ganske");
    md_result_free(&r);
    /* Trailing comma before the ellipsis is dropped. */
    r = render_summary("Ja, nej, m\xC3\xA5ske, aldrig\n", 10);
    CHECK_STR(r.summary, "Ja, nej\xE2\x80\xA6");
    md_result_free(&r);
}

TEST(test_summary_multibyte_cut)
{
    /* "ææææ øøøø åååå": every letter is two bytes. */
    md_result r = render_summary("\xC3\xA6\xC3\xA6\xC3\xA6\xC3\xA6 "
                                 "\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8 "
                                 "\xC3\xA5\xC3\xA5\xC3\xA5\xC3\xA5\n", 12);
    CHECK_STR(r.summary, "\xC3\xA6\xC3\xA6\xC3\xA6\xC3\xA6 "
                         "\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8\xE2\x80\xA6");
    md_result_free(&r);
    /* One long word: cut hard, but on a code point boundary. */
    r = render_summary("\xC3\xA6\xC3\xA6\xC3\xA6\xE2\x82\xAC\xE2\x82\xAC"
                       "\xC3\xA6\xC3\xA6\n", 5);
    CHECK_STR(r.summary, "\xC3\xA6\xC3\xA6\xC3\xA6\xE2\x82\xAC\xE2\x80\xA6");
    md_result_free(&r);
}

TEST(test_summary_default_limit)
{
    buf src;
    buf_init(&src);
    for (int i = 0; i < 100; i++)
        buf_puts(&src, "ordet ");
    md_result r = render_summary(src.data, 0);
    /* 33 words of 5 + 32 spaces = 197 characters, plus the ellipsis. */
    CHECK_INT(strlen(r.summary), 197 + 3);
    CHECK(strcmp(r.summary + 197, "\xE2\x80\xA6") == 0);
    CHECK_INT(r.word_count, 100);
    md_result_free(&r);
    buf_free(&src);
}

TEST(test_word_count)
{
    md_result r = render_summary(
        "Hej *verden*, dette er foo*bar* `kode her`\n\n"
        "```\nx y z\n```\n\n| a | b |\n|---|---|\n| c d | e |\n", 0);
    CHECK_INT(r.word_count, 15);
    CHECK_STR(r.summary, "Hej verden, dette er foobar kode her");
    md_result_free(&r);
}

/* ---- robustness ---- */

TEST(test_empty_inputs)
{
    static const char *const srcs[] = {"", "\n\n   \n", "---\n", "#"};
    static const char *const want[] = {"", "", "<hr />\n",
                                       "<h1 id=\"afsnit\"></h1>\n"};
    for (size_t i = 0; i < 4; i++) {
        md_result r;
        diag d;
        diag_init(&d);
        CHECK_INT(md_render(PAGE, srcs[i], strlen(srcs[i]), 3, NULL, &r, &d),
                  0);
        CHECK_STR(r.html, want[i]);
        CHECK_INT(r.html_len, strlen(want[i]));
        CHECK_STR(r.summary, "");
        CHECK_INT(r.word_count, 0);
        CHECK_INT(r.toc_len, i == 3 ? 1 : 0);
        md_result_free(&r);
        diag_free(&d);
    }
    md_result r;
    diag d;
    diag_init(&d);
    CHECK_INT(md_render(NULL, NULL, 0, 1, NULL, &r, &d), 0);
    CHECK_STR(r.html, "");
    md_result_free(&r);
    md_result_free(&r);     /* freeing twice is harmless */
    diag_free(&d);
}

/* Strip ` id="..."` from <h1>..<h6> start tags. */
static char *strip_heading_ids(const char *s)
{
    buf b;
    buf_init(&b);
    while (*s) {
        if (s[0] == '<' && s[1] == 'h' && s[2] >= '1' && s[2] <= '6' &&
            strncmp(s + 3, " id=\"", 5) == 0) {
            const char *q = strchr(s + 8, '"');
            buf_put(&b, s, 3);
            s = q ? q + 1 : s + 3;
            continue;
        }
        buf_putc(&b, *s++);
    }
    return buf_detach(&b);
}

TEST(test_same_as_cmark_gfm)
{
    static const char *const exts[] = {"table", "strikethrough", "autolink",
                                       "tagfilter", "tasklist"};
    const char *src =
        "# Titel med *emfase*\n\nIndledning med **fed** og `kode`,\n"
        "en [l\xC3\xA6nke](https://x.dk \"titel\") og www.kl.dk.\n\n"
        "## Liste\n\n1. en\n2. to\n   - tre\n\n- [x] gjort\n\n"
        "> ### Citat\n> med tekst  \n> og linjeskift\n\n"
        "```c\nint x = 1 < 2;\n```\n\n| a | b |\n|---|--:|\n| ~~c~~ | d |\n\n"
        "Note[^x].\n\n[^x]: Forklaring *her*.\n\n<span>r\xC3\xA5</span>\n\n"
        "***\n\nSlut &copy; 2024\n";
    for (int allow = 0; allow <= 1; allow++) {
        cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
        cmark_gfm_core_extensions_ensure_registered();
        for (size_t i = 0; i < 5; i++)
            cmark_parser_attach_syntax_extension(
                p, cmark_find_syntax_extension(exts[i]));
        cmark_parser_feed(p, src, strlen(src));
        cmark_node *doc = cmark_parser_finish(p);
        char *want = cmark_render_html(
            doc, CMARK_OPT_FOOTNOTES | (allow ? CMARK_OPT_UNSAFE : 0),
            cmark_parser_get_syntax_extensions(p));

        md_options o = {0};
        md_result r;
        diag d;
        o.allow_html = allow;
        o.footnote_backref_label = "Back to content";
        diag_init(&d);
        CHECK_INT(md_render(PAGE, src, strlen(src), 1, &o, &r, &d), 0);
        char *got = strip_heading_ids(r.html);
        CHECK_STR(got, want);
        CHECK(strstr(r.html, "<h1 id=\"titel-med-emfase\">") != NULL);
        CHECK(strstr(r.html, "data-sourcepos") == NULL);
        free(got);
        free(want);
        md_result_free(&r);
        diag_free(&d);
        cmark_node_free(doc);
        cmark_parser_free(p);
    }
}

TEST(test_reserved_ids)
{
    static const char *const reserved[] = {"fakta-titel", "transskription",
                                           NULL};
    md_options o = {0};
    o.reserved_ids = reserved;
    md_result r;
    diag d;
    diag_init(&d);
    const char *src = "## Fakta titel\n\n## Transskription\n\n## Andet\n";
    md_render("p.md", src, strlen(src), 1, &o, &r, &d);
    CHECK_STR(r.html, "<h2 id=\"fakta-titel-1\">Fakta titel</h2>\n"
                      "<h2 id=\"transskription-1\">Transskription</h2>\n"
                      "<h2 id=\"andet\">Andet</h2>\n");
    CHECK_INT(r.toc_len, 3);
    md_result_free(&r);
    diag_free(&d);
}

int main(void)
{
    RUN(test_reserved_ids);
    RUN(test_table);
    RUN(test_strikethrough);
    RUN(test_autolink);
    RUN(test_tagfilter);
    RUN(test_tasklist);
    RUN(test_footnotes_danish_label);
    RUN(test_footnote_label_escaped);
    RUN(test_raw_html_omitted);
    RUN(test_raw_html_allowed);
    RUN(test_heading_id);
    RUN(test_heading_id_danish);
    RUN(test_heading_duplicates);
    RUN(test_heading_inline_markup);
    RUN(test_heading_empty_and_symbols);
    RUN(test_heading_raw_html_allowed);
    RUN(test_heading_setext_and_nested);
    RUN(test_toc);
    RUN(test_thousand_same_headings);
    RUN(test_huge_heading);
    RUN(test_link_relative_with_fragment);
    RUN(test_link_page_folder_index);
    RUN(test_link_query_and_percent);
    RUN(test_link_reference_image_table_footnote);
    RUN(test_link_missing_target);
    RUN(test_link_missing_positions);
    RUN(test_links_not_rewritten);
    RUN(test_links_without_resolver);
    RUN(test_image_with_size);
    RUN(test_image_title_and_unknown_size);
    RUN(test_image_without_alt);
    RUN(test_image_decorative);
    RUN(test_image_remote);
    RUN(test_image_missing_file);
    RUN(test_image_lazy);
    RUN(test_image_in_link);
    RUN(test_image_alt_escaped);
    RUN(test_image_nested_and_heading);
    RUN(test_image_md_destination);
    RUN(test_image_without_callback);
    RUN(test_image_src_same_as_cmark);
    RUN(test_local_path);
    RUN(test_summary_plain_text);
    RUN(test_summary_cut_at_word);
    RUN(test_summary_multibyte_cut);
    RUN(test_summary_default_limit);
    RUN(test_word_count);
    RUN(test_empty_inputs);
    RUN(test_same_as_cmark_gfm);
    return TEST_SUMMARY();
}
