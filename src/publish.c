/*
 * publish.c - the site-wide files: RSS and Atom feeds (site, sections,
 * tracks and every taxonomy term, made automatically), the podcast feed,
 * sitemap.xml (an index past 50,000 addresses), robots.txt, 404.html, a
 * redirect page per alias and /was/ for the accessibility statement.
 *
 * Feeds are planned here and rendered by the parallel jobs
 * (publish_render_feed); the small files are made here, on the main
 * thread, as ready bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "buf.h"
#include "feed.h"
#include "fsutil.h"
#include "search.h"

/* The sitemap protocol's limit of addresses per file; site.yaml may set a
 * lower one (sitemap: {max_urls: N}). */
#define SITEMAP_MAX 50000

feed_spec *publish_add_feed(build_state *b, feed_kind kind, const char *title,
                            const char *description, const char *page_url,
                            page **items, size_t n)
{
    feed_spec *f = xcalloc(1, sizeof *f);
    f->kind = kind;
    f->title = xstrdup(title);
    f->description = xstrdup(description);
    f->page_url = xstrdup(page_url);
    buf u = BUF_INIT;
    buf_init(&u);
    buf_printf(&u, "%s%s", page_url,
               kind == FEED_ATOM ? "atom.xml"
               : kind == FEED_PODCAST ? "podcast.xml" : "feed.xml");
    f->url = buf_detach(&u);
    f->items = items;
    f->n = n;
    if (b->nfeeds == b->feeds_cap) {
        b->feeds_cap = b->feeds_cap ? b->feeds_cap * 2 : 64;
        b->feeds = xrealloc(b->feeds, b->feeds_cap * sizeof *b->feeds);
    }
    b->feeds[b->nfeeds++] = f;
    return f;
}

void publish_free(build_state *b)
{
    for (size_t i = 0; i < b->nfeeds; i++) {
        feed_spec *f = b->feeds[i];
        free(f->title);
        free(f->description);
        free(f->page_url);
        free(f->url);
        if (f->kind == FEED_PODCAST)
            free(f->items);
        free(f);
    }
    free(b->feeds);
    value_free(b->site_feeds);
}

static char *rel_out(const site *s, const char *url_path, const char *file)
{
    buf b = BUF_INIT;
    buf_init(&b);
    buf_printf(&b, "%s%s", url_path + strlen(s->cfg.base_path), file);
    return buf_detach(&b);
}

static void add_bytes(build_state *b, char *out_path, buf *data,
                      const char *origin)
{
    size_t n = data->len;
    build_add_job(b, (job){.kind = JOB_BYTES, .bytes = buf_detach(data),
                           .nbytes = n, .origin = origin,
                           .out_path = out_path});
}

/* ---- feeds ---- */

typedef struct item_data {
    buf permalink;
    buf html;
    buf enclosure;
    buf image;
    buf duration;
    const char **cats;
    size_t ncats;
} item_data;

static void collect_categories(const page *p, item_data *it)
{
    size_t cap = 8;
    it->cats = xmalloc(cap * sizeof *it->cats);
    const char *fields[] = {"tracks", "tags"};
    for (int f = 0; f < 2; f++) {
        const value *v = value_map_get(p->item, fields[f]);
        if (!v)
            continue;
        const value *one[1] = {v};
        value *const *items = (value *const *)one;
        size_t n = 1;
        if (v->kind == VALUE_LIST) {
            items = v->as.list.items;
            n = v->as.list.len;
        }
        for (size_t i = 0; i < n; i++) {
            const char *t = value_get_string(items[i], "title");
            if (!t && items[i]->kind == VALUE_STRING)
                t = items[i]->as.str.s;
            if (!t)
                continue;
            if (it->ncats == cap) {
                cap *= 2;
                it->cats = xrealloc(it->cats, cap * sizeof *it->cats);
            }
            it->cats[it->ncats++] = t;
        }
    }
}

int publish_render_feed(build_state *b, const feed_spec *f, buf *out,
                        diag *d)
{
    const site *s = b->s;
    size_t n = f->n;
    feed_item *items = xcalloc(n ? n : 1, sizeof *items);
    item_data *data = xcalloc(n ? n : 1, sizeof *data);
    for (size_t i = 0; i < n; i++) {
        const page *p = f->items[i];
        item_data *it = &data[i];
        buf_init(&it->permalink);
        buf_init(&it->html);
        buf_init(&it->enclosure);
        buf_init(&it->image);
        buf_init(&it->duration);
        site_absolute_url(s, p->url, &it->permalink);
        /* Full content with every address absolute; for audio, the
         * transcript follows the text (WCAG 1.2.1). */
        if (p->rendered) {
            html_absolute_urls(p->md.html, p->md.html_len,
                               it->permalink.data, &it->html);
            if (p->transcript) {
                const char *h = value_get_string(s->strings,
                                                 "transcript");
                buf_printf(&it->html, "<h2>%s</h2>\n", h ? h : "Transskription");
                html_absolute_urls(p->transcript_md.html,
                                   p->transcript_md.html_len,
                                   it->permalink.data, &it->html);
            }
        }
        collect_categories(p, it);
        feed_item *fi = &items[i];
        fi->title = p->title;
        fi->link = it->permalink.data;
        fi->date = &p->date;
        fi->updated = p->has_updated ? &p->updated : NULL;
        fi->summary = value_get_string(p->item, "summary");
        fi->content_html = it->html.data;
        fi->categories = it->cats;
        fi->ncategories = it->ncats;
        fi->author = value_get_string(p->fm, "author");
        const media *enc = f->kind == FEED_PODCAST ? &p->audio : &p->image;
        if (enc->url) {
            site_absolute_url(s, enc->url, &it->enclosure);
            fi->enclosure_url = it->enclosure.data;
            fi->enclosure_length = enc->size;
            fi->enclosure_type = enc->type;
        }
        if (f->kind == FEED_PODCAST) {
            const value *au = value_map_get(p->fm, "audio");
            const value *dur = au ? value_map_get(au, "duration") : NULL;
            if (dur && dur->kind == VALUE_STRING)
                buf_puts(&it->duration, dur->as.str.s);
            else if (dur && dur->kind == VALUE_NUMBER)
                buf_printf(&it->duration, "%.0f", dur->as.number);
            fi->duration = it->duration.len ? it->duration.data : NULL;
            if (p->image.url) {
                site_absolute_url(s, p->image.url, &it->image);
                fi->image_url = it->image.data;
            }
        }
    }
    buf link = BUF_INIT, self = BUF_INIT, podcast_image = BUF_INIT;
    buf_init(&link);
    buf_init(&self);
    buf_init(&podcast_image);
    site_absolute_url(s, f->page_url, &link);
    site_absolute_url(s, f->url, &self);
    feed_channel c = {0};
    c.title = f->title;
    c.link = link.data;
    c.self_url = self.data;
    c.description = f->description;
    c.language = s->cfg.language;
    c.generator = value_get_string(b->r.site_ctx, "generator");
    c.last_build = n ? &f->items[0]->date : NULL;
    c.items = items;
    c.nitems = n;
    int rc;
    if (f->kind == FEED_PODCAST) {
        const value *pc = value_map_get(s->cfg.raw, "podcast");
        c.author = value_get_string(pc, "author");
        if (!c.author)
            c.author = s->cfg.title;
        const char *img = value_get_string(pc, "image");
        if (img) {
            site_absolute_url(s, s->cfg.base_path, &podcast_image);
            buf_puts(&podcast_image, img[0] == '/' ? img + 1 : img);
            c.image_url = podcast_image.data;
        }
        c.category = value_get_string(pc, "category");
        if (!c.category)
            c.category = "Government";
        c.owner_email = value_get_string(value_map_get(s->cfg.raw, "contact"),
                                         "email");
        rc = feed_write_podcast(&c, out, d);
    } else if (f->kind == FEED_ATOM) {
        rc = feed_write_atom(&c, out, d);
    } else {
        rc = feed_write_rss(&c, out, d);
    }
    for (size_t i = 0; i < n; i++) {
        buf_free(&data[i].permalink);
        buf_free(&data[i].html);
        buf_free(&data[i].enclosure);
        buf_free(&data[i].image);
        buf_free(&data[i].duration);
        free(data[i].cats);
    }
    free(data);
    free(items);
    buf_free(&link);
    buf_free(&self);
    buf_free(&podcast_image);
    return rc;
}

/* ---- redirects, 404, robots, sitemap ---- */

/* A small page that sends the reader on: meta refresh, a canonical link
 * for search engines, and a visible link for everyone else. */
static void redirect_page(const site *s, const char *target_abs, buf *out)
{
    const char *title = value_get_string(s->strings, "moved_title");
    const char *text = value_get_string(s->strings, "moved_text");
    buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
               "<meta charset=\"utf-8\">\n<title>", s->cfg.language);
    buf_put_html(out, title, strlen(title));
    buf_puts(out, "</title>\n<link rel=\"canonical\" href=\"");
    buf_put_html(out, target_abs, strlen(target_abs));
    buf_puts(out, "\">\n<meta name=\"robots\" content=\"noindex\">\n"
                  "<meta http-equiv=\"refresh\" content=\"0; url=");
    buf_put_html(out, target_abs, strlen(target_abs));
    buf_puts(out, "\">\n</head>\n<body>\n<main>\n<h1>");
    buf_put_html(out, title, strlen(title));
    buf_puts(out, "</h1>\n<p>");
    buf_put_html(out, text, strlen(text));
    buf_puts(out, " <a href=\"");
    buf_put_html(out, target_abs, strlen(target_abs));
    buf_puts(out, "\">");
    buf_put_html(out, target_abs, strlen(target_abs));
    buf_puts(out, "</a></p>\n</main>\n</body>\n</html>\n");
}

static void plan_aliases(build_state *b, diag *d)
{
    site *s = b->s;
    buf norm = BUF_INIT, abs = BUF_INIT, html = BUF_INIT;
    buf_init(&norm);
    buf_init(&abs);
    buf_init(&html);
    for (size_t i = 0; i < s->npublished; i++) {
        const page *p = s->published[i];
        const value *al = value_map_get(p->fm, "aliases");
        if (!al || al->kind != VALUE_LIST)
            continue;
        for (size_t k = 0; k < al->as.list.len; k++) {
            const value *a = al->as.list.items[k];
            if (a->kind != VALUE_STRING)
                continue;
            const char *path = a->as.str.s;
            /* "/gammel/side/" is taken below the site's base path. */
            if (strstr(path, "://") || fs_normalise(path, &norm) < 0 ||
                norm.len == 0) {
                diag_error(d, p->src_path, a->line, a->col,
                           "alias \"%s\" must be a path such as "
                           "/gammel/adresse/ inside the site", path);
                continue;
            }
            buf_clear(&abs);
            site_absolute_url(s, p->url, &abs);
            buf_clear(&html);
            redirect_page(s, abs.data, &html);
            buf out = BUF_INIT;
            buf_init(&out);
            size_t nl = norm.len;
            if (nl > 5 && !strcmp(norm.data + nl - 5, ".html"))
                buf_puts(&out, norm.data);
            else
                buf_printf(&out, "%s/index.html", norm.data);
            add_bytes(b, buf_detach(&out), &html, p->src_path);
        }
    }
    buf_free(&norm);
    buf_free(&abs);
    buf_free(&html);
}

static void plan_sitemap(build_state *b, diag *d)
{
    site *s = b->s;
    (void)d;
    /* Every HTML page of the site except redirects and 404. */
    size_t n = 0, cap = 256;
    sitemap_entry *e = xmalloc(cap * sizeof *e);
    char **locs = xmalloc(cap * sizeof *locs);
    for (size_t i = 0; i < b->njobs; i++) {
        const job *j = &b->jobs[i];
        const datetime *lastmod = NULL;
        const char *url;
        buf u = BUF_INIT;
        buf_init(&u);
        if (j->kind == JOB_PAGE) {
            url = j->p->url;
            lastmod = j->p->has_updated ? &j->p->updated : &j->p->date;
            site_absolute_url(s, url, &u);
        } else if (j->kind == JOB_LIST) {
            buf path = BUF_INIT;
            buf_init(&path);
            list_page_url(j->l, j->page_no, &path);
            site_absolute_url(s, path.data, &u);
            buf_free(&path);
            const listing *l = j->l;
            if (l->n)
                lastmod = l->items[0]->has_updated ? &l->items[0]->updated
                                                   : &l->items[0]->date;
        } else {
            buf_free(&u);
            continue;
        }
        if (n == cap) {
            cap *= 2;
            e = xrealloc(e, cap * sizeof *e);
            locs = xrealloc(locs, cap * sizeof *locs);
        }
        locs[n] = buf_detach(&u);
        e[n].loc = locs[n];
        e[n].lastmod = lastmod;
        n++;
    }
    size_t max = SITEMAP_MAX;
    const value *sm = value_map_get(value_map_get(s->cfg.raw, "sitemap"),
                                    "max_urls");
    if (sm && sm->kind == VALUE_NUMBER && sm->as.number >= 1 &&
        sm->as.number < SITEMAP_MAX)
        max = (size_t)sm->as.number;
    buf xml = BUF_INIT;
    buf_init(&xml);
    buf u = BUF_INIT;
    buf_init(&u);
    if (n <= max) {
        sitemap_write(e, n, &xml, d);
        add_bytes(b, xstrdup("sitemap.xml"), &xml, "sitemap");
    } else {
        size_t parts = (n + max - 1) / max;
        char **part_locs = xmalloc(parts * sizeof *part_locs);
        for (size_t k = 0; k < parts; k++) {
            size_t from = k * max;
            size_t cnt = n - from < max ? n - from : max;
            buf_clear(&xml);
            sitemap_write(e + from, cnt, &xml, d);
            buf name = BUF_INIT;
            buf_init(&name);
            buf_printf(&name, "sitemap-%zu.xml", k + 1);
            buf_clear(&u);
            site_absolute_url(s, s->cfg.base_path, &u);
            buf_puts(&u, name.data);
            part_locs[k] = buf_detach(&u);
            add_bytes(b, buf_detach(&name), &xml, "sitemap");
        }
        buf_clear(&xml);
        sitemap_write_index((const char *const *)part_locs, parts, NULL, &xml,
                            d);
        add_bytes(b, xstrdup("sitemap.xml"), &xml, "sitemap");
        for (size_t k = 0; k < parts; k++)
            free(part_locs[k]);
        free(part_locs);
    }
    buf_free(&xml);
    /* robots.txt names the sitemap.  Crawlers read it only at a host's
     * root; under a sub-path it is still written, for whoever copies the
     * folder to the root of a host. */
    buf robots = BUF_INIT;
    buf_init(&robots);
    buf_clear(&u);
    site_absolute_url(s, s->cfg.base_path, &u);
    buf_printf(&robots, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n",
               u.data);
    add_bytes(b, xstrdup("robots.txt"), &robots, "robots.txt");
    buf_free(&u);
    for (size_t i = 0; i < n; i++)
        free(locs[i]);
    free(locs);
    free(e);
}

static void plan_404(build_state *b, diag *d)
{
    site *s = b->s;
    /* Without a "404" or "page" layout there is nothing to render it
     * with; a missing "page" layout is reported where pages need it. */
    if (!tpl_set_has(b->r.tpls, "404") && !tpl_set_has(b->r.tpls, "page"))
        return;
    value *ctx = render_context_new(&b->r);
    value *pv = value_new_map();
    const char *title = value_get_string(s->strings, "not_found_title");
    value_map_set_string(pv, "title", title);
    value_map_set_bool(pv, "is_404", 1);
    buf u = BUF_INIT;
    buf_init(&u);
    buf_printf(&u, "%s404.html", s->cfg.base_path);
    value_map_set_string(pv, "url", u.data);
    buf_clear(&u);
    site_absolute_url(s, s->cfg.base_path, &u);
    buf_puts(&u, "404.html");
    value_map_set_string(pv, "permalink", u.data);
    buf_free(&u);
    const char *text = value_get_string(s->strings, "not_found_text");
    buf html = BUF_INIT;
    buf_init(&html);
    buf_puts(&html, "<p>");
    buf_put_html(&html, text, strlen(text));
    buf_puts(&html, "</p>\n");
    value_map_set(pv, "content", value_new_stringn(html.data, html.len));
    buf_clear(&html);
    const char *layout = tpl_set_has(b->r.tpls, "404") ? "404" : "page";
    if (render_with(&b->r, ctx, layout, "layouts/404.mustache", pv, NULL,
                    &html, d) == 0)
        add_bytes(b, xstrdup("404.html"), &html, "404 page");
    buf_free(&html);
    value_free(ctx);
}

static void plan_was(build_state *b)
{
    site *s = b->s;
    if (!s->cfg.accessibility_statement)
        return;
    buf html = BUF_INIT;
    buf_init(&html);
    redirect_page(s, s->cfg.accessibility_statement, &html);
    add_bytes(b, xstrdup("was/index.html"), &html, "accessibility_statement");
}

/* The feeds a page's <head> announces: the site's and its tracks'. */
static void announce_feeds(build_state *b)
{
    site *s = b->s;
    const taxonomy_index *tracks = lists_taxonomy(b, "tracks");
    const listing *home = &b->lists[0];
    b->site_feeds = value_new_list();
    value *sf = value_new_map();
    buf t = BUF_INIT;
    buf_init(&t);
    buf_printf(&t, "%s – %s", s->cfg.title,
               value_get_string(s->strings, "feed_all"));
    value_map_set_string(sf, "title", t.data);
    value_map_set_string(sf, "url", home->feed->url);
    value_list_push(b->site_feeds, sf);
    value_map_set(b->r.site_ctx, "feeds", value_ref(b->site_feeds));
    value_map_set_string(b->r.site_ctx, "feed_url", home->feed->url);
    /* One feed value per track, made once: each page refers to its own. */
    size_t ntracks = tracks ? tracks->n : 0;
    value **track_feed = xcalloc(ntracks ? ntracks : 1, sizeof *track_feed);
    for (size_t l = 0; l < b->nlists; l++) {
        const listing *li = &b->lists[l];
        if (!tracks || !li->term || li->term < tracks->terms ||
            li->term >= tracks->terms + ntracks)
            continue;
        value *f = value_new_map();
        buf_clear(&t);
        buf_printf(&t, "%s – %s", li->term->title,
                   value_get_string(s->strings, "feed_track"));
        value_map_set_string(f, "title", t.data);
        value_map_set_string(f, "url", li->feed->url);
        track_feed[li->term - tracks->terms] = f;
    }
    for (size_t i = 0; i < s->npublished; i++) {
        page *p = s->published[i];
        value *feeds = value_new_list();
        value_list_push(feeds, value_ref(sf));
        const value *tv = value_map_get(p->fm, "tracks");
        for (size_t k = 0; tv && tv->kind == VALUE_LIST &&
                           k < tv->as.list.len; k++) {
            const value *key = tv->as.list.items[k];
            if (key->kind != VALUE_STRING)
                continue;
            for (size_t g = 0; g < ntracks; g++)
                if (track_feed[g] && !strcmp(tracks->terms[g].key,
                                             key->as.str.s))
                    value_list_push(feeds, value_ref(track_feed[g]));
        }
        value_map_set(p->item, "feeds", feeds);
    }
    for (size_t g = 0; g < ntracks; g++)
        value_free(track_feed[g]);
    free(track_feed);
    buf_free(&t);
}

/* The search index, beside the search page (the page whose layout is
 * "search"): <its folder>/index/... .  No search page, no index.  It is
 * one job (JOB_SEARCH) that runs beside the page jobs. */
static void plan_search(build_state *b)
{
    site *s = b->s;
    for (size_t i = 0; i < s->npublished; i++)
        if (!strcmp(render_layout_name(s->published[i]), "search")) {
            build_add_job(b, (job){.kind = JOB_SEARCH, .p = s->published[i],
                                   .origin = "search index",
                                   .out_path = xstrdup("")});
            return;
        }
}

void publish_write_search(build_state *b, const job *j, diag *d)
{
    site *s = b->s;
    const page *sp = j->p;
    const listing *home = &b->lists[0];
    search_doc *docs = xcalloc(home->n ? home->n : 1, sizeof *docs);
    const char ***tracks = xcalloc(home->n ? home->n : 1, sizeof *tracks);
    const char ***titles = xcalloc(home->n ? home->n : 1, sizeof *titles);
    char **dates = xcalloc(home->n ? home->n : 1, sizeof *dates);
    char **html = xcalloc(home->n ? home->n : 1, sizeof *html);
    for (size_t i = 0; i < home->n; i++) {
        const page *p = home->items[i];
        search_doc *doc = &docs[i];
        doc->url = p->url;
        doc->title = p->title;
        doc->summary = value_get_string(p->item, "summary");
        doc->type = p->section->key;
        doc->type_title = p->section->title;
        const value *tv = value_map_get(p->item, "tracks");
        size_t nt = tv && tv->kind == VALUE_LIST ? tv->as.list.len : 0;
        tracks[i] = xcalloc(nt ? nt : 1, sizeof **tracks);
        titles[i] = xcalloc(nt ? nt : 1, sizeof **titles);
        for (size_t k = 0; k < nt; k++) {
            tracks[i][k] = value_get_string(tv->as.list.items[k], "key");
            titles[i][k] = value_get_string(tv->as.list.items[k], "title");
        }
        doc->tracks = tracks[i];
        doc->track_titles = titles[i];
        doc->ntracks = nt;
        buf d = BUF_INIT;
        buf_init(&d);
        date_format_ymd(&p->date, &d);
        dates[i] = buf_detach(&d);
        doc->date = dates[i];
    }
    /* serve's updates read only the changed pages again. */
    int only_changed = b->search && b->search_changed &&
                       search_cache_fits(*b->search, docs, home->n);
    for (size_t i = 0; i < home->n; i++) {
        const page *p = home->items[i];
        search_doc *doc = &docs[i];
        if (only_changed && !b->search_changed[i])
            continue;
        /* The body, and the names of its terms (tags, area, municipality,
         * ...) so that "Fremfærd Ældre" or a tag finds the page too. */
        buf text = BUF_INIT;
        buf_init(&text);
        if (p->rendered)
            buf_put(&text, p->md.html, p->md.html_len);
        buf_puts(&text, "\n<p>");
        for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
            const value *tv2 = value_map_get(p->item,
                                             s->cfg.taxonomies[t].field);
            const value *one[1] = {tv2};
            value *const *its = (value *const *)one;
            size_t cnt = tv2 ? 1 : 0;
            if (tv2 && tv2->kind == VALUE_LIST) {
                its = tv2->as.list.items;
                cnt = tv2->as.list.len;
            }
            for (size_t k = 0; k < cnt; k++) {
                const char *title = value_get_string(its[k], "title");
                if (title) {
                    buf_put_html(&text, title, strlen(title));
                    buf_putc(&text, ' ');
                }
            }
        }
        buf_puts(&text, "</p>\n");
        doc->html_len = text.len;
        html[i] = buf_detach(&text);
        doc->html = html[i];
    }
    search_index idx;
    if (b->search)
        search_build_cached(docs, home->n, b->search_changed, b->search,
                            &idx);
    else
        search_build(docs, home->n, &idx);
    const char *slash = strrchr(sp->out_path, '/');
    for (size_t i = 0; i < idx.nfiles; i++) {
        buf path = BUF_INIT;
        buf_init(&path);
        buf_printf(&path, "%.*s/index/%s", (int)(slash - sp->out_path),
                   sp->out_path, idx.files[i].path);
        const buf *data = &idx.files[i].data;
        const value *was = b->search_prev ? value_map_get(b->search_prev,
                                                          path.data)
                                          : NULL;
        if (was && was->as.str.len == data->len &&
            !memcmp(was->as.str.s, data->data, data->len))
            output_unchanged(&b->out);  /* written by the last build */
        else
            output_write(&b->out, path.data, data->data, data->len, d);
        if (b->search_files)
            value_map_set(b->search_files, path.data,
                          value_new_stringn(data->data, data->len));
        buf_free(&path);
    }
    search_index_free(&idx);
    for (size_t i = 0; i < home->n; i++) {
        free(tracks[i]);
        free(titles[i]);
        free(dates[i]);
        free(html[i]);
    }
    free(html);
    free(tracks);
    free(titles);
    free(dates);
    free(docs);
}

void publish_plan(build_state *b, diag *d)
{
    site *s = b->s;
    announce_feeds(b);
    /* The podcast: every page with audio, newest first. */
    size_t na = 0;
    page **audio = xmalloc((s->npublished ? s->npublished : 1) *
                           sizeof *audio);
    const listing *home = &b->lists[0];
    for (size_t i = 0; i < home->n; i++)
        if (home->items[i]->audio.url)
            audio[na++] = home->items[i];
    if (na) {
        const value *pc = value_map_get(s->cfg.raw, "podcast");
        const char *title = value_get_string(pc, "title");
        const char *desc = value_get_string(pc, "description");
        publish_add_feed(b, FEED_PODCAST, title ? title : s->cfg.title,
                         desc ? desc : s->cfg.description, s->cfg.base_path,
                         audio, na);
        value_map_set_string(b->r.site_ctx, "podcast_url",
                             b->feeds[b->nfeeds - 1]->url);
    } else {
        free(audio);
    }
    for (size_t i = 0; i < b->nfeeds; i++) {
        const feed_spec *f = b->feeds[i];
        build_add_job(b, (job){.kind = JOB_FEED, .f = f,
                               .out_path = rel_out(s, f->page_url,
                                                   f->kind == FEED_ATOM
                                                       ? "atom.xml"
                                                   : f->kind == FEED_PODCAST
                                                       ? "podcast.xml"
                                                       : "feed.xml")});
    }
    plan_aliases(b, d);
    plan_search(b);
    plan_was(b);
    plan_404(b, d);
    plan_sitemap(b, d);
}
