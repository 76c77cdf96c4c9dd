/*
 * par.c - a parallel for loop on POSIX threads.  See par.h.
 */
#include "par.h"

#include <pthread.h>
#include <stdlib.h>

#include "buf.h"

/* ---- parallel for ---- */

typedef struct par_ctx {
    size_t n;
    size_t next;            /* atomic */
    void (*fn)(void *arg, size_t i, int worker, diag *d);
    void *arg;
    diag *diags;            /* one per worker */
} par_ctx;

typedef struct par_worker {
    par_ctx *ctx;
    int id;
} par_worker;

static void *par_run(void *p)
{
    par_worker *w = p;
    par_ctx *c = w->ctx;
    for (;;) {
        size_t i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED);
        if (i >= c->n)
            break;
        c->fn(c->arg, i, w->id, &c->diags[w->id]);
    }
    return NULL;
}

/* Run fn(arg, i, worker, d) for i in [0, n) on `jobs` threads; worker
 * diagnostics are merged into d afterwards. */
void parallel_for(int jobs, size_t n,
                         void (*fn)(void *, size_t, int, diag *), void *arg,
                         diag *d)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    par_ctx c = {n, 0, fn, arg, xcalloc((size_t)jobs, sizeof(diag))};
    par_worker *ws = xcalloc((size_t)jobs, sizeof *ws);
    pthread_t *ts = xcalloc((size_t)jobs, sizeof *ts);
    for (int i = 0; i < jobs; i++) {
        diag_init(&c.diags[i]);
        ws[i].ctx = &c;
        ws[i].id = i;
    }
    int started = 0;
    for (int i = 1; i < jobs; i++)
        if (pthread_create(&ts[i], NULL, par_run, &ws[i]) == 0)
            started = i;
        else
            break;
    par_run(&ws[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(ts[i], NULL);
    for (int i = 0; i < jobs; i++)
        diag_merge(d, &c.diags[i]);
    free(c.diags);
    free(ws);
    free(ts);
}

