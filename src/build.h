/*
 * build.h - `formidl build`: the whole pipeline, from site.yaml to a
 * swapped-in output folder, and the state its stages share.
 *
 * build.c runs the pipeline and the parallel jobs; lists.c makes the list
 * pages (sections, taxonomies, home, pagination); publish.c makes the
 * site-wide files (feeds, podcast, sitemap, robots.txt, 404, redirects).
 */
#ifndef FORMIDL_BUILD_H
#define FORMIDL_BUILD_H

#include <stdint.h>

#include "output.h"
#include "render.h"
#include "search.h"
#include "site.h"

/* Run a build.  Prints diagnostics and the summary line; returns the exit
 * status (0 ok, 1 content errors, 2 usage, 3 I/O or internal error). */
int cmd_build(const build_options *opt);

typedef struct build_result {
    size_t pages;           /* HTML pages written */
    size_t files;           /* all files written */
    size_t unchanged;       /* files whose bytes were already there */
    double ms_load, ms_markdown, ms_plan, ms_render, ms_total;
    double ms_cpu_pages, ms_cpu_feeds, ms_cpu_write;    /* summed threads */
    int want_sources;       /* in: fill sources */
    value *sources;         /* out: output path → source it came from */
} build_result;

/* The same without printing: diagnostics go to d; returns the status.
 * Set res->want_sources before the call to get the map of sources (the
 * caller frees it with value_free). */
int build_run(const build_options *opt, diag *d, build_result *res);

/* ---- serve: a build kept in memory, updated file by file ---- */

typedef struct build_session {
    build_options opt;      /* a copy (the strings below are its own) */
    char *site_dir, *out_dir, *base_url;
    int ready;              /* s and b hold the last good build */
    site s;
    struct build_state *b;
    search_cache *search;
    value *search_files;    /* the search index files now published */
    value *old_fm;          /* front matter replaced by updates: parts of
                               the model may point into it, so it is kept
                               until the next full build */
} build_session;

void build_session_init(build_session *ss);
void build_session_free(build_session *ss);

/* A full build as build_run, keeping the model in ss for build_update. */
int build_run_session(const build_options *opt, diag *d, build_result *res,
                      build_session *ss);

/* After the Markdown files paths[0..n) (relative to the site) changed:
 * read them again and rewrite, in place, only the outputs that show them
 * (the page, the list pages, feeds, search index and related pages that
 * hold it).  Returns the status as build_run, or -1 when the change needs
 * a full build (a file added or removed, front matter that moves the page
 * in lists, a layout or site.yaml, ...; no state changed then). */
int build_update(build_session *ss, char *const *paths, size_t n, diag *d,
                 build_result *res);

/* ---- shared by the build stages ---- */

typedef struct term_group {
    char *slug;
    char *key;          /* first spelling seen (closed: the declared key) */
    const char *title;
    const char *first_path;     /* where that spelling was first seen */
    int first_line, first_col;
    page **items;       /* newest first */
    size_t n, cap;
    page *intro;        /* tracks: content/tracks/<key>.md */
} term_group;

typedef struct taxonomy_index {
    const taxonomy_conf *conf;
    term_group *terms;  /* by Danish collation of their titles */
    size_t n, cap;
} taxonomy_index;

typedef enum feed_kind { FEED_RSS, FEED_ATOM, FEED_PODCAST } feed_kind;

typedef struct feed_spec {
    feed_kind kind;
    char *title;
    char *description;
    char *page_url;     /* URL path of the HTML page the feed belongs to */
    char *url;          /* URL path of the feed */
    page **items;       /* newest first, at most feed_items */
    size_t n;
} feed_spec;

typedef struct listing {
    char *title;
    char *url;              /* URL path of page 1 */
    const char *layout;
    const char *origin;     /* for "layout not found" */
    page **items;           /* newest first */
    size_t n;
    int owns_items;
    const page *intro;
    const term_group *term;
    const taxonomy_index *taxonomy;     /* a taxonomy's index page */
    const taxonomy_index *term_taxonomy;/* the taxonomy of term */
    int paginate;
    int is_home;
    const feed_spec *feed;  /* RSS feed of this list, if any */
    value *extra;           /* values computed once for every page of the
                               list (track facets, latest cases, ...) */
} listing;

typedef enum job_kind {
    JOB_PAGE, JOB_LIST, JOB_FEED, JOB_BYTES,
    JOB_SEARCH      /* the search index: many files, written by the job */
} job_kind;

typedef struct job {
    job_kind kind;
    const page *p;          /* JOB_PAGE */
    const listing *l;       /* JOB_LIST */
    size_t page_no;         /* 1-based */
    size_t page_count;
    const feed_spec *f;     /* JOB_FEED */
    char *bytes;            /* JOB_BYTES: ready to write (owned) */
    size_t nbytes;
    const char *origin;     /* JOB_BYTES: what made it, for messages */
    char *out_path;
} job;

typedef struct build_state {
    site *s;
    renderer r;
    output out;
    taxonomy_index *tax;
    size_t ntax;
    listing *lists;
    size_t nlists, lists_cap;
    feed_spec **feeds;      /* each allocated alone: lists point at them */
    size_t nfeeds, feeds_cap;
    job *jobs;
    size_t njobs, jobs_cap;
    value **ctxs;           /* per worker */
    value *site_feeds;      /* [{title, url}] of the site-wide feeds */
    search_cache **search;  /* serve: the index kept between builds */
    const unsigned char *search_changed;    /* serve: per home item */
    value *search_files;    /* serve: the index files written (a map,
                               path → bytes) */
    const value *search_prev;   /* serve: those of the build before */
    value *search_list;     /* the list value of the search page */
    uint64_t us_pages, us_feeds, us_write;  /* CPU time per kind (-v) */
    size_t done;            /* jobs finished, for the progress line */
    double t_start;
    int progress;           /* show a progress line */
} build_state;

/* lists.c */
int page_cmp_newest(const void *a, const void *b);
void lists_build_taxonomies(build_state *b, page **sorted, size_t n,
                            diag *d);
void lists_build(build_state *b, page **sorted, size_t n);
void list_page_url(const listing *l, size_t k, buf *out);
value *list_value(build_state *b, const listing *l, size_t k, size_t count);
const taxonomy_index *lists_taxonomy(const build_state *b, const char *key);
/* A list's extra values (track facets, bottom-line effects), or NULL. */
value *lists_extra(build_state *b, const listing *l);
void lists_free(build_state *b);

/* build.c */
/* The keys the build adds to page items after make_item (relations,
 * feeds), over any front-matter field of the same name ("project"). */
extern const char *const build_item_keys[];
void build_add_job(build_state *b, job j);
/* Run the jobs b->jobs[which[0..n)] on -j threads (writing into b->out). */
void build_run_jobs(build_state *b, const size_t *which, size_t n, diag *d);

/* relations.c */
value *relations_page_breadcrumbs(const build_state *b, const page *p);
void relations_add(build_state *b, diag *d);
value *relations_list_breadcrumbs(const build_state *b, const listing *l);

/* publish.c */
feed_spec *publish_add_feed(build_state *b, feed_kind kind, const char *title,
                            const char *description, const char *page_url,
                            page **items, size_t n);
void publish_plan(build_state *b, diag *d);
int publish_render_feed(build_state *b, const feed_spec *f, buf *out,
                        diag *d);
void publish_free(build_state *b);
/* Build the search index and write its files (JOB_SEARCH). */
void publish_write_search(build_state *b, const job *j, diag *d);

#endif
