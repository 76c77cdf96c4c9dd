/*
 * diag.c - diagnostics list.  See diag.h.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void diag_init(diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(diag *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->entries[i].path);
        free(d->entries[i].message);
    }
    free(d->entries);
    free(d->prefix);
    diag_init(d);
}

void diag_set_prefix(diag *d, const char *prefix)
{
    free(d->prefix);
    d->prefix = prefix && *prefix ? xstrdup(prefix) : NULL;
}

static void diag_push(diag *d, diag_entry e)
{
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->entries = xrealloc(d->entries, d->cap * sizeof *d->entries);
    }
    d->entries[d->len++] = e;
    if (e.level == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
}

static void diag_vadd(diag *d, diag_level level, const char *path, int line,
                      int col, const char *fmt, va_list ap)
{
    buf msg = BUF_INIT;
    buf_init(&msg);
    buf_vprintf(&msg, fmt, ap);
    diag_entry e = {level, path ? xstrdup(path) : NULL, line, col,
                    buf_detach(&msg)};
    diag_push(d, e);
}

void diag_add(diag *d, diag_level level, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, level, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_error(diag *d, const char *path, int line, int col,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, DIAG_ERROR, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_warning(diag *d, const char *path, int line, int col,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, DIAG_WARNING, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_merge(diag *dst, diag *src)
{
    for (size_t i = 0; i < src->len; i++)
        diag_push(dst, src->entries[i]);
    free(src->entries);
    char *prefix = src->prefix;
    diag_init(src);
    src->prefix = prefix;
}

typedef struct {
    const diag_entry *e;
    size_t order;
} sort_item;

static int entry_cmp(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    const char *px = x->e->path ? x->e->path : "";
    const char *py = y->e->path ? y->e->path : "";
    int c = strcmp(px, py);
    if (c)
        return c;
    if (x->e->line != y->e->line)
        return x->e->line < y->e->line ? -1 : 1;
    if (x->e->col != y->e->col)
        return x->e->col < y->e->col ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void diag_print(diag *d, FILE *out, int show_warnings)
{
    sort_item *items = xcalloc(d->len, sizeof *items);
    for (size_t i = 0; i < d->len; i++) {
        items[i].e = &d->entries[i];
        items[i].order = i;
    }
    qsort(items, d->len, sizeof *items, entry_cmp);
    for (size_t i = 0; i < d->len; i++) {
        const diag_entry *e = items[i].e;
        if (e->level == DIAG_WARNING && !show_warnings)
            continue;
        if (e->path) {
            if (d->prefix && e->path[0] != '/')
                fputs(d->prefix, out);
            fputs(e->path, out);
            if (e->line > 0) {
                fprintf(out, ":%d", e->line);
                if (e->col > 0)
                    fprintf(out, ":%d", e->col);
            }
            fputs(": ", out);
        } else {
            fputs("formidl: ", out);
        }
        fprintf(out, "%s: %s\n",
                e->level == DIAG_ERROR ? "error" : "warning", e->message);
    }
    free(items);
}
