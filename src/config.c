/*
 * config.c - site.yaml into struct config.  See config.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "danish.h"
#include "fsutil.h"
#include "yamltree.h"

static const char *const known_keys[] = {
    "title", "description", "base_url", "language", "time_zone",
    "accessibility_statement", "contact", "allow_html", "per_page",
    "feed_items", "sections", "taxonomies", "params", "author", "copyright",
    "menu", "podcast", "sitemap", NULL};

static char *get_string(const config *cfg, const value *map, const char *key,
                        const char *fallback, int required, diag *d)
{
    const value *v = value_map_get(map, key);
    if (!v || v->kind == VALUE_NULL) {
        if (required)
            diag_error(d, cfg->path, map->line, map->col,
                       "missing required key \"%s\"", key);
        return fallback ? xstrdup(fallback) : NULL;
    }
    if (v->kind == VALUE_NUMBER || v->kind == VALUE_BOOL) {
        buf b = BUF_INIT;
        buf_init(&b);
        value_to_text(v, &b);
        return buf_detach(&b);
    }
    if (v->kind != VALUE_STRING) {
        diag_error(d, cfg->path, v->line, v->col,
                   "\"%s\" must be text, not %s", key, value_kind_name(v->kind));
        return fallback ? xstrdup(fallback) : NULL;
    }
    return xstrdup(v->as.str.s);
}

static int get_int(const config *cfg, const value *map, const char *key,
                   int fallback, int min, int max, diag *d)
{
    const value *v = value_map_get(map, key);
    if (!v)
        return fallback;
    /* range first: converting 1e20 or NaN to int is undefined */
    if (v->kind != VALUE_NUMBER ||
        !(v->as.number >= min && v->as.number <= max) ||
        v->as.number != (int)v->as.number) {
        diag_error(d, cfg->path, v->line, v->col,
                   "\"%s\" must be a whole number from %d to %d", key, min,
                   max);
        return fallback;
    }
    return (int)v->as.number;
}

static int get_bool(const config *cfg, const value *map, const char *key,
                    int fallback, diag *d)
{
    const value *v = value_map_get(map, key);
    if (!v)
        return fallback;
    if (v->kind != VALUE_BOOL) {
        diag_error(d, cfg->path, v->line, v->col,
                   "\"%s\" must be true or false", key);
        return fallback;
    }
    return v->as.boolean;
}

int config_set_base_url(config *cfg, const char *url, const char **err)
{
    const char *rest;
    if (!strncmp(url, "https://", 8))
        rest = url + 8;
    else if (!strncmp(url, "http://", 7))
        rest = url + 7;
    else {
        *err = "base_url must be an absolute http:// or https:// address";
        return -1;
    }
    const char *slash = strchr(rest, '/');
    size_t hostlen = slash ? (size_t)(slash - rest) : strlen(rest);
    if (hostlen == 0) {
        *err = "base_url has no host name";
        return -1;
    }
    for (const char *p = url; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' ||
            *p == '?' || *p == '#' || *p == '\\') {
            *err = "base_url may not contain spaces, quotes, '?' or '#'";
            return -1;
        }
    }
    free(cfg->base_url);
    free(cfg->base_path);
    free(cfg->origin);
    buf b = BUF_INIT;
    buf_init(&b);
    buf_puts(&b, url);
    if (b.data[b.len - 1] != '/')
        buf_putc(&b, '/');
    cfg->base_url = buf_detach(&b);
    size_t originlen = (size_t)(rest - url) + hostlen;
    cfg->origin = xstrndup(url, originlen);
    cfg->base_path = xstrdup(cfg->base_url + originlen);
    return 0;
}

static void load_sections(config *cfg, const value *secs, diag *d)
{
    if (!secs)
        return;
    if (secs->kind != VALUE_MAP) {
        diag_error(d, cfg->path, secs->line, secs->col,
                   "\"sections\" must be a map of content folders");
        return;
    }
    cfg->sections = xcalloc(secs->as.map.len, sizeof *cfg->sections);
    for (size_t i = 0; i < secs->as.map.len; i++) {
        const char *key = secs->as.map.keys[i];
        const value *s = secs->as.map.vals[i];
        if (s->kind != VALUE_MAP) {
            diag_error(d, cfg->path, s->line, s->col,
                       "section \"%s\" must be a map with url, title and "
                       "layout", key);
            continue;
        }
        section_conf *sc = &cfg->sections[cfg->nsections++];
        sc->key = xstrdup(key);
        sc->url = get_string(cfg, s, "url", key, 0, d);
        sc->title = get_string(cfg, s, "title", key, 0, d);
        sc->layout = get_string(cfg, s, "layout", NULL, 0, d);
        const value *lv = value_map_get(s, "layout");
        if (lv) {
            sc->layout_line = lv->line;
            sc->layout_col = lv->col;
        }
        buf slug = BUF_INIT;
        buf_init(&slug);
        slugify(sc->url, &slug);
        if (strcmp(slug.data, sc->url) != 0) {
            const value *uv = value_map_get(s, "url");
            diag_error(d, cfg->path, uv ? uv->line : s->line,
                       uv ? uv->col : s->col,
                       "section URL word \"%s\" must be a slug such as \"%s\"",
                       sc->url, slug.data);
        }
        buf_free(&slug);
    }
}

static void load_taxonomies(config *cfg, const value *taxs, diag *d)
{
    if (!taxs)
        return;
    if (taxs->kind != VALUE_MAP) {
        diag_error(d, cfg->path, taxs->line, taxs->col,
                   "\"taxonomies\" must be a map");
        return;
    }
    cfg->taxonomies = xcalloc(taxs->as.map.len, sizeof *cfg->taxonomies);
    for (size_t i = 0; i < taxs->as.map.len; i++) {
        const char *key = taxs->as.map.keys[i];
        const value *t = taxs->as.map.vals[i];
        if (t->kind != VALUE_MAP) {
            diag_error(d, cfg->path, t->line, t->col,
                       "taxonomy \"%s\" must be a map", key);
            continue;
        }
        taxonomy_conf *tc = &cfg->taxonomies[cfg->ntaxonomies++];
        tc->key = xstrdup(key);
        tc->field = get_string(cfg, t, "field", key, 0, d);
        tc->url = get_string(cfg, t, "url", key, 0, d);
        tc->title = get_string(cfg, t, "title", key, 0, d);
        tc->singular = get_string(cfg, t, "singular", tc->title, 0, d);
        const value *terms = value_map_get(t, "terms");
        if (!terms)
            continue;
        if (terms->kind != VALUE_MAP) {
            diag_error(d, cfg->path, terms->line, terms->col,
                       "\"terms\" of taxonomy \"%s\" must map each term key "
                       "to its title", key);
            continue;
        }
        tc->closed = 1;
        tc->terms = xcalloc(terms->as.map.len, sizeof *tc->terms);
        for (size_t j = 0; j < terms->as.map.len; j++) {
            const value *tv = terms->as.map.vals[j];
            term_conf *term = &tc->terms[tc->nterms++];
            term->key = xstrdup(terms->as.map.keys[j]);
            term->line = tv->line;
            term->col = tv->col;
            if (tv->kind == VALUE_STRING) {
                term->title = xstrdup(tv->as.str.s);
            } else {
                diag_error(d, cfg->path, tv->line, tv->col,
                           "the title of term \"%s\" must be text",
                           term->key);
                term->title = xstrdup(term->key);
            }
        }
    }
}

int config_load(config *cfg, const char *site_dir,
                const char *base_url_override, diag *d)
{
    memset(cfg, 0, sizeof *cfg);
    size_t errors_before = d->errors;
    buf path = BUF_INIT, text = BUF_INIT;
    buf_init(&path);
    buf_init(&text);
    fs_join(&path, site_dir, "site.yaml");
    cfg->path = xstrdup("site.yaml");
    int rd = fs_read_file(path.data, &text);
    buf_free(&path);
    if (rd < 0) {
        diag_error(d, cfg->path, 0, 0, "cannot read the site configuration");
        buf_free(&text);
        return -1;
    }
    size_t bad;
    if (!utf8_valid(text.data, text.len, &bad)) {
        diag_error(d, cfg->path, 0, 0, "invalid UTF-8 at byte offset %zu",
                   bad);
        buf_free(&text);
        return -1;
    }
    cfg->raw = yaml_parse(cfg->path, text.data, text.len, 1, d);
    buf_free(&text);
    if (!cfg->raw)
        return -1;
    const value *root = cfg->raw;
    if (root->kind != VALUE_MAP) {
        diag_error(d, cfg->path, 1, 1, "site.yaml must be a map of settings");
        return -1;
    }
    for (size_t i = 0; i < root->as.map.len; i++) {
        const char *k = root->as.map.keys[i];
        int known = 0;
        for (size_t j = 0; known_keys[j]; j++)
            known |= !strcmp(k, known_keys[j]);
        if (known)
            continue;
        const value *v = root->as.map.vals[i];
        const char *s = did_you_mean(k, known_keys);
        if (s)
            diag_warning(d, cfg->path, v->line, v->col,
                         "unknown key \"%s\" (did you mean \"%s\"?)", k, s);
        else
            diag_warning(d, cfg->path, v->line, v->col,
                         "unknown key \"%s\" (ignored; use params: for your "
                         "own settings)", k);
    }

    cfg->title = get_string(cfg, root, "title", "", 1, d);
    cfg->description = get_string(cfg, root, "description", "", 0, d);
    cfg->language = get_string(cfg, root, "language", "da", 0, d);
    cfg->time_zone = get_string(cfg, root, "time_zone", "Europe/Copenhagen",
                                0, d);
    if (!tz_known(cfg->time_zone)) {
        const value *v = value_map_get(root, "time_zone");
        diag_error(d, cfg->path, v ? v->line : 0, v ? v->col : 0,
                   "unknown time zone \"%s\" (known: Europe/Copenhagen, UTC)",
                   cfg->time_zone);
    }
    cfg->accessibility_statement =
        get_string(cfg, root, "accessibility_statement", NULL, 0, d);
    cfg->allow_html = get_bool(cfg, root, "allow_html", 0, d);
    cfg->per_page = get_int(cfg, root, "per_page", 10, 1, 1000, d);
    cfg->feed_items = get_int(cfg, root, "feed_items", 20, 1, 100000, d);

    const char *err = NULL;
    if (base_url_override) {
        if (config_set_base_url(cfg, base_url_override, &err) < 0)
            diag_error(d, NULL, 0, 0, "--base-url: %s", err);
    } else {
        const value *v = value_map_get(root, "base_url");
        if (!v || v->kind != VALUE_STRING) {
            diag_error(d, cfg->path, v ? v->line : 1, v ? v->col : 1,
                       "base_url must be given as an absolute address such "
                       "as \"https://example.dk/\"");
        } else if (config_set_base_url(cfg, v->as.str.s, &err) < 0) {
            diag_error(d, cfg->path, v->line, v->col, "%s", err);
        }
    }
    if (!cfg->base_url)
        config_set_base_url(cfg, "http://localhost/", &err);

    load_sections(cfg, value_map_get(root, "sections"), d);
    load_taxonomies(cfg, value_map_get(root, "taxonomies"), d);
    return d->errors > errors_before ? -1 : 0;
}

void config_free(config *cfg)
{
    free(cfg->path);
    free(cfg->title);
    free(cfg->description);
    free(cfg->base_url);
    free(cfg->base_path);
    free(cfg->origin);
    free(cfg->language);
    free(cfg->time_zone);
    free(cfg->accessibility_statement);
    for (size_t i = 0; i < cfg->nsections; i++) {
        free(cfg->sections[i].key);
        free(cfg->sections[i].url);
        free(cfg->sections[i].title);
        free(cfg->sections[i].layout);
    }
    free(cfg->sections);
    for (size_t i = 0; i < cfg->ntaxonomies; i++) {
        taxonomy_conf *t = &cfg->taxonomies[i];
        free(t->key);
        free(t->field);
        free(t->url);
        free(t->title);
        free(t->singular);
        for (size_t j = 0; j < t->nterms; j++) {
            free(t->terms[j].key);
            free(t->terms[j].title);
        }
        free(t->terms);
    }
    free(cfg->taxonomies);
    value_free(cfg->raw);
    memset(cfg, 0, sizeof *cfg);
}

const section_conf *config_section(const config *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->nsections; i++)
        if (!strcmp(cfg->sections[i].key, key))
            return &cfg->sections[i];
    return NULL;
}

const taxonomy_conf *config_taxonomy(const config *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->ntaxonomies; i++)
        if (!strcmp(cfg->taxonomies[i].key, key))
            return &cfg->taxonomies[i];
    return NULL;
}

const term_conf *taxonomy_term(const taxonomy_conf *t, const char *key)
{
    for (size_t i = 0; i < t->nterms; i++)
        if (!strcmp(t->terms[i].key, key))
            return &t->terms[i];
    return NULL;
}
