/*
 * lists.c - list pages: the home page, a list per section, and for every
 * taxonomy an index of its terms and a page per term (the track landing
 * pages are the term pages of "tracks").  Lists are newest first and
 * paginated as /side/2/, /side/3/ ...; terms are sorted by Danish
 * collation.
 *
 * Everything here runs once, on the main thread, before the render jobs:
 * values shared by all pages of a list (a track's facets, say) are built
 * here and only referenced by the jobs.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "buf.h"
#include "effects.h"

/* Newest first; then title by Danish collation; then source path, so the
 * order is total and the same on every machine. */
int page_cmp_newest(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    if (x->date.epoch != y->date.epoch)
        return x->date.epoch > y->date.epoch ? -1 : 1;
    int c = collate_da(x->title, y->title);
    return c ? c : strcmp(x->src_path, y->src_path);
}

/* ---- taxonomies ---- */

static void group_add(term_group *g, page *p)
{
    if (g->n && g->items[g->n - 1] == p)
        return;     /* a page naming a term twice counts once */
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        g->items = xrealloc(g->items, g->cap * sizeof *g->items);
    }
    g->items[g->n++] = p;
}

/* The group of term key, made on first sight.  Two spellings of an open
 * taxonomy's term with the same slug ("Tillid", "tillid") would share one
 * address, so that is reported with both positions. */
static term_group *index_term(taxonomy_index *ti, const char *key,
                              const page *p, const value *at, diag *d)
{
    buf slug = BUF_INIT;
    buf_init(&slug);
    slugify(key, &slug);
    if (!slug.len)
        buf_puts(&slug, "x");
    for (size_t i = 0; i < ti->n; i++) {
        term_group *g = &ti->terms[i];
        if (strcmp(g->slug, slug.data))
            continue;
        if (strcmp(g->key, key) && p && d) {
            if (g->first_path)
                diag_error(d, p->src_path, at->line, at->col,
                           "\"%s\" and \"%s\" (%s:%d:%d) are two spellings "
                           "of the same %s term (address /%s/%s/): use one",
                           key, g->key, g->first_path, g->first_line,
                           g->first_col, ti->conf->key, ti->conf->url,
                           g->slug);
            else
                diag_error(d, p->src_path, at->line, at->col,
                           "\"%s\" is spelt \"%s\" in site.yaml", key,
                           g->key);
        }
        buf_free(&slug);
        return g;
    }
    if (ti->n == ti->cap) {
        ti->cap = ti->cap ? ti->cap * 2 : 16;
        ti->terms = xrealloc(ti->terms, ti->cap * sizeof *ti->terms);
    }
    term_group *g = &ti->terms[ti->n++];
    memset(g, 0, sizeof *g);
    g->slug = buf_detach(&slug);
    g->key = xstrdup(key);
    const term_conf *tc = taxonomy_term(ti->conf, key);
    g->title = tc ? tc->title : g->key;
    if (p) {
        g->first_path = p->src_path;
        g->first_line = at->line;
        g->first_col = at->col;
    }
    return g;
}

typedef struct add_arg {
    taxonomy_index *ti;
    page *p;
    diag *d;
} add_arg;

static void add_term(void *arg, const value *term)
{
    add_arg *a = arg;
    group_add(index_term(a->ti, term->as.str.s, a->p, term, a->d), a->p);
}

static int group_cmp(const void *a, const void *b)
{
    const term_group *x = a, *y = b;
    int c = collate_da(x->title, y->title);
    return c ? c : strcmp(x->slug, y->slug);
}

void lists_build_taxonomies(build_state *b, page **sorted, size_t n,
                            diag *d)
{
    site *s = b->s;
    b->ntax = s->cfg.ntaxonomies;
    b->tax = xcalloc(b->ntax ? b->ntax : 1, sizeof *b->tax);
    for (size_t t = 0; t < b->ntax; t++) {
        taxonomy_index *ti = &b->tax[t];
        ti->conf = &s->cfg.taxonomies[t];
        /* Declared terms exist even before any page uses them. */
        for (size_t k = 0; k < ti->conf->nterms; k++)
            index_term(ti, ti->conf->terms[k].key, NULL, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            if (sorted[i]->kind != PAGE_SECTION)
                continue;
            add_arg a = {ti, sorted[i], d};
            site_field_values(sorted[i]->fm, ti->conf->field, add_term, &a);
        }
        if (ti->n > 1)
            qsort(ti->terms, ti->n, sizeof *ti->terms, group_cmp);
    }
    /* Track landing texts. */
    const taxonomy_index *tracks = lists_taxonomy(b, "tracks");
    for (size_t i = 0; tracks && i < s->npublished; i++) {
        page *p = s->published[i];
        if (p->kind != PAGE_TRACK || !p->term_key)
            continue;
        for (size_t k = 0; k < tracks->n; k++)
            if (!strcmp(tracks->terms[k].key, p->term_key))
                tracks->terms[k].intro = p;
    }
}

const taxonomy_index *lists_taxonomy(const build_state *b, const char *key)
{
    for (size_t t = 0; t < b->ntax; t++)
        if (!strcmp(b->tax[t].conf->key, key))
            return &b->tax[t];
    return NULL;
}

/* ---- lists ---- */

static listing *add_listing(build_state *b)
{
    if (b->nlists == b->lists_cap) {
        b->lists_cap = b->lists_cap ? b->lists_cap * 2 : 32;
        b->lists = xrealloc(b->lists, b->lists_cap * sizeof *b->lists);
    }
    listing *l = &b->lists[b->nlists++];
    memset(l, 0, sizeof *l);
    l->paginate = 1;
    return l;
}

void list_page_url(const listing *l, size_t k, buf *out)
{
    buf_puts(out, l->url);
    if (k > 1)
        buf_printf(out, "side/%zu/", k);
}

/* What a bottom line's page shows besides its list: every effect on that
 * bottom line, across its cases, as rows and as one chart of relative
 * change. */
static value *bottom_line_extra(const build_state *b, const term_group *g)
{
    size_t n = 0, cap = 16;
    effect_row *rows = xmalloc(cap * sizeof *rows);
    for (size_t i = 0; i < g->n; i++) {
        const page *p = g->items[i];
        const value *eff = value_map_get(p->fm, "effects");
        for (size_t k = 0; eff && eff->kind == VALUE_LIST &&
                           k < eff->as.list.len; k++) {
            const value *e = eff->as.list.items[k];
            const char *bl = value_get_string(e, "bottom_line");
            const value *b = value_map_get(e, "before");
            const value *a = value_map_get(e, "after");
            if (!bl || strcmp(bl, g->key) || !b || !a ||
                b->kind != VALUE_NUMBER || a->kind != VALUE_NUMBER)
                continue;
            if (n == cap) {
                cap *= 2;
                rows = xrealloc(rows, cap * sizeof *rows);
            }
            const char *better = value_get_string(e, "better");
            const char *measure = value_get_string(e, "measure");
            const char *unit = value_get_string(e, "unit");
            rows[n++] = (effect_row){p->title, p->url, measure ? measure : "",
                                     unit ? unit : "", b->as.number,
                                     a->as.number,
                                     better && !strcmp(better, "lower")};
        }
    }
    value *m = value_new_map();
    value *list = value_new_list();
    size_t improved = 0;
    for (size_t i = 0; i < n; i++) {
        value *r = value_new_map();
        value_map_set_string(r, "case_title", rows[i].case_title);
        value_map_set_string(r, "case_url", rows[i].case_url);
        value_map_set_string(r, "measure", rows[i].measure);
        value_map_set_string(r, "unit", rows[i].unit);
        buf t = BUF_INIT;
        buf_init(&t);
        int dec = rows[i].before == (long long)rows[i].before &&
                  rows[i].after == (long long)rows[i].after ? 0 : 1;
        number_format_da(rows[i].before, dec, &t);
        value_map_set_string(r, "before_text", t.data);
        buf_clear(&t);
        number_format_da(rows[i].after, dec, &t);
        value_map_set_string(r, "after_text", t.data);
        buf_clear(&t);
        double imp = effects_improvement(&rows[i]);
        if (imp > 0)
            buf_putc(&t, '+');
        number_format_da(imp, 0, &t);
        buf_puts(&t, " %");
        value_map_set_string(r, "change_text", t.data);
        buf_free(&t);
        value_map_set_bool(r, "improved", imp > 0);
        improved += imp > 0;
        value_list_push(list, r);
    }
    value_map_set(m, "effects", list);
    value_map_set_number(m, "effects_count", (double)n);
    value_map_set_number(m, "effects_improved", (double)improved);
    if (n) {
        buf svg = BUF_INIT;
        buf_init(&svg);
        buf title = BUF_INIT;
        buf_init(&title);
        /* "…%s…": the bottom line's title goes where %s is. */
        const char *fmt = value_get_string(b->r.strings, "fx_overview_title");
        const char *pct = fmt ? strstr(fmt, "%s") : NULL;
        if (pct)
            buf_printf(&title, "%.*s%s%s", (int)(pct - fmt), fmt, g->title,
                       pct + 2);
        else
            buf_puts(&title, g->title);
        effects_overview_svg(rows, n, "fx-all", title.data, b->r.strings,
                             &svg);
        value_map_set(m, "effects_svg", value_new_stringn(svg.data, svg.len));
        buf_free(&svg);
        buf_free(&title);
    }
    free(rows);
    return m;
}

static const char *layout_or(const renderer *r, const char *want,
                             const char *fallback)
{
    return tpl_set_has(r->tpls, want) ? want : fallback;
}


static value *term_summary(const site *s, const taxonomy_index *ti,
                           const term_group *g, size_t count)
{
    value *t = value_new_map();
    value_map_set_string(t, "key", g->key);
    value_map_set_string(t, "title", g->title);
    buf u = BUF_INIT;
    buf_init(&u);
    render_term_url(s, ti->conf, g->key, &u);
    value_map_set_string(t, "url", u.data);
    buf_free(&u);
    value_map_set_number(t, "count", (double)count);
    return t;
}

/* The latest pages of one section among items, at most max. */
static value *latest_of(const page *const *items, size_t n,
                        const char *section, size_t max)
{
    value *list = value_new_list();
    for (size_t i = 0; i < n && list->as.list.len < max; i++)
        if (items[i]->kind == PAGE_SECTION &&
            !strcmp(items[i]->section->key, section))
            value_list_push(list, value_ref(items[i]->item));
    return list;
}

/* What a track's landing page shows besides its list: the latest cases
 * and guides, and the terms of the other taxonomies that occur among the
 * track's pages, with counts ("facets"). */
static value *track_extra(build_state *b, const term_group *g)
{
    const site *s = b->s;
    value *m = value_new_map();
    size_t max = (size_t)s->cfg.per_page;
    value *cases = latest_of((const page *const *)g->items, g->n, "cases",
                             max);
    value *guides = latest_of((const page *const *)g->items, g->n, "guides",
                              max);
    value_map_set_bool(m, "has_cases", cases->as.list.len > 0);
    value_map_set_bool(m, "has_guides", guides->as.list.len > 0);
    value_map_set(m, "cases", cases);
    value_map_set(m, "guides", guides);
    for (size_t i = 0; i < g->n; i++)
        g->items[i]->mark = 1;
    value *facets = value_new_list();
    for (size_t t = 0; t < b->ntax; t++) {
        const taxonomy_index *ti = &b->tax[t];
        if (!strcmp(ti->conf->key, "tracks"))
            continue;
        value *terms = value_new_list();
        for (size_t k = 0; k < ti->n; k++) {
            size_t count = 0;
            for (size_t j = 0; j < ti->terms[k].n; j++)
                count += ti->terms[k].items[j]->mark;
            if (count)
                value_list_push(terms,
                                term_summary(s, ti, &ti->terms[k], count));
        }
        if (terms->as.list.len == 0) {
            value_free(terms);
            continue;
        }
        value *f = value_new_map();
        value_map_set_string(f, "key", ti->conf->key);
        value_map_set_string(f, "title", ti->conf->title);
        value_map_set(f, "terms", terms);
        value_list_push(facets, f);
    }
    for (size_t i = 0; i < g->n; i++)
        g->items[i]->mark = 0;
    value_map_set(m, "facets", facets);
    return m;
}

static feed_spec *list_feed(build_state *b, const char *title,
                            const char *page_url, page **items, size_t n)
{
    buf desc = BUF_INIT;
    buf_init(&desc);
    buf_printf(&desc, "Nyt fra %s", title);
    size_t max = (size_t)b->s->cfg.feed_items;
    feed_spec *f = publish_add_feed(b, FEED_RSS, title, desc.data, page_url,
                                    items, n < max ? n : max);
    publish_add_feed(b, FEED_ATOM, title, desc.data, page_url, items,
                     n < max ? n : max);
    buf_free(&desc);
    return f;
}

void lists_build(build_state *b, page **sorted, size_t n)
{
    site *s = b->s;
    const char *bp = s->cfg.base_path;
    buf u = BUF_INIT;
    buf_init(&u);

    /* Home: every section page, newest first. */
    page **content = xmalloc((n ? n : 1) * sizeof *content);
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        if (sorted[i]->kind == PAGE_SECTION)
            content[nc++] = sorted[i];
    listing *home = add_listing(b);
    home->title = xstrdup(s->cfg.title);
    home->url = xstrdup(bp);
    home->layout = layout_or(&b->r, "home", "list");
    home->origin = "layouts/home.mustache";
    home->items = content;
    home->n = nc;
    home->owns_items = 1;
    home->paginate = 0;
    home->is_home = 1;
    home->feed = list_feed(b, s->cfg.title, bp, content, nc);

    for (size_t i = 0; i < s->cfg.nsections; i++) {
        const section_conf *sc = &s->cfg.sections[i];
        listing *l = add_listing(b);
        l->title = xstrdup(sc->title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", bp, sc->url);
        l->url = xstrdup(u.data);
        l->layout = layout_or(&b->r, "section", "list");
        l->origin = "layouts/list.mustache";
        l->items = xmalloc((nc ? nc : 1) * sizeof *l->items);
        l->owns_items = 1;
        for (size_t k = 0; k < nc; k++)
            if (content[k]->section == sc)
                l->items[l->n++] = content[k];
        l->feed = list_feed(b, sc->title, l->url, l->items, l->n);
    }

    for (size_t t = 0; t < b->ntax; t++) {
        taxonomy_index *ti = &b->tax[t];
        int is_tracks = !strcmp(ti->conf->key, "tracks");
        listing *idx = add_listing(b);
        idx->title = xstrdup(ti->conf->title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", bp, ti->conf->url);
        idx->url = xstrdup(u.data);
        idx->layout = layout_or(&b->r, "terms", "list");
        idx->origin = "layouts/terms.mustache";
        idx->taxonomy = ti;
        idx->paginate = 0;
        for (size_t k = 0; k < ti->n; k++) {
            term_group *g = &ti->terms[k];
            listing *l = add_listing(b);
            l->title = xstrdup(g->title);
            buf_clear(&u);
            render_term_url(s, ti->conf, g->key, &u);
            l->url = xstrdup(u.data);
            l->layout = is_tracks ? layout_or(&b->r, "track", "list")
                                  : layout_or(&b->r, "term", "list");
            l->origin = is_tracks ? "layouts/track.mustache"
                                  : "layouts/term.mustache";
            l->items = g->items;
            l->n = g->n;
            l->intro = g->intro;
            l->term = g;
            l->term_taxonomy = ti;
            l->feed = list_feed(b, g->title, l->url, g->items, g->n);
            l->extra = lists_extra(b, l);
        }
    }
    buf_free(&u);
}

value *lists_extra(build_state *b, const listing *l)
{
    if (!l->term)
        return NULL;
    if (!strcmp(l->term_taxonomy->conf->key, "tracks"))
        return track_extra(b, l->term);
    if (!strcmp(l->term_taxonomy->conf->field, "effects.bottom_line"))
        return bottom_line_extra(b, l->term);
    return NULL;
}

static value *pagination_value(const listing *l, size_t k, size_t count)
{
    value *m = value_new_map();
    value_map_set_number(m, "current", (double)k);
    value_map_set_number(m, "total", (double)count);
    value_map_set_bool(m, "many", count > 1);
    buf u = BUF_INIT;
    buf_init(&u);
    if (k > 1) {
        list_page_url(l, k - 1, &u);
        value_map_set_string(m, "prev_url", u.data);
    }
    if (k < count) {
        buf_clear(&u);
        list_page_url(l, k + 1, &u);
        value_map_set_string(m, "next_url", u.data);
    }
    /* A window of page links: first, last, and two either side of the
     * current one, with a gap marker where numbers are skipped; so a list
     * of 600 pages does not put 600 links on each of them. */
    value *pages = value_new_list();
    size_t last_shown = 0;
    for (size_t i = 1; i <= count; i++) {
        if (i != 1 && i != count && (i + 2 < k || i > k + 2))
            continue;
        if (last_shown && i > last_shown + 1) {
            value *gap = value_new_map();
            value_map_set_bool(gap, "gap", 1);
            value_list_push(pages, gap);
        }
        last_shown = i;
        value *pg = value_new_map();
        value_map_set_number(pg, "number", (double)i);
        buf_clear(&u);
        list_page_url(l, i, &u);
        value_map_set_string(pg, "url", u.data);
        value_map_set_bool(pg, "current", i == k);
        value_list_push(pages, pg);
    }
    value_map_set(m, "pages", pages);
    buf_free(&u);
    return m;
}

value *list_value(build_state *b, const listing *l, size_t k, size_t count)
{
    const site *s = b->s;
    value *m = l->extra ? value_map_shallow_copy(l->extra) : value_new_map();
    value_map_set_string(m, "title", l->title);
    buf u = BUF_INIT;
    buf_init(&u);
    list_page_url(l, k, &u);
    value_map_set_string(m, "url", u.data);
    buf_free(&u);
    size_t per = l->paginate || l->is_home ? (size_t)s->cfg.per_page : l->n;
    size_t from = (k - 1) * per, to = from + per;
    if (to > l->n)
        to = l->n;
    value *items = value_new_list();
    for (size_t i = from; i < to; i++)
        value_list_push(items, value_ref(l->items[i]->item));
    value_map_set(m, "items", items);
    value_map_set_number(m, "count", (double)l->n);
    value_map_set_bool(m, "empty", l->n == 0);
    if (l->paginate)
        value_map_set(m, "pagination", pagination_value(l, k, count));
    if (l->feed) {
        value *f = value_new_map();
        value_map_set_string(f, "url", l->feed->url);
        value_map_set_string(f, "title", l->feed->title);
        value_map_set(m, "feed", f);
    }
    if (l->term) {
        value_map_set_string(m, "term_key", l->term->key);
        value_map_set_string(m, "term_slug", l->term->slug);
        value_map_set_string(m, "taxonomy", l->term_taxonomy->conf->key);
        value_map_set_string(m, "taxonomy_title",
                             l->term_taxonomy->conf->title);
        buf tu = BUF_INIT;
        buf_init(&tu);
        buf_printf(&tu, "%s%s/", s->cfg.base_path,
                   l->term_taxonomy->conf->url);
        value_map_set_string(m, "taxonomy_url", tu.data);
        buf_free(&tu);
    }
    if (l->taxonomy) {
        const taxonomy_index *ti = l->taxonomy;
        value *terms = value_new_list();
        for (size_t i = 0; i < ti->n; i++)
            value_list_push(terms, term_summary(s, ti, &ti->terms[i],
                                                ti->terms[i].n));
        value_map_set(m, "terms", terms);
    }
    if (l->is_home) {
        /* The latest pages of each track, in the order of site.yaml. */
        value *tracks = value_new_list();
        const taxonomy_index *ti = lists_taxonomy(b, "tracks");
        for (size_t c = 0; ti && c < ti->conf->nterms; c++) {
            const term_group *g = NULL;
            for (size_t i = 0; i < ti->n; i++)
                if (!strcmp(ti->terms[i].key, ti->conf->terms[c].key))
                    g = &ti->terms[i];
            if (!g)
                continue;
            value *tv = term_summary(s, ti, g, g->n);
            if (g->intro) {
                const char *sum = value_get_string(g->intro->item, "summary");
                value_map_set_string(tv, "summary", sum ? sum : "");
            }
            value *latest = value_new_list();
            for (size_t k2 = 0; k2 < g->n && k2 < 3; k2++)
                value_list_push(latest, value_ref(g->items[k2]->item));
            value_map_set(tv, "items", latest);
            value_list_push(tracks, tv);
        }
        value_map_set(m, "tracks", tracks);
        /* Featured tool guides: the newest few. */
        value *guides = latest_of((const page *const *)l->items, l->n,
                                  "guides", 3);
        value_map_set_bool(m, "has_guides", guides->as.list.len > 0);
        value_map_set(m, "guides", guides);
    }
    return m;
}

void lists_free(build_state *b)
{
    for (size_t i = 0; i < b->nlists; i++) {
        free(b->lists[i].title);
        free(b->lists[i].url);
        if (b->lists[i].owns_items)
            free(b->lists[i].items);
        value_free(b->lists[i].extra);
    }
    free(b->lists);
    for (size_t t = 0; t < b->ntax; t++) {
        for (size_t k = 0; k < b->tax[t].n; k++) {
            free(b->tax[t].terms[k].slug);
            free(b->tax[t].terms[k].key);
            free(b->tax[t].terms[k].items);
        }
        free(b->tax[t].terms);
    }
    free(b->tax);
}
