/*
 * build.h - `formidl build`: the whole pipeline, from site.yaml to a
 * swapped-in output folder.
 */
#ifndef FORMIDL_BUILD_H
#define FORMIDL_BUILD_H

#include "site.h"

/* Run a build.  Prints diagnostics and the summary line; returns the exit
 * status (0 ok, 1 content errors, 2 usage, 3 I/O or internal error). */
int cmd_build(const build_options *opt);

#endif
