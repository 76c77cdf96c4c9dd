/*
 * site.h - the site model: pages with their parsed front matter, URLs and
 * rendered Markdown, and the build options that shaped them.
 *
 * content.c fills a struct site from content/ (scan, split front matter,
 * validate, assign URLs); markdown runs per page; render.c and output.c
 * read the model and never change it.  Everything a build needs is reached
 * from struct site, so there is no global state.
 */
#ifndef FORMIDL_SITE_H
#define FORMIDL_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "danish.h"
#include "diag.h"
#include "markdown.h"
#include "value.h"

typedef enum page_kind {
    PAGE_SECTION,   /* content/<section>/... with a section in site.yaml */
    PAGE_PLAIN,     /* any other .md: content/om.md, content/x/y.md */
    PAGE_TRACK      /* content/<track taxonomy folder>/<term>.md */
} page_kind;

/* A file a page refers to (lead image, audio, download). */
typedef struct media {
    char *src;              /* as written in the front matter */
    char *url;              /* URL path: "/kerneopgave/praksis/x/foto.jpg" */
    char *file;             /* the source file: "SITE/content/.../foto.jpg" */
    long long size;         /* bytes */
    const char *type;       /* media type */
    int width, height;      /* images: pixels, 0 when unknown */
} media;

typedef struct page {
    char *src_path;         /* "content/cases/foo.md" (relative to site) */
    char *bundle_dir;       /* "content/cases/foo" for page folders, else NULL */
    page_kind kind;
    const section_conf *section;    /* PAGE_SECTION only */
    char *term_key;                 /* PAGE_TRACK only */
    char *slug;
    char *url;              /* "/kerneopgave/praksis/foo/" */
    char *out_path;         /* "praksis/foo/index.html" */
    value *fm;              /* front matter (a map) */
    const char *title;      /* points into fm */
    datetime date;
    datetime updated;
    int has_updated;
    int draft;
    int published;          /* passes the draft/future filters */
    char *body;             /* Markdown text after the front matter */
    size_t body_len;
    int body_line;          /* file line the body starts on */
    md_result md;
    int rendered;           /* md is filled */
    media image;            /* image.src, resolved (url NULL if none) */
    media audio;            /* audio.src, resolved */
    media *downloads;       /* downloads[].src, resolved */
    size_t ndownloads;
    char *transcript;       /* Markdown of audio.transcript (NULL if none) */
    size_t transcript_len;
    int transcript_line;    /* its first line in its file */
    char *transcript_path;  /* the file it came from */
    md_result transcript_md;
    unsigned mark;          /* scratch flag for set operations */
    value *item;            /* the page as a layout value, without its
                               HTML: built once, shared by every list */
} page;

typedef struct build_options {
    const char *site_dir;
    const char *out_dir;
    const char *base_url;   /* --base-url or NULL */
    int drafts;
    int future;
    int quiet;
    int verbose;
    int jobs;
    int64_t now;            /* SOURCE_DATE_EPOCH or the clock */
} build_options;

typedef struct site {
    config cfg;
    const build_options *opt;
    page **pages;           /* every page read, in path order */
    size_t npages;
    page **published;       /* the pages that go out, in path order */
    size_t npublished;
    value *strings;         /* UI strings for layouts */
    char **reserved_ids;    /* ids the layouts use (NULL-ended) */
} site;

/* Read and validate every page under SITE/content.  Errors (all of them)
 * go to d.  Returns 0 or -1. */
int content_load(site *s, diag *d);

/* Resolve every published page's files (image, audio and its transcript,
 * downloads): each must exist; sizes and types are read.  Returns 0 or -1
 * with an error per missing file. */
int content_resolve_media(site *s, diag *d);

/* Render every published page's Markdown (links to other pages resolved
 * through the model).  Returns 0 or -1. */
int content_render_markdown(site *s, diag *d);

/* Read the page old came from again (for `serve`): read, checked, placed
 * and, when published, its files resolved, but not added to s and its
 * Markdown not rendered.  NULL after errors (in d). */
page *content_reread_page(site *s, const page *old, diag *d);

/* Render one page's Markdown (and transcript), links resolved through s.
 * Returns 0 or -1. */
int content_render_page_markdown(site *s, page *p, diag *d);

void page_free(page *p);
void site_free(site *s);

/* Call fn for each text value of a front-matter field: the field itself
 * ("tags": a text or a list of texts), or with a dot a field of each item
 * of a list ("effects.bottom_line").  This is how taxonomies read pages. */
typedef void (*site_value_fn)(void *arg, const value *v);
void site_field_values(const value *fm, const char *field, site_value_fn fn,
                       void *arg);

/* Find a page by its source path ("content/guides/x.md"); NULL if none. */
page *site_find_source(const site *s, const char *src_path);

/* Append the absolute form of a site URL path ("/kerneopgave/x/") to out. */
void site_absolute_url(const site *s, const char *url_path, buf *out);

#endif
