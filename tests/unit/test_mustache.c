/*
 * test_mustache.c - unit tests of the Mustache engine (src/mustache.c).
 *
 * Self-contained: contexts are written as small YAML documents (parsed by
 * yamltree.c) or built with value.h; the official spec suite is run
 * separately by tests/mustache_spec.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "test.h"
#include "value.h"
#include "yamltree.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

/* "path:line:col: message" of the first diagnostic, or "(no error)". */
static char *first_diag(const diag *d)
{
    buf b = BUF_INIT;
    buf_init(&b);
    if (d->len == 0) {
        buf_puts(&b, "(no error)");
    } else {
        const diag_entry *e = &d->entries[0];
        buf_printf(&b, "%s:%d:%d: %s", e->path ? e->path : "", e->line,
                   e->col, e->message);
    }
    return buf_detach(&b);
}

static value *parse_data(const char *yaml)
{
    diag d;
    diag_init(&d);
    value *v = yaml_parse("data.yaml", yaml, strlen(yaml), 1, &d);
    if (!v || d.errors) {
        printf("  bad test data: %s\n", yaml);
        diag_print(&d, stdout, 1);
    }
    diag_free(&d);
    return v;
}

/* Add NULL-terminated name/text pairs to set (origin "NAME.mustache"). */
static void add_partials(tpl_set *set, const char *const *partials, diag *d)
{
    for (size_t i = 0; partials && partials[i]; i += 2) {
        buf origin = BUF_INIT;
        buf_init(&origin);
        buf_printf(&origin, "%s.mustache", partials[i]);
        tpl_set_add(set, partials[i], partials[i + 1],
                    strlen(partials[i + 1]), origin.data, d);
        buf_free(&origin);
    }
}

/* Render tmpl (as "page", origin "page.mustache") with the YAML context
 * and partials.  Returns the output, or "ERROR: ..." with the first
 * diagnostic when compiling or rendering failed.  Caller frees. */
static char *render_opts(const char *yaml, const char *tmpl,
                         const char *const *partials, int strict)
{
    diag d;
    diag_init(&d);
    value *data = parse_data(yaml);
    tpl_set *set = tpl_set_new();
    add_partials(set, partials, &d);
    buf out = BUF_INIT;
    buf_init(&out);
    int rc = tpl_set_add(set, "page", tmpl, strlen(tmpl), "page.mustache",
                         &d);
    if (rc == 0)
        rc = tpl_render(set, "page", data, &out, strict, &d);
    char *result;
    if (rc != 0 || d.errors) {
        char *e = first_diag(&d);
        buf_clear(&out);
        buf_printf(&out, "ERROR: %s", e);
        free(e);
    }
    result = buf_detach(&out);
    tpl_set_free(set);
    value_free(data);
    diag_free(&d);
    return result;
}

static char *render(const char *yaml, const char *tmpl,
                    const char *const *partials)
{
    return render_opts(yaml, tmpl, partials, 0);
}

/* The first compile diagnostic of tmpl as "origin:line:col: message". */
static char *compile_error(const char *tmpl)
{
    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    int rc = tpl_set_add(set, "t", tmpl, strlen(tmpl), "layouts/t.mustache",
                         &d);
    char *e = first_diag(&d);
    if (rc != -1 || tpl_set_has(set, "t")) {
        free(e);
        e = xstrdup("(compiled without error)");
    }
    tpl_set_free(set);
    diag_free(&d);
    return e;
}

#define CHECK_RENDER(yaml, tmpl, partials, want)                         \
    do {                                                                 \
        char *got_ = render(yaml, tmpl, partials);                      \
        CHECK_STR(got_, want);                                           \
        free(got_);                                                      \
    } while (0)

#define CHECK_COMPILE_ERROR(tmpl, want)                                  \
    do {                                                                 \
        char *got_ = compile_error(tmpl);                                \
        CHECK_STR(got_, want);                                           \
        free(got_);                                                      \
    } while (0)

#define P(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------------ */
/* Interpolation                                                        */

TEST(interpolation_escapes_html)
{
    CHECK_RENDER("x: \"<a href=\\\"u\\\">&'\"", "[{{x}}]", NULL,
                 "[&lt;a href=&quot;u&quot;&gt;&amp;&#39;]");
}

TEST(interpolation_triple_and_ampersand_do_not_escape)
{
    CHECK_RENDER("x: '<b>&amp;</b>'", "{{{x}}}|{{&x}}|{{& x }}|{{{ x }}}",
                 NULL, "<b>&amp;</b>|<b>&amp;</b>|<b>&amp;</b>|<b>&amp;</b>");
}

TEST(interpolation_numbers_and_booleans)
{
    CHECK_RENDER("{n: 85, f: 1.5, neg: -3, t: true, f2: false, z: ~}",
                 "{{n}} {{f}} {{neg}} {{t}} {{f2}} [{{z}}]", NULL,
                 "85 1.5 -3 true false []");
}

TEST(interpolation_missing_and_containers_are_empty)
{
    CHECK_RENDER("{list: [1, 2], map: {a: 1}}", "[{{nope}}][{{list}}][{{map}}]",
                 NULL, "[][][]");
}

TEST(interpolation_dotted_names)
{
    CHECK_RENDER("{a: {b: {c: deep}}, person: {name: Joe}}",
                 "{{a.b.c}} {{person.name}} {{#a}}{{b.c}}{{/a}}", NULL,
                 "deep Joe deep");
}

TEST(interpolation_dotted_broken_chain_does_not_backtrack)
{
    /* "b" is found in the inner frame, so b.c is not looked up outside */
    CHECK_RENDER("{a: {b: {}}, b: {c: ERROR}}", "[{{#a}}{{b.c}}{{/a}}]",
                 NULL, "[]");
    CHECK_RENDER("{a: {}, c: {name: Jim}}", "[{{a.b.c.name}}]", NULL, "[]");
}

TEST(interpolation_implicit_iterator_and_padding)
{
    CHECK_RENDER("'<world>'", "Hello, {{.}}! {{{ . }}}", NULL,
                 "Hello, &lt;world&gt;! <world>");
}

TEST(interpolation_is_never_standalone)
{
    CHECK_RENDER("x: '-'", "  {{x}}\n  {{{x}}}\n", NULL, "  -\n  -\n");
}

/* ------------------------------------------------------------------ */
/* Sections                                                             */

TEST(section_over_list_of_maps)
{
    CHECK_RENDER("items: [{name: a}, {name: b}, {name: c}]",
                 "{{#items}}<{{name}}>{{/items}}", NULL, "<a><b><c>");
}

TEST(section_over_list_of_scalars)
{
    CHECK_RENDER("list: [1, two, 3.5]", "{{#list}}({{.}}){{/list}}", NULL,
                 "(1)(two)(3.5)");
}

TEST(section_over_map_pushes_context)
{
    CHECK_RENDER("{outer: o, m: {inner: i}}",
                 "{{#m}}{{inner}}/{{outer}}{{/m}}", NULL, "i/o");
}

TEST(section_truthiness)
{
    CHECK_RENDER("{t: true, f: false, e: '', el: [], em: {}, zero: 0, s: x}",
                 "{{#t}}T{{/t}}{{#f}}F{{/f}}{{#e}}E{{/e}}{{#el}}L{{/el}}"
                 "{{#em}}M{{/em}}{{#zero}}Z{{/zero}}{{#s}}S{{.}}{{/s}}"
                 "{{#missing}}X{{/missing}}",
                 NULL, "TMZSx");
}

TEST(section_nested_lists_with_implicit_iterator)
{
    CHECK_RENDER("list: [[1, 2], [3]]", "{{#list}}({{#.}}{{.}}{{/.}}){{/list}}",
                 NULL, "(12)(3)");
}

TEST(section_dotted_name)
{
    CHECK_RENDER("a: {b: {c: true}}", "{{#a.b.c}}yes{{/a.b.c}}", NULL, "yes");
}

TEST(inverted_sections)
{
    CHECK_RENDER("{f: false, el: [], t: true, l: [1]}",
                 "{{^f}}F{{/f}}{{^el}}L{{/el}}{{^missing}}M{{/missing}}"
                 "{{^t}}T{{/t}}{{^l}}N{{/l}}",
                 NULL, "FLM");
}

TEST(standalone_section_lines_vanish)
{
    CHECK_RENDER("items: [a, b]",
                 "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n",
                 NULL, "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
}

TEST(standalone_crlf_and_edges)
{
    CHECK_RENDER("t: true", "|\r\n{{#t}}\r\n{{/t}}\r\n|", NULL, "|\r\n|");
    CHECK_RENDER("t: true", "  {{#t}}\n#{{/t}}", NULL, "#");
    CHECK_RENDER("t: true", "#{{#t}}\n/\n  {{/t}}", NULL, "#\n/\n");
}

TEST(inline_sections_keep_whitespace)
{
    CHECK_RENDER("t: true", " | {{#t}}\t|\t{{/t}} | \n", NULL,
                 " | \t|\t | \n");
    CHECK_RENDER("t: true", "  {{#t}}{{/t}}\n", NULL, "  \n");
}

/* ------------------------------------------------------------------ */
/* Comments                                                             */

TEST(comments)
{
    CHECK_RENDER("{}", "1{{! one }}2{{!\n multi\n line\n}}3", NULL, "123");
    CHECK_RENDER("{}", "Begin.\n  {{! standalone }}\nEnd.\n", NULL,
                 "Begin.\nEnd.\n");
    CHECK_RENDER("{}", "Begin.\n{{!\nmulti\n}}\nEnd.\n", NULL,
                 "Begin.\nEnd.\n");
}

/* ------------------------------------------------------------------ */
/* Partials                                                             */

TEST(partial_basic_and_context)
{
    CHECK_RENDER("{items: [{n: 1}, {n: 2}]}",
                 "[{{#items}}{{>item}}{{/items}}]", P("item", "<{{n}}>"),
                 "[<1><2>]");
}

TEST(partial_standalone_indentation)
{
    /* every line of the partial's own text is indented; the newline in
     * the interpolated data is not */
    CHECK_RENDER("body: \"a\\nb\"",
                 "<div>\n  {{>inner}}\n</div>\n",
                 P("inner", "<p>\n{{{body}}}\n</p>\n"),
                 "<div>\n  <p>\n  a\nb\n  </p>\n</div>\n");
}

TEST(partial_inline_is_not_indented)
{
    CHECK_RENDER("{}", "  x {{>p}}\n", P("p", "1\n2"), "  x 1\n2\n");
}

TEST(partial_nested_indentation_accumulates)
{
    CHECK_RENDER("{}", "<a>\n  {{>outer}}\n</a>\n",
                 P("outer", "<b>\n  {{>inner}}\n</b>\n", "inner", "<c/>\n"),
                 "<a>\n  <b>\n    <c/>\n  </b>\n</a>\n");
}

TEST(partial_recursion_over_a_tree)
{
    CHECK_RENDER("{name: r, kids: [{name: a, kids: [{name: b, kids: []}]}]}",
                 "{{>node}}",
                 P("node", "{{name}}({{#kids}}{{>node}}{{/kids}})"),
                 "r(a(b()))");
}

TEST(partial_missing_is_empty_unless_strict)
{
    CHECK_RENDER("{}", "[{{>nope}}]", NULL, "[]");
    char *got = render_opts("{}", "line 1\n  [{{>nope}}]", NULL, 1);
    CHECK_STR(got, "ERROR: page.mustache:2:4: partial \"nope\" not found");
    free(got);
}

TEST(partial_missing_in_strict_mode_names_the_including_template)
{
    char *got = render_opts("{}", "{{>a}}", P("a", "x\n\n{{>b}}"), 1);
    CHECK_STR(got, "ERROR: a.mustache:3:1: partial \"b\" not found");
    free(got);
}

/* Render "{{#c}}+{{>r}}{{/c}}" over n nested maps {c: {c: ... {c: false}}}
 * (strict): the partial is expanded n times.  Returns the output length,
 * or -1 when rendering failed. */
static long nested_partials(int n)
{
    value *ctx = value_new_map();
    value *cur = ctx;
    for (int i = 0; i < n; i++) {
        value *next = value_new_map();
        value_map_set(cur, "c", next);
        cur = next;
    }
    value_map_set_bool(cur, "c", false);
    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    const char *src = "{{#c}}+{{>r}}{{/c}}";
    tpl_set_add(set, "r", src, strlen(src), "r.mustache", &d);
    buf out = BUF_INIT;
    buf_init(&out);
    long rc = tpl_render(set, "r", ctx, &out, 1, &d) == 0 && d.errors == 0
                  ? (long)out.len
                  : -1;
    buf_free(&out);
    tpl_set_free(set);
    diag_free(&d);
    value_free(ctx);
    return rc;
}

TEST(partial_recursion_limit)
{
    char *got = render_opts("{}", "{{>loop}}", P("loop", "x\n {{>loop}}"), 0);
    CHECK_STR(got, "ERROR: loop.mustache:2:2: partial \"loop\" nested more "
                   "than 100 levels deep (endless recursion?)");
    free(got);

    /* 100 levels are allowed, 101 are not */
    CHECK_INT(nested_partials(100), 100);
    CHECK_INT(nested_partials(101), -1);
}

TEST(partial_dynamic_name)
{
    CHECK_RENDER("items: [{kind: text, v: hi}, {kind: image, v: x.png}, "
                 "{kind: nope}, {v: none}]",
                 "{{#items}}{{>*kind}}{{/items}}",
                 P("text", "<p>{{v}}</p>", "image", "<img src=\"{{v}}\">"),
                 "<p>hi</p><img src=\"x.png\">");
    CHECK_RENDER("{a: {b: p}}", "[{{> * a.b }}]", P("p", "ok"), "[ok]");
}

/* ------------------------------------------------------------------ */
/* Set delimiters                                                       */

TEST(delimiters_change_and_reset)
{
    CHECK_RENDER("{x: 1, l: [a, b]}",
                 "{{=<% %>=}}(<%x%>)<%#l%><%.%><%/l%>{{x}}<%={{ }}=%>{{x}}",
                 NULL, "(1)ab{{x}}1");
    CHECK_RENDER("x: '<'", "{{= | | =}}|x| |&x| |{x}|", NULL, "&lt; < <");
}

TEST(delimiters_are_per_template)
{
    /* the partial starts with the default delimiters and its change does
     * not leak back into the caller */
    CHECK_RENDER("x: 1", "{{=[ ]=}}[>p] [x] {{x}}",
                 P("p", "{{x}}{{=< >=}}<x>"), "11 1 {{x}}");
}

TEST(delimiters_standalone_line)
{
    CHECK_RENDER("{}", "a\n  {{=| |=}}\nb\n", NULL, "a\nb\n");
}

/* ------------------------------------------------------------------ */
/* Inheritance                                                          */

static const char base_layout[] =
    "<!doctype html>\n"
    "<title>{{$title}}{{site}}{{/title}}</title>\n"
    "<main>\n"
    "  {{$content}}\n"
    "  <p>No content.</p>\n"
    "  {{/content}}\n"
    "</main>\n";

TEST(inheritance_child_overrides_blocks_of_base_layout)
{
    CHECK_RENDER("{site: Site, page: Home}",
                 "{{<base}}\n"
                 "{{$title}}{{page}} - {{site}}{{/title}}\n"
                 "{{$content}}\n"
                 "<h1>{{page}}</h1>\n"
                 "<p>Body</p>\n"
                 "{{/content}}\n"
                 "{{/base}}\n",
                 P("base", base_layout),
                 "<!doctype html>\n"
                 "<title>Home - Site</title>\n"
                 "<main>\n"
                 "  <h1>Home</h1>\n"
                 "  <p>Body</p>\n"
                 "</main>\n");
}

TEST(inheritance_defaults_when_not_overridden)
{
    CHECK_RENDER("{site: Site}", "{{<base}}{{/base}}", P("base", base_layout),
                 "<!doctype html>\n"
                 "<title>Site</title>\n"
                 "<main>\n"
                 "  <p>No content.</p>\n"
                 "</main>\n");
    CHECK_RENDER("{}", "{{$b}}own default{{/b}}", NULL, "own default");
}

TEST(inheritance_multi_level_outermost_wins)
{
    const char *const parts[] = {
        "mid", "{{<base}}{{$a}}mid-a{{/a}}{{$b}}mid-b{{/b}}{{/base}}",
        "base", "{{$a}}base-a{{/a}},{{$b}}base-b{{/b}},{{$c}}base-c{{/c}}",
        NULL};
    CHECK_RENDER("{}", "{{<mid}}{{$a}}top-a{{/a}}{{/mid}}", parts,
                 "top-a,mid-b,base-c");
}

TEST(inheritance_block_renders_in_parent_context)
{
    CHECK_RENDER("{name: outer, list: [{name: one}, {name: two}]}",
                 "{{<p}}{{$item}}<{{name}}>{{/item}}{{/p}}",
                 P("p", "{{#list}}{{$item}}{{name}}{{/item}}{{/list}}"),
                 "<one><two>");
}

TEST(inheritance_text_inside_parent_is_ignored)
{
    CHECK_RENDER("{}", "{{<p}} junk {{$a}}A{{/a}} {{x}} junk {{/p}}",
                 P("p", "[{{$a}}{{/a}}]"), "[A]");
}

TEST(inheritance_block_reindentation)
{
    CHECK_RENDER("{}",
                 "{{<p}}{{$b}}\n"
                 "      one\n"
                 "        two\n"
                 "{{/b}}{{/p}}\n",
                 P("p", "<ul>\n    {{$b}}\n    {{/b}}\n</ul>\n"),
                 "<ul>\n    one\n      two\n</ul>\n");
}

TEST(inheritance_standalone_parent_is_indented)
{
    CHECK_RENDER("{}", "<x>\n  {{<p}}{{/p}}\n</x>\n", P("p", "a\nb\n"),
                 "<x>\n  a\n  b\n</x>\n");
}

TEST(inheritance_dynamic_parent)
{
    CHECK_RENDER("dynamic: bold",
                 "{{<*dynamic}}\n  {{$text}}Hello World!{{/text}}\n"
                 "{{/*dynamic}}\n",
                 P("normal", "{{$text}}Here goes nothing.{{/text}}", "bold",
                   "<b>{{$text}}Here also goes nothing.{{/text}}</b>"),
                 "<b>Hello World!</b>");
}

TEST(inheritance_partial_inside_override)
{
    CHECK_RENDER("who: you", "{{<p}}{{$b}}{{>hi}}{{/b}}{{/p}}",
                 P("p", "({{$b}}{{/b}})", "hi", "hi {{who}}"), "(hi you)");
}

TEST(inheritance_blocks_inside_arguments)
{
    /* a block inside an argument belongs to the child: the parent's other
     * arguments do not reach it, and one of the same name does not loop */
    CHECK_RENDER("{}",
                 "{{<p}}{{$a}}[{{$b}}own{{/b}}|{{$a}}inner{{/a}}]{{/a}}"
                 "{{$b}}arg-b{{/b}}{{/p}}",
                 P("p", "{{$a}}A{{/a}}/{{$b}}B{{/b}}"),
                 "[own|inner]/arg-b");
    /* ... but a template extending the child can override it */
    CHECK_RENDER("{}", "{{<child}}{{$b}}top{{/b}}{{/child}}",
                 P("child", "{{<p}}{{$a}}[{{$b}}own{{/b}}]{{/a}}{{/p}}", "p",
                   "{{$a}}A{{/a}}"),
                 "[top]");
}

TEST(inheritance_missing_parent)
{
    CHECK_RENDER("{}", "[{{<nope}}{{$a}}x{{/a}}{{/nope}}]", NULL, "[]");
    char *got = render_opts("{}", "\n\n {{<nope}}{{/nope}}", NULL, 1);
    CHECK_STR(got,
              "ERROR: page.mustache:3:2: parent template \"nope\" not found");
    free(got);
}

/* ------------------------------------------------------------------ */
/* Compile errors                                                       */

TEST(error_unclosed_tag)
{
    CHECK_COMPILE_ERROR("a\n  {{name",
                        "layouts/t.mustache:2:3: unclosed tag (missing "
                        "\"}}\" after \"{{\")");
    CHECK_COMPILE_ERROR("{{{name}}",
                        "layouts/t.mustache:1:1: unclosed tag (missing "
                        "\"}}}\" after \"{{{\")");
    CHECK_COMPILE_ERROR("{{=<% %>=}}\n<%x",
                        "layouts/t.mustache:2:1: unclosed tag (missing "
                        "\"%>\" after \"<%\")");
}

TEST(error_unclosed_section)
{
    CHECK_COMPILE_ERROR("<ul>\n\n  {{#items}}\n  <li>{{.}}</li>\n</ul>\n",
                        "layouts/t.mustache:6:1: unclosed section \"items\" "
                        "(opened at line 3)");
    CHECK_COMPILE_ERROR("{{<base}}{{$a}}x{{/a}}",
                        "layouts/t.mustache:1:23: unclosed parent \"base\" "
                        "(opened at line 1)");
}

TEST(error_mismatched_close)
{
    CHECK_COMPILE_ERROR("{{#a}}\n  x {{/b}}",
                        "layouts/t.mustache:2:5: \"{{/b}}\" does not close "
                        "section \"a\" (opened at line 1)");
    CHECK_COMPILE_ERROR("{{^a}}{{/ a.b }}",
                        "layouts/t.mustache:1:7: \"{{/ a.b }}\" does not "
                        "close inverted section \"a\" (opened at line 1)");
}

TEST(error_close_without_open)
{
    CHECK_COMPILE_ERROR("x\n{{/a}}", "layouts/t.mustache:2:1: unexpected "
                                     "\"{{/a}}\": no section is open");
}

TEST(error_bad_delimiter_change)
{
    CHECK_COMPILE_ERROR("{{=<%=}}",
                        "layouts/t.mustache:1:1: invalid delimiter change "
                        "\"{{=<%=}}\": expected two delimiters separated by "
                        "whitespace, without '='");
    CHECK_COMPILE_ERROR("ab {{=a b c=}}",
                        "layouts/t.mustache:1:4: invalid delimiter change "
                        "\"{{=a b c=}}\": expected two delimiters separated "
                        "by whitespace, without '='");
    CHECK_COMPILE_ERROR("{{=<% %>}}",
                        "layouts/t.mustache:1:1: invalid delimiter change: "
                        "missing \"=}}\" after \"{{=\"");
}

TEST(error_empty_tag_and_bad_name)
{
    CHECK_COMPILE_ERROR("x {{}}",
                        "layouts/t.mustache:1:3: empty tag \"{{}}\"");
    CHECK_COMPILE_ERROR("{{# }}{{/}}",
                        "layouts/t.mustache:1:1: empty tag \"{{# }}\"");
    CHECK_COMPILE_ERROR("{{>*}}",
                        "layouts/t.mustache:1:1: empty tag \"{{>*}}\"");
    CHECK_COMPILE_ERROR("{{a b}}",
                        "layouts/t.mustache:1:1: invalid name \"a b\" in tag "
                        "\"{{a b}}\": names cannot contain whitespace");
}

TEST(error_positions_count_lines_inside_tags)
{
    /* a multi-line comment and a delimiter change come before the error */
    CHECK_COMPILE_ERROR("{{! one\ntwo }}\n{{=[ ]=}}\n  [/x]",
                        "layouts/t.mustache:4:3: unexpected \"[/x]\": no "
                        "section is open");
}

TEST(error_nesting_limit)
{
    buf b = BUF_INIT;
    buf_init(&b);
    for (int i = 0; i < 101; i++)
        buf_puts(&b, "{{#a}}");
    char *e = compile_error(b.data);
    CHECK_STR(e, "layouts/t.mustache:1:601: sections nested more than 100 "
                 "levels deep");
    free(e);
    buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Sets and reuse                                                       */

TEST(set_replace_and_failed_compile_undefines)
{
    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    CHECK_INT(tpl_set_add(set, "a", "one", 3, "a.mustache", &d), 0);
    CHECK(tpl_set_has(set, "a"));
    CHECK(!tpl_set_has(set, "b"));
    CHECK_INT(tpl_set_add(set, "a", "two", 3, "a.mustache", &d), 0);
    buf out = BUF_INIT;
    buf_init(&out);
    CHECK_INT(tpl_render(set, "a", NULL, &out, 0, &d), 0);
    CHECK_STR(out.data, "two");
    CHECK_INT(tpl_set_add(set, "a", "{{#x}}", 6, "a.mustache", &d), -1);
    CHECK(!tpl_set_has(set, "a"));
    CHECK_INT(d.errors, 1);
    CHECK_INT(tpl_render(set, "a", NULL, &out, 0, &d), -1);
    CHECK_INT(d.errors, 2);
    CHECK_STR(d.entries[1].message, "template \"a\" not found");
    buf_free(&out);
    tpl_set_free(set);
    diag_free(&d);
}

TEST(set_holds_many_templates)
{
    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    char name[32], src[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "t%d", i);
        snprintf(src, sizeof src, "<%d>", i);
        tpl_set_add(set, name, src, strlen(src), name, &d);
    }
    const char *main_src = "{{>t0}}{{>t199}}{{>t57}}";
    tpl_set_add(set, "main", main_src, strlen(main_src), "main", &d);
    buf out = BUF_INIT;
    buf_init(&out);
    CHECK_INT(tpl_render(set, "main", NULL, &out, 1, &d), 0);
    CHECK_STR(out.data, "<0><199><57>");
    CHECK_INT(d.errors, 0);
    buf_free(&out);
    tpl_set_free(set);
    diag_free(&d);
}

TEST(render_many_times_with_value_contexts)
{
    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    const char *src = "{{#show}}{{title}}:{{n}}{{/show}}{{^show}}-{{/show}}";
    CHECK_INT(tpl_set_add(set, "row", src, strlen(src), "row", &d), 0);
    buf out = BUF_INIT;
    buf_init(&out);
    for (int i = 0; i < 1000; i++) {
        value *ctx = value_new_map();
        value_map_set_string(ctx, "title", "T&C");
        value_map_set_number(ctx, "n", i);
        value_map_set_bool(ctx, "show", i % 2 == 0);
        buf_clear(&out);
        CHECK_INT(tpl_render(set, "row", ctx, &out, 1, &d), 0);
        if (i == 998)
            CHECK_STR(out.data, "T&amp;C:998");
        if (i == 999)
            CHECK_STR(out.data, "-");
        value_free(ctx);
    }
    CHECK_INT(d.errors, 0);
    buf_free(&out);
    tpl_set_free(set);
    diag_free(&d);
}

int main(void)
{
    RUN(interpolation_escapes_html);
    RUN(interpolation_triple_and_ampersand_do_not_escape);
    RUN(interpolation_numbers_and_booleans);
    RUN(interpolation_missing_and_containers_are_empty);
    RUN(interpolation_dotted_names);
    RUN(interpolation_dotted_broken_chain_does_not_backtrack);
    RUN(interpolation_implicit_iterator_and_padding);
    RUN(interpolation_is_never_standalone);
    RUN(section_over_list_of_maps);
    RUN(section_over_list_of_scalars);
    RUN(section_over_map_pushes_context);
    RUN(section_truthiness);
    RUN(section_nested_lists_with_implicit_iterator);
    RUN(section_dotted_name);
    RUN(inverted_sections);
    RUN(standalone_section_lines_vanish);
    RUN(standalone_crlf_and_edges);
    RUN(inline_sections_keep_whitespace);
    RUN(comments);
    RUN(partial_basic_and_context);
    RUN(partial_standalone_indentation);
    RUN(partial_inline_is_not_indented);
    RUN(partial_nested_indentation_accumulates);
    RUN(partial_recursion_over_a_tree);
    RUN(partial_missing_is_empty_unless_strict);
    RUN(partial_missing_in_strict_mode_names_the_including_template);
    RUN(partial_recursion_limit);
    RUN(partial_dynamic_name);
    RUN(delimiters_change_and_reset);
    RUN(delimiters_are_per_template);
    RUN(delimiters_standalone_line);
    RUN(inheritance_child_overrides_blocks_of_base_layout);
    RUN(inheritance_defaults_when_not_overridden);
    RUN(inheritance_multi_level_outermost_wins);
    RUN(inheritance_block_renders_in_parent_context);
    RUN(inheritance_text_inside_parent_is_ignored);
    RUN(inheritance_block_reindentation);
    RUN(inheritance_standalone_parent_is_indented);
    RUN(inheritance_dynamic_parent);
    RUN(inheritance_partial_inside_override);
    RUN(inheritance_blocks_inside_arguments);
    RUN(inheritance_missing_parent);
    RUN(error_unclosed_tag);
    RUN(error_unclosed_section);
    RUN(error_mismatched_close);
    RUN(error_close_without_open);
    RUN(error_bad_delimiter_change);
    RUN(error_empty_tag_and_bad_name);
    RUN(error_positions_count_lines_inside_tags);
    RUN(error_nesting_limit);
    RUN(set_replace_and_failed_compile_undefines);
    RUN(set_holds_many_templates);
    RUN(render_many_times_with_value_contexts);
    return TEST_SUMMARY();
}
