/*
 * render.h - from the site model to HTML: layouts, contexts, pages, lists.
 *
 * Every layout is a Mustache template under SITE/layouts/, named by its
 * path without ".mustache" ("case", "partials/header").  A page's layout is
 * its front matter's "layout", else its section's layout from site.yaml,
 * else "page".  The context handed to a layout has:
 *   site     title, description, base_url, language, contact, params,
 *            sections, tracks, accessibility_statement, generator
 *   page     every front-matter field, overlaid with computed ones: title,
 *            url, permalink, content, summary, date and updated as
 *            {iso, ymd, long, rfc822, year}, tracks/tags/area/municipality
 *            as {key, title, url}, toc, section
 *   list     on list pages: title, items (pages), count
 *   strings  the UI strings (i18n/<language>.yaml over built-in Danish)
 */
#ifndef FORMIDL_RENDER_H
#define FORMIDL_RENDER_H

#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "site.h"
#include "value.h"

typedef struct renderer {
    site *s;
    tpl_set *tpls;
    value *site_ctx;    /* shared by every page's context */
    value *strings;
    size_t nreserved, reserved_cap;   /* s->reserved_ids being filled */
} renderer;

/* Load layouts and strings; build the shared site context.  Returns 0 or
 * -1 (errors in d). */
int render_init(renderer *r, site *s, diag *d);
void render_free(renderer *r);

/* A page as a context value.  with_content adds the rendered HTML. */
value *render_page_value(const renderer *r, const page *p, int with_content);

/* A fresh context map holding the shared site and strings values.  Make
 * one per thread, on the main thread (reference counts are not atomic),
 * and reuse it for every render of that thread. */
value *render_context_new(const renderer *r);

/* Render a page through its layout into out. */
int render_page(const renderer *r, value *ctx, const page *p, buf *out,
                diag *d);

/* Render layout `name` with page and list values (either may be NULL; they
 * are consumed).  origin names the source in a "layout not found" error. */
int render_with(const renderer *r, value *ctx, const char *name,
                const char *origin, value *page_val, value *list_val,
                buf *out, diag *d);

/* The URL path of a taxonomy term ("/kerneopgave/spor/borgerkontakt/"). */
void render_term_url(const site *s, const taxonomy_conf *t,
                     const char *term, buf *out);

/* Name of the layout for a page (never NULL). */
const char *render_layout_name(const page *p);

#endif
