/*
 * mdpar.c - Markdown for many pages at once, in worker processes.
 *
 * cmark-gfm 0.29 cannot run on two threads of one process (every parse
 * changes a process-wide table of special characters, github/cmark-gfm
 * #176), but it runs happily in two processes.  So the pages are dealt out
 * round-robin to N processes: the parent converts its share while N-1
 * forked children convert theirs and write the results (and their
 * diagnostics) to anonymous temporary files, which the parent then reads
 * back into the pages.  The output is the same as converting every page in
 * the parent: each page's result depends only on the page and the
 * read-only site model both sides share.
 *
 * If a worker cannot be started or fails, the parent converts its pages
 * itself, so this is only ever faster, never different.
 */
#define _GNU_SOURCE
#include "mdpar.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

/* ---- serialisation: lengths as u64, strings as length + bytes ---- */

static void put_u64(FILE *f, uint64_t v)
{
    fwrite(&v, sizeof v, 1, f);
}

static void put_str(FILE *f, const char *s, size_t n)
{
    put_u64(f, s ? (uint64_t)n : UINT64_MAX);
    if (s && n)
        fwrite(s, 1, n, f);
}

static int get_u64(FILE *f, uint64_t *v)
{
    return fread(v, sizeof *v, 1, f) == 1 ? 0 : -1;
}

static int get_str(FILE *f, char **s, size_t *n)
{
    uint64_t len;
    if (get_u64(f, &len) < 0)
        return -1;
    if (len == UINT64_MAX) {
        *s = NULL;
        if (n)
            *n = 0;
        return 0;
    }
    if (len > ((uint64_t)1 << 40))
        return -1;
    char *p = xmalloc((size_t)len + 1);
    if (len && fread(p, 1, (size_t)len, f) != (size_t)len) {
        free(p);
        return -1;
    }
    p[len] = '\0';
    *s = p;
    if (n)
        *n = (size_t)len;
    return 0;
}

static void put_result(FILE *f, const md_result *r)
{
    put_str(f, r->html, r->html_len);
    put_str(f, r->summary, r->summary ? strlen(r->summary) : 0);
    put_u64(f, r->word_count);
    put_u64(f, r->toc_len);
    for (size_t i = 0; i < r->toc_len; i++) {
        put_u64(f, (uint64_t)r->toc[i].level);
        put_str(f, r->toc[i].id, strlen(r->toc[i].id));
        put_str(f, r->toc[i].text, strlen(r->toc[i].text));
    }
    put_u64(f, r->nimages);
    for (size_t i = 0; i < r->nimages; i++) {
        const md_image *im = &r->images[i];
        put_str(f, im->src, strlen(im->src));
        put_str(f, im->alt, strlen(im->alt));
        put_u64(f, (uint64_t)im->width);
        put_u64(f, (uint64_t)im->height);
        put_u64(f, (uint64_t)im->decorative);
    }
}

static int get_result(FILE *f, md_result *r)
{
    uint64_t v;
    memset(r, 0, sizeof *r);
    if (get_str(f, &r->html, &r->html_len) < 0 ||
        get_str(f, &r->summary, NULL) < 0 || get_u64(f, &v) < 0)
        return -1;
    r->word_count = (size_t)v;
    if (get_u64(f, &v) < 0 || v > 1000000)
        return -1;
    r->toc_len = (size_t)v;
    r->toc = xcalloc(r->toc_len ? r->toc_len : 1, sizeof *r->toc);
    for (size_t i = 0; i < r->toc_len; i++) {
        if (get_u64(f, &v) < 0 || get_str(f, &r->toc[i].id, NULL) < 0 ||
            get_str(f, &r->toc[i].text, NULL) < 0)
            return -1;
        r->toc[i].level = (int)v;
    }
    if (get_u64(f, &v) < 0 || v > 1000000)
        return -1;
    r->nimages = (size_t)v;
    r->images = xcalloc(r->nimages ? r->nimages : 1, sizeof *r->images);
    for (size_t i = 0; i < r->nimages; i++) {
        md_image *im = &r->images[i];
        uint64_t w, h, dec;
        if (get_str(f, &im->src, NULL) < 0 || get_str(f, &im->alt, NULL) < 0 ||
            get_u64(f, &w) < 0 || get_u64(f, &h) < 0 || get_u64(f, &dec) < 0)
            return -1;
        im->width = (int)w;
        im->height = (int)h;
        im->decorative = (int)dec;
    }
    return 0;
}

static void put_diags(FILE *f, const diag *d)
{
    put_u64(f, d->len);
    for (size_t i = 0; i < d->len; i++) {
        const diag_entry *e = &d->entries[i];
        put_u64(f, (uint64_t)e->level);
        put_str(f, e->path, e->path ? strlen(e->path) : 0);
        put_u64(f, (uint64_t)e->line);
        put_u64(f, (uint64_t)e->col);
        put_str(f, e->message, strlen(e->message));
    }
}

static int get_diags(FILE *f, diag *d)
{
    uint64_t n;
    if (get_u64(f, &n) < 0 || n > 10000000)
        return -1;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t level, line, col;
        char *path, *msg;
        if (get_u64(f, &level) < 0 || get_str(f, &path, NULL) < 0)
            return -1;
        if (get_u64(f, &line) < 0 || get_u64(f, &col) < 0 ||
            get_str(f, &msg, NULL) < 0) {
            free(path);
            return -1;
        }
        diag_add(d, (diag_level)level, path, (int)line, (int)col, "%s", msg);
        free(path);
        free(msg);
    }
    return 0;
}

/* ---- the workers ---- */

typedef struct worker {
    pid_t pid;
    FILE *out;
} worker;

/* Pages of worker w: i with i % n == w (round-robin spreads long and
 * short pages evenly). */
static void convert_share(const mdpar_job *job, size_t w, size_t n, diag *d)
{
    for (size_t i = w; i < job->count; i += n)
        job->convert(job->ctx, i, d);
}

static void child_main(const mdpar_job *job, size_t w, size_t n, FILE *out)
{
    diag d;
    diag_init(&d);
    convert_share(job, w, n, &d);
    put_u64(out, 0x666f726d69646c31ULL);    /* "formidl1" */
    for (size_t i = w; i < job->count; i += n) {
        put_u64(out, i);
        put_u64(out, job->nresults);
        for (size_t k = 0; k < job->nresults; k++) {
            md_result *r = job->result(job->ctx, i, k);
            put_u64(out, r ? 1 : 0);
            if (r)
                put_result(out, r);
        }
    }
    put_u64(out, UINT64_MAX);
    put_diags(out, &d);
    int ok = fflush(out) == 0 && !ferror(out);
    _exit(ok ? 0 : 1);
}

static int read_worker(const mdpar_job *job, FILE *in, diag *d)
{
    uint64_t magic, i, nres, has;
    rewind(in);
    if (get_u64(in, &magic) < 0 || magic != 0x666f726d69646c31ULL)
        return -1;
    for (;;) {
        if (get_u64(in, &i) < 0)
            return -1;
        if (i == UINT64_MAX)
            break;
        if (i >= job->count || get_u64(in, &nres) < 0 ||
            nres != job->nresults)
            return -1;
        for (size_t k = 0; k < nres; k++) {
            if (get_u64(in, &has) < 0)
                return -1;
            if (!has)
                continue;
            md_result tmp;
            if (get_result(in, &tmp) < 0) {
                md_result_free(&tmp);
                return -1;
            }
            job->store(job->ctx, (size_t)i, k, &tmp);
        }
    }
    return get_diags(in, d);
}

void mdpar_run(const mdpar_job *job, int processes, diag *d)
{
    size_t n = processes < 1 ? 1 : (size_t)processes;
    if (n > 16)
        n = 16;
    if (n > job->count)
        n = job->count ? job->count : 1;
    worker *ws = xcalloc(n, sizeof *ws);
    fflush(NULL);   /* children must not write out the parent's buffers */
    for (size_t w = 1; w < n; w++) {
        ws[w].out = tmpfile();
        if (!ws[w].out) {
            ws[w].pid = -1;
            continue;
        }
        ws[w].pid = fork();
        if (ws[w].pid == 0)
            child_main(job, w, n, ws[w].out);
        if (ws[w].pid < 0) {
            fclose(ws[w].out);
            ws[w].out = NULL;
        }
    }
    convert_share(job, 0, n, d);
    for (size_t w = 1; w < n; w++) {
        int ok = 0;
        if (ws[w].pid > 0) {
            int status;
            while (waitpid(ws[w].pid, &status, 0) < 0 && errno == EINTR)
                ;
            ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (ok) {
                diag tmp;
                diag_init(&tmp);
                ok = read_worker(job, ws[w].out, &tmp) == 0;
                if (ok)
                    diag_merge(d, &tmp);
                diag_free(&tmp);
            }
        }
        if (ws[w].out)
            fclose(ws[w].out);
        if (!ok) {
            /* Start over in the parent for this share. */
            for (size_t i = w; i < job->count; i += n)
                job->reset(job->ctx, i);
            convert_share(job, w, n, d);
        }
    }
    free(ws);
}
