/*
 * cmd_new.c - `formidl new`: a new page from an archetype.  See cmd_new.h.
 *
 * The built-in archetypes below are the same text as the sample site's
 * archetypes/<section>.md (tests/new_check.sh checks that a site without
 * archetypes gets the same file), so a site can start from a copy of them.
 * The file is created with O_EXCL: two runs can never overwrite each
 * other, and an existing page is never touched.
 */
#define _GNU_SOURCE
#include "cmd_new.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "danish.h"
#include "fsutil.h"
#include "mustache.h"
#include "value.h"

/* ---- built-in archetypes (keep equal to archetypes/<section>.md) ---- */

/* The fields every kind of page has, after its own ones. */
#define ARCHETYPE_COMMON_FIELDS \
    "# Billede, fx {src: /assets/img/foto.jpg, alt: \"hvad billedet viser\", caption: \"\", credit: \"\"}\n" \
    "image:\n" \
    "# Lyd, fx {src: /assets/lyd/klip.mp3, duration: \"4:30\", transcript: \"hele teksten\"}\n" \
    "audio:\n" \
    "# Dato for seneste væsentlige ændring, fx 2025-01-31\n" \
    "updated:\n" \
    "# Forfatter\n" \
    "author:\n" \
    "# Ordet i adressen; tomt: filnavnet ({{slug}})\n" \
    "slug:\n" \
    "# Gamle adresser, der skal føre hertil, fx [/gammel/adresse/]\n" \
    "aliases: []\n" \
    "# Et andet layout end sektionens (layouts/NAVN.mustache)\n" \
    "layout:\n"

static const char archetype_cases[] =
    "---\n"
    "title: {{{title_yaml}}}\n"
    "date: {{date}}\n"
    "# Kladde: siden udgives først, når denne linje er fjernet\n"
    "draft: true\n"
    "# Spor: {{tracks_allowed}} (skal udfyldes: ret til det rigtige spor)\n"
    "tracks: [{{track}}]\n"
    "# Kommunen, fx \"Rebild Kommune\" (skal udfyldes)\n"
    "municipality: \"Ret kommunen\"\n"
    "# Arbejdspladsen, fx \"Hjemmeplejen, distrikt Nord\"\n"
    "workplace:\n"
    "# Ekspertområde{{#areas_allowed}}: {{areas_allowed}}{{/areas_allowed}}\n"
    "area:\n"
    "# Projektets slug (filnavnet under content/projects/), fx mere-kerneopgave\n"
    "project:\n"
    "# Periode, fx {from: 2024-01-01, to: 2024-12-31}\n"
    "period:\n"
    "# Kort resumé til lister og feeds; tomt: sidens første afsnit\n"
    "summary:\n"
    "# Emner i fri tekst, fx [tillid, dokumentation]\n"
    "tags: []\n"
    "# Effekter på bundlinjerne kvalitet, trivsel og oekonomi, én pr. måling, fx\n"
    "#   - {bottom_line: trivsel, measure: \"Sygefravær\", unit: \"%\", before: 7.8,\n"
    "#      after: 5.1, better: lower, source: \"Kommunens HR-data 2024\"}\n"
    "effects: []\n"
    ARCHETYPE_COMMON_FIELDS
    "---\n"
    "\n"
    "## Udgangspunkt\n"
    "\n"
    "Hvordan så hverdagen ud før? Hvad fyldte for borgerne og for medarbejderne?\n"
    "\n"
    "## Hvad gjorde de?\n"
    "\n"
    "Fortæl, hvad arbejdspladsen ændrede, og hvem der var med.\n"
    "\n"
    "## Hvad skete der?\n"
    "\n"
    "Beskriv resultaterne på kvalitet, trivsel og økonomi. Marker tal, der ikke er målt, som eksempeltal.\n"
    "\n"
    "## Gode råd\n"
    "\n"
    "- Et godt råd til andre arbejdspladser.\n";

static const char archetype_guides[] =
    "---\n"
    "title: {{{title_yaml}}}\n"
    "date: {{date}}\n"
    "# Kladde: siden udgives først, når denne linje er fjernet\n"
    "draft: true\n"
    "# Spor: {{tracks_allowed}} (skal udfyldes: ret til det rigtige spor)\n"
    "tracks: [{{track}}]\n"
    "# Hvor lang tid værktøjet tager, fx \"45 min\"\n"
    "duration:\n"
    "# Hvem der deltager, fx \"Leder og medarbejdere i teamet\"\n"
    "participants:\n"
    "# Filer til download, fx [{src: /assets/filer/skema.pdf, title: \"Skema til mødet\"}]\n"
    "downloads: []\n"
    "# Ekspertområde{{#areas_allowed}}: {{areas_allowed}}{{/areas_allowed}}\n"
    "area:\n"
    "# Projektets slug (filnavnet under content/projects/), fx mere-kerneopgave\n"
    "project:\n"
    "# Kort resumé til lister og feeds; tomt: sidens første afsnit\n"
    "summary:\n"
    "# Emner i fri tekst, fx [tillid, dialog]\n"
    "tags: []\n"
    ARCHETYPE_COMMON_FIELDS
    "---\n"
    "\n"
    "## Formål\n"
    "\n"
    "Hvad hjælper værktøjet med, og hvornår er det en god idé at bruge det?\n"
    "\n"
    "## Sådan gør I\n"
    "\n"
    "1. Første trin.\n"
    "2. Andet trin.\n"
    "\n"
    "## Gode råd\n"
    "\n"
    "- Et godt råd til dem, der bruger værktøjet.\n";

static const char archetype_projects[] =
    "---\n"
    "title: {{{title_yaml}}}\n"
    "date: {{date}}\n"
    "# Kladde: siden udgives først, når denne linje er fjernet\n"
    "draft: true\n"
    "# Spor: {{tracks_allowed}} (ret til det rigtige spor)\n"
    "tracks: [{{track}}]\n"
    "# Hvem der ejer projektet, fx \"Fremfærd Ældre\"\n"
    "owner:\n"
    "# Partnere, fx [\"KL\", \"Lokale MED-udvalg\"]\n"
    "partners: []\n"
    "# Periode, fx {from: 2024-01-01, to: 2025-12-31}\n"
    "period:\n"
    "# Budget i kroner, fx 2200000\n"
    "budget:\n"
    "# Status: planlagt, i-gang eller afsluttet\n"
    "status: planlagt\n"
    "# Faser, fx [{name: \"Forberedelse\", from: 2024-01-01, to: 2024-06-30}]\n"
    "phases: []\n"
    "# Ekspertområde{{#areas_allowed}}: {{areas_allowed}}{{/areas_allowed}}\n"
    "area:\n"
    "# Kort resumé til lister og feeds; tomt: sidens første afsnit\n"
    "summary:\n"
    "# Emner i fri tekst, fx [kerneopgave, tillid]\n"
    "tags: []\n"
    ARCHETYPE_COMMON_FIELDS
    "---\n"
    "\n"
    "## Baggrund\n"
    "\n"
    "Hvorfor blev projektet sat i gang, og hvem står bag?\n"
    "\n"
    "## Principper for arbejdet\n"
    "\n"
    "Hvad bygger projektet på, og hvordan arbejder I?\n"
    "\n"
    "## Opfølgning\n"
    "\n"
    "Hvordan følges projektet op, og hvor kan man læse om resultaterne?\n";

static const struct {
    const char *kind;
    const char *section;
    const char *path;           /* the site's own archetype */
    const char *archetype;      /* the built-in one */
} kinds[] = {
    {"case", "cases", "archetypes/cases.md", archetype_cases},
    {"guide", "guides", "archetypes/guides.md", archetype_guides},
    {"project", "projects", "archetypes/projects.md", archetype_projects},
    {NULL, NULL, NULL, NULL}
};

static size_t kind_index(const char *kind)
{
    size_t i = 0;
    while (kinds[i].kind && strcmp(kinds[i].kind, kind))
        i++;
    return i;
}

const char *new_section_of(const char *kind)
{
    return kinds[kind_index(kind)].section;
}

const char *new_builtin_archetype(const char *section)
{
    for (size_t i = 0; kinds[i].kind; i++)
        if (!strcmp(kinds[i].section, section))
            return kinds[i].archetype;
    return NULL;
}

/* ---- the context ---- */

/* s as a double-quoted YAML scalar. */
static void yaml_quote(const char *s, buf *out)
{
    buf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(out, "\\%c", c);
        else if (c == '\n')
            buf_puts(out, "\\n");
        else if (c == '\t')
            buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            buf_printf(out, "\\x%02x", c);
        else
            buf_putc(out, c);
    }
    buf_putc(out, '"');
}

/* The closed taxonomy of a front-matter field: its first term and all of
 * them, comma-separated. */
static void taxonomy_terms(const config *cfg, const char *field,
                           const char **first, buf *all)
{
    *first = NULL;
    for (size_t t = 0; t < cfg->ntaxonomies; t++) {
        const taxonomy_conf *tc = &cfg->taxonomies[t];
        if (strcmp(tc->field, field) || !tc->closed || !tc->nterms)
            continue;
        *first = tc->terms[0].key;
        for (size_t i = 0; i < tc->nterms; i++)
            buf_printf(all, "%s%s", i ? ", " : "", tc->terms[i].key);
        return;
    }
}

static value *new_context(const new_options *opt, const config *cfg,
                          const char *section, const char *slug)
{
    value *ctx = value_new_map();
    value_map_set_string(ctx, "title", opt->title);
    buf b = BUF_INIT;
    buf_init(&b);
    yaml_quote(opt->title, &b);
    value_map_set_string(ctx, "title_yaml", b.data);
    datetime dt;
    date_from_epoch(opt->now, cfg->time_zone ? cfg->time_zone
                                             : "Europe/Copenhagen", &dt);
    buf_clear(&b);
    date_format_ymd(&dt, &b);
    value_map_set_string(ctx, "date", b.data);
    value_map_set_string(ctx, "slug", slug);
    value_map_set_string(ctx, "section", section);
    const char *first;
    buf_clear(&b);
    taxonomy_terms(cfg, "tracks", &first, &b);
    value_map_set_string(ctx, "track", first ? first : "");
    value_map_set_string(ctx, "tracks_allowed", b.data);
    buf_clear(&b);
    taxonomy_terms(cfg, "area", &first, &b);
    value_map_set_string(ctx, "areas_allowed", b.data);
    buf_free(&b);
    return ctx;
}

/* ---- rendering and writing ---- */

int new_render(const new_options *opt, const config *cfg, buf *out,
               const char **origin, diag *d)
{
    size_t k = kind_index(opt->kind);
    if (!kinds[k].kind) {
        diag_error(d, NULL, 0, 0, "unknown kind \"%s\" (case, guide or "
                   "project)", opt->kind);
        return -1;
    }
    buf slug = BUF_INIT, path = BUF_INIT, text = BUF_INIT;
    buf_init(&slug);
    buf_init(&path);
    buf_init(&text);
    slugify(opt->title, &slug);
    fs_join(&path, opt->site_dir, kinds[k].path);
    int rc = 0;
    if (fs_is_file(path.data)) {
        *origin = kinds[k].path;
        if (fs_read_file(path.data, &text) < 0) {
            diag_error(d, kinds[k].path, 0, 0, "cannot read the archetype: "
                       "%s", strerror(errno));
            rc = -1;
        }
    } else {
        *origin = "built-in";
        buf_puts(&text, kinds[k].archetype);
    }
    size_t bad;
    if (rc == 0 && !utf8_valid(text.data, text.len, &bad)) {
        diag_error(d, *origin, 0, 0, "invalid UTF-8 at byte offset %zu",
                   bad);
        rc = -1;
    }
    if (rc == 0) {
        tpl_set *set = tpl_set_new();
        value *ctx = new_context(opt, cfg, kinds[k].section, slug.data);
        if (tpl_set_add(set, "archetype", text.data, text.len, *origin,
                        d) < 0 ||
            tpl_render(set, "archetype", ctx, out, 1, d) < 0)
            rc = -1;
        value_free(ctx);
        tpl_set_free(set);
    }
    buf_free(&slug);
    buf_free(&path);
    buf_free(&text);
    return rc;
}

/* Write data to path only if path does not exist.  Returns 0, 1 when it
 * exists, -1 on another error (errno set). */
static int write_new_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno == EEXIST ? 1 : -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(path);
            errno = e;
            return -1;
        }
        done += (size_t)w;
    }
    if (close(fd) < 0) {
        int e = errno;
        unlink(path);
        errno = e;
        return -1;
    }
    return 0;
}

int cmd_new(const new_options *opt)
{
    const char *section = new_section_of(opt->kind);
    if (!section) {
        fprintf(stderr, "formidl: unknown kind \"%s\" (case, guide or "
                "project)\nSkriv \"formidl help new\" for at se, hvordan "
                "formidl new bruges.\n", opt->kind);
        return 2;
    }
    buf slug = BUF_INIT;
    buf_init(&slug);
    if (slugify(opt->title, &slug) == 0) {
        fprintf(stderr, "formidl: the title \"%s\" gives no address: it "
                "needs letters or digits\n", opt->title);
        buf_free(&slug);
        return 2;
    }
    diag d;
    diag_init(&d);
    buf prefix = BUF_INIT;
    buf_init(&prefix);
    if (strcmp(opt->site_dir, ".") && strcmp(opt->site_dir, "./")) {
        buf_puts(&prefix, opt->site_dir);
        if (prefix.data[prefix.len - 1] != '/')
            buf_putc(&prefix, '/');
        diag_set_prefix(&d, prefix.data);
    }
    int status = 0;
    config cfg;
    buf rel = BUF_INIT, full = BUF_INIT, text = BUF_INIT;
    buf_init(&rel);
    buf_init(&full);
    buf_init(&text);
    const char *origin = NULL;
    if (config_load(&cfg, opt->site_dir, NULL, &d) < 0) {
        status = 1;
        goto done;
    }
    if (!config_section(&cfg, section)) {
        diag_error(&d, cfg.path, 0, 0, "site.yaml has no section \"%s\" "
                   "under sections:, so a %s has no place in this site",
                   section, opt->kind);
        status = 1;
        goto done;
    }
    /* A page folder with that slug has the same address. */
    buf_printf(&rel, "content/%s/%s/index.md", section, slug.data);
    fs_join(&full, opt->site_dir, rel.data);
    if (fs_is_file(full.data)) {
        diag_error(&d, rel.data, 0, 0, "a page with that address exists "
                   "already; formidl new never overwrites a page (choose "
                   "another title, or edit that file)");
        status = 1;
        goto done;
    }
    if (new_render(opt, &cfg, &text, &origin, &d) < 0) {
        status = 1;
        goto done;
    }
    if (text.len && text.data[text.len - 1] != '\n')
        buf_putc(&text, '\n');
    buf_clear(&rel);
    buf_printf(&rel, "content/%s", section);
    fs_join(&full, opt->site_dir, rel.data);
    if (fs_mkdirs(full.data) < 0) {
        diag_error(&d, rel.data, 0, 0, "cannot make the folder: %s",
                   strerror(errno));
        status = 3;
        goto done;
    }
    buf_printf(&rel, "/%s.md", slug.data);
    fs_join(&full, opt->site_dir, rel.data);
    int w = write_new_file(full.data, text.data, text.len);
    if (w == 1) {
        diag_error(&d, rel.data, 0, 0, "exists already; formidl new never "
                   "overwrites a page (choose another title, or edit the "
                   "file)");
        status = 1;
    } else if (w < 0) {
        diag_error(&d, rel.data, 0, 0, "cannot write: %s", strerror(errno));
        status = 3;
    } else {
        printf("%s%s\n", prefix.data, rel.data);
    }
done:
    diag_print(&d, stderr, 1);
    config_free(&cfg);
    diag_free(&d);
    buf_free(&slug);
    buf_free(&prefix);
    buf_free(&rel);
    buf_free(&full);
    buf_free(&text);
    return status;
}
