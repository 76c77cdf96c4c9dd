/*
 * relations.c - what connects pages: breadcrumbs, previous/next within a
 * section, related pages, and a project's cases.  Runs once on the main
 * thread after the lists are made, and adds to each page's shared layout
 * value (page->item) before any render job reads it.
 *
 * Related pages: a page's candidates are the newest RELATED_WINDOW pages of
 * each of its tags and tracks (the term groups are newest first), scored
 * 3 per shared tag and 1 per shared track; the top three win, ties going to
 * the newer page and then the source path.  Looking only at each term's
 * newest pages keeps this linear in the number of pages (a tag on 1,300 of
 * 10,000 pages would otherwise make it quadratic) and favours recent
 * practice, which is what a reader wants next.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "buf.h"

#define RELATED_WINDOW 200
#define RELATED_COUNT 3

static value *crumb(const char *title, const char *url)
{
    value *m = value_new_map();
    value_map_set_string(m, "title", title);
    value_map_set_string(m, "url", url);
    return m;
}

static value *link_value(const page *p)
{
    return crumb(p->title, p->url);
}

value *relations_page_breadcrumbs(const build_state *b, const page *p)
{
    const site *s = b->s;
    value *list = value_new_list();
    value_list_push(list, crumb(value_get_string(s->strings, "home"),
                                s->cfg.base_path));
    if (p->kind == PAGE_SECTION) {
        buf u = BUF_INIT;
        buf_init(&u);
        buf_printf(&u, "%s%s/", s->cfg.base_path, p->section->url);
        value_list_push(list, crumb(p->section->title, u.data));
        buf_free(&u);
    }
    value *last = crumb(p->title, p->url);
    value_map_set_bool(last, "current", 1);
    value_list_push(list, last);
    return list;
}

value *relations_list_breadcrumbs(const build_state *b, const listing *l)
{
    const site *s = b->s;
    value *list = value_new_list();
    if (l->is_home)
        return list;
    value_list_push(list, crumb(value_get_string(s->strings, "home"),
                                s->cfg.base_path));
    if (l->term) {
        buf u = BUF_INIT;
        buf_init(&u);
        buf_printf(&u, "%s%s/", s->cfg.base_path,
                   l->term_taxonomy->conf->url);
        value_list_push(list, crumb(l->term_taxonomy->conf->title, u.data));
        buf_free(&u);
    }
    value *last = crumb(l->title, l->url);
    value_map_set_bool(last, "current", 1);
    value_list_push(list, last);
    return list;
}

typedef struct scored {
    page *p;
    unsigned score;
} scored;

static int scored_cmp(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return page_cmp_newest(&x->p, &y->p);
}

/* Add weight to every page among the newest RELATED_WINDOW of group g. */
static void score_group(const term_group *g, const page *self,
                        unsigned weight, scored **cand, size_t *n,
                        size_t *cap)
{
    size_t lim = g->n < RELATED_WINDOW ? g->n : RELATED_WINDOW;
    for (size_t i = 0; i < lim; i++) {
        page *q = g->items[i];
        if (q == self)
            continue;
        if (q->mark == 0) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *cand = xrealloc(*cand, *cap * sizeof **cand);
            }
            (*cand)[(*n)++] = (scored){q, 0};
        }
        q->mark += weight;
    }
}

/* A page as a small card for "related" lists: only values that never
 * hold other pages, so no reference cycle can form between pages. */
static value *card_value(const page *p)
{
    static const char *const keys[] = {"title", "url", "summary", "date",
                                       "section", "tracks", "image", NULL};
    value *m = value_new_map();
    for (size_t i = 0; keys[i]; i++) {
        value *v = value_map_get(p->item, keys[i]);
        if (v)
            value_map_set(m, keys[i], value_ref(v));
    }
    return m;
}

static value *related_of(const build_state *b, page *p, scored **cand,
                         size_t *cap)
{
    size_t n = 0;
    const char *keys[] = {"tags", "tracks"};
    const unsigned weights[] = {3, 1};
    buf slug = BUF_INIT;
    buf_init(&slug);
    for (int k = 0; k < 2; k++) {
        const taxonomy_index *ti = lists_taxonomy(b, keys[k]);
        const value *v = ti ? value_map_get(p->fm, ti->conf->field) : NULL;
        if (!v || v->kind != VALUE_LIST)
            continue;
        for (size_t i = 0; i < v->as.list.len; i++) {
            const value *x = v->as.list.items[i];
            if (x->kind != VALUE_STRING)
                continue;
            buf_clear(&slug);
            slugify(x->as.str.s, &slug);
            for (size_t t = 0; t < ti->n; t++)
                if (!strcmp(ti->terms[t].slug, slug.data)) {
                    score_group(&ti->terms[t], p, weights[k], cand, &n, cap);
                    break;
                }
        }
    }
    buf_free(&slug);
    /* The best RELATED_COUNT by one pass (a sort of every candidate would
     * cost n log n per page for three winners). */
    scored best[RELATED_COUNT];
    size_t nbest = 0;
    for (size_t i = 0; i < n; i++) {
        scored c = {(*cand)[i].p, (*cand)[i].p->mark};
        c.p->mark = 0;
        if (nbest == RELATED_COUNT && scored_cmp(&c, &best[nbest - 1]) >= 0)
            continue;
        size_t at = nbest < RELATED_COUNT ? nbest++ : RELATED_COUNT - 1;
        while (at > 0 && scored_cmp(&c, &best[at - 1]) < 0) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = c;
    }
    value *list = value_new_list();
    for (size_t i = 0; i < nbest; i++)
        value_list_push(list, card_value(best[i].p));
    return list;
}

void relations_add(build_state *b, diag *d)
{
    site *s = b->s;
    scored *cand = NULL;
    size_t cap = 0;
    /* Previous and next within each section list (newest first: "prev"
     * is the newer neighbour). */
    for (size_t i = 0; i < b->nlists; i++) {
        const listing *l = &b->lists[i];
        if (!l->owns_items || l->is_home)
            continue;
        for (size_t k = 0; k < l->n; k++) {
            page *p = l->items[k];
            if (k > 0)
                value_map_set(p->item, "newer", link_value(l->items[k - 1]));
            if (k + 1 < l->n)
                value_map_set(p->item, "older", link_value(l->items[k + 1]));
        }
    }
    /* Projects by slug, for cases that name one. */
    value *projects = value_new_map();
    for (size_t i = 0; i < s->npublished; i++) {
        page *p = s->published[i];
        if (p->kind == PAGE_SECTION && !strcmp(p->section->key, "projects"))
            value_map_set(projects, p->slug,
                          value_new_number((double)i));
    }
    value **project_cases = xcalloc(s->npublished ? s->npublished : 1,
                                    sizeof *project_cases);
    const listing *home = &b->lists[0];
    for (size_t k = 0; k < home->n; k++) {
        page *p = home->items[k];      /* newest first */
        const value *pv = value_map_get(p->fm, "project");
        if (!pv || pv->kind != VALUE_STRING)
            continue;
        const value *idx = value_map_get(projects, pv->as.str.s);
        if (!idx) {
            diag_error(d, p->src_path, pv->line, pv->col,
                       "project \"%s\" not found: no published page in "
                       "content/projects/ has that slug", pv->as.str.s);
            continue;
        }
        size_t pi = (size_t)idx->as.number;
        page *proj = s->published[pi];
        value_map_set(p->item, "project", link_value(proj));
        if (!project_cases[pi])
            project_cases[pi] = value_new_list();
        value_list_push(project_cases[pi], card_value(p));
    }
    for (size_t i = 0; i < s->npublished; i++) {
        page *p = s->published[i];
        if (project_cases[i])
            value_map_set(p->item, "project_cases", project_cases[i]);
        value_map_set(p->item, "breadcrumbs", relations_page_breadcrumbs(b, p));
    }
    free(project_cases);
    value_free(projects);
    /* Related pages: computed for every page first and set afterwards,
     * so each card is made from a page value without "related" in it. */
    value **related = xcalloc(home->n ? home->n : 1, sizeof *related);
    for (size_t k = 0; k < home->n; k++)
        related[k] = related_of(b, home->items[k], &cand, &cap);
    for (size_t k = 0; k < home->n; k++)
        value_map_set(home->items[k]->item, "related", related[k]);
    free(related);
    free(cand);
}
