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
#include "buf.h"

#ifndef FORMIDL_VERSION
#define FORMIDL_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "Brug: formidl KOMMANDO [TILVALG]\n"
    "\n"
    "Kommandoer:\n"
    "  build [SITE]     byg sitet i mappen SITE (standard: .) til SITE/public\n"
    "  help [KOMMANDO]  vis denne hjælp\n"
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
    "Afslutningskoder: 0 gik godt, 1 fejl i indholdet, 2 forkert brug,\n"
    "3 fejl ved læsning/skrivning.\n"
    "SOURCE_DATE_EPOCH bruges som \"nu\", så bygninger kan gentages.\n";

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
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "build"))
        return cmd_build_args(argc - 2, argv + 2);
    return usage_error("unknown command \"%s\"", cmd);
}
