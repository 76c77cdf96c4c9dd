/*
 * main.c - the command line: parse arguments, dispatch to cmd_*.
 *
 * Exit statuses: 0 success, 1 content errors, 2 usage errors, 3 I/O or
 * internal errors.  Only this file exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "serve.h"
#include "buf.h"
#include "check.h"
#include "cmd_new.h"

#ifndef FORMIDL_VERSION
#define FORMIDL_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "Brug: formidl KOMMANDO [TILVALG]\n"
    "\n"
    "Kommandoer:\n"
    "  build [SITE]     byg sitet i mappen SITE (standard: .) til SITE/public\n"
    "  serve [SITE]     byg og vis sitet lokalt; byg igen ved ændringer\n"
    "  new TYPE \"Titel\" [SITE]\n"
    "                   opret en ny side ud fra en skabelon (TYPE: case,\n"
    "                   guide eller project)\n"
    "  check [SITE]     tjek indhold, links, ankre, alt-tekster og\n"
    "                   transskriptioner i det byggede site\n"
    "  help [KOMMANDO]  vis denne hjælp, eller hjælpen til én kommando\n"
    "  --version        vis versionen\n"
    "\n"
    "Tilvalg til build:\n"
    "  -o, --output DIR     skriv til DIR i stedet for SITE/public\n"
    "  --base-url URL       brug URL som sitets adresse (i stedet for base_url)\n"
    "  --drafts             tag kladder (draft: true) med\n"
    "  --future             tag sider med en fremtidig dato med\n"
    "  -j, --jobs N         brug N tråde (standard: antal processorer)\n"
    "  -q, --quiet          skriv kun fejl\n"
    "  -v, --verbose        skriv tider for hvert trin\n"
    "\n"
    "Skriv \"formidl help KOMMANDO\" for tilvalgene til de andre kommandoer;\n"
    "hele vejledningen står i manualsiden formidl(1).\n"
    "\n"
    "Afslutningskoder: 0 gik godt, 1 fejl i indholdet, 2 forkert brug,\n"
    "3 fejl ved læsning/skrivning.\n"
    "SOURCE_DATE_EPOCH bruges som \"nu\", så bygninger kan gentages.\n";

/* `formidl help COMMAND`: the manual page's section of each command, in
 * short. */
static const struct {
    const char *name;
    const char *text;
} command_help[] = {
    {"build",
     "Brug: formidl build [SITE] [-o DIR] [--base-url URL] [--drafts] "
     "[--future]\n"
     "                    [-j N] [-q|-v]\n"
     "\n"
     "Bygger sitet i mappen SITE (standard: .) og skriver det til "
     "SITE/public.\n"
     "Alle fejl skrives som sti:linje:kolonne: error: besked, og ved fejl\n"
     "udgives intet: den udgivne mappe bliver, som den var.\n"
     "\n"
     "Tilvalg:\n"
     "  -o, --output DIR     skriv til DIR i stedet for SITE/public\n"
     "  --base-url URL       brug URL som sitets adresse (i stedet for "
     "base_url)\n"
     "  --drafts             tag kladder (draft: true) med\n"
     "  --future             tag sider med en fremtidig dato med\n"
     "  -j, --jobs N         brug N tråde (standard: antal processorer)\n"
     "  -q, --quiet          skriv kun fejl\n"
     "  -v, --verbose        skriv tider for hvert trin\n"
     "\n"
     "Afslutningskoder: 0 gik godt, 1 fejl i indholdet, 2 forkert brug,\n"
     "3 fejl ved læsning/skrivning.\n"
     "SOURCE_DATE_EPOCH bruges som \"nu\", så bygninger kan gentages.\n"},
    {"serve", serve_help},
    {"new",
     "Brug: formidl new case|guide|project \"Titel\" [SITE]\n"
     "\n"
     "Opretter content/<sektion>/<slug>.md i SITE (standard: .): case → "
     "cases,\n"
     "guide → guides, project → projects; slug ud fra titlen (æ → ae, ø → "
     "oe,\n"
     "å → aa). Teksten kommer fra SITE/archetypes/<sektion>.md, en Mustache-\n"
     "skabelon med title, title_yaml, date, slug, section, track,\n"
     "tracks_allowed og areas_allowed, eller fra den indbyggede skabelon:\n"
     "titel, dagens dato (eller SOURCE_DATE_EPOCH), draft: true og alle\n"
     "sektionens felter med en kort kommentar. Skriver stien til filen.\n"
     "En fil, der findes i forvejen, overskrives aldrig.\n"
     "\n"
     "Afslutningskoder: 0 filen er skrevet, 1 den findes allerede (eller "
     "fejl i\n"
     "site.yaml eller skabelonen), 2 forkert brug, 3 fejl ved skrivning.\n"},
    {"check",
     "Brug: formidl check [SITE] [--format text|json] [--external] "
     "[--drafts]\n"
     "                    [--future]\n"
     "\n"
     "Bygger sitet i en midlertidig mappe (SITE/public røres ikke) og "
     "tjekker\n"
     "alt, hvad build tjekker, og desuden den færdige HTML: interne links og\n"
     "#ankre, billeder uden alt-tekst, lyd uden transskription, filer til\n"
     "download, der mangler, sider, som intet linker til (advarsel), og "
     "sider\n"
     "med samme titel (advarsel). Hvert fund skrives én gang som\n"
     "sti:linje:kolonne: error|warning: besked, sorteret, med stedet i "
     "kilden\n"
     "(Markdown-filen, layoutet eller site.yaml), og til sidst en linje som\n"
     "\"Tjekkede 83 sider: 0 fejl, 2 advarsler\".\n"
     "\n"
     "Tilvalg:\n"
     "  --format json        skriv fundene som et JSON-array af\n"
     "                       {path, line, col, level, message}\n"
     "  --external           vis også links til andre sites (de hentes "
     "aldrig)\n"
     "  --drafts             tag kladder (draft: true) med\n"
     "  --future             tag sider med en fremtidig dato med\n"
     "\n"
     "Afslutningskoder: 0 ingen fejl (advarsler kan forekomme), 1 fejl,\n"
     "2 forkert brug, 3 fejl ved læsning/skrivning.\n"},
    {"help",
     "Brug: formidl help [KOMMANDO]\n"
     "\n"
     "Viser oversigten over kommandoerne, eller hjælpen til én af dem:\n"
     "build, serve, new, check og help. Hele vejledningen står i\n"
     "manualsiden: man formidl.\n"},
    {NULL, NULL}
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("formidl: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nSkriv \"formidl help\" for at se, hvordan formidl bruges.\n",
          stderr);
    return 2;
}

static int parse_now(int64_t *now)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde) {
        *now = (int64_t)time(NULL);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0)
        return -1;
    *now = (int64_t)v;
    return 0;
}

static int cmd_build_args(int argc, char **argv)
{
    build_options opt;
    memset(&opt, 0, sizeof opt);
    const char *site = NULL, *out = NULL;
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    opt.jobs = procs > 0 ? (int)(procs > 64 ? 64 : procs) : 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("%s needs a folder", a);
            out = argv[i];
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (!strcmp(a, "--base-url")) {
            if (++i >= argc)
                return usage_error("%s needs an address", a);
            opt.base_url = argv[i];
        } else if (!strncmp(a, "--base-url=", 11)) {
            opt.base_url = a + 11;
        } else if (!strcmp(a, "--drafts")) {
            opt.drafts = 1;
        } else if (!strcmp(a, "--future")) {
            opt.future = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            opt.quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            opt.verbose = 1;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs") ||
                   !strncmp(a, "-j", 2)) {
            const char *n = a[1] == 'j' && a[2] ? a + 2 : NULL;
            if (!n) {
                if (++i >= argc)
                    return usage_error("%s needs a number", a);
                n = argv[i];
            }
            char *end;
            long v = strtol(n, &end, 10);
            if (*end || v < 1 || v > 256)
                return usage_error("-j needs a number from 1 to 256, not "
                                   "\"%s\"", n);
            opt.jobs = (int)v;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option \"%s\"", a);
        } else if (!site) {
            site = a;
        } else {
            return usage_error("unexpected argument \"%s\"", a);
        }
    }
    if (opt.quiet && opt.verbose)
        return usage_error("%s-q and -v cannot be used together", "");
    if (parse_now(&opt.now) < 0)
        return usage_error("SOURCE_DATE_EPOCH must be a whole number of "
                           "seconds, not \"%s\"", getenv("SOURCE_DATE_EPOCH"));
    opt.site_dir = site ? site : ".";
    buf outb = BUF_INIT;
    buf_init(&outb);
    if (out) {
        buf_puts(&outb, out);
    } else {
        buf_puts(&outb, opt.site_dir);
        if (outb.data[outb.len - 1] != '/')
            buf_putc(&outb, '/');
        buf_puts(&outb, "public");
    }
    while (outb.len > 1 && outb.data[outb.len - 1] == '/')
        outb.data[--outb.len] = '\0';
    opt.out_dir = outb.data;
    int rc = cmd_build(&opt);
    buf_free(&outb);
    return rc;
}

static int default_jobs(void)
{
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    return procs > 0 ? (int)(procs > 64 ? 64 : procs) : 1;
}

/* Print the help of one command; returns 0, or -1 if there is none. */
static int print_command_help(const char *name)
{
    for (size_t i = 0; command_help[i].name; i++)
        if (!strcmp(command_help[i].name, name)) {
            fputs(command_help[i].text, stdout);
            return 0;
        }
    return -1;
}

static int is_help_option(const char *a)
{
    return !strcmp(a, "-h") || !strcmp(a, "--help");
}

static int cmd_new_args(int argc, char **argv)
{
    new_options opt;
    memset(&opt, 0, sizeof opt);
    const char *args[3] = {NULL, NULL, NULL};
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help_option(a))
            return print_command_help("new");
        if (a[0] == '-' && a[1])
            return usage_error("unknown option \"%s\"", a);
        if (n == 3)
            return usage_error("unexpected argument \"%s\"", a);
        args[n++] = a;
    }
    if (n < 2)
        return usage_error("%snew needs a kind (case, guide or project) and "
                           "a title: formidl new case \"Titel\"", "");
    if (!new_section_of(args[0]))
        return usage_error("unknown kind \"%s\" (case, guide or project)",
                           args[0]);
    opt.kind = args[0];
    opt.title = args[1];
    opt.site_dir = args[2] ? args[2] : ".";
    if (parse_now(&opt.now) < 0)
        return usage_error("SOURCE_DATE_EPOCH must be a whole number of "
                           "seconds, not \"%s\"", getenv("SOURCE_DATE_EPOCH"));
    return cmd_new(&opt);
}

static int cmd_check_args(int argc, char **argv)
{
    check_options opt;
    memset(&opt, 0, sizeof opt);
    opt.build.jobs = default_jobs();
    const char *site = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *fmt = NULL;
        if (is_help_option(a))
            return print_command_help("check");
        if (!strcmp(a, "--format")) {
            if (++i >= argc)
                return usage_error("%s needs text or json", a);
            fmt = argv[i];
        } else if (!strncmp(a, "--format=", 9)) {
            fmt = a + 9;
        } else if (!strcmp(a, "--external")) {
            opt.external = 1;
        } else if (!strcmp(a, "--drafts")) {
            opt.build.drafts = 1;
        } else if (!strcmp(a, "--future")) {
            opt.build.future = 1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option \"%s\"", a);
        } else if (!site) {
            site = a;
        } else {
            return usage_error("unexpected argument \"%s\"", a);
        }
        if (fmt) {
            if (!strcmp(fmt, "json"))
                opt.format = CHECK_JSON;
            else if (!strcmp(fmt, "text"))
                opt.format = CHECK_TEXT;
            else
                return usage_error("--format must be text or json, not "
                                   "\"%s\"", fmt);
        }
    }
    if (parse_now(&opt.build.now) < 0)
        return usage_error("SOURCE_DATE_EPOCH must be a whole number of "
                           "seconds, not \"%s\"", getenv("SOURCE_DATE_EPOCH"));
    opt.build.site_dir = site ? site : ".";
    return cmd_check(&opt);
}

static int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_error("unexpected argument \"%s\"", argv[1]);
    if (print_command_help(argv[0]) == 0)
        return 0;
    return usage_error("unknown command \"%s\"", argv[0]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("formidl %s\n", FORMIDL_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return cmd_help(argc - 2, argv + 2);
    if (!strcmp(cmd, "build"))
        return cmd_build_args(argc - 2, argv + 2);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc - 2, argv + 2);
    if (!strcmp(cmd, "new"))
        return cmd_new_args(argc - 2, argv + 2);
    if (!strcmp(cmd, "check"))
        return cmd_check_args(argc - 2, argv + 2);
    return usage_error("unknown command \"%s\"", cmd);
}
