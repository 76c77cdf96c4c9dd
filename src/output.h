/*
 * output.h - the output folder: safety checks, staging and atomic swap.
 *
 * A build never writes into the published folder directly.  It writes a
 * complete new tree into a staging folder beside it (same file system),
 * then exchanges the two with one renameat2(RENAME_EXCHANGE) call and
 * removes the old tree.  A build that fails before the swap removes its
 * staging folder and leaves the published output exactly as it was.
 */
#ifndef FORMIDL_OUTPUT_H
#define FORMIDL_OUTPUT_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct output {
    char *final_dir;        /* the published folder, as given */
    char *staging_dir;      /* where this build writes */
    size_t files;           /* files written */
    size_t unchanged;       /* of those, linked from the old output */
    size_t bytes;
    int have_old;           /* final_dir exists: compare against it */
    int in_place;           /* write into final_dir itself (serve) */
} output;

/* Refuse output folders that would destroy the site or worse: the site
 * folder itself or any folder above it, content/, layouts/, assets/ or
 * anything inside them, "/", $HOME, and existing folders that hold a
 * site.yaml or .git.  Returns 0, or -1 with the reason in d. */
int output_check_dir(const char *out_dir, const char *site_dir, diag *d);

/* Create a fresh staging folder next to out_dir. */
int output_begin(output *o, const char *out_dir, diag *d);

/* Write a file at rel (a normalised relative path) in the staging folder.
 * When the published folder already holds a file there with exactly these
 * bytes, it is hard-linked instead of written, so an unchanged file keeps
 * its inode and modification time (rsync and HTTP caches see no change).
 * Thread-safe (distinct paths). */
int output_write(output *o, const char *rel, const char *data, size_t len,
                 diag *d);

/* Copy the file at src into rel in the staging folder. */
int output_copy(output *o, const char *src, const char *rel, diag *d);

/* Copy a folder tree (regular files only; symbolic links are skipped so
 * nothing outside the site is published) into rel. */
int output_copy_tree(output *o, const char *src_dir, const char *rel,
                     diag *d);

/* Write into out_dir itself instead (serve's updates): each file with
 * other bytes is written beside its old self and renamed over it.  Ended
 * with output_end_in_place. */
void output_begin_in_place(output *o, const char *out_dir);
void output_end_in_place(output *o);

/* Count a file that is known to be in place already. */
void output_unchanged(output *o);

/* Remove rel from the folder written in place. */
int output_remove(output *o, const char *rel);

/* Swap the staging folder in.  Returns 0 or -1. */
int output_commit(output *o, diag *d);

/* Throw the staging folder away (after a failed build). */
void output_abort(output *o);

#endif
