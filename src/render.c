/*
 * render.c - contexts and layouts.  See render.h.
 *
 * The site context is built once and shared (reference-counted) by every
 * page's context, so rendering a page costs one small map for the page plus
 * the Mustache run.  Page values are built on demand: a list page asks for
 * its items without their HTML.
 */
#define _GNU_SOURCE
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "effects.h"
#include "fsutil.h"
#include "mime.h"
#include "yamltree.h"

#ifndef FORMIDL_VERSION
#define FORMIDL_VERSION "0.1.0"
#endif

/* Built-in UI strings (Danish).  A site overrides or adds any of them in
 * i18n/<language>.yaml. */
static const char *const default_strings[][2] = {
    {"skip_link", "Gå til sidens indhold"},
    {"home", "Forside"},
    {"breadcrumb", "Brødkrumme"},
    {"main_menu", "Hovedmenu"},
    {"published", "Udgivet"},
    {"updated", "Opdateret"},
    {"tracks", "Spor"},
    {"tags", "Emner"},
    {"area", "Ekspertområde"},
    {"municipality", "Kommune"},
    {"workplace", "Arbejdsplads"},
    {"period", "Periode"},
    {"project", "Projekt"},
    {"effects", "Effekter"},
    {"before", "Før"},
    {"after", "Efter"},
    {"measure", "Mål"},
    {"source", "Kilde"},
    {"duration", "Varighed"},
    {"participants", "Deltagere"},
    {"downloads", "Materialer"},
    {"status", "Status"},
    {"budget", "Budget"},
    {"partners", "Partnere"},
    {"phases", "Faser"},
    {"owner", "Ejer"},
    {"toc", "Indhold på siden"},
    {"latest", "Seneste"},
    {"read_more", "Læs mere"},
    {"all_pages", "Alle sider"},
    {"contact", "Kontakt"},
    {"accessibility_statement", "Tilgængelighedserklæring"},
    {"footnote_back", "Tilbage til indholdet"},
    {"subscribe", "Abonnér (RSS)"},
    {"no_pages", "Der er ingen sider her endnu."},
    {"status_planlagt", "Planlagt"},
    {"status_i-gang", "I gang"},
    {"status_afsluttet", "Afsluttet"},
    {"transcript", "Transskription"},
    {"moved_title", "Siden er flyttet"},
    {"moved_text", "Siden findes nu på"},
    {"not_found_title", "Siden findes ikke"},
    {"not_found_text", "Vi kan ikke finde den side, du leder efter. Den kan være flyttet eller slettet. Prøv forsiden eller søgningen."},
    {"feed_all", "alle nye sider (RSS)"},
    {"feed_track", "nye sider i sporet (RSS)"},
    {"listen", "Lyt"},
    {"featured_guides", "Værktøjer til jeres næste møde"},
    {"fx_before", "Før"},
    {"fx_after", "Efter"},
    {"fx_lower_better", "lavere er bedre"},
    {"fx_higher_better", "højere er bedre"},
    {"fx_better", "bedre"},
    {"fx_worse", "dårligere"},
    {"fx_title", "Effekter før og efter"},
    {"fx_overview_title", "Ændring i procent for %s (positiv er bedre)"},
    {"og_locale", "da_DK"},
    {"search", "Søg"},
    {"footer_menu", "Genveje"},
    {"follow", "Følg med"},
    {"podcast", "Podcast (RSS)"},
    {"phone", "Telefon"},
    {"email", "E-mail"},
    {"reading_time", "Læsetid"},
    {"minutes", "min."},
    {"facts", "Fakta"},
    {"effects_caption", "Målinger før og efter"},
    {"effects_note", "Tallene står også i tabellen under figuren."},
    {"change", "Ændring"},
    {"improved", "Bedre"},
    {"not_improved", "Ikke bedre"},
    {"bottom_line", "Bundlinje"},
    {"case", "Praksiseksempel"},
    {"related", "Læs også"},
    {"prevnext", "Forrige og næste"},
    {"newer", "Nyere"},
    {"older", "Ældre"},
    {"project_cases", "Praksiseksempler fra projektet"},
    {"phase", "Fase"},
    {"currency", "kr."},
    {"audio_download", "Hent lydfilen"},
    {"read_transcript", "Læs transskriptionen"},
    {"pagination", "Sider"},
    {"previous", "Forrige"},
    {"next", "Næste"},
    {"page", "Side"},
    {"of", "af"},
    {"see_all", "Se alt i sporet"},
    {"track_cases", "Seneste praksiseksempler"},
    {"track_guides", "Værktøjer"},
    {"track_facets", "Find mere i sporet"},
    {"effects_overview", "Effekter på tværs af praksiseksempler"},
    {"effects_improved_text", "målinger viser en forbedring."},
    {"not_found_next", "Find videre herfra"},
    {"printed_from", "Findes på"},
    {NULL, NULL}
};

/* Collect the literal values of id="..." in a layout (those without a
 * Mustache tag in them), so Markdown headings can keep clear of them. */
static void collect_ids(site *s, size_t *n, size_t *cap, const char *text)
{
    for (const char *p = text; (p = strstr(p, "id=\"")); ) {
        if (p > text && (p[-1] == '-' || p[-1] == '_' ||
                         (p[-1] >= 'a' && p[-1] <= 'z'))) {
            p += 4;     /* aria-labelledby="..", data-id=".." */
            continue;
        }
        p += 4;
        const char *e = strchr(p, '"');
        if (!e)
            break;
        if (e > p && !memchr(p, '{', (size_t)(e - p)) &&
            !memchr(p, ' ', (size_t)(e - p))) {
            if (*n + 2 > *cap) {
                *cap = *cap ? *cap * 2 : 32;
                s->reserved_ids = xrealloc(s->reserved_ids,
                                           *cap * sizeof(char *));
            }
            s->reserved_ids[(*n)++] = xstrndup(p, (size_t)(e - p));
            s->reserved_ids[*n] = NULL;
        }
        p = e;
    }
}

static int load_layout_dir(renderer *r, const char *dir, const char *prefix,
                           diag *d, int depth)
{
    size_t n;
    char **names = fs_list_dir(dir, &n);
    if (!names)
        return depth == 0 ? -1 : 0;
    buf child = BUF_INIT, text = BUF_INIT, name = BUF_INIT, origin = BUF_INIT;
    buf_init(&child);
    buf_init(&text);
    buf_init(&name);
    buf_init(&origin);
    for (size_t i = 0; i < n && depth < 8; i++) {
        if (names[i][0] == '.')
            continue;
        fs_join(&child, dir, names[i]);
        buf_clear(&name);
        buf_printf(&name, "%s%s", prefix, names[i]);
        if (fs_is_dir(child.data)) {
            buf_putc(&name, '/');
            load_layout_dir(r, child.data, name.data, d, depth + 1);
            continue;
        }
        size_t len = strlen(names[i]);
        const char *ext = ".mustache";
        if (len <= strlen(ext) || strcmp(names[i] + len - strlen(ext), ext))
            continue;
        name.len -= strlen(ext);
        name.data[name.len] = '\0';
        buf_clear(&origin);
        buf_printf(&origin, "layouts/%s%s", prefix, names[i]);
        if (fs_read_file(child.data, &text) < 0) {
            diag_error(d, origin.data, 0, 0, "cannot read: %s",
                       strerror(errno));
            continue;
        }
        size_t bad;
        if (!utf8_valid(text.data, text.len, &bad)) {
            diag_error(d, origin.data, 0, 0,
                       "invalid UTF-8 at byte offset %zu", bad);
            continue;
        }
        tpl_set_add(r->tpls, name.data, text.data, text.len, origin.data, d);
        collect_ids(r->s, &r->nreserved, &r->reserved_cap, text.data);
    }
    buf_free(&child);
    buf_free(&text);
    buf_free(&name);
    buf_free(&origin);
    fs_free_list(names, n);
    return 0;
}

static value *load_strings(const site *s, diag *d)
{
    value *strings = value_new_map();
    for (size_t i = 0; default_strings[i][0]; i++)
        value_map_set_string(strings, default_strings[i][0],
                             default_strings[i][1]);
    buf path = BUF_INIT, rel = BUF_INIT, text = BUF_INIT;
    buf_init(&path);
    buf_init(&rel);
    buf_init(&text);
    buf_printf(&rel, "i18n/%s.yaml", s->cfg.language);
    fs_join(&path, s->opt->site_dir, rel.data);
    if (fs_read_file(path.data, &text) == 0) {
        size_t bad;
        value *v = NULL;
        if (!utf8_valid(text.data, text.len, &bad))
            diag_error(d, rel.data, 0, 0, "invalid UTF-8 at byte offset %zu",
                       bad);
        else
            v = yaml_parse(rel.data, text.data, text.len, 1, d);
        if (v && v->kind == VALUE_MAP) {
            for (size_t i = 0; i < v->as.map.len; i++) {
                value *x = v->as.map.vals[i];
                if (x->kind != VALUE_STRING) {
                    diag_error(d, rel.data, x->line, x->col,
                               "string \"%s\" must be text",
                               v->as.map.keys[i]);
                    continue;
                }
                value_map_set(strings, v->as.map.keys[i], value_ref(x));
            }
        } else if (v) {
            diag_error(d, rel.data, 1, 1, "a strings file must be a map");
        }
        value_free(v);
    }
    buf_free(&path);
    buf_free(&rel);
    buf_free(&text);
    return strings;
}

void render_term_url(const site *s, const taxonomy_conf *t, const char *term,
                     buf *out)
{
    buf_printf(out, "%s%s/", s->cfg.base_path, t->url);
    size_t before = out->len;
    slugify(term, out);
    if (out->len == before)
        buf_puts(out, "x");
    buf_putc(out, '/');
}

static value *term_value(const site *s, const taxonomy_conf *t,
                         const char *key)
{
    value *m = value_new_map();
    const term_conf *tc = taxonomy_term(t, key);
    value_map_set_string(m, "key", key);
    value_map_set_string(m, "title", tc ? tc->title : key);
    buf url = BUF_INIT;
    buf_init(&url);
    render_term_url(s, t, key, &url);
    value_map_set(m, "url", value_new_stringn(url.data, url.len));
    buf_free(&url);
    return m;
}

static value *date_value(const datetime *dt)
{
    value *m = value_new_map();
    buf b = BUF_INIT;
    buf_init(&b);
    date_format_iso(dt, &b);
    value_map_set_string(m, "iso", b.data);
    buf_clear(&b);
    date_format_ymd(dt, &b);
    value_map_set_string(m, "ymd", b.data);
    buf_clear(&b);
    date_format_long_da(dt, &b);
    value_map_set_string(m, "long", b.data);
    buf_clear(&b);
    date_format_rfc822(dt, &b);
    value_map_set_string(m, "rfc822", b.data);
    value_map_set_number(m, "year", dt->year);
    buf_free(&b);
    return m;
}

/* A date string from front matter as a date value, or NULL. */
static value *date_string_value(const site *s, const value *v)
{
    if (!v || v->kind != VALUE_STRING)
        return NULL;
    datetime dt;
    const char *err;
    if (date_parse(v->as.str.s, s->cfg.time_zone, &dt, &err) < 0)
        return NULL;
    return date_value(&dt);
}

static value *period_value(const site *s, const value *v)
{
    if (!v || v->kind != VALUE_MAP)
        return NULL;
    value *m = value_new_map();
    value *from = date_string_value(s, value_map_get(v, "from"));
    value *to = date_string_value(s, value_map_get(v, "to"));
    if (from)
        value_map_set(m, "from", from);
    if (to)
        value_map_set(m, "to", to);
    return m;
}

static value *terms_of(const site *s, const page *p, const char *tax_key)
{
    const taxonomy_conf *t = config_taxonomy(&s->cfg, tax_key);
    if (!t)
        return NULL;
    const value *v = value_map_get(p->fm, t->field);
    if (!v)
        return NULL;
    value *list = value_new_list();
    if (v->kind == VALUE_STRING)
        value_list_push(list, term_value(s, t, v->as.str.s));
    else if (v->kind == VALUE_LIST)
        for (size_t i = 0; i < v->as.list.len; i++)
            if (v->as.list.items[i]->kind == VALUE_STRING)
                value_list_push(list, term_value(s, t,
                                                 v->as.list.items[i]->as.str.s));
    return list;
}

static void number_text(value *m, const char *key, double n, int decimals)
{
    buf b = BUF_INIT;
    buf_init(&b);
    number_format_da(n, decimals, &b);
    value_map_set(m, key, value_new_stringn(b.data, b.len));
    buf_free(&b);
}

static int decimals_of(double n)
{
    for (int d = 0; d < 3; d++) {
        double scaled = n;
        for (int i = 0; i < d; i++)
            scaled *= 10;
        if (scaled == (double)(long long)scaled)
            return d;
    }
    return 3;
}

static value *effects_value(const site *s, const value *v)
{
    if (!v || v->kind != VALUE_LIST)
        return NULL;
    const taxonomy_conf *bl = config_taxonomy(&s->cfg, "bottom_lines");
    value *list = value_new_list();
    for (size_t i = 0; i < v->as.list.len; i++) {
        value *e = value_map_shallow_copy(v->as.list.items[i]);
        if (e->kind != VALUE_MAP) {
            value_free(e);
            continue;
        }
        const char *key = value_get_string(e, "bottom_line");
        if (key && bl)
            value_map_set(e, "bottom_line", term_value(s, bl, key));
        const value *b = value_map_get(e, "before");
        const value *a = value_map_get(e, "after");
        if (b && a && b->kind == VALUE_NUMBER && a->kind == VALUE_NUMBER) {
            int dec = decimals_of(b->as.number);
            if (decimals_of(a->as.number) > dec)
                dec = decimals_of(a->as.number);
            number_text(e, "before_text", b->as.number, dec);
            number_text(e, "after_text", a->as.number, dec);
            const char *better = value_get_string(e, "better");
            int improved = better && !strcmp(better, "lower")
                               ? a->as.number < b->as.number
                               : a->as.number > b->as.number;
            value_map_set_bool(e, "improved", improved);
        }
        value_list_push(list, e);
    }
    return list;
}

const char *render_layout_name(const page *p)
{
    const char *l = value_get_string(p->fm, "layout");
    if (l)
        return l;
    if (p->kind == PAGE_SECTION && p->section->layout)
        return p->section->layout;
    if (p->kind == PAGE_TRACK)
        return "track";
    return "page";
}

value *render_page_value(const renderer *r, const page *p, int with_content)
{
    const site *s = r->s;
    value *m = value_map_shallow_copy(p->fm);
    value_map_set_string(m, "title", p->title);
    value_map_set_string(m, "url", p->url);
    value_map_set_string(m, "slug", p->slug);
    value_map_set_string(m, "source", p->src_path);
    buf b = BUF_INIT;
    buf_init(&b);
    site_absolute_url(s, p->url, &b);
    value_map_set_string(m, "permalink", b.data);
    buf_free(&b);
    value_map_set(m, "date", date_value(&p->date));
    if (p->has_updated)
        value_map_set(m, "updated", date_value(&p->updated));
    else
        value_map_set(m, "updated", value_new_null());
    if (p->kind == PAGE_SECTION) {
        value *sec = value_new_map();
        value_map_set_string(sec, "key", p->section->key);
        value_map_set_string(sec, "title", p->section->title);
        buf u = BUF_INIT;
        buf_init(&u);
        buf_printf(&u, "%s%s/", s->cfg.base_path, p->section->url);
        value_map_set_string(sec, "url", u.data);
        buf_free(&u);
        value_map_set(m, "section", sec);
        buf flag = BUF_INIT;
        buf_init(&flag);
        buf_printf(&flag, "is_%s", p->section->key);
        value_map_set_bool(m, flag.data, 1);
        buf_free(&flag);
    }
    const char *summary = value_get_string(p->fm, "summary");
    if (!summary && p->rendered)
        summary = p->md.summary;
    value_map_set_string(m, "summary", summary ? summary : "");
    /* Taxonomy fields become term objects {key, title, url}. */
    for (size_t i = 0; i < s->cfg.ntaxonomies; i++) {
        const taxonomy_conf *t = &s->cfg.taxonomies[i];
        if (strchr(t->field, '.'))
            continue;
        value *terms = terms_of(s, p, t->key);
        if (!terms)
            continue;
        const value *raw = value_map_get(p->fm, t->field);
        if (raw->kind == VALUE_STRING && terms->as.list.len == 1) {
            value *one = value_ref(terms->as.list.items[0]);
            value_free(terms);
            value_map_set(m, t->field, one);
        } else {
            value_map_set(m, t->field, terms);
        }
    }
    value *eff = effects_value(s, value_map_get(p->fm, "effects"));
    if (eff) {
        value_map_set(m, "effects", eff);
        buf svg = BUF_INIT;
        buf_init(&svg);
        effects_case_svg(value_map_get(p->fm, "effects"), "fx", r->strings,
                         &svg);
        if (svg.len)
            value_map_set(m, "effects_svg", value_new_stringn(svg.data, svg.len));
        buf_free(&svg);
    }
    value *per = period_value(s, value_map_get(p->fm, "period"));
    if (per)
        value_map_set(m, "period", per);
    const value *budget = value_map_get(p->fm, "budget");
    if (budget && budget->kind == VALUE_NUMBER)
        number_text(m, "budget_text", budget->as.number, 0);
    const char *status = value_get_string(p->fm, "status");
    if (status) {
        buf k = BUF_INIT;
        buf_init(&k);
        buf_printf(&k, "status_%s", status);
        const char *st = value_get_string(r->strings, k.data);
        value_map_set_string(m, "status_text", st ? st : status);
        buf_free(&k);
    }
    const value *phases = value_map_get(p->fm, "phases");
    if (phases && phases->kind == VALUE_LIST) {
        value *list = value_new_list();
        for (size_t i = 0; i < phases->as.list.len; i++) {
            value *ph = value_map_shallow_copy(phases->as.list.items[i]);
            if (ph->kind == VALUE_MAP) {
                value *f = date_string_value(s, value_map_get(ph, "from"));
                value *t = date_string_value(s, value_map_get(ph, "to"));
                if (f)
                    value_map_set(ph, "from", f);
                if (t)
                    value_map_set(ph, "to", t);
                value_map_set_number(ph, "number", (double)(i + 1));
            }
            value_list_push(list, ph);
        }
        value_map_set(m, "phases", list);
    }
    if (p->image.url) {
        value *img = value_map_shallow_copy(value_map_get(p->fm, "image"));
        value_map_set_string(img, "url", p->image.url);
        value_map_set_string(img, "type", p->image.type);
        buf abs = BUF_INIT;
        buf_init(&abs);
        site_absolute_url(s, p->image.url, &abs);
        value_map_set_string(img, "permalink", abs.data);
        buf_free(&abs);
        if (p->image.width > 0 && p->image.height > 0) {
            value_map_set_number(img, "width", p->image.width);
            value_map_set_number(img, "height", p->image.height);
        }
        value_map_set(m, "image", img);
    }
    if (p->audio.url) {
        value *au = value_map_shallow_copy(value_map_get(p->fm, "audio"));
        value_map_set_string(au, "url", p->audio.url);
        value_map_set_string(au, "type", p->audio.type);
        value_map_set_number(au, "size", (double)p->audio.size);
        if (p->transcript && p->rendered)
            value_map_set(au, "transcript_html",
                          value_new_stringn(p->transcript_md.html,
                                            p->transcript_md.html_len));
        value_map_set(m, "audio", au);
    }
    if (p->ndownloads) {
        const value *dl = value_map_get(p->fm, "downloads");
        value *list = value_new_list();
        for (size_t i = 0, k = 0; i < dl->as.list.len && k < p->ndownloads;
             i++) {
            value *it = dl->as.list.items[i];
            if (strcmp(value_get_string(it, "src") ? value_get_string(it, "src")
                                                   : "",
                       p->downloads[k].src))
                continue;
            value *dv = value_map_shallow_copy(it);
            value_map_set_string(dv, "url", p->downloads[k].url);
            value_map_set_string(dv, "type", p->downloads[k].type);
            char scratch[16];
            value_map_set_string(dv, "label",
                                 mime_label(p->downloads[k].file, scratch,
                                            sizeof scratch));
            buf sz = BUF_INIT;
            buf_init(&sz);
            double kb = (double)p->downloads[k].size / 1000.0;
            if (kb >= 1000) {
                number_format_da(kb / 1000.0, 1, &sz);
                buf_puts(&sz, " MB");
            } else {
                number_format_da(kb < 1 ? 1 : kb, 0, &sz);
                buf_puts(&sz, " kB");
            }
            value_map_set_string(dv, "size_text", sz.data);
            buf_free(&sz);
            value_list_push(list, dv);
            k++;
        }
        value_map_set(m, "downloads", list);
    }
    if (p->rendered) {
        value *toc = value_new_list();
        for (size_t i = 0; i < p->md.toc_len; i++) {
            value *h = value_new_map();
            value_map_set_number(h, "level", p->md.toc[i].level);
            value_map_set_string(h, "id", p->md.toc[i].id);
            value_map_set_string(h, "text", p->md.toc[i].text);
            value_list_push(toc, h);
        }
        value_map_set(m, "toc", toc);
        value_map_set_number(m, "word_count", (double)p->md.word_count);
        value_map_set_number(m, "reading_minutes",
                             (double)((p->md.word_count + 199) / 200));
        if (with_content)
            value_map_set(m, "content",
                          value_new_stringn(p->md.html, p->md.html_len));
    }
    return m;
}

static value *site_context(const site *s)
{
    const config *c = &s->cfg;
    value *m = value_new_map();
    value_map_set_string(m, "title", c->title);
    value_map_set_string(m, "description", c->description);
    value_map_set_string(m, "base_url", c->base_url);
    value_map_set_string(m, "base_path", c->base_path);
    value_map_set_string(m, "language", c->language);
    value_map_set_string(m, "generator", "formidl " FORMIDL_VERSION);
    if (c->accessibility_statement)
        value_map_set_string(m, "accessibility_statement",
                             c->accessibility_statement);
    const value *contact = value_map_get(c->raw, "contact");
    if (contact)
        value_map_set(m, "contact", value_copy(contact));
    const value *params = value_map_get(c->raw, "params");
    if (params)
        value_map_set(m, "params", value_copy(params));
    value *secs = value_new_list();
    buf u = BUF_INIT;
    buf_init(&u);
    for (size_t i = 0; i < c->nsections; i++) {
        value *sec = value_new_map();
        value_map_set_string(sec, "key", c->sections[i].key);
        value_map_set_string(sec, "title", c->sections[i].title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", c->base_path, c->sections[i].url);
        value_map_set_string(sec, "url", u.data);
        value_list_push(secs, sec);
    }
    value_map_set(m, "sections", secs);
    const taxonomy_conf *tracks = config_taxonomy(c, "tracks");
    value *tl = value_new_list();
    for (size_t i = 0; tracks && i < tracks->nterms; i++)
        value_list_push(tl, term_value(s, tracks, tracks->terms[i].key));
    value_map_set(m, "tracks", tl);
    /* Taxonomy indexes and plain pages, for menus and footers. */
    value *taxes = value_new_list();
    for (size_t i = 0; i < c->ntaxonomies; i++) {
        value *t = value_new_map();
        value_map_set_string(t, "key", c->taxonomies[i].key);
        value_map_set_string(t, "title", c->taxonomies[i].title);
        buf_clear(&u);
        buf_printf(&u, "%s%s/", c->base_path, c->taxonomies[i].url);
        value_map_set_string(t, "url", u.data);
        value_list_push(taxes, t);
    }
    value_map_set(m, "taxonomies", taxes);
    value *pages = value_new_list();
    for (size_t i = 0; i < s->npublished; i++) {
        const page *p = s->published[i];
        if (p->kind != PAGE_PLAIN)
            continue;
        value *pv = value_new_map();
        value_map_set_string(pv, "title", p->title);
        value_map_set_string(pv, "url", p->url);
        if (!strcmp(render_layout_name(p), "search"))
            value_map_set_string(m, "search_url", p->url);
        value_list_push(pages, pv);
    }
    value_map_set(m, "pages", pages);
    buf_free(&u);
    return m;
}

int render_init(renderer *r, site *s, diag *d)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->tpls = tpl_set_new();
    buf dir = BUF_INIT;
    buf_init(&dir);
    fs_join(&dir, s->opt->site_dir, "layouts");
    size_t before = d->errors;
    if (load_layout_dir(r, dir.data, "", d, 0) < 0)
        diag_error(d, "layouts", 0, 0, "cannot read the layouts folder: %s",
                   strerror(errno));
    buf_free(&dir);
    /* Ids the generated charts use. */
    static const char *const chart_ids[] = {"fx-title", "fx-desc", "fx-hatch",
                                            "fx-all-title", "fx-all-desc",
                                            "fx-all-hatch", NULL};
    for (size_t i = 0; chart_ids[i]; i++) {
        if (r->nreserved + 2 > r->reserved_cap) {
            r->reserved_cap = r->reserved_cap ? r->reserved_cap * 2 : 32;
            s->reserved_ids = xrealloc(s->reserved_ids,
                                       r->reserved_cap * sizeof(char *));
        }
        s->reserved_ids[r->nreserved++] = xstrdup(chart_ids[i]);
        s->reserved_ids[r->nreserved] = NULL;
    }
    r->strings = load_strings(s, d);
    r->site_ctx = site_context(s);
    return d->errors > before ? -1 : 0;
}

void render_free(renderer *r)
{
    tpl_set_free(r->tpls);
    value_free(r->site_ctx);
    value_free(r->strings);
}

value *render_context_new(const renderer *r)
{
    value *ctx = value_new_map();
    value_map_set(ctx, "site", value_ref(r->site_ctx));
    value_map_set(ctx, "strings", value_ref(r->strings));
    return ctx;
}

int render_with(const renderer *r, value *ctx, const char *name,
                const char *origin, value *page_val, value *list_val,
                buf *out, diag *d)
{
    if (!tpl_set_has(r->tpls, name)) {
        diag_error(d, origin, 0, 0, "layout \"%s\" not found (looked for "
                   "layouts/%s.mustache)", name, name);
        value_free(page_val);
        value_free(list_val);
        return -1;
    }
    value_map_set(ctx, "page", page_val ? page_val : value_new_null());
    value_map_set(ctx, "list", list_val ? list_val : value_new_null());
    int rc = tpl_render(r->tpls, name, ctx, out, 1, d);
    value_map_set(ctx, "page", value_new_null());
    value_map_set(ctx, "list", value_new_null());
    return rc;
}

int render_page(const renderer *r, value *ctx, const page *p, buf *out,
                diag *d)
{
    value *pv;
    if (p->item) {
        pv = value_map_shallow_copy(p->item);
        if (p->rendered)
            value_map_set(pv, "content",
                          value_new_stringn(p->md.html, p->md.html_len));
    } else {
        pv = render_page_value(r, p, 1);
    }
    return render_with(r, ctx, render_layout_name(p), p->src_path, pv, NULL,
                       out, d);
}
