/*
 * effects.h - the triple bottom line drawn: inline SVG charts of a case's
 * effects (before and after) and of a bottom line's effects across cases
 * (relative change), with the numbers also given as text.
 *
 * Charts are accessible images (role="img", <title>, <desc> that says every
 * number) and stay readable without colour: "before" bars are hatched,
 * "after" bars solid, and every bar carries its value as text.  Colours come
 * from CSS classes (fx-before, fx-after, fx-better, fx-worse), so the theme
 * can meet contrast rules in light and dark mode.
 */
#ifndef FORMIDL_EFFECTS_H
#define FORMIDL_EFFECTS_H

#include "buf.h"
#include "value.h"

/* Append the SVG for a case's effects (the front-matter list, items with
 * measure, unit, before, after, better).  id is a prefix unique within the
 * page.  Appends nothing when there are no numeric effects. */
void effects_case_svg(const value *effects, const char *id,
                      const value *strings, buf *out);

/* One row of a bottom line's overview. */
typedef struct effect_row {
    const char *case_title;
    const char *case_url;
    const char *measure;
    const char *unit;
    double before, after;
    int lower_is_better;
} effect_row;

/* Relative change in per cent, signed so that positive is better. */
double effects_improvement(const effect_row *r);

/* Append the SVG of rows: one bar per row, from 0 to its improvement. */
void effects_overview_svg(const effect_row *rows, size_t n, const char *id,
                          const char *title, const value *strings, buf *out);

/* The words the charts use come from the site's UI strings (keys
 * fx_before, fx_after, fx_lower_better, fx_higher_better, fx_better,
 * fx_worse, fx_title), with Danish when a key is missing. */

#endif
