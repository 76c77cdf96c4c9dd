/*
 * fsutil.c - file-system helpers.  See fsutil.h.
 */
#define _GNU_SOURCE
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_read_file(const char *path, buf *out)
{
    buf_clear(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        buf_grow(out, (size_t)st.st_size);
    for (;;) {
        buf_grow(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    close(fd);
    return 0;
}

int fs_mkdirs(const char *path)
{
    /* Try the whole path first: in a build, the parent usually exists, so
     * this costs one system call instead of one per path component. */
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    if (errno != ENOENT)
        return -1;
    const char *slash = strrchr(path, '/');
    while (slash && slash > path && slash[1] == '\0') {
        /* trailing slashes: look further back */
        const char *p = slash - 1;
        while (p > path && *p != '/')
            p--;
        slash = *p == '/' ? p : NULL;
    }
    if (!slash || slash == path)
        return -1;
    char *parent = xstrndup(path, (size_t)(slash - path));
    int rc = fs_mkdirs(parent);
    free(parent);
    if (rc < 0)
        return -1;
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

int fs_write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {
        const char *slash = strrchr(path, '/');
        if (slash) {
            char *dir = xstrndup(path, (size_t)(slash - path));
            int r = fs_mkdirs(dir);
            free(dir);
            if (r < 0)
                return -1;
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
    }
    if (fd < 0)
        return -1;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return close(fd);
}

int fs_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    size_t n;
    char **names = fs_list_dir(path, &n);
    if (!names)
        return -1;
    buf child = BUF_INIT;
    buf_init(&child);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        fs_join(&child, path, names[i]);
        if (fs_remove_tree(child.data) < 0)
            rc = -1;
    }
    buf_free(&child);
    fs_free_list(names, n);
    if (rmdir(path) < 0)
        rc = -1;
    return rc;
}

int fs_copy_file(const char *from, const char *to)
{
    buf data = BUF_INIT;
    buf_init(&data);
    int rc = fs_read_file(from, &data);
    if (rc == 0)
        rc = fs_write_file(to, data.data, data.len);
    buf_free(&data);
    return rc;
}

void fs_join(buf *out, const char *a, const char *b)
{
    buf_clear(out);
    buf_puts(out, a);
    if (out->len && out->data[out->len - 1] != '/' && *b)
        buf_putc(out, '/');
    while (*b == '/')
        b++;
    buf_puts(out, b);
}

int fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

long long fs_file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    return (long long)st.st_size;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list_dir(const char *path, size_t *n)
{
    DIR *dir = opendir(path);
    if (!dir)
        return NULL;
    size_t len = 0, cap = 16;
    char **names = xmalloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (len == cap) {
            cap *= 2;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[len++] = xstrdup(e->d_name);
    }
    closedir(dir);
    qsort(names, len, sizeof *names, name_cmp);
    *n = len;
    return names;
}

void fs_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int fs_normalise(const char *path, buf *out)
{
    /* Segments are kept as offsets into out; ".." pops one. */
    size_t stack[512];
    size_t depth = 0;
    buf_clear(out);
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 1 && p[0] == '.') {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (depth == 0)
                return -1;
            out->len = stack[--depth];
            out->data[out->len] = '\0';
        } else {
            if (depth == sizeof stack / sizeof stack[0])
                return -1;
            stack[depth++] = out->len;
            if (out->len)
                buf_putc(out, '/');
            buf_put(out, p, n);
        }
        p = e;
    }
    if (out->len && depth == 0) {
        out->len = 0;
        out->data[0] = '\0';
    }
    return 0;
}
