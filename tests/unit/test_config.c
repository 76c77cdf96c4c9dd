/*
 * test_config.c - unit tests for config.c: site.yaml read from a temporary
 * site folder into struct config: every field, defaults, base_url and its
 * parts, --base-url, sections and taxonomies, and the exact diagnostics
 * (path:line:col) for bad settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "test.h"

static char tmp[256];
static int site_no;
static char *out_text;
static config C;
static diag D;

/* Write yaml as site.yaml of a new site folder and load it (with the
 * given --base-url, or NULL).  C and D hold the result until the next
 * call.  Returns config_load's status. */
static int load(const char *yaml, const char *override)
{
    config_free(&C);
    diag_free(&D);
    diag_init(&D);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/site%d", tmp, ++site_no);
    buf p = BUF_INIT;
    buf_init(&p);
    fs_join(&p, dir, "site.yaml");
    if (yaml && fs_write_file(p.data, yaml, strlen(yaml)) != 0)
        printf("    cannot write %s\n", p.data);
    if (!yaml)
        fs_mkdirs(dir);
    buf_free(&p);
    return config_load(&C, dir, override, &D);
}

/* The diagnostics of the last load, as printed (warnings included). */
static const char *diags(void)
{
    free(out_text);
    out_text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out_text, &n);
    diag_print(&D, f, 1);
    fclose(f);
    return out_text;
}

/* A valid site.yaml with one line changed or added: base + extra. */
static char *with(const char *extra)
{
    buf b = BUF_INIT;
    buf_init(&b);
    buf_puts(&b, "title: \"Testsite\"\nbase_url: \"https://example.dk/\"\n");
    buf_puts(&b, extra);
    return buf_detach(&b);
}

/* load(with(extra)); returns the printed diagnostics. */
static const char *load_with(const char *extra, int want_rc)
{
    char *y = with(extra);
    int rc = load(y, NULL);
    free(y);
    if (rc != want_rc)
        printf("    config_load returned %d, want %d\n", rc, want_rc);
    CHECK_INT(rc, want_rc);
    return diags();
}

/* ---- everything set ---- */

static const char full_yaml[] =
    "title: \"Mere kerneopgave og mindre bureaukrati\"\n"          /* 1 */
    "description: \"Resultater fra programmet\"\n"                 /* 2 */
    "base_url: \"https://example.dk/kerneopgave/\"\n"              /* 3 */
    "language: da\n"                                               /* 4 */
    "time_zone: UTC\n"                                             /* 5 */
    "accessibility_statement: \"https://www.was.digst.dk/x\"\n"    /* 6 */
    "contact: {name: \"Anne\", email: \"a@example.dk\"}\n"         /* 7 */
    "allow_html: true\n"                                           /* 8 */
    "per_page: 12\n"                                               /* 9 */
    "feed_items: 30\n"                                             /* 10 */
    "params: {farve: blå, antal: 3}\n"                             /* 11 */
    "sections:\n"                                                  /* 12 */
    "  cases: {url: praksis, title: \"Praksiseksempler\", layout: case}\n"
    "  guides:\n"                                                  /* 14 */
    "    url: vaerktoejer\n"                                       /* 15 */
    "    title: \"Værktøjer\"\n"                                   /* 16 */
    "  om: {}\n"                                                   /* 17 */
    "taxonomies:\n"                                                /* 18 */
    "  tracks:\n"                                                  /* 19 */
    "    field: tracks\n"                                          /* 20 */
    "    url: spor\n"                                              /* 21 */
    "    title: \"Spor\"\n"                                        /* 22 */
    "    singular: \"Sporet\"\n"                                   /* 23 */
    "    terms:\n"                                                 /* 24 */
    "      borgerkontakt: \"Styrket borgerkontakt\"\n"             /* 25 */
    "      frisaettende-ledelse: \"Frisættende ledelse og styring\"\n"
    "  bottom_lines:\n"                                            /* 27 */
    "    field: effects.bottom_line\n"                             /* 28 */
    "    url: bundlinjer\n"                                        /* 29 */
    "    title: Bundlinjer\n"                                      /* 30 */
    "    terms: {kvalitet: Kvalitet, trivsel: Trivsel, oekonomi: Økonomi}\n"
    "  tags: {field: tags, url: emner, title: \"Emner\"}\n";       /* 32 */

TEST(all_fields)
{
    CHECK_INT(load(full_yaml, NULL), 0);
    CHECK_STR(diags(), "");
    CHECK_STR(C.path, "site.yaml");
    CHECK_STR(C.title, "Mere kerneopgave og mindre bureaukrati");
    CHECK_STR(C.description, "Resultater fra programmet");
    CHECK_STR(C.base_url, "https://example.dk/kerneopgave/");
    CHECK_STR(C.base_path, "/kerneopgave/");
    CHECK_STR(C.origin, "https://example.dk");
    CHECK_STR(C.language, "da");
    CHECK_STR(C.time_zone, "UTC");
    CHECK_STR(C.accessibility_statement, "https://www.was.digst.dk/x");
    CHECK_INT(C.allow_html, 1);
    CHECK_INT(C.per_page, 12);
    CHECK_INT(C.feed_items, 30);

    /* the raw tree keeps everything for layouts */
    const value *params = value_map_get(C.raw, "params");
    CHECK_STR(value_get_string(params, "farve"), "blå");
    CHECK(value_map_get(params, "antal")->as.number == 3);
    CHECK_STR(value_get_string(value_map_get(C.raw, "contact"), "email"),
              "a@example.dk");

    CHECK_INT(C.nsections, 3);
    const section_conf *s = config_section(&C, "cases");
    CHECK(s == &C.sections[0]);
    CHECK_STR(s->key, "cases");
    CHECK_STR(s->url, "praksis");
    CHECK_STR(s->title, "Praksiseksempler");
    CHECK_STR(s->layout, "case");
    CHECK_INT(s->layout_line, 13);
    CHECK_INT(s->layout_col, 60);
    s = config_section(&C, "guides");
    CHECK_STR(s->url, "vaerktoejer");
    CHECK_STR(s->title, "Værktøjer");
    CHECK(s->layout == NULL);
    CHECK_INT(s->layout_line, 0);
    s = config_section(&C, "om");          /* defaults from the key */
    CHECK_STR(s->url, "om");
    CHECK_STR(s->title, "om");
    CHECK(config_section(&C, "projects") == NULL);

    CHECK_INT(C.ntaxonomies, 3);
    const taxonomy_conf *t = config_taxonomy(&C, "tracks");
    CHECK(t == &C.taxonomies[0]);
    CHECK_STR(t->field, "tracks");
    CHECK_STR(t->url, "spor");
    CHECK_STR(t->title, "Spor");
    CHECK_STR(t->singular, "Sporet");
    CHECK_INT(t->closed, 1);
    CHECK_INT(t->nterms, 2);
    CHECK_STR(t->terms[0].key, "borgerkontakt");
    CHECK_STR(t->terms[0].title, "Styrket borgerkontakt");
    CHECK_INT(t->terms[0].line, 25);
    CHECK_INT(t->terms[0].col, 22);
    CHECK_STR(t->terms[1].key, "frisaettende-ledelse");
    CHECK_STR(t->terms[1].title, "Frisættende ledelse og styring");
    const term_conf *term = taxonomy_term(t, "frisaettende-ledelse");
    CHECK(term == &t->terms[1]);
    CHECK(taxonomy_term(t, "borgerkontak") == NULL);

    t = config_taxonomy(&C, "bottom_lines");
    CHECK_STR(t->field, "effects.bottom_line");
    CHECK_STR(t->singular, "Bundlinjer");       /* defaults to the title */
    CHECK_INT(t->nterms, 3);
    CHECK_STR(taxonomy_term(t, "oekonomi")->title, "Økonomi");

    t = config_taxonomy(&C, "tags");            /* open: no terms */
    CHECK_INT(t->closed, 0);
    CHECK_INT(t->nterms, 0);
    CHECK(taxonomy_term(t, "tillid") == NULL);
    CHECK_STR(t->url, "emner");
    CHECK(config_taxonomy(&C, "areas") == NULL);
}

TEST(defaults)
{
    CHECK_INT(load("title: x\nbase_url: https://example.dk\n", NULL), 0);
    CHECK_STR(diags(), "");
    CHECK_STR(C.base_url, "https://example.dk/");
    CHECK_STR(C.base_path, "/");
    CHECK_STR(C.origin, "https://example.dk");
    CHECK_STR(C.description, "");
    CHECK_STR(C.language, "da");
    CHECK_STR(C.time_zone, "Europe/Copenhagen");
    CHECK(C.accessibility_statement == NULL);
    CHECK_INT(C.allow_html, 0);
    CHECK_INT(C.per_page, 10);
    CHECK_INT(C.feed_items, 20);
    CHECK_INT(C.nsections, 0);
    CHECK_INT(C.ntaxonomies, 0);

    /* numbers and booleans where text is wanted are taken as text */
    CHECK_INT(load("title: 2024\ndescription: true\n"
                   "base_url: https://example.dk/\n", NULL), 0);
    CHECK_STR(C.title, "2024");
    CHECK_STR(C.description, "true");
}

/* ---- base_url ---- */

TEST(base_url_parts)
{
    CHECK_INT(load("title: x\nbase_url: https://example.dk/kerneopgave\n",
                   NULL), 0);
    CHECK_STR(C.base_url, "https://example.dk/kerneopgave/");  /* '/' added */
    CHECK_STR(C.base_path, "/kerneopgave/");
    CHECK_STR(C.origin, "https://example.dk");

    CHECK_INT(load("title: x\nbase_url: http://localhost:8080/a/b/\n", NULL),
              0);
    CHECK_STR(C.base_url, "http://localhost:8080/a/b/");
    CHECK_STR(C.base_path, "/a/b/");
    CHECK_STR(C.origin, "http://localhost:8080");

    /* directly */
    config c;
    memset(&c, 0, sizeof c);
    const char *err = NULL;
    CHECK_INT(config_set_base_url(&c, "https://a.dk", &err), 0);
    CHECK_STR(c.base_url, "https://a.dk/");
    CHECK_STR(c.base_path, "/");
    CHECK_INT(config_set_base_url(&c, "http://b.dk/x", &err), 0);   /* again */
    CHECK_STR(c.base_url, "http://b.dk/x/");
    CHECK_STR(c.origin, "http://b.dk");
    CHECK_INT(config_set_base_url(&c, "https:///x", &err), -1);
    CHECK_STR(err, "base_url has no host name");
    CHECK_INT(config_set_base_url(&c, "example.dk", &err), -1);
    CHECK_STR(err, "base_url must be an absolute http:// or https:// address");
    CHECK_INT(config_set_base_url(&c, "https://a.dk/?q=1", &err), -1);
    CHECK_STR(err, "base_url may not contain spaces, quotes, '?' or '#'");
    CHECK_STR(c.base_url, "http://b.dk/x/");   /* unchanged by failures */
    config_free(&c);
}

TEST(base_url_override)
{
    char *y = with("");
    CHECK_INT(load(y, "http://localhost:1313/test"), 0);
    CHECK_STR(diags(), "");
    CHECK_STR(C.base_url, "http://localhost:1313/test/");
    CHECK_STR(C.base_path, "/test/");
    CHECK_STR(C.origin, "http://localhost:1313");
    /* the configured base_url stays in the raw tree */
    CHECK_STR(value_get_string(C.raw, "base_url"), "https://example.dk/");

    CHECK_INT(load(y, "localhost:1313"), -1);
    CHECK_STR(diags(), "formidl: error: --base-url: base_url must be an "
                       "absolute http:// or https:// address\n");
    free(y);

    /* an override makes a missing or bad base_url in site.yaml harmless */
    CHECK_INT(load("title: x\n", "https://test.example.dk/"), 0);
    CHECK_STR(C.base_url, "https://test.example.dk/");
    CHECK_INT(load("title: x\nbase_url: relativ/\n", "https://t.dk/"), 0);
    CHECK_STR(diags(), "");
}

TEST(base_url_errors)
{
    CHECK_INT(load("title: x\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:1:1: error: base_url must be given as an "
                       "absolute address such as \"https://example.dk/\"\n");
    CHECK_STR(C.base_url, "http://localhost/");   /* usable fallback */

    CHECK_INT(load("title: x\nbase_url: \"/kerneopgave/\"\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:2:11: error: base_url must be an absolute "
                       "http:// or https:// address\n");

    CHECK_INT(load("title: x\nbase_url: https://\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:2:11: error: base_url has no host name\n");

    CHECK_INT(load("title: x\nbase_url: \"https://example.dk/a b/\"\n", NULL),
              -1);
    CHECK_STR(diags(), "site.yaml:2:11: error: base_url may not contain "
                       "spaces, quotes, '?' or '#'\n");

    CHECK_INT(load("title: x\nbase_url: [https://example.dk/]\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:2:11: error: base_url must be given as an "
                       "absolute address such as \"https://example.dk/\"\n");
}

/* ---- other settings ---- */

TEST(number_settings)
{
    CHECK_STR(load_with("per_page: mange\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_INT(C.per_page, 10);       /* the default stands */
    CHECK_STR(load_with("per_page: 2.5\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: 0\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: 1001\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    /* far outside int: must be refused without an undefined conversion */
    CHECK_STR(load_with("per_page: 1e20\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: .nan\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: -.inf\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: \"5\"\n", -1),
              "site.yaml:3:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n");
    CHECK_STR(load_with("per_page: 1000\nfeed_items: 100000\n", 0), "");
    CHECK_INT(C.per_page, 1000);
    CHECK_INT(C.feed_items, 100000);
    CHECK_STR(load_with("feed_items: 100001\n", -1),
              "site.yaml:3:13: error: \"feed_items\" must be a whole number "
              "from 1 to 100000\n");
    CHECK_STR(load_with("allow_html: \"yes\"\n", -1),
              "site.yaml:3:13: error: \"allow_html\" must be true or false\n");
    CHECK_INT(C.allow_html, 0);
}

TEST(time_zone)
{
    CHECK_STR(load_with("time_zone: Europe/Berlin\n", -1),
              "site.yaml:3:12: error: unknown time zone \"Europe/Berlin\" "
              "(known: Europe/Copenhagen, UTC)\n");
    CHECK_STR(load_with("time_zone: Europe/Copenhagen\n", 0), "");
    CHECK_STR(C.time_zone, "Europe/Copenhagen");
}

TEST(text_settings)
{
    CHECK_INT(load("base_url: https://example.dk/\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:1:1: error: missing required key "
                       "\"title\"\n");
    CHECK_STR(C.title, "");
    CHECK_INT(load("base_url: https://example.dk/\ntitle:\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:1:1: error: missing required key "
                       "\"title\"\n");
    CHECK_INT(load("base_url: https://example.dk/\ntitle: [a, b]\n", NULL),
              -1);
    CHECK_STR(diags(), "site.yaml:2:8: error: \"title\" must be text, not a "
                       "list\n");
    CHECK_STR(load_with("description: {a: 1}\n", -1),
              "site.yaml:3:14: error: \"description\" must be text, not a "
              "map\n");
}

TEST(unknown_keys_warn)
{
    CHECK_STR(load_with("langauge: da\ncolour: red\nbase-url: x\n"
                        "params: {langauge: ok}\n", 0),
              "site.yaml:3:11: warning: unknown key \"langauge\" (did you "
              "mean \"language\"?)\n"
              "site.yaml:4:9: warning: unknown key \"colour\" (ignored; use "
              "params: for your own settings)\n"
              "site.yaml:5:11: warning: unknown key \"base-url\" (did you "
              "mean \"base_url\"?)\n");
    CHECK_INT(D.warnings, 3);
    CHECK_INT(D.errors, 0);
    CHECK_STR(value_get_string(C.raw, "colour"), "red");   /* kept */
    /* known optional keys do not warn */
    CHECK_STR(load_with("author: A\ncopyright: B\nmenu: []\n", 0), "");
}

TEST(file_level_errors)
{
    CHECK_INT(load(NULL, NULL), -1);   /* no site.yaml */
    CHECK_STR(diags(), "site.yaml: error: cannot read the site "
                       "configuration\n");
    CHECK_INT(load("title: \"bad \xC3\x28\"\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml: error: invalid UTF-8 at byte offset 12\n");
    CHECK_INT(load("- a\n- b\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:1:1: error: site.yaml must be a map of "
                       "settings\n");
    CHECK_INT(load("title: [x\n", NULL), -1);
    CHECK_STR(diags(), "site.yaml:2:1: error: YAML syntax error: did not "
                       "find expected ',' or ']' while parsing a flow "
                       "sequence started at line 1\n");
    CHECK_INT(load("title: a\ntitle: b\nbase_url: https://a.dk/\n", NULL),
              -1);
    CHECK_STR(diags(), "site.yaml:2:1: error: duplicate key \"title\"\n");
    CHECK_INT(load("", NULL), -1);   /* empty: an empty map */
    CHECK_STR(diags(), "site.yaml: error: missing required key \"title\"\n"
                       "site.yaml:1:1: error: base_url must be given as an "
                       "absolute address such as \"https://example.dk/\"\n");
}

/* ---- sections and taxonomies ---- */

TEST(section_errors)
{
    CHECK_STR(load_with("sections:\n  cases: {url: Praksis Eksempler}\n", -1),
              "site.yaml:4:16: error: section URL word \"Praksis Eksempler\" "
              "must be a slug such as \"praksis-eksempler\"\n");
    CHECK_STR(load_with("sections:\n  cases:\n    url: praksis/x\n", -1),
              "site.yaml:5:10: error: section URL word \"praksis/x\" must be "
              "a slug such as \"praksis-x\"\n");
    CHECK_STR(load_with("sections:\n  \"Mine Sager\": {title: x}\n", -1),
              "site.yaml:4:17: error: section URL word \"Mine Sager\" must "
              "be a slug such as \"mine-sager\"\n");
    CHECK_STR(load_with("sections:\n  cases: praksis\n  guides: {}\n", -1),
              "site.yaml:4:10: error: section \"cases\" must be a map with "
              "url, title and layout\n");
    CHECK_INT(C.nsections, 1);
    CHECK_STR(C.sections[0].key, "guides");
    CHECK_STR(load_with("sections: [cases]\n", -1),
              "site.yaml:3:11: error: \"sections\" must be a map of content "
              "folders\n");
    CHECK_INT(C.nsections, 0);
    CHECK_STR(load_with("sections:\n  cases: {url: [a]}\n", -1),
              "site.yaml:4:16: error: \"url\" must be text, not a list\n");
    CHECK_STR(C.sections[0].url, "cases");
}

TEST(taxonomy_errors)
{
    CHECK_STR(load_with("taxonomies:\n  tracks: spor\n", -1),
              "site.yaml:4:11: error: taxonomy \"tracks\" must be a map\n");
    CHECK_INT(C.ntaxonomies, 0);
    CHECK_STR(load_with("taxonomies: [tracks]\n", -1),
              "site.yaml:3:13: error: \"taxonomies\" must be a map\n");
    CHECK_STR(load_with("taxonomies:\n  tracks:\n    terms: [a, b]\n", -1),
              "site.yaml:5:12: error: \"terms\" of taxonomy \"tracks\" must "
              "map each term key to its title\n");
    CHECK_INT(C.ntaxonomies, 1);
    CHECK_INT(C.taxonomies[0].closed, 0);
    CHECK_STR(C.taxonomies[0].field, "tracks");   /* defaults to the key */
    CHECK_STR(C.taxonomies[0].url, "tracks");
    CHECK_STR(load_with("taxonomies:\n  tracks:\n    terms:\n"
                        "      a: 5\n      b: \"B\"\n      c:\n", -1),
              "site.yaml:6:10: error: the title of term \"a\" must be text\n"
              "site.yaml:8:9: error: the title of term \"c\" must be text\n");
    const taxonomy_conf *t = config_taxonomy(&C, "tracks");
    CHECK_INT(t->closed, 1);
    CHECK_INT(t->nterms, 3);
    CHECK_STR(taxonomy_term(t, "a")->title, "a");
    CHECK_STR(taxonomy_term(t, "b")->title, "B");
    CHECK_STR(taxonomy_term(t, "c")->title, "c");
    /* an empty terms map closes the taxonomy: every value is an error */
    CHECK_STR(load_with("taxonomies:\n  t: {terms: {}}\n", 0), "");
    CHECK_INT(C.taxonomies[0].closed, 1);
    CHECK_INT(C.taxonomies[0].nterms, 0);
}

TEST(all_errors_in_one_load)
{
    CHECK_INT(load("base_url: ftp://x\nper_page: x\ntime_zone: Mars\n"
                   "langauge: da\nsections:\n  a: {url: A B}\n", NULL), -1);
    CHECK_STR(diags(),
              "site.yaml:1:1: error: missing required key \"title\"\n"
              "site.yaml:1:11: error: base_url must be an absolute http:// or "
              "https:// address\n"
              "site.yaml:2:11: error: \"per_page\" must be a whole number "
              "from 1 to 1000\n"
              "site.yaml:3:12: error: unknown time zone \"Mars\" (known: "
              "Europe/Copenhagen, UTC)\n"
              "site.yaml:4:11: warning: unknown key \"langauge\" (did you "
              "mean \"language\"?)\n"
              "site.yaml:6:12: error: section URL word \"A B\" must be a slug "
              "such as \"a-b\"\n");
    CHECK_INT(D.errors, 5);
    CHECK_INT(D.warnings, 1);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/formidl-config-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    diag_init(&D);
    RUN(all_fields);
    RUN(defaults);
    RUN(base_url_parts);
    RUN(base_url_override);
    RUN(base_url_errors);
    RUN(number_settings);
    RUN(time_zone);
    RUN(text_settings);
    RUN(unknown_keys_warn);
    RUN(file_level_errors);
    RUN(section_errors);
    RUN(taxonomy_errors);
    RUN(all_errors_in_one_load);
    config_free(&C);
    diag_free(&D);
    free(out_text);
    if (fs_remove_tree(tmp) != 0)
        printf("could not remove %s\n", tmp);
    return TEST_SUMMARY();
}
