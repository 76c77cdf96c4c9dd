/*
 * value.c - generic data tree.  See value.h for the design.
 */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAP_INDEX_MIN 16

static value *value_alloc(value_kind kind)
{
    value *v = xcalloc(1, sizeof *v);
    v->kind = kind;
    v->refs = 1;
    return v;
}

value *value_new_null(void) { return value_alloc(VALUE_NULL); }

value *value_new_bool(bool b)
{
    value *v = value_alloc(VALUE_BOOL);
    v->as.boolean = b;
    return v;
}

value *value_new_number(double n)
{
    value *v = value_alloc(VALUE_NUMBER);
    v->as.number = n;
    return v;
}

value *value_new_string_owned(char *s, size_t len)
{
    value *v = value_alloc(VALUE_STRING);
    v->as.str.s = s;
    v->as.str.len = len;
    return v;
}

value *value_new_stringn(const char *s, size_t len)
{
    return value_new_string_owned(xstrndup(s, len), len);
}

value *value_new_string(const char *s)
{
    return value_new_stringn(s, strlen(s));
}

value *value_new_list(void) { return value_alloc(VALUE_LIST); }
value *value_new_map(void) { return value_alloc(VALUE_MAP); }

value *value_ref(value *v)
{
    if (v)
        __atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
    return v;
}

void value_free(value *v)
{
    if (!v || __atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    switch (v->kind) {
    case VALUE_STRING:
        free(v->as.str.s);
        break;
    case VALUE_LIST:
        for (size_t i = 0; i < v->as.list.len; i++)
            value_free(v->as.list.items[i]);
        free(v->as.list.items);
        break;
    case VALUE_MAP:
        for (size_t i = 0; i < v->as.map.len; i++) {
            free(v->as.map.keys[i]);
            value_free(v->as.map.vals[i]);
        }
        free(v->as.map.keys);
        free(v->as.map.klens);
        free(v->as.map.vals);
        free(v->as.map.index);
        break;
    default:
        break;
    }
    free(v);
}

value *value_copy(const value *v)
{
    if (!v)
        return NULL;
    value *c;
    switch (v->kind) {
    case VALUE_NULL: c = value_new_null(); break;
    case VALUE_BOOL: c = value_new_bool(v->as.boolean); break;
    case VALUE_NUMBER: c = value_new_number(v->as.number); break;
    case VALUE_STRING: c = value_new_stringn(v->as.str.s, v->as.str.len); break;
    case VALUE_LIST:
        c = value_new_list();
        for (size_t i = 0; i < v->as.list.len; i++)
            value_list_push(c, value_copy(v->as.list.items[i]));
        break;
    case VALUE_MAP:
    default:
        c = value_new_map();
        for (size_t i = 0; i < v->as.map.len; i++)
            value_map_set(c, v->as.map.keys[i], value_copy(v->as.map.vals[i]));
        break;
    }
    c->line = v->line;
    c->col = v->col;
    c->quoted = v->quoted;
    return c;
}

value *value_map_shallow_copy(value *map)
{
    value *c = value_new_map();
    if (!map || map->kind != VALUE_MAP)
        return c;
    for (size_t i = 0; i < map->as.map.len; i++)
        value_map_set(c, map->as.map.keys[i], value_ref(map->as.map.vals[i]));
    c->line = map->line;
    c->col = map->col;
    return c;
}

void value_list_push(value *list, value *item)
{
    if (list->as.list.len == list->as.list.cap) {
        size_t cap = list->as.list.cap ? list->as.list.cap * 2 : 4;
        list->as.list.items = xrealloc(list->as.list.items, cap * sizeof(value *));
        list->as.list.cap = cap;
    }
    list->as.list.items[list->as.list.len++] = item;
}

/* FNV-1a: small, good enough for short keys. */
static size_t key_hash(const char *k, size_t n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 16777619u;
    }
    return h;
}

static void map_index_insert(value *m, size_t slot_of_entry)
{
    const char *k = m->as.map.keys[slot_of_entry];
    size_t mask = m->as.map.index_cap - 1;
    size_t i = key_hash(k, m->as.map.klens[slot_of_entry]) & mask;
    while (m->as.map.index[i] >= 0)
        i = (i + 1) & mask;
    m->as.map.index[i] = (int)slot_of_entry;
}

static void map_reindex(value *m)
{
    size_t cap = 32;
    while (cap < m->as.map.len * 2)
        cap *= 2;
    free(m->as.map.index);
    m->as.map.index = xmalloc(cap * sizeof(int));
    m->as.map.index_cap = cap;
    for (size_t i = 0; i < cap; i++)
        m->as.map.index[i] = -1;
    for (size_t i = 0; i < m->as.map.len; i++)
        map_index_insert(m, i);
}

static long map_find(const value *m, const char *key, size_t n)
{
    if (m->as.map.index) {
        size_t mask = m->as.map.index_cap - 1;
        size_t i = key_hash(key, n) & mask;
        while (m->as.map.index[i] >= 0) {
            int at = m->as.map.index[i];
            if (m->as.map.klens[at] == n &&
                memcmp(m->as.map.keys[at], key, n) == 0)
                return at;
            i = (i + 1) & mask;
        }
        return -1;
    }
    for (size_t i = 0; i < m->as.map.len; i++) {
        if (m->as.map.klens[i] == n && memcmp(m->as.map.keys[i], key, n) == 0)
            return (long)i;
    }
    return -1;
}

void value_map_set(value *map, const char *key, value *val)
{
    size_t klen = strlen(key);
    long at = map_find(map, key, klen);
    if (at >= 0) {
        value_free(map->as.map.vals[at]);
        map->as.map.vals[at] = val;
        return;
    }
    if (map->as.map.len == map->as.map.cap) {
        size_t cap = map->as.map.cap ? map->as.map.cap * 2 : 8;
        map->as.map.keys = xrealloc(map->as.map.keys, cap * sizeof(char *));
        map->as.map.klens = xrealloc(map->as.map.klens, cap * sizeof(size_t));
        map->as.map.vals = xrealloc(map->as.map.vals, cap * sizeof(value *));
        map->as.map.cap = cap;
    }
    size_t slot = map->as.map.len++;
    map->as.map.keys[slot] = xstrndup(key, klen);
    map->as.map.klens[slot] = klen;
    map->as.map.vals[slot] = val;
    if (map->as.map.index) {
        if (map->as.map.len * 2 > map->as.map.index_cap)
            map_reindex(map);
        else
            map_index_insert(map, slot);
    } else if (map->as.map.len >= MAP_INDEX_MIN) {
        map_reindex(map);
    }
}

value *value_map_getn(const value *map, const char *key, size_t keylen)
{
    if (!map || map->kind != VALUE_MAP)
        return NULL;
    long at = map_find(map, key, keylen);
    return at >= 0 ? map->as.map.vals[at] : NULL;
}

value *value_map_get(const value *map, const char *key)
{
    return value_map_getn(map, key, strlen(key));
}

void value_map_set_string(value *map, const char *key, const char *s)
{
    value_map_set(map, key, value_new_string(s));
}

void value_map_set_number(value *map, const char *key, double n)
{
    value_map_set(map, key, value_new_number(n));
}

void value_map_set_bool(value *map, const char *key, bool b)
{
    value_map_set(map, key, value_new_bool(b));
}

const char *value_get_string(const value *map, const char *key)
{
    const value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING ? v->as.str.s : NULL;
}

bool value_truthy(const value *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case VALUE_NULL: return false;
    case VALUE_BOOL: return v->as.boolean;
    case VALUE_STRING: return v->as.str.len > 0;
    case VALUE_LIST: return v->as.list.len > 0;
    default: return true;
    }
}

void value_to_text(const value *v, buf *out)
{
    if (!v)
        return;
    switch (v->kind) {
    case VALUE_BOOL:
        buf_puts(out, v->as.boolean ? "true" : "false");
        break;
    case VALUE_NUMBER: {
        double n = v->as.number;
        if (n == 0)
            n = 0;      /* -0 prints as "0", as in JavaScript */
        if (isfinite(n) && n == floor(n) && fabs(n) < 1e15)
            buf_printf(out, "%.0f", n);
        else
            buf_printf(out, "%.15g", n);
        break;
    }
    case VALUE_STRING:
        buf_put(out, v->as.str.s, v->as.str.len);
        break;
    default:
        break;
    }
}

const char *value_kind_name(value_kind k)
{
    switch (k) {
    case VALUE_NULL: return "null";
    case VALUE_BOOL: return "a boolean";
    case VALUE_NUMBER: return "a number";
    case VALUE_STRING: return "a string";
    case VALUE_LIST: return "a list";
    case VALUE_MAP: return "a map";
    }
    return "a value";
}

bool value_equal(const value *a, const value *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VALUE_NULL:
        return true;
    case VALUE_BOOL:
        return a->as.boolean == b->as.boolean;
    case VALUE_NUMBER:
        return a->as.number == b->as.number;
    case VALUE_STRING:
        return a->as.str.len == b->as.str.len &&
               memcmp(a->as.str.s, b->as.str.s, a->as.str.len) == 0;
    case VALUE_LIST:
        if (a->as.list.len != b->as.list.len)
            return false;
        for (size_t i = 0; i < a->as.list.len; i++)
            if (!value_equal(a->as.list.items[i], b->as.list.items[i]))
                return false;
        return true;
    case VALUE_MAP:
        if (a->as.map.len != b->as.map.len)
            return false;
        for (size_t i = 0; i < a->as.map.len; i++)
            if (a->as.map.klens[i] != b->as.map.klens[i] ||
                memcmp(a->as.map.keys[i], b->as.map.keys[i],
                       a->as.map.klens[i]) ||
                !value_equal(a->as.map.vals[i], b->as.map.vals[i]))
                return false;
        return true;
    }
    return false;
}

void value_map_remove(value *map, const char *key)
{
    long at = map_find(map, key, strlen(key));
    if (at < 0)
        return;
    size_t i = (size_t)at, rest = map->as.map.len - i - 1;
    free(map->as.map.keys[i]);
    value_free(map->as.map.vals[i]);
    memmove(map->as.map.keys + i, map->as.map.keys + i + 1,
            rest * sizeof *map->as.map.keys);
    memmove(map->as.map.klens + i, map->as.map.klens + i + 1,
            rest * sizeof *map->as.map.klens);
    memmove(map->as.map.vals + i, map->as.map.vals + i + 1,
            rest * sizeof *map->as.map.vals);
    map->as.map.len--;
    if (map->as.map.index)
        map_reindex(map);
}
