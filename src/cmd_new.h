/*
 * cmd_new.h - `formidl new case|guide|project "Titel" [SITE]`: a new
 * page from an archetype.
 *
 * The page is written to SITE/content/<section>/<slug>.md (case → cases,
 * guide → guides, project → projects; the slug is the title through
 * slugify()).  Its text is the site's archetypes/<section>.md, a Mustache
 * template, or the built-in archetype of the same content, rendered with
 * the context
 *     title           the title as given
 *     title_yaml      the title as a double-quoted YAML string
 *     date            today (or SOURCE_DATE_EPOCH) in the site's time
 *                     zone, YYYY-MM-DD
 *     slug, section   "tillid-i-teamet", "cases"
 *     track           the first term of the site's "tracks" taxonomy
 *     tracks_allowed  its terms, comma-separated
 *     areas_allowed   the terms of the taxonomy of the field "area"
 * The built-in archetypes give title, date, draft: true and every field of
 * the section with a short Danish comment, and required fields valid
 * placeholders, so the new file builds as it is once draft is removed.
 * An existing file (or page folder with that slug) is never overwritten.
 */
#ifndef FORMIDL_CMD_NEW_H
#define FORMIDL_CMD_NEW_H

#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "diag.h"

typedef struct new_options {
    const char *kind;       /* "case", "guide" or "project" */
    const char *title;
    const char *site_dir;
    int64_t now;            /* SOURCE_DATE_EPOCH or the clock */
} new_options;

/* The content folder of a kind ("case" → "cases"), or NULL if unknown. */
const char *new_section_of(const char *kind);

/* The built-in archetype of a section ("cases"), or NULL. */
const char *new_builtin_archetype(const char *section);

/* Render the archetype of opt->kind for the site described by cfg into
 * out.  *origin is set to the archetype's path ("archetypes/cases.md") or
 * "built-in".  Returns 0, or -1 with errors in d. */
int new_render(const new_options *opt, const config *cfg, buf *out,
               const char **origin, diag *d);

/* `formidl new`: write the file and print its path.  Returns the exit
 * status: 0 written, 1 it exists already or the site/archetype has
 * errors, 2 wrong use (unknown kind, a title without letters), 3 I/O. */
int cmd_new(const new_options *opt);

#endif
