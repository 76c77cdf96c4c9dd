/*
 * diag.h - diagnostics: every error and warning of a build in one list.
 *
 * Stages never print or exit; they add to a diag list and return a status.
 * main() prints the list once, sorted by path, line and column, in the form
 *
 *     path:line:col: error: message
 *
 * (line and col are left out when unknown), so editors and CI can jump to
 * the place.  The count of errors decides the exit status.
 */
#ifndef FORMIDL_DIAG_H
#define FORMIDL_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum diag_level { DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag_entry {
    diag_level level;
    char *path;     /* may be NULL */
    int line, col;  /* 0 when unknown */
    char *message;
} diag_entry;

typedef struct diag {
    diag_entry *entries;
    size_t len, cap;
    size_t errors, warnings;
    char *prefix;   /* printed before relative paths, e.g. "mysite/" */
} diag;

void diag_init(diag *d);
void diag_free(diag *d);

void diag_add(diag *d, diag_level level, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_error(diag *d, const char *path, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(diag *d, const char *path, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Paths in entries are relative to the site folder; when the site is not
 * the current folder, printing puts prefix (the site folder and a '/')
 * before them so the lines point at the files from where the user is. */
void diag_set_prefix(diag *d, const char *prefix);

/* Move every entry of src to the end of dst (src is left empty). */
void diag_merge(diag *dst, diag *src);

/* Sort (stable: path, line, col, then insertion order) and print.
 * Warnings are skipped when show_warnings is 0. */
void diag_print(diag *d, FILE *out, int show_warnings);

#endif
