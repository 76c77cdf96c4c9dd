/*
 * value.h - one generic data tree with source positions.
 *
 * YAML front matter and site.yaml are parsed into this tree (yamltree.c), and
 * the Mustache context handed to layouts is built from it (render.c), so a
 * layout can reach every field an author wrote, including unknown ones.
 *
 * Design: each node is heap-allocated and reference-counted.  Containers
 * own a reference to each child; value_ref() lets one subtree (the `site`
 * map, say) be shared by the context of every page without copying.  The
 * counts are atomic, so render threads may share subtrees; a tree must not
 * be changed once it is shared.  Maps
 * keep insertion order (deterministic output) and are searched linearly
 * below 16 keys and through a small open-addressing index above that.
 *
 * Positions: line and col are 1-based positions in the source file the
 * node came from (0 when the node was made by the program).  Strings are
 * NUL-terminated and may also contain NUL bytes (len is authoritative).
 */
#ifndef FORMIDL_VALUE_H
#define FORMIDL_VALUE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum value_kind {
    VALUE_NULL,
    VALUE_BOOL,
    VALUE_NUMBER,
    VALUE_STRING,
    VALUE_LIST,
    VALUE_MAP
} value_kind;

typedef struct value value;

struct value {
    value_kind kind;
    int refs;
    int line, col;          /* source position, 0 if none */
    bool quoted;            /* YAML scalar was quoted or a block scalar */
    union {
        bool boolean;
        double number;
        struct {
            char *s;
            size_t len;
        } str;
        struct {
            value **items;
            size_t len, cap;
        } list;
        struct {
            char **keys;
            size_t *klens;    /* key lengths: keys may be compared fast */
            value **vals;
            size_t len, cap;
            int *index;       /* hash index, NULL while small */
            size_t index_cap;
        } map;
    } as;
};

value *value_new_null(void);
value *value_new_bool(bool b);
value *value_new_number(double n);
value *value_new_string(const char *s);
value *value_new_stringn(const char *s, size_t len);
/* Takes ownership of a malloc'ed NUL-terminated string. */
value *value_new_string_owned(char *s, size_t len);
value *value_new_list(void);
value *value_new_map(void);

/* Reference counting: value_free drops one reference. NULL is accepted. */
value *value_ref(value *v);
void value_free(value *v);

/* Deep copy (positions kept); cost O(size). */
value *value_copy(const value *v);

/* A new map holding a reference to each value of map (one level deep):
 * cheap, and the caller may then add or replace keys freely. */
value *value_map_shallow_copy(value *map);

/* Lists: takes ownership of item. */
void value_list_push(value *list, value *item);

/* Maps: takes ownership of val; replaces an existing key (freeing the old
 * value) so a key appears at most once. */
void value_map_set(value *map, const char *key, value *val);
value *value_map_get(const value *map, const char *key);
/* Remove key (and free its value) if the map has it. */
void value_map_remove(value *map, const char *key);
value *value_map_getn(const value *map, const char *key, size_t keylen);

/* Convenience setters for building contexts. */
void value_map_set_string(value *map, const char *key, const char *s);
void value_map_set_number(value *map, const char *key, double n);
void value_map_set_bool(value *map, const char *key, bool b);

/* Typed getters: NULL when missing or of another kind. */
const char *value_get_string(const value *map, const char *key);

/* Same kind and contents, maps with the same keys in the same order;
 * source positions do not count. */
bool value_equal(const value *a, const value *b);

/* Mustache truthiness: null, false, 0-length lists and empty strings are
 * false (as in mustache.js); everything else, including 0 and empty maps,
 * is true. NULL (a missing name) is false. */
bool value_truthy(const value *v);

/* Append the text form of a scalar to out: numbers print without a
 * trailing ".0" ("85", "1.5"), booleans as "true"/"false", null as "".
 * Lists and maps append nothing. */
struct buf;
void value_to_text(const value *v, struct buf *out);

/* Name of a kind for messages, in English: "a map", "a list", ... */
const char *value_kind_name(value_kind k);

#endif
