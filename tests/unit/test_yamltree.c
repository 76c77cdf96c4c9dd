/*
 * test_yamltree.c - unit tests for yamltree.c: scalar typing (YAML 1.2 core
 * schema), positions (with the first_line offset of front matter), block
 * and flow styles, anchors and aliases, the limits on nodes and depth, and
 * the exact error messages with path:line:col.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "test.h"
#include "value.h"
#include "yamltree.h"

static diag D;
static buf scratch;
static char *diag_out;

/* Parse src as "fm.yaml" starting at file line first_line; the
 * diagnostics are left in D (cleared by each call). */
static value *parse_at(const char *src, int first_line)
{
    diag_free(&D);
    diag_init(&D);
    return yaml_parse("fm.yaml", src, strlen(src), first_line, &D);
}

static value *parse(const char *src)
{
    return parse_at(src, 1);
}

/* Every diagnostic in D as diag_print writes it. */
static const char *diags(void)
{
    free(diag_out);
    diag_out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&diag_out, &n);
    diag_print(&D, f, 1);
    fclose(f);
    return diag_out;
}

static void dump(const value *v, buf *out)
{
    switch (v->kind) {
    case VALUE_NULL: buf_puts(out, "~"); break;
    case VALUE_BOOL:
    case VALUE_NUMBER: value_to_text(v, out); break;
    case VALUE_STRING:
        buf_printf(out, "%s\"", v->quoted ? "q" : "");
        buf_put(out, v->as.str.s, v->as.str.len);
        buf_putc(out, '"');
        break;
    case VALUE_LIST:
        buf_putc(out, '[');
        for (size_t i = 0; i < v->as.list.len; i++) {
            if (i)
                buf_putc(out, ',');
            dump(v->as.list.items[i], out);
        }
        buf_putc(out, ']');
        break;
    case VALUE_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v->as.map.len; i++) {
            if (i)
                buf_putc(out, ',');
            buf_printf(out, "%s:", v->as.map.keys[i]);
            dump(v->as.map.vals[i], out);
        }
        buf_putc(out, '}');
        break;
    }
}

/* Compact text of a tree: {k:v}, [a,b], "plain", q"quoted", numbers. */
static const char *show(const value *v)
{
    buf_clear(&scratch);
    if (!v)
        buf_puts(&scratch, "(NULL)");
    else
        dump(v, &scratch);
    return scratch.data;
}

/* Parse, show the tree and free it; "(NULL)" when parsing failed. */
static const char *tree(const char *src)
{
    value *v = parse(src);
    const char *s = show(v);
    value_free(v);
    return s;
}

static const char *pos(const value *v)
{
    static char p[32];
    if (!v)
        return "(missing)";
    snprintf(p, sizeof p, "%d:%d", v->line, v->col);
    return p;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- scalars ---- */

TEST(scalar_typing)
{
    value *v = parse("a: null\nb: ~\nc:\nd: Null\ne: true\nf: false\n"
                     "g: True\nh: FALSE\ni: 42\nj: -7\nk: +3\nl: 007\n"
                     "m: 3.25\nn: -0.5\no: .5\np: 1e3\nq: 2.5E-1\n"
                     "r: .inf\ns: -.Inf\nt: 0x1F\nu: 0o17\n");
    CHECK_STR(show(v), "{a:~,b:~,c:~,d:~,e:true,f:false,g:true,h:false,"
                       "i:42,j:-7,k:3,l:7,m:3.25,n:-0.5,o:0.5,p:1000,"
                       "q:0.25,r:inf,s:-inf,t:31,u:15}");
    CHECK_INT(value_map_get(v, "r")->kind, VALUE_NUMBER);
    CHECK_INT(value_map_get(v, "t")->kind, VALUE_NUMBER);
    CHECK_INT(value_map_get(v, "g")->kind, VALUE_BOOL);
    CHECK_INT(value_map_get(v, "c")->kind, VALUE_NULL);
    CHECK_INT(D.errors, 0);
    value_free(v);

    v = parse("x: .nan\n");
    value *x = value_map_get(v, "x");
    CHECK(x && x->kind == VALUE_NUMBER && x->as.number != x->as.number);
    value_free(v);
}

TEST(scalars_that_stay_strings)
{
    value *v = parse("date: 2016-04-15\nstamp: 2016-04-15T09:30:00+02:00\n"
                     "version: 1.2.3\nyes: yes\nno: off\nword: truely\n"
                     "hexish: 0x\nbadhex: 0x1G\nsigned_hex: -0x1F\n"
                     "odd1: 0x-1\nodd2: 0x+1F\nodd3: 0o8\nphone: 12 34 56 78\n"
                     "dot: .\nexp: 1e\nnumword: 10kr\n");
    CHECK_STR(show(v), "{date:\"2016-04-15\","
                       "stamp:\"2016-04-15T09:30:00+02:00\","
                       "version:\"1.2.3\",yes:\"yes\",no:\"off\","
                       "word:\"truely\",hexish:\"0x\",badhex:\"0x1G\","
                       "signed_hex:\"-0x1F\",odd1:\"0x-1\",odd2:\"0x+1F\","
                       "odd3:\"0o8\",phone:\"12 34 56 78\",dot:\".\","
                       "exp:\"1e\",numword:\"10kr\"}");
    CHECK(!value_map_get(v, "date")->quoted);
    value_free(v);
}

TEST(quoted_scalars_are_strings)
{
    value *v = parse("a: \"7\"\nb: '8'\nc: \"true\"\nd: ''\ne: \"null\"\n"
                     "f: !!str 9\ng: |\n  linje 1\n  linje 2\nh: >\n  foldet\n"
                     "  tekst\ni: \"Ærø \\u00e6\"\n");
    CHECK_STR(show(v), "{a:q\"7\",b:q\"8\",c:q\"true\",d:q\"\",e:q\"null\","
                       "f:q\"9\",g:q\"linje 1\nlinje 2\n\","
                       "h:q\"foldet tekst\n\",i:q\"Ærø æ\"}");
    const value *a = value_map_get(v, "a");
    CHECK(a && a->kind == VALUE_STRING && a->quoted);
    CHECK_INT(a->as.str.len, 1);
    value_free(v);
}

TEST(negative_zero_prints_as_zero)
{
    value *v = parse("a: -0\nb: -0.0\n");
    CHECK_STR(show(v), "{a:0,b:0}");
    value_free(v);
}

TEST(quoted_string_with_nul_keeps_length)
{
    value *v = parse("a: \"x\\0y\"\n");
    const value *a = value_map_get(v, "a");
    CHECK(a && a->kind == VALUE_STRING);
    CHECK_INT(a->as.str.len, 3);
    CHECK(a && memcmp(a->as.str.s, "x\0y", 4) == 0);
    value_free(v);
}

TEST(scalar_root)
{
    CHECK_STR(tree("hej\n"), "\"hej\"");
    CHECK_STR(tree("42"), "42");
    CHECK_STR(tree("[1, a]"), "[1,\"a\"]");
}

/* ---- structure and positions ---- */

TEST(block_structure_with_positions)
{
    /* front matter: the YAML starts on line 2 of the file */
    const char *src = "title: Hej\n"
                      "tags:\n"
                      "  - a\n"
                      "  - b\n"
                      "list2:\n"
                      "- x\n"
                      "nested:\n"
                      "  x: {y: [1, 2], \"z\": ~}\n"
                      "block: |\n"
                      "  linje\n";
    value *v = parse_at(src, 2);
    CHECK_INT(D.len, 0);
    CHECK_STR(show(v), "{title:\"Hej\",tags:[\"a\",\"b\"],list2:[\"x\"],"
                       "nested:{x:{y:[1,2],z:~}},block:q\"linje\n\"}");
    CHECK_STR(pos(v), "2:1");
    CHECK_STR(pos(value_map_get(v, "title")), "2:8");
    const value *tags = value_map_get(v, "tags");
    CHECK_STR(pos(tags), "4:3");
    CHECK_STR(pos(tags->as.list.items[0]), "4:5");
    CHECK_STR(pos(tags->as.list.items[1]), "5:5");
    const value *l2 = value_map_get(v, "list2");
    CHECK_STR(pos(l2), "7:1");
    CHECK_STR(pos(l2->as.list.items[0]), "7:3");
    const value *nested = value_map_get(v, "nested");
    CHECK_STR(pos(nested), "9:3");
    const value *x = value_map_get(nested, "x");
    CHECK_STR(pos(x), "9:6");
    const value *y = value_map_get(x, "y");
    CHECK_STR(pos(y), "9:10");
    CHECK_STR(pos(y->as.list.items[0]), "9:11");
    CHECK_STR(pos(y->as.list.items[1]), "9:14");
    CHECK_STR(pos(value_map_get(x, "z")), "9:23");
    CHECK_STR(pos(value_map_get(v, "block")), "10:8");
    value_free(v);

    /* first_line below 1 counts as 1 */
    v = parse_at("a: b\n", 0);
    CHECK_STR(pos(value_map_get(v, "a")), "1:4");
    value_free(v);
}

TEST(columns_count_characters)
{
    /* libyaml counts columns in characters, not bytes */
    value *v = parse("æøå: x\n");
    CHECK_STR(pos(value_map_get(v, "æøå")), "1:6");
    value_free(v);
}

TEST(flow_and_block_give_the_same_tree)
{
    const char *want = "{a:[1,\"to\",{b:true}],c:{d:~,e:[]},f:{}}";
    CHECK_STR(tree("a:\n  - 1\n  - to\n  - b: true\nc:\n  d:\n  e: []\n"
                   "f: {}\n"), want);
    CHECK_STR(tree("{a: [1, to, {b: true}], c: {d: , e: []}, f: {}}"), want);
    CHECK_STR(tree("a: [1, to, {b: true}]\nc: {d: null, e: []}\nf: {}\n"),
              want);
}

TEST(empty_documents_are_empty_maps)
{
    const char *srcs[] = {"", "\n\n", "# bare kommentar\n", "---\n",
                          "---\n...\n", "null\n", "~"};
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        value *v = parse(srcs[i]);
        if (!v || v->kind != VALUE_MAP || v->as.map.len != 0 || D.len) {
            printf("    source %zu: %s\n", i, show(v));
            CHECK(0);
        }
        value_free(v);
    }
}

/* ---- anchors and aliases ---- */

TEST(anchors_and_aliases)
{
    value *v = parse("base: &b {x: 1, y: [a, b]}\n"
                     "copy: *b\n"
                     "n: &n 5\n"
                     "m: *n\n"
                     "s: &s tekst\n"
                     "*s : nøgle fra alias\n"
                     "again: &b [ny]\n"
                     "later: *b\n");
    CHECK_INT(D.len, 0);
    CHECK_STR(show(v), "{base:{x:1,y:[\"a\",\"b\"]},copy:{x:1,y:[\"a\",\"b\"]},"
                       "n:5,m:5,s:\"tekst\",tekst:\"nøgle fra alias\","
                       "again:[\"ny\"],later:[\"ny\"]}");
    /* an alias shares the anchored subtree */
    const value *base = value_map_get(v, "base");
    CHECK(value_map_get(v, "copy") == base);
    CHECK_INT(base->refs, 2);
    CHECK(value_map_get(v, "m") == value_map_get(v, "n"));
    CHECK(value_map_get(v, "later") == value_map_get(v, "again"));
    /* positions are those of the anchored node */
    CHECK_STR(pos(value_map_get(v, "copy")), "1:7");
    value_free(v);
}

TEST(alias_errors)
{
    CHECK_STR(tree("a: *nope\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:4: error: unknown alias \"*nope\"\n");

    /* an anchor is only known once its node is complete: no cycles */
    CHECK_STR(tree("a: &a [1, *a]\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:11: error: unknown alias \"*a\"\n");

    /* an alias of a map cannot be a key */
    CHECK_STR(tree("a: &m {x: 1}\n*m : 2\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:2:1: error: map keys must be plain text\n");
}

/* The classic "billion laughs": 9^9 strings after expansion. */
static char *laughs(const char *first)
{
    buf b = BUF_INIT;
    buf_init(&b);
    buf_printf(&b, "a: &a %s\n", first);
    for (char c = 'b'; c <= 'i'; c++) {
        buf_printf(&b, "%c: &%c [", c, c);
        for (int i = 0; i < 9; i++)
            buf_printf(&b, "%s*%c", i ? "," : "", c - 1);
        buf_puts(&b, "]\n");
    }
    return buf_detach(&b);
}

TEST(alias_bomb_is_refused_quickly)
{
    char *src = laughs("[\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                       "\"lol\",\"lol\",\"lol\"]");
    double t0 = now_s();
    value *v = parse_at(src, 2);
    double dt = now_s() - t0;
    CHECK(v == NULL);
    /* line 1 of the YAML is line 2 of the file; e: is YAML line 5, the
     * first *e on f: (YAML line 6) passes the budget */
    CHECK_STR(diags(), "fm.yaml:7:8: error: YAML document too large: more "
                       "than 100000 nodes (after expanding aliases)\n");
    CHECK_INT(D.errors, 1);
    if (dt >= 1.0)
        printf("    took %.3f s\n", dt);
    CHECK(dt < 1.0);
    free(src);
}

TEST(alias_bomb_of_empty_lists_is_refused)
{
    /* Empty containers count as one node each: before the fix an alias of
     * [] cost nothing, so this document (43 million empty lists once
     * expanded) passed the budget and later stages walked it for seconds. */
    char *src = laughs("[]");
    double t0 = now_s();
    value *v = parse(src);
    double dt = now_s() - t0;
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:7:8: error: YAML document too large: more "
                       "than 100000 nodes (after expanding aliases)\n");
    CHECK(dt < 1.0);
    value_free(v);
    free(src);

    /* doubling from one empty map: 2^26 nodes; the total before line
     * 16 is 2^16 - 1, and its second *a14 (col 18) passes 100,000 */
    buf b = BUF_INIT;
    buf_init(&b);
    buf_puts(&b, "a0: &a0 {}\n");
    for (int i = 1; i <= 25; i++)
        buf_printf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
    v = parse(b.data);
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:16:18: error: YAML document too large: more "
                       "than 100000 nodes (after expanding aliases)\n");
    value_free(v);
    buf_free(&b);
}

TEST(many_anchors_are_found_quickly)
{
    /* 45,000 anchors and 45,000 aliases of the first one: the anchor
     * lookup must not be a linear search (it took 19 s under ASan) */
    buf b = BUF_INIT;
    buf_init(&b);
    buf_puts(&b, "a: [");
    for (int i = 0; i < 45000; i++)
        buf_printf(&b, "%s&a%d x", i ? "," : "", i);
    buf_puts(&b, "]\nb: [");
    for (int i = 0; i < 45000; i++)
        buf_printf(&b, "%s*a0", i ? "," : "");
    buf_puts(&b, "]\n");
    double t0 = now_s();
    value *v = parse(b.data);
    double dt = now_s() - t0;
    CHECK_INT(D.len, 0);
    const value *lb = value_map_get(v, "b");
    CHECK(lb && lb->kind == VALUE_LIST && lb->as.list.len == 45000);
    CHECK(lb && lb->as.list.items[44999] ==
                    value_map_get(v, "a")->as.list.items[0]);
    if (dt >= 1.0)
        printf("    took %.3f s\n", dt);
    CHECK(dt < 1.0);
    value_free(v);
    buf_free(&b);
}

TEST(node_budget_counts_plain_nodes_too)
{
    /* 100,000 nodes is the limit: the root list and 99,999 items */
    buf b = BUF_INIT;
    buf_init(&b);
    buf_putc(&b, '[');
    for (int i = 0; i < 99999; i++)
        buf_puts(&b, i ? ",1" : "1");
    buf_putc(&b, ']');
    value *v = parse_at(b.data, 3);
    CHECK(v != NULL);
    CHECK_INT(D.len, 0);
    CHECK_INT(v ? v->as.list.len : 0, 99999);
    value_free(v);
    /* node 100,001: the item at column 2 + 2 * 99999 */
    b.data[b.len - 1] = ',';
    buf_puts(&b, "1]");
    v = parse_at(b.data, 3);
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:3:200000: error: YAML document too large: "
                       "more than 100000 nodes (after expanding aliases)\n");
    value_free(v);

    /* keys count too: root map + 49,999 pairs = 99,999 nodes */
    buf_clear(&b);
    for (int i = 0; i < 49999; i++)
        buf_printf(&b, "k%d: 1\n", i);
    buf_puts(&b, "z: 1\n");                 /* node 100,001 is the 1 */
    v = parse(b.data);
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:50000:4: error: YAML document too large: "
                       "more than 100000 nodes (after expanding aliases)\n");
    value_free(v);
    buf_free(&b);
}

/* ---- depth ---- */

TEST(deep_nesting_is_refused_quickly)
{
    buf b = BUF_INIT;
    buf_init(&b);
    buf_puts(&b, "x: ");
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '[');
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, ']');
    buf_putc(&b, '\n');
    double t0 = now_s();
    value *v = parse_at(b.data, 6);
    double dt = now_s() - t0;
    CHECK(v == NULL);
    /* the root map is level 1; the 64th '[' (col 67) would be level 65 */
    CHECK_STR(diags(), "fm.yaml:6:67: error: YAML nested deeper than 64 "
                       "levels\n");
    CHECK(dt < 1.0);

    /* block style: "- - - ... x" */
    buf_clear(&b);
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "- ");
    buf_puts(&b, "x\n");
    t0 = now_s();
    v = parse(b.data);
    dt = now_s() - t0;
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:1:129: error: YAML nested deeper than 64 "
                       "levels\n");
    CHECK(dt < 1.0);

    /* flow maps */
    buf_clear(&b);
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "{a: ");
    t0 = now_s();
    v = parse(b.data);
    dt = now_s() - t0;
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:1:257: error: YAML nested deeper than 64 "
                       "levels\n");
    CHECK(dt < 1.0);
    buf_free(&b);
}

TEST(nesting_at_the_limit_is_accepted)
{
    buf b = BUF_INIT;
    buf_init(&b);
    for (int i = 0; i < 64; i++)
        buf_putc(&b, '[');
    for (int i = 0; i < 64; i++)
        buf_putc(&b, ']');
    value *v = parse(b.data);
    CHECK(v != NULL);
    CHECK_INT(D.len, 0);
    int depth = 0;
    for (const value *p = v; p && p->kind == VALUE_LIST; depth++)
        p = p->as.list.len ? p->as.list.items[0] : NULL;
    CHECK_INT(depth, 64);
    value_free(v);
    buf_putc(&b, ']');
    memmove(b.data + 1, b.data, b.len - 1);   /* one '[' more */
    b.data[0] = '[';
    v = parse(b.data);
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:1:65: error: YAML nested deeper than 64 "
                       "levels\n");
    buf_free(&b);
}

/* ---- errors ---- */

TEST(duplicate_key)
{
    value *v = parse_at("a: 1\nb: 2\na: 3\n", 2);
    CHECK_STR(diags(), "fm.yaml:4:1: error: duplicate key \"a\"\n");
    CHECK_INT(D.errors, 1);
    /* reported, and the later value wins so checking can go on */
    CHECK_STR(show(v), "{a:3,b:2}");
    value_free(v);

    v = parse("outer:\n  x: 1\n  \"x\": 2\n");
    CHECK_STR(diags(), "fm.yaml:3:3: error: duplicate key \"x\"\n");
    value_free(v);
}

TEST(syntax_errors)
{
    CHECK_STR(tree("a: [1, 2\nb: 3\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:2:2: error: YAML syntax error: did not find "
                       "expected ',' or ']' while parsing a flow sequence "
                       "started at line 1\n");

    /* the offset applies to both positions */
    value *v = parse_at("title: ok\na: [1, 2\nb: 3\n", 4);
    CHECK(v == NULL);
    CHECK_STR(diags(), "fm.yaml:6:2: error: YAML syntax error: did not find "
                       "expected ',' or ']' while parsing a flow sequence "
                       "started at line 5\n");

    CHECK_STR(tree("a: b: c\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:5: error: YAML syntax error: mapping "
                       "values are not allowed in this context\n");

    CHECK_STR(tree("\t- x\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:1: error: YAML syntax error: found "
                       "character that cannot start any token while "
                       "scanning for the next token started at line 1\n");
    CHECK_INT(D.errors, 1);
}

TEST(multiple_documents)
{
    CHECK_STR(tree("a: 1\n---\nb: 2\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:2:1: error: more than one YAML document\n");
    CHECK_STR(tree("---\na: 1\n---\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:3:1: error: more than one YAML document\n");
}

TEST(non_scalar_keys)
{
    CHECK_STR(tree("? [a, b]\n: c\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:3: error: map keys must be plain text\n");
    CHECK_STR(tree("{[1]: 2}"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:1:2: error: map keys must be plain text\n");
    CHECK_STR(tree("x:\n  ? {k: v}\n  : 1\n"), "(NULL)");
    CHECK_STR(diags(), "fm.yaml:2:5: error: map keys must be plain text\n");
    CHECK_INT(D.errors, 1);
}

int main(void)
{
    diag_init(&D);
    buf_init(&scratch);
    RUN(scalar_typing);
    RUN(scalars_that_stay_strings);
    RUN(quoted_scalars_are_strings);
    RUN(negative_zero_prints_as_zero);
    RUN(quoted_string_with_nul_keeps_length);
    RUN(scalar_root);
    RUN(block_structure_with_positions);
    RUN(columns_count_characters);
    RUN(flow_and_block_give_the_same_tree);
    RUN(empty_documents_are_empty_maps);
    RUN(anchors_and_aliases);
    RUN(alias_errors);
    RUN(alias_bomb_is_refused_quickly);
    RUN(alias_bomb_of_empty_lists_is_refused);
    RUN(many_anchors_are_found_quickly);
    RUN(node_budget_counts_plain_nodes_too);
    RUN(deep_nesting_is_refused_quickly);
    RUN(nesting_at_the_limit_is_accepted);
    RUN(duplicate_key);
    RUN(syntax_errors);
    RUN(multiple_documents);
    RUN(non_scalar_keys);
    diag_free(&D);
    buf_free(&scratch);
    free(diag_out);
    return TEST_SUMMARY();
}
