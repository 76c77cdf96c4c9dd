/*
 * mustache.h - the Mustache template engine (https://mustache.github.io).
 *
 * Conforms to the official spec: interpolation, sections, inverted
 * sections, comments, partials (with standalone indentation), set
 * delimiters, dynamic names (optional module) and inheritance
 * ({{<parent}}{{$block}}...{{/block}}{{/parent}}).  Lambdas are not
 * supported (contexts are plain data).
 *
 * Templates are compiled once into a tree of nodes and rendered many times;
 * a tpl_set holds every named template (layouts and partials) of a site.
 * Compile errors name "origin:line:col"; render errors (a partial or parent
 * that does not exist, recursion deeper than 100 levels) name the template
 * and line of the tag.
 */
#ifndef FORMIDL_MUSTACHE_H
#define FORMIDL_MUSTACHE_H

#include "buf.h"
#include "diag.h"
#include "value.h"

typedef struct tpl_set tpl_set;

tpl_set *tpl_set_new(void);
void tpl_set_free(tpl_set *set);

/* Compile src and store it under name (replacing any template of that
 * name).  origin is the path used in diagnostics (e.g.
 * "layouts/case.mustache").  Returns 0 on success; on a syntax error adds
 * "origin:line:col: error: ..." to d and returns -1 (the name is then not
 * defined). */
int tpl_set_add(tpl_set *set, const char *name, const char *src, size_t len,
                const char *origin, diag *d);

/* Is a template of that name defined? */
int tpl_set_has(const tpl_set *set, const char *name);

/* Render the template called name with ctx as the bottom of the context
 * stack, appending to out.  Partials and parents are looked up in set by
 * name; a missing partial renders as empty (per spec) unless strict is
 * set, in which case it is an error added to d.  Returns 0 or -1. */
int tpl_render(const tpl_set *set, const char *name, const value *ctx,
               buf *out, int strict, diag *d);

#endif
