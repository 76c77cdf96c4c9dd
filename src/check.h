/*
 * check.h - `formidl check`: everything the build validates, plus checks
 * on the HTML it writes.
 *
 * The site is built with build_run() into a temporary folder (removed
 * afterwards), with the map of output file → source.  Every HTML file of
 * the build is then parsed with libxml2's HTML parser and checked:
 *   - every internal link (href/src/action below the site's base path,
 *     or relative, and meta-refresh redirects) names a file in the
 *     output, and every "#anchor" an id in the target page;
 *   - every <img> has an alt attribute (alt="" marks decoration);
 *   - a page with <audio> has its transcript (an element with the id
 *     "transskription");
 *   - links to files (downloads) that are not in the output;
 *   - pages that no other page links to (warning; the home page,
 *     404.html and redirect pages are exempt);
 *   - pages with the same <title> (warning);
 *   - external links (http/https to other hosts), listed as warnings only
 *     with --external: they are never fetched.
 *
 * A finding is reported at its source where it can be traced: the link in
 * the page's Markdown file (line and column of its "[" or "<"), a value
 * in the front matter, a layout (layouts/x.mustache) or site.yaml that
 * holds the link's text; else the page's source at 1:1.  Each finding is
 * reported once (same message at the same place), sorted.
 */
#ifndef FORMIDL_CHECK_H
#define FORMIDL_CHECK_H

#include <stddef.h>

#include "diag.h"
#include "site.h"

typedef enum check_format { CHECK_TEXT, CHECK_JSON } check_format;

typedef struct check_options {
    build_options build;    /* site_dir, now, jobs; out_dir is ignored */
    check_format format;
    int external;           /* list external links */
} check_options;

typedef struct check_result {
    size_t pages;           /* HTML pages built and checked */
    int built;              /* the build succeeded, so HTML was checked */
} check_result;

/* Build and check without printing: findings go to d (deduplicated and
 * sorted).  Returns the exit status: 0 no errors, 1 errors, 2 usage,
 * 3 I/O or internal error. */
int check_run(const check_options *opt, diag *d, check_result *res);

/* `formidl check`: check_run, then the findings on stdout (lines, or a
 * JSON array with --format json) and a Danish summary on stderr.
 * Returns the exit status. */
int cmd_check(const check_options *opt);

/* Write the entries of d (in their order) as a JSON array of
 * {"path", "line", "col", "level", "message"} objects; paths get d's
 * prefix like diag_print. */
void check_print_json(const diag *d, FILE *out);

#endif
