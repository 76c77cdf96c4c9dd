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

int main(void)
{
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
    RUN(test_summary_plain_text);
    RUN(test_summary_cut_at_word);
    RUN(test_summary_multibyte_cut);
    RUN(test_summary_default_limit);
    RUN(test_word_count);
    RUN(test_empty_inputs);
    RUN(test_same_as_cmark_gfm);
    return TEST_SUMMARY();
}
