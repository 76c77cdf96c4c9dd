/*
 * serve.c - `formidl serve`: a preview server with rebuilds on change and
 * live reload.  See serve.h for the command and the process layout.
 *
 *   server process   starts the watcher, waits for its first build, then
 *                    starts libmicrohttpd (a thread per connection) and
 *                    waits for signals and build results;
 *   watcher process  builds the site, keeping the model in memory (a
 *                    build_session), then watches the sources with
 *                    inotify; after a burst of changes (quiet for 100 ms)
 *                    it rebuilds: when only Markdown pages were edited and
 *                    they keep their place in every list, only what shows
 *                    them is rendered again and written in place
 *                    (build_update, update.c); otherwise a full build.  It
 *                    sends each result (status, counts, timings, base
 *                    path, diagnostics) to the server over a pipe.
 *
 * Nothing forks after the server has threads, and the watcher has none
 * between builds: build_run forks Markdown workers and a remover for the
 * replaced tree, and a fork from a threaded process may copy a lock some
 * other thread held.  Each full build's staging folder has its own name
 * (pid and a counter), so a slow background removal of one build's old
 * tree never meets the next build's staging folder.
 *
 * Requests: the URL path is taken raw from libmicrohttpd (its unescaping
 * is replaced by one that changes nothing) and decoded here exactly once;
 * NUL, control characters, backslashes and "." or ".." segments (however
 * they were encoded) are refused with 400.  The file is then found with
 * realpath() and must lie inside the real output folder, so a symbolic
 * link out of it gives 404.
 */
#define _GNU_SOURCE
#include "serve.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "build.h"
#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "mime.h"

#define DEBOUNCE_MS 100         /* quiet time that ends a burst of changes */
#define DEBOUNCE_MAX_MS 1000    /* ... but build at least this often */
#define SSE_PING_S 15           /* comment line that keeps streams open */
#define SSE_MAX_LINES 200       /* diagnostic lines sent to the browser */
#define MSG_MAX (16u << 20)     /* largest part of a build message */

const char serve_help[] =
    "Brug: formidl serve [SITE] [TILVALG]\n"
    "\n"
    "Bygger sitet i SITE (standard: .), viser det på\n"
    "http://127.0.0.1:1313/ og bygger igen, når content/, layouts/, assets/,\n"
    "archetypes/, i18n/ eller site.yaml ændres.  Åbne sider genindlæses af\n"
    "sig selv; fejler en bygning, vises fejlene øverst på siden, og det\n"
    "sidste gode site bliver ved med at blive vist.  Ændres kun siders tekst\n"
    "(eller felter som summary og en sides title), bygges kun det, der viser\n"
    "dem; alt andet bygger hele sitet igen.\n"
    "\n"
    "Tilvalg:\n"
    "  --port N             lyt på port N (standard: 1313; 0: en ledig port)\n"
    "  --bind ADRESSE       lyt på ADRESSE (standard: 127.0.0.1)\n"
    "  -o, --output DIR     byg til DIR (standard: en midlertidig mappe, som\n"
    "                       slettes, når serveren stopper)\n"
    "  --drafts             tag kladder (draft: true) med\n"
    "  --future             tag sider med en fremtidig dato med\n"
    "  -j, --jobs N         brug N tråde (standard: antal processorer)\n"
    "  -q, --quiet          skriv kun fejl (og adressen)\n"
    "  -v, --verbose        skriv også tider og hver forespørgsel\n"
    "\n"
    "Ctrl+C stopper serveren.\n";

/* The script every HTML response gets before </body>.  It is served from
 * /__formidl/live.js rather than inlined, so a page with a
 * Content-Security-Policy of script-src 'self' still runs it. */
static const char live_js[] =
    "/* formidl serve: live reload */\n"
    "(function () {\n"
    "  if (!window.EventSource) return;\n"
    "  var me = document.currentScript;\n"
    "  var gen = me && me.getAttribute('data-gen') || '';\n"
    "  var box = null;\n"
    "  var es = new EventSource('/__formidl/events' + (gen ? '?g=' + gen : ''));\n"
    "  es.addEventListener('reload', function () {\n"
    "    es.close();\n"
    "    location.reload();\n"
    "  });\n"
    "  es.addEventListener('error', function (e) {\n"
    "    /* A failed build sends data; a lost connection does not (the\n"
    "       browser then reconnects by itself). */\n"
    "    if (typeof e.data !== 'string') return;\n"
    "    show(e.data);\n"
    "  });\n"
    "  function show(text) {\n"
    "    if (!box) {\n"
    "      box = document.createElement('div');\n"
    "      box.id = 'formidl-fejl';\n"
    "      box.setAttribute('role', 'alert');\n"
    "      var s = box.style;\n"
    "      s.position = 'fixed'; s.top = '0'; s.left = '0'; s.right = '0';\n"
    "      s.zIndex = '2147483647'; s.maxHeight = '60vh'; s.overflow = 'auto';\n"
    "      s.margin = '0'; s.padding = '1em 1.25em'; s.boxSizing = 'border-box';\n"
    "      s.background = '#fff4f4'; s.color = '#5c0000';\n"
    "      s.borderBottom = '4px solid #b00020';\n"
    "      s.boxShadow = '0 2px 8px rgba(0,0,0,.35)';\n"
    "      s.font = '14px/1.45 ui-monospace, Menlo, Consolas, monospace';\n"
    "      s.whiteSpace = 'pre-wrap'; s.textAlign = 'left';\n"
    "      document.body.appendChild(box);\n"
    "    }\n"
    "    box.textContent = '';\n"
    "    var h = document.createElement('strong');\n"
    "    h.textContent = 'formidl: bygningen fejlede \\u2013 siden viser det '\n"
    "      + 'sidste gode site';\n"
    "    box.appendChild(h);\n"
    "    box.appendChild(document.createTextNode('\\n' + text));\n"
    "  }\n"
    "})();\n";

static const char builtin_404[] =
    "<!DOCTYPE html>\n<html lang=\"da\">\n<head><meta charset=\"utf-8\">"
    "<title>Siden findes ikke</title></head>\n<body>\n"
    "<h1>Siden findes ikke</h1>\n"
    "<p>Der er ingen side på denne adresse (og sitet har ingen 404.html "
    "endnu).</p>\n</body>\n</html>\n";

typedef struct serve_opts {
    const char *site_dir;
    const char *out_arg;        /* -o, or NULL for a temporary folder */
    const char *bind;
    int port;
    int drafts, future, quiet, verbose;
    int jobs;
} serve_opts;

/* State of the server process, shared with the connection threads. */
typedef struct server {
    serve_opts o;
    char *out_dir;              /* the served folder */
    char *tmp_dir;              /* mkdtemp folder to remove, or NULL */
    char *host;                 /* for URLs: "127.0.0.1", "[::1]" */
    int port;                   /* the one actually bound */
    pthread_mutex_t lock;       /* guards what follows */
    pthread_cond_t cond;        /* signalled on every result and on stop */
    uint64_t gen;               /* builds finished */
    int ok;                     /* the last one succeeded */
    int have_good;              /* some build has succeeded */
    char *errors;               /* diagnostics of the last failed build */
    char *base_path;            /* URL path of the site: "/kerneopgave/" */
    int stopping;
} server;

/* What a build reports; followed on the pipe by base_len bytes of base
 * path and text_len bytes of printed diagnostics. */
typedef struct build_msg {
    int32_t status;
    int32_t update;             /* only what changed was rebuilt */
    uint32_t pages, files, unchanged, errors;
    double ms_total, ms_load, ms_markdown, ms_plan, ms_render;
    uint32_t base_len, text_len;
} build_msg;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int parse_now(int64_t *now)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde) {
        *now = (int64_t)time(NULL);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0)
        return -1;
    *now = (int64_t)v;
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

/* ---- building ------------------------------------------------------------ */

/* One build into sv->out_dir with base_url http://HOST:PORT<base path>.
 * base gets the base path, text the diagnostics as printed.  With a session (the watcher's), the
 * model is kept, and when only the files paths[0..n) changed, only what
 * shows them is rebuilt (build_update) if that is enough. */
static void run_build(const server *sv, build_session *ss, char *const *paths,
                      size_t npaths, build_msg *m, buf *base, buf *text)
{
    memset(m, 0, sizeof *m);
    config cfg;
    diag cd;
    diag_init(&cd);
    config_load(&cfg, sv->o.site_dir, NULL, &cd);
    buf_clear(base);
    buf_puts(base, cfg.base_path && cfg.base_path[0] == '/' ? cfg.base_path
                                                            : "/");
    config_free(&cfg);
    diag_free(&cd);

    buf url = BUF_INIT;
    buf_init(&url);
    buf_printf(&url, "http://%s:%d%s", sv->host, sv->port, base->data);
    build_options opt;
    memset(&opt, 0, sizeof opt);
    opt.site_dir = sv->o.site_dir;
    opt.out_dir = sv->out_dir;
    opt.base_url = url.data;
    opt.drafts = sv->o.drafts;
    opt.future = sv->o.future;
    opt.quiet = sv->o.quiet;
    opt.verbose = sv->o.verbose;
    opt.jobs = sv->o.jobs;
    parse_now(&opt.now);        /* checked when the options were read */

    diag d;
    diag_init(&d);
    if (strcmp(opt.site_dir, ".") && strcmp(opt.site_dir, "./")) {
        buf prefix = BUF_INIT;
        buf_init(&prefix);
        buf_puts(&prefix, opt.site_dir);
        if (prefix.data[prefix.len - 1] != '/')
            buf_putc(&prefix, '/');
        diag_set_prefix(&d, prefix.data);
        buf_free(&prefix);
    }
    build_result res;
    memset(&res, 0, sizeof res);
    int status = -1;
    if (ss && ss->ready && npaths && !strcmp(ss->base_url, url.data)) {
        status = build_update(ss, paths, npaths, &d, &res);
        m->update = status == 0;
    }
    if (status < 0)
        status = ss ? build_run_session(&opt, &d, &res, ss)
                    : build_run(&opt, &d, &res);
    m->status = status;
    m->pages = (uint32_t)res.pages;
    m->files = (uint32_t)res.files;
    m->unchanged = (uint32_t)res.unchanged;
    m->errors = (uint32_t)d.errors;
    m->ms_total = res.ms_total;
    m->ms_load = res.ms_load;
    m->ms_markdown = res.ms_markdown;
    m->ms_plan = res.ms_plan;
    m->ms_render = res.ms_render;

    buf_clear(text);
    char *printed = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&printed, &len);
    if (f) {
        diag_print(&d, f, !opt.quiet);
        fclose(f);
        buf_put(text, printed, len);
        free(printed);
    }
    diag_free(&d);
    buf_free(&url);
}

/* The site's title from site.yaml, or NULL. */
static char *site_title(const char *site_dir)
{
    config cfg;
    diag d;
    diag_init(&d);
    config_load(&cfg, site_dir, NULL, &d);
    char *t = cfg.title ? xstrdup(cfg.title) : NULL;
    config_free(&cfg);
    diag_free(&d);
    return t;
}

static int send_msg(int fd, build_msg *m, const buf *base, const buf *text)
{
    m->base_len = (uint32_t)base->len;
    m->text_len = (uint32_t)(text->len < MSG_MAX ? text->len : MSG_MAX);
    buf all = BUF_INIT;
    buf_init(&all);
    buf_put(&all, (const char *)m, sizeof *m);
    buf_put(&all, base->data, m->base_len);
    buf_put(&all, text->data, m->text_len);
    int rc = write_all(fd, all.data, all.len);
    buf_free(&all);
    return rc;
}

static int recv_msg(int fd, build_msg *m, buf *base, buf *text)
{
    if (read_all(fd, m, sizeof *m) < 0 || m->base_len > MSG_MAX ||
        m->text_len > MSG_MAX)
        return -1;
    buf_clear(base);
    buf_clear(text);
    buf_grow(base, m->base_len);
    buf_grow(text, m->text_len);
    if (read_all(fd, base->data, m->base_len) < 0 ||
        read_all(fd, text->data, m->text_len) < 0)
        return -1;
    base->len = m->base_len;
    base->data[base->len] = '\0';
    text->len = m->text_len;
    text->data[text->len] = '\0';
    if (base->len == 0 || base->data[0] != '/' ||
        base->data[base->len - 1] != '/') {
        buf_clear(base);
        buf_putc(base, '/');
    }
    return 0;
}

static void say(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fflush(f);
}

/* Print a result and make it the state the browsers see. */
static void apply_result(server *sv, const build_msg *m, const buf *base,
                         const buf *text, int initial)
{
    if (text->len) {
        fputs(text->data, stderr);
        fflush(stderr);
    }
    pthread_mutex_lock(&sv->lock);
    int had_good = sv->have_good;
    int moved = sv->base_path && strcmp(sv->base_path, base->data);
    pthread_mutex_unlock(&sv->lock);
    if (m->status == 0) {
        if (!sv->o.quiet) {
            if (initial)
                say(stdout, "Byggede %" PRIu32 " sider (%" PRIu32 " filer) på "
                    "%.0f ms\n", m->pages, m->files, m->ms_total);
            else if (m->update)
                say(stdout, "Byggede det ændrede igen på %.0f ms (%" PRIu32
                    " filer, %" PRIu32 " ændrede)\n", m->ms_total, m->files,
                    m->files - m->unchanged);
            else
                say(stdout, "Byggede igen på %.0f ms\n", m->ms_total);
        }
        if (sv->o.verbose)
            say(stderr, "tider: indlæsning %.0f ms, markdown %.0f ms, lister "
                "og relationer %.0f ms, skabeloner og skrivning %.0f ms, i "
                "alt %.0f ms\n", m->ms_load, m->ms_markdown, m->ms_plan,
                m->ms_render, m->ms_total);
        if (moved && !sv->o.quiet)
            say(stdout, "Adressen er nu http://%s:%d%s\n", sv->host, sv->port,
                base->data);
    } else {
        buf what = BUF_INIT;
        buf_init(&what);
        if (m->status == 1 && m->errors)
            buf_printf(&what, "bygningen fejlede med %" PRIu32 " fejl",
                       m->errors);
        else
            buf_puts(&what, "sitet kunne ikke bygges");
        say(stderr, "Fejl: %s (%s)\n", what.data,
            had_good ? "det sidste gode site vises stadig"
                     : "der er endnu intet godt site at vise; ret fejlen, "
                       "så bygges der igen");
        buf_free(&what);
    }
    pthread_mutex_lock(&sv->lock);
    sv->gen++;
    sv->ok = m->status == 0;
    if (sv->ok)
        sv->have_good = 1;
    free(sv->errors);
    sv->errors = sv->ok ? NULL : xstrdup(text->len ? text->data
                                          : "error: the build failed\n");
    if (!sv->base_path || strcmp(sv->base_path, base->data)) {
        free(sv->base_path);
        sv->base_path = xstrdup(base->data);
    }
    pthread_cond_broadcast(&sv->cond);
    pthread_mutex_unlock(&sv->lock);
}

/* ---- watching -------------------------------------------------------------- */

static const char *const watched_dirs[] = {
    "content", "layouts", "assets", "archetypes", "i18n", NULL
};

#define DIR_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
                  IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |   \
                  IN_MOVE_SELF | IN_ONLYDIR)
#define ROOT_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
                   IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_ONLYDIR)

typedef struct watch {
    int wd;
    char *path;
} watch;

typedef struct watcher {
    int fd;                     /* inotify */
    int root_wd;                /* the site folder: site.yaml, new folders */
    const char *site_dir;
    watch *w;
    size_t n, cap;
    int warned;
    value *changed;             /* paths changed (relative to the site) */
    int everything;             /* events were lost: rebuild it all */
} watcher;

/* Note a change of path (below the site folder). */
static void watch_note(watcher *w, const char *path)
{
    size_t n = strlen(w->site_dir);
    while (n > 1 && w->site_dir[n - 1] == '/')
        n--;
    if (!strncmp(path, w->site_dir, n) && path[n] == '/')
        path += n;
    while (*path == '/' || !strncmp(path, "./", 2))
        path += *path == '/' ? 1 : 2;
    if (!w->changed)
        w->changed = value_new_map();
    value_map_set_bool(w->changed, path, 1);
}

/* Editors' scratch files: backups, swap and lock files, vim's test file. */
static int ignored_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || name[0] == '#' || (n && name[n - 1] == '~') ||
           !strcmp(name, "4913");
}

static int is_watched_dir(const char *name)
{
    for (size_t i = 0; watched_dirs[i]; i++)
        if (!strcmp(name, watched_dirs[i]))
            return 1;
    return 0;
}

static void watch_set(watcher *w, int wd, const char *path)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->w[i].wd == wd) {
            free(w->w[i].path);
            w->w[i].path = xstrdup(path);
            return;
        }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 32;
        w->w = xrealloc(w->w, w->cap * sizeof *w->w);
    }
    w->w[w->n].wd = wd;
    w->w[w->n].path = xstrdup(path);
    w->n++;
}

static void watch_drop(watcher *w, int wd)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->w[i].wd == wd) {
            free(w->w[i].path);
            w->w[i] = w->w[--w->n];
            return;
        }
}

static const char *watch_path(const watcher *w, int wd)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->w[i].wd == wd)
            return w->w[i].path;
    return NULL;
}

/* Watch a folder and every folder below it (symbolic links below the top
 * are not followed, as the build does not follow them either). */
static void watch_tree(watcher *w, const char *path, int depth)
{
    if (depth > 64)
        return;
    int wd = inotify_add_watch(w->fd, path, DIR_MASK);
    if (wd < 0) {
        if (errno == ENOSPC && !w->warned) {
            w->warned = 1;
            say(stderr, "formidl: cannot watch every folder under %s (the "
                "limit fs.inotify.max_user_watches is reached); some "
                "changes will not start a rebuild\n", path);
        }
        return;
    }
    watch_set(w, wd, path);
    size_t n;
    char **names = fs_list_dir(path, &n);
    if (!names)
        return;
    buf child = BUF_INIT;
    buf_init(&child);
    for (size_t i = 0; i < n; i++) {
        if (ignored_name(names[i]))
            continue;
        fs_join(&child, path, names[i]);
        struct stat st;
        if (lstat(child.data, &st) == 0 && S_ISDIR(st.st_mode))
            watch_tree(w, child.data, depth + 1);
    }
    buf_free(&child);
    fs_free_list(names, n);
}

static void watch_all(watcher *w)
{
    buf p = BUF_INIT;
    buf_init(&p);
    for (size_t i = 0; watched_dirs[i]; i++) {
        fs_join(&p, w->site_dir, watched_dirs[i]);
        if (fs_is_dir(p.data))
            watch_tree(w, p.data, 0);
    }
    buf_free(&p);
}

static int watcher_init(watcher *w, const char *site_dir)
{
    memset(w, 0, sizeof *w);
    w->site_dir = site_dir;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0)
        return -1;
    w->root_wd = inotify_add_watch(w->fd, site_dir, ROOT_MASK);
    if (w->root_wd < 0) {
        close(w->fd);
        w->fd = -1;
        return -1;
    }
    watch_all(w);
    return 0;
}

static void watcher_free(watcher *w)
{
    value_free(w->changed);
    w->changed = NULL;
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i].path);
    free(w->w);
    w->w = NULL;
    w->n = w->cap = 0;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

/* Read every pending event; returns 1 when one of them matters. */
static int watch_read(watcher *w)
{
    union {
        struct inotify_event ev;
        char bytes[64 * 1024];
    } u;
    int relevant = 0;
    buf p = BUF_INIT;
    buf_init(&p);
    for (;;) {
        ssize_t n = read(w->fd, u.bytes, sizeof u.bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (char *at = u.bytes; at < u.bytes + n;) {
            struct inotify_event ev;
            memcpy(&ev, at, sizeof ev);
            const char *name = ev.len ? at + sizeof ev : "";
            at += sizeof ev + ev.len;
            if (ev.mask & IN_Q_OVERFLOW) {
                watch_all(w);
                w->everything = 1;
                relevant = 1;
                continue;
            }
            if (ev.mask & IN_IGNORED) {
                if (ev.wd != w->root_wd)
                    watch_drop(w, ev.wd);
                continue;
            }
            int new_dir = (ev.mask & IN_ISDIR) &&
                          (ev.mask & (IN_CREATE | IN_MOVED_TO));
            if (ev.wd == w->root_wd) {
                int top = *name && is_watched_dir(name);
                if (!top && strcmp(name, "site.yaml"))
                    continue;
                if (top && new_dir) {
                    fs_join(&p, w->site_dir, name);
                    watch_tree(w, p.data, 0);
                }
                watch_note(w, name);
                relevant = 1;
                continue;
            }
            const char *dir = watch_path(w, ev.wd);
            if (!dir || (*name && ignored_name(name)))
                continue;
            if (*name && new_dir) {
                fs_join(&p, dir, name);
                watch_tree(w, p.data, 1);
            }
            if (*name) {
                fs_join(&p, dir, name);
                watch_note(w, p.data);
            } else {
                watch_note(w, dir);
            }
            relevant = 1;
        }
    }
    buf_free(&p);
    return relevant;
}

/* Drain a signalfd; returns 1 if a signal that stops us came. */
static int stop_signal(int sfd)
{
    struct signalfd_siginfo si;
    int stop = 0;
    while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
        if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
            si.ssi_signo == SIGHUP)
            stop = 1;
    return stop;
}

/* One build in the watcher, keeping its model in ss: the changes noted
 * since the last one decide between an update and a full build. */
static void build_here(server *sv, build_session *ss, watcher *w, int msg_fd)
{
    size_t n = 0;
    char **paths = NULL;
    if (w->changed && !w->everything) {
        n = w->changed->as.map.len;
        paths = w->changed->as.map.keys;
    }
    build_msg m;
    buf base = BUF_INIT, text = BUF_INIT;
    buf_init(&base);
    buf_init(&text);
    run_build(sv, ss, paths, n, &m, &base, &text);
    value_free(w->changed);
    w->changed = NULL;
    w->everything = 0;
    send_msg(msg_fd, &m, &base, &text);
    buf_free(&base);
    buf_free(&text);
}

/* The watcher process: builds the site first, then again after each burst
 * of changes; never returns. */
__attribute__((noreturn))
static void watcher_main(server *sv, watcher *w, int msg_fd, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        exit(0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    build_session ss;
    build_session_init(&ss);
    build_here(sv, &ss, w, msg_fd);
    int pending = 0;
    double first = 0, last = 0;
    for (;;) {
        int timeout = -1;
        if (pending) {
            double due = last + DEBOUNCE_MS;
            if (first + DEBOUNCE_MAX_MS < due)
                due = first + DEBOUNCE_MAX_MS;
            double left = due - now_ms();
            timeout = left > 0 ? (int)left + 1 : 0;
        }
        struct pollfd pf[2] = {{w->fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        int r = poll(pf, 2, timeout);
        if (r < 0 && errno != EINTR)
            break;
        if ((pf[1].revents & POLLIN) && stop_signal(sfd))
            break;
        if ((pf[0].revents & POLLIN) && watch_read(w)) {
            double t = now_ms();
            if (!pending)
                first = t;
            pending = 1;
            last = t;
        }
        if (pending) {
            double t = now_ms();
            if (t - last >= DEBOUNCE_MS || t - first >= DEBOUNCE_MAX_MS) {
                pending = 0;
                build_here(sv, &ss, w, msg_fd);
            }
        }
    }
    build_session_free(&ss);
    close(sfd);
    close(msg_fd);
    watcher_free(w);
    exit(0);
}

/* ---- HTTP ------------------------------------------------------------------ */

/* libmicrohttpd would percent-decode the path before we see it; this
 * leaves it as sent, so it is decoded once, here, where it is checked. */
static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode a raw URL path once.  Returns 0, or -1 for a path that is not
 * absolute, has a bad escape, a NUL or other control character, a
 * backslash, or a "." or ".." segment (in any encoding). */
static int decode_path(const char *raw, buf *out)
{
    buf_clear(out);
    if (raw[0] != '/')
        return -1;
    for (const char *p = raw; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '%') {
            int h = hexval((unsigned char)p[1]);
            int l = h >= 0 ? hexval((unsigned char)p[2]) : -1;
            if (l < 0)
                return -1;
            ch = (unsigned char)(h * 16 + l);
            p += 2;
        }
        if (ch < 0x20 || ch == 0x7f || ch == '\\')
            return -1;
        buf_putc(out, ch);
    }
    const char *s = out->data;
    while (*s) {
        while (*s == '/')
            s++;
        size_t n = strcspn(s, "/");
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return -1;
        s += n;
    }
    return 0;
}

/* Percent-encode a decoded path for a Location header, with runs of '/'
 * made one (so "//host" can never leave the site). */
static void encode_path(const char *path, buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_clear(out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '/' && out->len && out->data[out->len - 1] == '/')
            continue;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~!$&'()*+,;=:@", *p)) {
            buf_putc(out, *p);
        } else {
            buf_putc(out, '%');
            buf_putc(out, hex[*p >> 4]);
            buf_putc(out, hex[*p & 15]);
        }
    }
}

/* Is a (resolved) equal to root or inside it? */
static int within(const char *a, const char *root)
{
    size_t n = strlen(root);
    return !strncmp(a, root, n) && (a[n] == '\0' || a[n] == '/');
}

static const char *content_type(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (!strcmp(b, "feed.xml") || !strcmp(b, "podcast.xml"))
        return "application/rss+xml; charset=utf-8";
    if (!strcmp(b, "atom.xml"))
        return "application/atom+xml; charset=utf-8";
    return mime_type(path);
}

/* Insert the live-reload script before the last </body> (or at the end). */
static void inject_script(buf *out, const char *html, size_t len,
                          uint64_t gen)
{
    size_t at = len;
    for (size_t i = len >= 6 ? len - 5 : 0; i-- > 0;)
        if (!strncasecmp(html + i, "</body", 6)) {
            at = i;
            break;
        }
    buf_put(out, html, at);
    buf_printf(out, "<script src=\"/__formidl/live.js\" data-gen=\"%" PRIu64
               "\"></script>\n", gen);
    buf_put(out, html + at, len - at);
}

/* Parse "bytes=a-b", "bytes=a-", "bytes=-n" against size.  Returns 1 with
 * the inclusive range, 0 when the header is to be ignored (another unit,
 * several ranges, bad syntax), -1 when it cannot be satisfied. */
static int parse_range(const char *h, uint64_t size, uint64_t *start,
                       uint64_t *end)
{
    if (strncasecmp(h, "bytes=", 6))
        return 0;
    const char *p = h + 6;
    while (*p == ' ')
        p++;
    if (strchr(p, ','))
        return 0;
    uint64_t a = 0, b = 0;
    int have_a = 0, have_b = 0;
    for (; *p >= '0' && *p <= '9'; p++, have_a = 1) {
        if (a > (UINT64_MAX - 9) / 10)
            return 0;
        a = a * 10 + (uint64_t)(*p - '0');
    }
    if (*p++ != '-')
        return 0;
    for (; *p >= '0' && *p <= '9'; p++, have_b = 1) {
        if (b > (UINT64_MAX - 9) / 10)
            return 0;
        b = b * 10 + (uint64_t)(*p - '0');
    }
    while (*p == ' ')
        p++;
    if (*p || (!have_a && !have_b))
        return 0;
    if (!have_a) {              /* the last b bytes */
        if (b == 0 || size == 0)
            return -1;
        *start = b >= size ? 0 : size - b;
        *end = size - 1;
        return 1;
    }
    if (have_b && b < a)
        return 0;
    if (a >= size)
        return -1;
    *start = a;
    *end = have_b && b < size ? b : size - 1;
    return 1;
}

static void http_date(time_t t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
                                   "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
             tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
}

static void log_request(const server *sv, const char *method, const char *url,
                        unsigned status)
{
    if (!sv->o.verbose)
        return;
    buf b = BUF_INIT;
    buf_init(&b);
    for (const char *p = url; *p && b.len < 300; p++)
        buf_putc(&b, *p > 0x20 && *p < 0x7f ? *p : '?');
    say(stderr, "%s %s %u\n", method, b.data, status);
    buf_free(&b);
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status,
                             struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status,
                                  const char *type, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (status == 405)
        MHD_add_response_header(r, "Allow", "GET, HEAD");
    return queue(c, status, r);
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *location)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Location", location);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    return queue(c, 302, r);
}

/* Serve the regular file at real (resolved, inside the output) with
 * status 200 (ranges honoured) or 404.  Returns 1 when a response was
 * queued (*rc holds MHD's answer), 0 when the file cannot be opened. */
static int serve_file(struct MHD_Connection *c, const char *real,
                      unsigned status, uint64_t gen, enum MHD_Result *rc,
                      unsigned *sent)
{
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    const char *type = content_type(real);
    int html = !strncmp(type, "text/html", 9);
    buf body = BUF_INIT;
    buf_init(&body);
    uint64_t size = (uint64_t)st.st_size;
    if (html) {
        buf raw = BUF_INIT;
        buf_init(&raw);
        int ok = fs_read_file(real, &raw) == 0;
        close(fd);
        fd = -1;
        if (!ok) {
            buf_free(&raw);
            return 0;
        }
        inject_script(&body, raw.data, raw.len, gen);
        buf_free(&raw);
        size = body.len;
    }
    char modified[64] = "";
    if (!html)
        http_date(st.st_mtime, modified, sizeof modified);

    uint64_t start = 0, end = size ? size - 1 : 0;
    int ranged = 0;
    char crange[96];
    const char *rh = status == 200 ? MHD_lookup_connection_value(
                                         c, MHD_HEADER_KIND, "Range")
                                   : NULL;
    const char *if_range =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Range");
    if (rh && (!if_range || (*modified && !strcmp(if_range, modified)))) {
        int pr = parse_range(rh, size, &start, &end);
        if (pr < 0) {
            if (fd >= 0)
                close(fd);
            buf_free(&body);
            struct MHD_Response *r = MHD_create_response_from_buffer(
                0, (void *)"", MHD_RESPMEM_PERSISTENT);
            if (!r) {
                *rc = MHD_NO;
                return 1;
            }
            snprintf(crange, sizeof crange, "bytes */%" PRIu64, size);
            MHD_add_response_header(r, "Content-Range", crange);
            MHD_add_response_header(r, "Accept-Ranges", "bytes");
            *sent = 416;
            *rc = queue(c, 416, r);
            return 1;
        }
        if (pr > 0) {
            ranged = 1;
            status = 206;
            snprintf(crange, sizeof crange,
                     "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, start, end,
                     size);
        }
    }
    uint64_t len = size ? end - start + 1 : 0;
    struct MHD_Response *r;
    if (fd < 0 || len == 0) {
        r = MHD_create_response_from_buffer(
            (size_t)len, html ? body.data + start : (char *)"",
            MHD_RESPMEM_MUST_COPY);
        if (fd >= 0)
            close(fd);
    } else {
        /* libmicrohttpd closes fd when the response is destroyed */
        r = MHD_create_response_from_fd_at_offset64(len, fd, start);
        if (!r)
            close(fd);
    }
    buf_free(&body);
    if (!r) {
        *rc = MHD_NO;
        return 1;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Accept-Ranges", "bytes");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (*modified)
        MHD_add_response_header(r, "Last-Modified", modified);
    if (ranged)
        MHD_add_response_header(r, "Content-Range", crange);
    *sent = status;
    *rc = queue(c, status, r);
    return 1;
}

/* Resolve rel below root; the real path (malloc'ed) when it exists and
 * lies inside root, else NULL. */
static char *resolve_inside(const char *root, const char *rel)
{
    buf p = BUF_INIT;
    buf_init(&p);
    fs_join(&p, root, rel);
    char *real = realpath(p.data, NULL);
    buf_free(&p);
    if (real && !within(real, root)) {
        free(real);
        real = NULL;
    }
    return real;
}

static enum MHD_Result not_found(struct MHD_Connection *c, const char *root,
                                 uint64_t gen, unsigned *sent)
{
    enum MHD_Result rc;
    if (root) {
        char *real = resolve_inside(root, "404.html");
        int done = real && serve_file(c, real, 404, gen, &rc, sent);
        free(real);
        if (done)
            return rc;
    }
    buf body = BUF_INIT;
    buf_init(&body);
    inject_script(&body, builtin_404, strlen(builtin_404), gen);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        body.len, body.data, MHD_RESPMEM_MUST_COPY);
    buf_free(&body);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    *sent = 404;
    return queue(c, 404, r);
}

static enum MHD_Result serve_site(server *sv, struct MHD_Connection *c,
                                  const char *path, unsigned *sent)
{
    pthread_mutex_lock(&sv->lock);
    uint64_t gen = sv->gen;     /* before the file is read: see live_js */
    char *base_raw = xstrdup(sv->base_path ? sv->base_path : "/");
    pthread_mutex_unlock(&sv->lock);
    buf base = BUF_INIT, loc = BUF_INIT;
    buf_init(&base);
    buf_init(&loc);
    if (decode_path(base_raw, &base) < 0) {
        buf_clear(&base);
        buf_puts(&base, base_raw);
    }
    char *root = realpath(sv->out_dir, NULL);
    enum MHD_Result rc;
    size_t bl = base.len;
    if (strncmp(path, base.data, bl)) {
        if (bl > 1 && strlen(path) == bl - 1 && !strncmp(path, base.data, bl - 1)) {
            *sent = 302;
            rc = redirect(c, base_raw);
        } else if (!strcmp(path, "/")) {
            *sent = 302;        /* the site lives below a path */
            rc = redirect(c, base_raw);
        } else {
            rc = not_found(c, root, gen, sent);
        }
        goto done;
    }
    char *real = root ? resolve_inside(root, path + bl) : NULL;
    struct stat st;
    if (!real || stat(real, &st) < 0) {
        rc = not_found(c, root, gen, sent);
        free(real);
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        if (path[strlen(path) - 1] != '/') {
            encode_path(path, &loc);
            buf_putc(&loc, '/');
            *sent = 302;
            rc = redirect(c, loc.data);
            free(real);
            goto done;
        }
        buf p = BUF_INIT;
        buf_init(&p);
        fs_join(&p, path + bl, "index.html");
        char *index = resolve_inside(root, p.data);
        buf_free(&p);
        free(real);
        real = index;
    }
    if (!real || !serve_file(c, real, 200, gen, &rc, sent))
        rc = not_found(c, root, gen, sent);
    free(real);
done:
    free(root);
    free(base_raw);
    buf_free(&base);
    buf_free(&loc);
    return rc;
}

/* ---- Server-Sent Events ------------------------------------------------------ */

typedef struct sse_client {
    server *sv;
    uint64_t seen;              /* the generation this client knows */
    long long page_gen;         /* ?g= of the page, -1 if none */
    int started;
    buf out;                    /* what is still to be sent */
    size_t off;
} sse_client;

static void sse_event(buf *b, const char *event, const char *data)
{
    buf_printf(b, "event: %s\n", event);
    const char *p = data;
    int lines = 0;
    for (;;) {
        size_t n = strcspn(p, "\n");
        size_t k = n && p[n - 1] == '\r' ? n - 1 : n;
        buf_puts(b, "data: ");
        buf_put(b, p, k);
        buf_putc(b, '\n');
        p += n;
        if (*p)
            p++;
        if (!*p)
            break;
        if (++lines == SSE_MAX_LINES) {
            buf_puts(b, "data: …\n");
            break;
        }
    }
    buf_putc(b, '\n');
}

/* The state as an event for a client (the caller holds the lock). */
static void sse_state(const server *sv, buf *b)
{
    if (sv->ok) {
        buf gen = BUF_INIT;
        buf_init(&gen);
        buf_printf(&gen, "%" PRIu64, sv->gen);
        sse_event(b, "reload", gen.data);
        buf_free(&gen);
    } else {
        sse_event(b, "error", sv->errors ? sv->errors : "");
    }
}

static ssize_t sse_read(void *cls, uint64_t pos, char *dst, size_t max)
{
    (void)pos;
    sse_client *cl = cls;
    server *sv = cl->sv;
    if (cl->off >= cl->out.len) {
        buf_clear(&cl->out);
        cl->off = 0;
        pthread_mutex_lock(&sv->lock);
        if (sv->stopping) {
            pthread_mutex_unlock(&sv->lock);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (!cl->started) {
            cl->started = 1;
            buf_puts(&cl->out, "retry: 1000\n: formidl serve\n\n");
            /* A failed build is shown at once; a page older than the last
             * build (or a build since the request came) is reloaded. */
            if (!sv->ok || sv->gen != cl->seen ||
                (cl->page_gen >= 0 && (uint64_t)cl->page_gen < sv->gen))
                sse_state(sv, &cl->out);
            cl->seen = sv->gen;
        } else {
            while (!sv->stopping && sv->gen == cl->seen) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                ts.tv_sec += SSE_PING_S;
                if (pthread_cond_timedwait(&sv->cond, &sv->lock, &ts) ==
                    ETIMEDOUT)
                    break;
            }
            if (sv->stopping) {
                pthread_mutex_unlock(&sv->lock);
                return MHD_CONTENT_READER_END_OF_STREAM;
            }
            if (sv->gen != cl->seen) {
                cl->seen = sv->gen;
                sse_state(sv, &cl->out);
            } else {
                buf_puts(&cl->out, ": ping\n\n");
            }
        }
        pthread_mutex_unlock(&sv->lock);
    }
    size_t n = cl->out.len - cl->off;
    if (n > max)
        n = max;
    memcpy(dst, cl->out.data + cl->off, n);
    cl->off += n;
    return (ssize_t)n;
}

static void sse_free(void *cls)
{
    sse_client *cl = cls;
    buf_free(&cl->out);
    free(cl);
}

static enum MHD_Result serve_events(server *sv, struct MHD_Connection *c)
{
    sse_client *cl = xcalloc(1, sizeof *cl);
    cl->sv = sv;
    cl->page_gen = -1;
    buf_init(&cl->out);
    pthread_mutex_lock(&sv->lock);
    cl->seen = sv->gen;
    pthread_mutex_unlock(&sv->lock);
    const char *g = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "g");
    if (g && *g && strlen(g) < 19 && strspn(g, "0123456789") == strlen(g))
        cl->page_gen = strtoll(g, NULL, 10);
    struct MHD_Response *r = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, 16 * 1024, sse_read, cl, sse_free);
    if (!r) {
        sse_free(cl);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type",
                            "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    return queue(c, 200, r);
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *c,
                                      const char *url, const char *method,
                                      const char *version,
                                      const char *upload_data,
                                      size_t *upload_data_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    server *sv = cls;
    /* The first call only announces the request; answering it then would
     * make libmicrohttpd close the connection (a body might follow). */
    static int seen;
    if (!*con_cls) {
        *con_cls = &seen;
        return MHD_YES;
    }
    if (*upload_data_size) {    /* a body nobody asked for: skip it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    unsigned sent = 0;
    enum MHD_Result rc;
    buf path = BUF_INIT;
    buf_init(&path);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        sent = 405;
        rc = reply_text(c, 405, "text/plain; charset=utf-8",
                        "405 Kun GET og HEAD\n");
    } else if (decode_path(url, &path) < 0) {
        sent = 400;
        rc = reply_text(c, 400, "text/plain; charset=utf-8",
                        "400 Ugyldig adresse\n");
    } else if (!strcmp(path.data, "/__formidl/events")) {
        sent = 200;
        rc = serve_events(sv, c);
    } else if (!strcmp(path.data, "/__formidl/live.js")) {
        sent = 200;
        rc = reply_text(c, 200, "text/javascript; charset=utf-8", live_js);
    } else {
        rc = serve_site(sv, c, path.data, &sent);
    }
    log_request(sv, method, url, sent);
    buf_free(&path);
    return rc;
}

/* ---- the command --------------------------------------------------------------- */

static int serve_usage(const char *fmt, const char *arg)
{
    fputs("formidl: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nSkriv \"formidl serve --help\" for at se, hvordan formidl serve "
          "bruges.\n", stderr);
    return 2;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, serve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 1313;
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = procs > 0 ? (int)(procs > 64 ? 64 : procs) : 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(serve_help, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return serve_usage("%s needs a folder", a);
            o->out_arg = argv[i];
        } else if (!strncmp(a, "--output=", 9)) {
            o->out_arg = a + 9;
        } else if (!strcmp(a, "--bind")) {
            if (++i >= argc)
                return serve_usage("%s needs an address", a);
            o->bind = argv[i];
        } else if (!strncmp(a, "--bind=", 7)) {
            o->bind = a + 7;
        } else if (!strcmp(a, "--port") || !strncmp(a, "--port=", 7)) {
            if (a[6] == '=')
                val = a + 7;
            else if (++i >= argc)
                return serve_usage("%s needs a number", a);
            else
                val = argv[i];
            char *end;
            errno = 0;
            long v = strtol(val, &end, 10);
            if (!*val || *end || errno || v < 0 || v > 65535)
                return serve_usage("--port needs a number from 0 to 65535, "
                                   "not \"%s\"", val);
            o->port = (int)v;
        } else if (!strcmp(a, "--drafts")) {
            o->drafts = 1;
        } else if (!strcmp(a, "--future")) {
            o->future = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs") ||
                   !strncmp(a, "-j", 2)) {
            const char *n = a[1] == 'j' && a[2] ? a + 2 : NULL;
            if (!n) {
                if (++i >= argc)
                    return serve_usage("%s needs a number", a);
                n = argv[i];
            }
            char *end;
            long v = strtol(n, &end, 10);
            if (!*n || *end || v < 1 || v > 256)
                return serve_usage("-j needs a number from 1 to 256, not "
                                   "\"%s\"", n);
            o->jobs = (int)v;
        } else if (!strcmp(a, "--base-url") || !strncmp(a, "--base-url=", 11)) {
            return serve_usage("%s cannot be used with serve: the address is "
                               "http://BIND:PORT/ and the path of base_url",
                               "--base-url");
        } else if (a[0] == '-' && a[1]) {
            return serve_usage("unknown option \"%s\"", a);
        } else if (!o->site_dir) {
            o->site_dir = a;
        } else {
            return serve_usage("unexpected argument \"%s\"", a);
        }
    }
    if (o->quiet && o->verbose)
        return serve_usage("%s-q and -v cannot be used together", "");
    int64_t now;
    if (parse_now(&now) < 0)
        return serve_usage("SOURCE_DATE_EPOCH must be a whole number of "
                           "seconds, not \"%s\"", getenv("SOURCE_DATE_EPOCH"));
    if (!o->site_dir)
        o->site_dir = ".";
    return -1;
}

/* Bind and listen.  Returns the socket, or -1 after a message (*status
 * says 2 for an address that is not one, 3 when it cannot be used). */
static int open_listener(server *sv, int *status)
{
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char port[16];
    snprintf(port, sizeof port, "%d", sv->o.port);
    /* Addresses only (no name lookups), and "localhost". */
    const char *addr = sv->o.bind;
    if (!strcmp(addr, "localhost"))
        addr = "127.0.0.1";
    buf a = BUF_INIT;
    buf_init(&a);
    size_t al = strlen(addr);
    if (al > 2 && addr[0] == '[' && addr[al - 1] == ']')
        buf_put(&a, addr + 1, al - 2);  /* "[::1]" */
    else
        buf_puts(&a, addr);
    hints.ai_flags |= AI_NUMERICHOST;
    int e = getaddrinfo(a.data, port, &hints, &ai);
    buf_free(&a);
    if (e || !ai) {
        *status = serve_usage("cannot use \"%s\" as the address to listen "
                              "on", sv->o.bind);
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
        listen(fd, 64) < 0) {
        int err = errno;
        fprintf(stderr, "formidl: cannot listen on %s port %d: %s%s\n",
                sv->o.bind, sv->o.port, strerror(err),
                err == EADDRINUSE ? " (choose another with --port)" : "");
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        *status = 3;
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    sv->port = sv->o.port;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            sv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            sv->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    buf h = BUF_INIT;
    buf_init(&h);
    if (!strcmp(sv->o.bind, "0.0.0.0") || !strcmp(sv->o.bind, "::") ||
        !strcmp(sv->o.bind, "[::]"))
        buf_puts(&h, "localhost");
    else if (strchr(sv->o.bind, ':') && sv->o.bind[0] != '[')
        buf_printf(&h, "[%s]", sv->o.bind);
    else
        buf_puts(&h, sv->o.bind);
    sv->host = buf_detach(&h);
    return fd;
}

/* Remove the temporary output; a build's background remover may still be
 * emptying an old tree in it, so try again for a moment. */
static void remove_tmp(const char *dir)
{
    struct stat st;
    for (int i = 0; i < 100 && lstat(dir, &st) == 0; i++) {
        if (fs_remove_tree(dir) == 0)
            break;
        sleep_ms(20);
    }
}

static void stop_watcher(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 150; i++) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int cmd_serve(int argc, char **argv)
{
    server sv;
    memset(&sv, 0, sizeof sv);
    int status = parse_args(argc, argv, &sv.o);
    if (status >= 0)
        return status;

    /* Signals are read from a signalfd; every thread and child starts with
     * them blocked (the build processes unblock them). */
    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigaddset(&stop_set, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop_set, NULL);
    struct sigaction ign, old_pipe;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old_pipe);

    int lfd = -1, sfd = -1, msg[2] = {-1, -1};
    pid_t watcher_pid = -1;
    struct MHD_Daemon *daemon = NULL;
    watcher w;
    memset(&w, 0, sizeof w);
    w.fd = -1;
    char *title = NULL;
    buf base = BUF_INIT, text = BUF_INIT, tmp = BUF_INIT;
    buf_init(&base);
    buf_init(&text);
    buf_init(&tmp);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sv.cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&sv.lock, NULL);

    lfd = open_listener(&sv, &status);
    if (lfd < 0)
        goto out;
    if (sv.o.out_arg) {
        buf_puts(&tmp, sv.o.out_arg);
        while (tmp.len > 1 && tmp.data[tmp.len - 1] == '/')
            tmp.data[--tmp.len] = '\0';
        sv.out_dir = buf_detach(&tmp);
    } else {
        const char *t = getenv("TMPDIR");
        buf_printf(&tmp, "%s/formidl-serve-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmp.data)) {
            fprintf(stderr, "formidl: cannot create a temporary folder in "
                    "%s: %s\n", t && *t ? t : "/tmp", strerror(errno));
            status = 3;
            goto out;
        }
        sv.tmp_dir = buf_detach(&tmp);
        buf_printf(&tmp, "%s/public", sv.tmp_dir);
        sv.out_dir = buf_detach(&tmp);
    }
    fs_join(&tmp, sv.o.site_dir, "site.yaml");
    int no_site = !fs_is_file(tmp.data);
    buf_clear(&tmp);
    /* Watch before the first build, so a change made during it is seen. */
    if (!no_site && watcher_init(&w, sv.o.site_dir) < 0)
        fprintf(stderr, "formidl: cannot watch %s for changes (%s); the "
                "site will not be rebuilt\n", sv.o.site_dir, strerror(errno));

    sfd = signalfd(-1, &stop_set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (pipe2(msg, O_CLOEXEC) < 0) {
        fprintf(stderr, "formidl: pipe: %s\n", strerror(errno));
        status = 3;
        goto out;
    }
    /* The watcher makes the first build too, so it keeps the model for
     * the updates that follow; without a watcher, build here. */
    build_msg m;
    if (w.fd >= 0) {
        fflush(NULL);
        pid_t parent = getpid();
        watcher_pid = fork();
        if (watcher_pid == 0) {
            close(lfd);
            close(msg[0]);
            if (sfd >= 0)
                close(sfd);
            watcher_main(&sv, &w, msg[1], parent);
        }
        if (watcher_pid < 0)
            fprintf(stderr, "formidl: cannot start the watcher (%s); the "
                    "site will not be rebuilt\n", strerror(errno));
        watcher_free(&w);
    }
    close(msg[1]);
    msg[1] = -1;
    if (watcher_pid > 0) {
        for (;;) {
            struct pollfd pf[2] = {{sfd, POLLIN, 0}, {msg[0], POLLIN, 0}};
            if (poll(pf, 2, -1) < 0 && errno != EINTR)
                break;
            if ((pf[0].revents & POLLIN) && stop_signal(sfd)) {
                status = 0;         /* Ctrl+C during the first build */
                goto out;
            }
            if (pf[1].revents & (POLLIN | POLLHUP | POLLERR))
                break;
        }
        if (recv_msg(msg[0], &m, &base, &text) < 0) {
            fprintf(stderr, "formidl: the first build stopped "
                    "unexpectedly\n");
            status = 3;
            goto out;
        }
    } else {
        close(msg[0]);
        msg[0] = -1;
        run_build(&sv, NULL, NULL, 0, &m, &base, &text);
    }
    title = site_title(sv.o.site_dir);
    if (m.status == 2 || m.status == 3 || (m.status != 0 && no_site)) {
        /* wrong use, or nothing that could become a site: stop here */
        fputs(text.data, stderr);
        status = m.status;
        goto out;
    }
    apply_result(&sv, &m, &base, &text, 1);
    if (sfd >= 0 && stop_signal(sfd)) {      /* Ctrl+C during the build */
        status = 0;
        goto out;
    }

    daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD |
            (sv.o.verbose ? MHD_USE_ERROR_LOG : 0),
        0, NULL, NULL, handle_request, &sv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
        MHD_OPTION_END);
    if (!daemon) {
        fprintf(stderr, "formidl: cannot start the web server on %s port "
                "%d\n", sv.o.bind, sv.port);
        status = 3;
        goto out;
    }
    lfd = -1;       /* the daemon's now */
    pthread_mutex_lock(&sv.lock);
    say(stdout, "Serverer %s%s%s på http://%s:%d%s (Ctrl+C stopper)\n",
        title ? "\"" : "", title ? title : sv.o.site_dir, title ? "\"" : "",
        sv.host, sv.port, sv.base_path);
    pthread_mutex_unlock(&sv.lock);

    status = 0;
    for (;;) {
        struct pollfd pf[2] = {{sfd, POLLIN, 0}, {msg[0], POLLIN, 0}};
        int r = poll(pf, msg[0] >= 0 ? 2 : 1, -1);
        if (r < 0 && errno != EINTR)
            break;
        if ((pf[0].revents & POLLIN) && stop_signal(sfd))
            break;
        if (msg[0] >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (recv_msg(msg[0], &m, &base, &text) == 0) {
                apply_result(&sv, &m, &base, &text, 0);
            } else {
                say(stderr, "Fejl: ændringer følges ikke længere (det sidste "
                    "gode site vises stadig)\n");
                close(msg[0]);
                msg[0] = -1;
            }
        }
    }

out:
    pthread_mutex_lock(&sv.lock);
    sv.stopping = 1;
    pthread_cond_broadcast(&sv.cond);
    pthread_mutex_unlock(&sv.lock);
    if (daemon)
        MHD_stop_daemon(daemon);
    stop_watcher(watcher_pid);
    if (sv.tmp_dir)
        remove_tmp(sv.tmp_dir);
    if (lfd >= 0)
        close(lfd);
    if (sfd >= 0)
        close(sfd);
    if (msg[0] >= 0)
        close(msg[0]);
    if (msg[1] >= 0)
        close(msg[1]);
    watcher_free(&w);
    pthread_mutex_destroy(&sv.lock);
    pthread_cond_destroy(&sv.cond);
    free(sv.out_dir);
    free(sv.tmp_dir);
    free(sv.host);
    free(sv.errors);
    free(sv.base_path);
    free(title);
    buf_free(&base);
    buf_free(&text);
    buf_free(&tmp);
    /* The stop signals stay blocked: one more Ctrl+C arriving now must not
     * turn a clean stop into death by signal.  main() returns next. */
    sigaction(SIGPIPE, &old_pipe, NULL);
    return status;
}
