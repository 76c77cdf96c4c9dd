/*
 * yamltree.h - YAML (front matter, site.yaml) into a value tree, with libyaml.
 *
 * Scalars: plain (unquoted) scalars are typed the YAML 1.2 core-schema way
 * (null/~, true/false, integers and floats become VALUE_NUMBER); quoted and
 * block scalars, and everything else, are strings.  Dates stay strings (the
 * content stage parses them where a date is expected).
 *
 * Limits, so hostile input is refused quickly with bounded memory:
 *   - nesting deeper than YAML_MAX_DEPTH (64) is an error at the place it
 *     happens (libyaml is event-driven, so parsing stops right there);
 *   - aliases are expanded by copying, but the whole document may not hold
 *     more than YAML_MAX_NODES (100000) nodes after expansion: a "billion
 *     laughs" document stops at that budget;
 *   - a duplicate key in a map is an error.
 * Every error is added to d as path:line:col, with line numbers counted in
 * the file (first_line is the file line the YAML text starts on).
 */
#ifndef FORMIDL_YAMLTREE_H
#define FORMIDL_YAMLTREE_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 100000

/* Parse one YAML document.  Returns the root (a map, list or scalar; an
 * empty document gives an empty map), or NULL after adding errors to d. */
value *yaml_parse(const char *path, const char *src, size_t len,
                  int first_line, diag *d);

#endif
