/*
 * par.h - run a function over 0..n-1 on several threads.
 *
 * Work is handed out one index at a time from an atomic counter, so slow
 * items do not hold up a whole share.  Each worker gets its own diag list;
 * they are merged into the caller's list afterwards (diag_print sorts, so
 * the order of merging does not show).  The caller's thread is worker 0.
 */
#ifndef FORMIDL_PAR_H
#define FORMIDL_PAR_H

#include <stddef.h>

#include "diag.h"

typedef void (*par_fn)(void *arg, size_t i, int worker, diag *d);

/* Run fn(arg, i, worker, d) for every i in [0, n) on up to `jobs`
 * threads; worker is 0..jobs-1 (for per-worker scratch space). */
void parallel_for(int jobs, size_t n, par_fn fn, void *arg, diag *d);

#endif
