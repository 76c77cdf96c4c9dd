/*
 * buf.h - one growable byte buffer used everywhere (cf. cmark's strbuf,
 * git's strbuf).
 *
 * A buf always holds a NUL-terminated string in data (data is never NULL
 * after buf_init), so it can be passed to C string functions.  Growth is
 * geometric, so appending n bytes costs amortised O(n).  Allocation failure
 * aborts: a static-site build has no useful way to continue without memory.
 */
#ifndef FORMIDL_BUF_H
#define FORMIDL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT {0}

/* Prepare an empty buffer (data points at "" until the first append). */
void buf_init(buf *b);
/* Release the memory and leave b empty and reusable. */
void buf_free(buf *b);
/* Forget the contents but keep the memory. */
void buf_clear(buf *b);
/* Make room for at least extra more bytes plus the terminating NUL. */
void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, int c);
void buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Append s with & < > " ' escaped for HTML text and attribute values. */
void buf_put_html(buf *b, const char *s, size_t n);
/* Take ownership of the contents (malloc'ed, NUL-terminated); b is reset. */
char *buf_detach(buf *b);

/* Helpers that abort on allocation failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
