/*
 * mdpar.h - convert the Markdown of many pages in parallel worker
 * processes (cmark-gfm is not thread-safe; see mdpar.c).
 */
#ifndef FORMIDL_MDPAR_H
#define FORMIDL_MDPAR_H

#include <stddef.h>

#include "diag.h"
#include "markdown.h"

typedef struct mdpar_job {
    size_t count;       /* items 0..count-1 */
    size_t nresults;    /* md_results per item (body, transcript, ...) */
    void *ctx;
    /* Convert item i, filling its results (in this process). */
    void (*convert)(void *ctx, size_t i, diag *d);
    /* Result k of item i, or NULL when that item has none. */
    md_result *(*result)(void *ctx, size_t i, size_t k);
    /* Take over r (moved, not copied) as result k of item i. */
    void (*store)(void *ctx, size_t i, size_t k, md_result *r);
    /* Forget item i's results (before converting it again). */
    void (*reset)(void *ctx, size_t i);
} mdpar_job;

/* Convert every item, spread over up to `processes` processes. */
void mdpar_run(const mdpar_job *job, int processes, diag *d);

#endif
