/*
 * output.c - staging folder and atomic swap.  See output.h.
 */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "fsutil.h"

/* realpath() of a folder that may not exist yet: resolve the longest
 * existing prefix and append the rest. */
static char *resolve_path(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    char *copy = xstrdup(path);
    char *slash = strrchr(copy, '/');
    while (slash && slash[1] == '\0') {
        *slash = '\0';
        slash = strrchr(copy, '/');
    }
    char *parent;
    const char *leaf;
    if (!slash) {
        parent = realpath(".", NULL);
        leaf = copy;
    } else {
        *slash = '\0';
        parent = resolve_path(*copy ? copy : "/");
        leaf = slash + 1;
    }
    if (!parent) {
        free(copy);
        return NULL;
    }
    buf b = BUF_INIT;
    buf_init(&b);
    if (!strcmp(leaf, "..") || !strcmp(leaf, ".")) {
        /* not resolvable without the folder existing: be conservative */
        free(parent);
        free(copy);
        return NULL;
    }
    buf_printf(&b, "%s%s%s", parent, strcmp(parent, "/") ? "/" : "", leaf);
    free(parent);
    free(copy);
    return buf_detach(&b);
}

/* Is a equal to b or inside it? (both resolved) */
static int path_within(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strncmp(a, b, n))
        return 0;
    return a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/');
}

int output_check_dir(const char *out_dir, const char *site_dir, diag *d)
{
    char *out = resolve_path(out_dir);
    char *site = realpath(site_dir, NULL);
    int rc = 0;
    if (!out || !site) {
        diag_error(d, NULL, 0, 0, "cannot resolve the output folder \"%s\"",
                   out_dir);
        free(out);
        free(site);
        return -1;
    }
    const char *home = getenv("HOME");
    char *home_r = home && *home ? realpath(home, NULL) : NULL;
    buf b = BUF_INIT;
    buf_init(&b);
    const char *protect[] = {"content", "layouts", "assets", "archetypes",
                             "i18n", NULL};
    if (!strcmp(out, "/")) {
        diag_error(d, NULL, 0, 0, "refusing to use / as the output folder");
        rc = -1;
    } else if (home_r && !strcmp(out, home_r)) {
        diag_error(d, NULL, 0, 0,
                   "refusing to use your home folder as the output folder");
        rc = -1;
    } else if (path_within(site, out)) {
        diag_error(d, NULL, 0, 0,
                   "refusing to use \"%s\" as the output folder: it holds the "
                   "site itself", out_dir);
        rc = -1;
    } else if (home_r && path_within(home_r, out)) {
        /* a folder above $HOME (/home, say) would take every home along */
        diag_error(d, NULL, 0, 0,
                   "refusing to use \"%s\" as the output folder: it holds "
                   "your home folder", out_dir);
        rc = -1;
    } else {
        for (size_t i = 0; protect[i]; i++) {
            buf_clear(&b);
            buf_printf(&b, "%s/%s", site, protect[i]);
            if (path_within(out, b.data)) {
                diag_error(d, NULL, 0, 0,
                           "refusing to use \"%s\" as the output folder: it "
                           "is inside the site's %s/ folder", out_dir,
                           protect[i]);
                rc = -1;
                break;
            }
        }
    }
    struct stat ost;
    if (rc == 0 && lstat(out, &ost) == 0 && !S_ISDIR(ost.st_mode)) {
        diag_error(d, NULL, 0, 0,
                   "refusing to replace \"%s\": it is not a folder", out_dir);
        rc = -1;
    }
    if (rc == 0 && fs_is_dir(out)) {
        const char *markers[] = {"site.yaml", ".git", NULL};
        for (size_t i = 0; markers[i]; i++) {
            buf_clear(&b);
            buf_printf(&b, "%s/%s", out, markers[i]);
            struct stat st;
            if (lstat(b.data, &st) == 0) {
                diag_error(d, NULL, 0, 0,
                           "refusing to replace \"%s\": it holds %s, so it "
                           "looks like a project, not a built site",
                           out_dir, markers[i]);
                rc = -1;
                break;
            }
        }
    }
    buf_free(&b);
    free(home_r);
    free(out);
    free(site);
    return rc;
}

/* Staging folders of builds that died (killed, power cut) stay behind as
 * ".NAME.staging-PID-N"; remove those whose process no longer exists. */
static void remove_dead_staging(const char *final_dir)
{
    const char *slash = strrchr(final_dir, '/');
    char *parent = slash ? xstrndup(final_dir, (size_t)(slash - final_dir))
                         : xstrdup(".");
    const char *name = slash ? slash + 1 : final_dir;
    buf prefix = BUF_INIT, path = BUF_INIT;
    buf_init(&prefix);
    buf_init(&path);
    buf_printf(&prefix, ".%s.staging-", name);
    size_t n;
    char **names = fs_list_dir(*parent ? parent : "/", &n);
    for (size_t i = 0; names && i < n; i++) {
        if (strncmp(names[i], prefix.data, prefix.len))
            continue;
        char *end;
        long pid = strtol(names[i] + prefix.len, &end, 10);
        if (pid <= 0 || (*end != '-' && *end != '\0' && *end != '.'))
            continue;
        if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 ||
            errno != ESRCH)
            continue;
        fs_join(&path, *parent ? parent : "/", names[i]);
        fs_remove_tree(path.data);
    }
    if (names)
        fs_free_list(names, n);
    buf_free(&prefix);
    buf_free(&path);
    free(parent);
}

int output_begin(output *o, const char *out_dir, diag *d)
{
    memset(o, 0, sizeof *o);
    o->final_dir = xstrdup(out_dir);
    while (strlen(o->final_dir) > 1 &&
           o->final_dir[strlen(o->final_dir) - 1] == '/')
        o->final_dir[strlen(o->final_dir) - 1] = '\0';
    const char *slash = strrchr(o->final_dir, '/');
    buf b = BUF_INIT;
    buf_init(&b);
    /* Unique per build, not only per process: after a swap the old tree
     * lives on under this name until a background process has removed
     * it, and a later build in the same process must not meet it. */
    static unsigned long counter;
    unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    if (slash)
        buf_printf(&b, "%.*s/.%s.staging-%ld-%lu",
                   (int)(slash - o->final_dir), o->final_dir, slash + 1,
                   (long)getpid(), n);
    else
        buf_printf(&b, ".%s.staging-%ld-%lu", o->final_dir, (long)getpid(),
                   n);
    o->staging_dir = buf_detach(&b);
    if (slash) {
        char *parent = xstrndup(o->final_dir,
                                (size_t)(slash - o->final_dir));
        if (*parent && fs_mkdirs(parent) < 0) {
            diag_error(d, NULL, 0, 0, "cannot create %s: %s", parent,
                       strerror(errno));
            free(parent);
            return -1;
        }
        free(parent);
    }
    remove_dead_staging(o->final_dir);
    fs_remove_tree(o->staging_dir);
    o->have_old = fs_is_dir(o->final_dir);
    if (mkdir(o->staging_dir, 0755) < 0) {
        diag_error(d, NULL, 0, 0, "cannot create the staging folder %s: %s",
                   o->staging_dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Does the published folder hold rel with exactly these bytes?  Then link
 * it into staging instead of writing.  Returns 0 when linked. */
/* Is path a regular file holding exactly data[0..len)? */
static int same_bytes(const char *path, const char *data, size_t len)
{
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size != len)
        return 0;
    buf cur = BUF_INIT;
    buf_init(&cur);
    int same = fs_read_file(path, &cur) == 0 && cur.len == len &&
               memcmp(cur.data, data, len) == 0;
    buf_free(&cur);
    return same;
}

static int link_if_same(output *o, const char *rel, const char *data,
                        size_t len, const char *to)
{
    buf old = BUF_INIT;
    buf_init(&old);
    fs_join(&old, o->final_dir, rel);
    int rc = -1;
    if (same_bytes(old.data, data, len)) {
        if (link(old.data, to) == 0)
            rc = 0;
        else if (errno == ENOENT) {
            const char *slash = strrchr(to, '/');
            char *dir = xstrndup(to, (size_t)(slash - to));
            if (fs_mkdirs(dir) == 0 && link(old.data, to) == 0)
                rc = 0;
            free(dir);
        }
    }
    buf_free(&old);
    return rc;
}

/* In place: unchanged bytes are left alone; others are written beside
 * the file and renamed over it, so a reader sees the old file or the new,
 * never half of one. */
static int write_in_place(output *o, const char *rel, const char *data,
                          size_t len, diag *d)
{
    buf path = BUF_INIT, tmp = BUF_INIT;
    buf_init(&path);
    buf_init(&tmp);
    fs_join(&path, o->final_dir, rel);
    int rc = 0;
    if (same_bytes(path.data, data, len)) {
        __atomic_add_fetch(&o->unchanged, 1, __ATOMIC_RELAXED);
    } else {
        buf_printf(&tmp, "%s.tmp-%ld", path.data, (long)getpid());
        rc = fs_write_file(tmp.data, data, len);
        if (rc == 0 && rename(tmp.data, path.data) < 0) {
            rc = -1;
            unlink(tmp.data);
        }
        if (rc < 0)
            diag_error(d, NULL, 0, 0, "cannot write %s: %s", rel,
                       strerror(errno));
        else
            __atomic_add_fetch(&o->bytes, len, __ATOMIC_RELAXED);
    }
    if (rc == 0)
        __atomic_add_fetch(&o->files, 1, __ATOMIC_RELAXED);
    buf_free(&path);
    buf_free(&tmp);
    return rc;
}

void output_begin_in_place(output *o, const char *out_dir)
{
    memset(o, 0, sizeof *o);
    o->final_dir = xstrdup(out_dir);
    o->in_place = 1;
}

void output_unchanged(output *o)
{
    __atomic_add_fetch(&o->files, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&o->unchanged, 1, __ATOMIC_RELAXED);
}

void output_end_in_place(output *o)
{
    free(o->final_dir);
    o->final_dir = NULL;
}

int output_remove(output *o, const char *rel)
{
    buf path = BUF_INIT;
    buf_init(&path);
    fs_join(&path, o->final_dir, rel);
    int rc = unlink(path.data) < 0 && errno != ENOENT ? -1 : 0;
    buf_free(&path);
    return rc;
}

int output_write(output *o, const char *rel, const char *data, size_t len,
                 diag *d)
{
    if (o->in_place)
        return write_in_place(o, rel, data, len, d);
    buf path = BUF_INIT;
    buf_init(&path);
    fs_join(&path, o->staging_dir, rel);
    if (o->have_old && link_if_same(o, rel, data, len, path.data) == 0) {
        __atomic_add_fetch(&o->files, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&o->unchanged, 1, __ATOMIC_RELAXED);
        buf_free(&path);
        return 0;
    }
    int rc = fs_write_file(path.data, data, len);
    if (rc < 0)
        diag_error(d, NULL, 0, 0, "cannot write %s: %s", rel,
                   strerror(errno));
    else {
        __atomic_add_fetch(&o->files, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&o->bytes, len, __ATOMIC_RELAXED);
    }
    buf_free(&path);
    return rc;
}

int output_copy(output *o, const char *src, const char *rel, diag *d)
{
    buf data = BUF_INIT;
    buf_init(&data);
    if (fs_read_file(src, &data) < 0) {
        diag_error(d, src, 0, 0, "cannot read: %s", strerror(errno));
        buf_free(&data);
        return -1;
    }
    int rc = output_write(o, rel, data.data, data.len, d);
    buf_free(&data);
    return rc;
}

int output_copy_tree(output *o, const char *src_dir, const char *rel,
                     diag *d)
{
    size_t n;
    char **names = fs_list_dir(src_dir, &n);
    if (!names)
        return 0;
    int rc = 0;
    buf from = BUF_INIT, to = BUF_INIT;
    buf_init(&from);
    buf_init(&to);
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == '.')
            continue;
        fs_join(&from, src_dir, names[i]);
        buf_clear(&to);
        buf_printf(&to, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat st;
        if (lstat(from.data, &st) < 0 || S_ISLNK(st.st_mode))
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (output_copy_tree(o, from.data, to.data, d) < 0)
                rc = -1;
        } else if (S_ISREG(st.st_mode)) {
            if (output_copy(o, from.data, to.data, d) < 0)
                rc = -1;
        }
    }
    buf_free(&from);
    buf_free(&to);
    fs_free_list(names, n);
    return rc;
}

/* Remove a replaced output tree.  Deleting tens of thousands of files
 * takes seconds on some file systems, and nobody waits for it: the new site
 * is already in place.  So a detached grandchild process does it, and the
 * build returns at once.  (If fork fails, remove it here.) */
static void remove_in_background(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() == 0) {
            fs_remove_tree(path);
            _exit(0);
        }
        _exit(0);
    }
    if (pid < 0) {
        fs_remove_tree(path);
        return;
    }
    waitpid(pid, NULL, 0);
}

int output_commit(output *o, diag *d)
{
    if (fs_is_dir(o->final_dir)) {
        if (renameat2(AT_FDCWD, o->staging_dir, AT_FDCWD, o->final_dir,
                      RENAME_EXCHANGE) < 0) {
            /* File systems without RENAME_EXCHANGE: two renames. */
            buf old = BUF_INIT;
            buf_init(&old);
            buf_printf(&old, "%s.old", o->staging_dir);
            if (rename(o->final_dir, old.data) < 0 ||
                rename(o->staging_dir, o->final_dir) < 0) {
                diag_error(d, NULL, 0, 0, "cannot replace %s: %s",
                           o->final_dir, strerror(errno));
                buf_free(&old);
                return -1;
            }
            fs_remove_tree(old.data);
            buf_free(&old);
        } else {
            remove_in_background(o->staging_dir);
        }
    } else if (rename(o->staging_dir, o->final_dir) < 0) {
        diag_error(d, NULL, 0, 0, "cannot create %s: %s", o->final_dir,
                   strerror(errno));
        return -1;
    }
    free(o->staging_dir);
    free(o->final_dir);
    o->staging_dir = o->final_dir = NULL;
    return 0;
}

void output_abort(output *o)
{
    if (o->staging_dir)
        fs_remove_tree(o->staging_dir);
    free(o->staging_dir);
    free(o->final_dir);
    o->staging_dir = o->final_dir = NULL;
}
