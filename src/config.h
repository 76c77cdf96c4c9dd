/*
 * config.h - site.yaml into struct config.
 *
 * The whole YAML tree is kept (config.raw) so layouts can reach any key as
 * {{site.params.<key>}}; the fields below are the ones the generator itself
 * uses, checked for type when loaded.  Unknown top-level keys get a warning
 * with their position ("did you mean" when one is close).
 */
#ifndef FORMIDL_CONFIG_H
#define FORMIDL_CONFIG_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

typedef struct section_conf {
    char *key;          /* content folder name: "cases" */
    char *url;          /* URL word: "praksis" */
    char *title;        /* "Praksiseksempler" */
    char *layout;       /* layout name or NULL: "case" */
    int layout_line, layout_col;
} section_conf;

typedef struct term_conf {
    char *key;
    char *title;
    int line, col;
} term_conf;

typedef struct taxonomy_conf {
    char *key;          /* "tracks" */
    char *field;        /* front-matter field; "effects.bottom_line" reads a
                           field of each item of a list */
    char *url;          /* "spor" */
    char *title;        /* "Spor" */
    char *singular;     /* "Spor" */
    int closed;         /* terms declared: other values are errors */
    term_conf *terms;
    size_t nterms;
} taxonomy_conf;

typedef struct config {
    char *path;                 /* "site.yaml" as given */
    char *title;
    char *description;
    char *base_url;             /* absolute, ends with '/' */
    char *base_path;            /* path part of base_url: "/kerneopgave/" */
    char *origin;               /* scheme + host: "https://example.dk" */
    char *language;             /* "da" */
    char *time_zone;            /* "Europe/Copenhagen" */
    char *accessibility_statement;
    int allow_html;
    int per_page;
    int feed_items;
    section_conf *sections;
    size_t nsections;
    taxonomy_conf *taxonomies;
    size_t ntaxonomies;
    value *raw;
} config;

/* Read SITE/site.yaml.  base_url_override (from --base-url) replaces the
 * configured base_url when not NULL.  Returns 0, or -1 with errors in d. */
int config_load(config *cfg, const char *site_dir,
                const char *base_url_override, diag *d);
void config_free(config *cfg);

const section_conf *config_section(const config *cfg, const char *key);
const taxonomy_conf *config_taxonomy(const config *cfg, const char *key);
const term_conf *taxonomy_term(const taxonomy_conf *t, const char *key);

/* Set cfg->base_url and derived fields from url; returns 0 or -1 when url
 * is not an absolute http(s) URL (message in *err). */
int config_set_base_url(config *cfg, const char *url, const char **err);

#endif
