/*
 * fsutil.h - small file-system helpers shared by the stages.
 */
#ifndef FORMIDL_FSUTIL_H
#define FORMIDL_FSUTIL_H

#include <stddef.h>

#include "buf.h"

/* Read a whole file into out (replacing its contents).  Returns 0, or -1
 * with errno set. */
int fs_read_file(const char *path, buf *out);

/* Write data to path, creating parent folders.  Returns 0 or -1/errno. */
int fs_write_file(const char *path, const char *data, size_t len);

/* mkdir -p.  Returns 0 or -1/errno. */
int fs_mkdirs(const char *path);

/* rm -rf; does not follow symbolic links.  Returns 0 or -1/errno. */
int fs_remove_tree(const char *path);

/* Copy a regular file (contents and mode bits only). */
int fs_copy_file(const char *from, const char *to);

/* Join a and b with one '/' into out (out is cleared first). */
void fs_join(buf *out, const char *a, const char *b);

/* Is path an existing directory / regular file? */
int fs_is_dir(const char *path);
int fs_is_file(const char *path);

/* Size of a regular file in bytes, or -1. */
long long fs_file_size(const char *path);

/* List the entries of a folder (no "." or ".."), sorted bytewise, as a
 * malloc'ed array of malloc'ed names; *n is the count.  NULL on error. */
char **fs_list_dir(const char *path, size_t *n);
void fs_free_list(char **names, size_t n);

/* Normalise a relative path: drop "." segments and resolve ".." against
 * earlier segments.  Returns 0, or -1 when ".." would climb above the
 * start (the path escapes). */
int fs_normalise(const char *path, buf *out);

#endif
