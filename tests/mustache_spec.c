/*
 * mustache_spec.c - run the official Mustache spec tests against
 * src/mustache.c.
 *
 *     mustache_spec DIR
 *
 * reads every .yml file in DIR (in name order, skipping the optional lambda
 * module "~lambdas*", which needs code in the data), runs each test in its
 * `tests` list: the `partials` map is added to a tpl_set next to the
 * `template`, which is rendered with `data` as the context and compared
 * with `expected`.  Prints one block per failing test and ends with
 * "N passed, N failed"; the exit status is 1 when a test failed or a file
 * could not be read.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "value.h"
#include "yamltree.h"

/* The name the test template is stored under: no partial of the spec has
 * parentheses or spaces in its name, so it cannot clash with one. */
#define SPEC_MAIN "(spec template)"

static int read_file(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(out, chunk, n);
    int err = ferror(f);
    fclose(f);
    return err ? -1 : 0;
}

/* The text of a scalar (the spec quotes almost every string, but a few
 * expected values are plain scalars). */
static void text_of(const value *v, buf *out)
{
    if (v)
        value_to_text(v, out);
}

/* Print s with newlines and tabs made visible. */
static void print_visible(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '"': fputs("\\\"", stdout); break;
        default: putchar(s[i]); break;
        }
    }
    putchar('"');
}

static int run_test(const char *file, const value *test, int *passed,
                    int *failed)
{
    const char *name = value_get_string(test, "name");
    buf tmpl = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
    buf_init(&tmpl);
    buf_init(&want);
    buf_init(&got);
    text_of(value_map_get(test, "template"), &tmpl);
    text_of(value_map_get(test, "expected"), &want);

    diag d;
    diag_init(&d);
    tpl_set *set = tpl_set_new();
    const value *partials = value_map_get(test, "partials");
    if (partials && partials->kind == VALUE_MAP) {
        for (size_t i = 0; i < partials->as.map.len; i++) {
            buf p = BUF_INIT;
            buf_init(&p);
            text_of(partials->as.map.vals[i], &p);
            tpl_set_add(set, partials->as.map.keys[i], p.data, p.len,
                        partials->as.map.keys[i], &d);
            buf_free(&p);
        }
    }
    int rc = tpl_set_add(set, SPEC_MAIN, tmpl.data, tmpl.len, "template", &d);
    if (rc == 0)
        rc = tpl_render(set, SPEC_MAIN, value_map_get(test, "data"), &got, 0,
                        &d);
    int ok = rc == 0 && d.errors == 0 && got.len == want.len &&
             memcmp(got.data, want.data, got.len) == 0;
    if (ok) {
        (*passed)++;
    } else {
        (*failed)++;
        printf("FAIL %s: %s\n  expected: ", file, name ? name : "(unnamed)");
        print_visible(want.data, want.len);
        printf("\n  got:      ");
        print_visible(got.data, got.len);
        putchar('\n');
        if (d.len)
            diag_print(&d, stdout, 1);
    }
    tpl_set_free(set);
    diag_free(&d);
    buf_free(&tmpl);
    buf_free(&want);
    buf_free(&got);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SPEC-DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    char **names = NULL;
    size_t nnames = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 4, ".yml") != 0 ||
            strncmp(de->d_name, "~lambdas", 8) == 0)
            continue;
        names = xrealloc(names, (nnames + 1) * sizeof *names);
        names[nnames++] = xstrdup(de->d_name);
    }
    closedir(dir);
    qsort(names, nnames, sizeof *names, by_name);

    int passed = 0, failed = 0, bad_files = 0;
    for (size_t f = 0; f < nnames; f++) {
        buf path = BUF_INIT, src = BUF_INIT;
        buf_init(&path);
        buf_init(&src);
        buf_printf(&path, "%s/%s", argv[1], names[f]);
        diag d;
        diag_init(&d);
        value *doc = NULL;
        if (read_file(path.data, &src) == 0)
            doc = yaml_parse(path.data, src.data, src.len, 1, &d);
        else
            perror(path.data);
        const value *tests = doc ? value_map_get(doc, "tests") : NULL;
        if (!tests || tests->kind != VALUE_LIST) {
            printf("%s: cannot read the tests\n", path.data);
            diag_print(&d, stdout, 1);
            bad_files++;
        } else {
            int p0 = passed, f0 = failed;
            for (size_t i = 0; i < tests->as.list.len; i++)
                run_test(names[f], tests->as.list.items[i], &passed, &failed);
            printf("%s: %d passed, %d failed\n", names[f], passed - p0,
                   failed - f0);
        }
        value_free(doc);
        diag_free(&d);
        buf_free(&path);
        buf_free(&src);
        free(names[f]);
    }
    free(names);
    printf("%d passed, %d failed\n", passed, failed);
    return failed || bad_files ? 1 : 0;
}
