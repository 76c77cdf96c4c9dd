/*
 * test_value.c - unit tests for value.c: constructors, maps (order,
 * replacement, the hash index above 16 keys, keys with NUL bytes), lists,
 * reference counting, deep and shallow copies, truthiness, text form.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "test.h"
#include "value.h"

static buf scratch;

/* value_to_text of v, in a buffer reused by every call. */
static const char *text(const value *v)
{
    buf_clear(&scratch);
    value_to_text(v, &scratch);
    return scratch.data;
}

/* Text form of a fresh number (frees it). */
static const char *num_text(double n)
{
    value *v = value_new_number(n);
    const char *t = text(v);
    value_free(v);
    return t;
}

/* Keys of a map joined with ',' (into scratch). */
static const char *keys_of(const value *m)
{
    buf_clear(&scratch);
    for (size_t i = 0; i < m->as.map.len; i++) {
        if (i)
            buf_putc(&scratch, ',');
        buf_puts(&scratch, m->as.map.keys[i]);
    }
    return scratch.data;
}

/* Structural equality including positions and the quoted flag. */
static int deep_equal(const value *a, const value *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->line != b->line || a->col != b->col ||
        a->quoted != b->quoted)
        return 0;
    switch (a->kind) {
    case VALUE_NULL: return 1;
    case VALUE_BOOL: return a->as.boolean == b->as.boolean;
    case VALUE_NUMBER: return a->as.number == b->as.number;
    case VALUE_STRING:
        return a->as.str.len == b->as.str.len &&
               memcmp(a->as.str.s, b->as.str.s, a->as.str.len) == 0;
    case VALUE_LIST:
        if (a->as.list.len != b->as.list.len)
            return 0;
        for (size_t i = 0; i < a->as.list.len; i++)
            if (!deep_equal(a->as.list.items[i], b->as.list.items[i]))
                return 0;
        return 1;
    case VALUE_MAP:
        if (a->as.map.len != b->as.map.len)
            return 0;
        for (size_t i = 0; i < a->as.map.len; i++)
            if (strcmp(a->as.map.keys[i], b->as.map.keys[i]) != 0 ||
                !deep_equal(a->as.map.vals[i], b->as.map.vals[i]))
                return 0;
        return 1;
    }
    return 0;
}

/* ---- constructors ---- */

TEST(constructors)
{
    value *v = value_new_null();
    CHECK_INT(v->kind, VALUE_NULL);
    CHECK_INT(v->refs, 1);
    CHECK_INT(v->line, 0);
    CHECK_INT(v->col, 0);
    CHECK(!v->quoted);
    value_free(v);

    v = value_new_bool(true);
    CHECK_INT(v->kind, VALUE_BOOL);
    CHECK(v->as.boolean == true);
    value_free(v);
    v = value_new_bool(false);
    CHECK(v->as.boolean == false);
    value_free(v);

    v = value_new_number(-2.5);
    CHECK_INT(v->kind, VALUE_NUMBER);
    CHECK(v->as.number == -2.5);
    value_free(v);

    v = value_new_string("Ærø");
    CHECK_INT(v->kind, VALUE_STRING);
    CHECK_STR(v->as.str.s, "Ærø");
    CHECK_INT(v->as.str.len, 5);
    value_free(v);

    /* stringn copies exactly len bytes, NULs included, and terminates */
    v = value_new_stringn("ab\0cdXYZ", 5);
    CHECK_INT(v->as.str.len, 5);
    CHECK(memcmp(v->as.str.s, "ab\0cd", 6) == 0);
    value_free(v);

    char *owned = malloc(4);
    memcpy(owned, "own", 4);
    v = value_new_string_owned(owned, 3);
    CHECK(v->as.str.s == owned);       /* taken over, not copied */
    CHECK_INT(v->as.str.len, 3);
    value_free(v);

    v = value_new_list();
    CHECK_INT(v->kind, VALUE_LIST);
    CHECK_INT(v->as.list.len, 0);
    value_free(v);

    v = value_new_map();
    CHECK_INT(v->kind, VALUE_MAP);
    CHECK_INT(v->as.map.len, 0);
    CHECK(v->as.map.index == NULL);
    CHECK(value_map_get(v, "x") == NULL);
    value_free(v);

    value_free(NULL);   /* accepted */
}

TEST(kind_names)
{
    CHECK_STR(value_kind_name(VALUE_NULL), "null");
    CHECK_STR(value_kind_name(VALUE_BOOL), "a boolean");
    CHECK_STR(value_kind_name(VALUE_NUMBER), "a number");
    CHECK_STR(value_kind_name(VALUE_STRING), "a string");
    CHECK_STR(value_kind_name(VALUE_LIST), "a list");
    CHECK_STR(value_kind_name(VALUE_MAP), "a map");
}

/* ---- maps ---- */

TEST(map_keeps_insertion_order)
{
    value *m = value_new_map();
    value_map_set_string(m, "zeta", "1");
    value_map_set_number(m, "alpha", 2);
    value_map_set_bool(m, "mu", true);
    value_map_set(m, "beta", value_new_null());
    CHECK_STR(keys_of(m), "zeta,alpha,mu,beta");
    CHECK_STR(value_get_string(m, "zeta"), "1");
    CHECK(value_map_get(m, "alpha")->as.number == 2);
    CHECK(value_map_get(m, "mu")->as.boolean);
    CHECK_INT(value_map_get(m, "beta")->kind, VALUE_NULL);
    value_free(m);
}

TEST(map_set_replaces_in_place)
{
    value *m = value_new_map();
    value_map_set_string(m, "a", "first");
    value_map_set_string(m, "b", "x");
    value_map_set_string(m, "a", "second");
    CHECK_INT(m->as.map.len, 2);
    CHECK_STR(keys_of(m), "a,b");          /* keeps its first place */
    CHECK_STR(value_get_string(m, "a"), "second");

    /* the replaced value is released: a shared one survives with one
     * reference less (ASan/LSan catch a double free or a leak) */
    value *shared = value_new_string("shared");
    value_map_set(m, "c", value_ref(shared));
    CHECK_INT(shared->refs, 2);
    value_map_set_number(m, "c", 3);
    CHECK_INT(shared->refs, 1);
    value_free(shared);
    value_free(m);
}

TEST(typed_getter)
{
    value *m = value_new_map();
    value_map_set_string(m, "s", "tekst");
    value_map_set_number(m, "n", 7);
    CHECK_STR(value_get_string(m, "s"), "tekst");
    CHECK(value_get_string(m, "n") == NULL);       /* other kind */
    CHECK(value_get_string(m, "missing") == NULL);
    value *l = value_new_list();
    CHECK(value_get_string(l, "s") == NULL);       /* not a map */
    CHECK(value_map_get(l, "s") == NULL);
    CHECK(value_get_string(NULL, "s") == NULL);
    value_free(l);
    value_free(m);
}

/* Fill m with n keys "k0".."k<n-1>" whose values are their numbers. */
static void fill(value *m, int n)
{
    char key[32];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "k%d", i);
        value_map_set_number(m, key, i);
    }
}

static int all_found(const value *m, int n)
{
    char key[32];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "k%d", i);
        const value *v = value_map_get(m, key);
        if (!v || v->kind != VALUE_NUMBER || v->as.number != i) {
            printf("    key %s not found or wrong\n", key);
            return 0;
        }
    }
    return 1;
}

TEST(map_lookup_below_index_threshold)
{
    value *m = value_new_map();
    fill(m, 15);
    CHECK(m->as.map.index == NULL);        /* linear search below 16 */
    CHECK(all_found(m, 15));
    CHECK(value_map_get(m, "k") == NULL);          /* prefix of every key */
    CHECK(value_map_get(m, "k15") == NULL);
    CHECK(value_map_get(m, "k1x") == NULL);
    CHECK(value_map_get(m, "") == NULL);
    CHECK(value_map_getn(m, "k10", 2) == value_map_get(m, "k1"));
    CHECK(value_map_getn(m, "k1\0", 3) == NULL);   /* embedded NUL */
    value_free(m);
}

TEST(map_lookup_at_index_threshold)
{
    value *m = value_new_map();
    fill(m, 16);
    CHECK(m->as.map.index != NULL);
    CHECK(all_found(m, 16));
    CHECK(value_map_get(m, "k16") == NULL);
    value_free(m);
}

TEST(map_lookup_1000_keys)
{
    value *m = value_new_map();
    fill(m, 1000);
    CHECK_INT(m->as.map.len, 1000);
    CHECK(m->as.map.index != NULL);
    CHECK(m->as.map.index_cap >= 2000);   /* load factor at most 1/2 */
    CHECK(all_found(m, 1000));
    CHECK_STR(m->as.map.keys[0], "k0");
    CHECK_STR(m->as.map.keys[999], "k999");   /* order kept */

    /* missing keys, including prefixes and extensions of present ones */
    CHECK(value_map_get(m, "k") == NULL);
    CHECK(value_map_get(m, "k1000") == NULL);
    CHECK(value_map_get(m, "k9999") == NULL);
    CHECK(value_map_get(m, "k00") == NULL);
    CHECK(value_map_get(m, "K1") == NULL);
    CHECK(value_map_get(m, "") == NULL);
    CHECK(value_map_getn(m, "k12", 2)->as.number == 1);   /* "k1" */
    CHECK(value_map_getn(m, "k1\0" "2", 4) == NULL);
    CHECK(value_map_getn(m, "k12\0", 4) == NULL);

    /* replacing through the index keeps one entry */
    value_map_set_string(m, "k500", "replaced");
    CHECK_INT(m->as.map.len, 1000);
    CHECK_STR(value_get_string(m, "k500"), "replaced");
    CHECK_STR(m->as.map.keys[500], "k500");
    value_free(m);
}

TEST(map_keys_with_nul_bytes)
{
    value *m = value_new_map();
    fill(m, 20);   /* indexed */
    /* value_map_set takes C strings; getn must not match across a NUL */
    value_map_set_string(m, "ab", "ab");
    CHECK_STR(value_get_string(m, "ab"), "ab");
    CHECK(value_map_getn(m, "ab\0", 3) == NULL);
    CHECK(value_map_getn(m, "a\0b", 3) == NULL);
    CHECK(value_map_getn(m, "ab", 2) != NULL);
    CHECK(value_map_getn(m, "abc", 2) != NULL);   /* length decides */
    CHECK(value_map_getn(m, "a", 1) == NULL);
    value_free(m);
}

/* ---- lists ---- */

TEST(list_push_keeps_order)
{
    value *l = value_new_list();
    for (int i = 0; i < 100; i++)
        value_list_push(l, value_new_number(i));
    CHECK_INT(l->as.list.len, 100);
    int ok = 1;
    for (int i = 0; i < 100; i++)
        ok &= l->as.list.items[i]->as.number == i;
    CHECK(ok);
    value_free(l);
}

/* ---- reference counting ---- */

TEST(refcount_sharing)
{
    value *sub = value_new_map();
    value_map_set_string(sub, "title", "Fælles");
    value *a = value_new_map(), *b = value_new_map();
    value_map_set(a, "site", sub);                 /* a owns the first ref */
    CHECK(value_ref(sub) == sub);
    value_map_set(b, "site", sub);                 /* b the second */
    CHECK_INT(sub->refs, 2);
    CHECK(value_map_get(a, "site") == value_map_get(b, "site"));
    value_free(a);
    CHECK_INT(sub->refs, 1);
    CHECK_STR(value_get_string(value_map_get(b, "site"), "title"), "Fælles");
    value_free(b);   /* last reference: freed (LSan reports a leak if not) */

    value *s = value_new_string("x");
    value_ref(s);
    value_free(s);
    CHECK_STR(s->as.str.s, "x");   /* still alive after the first free */
    value_free(s);
    CHECK(value_ref(NULL) == NULL);
}

/* ---- copies ---- */

static value *sample_tree(void)
{
    value *root = value_new_map();
    root->line = 1;
    root->col = 1;
    value *s = value_new_string("citeret");
    s->quoted = true;
    s->line = 2;
    s->col = 8;
    value_map_set(root, "title", s);
    value_map_set_number(root, "n", 42);
    value_map_set_bool(root, "draft", false);
    value_map_set(root, "nothing", value_new_null());
    value *l = value_new_list();
    l->line = 5;
    l->col = 7;
    value_list_push(l, value_new_string("a"));
    value *inner = value_new_map();
    value_map_set(inner, "bin", value_new_stringn("x\0y", 3));
    value_list_push(l, inner);
    value_map_set(root, "items", l);
    fill(root, 20);   /* and an indexed map */
    return root;
}

TEST(deep_copy_is_equal_and_independent)
{
    value *orig = sample_tree();
    value *c = value_copy(orig);
    CHECK(c != orig);
    CHECK(deep_equal(orig, c));
    CHECK_INT(c->refs, 1);
    CHECK(value_map_get(c, "items") != value_map_get(orig, "items"));
    CHECK(value_map_get(c, "k19") != NULL);   /* index rebuilt */
    CHECK(value_map_get(c, "title")->quoted);
    CHECK_INT(value_map_get(c, "title")->line, 2);
    CHECK_INT(value_map_get(c, "title")->col, 8);
    const value *bin = value_map_get(value_map_get(c, "items")->as.list.items[1], "bin");
    CHECK_INT(bin->as.str.len, 3);
    CHECK(memcmp(bin->as.str.s, "x\0y", 3) == 0);

    /* changing the copy leaves the original alone */
    value_map_set_string(c, "title", "ændret");
    value_list_push(value_map_get(c, "items"), value_new_null());
    CHECK_STR(value_get_string(orig, "title"), "citeret");
    CHECK_INT(value_map_get(orig, "items")->as.list.len, 2);
    CHECK(!deep_equal(orig, c));
    value_free(orig);
    value_free(c);
    CHECK(value_copy(NULL) == NULL);
}

TEST(shallow_copy_shares_children)
{
    value *orig = sample_tree();
    value *items = value_map_get(orig, "items");
    value *c = value_map_shallow_copy(orig);
    CHECK(deep_equal(orig, c));
    CHECK(value_map_get(c, "items") == items);   /* shared, not copied */
    CHECK_INT(items->refs, 2);
    value_map_set_string(c, "title", "ny");       /* replace in the copy */
    value_map_set_string(c, "extra", "kun i kopien");
    CHECK_STR(value_get_string(orig, "title"), "citeret");
    CHECK(value_map_get(orig, "extra") == NULL);
    value_free(orig);
    CHECK_INT(items->refs, 1);                    /* the copy keeps it */
    CHECK_STR(value_get_string(c, "extra"), "kun i kopien");
    CHECK(value_map_get(c, "items") == items);
    value_free(c);

    /* not a map: an empty map */
    value *l = value_new_list();
    value *e = value_map_shallow_copy(l);
    CHECK_INT(e->kind, VALUE_MAP);
    CHECK_INT(e->as.map.len, 0);
    value_free(e);
    value_free(l);
    e = value_map_shallow_copy(NULL);
    CHECK_INT(e->kind, VALUE_MAP);
    value_free(e);
}

/* ---- truthiness and text ---- */

TEST(truthy_table)
{
    struct { value *v; bool want; const char *what; } rows[] = {
        {value_new_null(), false, "null"},
        {value_new_bool(false), false, "false"},
        {value_new_bool(true), true, "true"},
        {value_new_number(0), true, "0"},
        {value_new_number(-1.5), true, "-1.5"},
        {value_new_string(""), false, "\"\""},
        {value_new_string("0"), true, "\"0\""},
        {value_new_string("false"), true, "\"false\""},
        {value_new_list(), false, "[]"},
        {value_new_map(), true, "{}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (value_truthy(rows[i].v) != rows[i].want) {
            printf("    truthy(%s) wrong\n", rows[i].what);
            CHECK(0);
        }
        value_free(rows[i].v);
    }
    value *l = value_new_list();
    value_list_push(l, value_new_null());
    CHECK(value_truthy(l));            /* a list holding one null */
    value_free(l);
    CHECK(!value_truthy(NULL));
}

TEST(text_form)
{
    CHECK_STR(num_text(85), "85");
    CHECK_STR(num_text(1.5), "1.5");
    CHECK_STR(num_text(-0.25), "-0.25");
    CHECK_STR(num_text(1e20), "1e+20");
    CHECK_STR(num_text(0), "0");
    CHECK_STR(num_text(-7), "-7");
    CHECK_STR(num_text(2200000), "2200000");
    CHECK_STR(num_text(0.1), "0.1");

    value *v = value_new_bool(true);
    CHECK_STR(text(v), "true");
    value_free(v);
    v = value_new_bool(false);
    CHECK_STR(text(v), "false");
    value_free(v);
    v = value_new_null();
    CHECK_STR(text(v), "");
    value_free(v);
    v = value_new_string("tekst & mere");
    CHECK_STR(text(v), "tekst & mere");
    value_free(v);
    v = value_new_list();
    value_list_push(v, value_new_string("x"));
    CHECK_STR(text(v), "");
    value_free(v);
    v = value_new_map();
    value_map_set_string(v, "x", "y");
    CHECK_STR(text(v), "");
    value_free(v);
    CHECK_STR(text(NULL), "");

    /* appends, and strings with NUL bytes keep their length */
    buf_clear(&scratch);
    buf_puts(&scratch, ">");
    v = value_new_stringn("a\0b", 3);
    value_to_text(v, &scratch);
    CHECK_INT(scratch.len, 4);
    CHECK(memcmp(scratch.data, ">a\0b", 4) == 0);
    value_free(v);
}


TEST(equal_and_remove)
{
    value *a = value_new_map(), *b = value_new_map();
    for (int i = 0; i < 20; i++) {      /* past the size that hashes keys */
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        value_map_set_number(a, k, i);
        value_map_set_number(b, k, i);
    }
    value *l = value_new_list();
    value_list_push(l, value_new_string("x"));
    value_map_set(a, "list", l);
    value_map_set(b, "list", value_copy(l));
    CHECK(value_equal(a, b));
    value_map_set_string(b, "k3", "3");         /* number vs string */
    CHECK(!value_equal(a, b));
    value_map_set_number(b, "k3", 3);
    CHECK(value_equal(a, b));
    value_map_remove(b, "k7");
    CHECK(!value_equal(a, b));
    CHECK(value_map_get(b, "k7") == NULL);
    CHECK(value_map_get(b, "k8") != NULL && value_map_get(b, "k8")->as.number == 8);
    CHECK(value_map_get(b, "list") != NULL);
    value_map_remove(b, "missing");             /* no effect */
    value_map_remove(a, "k7");
    CHECK(value_equal(a, b));
    CHECK(!value_equal(a, NULL));
    CHECK(value_equal(NULL, NULL));
    value_free(a);
    value_free(b);
}

int main(void)
{
    RUN(equal_and_remove);
    buf_init(&scratch);
    RUN(constructors);
    RUN(kind_names);
    RUN(map_keeps_insertion_order);
    RUN(map_set_replaces_in_place);
    RUN(typed_getter);
    RUN(map_lookup_below_index_threshold);
    RUN(map_lookup_at_index_threshold);
    RUN(map_lookup_1000_keys);
    RUN(map_keys_with_nul_bytes);
    RUN(list_push_keeps_order);
    RUN(refcount_sharing);
    RUN(deep_copy_is_equal_and_independent);
    RUN(shallow_copy_shares_children);
    RUN(truthy_table);
    RUN(text_form);
    buf_free(&scratch);
    return TEST_SUMMARY();
}
