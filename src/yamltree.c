/*
 * yamltree.c - libyaml events into a value tree.  See yamltree.h for the contract.
 *
 * The parser is driven event by event (yaml_parser_parse), never through
 * libyaml's document loader: that loader builds the whole node graph
 * before we can look at it, whereas events let us stop at the first
 * nesting level past YAML_MAX_DEPTH or the first alias that would take the
 * document past YAML_MAX_NODES.  An alias does not copy: it takes another
 * reference to the anchored subtree (the tree is immutable after parsing),
 * but its logical size is charged to the node budget, because later stages
 * walk it as if it were copied.
 *
 * Cost: O(events) time; memory proportional to the distinct nodes.
 */
#include "yamltree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"

typedef struct anchor {
    char *name;
    value *val;
    size_t nodes;           /* logical size of val */
} anchor;

typedef struct frame {
    value *container;
    char *pending_key;      /* map: key waiting for its value */
    int key_line, key_col;
    char *anchor_name;      /* anchor of the container, if any */
    size_t nodes_at_start;
} frame;

typedef struct yaml_state {
    const char *path;
    int first_line;
    diag *d;
    frame stack[YAML_MAX_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    value *anchor_index;    /* name -> latest position in anchors */
    size_t nodes;
    value *root;
    int failed;
} yaml_state;

static int line_of(const yaml_state *st, yaml_mark_t m)
{
    return st->first_line + (int)m.line;
}

static int col_of(yaml_mark_t m)
{
    return (int)m.column + 1;
}

static void anchor_add(yaml_state *st, const char *name, value *v,
                       size_t nodes)
{
    /* A later anchor of the same name shadows the earlier one. */
    if (st->nanchors == st->anchors_cap) {
        st->anchors_cap = st->anchors_cap ? st->anchors_cap * 2 : 8;
        st->anchors = xrealloc(st->anchors,
                               st->anchors_cap * sizeof *st->anchors);
    }
    st->anchors[st->nanchors].name = xstrdup(name);
    st->anchors[st->nanchors].val = value_ref(v);
    st->anchors[st->nanchors].nodes = nodes;
    if (!st->anchor_index)
        st->anchor_index = value_new_map();
    value_map_set(st->anchor_index, name,
                  value_new_number((double)st->nanchors));
    st->nanchors++;
}

static const anchor *anchor_find(const yaml_state *st, const char *name)
{
    /* hashed, not a linear search: 50,000 anchors and as many aliases
     * would otherwise cost seconds */
    const value *at = value_map_get(st->anchor_index, name);
    return at ? &st->anchors[(size_t)at->as.number] : NULL;
}

/* Is s (plain scalar) one of the YAML 1.2 core-schema null spellings? */
static int is_null_word(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (!strcmp(s, "null") || !strcmp(s, "Null") ||
                       !strcmp(s, "NULL")));
}

static int is_bool_word(const char *s, int *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
        *out = 1;
        return 1;
    }
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
        *out = 0;
        return 1;
    }
    return 0;
}

/* Core-schema numbers: decimal integers, 0o/0x integers, floats with an
 * optional exponent, .inf and .nan.  Anything else (dates, versions,
 * "1.2.3") stays a string. */
static int parse_number(const char *s, size_t n, double *out)
{
    if (n == 0 || n > 64)
        return 0;
    const char *p = s;
    int neg = 0;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
        *out = neg ? -INFINITY : INFINITY;
        return 1;
    }
    if (p == s && (!strcmp(p, ".nan") || !strcmp(p, ".NaN") ||
                   !strcmp(p, ".NAN"))) {
        *out = NAN;
        return 1;
    }
    if (p == s && p[0] == '0' && (p[1] == 'x' || p[1] == 'o') && p[2]) {
        int base = p[1] == 'x' ? 16 : 8;
        /* digits only: strtoull alone would also take "0x-1", "0x 1" */
        const char *ok = base == 16 ? "0123456789abcdefABCDEF" : "01234567";
        if (strspn(p + 2, ok) != strlen(p + 2))
            return 0;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p + 2, &end, base);
        if (*end || errno)
            return 0;
        *out = (double)v;
        return 1;
    }
    /* [0-9]+ ( . [0-9]* )? ( [eE] [-+]? [0-9]+ )?  or  . [0-9]+ ... */
    const char *q = p;
    size_t digits = 0;
    while (*q >= '0' && *q <= '9') {
        q++;
        digits++;
    }
    if (*q == '.') {
        q++;
        while (*q >= '0' && *q <= '9') {
            q++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!(*q >= '0' && *q <= '9'))
            return 0;
        while (*q >= '0' && *q <= '9')
            q++;
    }
    if (*q)
        return 0;
    *out = strtod(s, NULL);
    return 1;
}

static value *scalar_value(const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (tag && !strcmp(tag, "tag:yaml.org,2002:str"))
        plain = 0;
    if (plain && strlen(s) == n) {
        int b;
        double num;
        if (is_null_word(s, n))
            return value_new_null();
        if (is_bool_word(s, &b))
            return value_new_bool(b);
        if (parse_number(s, n, &num))
            return value_new_number(num);
    }
    value *v = value_new_stringn(s, n);
    v->quoted = !plain;
    return v;
}

static int charge(yaml_state *st, size_t n, yaml_mark_t m)
{
    st->nodes += n;
    if (st->nodes > YAML_MAX_NODES) {
        diag_error(st->d, st->path, line_of(st, m), col_of(m),
                   "YAML document too large: more than %d nodes (after "
                   "expanding aliases)", YAML_MAX_NODES);
        st->failed = 1;
        return -1;
    }
    return 0;
}

/* Attach a finished node to the container on top of the stack (or make it
 * the root).  Map keys arrive as nodes too: a scalar in key position
 * becomes the pending key. */
static int attach(yaml_state *st, value *v, yaml_mark_t m, int is_scalar,
                  const char *scalar_text)
{
    if (st->depth == 0) {
        st->root = v;
        return 0;
    }
    frame *f = &st->stack[st->depth - 1];
    if (f->container->kind == VALUE_LIST) {
        value_list_push(f->container, v);
        return 0;
    }
    if (!f->pending_key) {
        if (!is_scalar) {
            diag_error(st->d, st->path, line_of(st, m), col_of(m),
                       "map keys must be plain text");
            value_free(v);
            st->failed = 1;
            return -1;
        }
        if (value_map_get(f->container, scalar_text)) {
            diag_error(st->d, st->path, line_of(st, m), col_of(m),
                       "duplicate key \"%s\"", scalar_text);
            /* reported; the later value wins and parsing goes on */
        }
        f->pending_key = xstrdup(scalar_text);
        f->key_line = line_of(st, m);
        f->key_col = col_of(m);
        value_free(v);
        return 0;
    }
    value_map_set(f->container, f->pending_key, v);
    free(f->pending_key);
    f->pending_key = NULL;
    return 0;
}

static void syntax_error(yaml_state *st, yaml_parser_t *p)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "syntax error";
    if (p->context)
        diag_error(st->d, st->path, line_of(st, m), col_of(m),
                   "YAML syntax error: %s %s started at line %d",
                   problem, p->context, line_of(st, p->context_mark));
    else
        diag_error(st->d, st->path, line_of(st, m), col_of(m),
                   "YAML syntax error: %s", problem);
    st->failed = 1;
}

value *yaml_parse(const char *path, const char *src, size_t len,
                  int first_line, diag *d)
{
    yaml_state st;
    memset(&st, 0, sizeof st);
    st.path = path;
    st.first_line = first_line > 0 ? first_line : 1;
    st.d = d;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, path, 0, 0, "cannot initialise the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    int done = 0, documents = 0;
    while (!done && !st.failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&st, &parser);
            break;
        }
        yaml_mark_t m = ev.start_mark;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                diag_error(d, path, line_of(&st, m), col_of(m),
                           "more than one YAML document");
                st.failed = 1;
            }
            break;
        case YAML_SCALAR_EVENT: {
            if (charge(&st, 1, m) < 0)
                break;
            value *v = scalar_value(&ev);
            v->line = line_of(&st, m);
            v->col = col_of(m);
            if (ev.data.scalar.anchor)
                anchor_add(&st, (const char *)ev.data.scalar.anchor, v, 1);
            attach(&st, v, m, 1, (const char *)ev.data.scalar.value);
            break;
        }
        case YAML_ALIAS_EVENT: {
            const char *name = (const char *)ev.data.alias.anchor;
            const anchor *a = anchor_find(&st, name);
            if (!a) {
                diag_error(d, path, line_of(&st, m), col_of(m),
                           "unknown alias \"*%s\"", name);
                st.failed = 1;
                break;
            }
            if (charge(&st, a->nodes, m) < 0)
                break;
            const char *text = a->val->kind == VALUE_STRING
                                    ? a->val->as.str.s : NULL;
            if (!text && st.depth > 0 &&
                st.stack[st.depth - 1].container->kind == VALUE_MAP &&
                !st.stack[st.depth - 1].pending_key) {
                diag_error(d, path, line_of(&st, m), col_of(m),
                           "map keys must be plain text");
                st.failed = 1;
                break;
            }
            attach(&st, value_ref(a->val), m, text != NULL, text);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (st.depth >= YAML_MAX_DEPTH) {
                diag_error(d, path, line_of(&st, m), col_of(m),
                           "YAML nested deeper than %d levels",
                           YAML_MAX_DEPTH);
                st.failed = 1;
                break;
            }
            size_t nodes_before = st.nodes;
            if (charge(&st, 1, m) < 0)
                break;
            frame *f = &st.stack[st.depth];
            if (st.depth > 0) {
                frame *parent = &st.stack[st.depth - 1];
                if (parent->container->kind == VALUE_MAP &&
                    !parent->pending_key) {
                    diag_error(d, path, line_of(&st, m), col_of(m),
                               "map keys must be plain text");
                    st.failed = 1;
                    break;
                }
            }
            memset(f, 0, sizeof *f);
            int is_seq = ev.type == YAML_SEQUENCE_START_EVENT;
            f->container = is_seq ? value_new_list() : value_new_map();
            f->container->line = line_of(&st, m);
            f->container->col = col_of(m);
            const unsigned char *an = is_seq ? ev.data.sequence_start.anchor
                                             : ev.data.mapping_start.anchor;
            if (an)
                f->anchor_name = xstrdup((const char *)an);
            /* the container counts itself: an alias of an empty list is
             * still one node, or nested aliases of [] would be free */
            f->nodes_at_start = nodes_before;
            st.depth++;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame *f = &st.stack[--st.depth];
            value *c = f->container;
            free(f->pending_key);
            if (f->anchor_name) {
                anchor_add(&st, f->anchor_name, c,
                           st.nodes - f->nodes_at_start);
                free(f->anchor_name);
            }
            f->container = NULL;
            yaml_mark_t cm = {0, (size_t)(c->line - st.first_line),
                              (size_t)(c->col - 1)};
            attach(&st, c, cm, 0, NULL);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);

    /* Unwind whatever is still open after an error. */
    while (st.depth > 0) {
        frame *f = &st.stack[--st.depth];
        free(f->pending_key);
        free(f->anchor_name);
        value_free(f->container);
    }
    for (size_t i = 0; i < st.nanchors; i++) {
        free(st.anchors[i].name);
        value_free(st.anchors[i].val);
    }
    free(st.anchors);
    value_free(st.anchor_index);

    if (st.failed) {
        value_free(st.root);
        return NULL;
    }
    if (!st.root || st.root->kind == VALUE_NULL) {
        value_free(st.root);
        st.root = value_new_map();
    }
    return st.root;
}
