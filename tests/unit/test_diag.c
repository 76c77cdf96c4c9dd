/*
 * test_diag.c - unit tests for diag.c: the printed form, sorting (path,
 * line, column, then insertion order), the site prefix before relative
 * paths only, hidden warnings, counts, merging.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "test.h"

static char *out_text;

/* What diag_print writes, as a string (valid until the next call). */
static const char *printed(diag *d, int show_warnings)
{
    free(out_text);
    out_text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out_text, &n);
    diag_print(d, f, show_warnings);
    fclose(f);
    return out_text;
}

TEST(line_forms)
{
    diag d;
    diag_init(&d);
    diag_error(&d, "content/a.md", 3, 7, "invalid date \"%s\"", "2023-02-30");
    diag_error(&d, "content/b.md", 4, 0, "line only");
    diag_error(&d, "content/c.md", 0, 0, "no position");
    diag_error(&d, "content/d.md", 0, 5, "column without line");
    diag_error(&d, NULL, 0, 0, "no file at %d%%", 100);
    diag_warning(&d, "site.yaml", 2, 1, "a warning");
    diag_add(&d, DIAG_ERROR, "z.md", 1, 1, "added as error");
    diag_add(&d, DIAG_WARNING, "z.md", 1, 2, "added as warning");
    CHECK_STR(printed(&d, 1),
              "formidl: error: no file at 100%\n"
              "content/a.md:3:7: error: invalid date \"2023-02-30\"\n"
              "content/b.md:4: error: line only\n"
              "content/c.md: error: no position\n"
              "content/d.md: error: column without line\n"
              "site.yaml:2:1: warning: a warning\n"
              "z.md:1:1: error: added as error\n"
              "z.md:1:2: warning: added as warning\n");
    CHECK_INT(d.errors, 6);
    CHECK_INT(d.warnings, 2);
    CHECK_INT(d.len, 8);
    diag_free(&d);
    CHECK_INT(d.len, 0);
    CHECK_INT(d.errors, 0);
    CHECK_STR(printed(&d, 1), "");
}

TEST(long_message)
{
    diag d;
    diag_init(&d);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    diag_error(&d, "p", 1, 1, "%s|%s", big, big);
    const char *s = printed(&d, 1);
    CHECK_INT(strlen(s), strlen("p:1:1: error: ") + 999 * 2 + 1 + 1);
    CHECK(strncmp(s, "p:1:1: error: xxx", 17) == 0);
    CHECK(s[strlen("p:1:1: error: ") + 999] == '|');
    diag_free(&d);
}

TEST(sorted_by_path_line_col_then_insertion)
{
    diag d;
    diag_init(&d);
    diag_error(&d, "b.md", 2, 1, "b 2:1");
    diag_error(&d, "a.md", 10, 1, "a 10:1");
    diag_error(&d, "a.md", 2, 5, "a 2:5 first");
    diag_warning(&d, "a.md", 2, 5, "a 2:5 second");
    diag_error(&d, "a.md", 2, 5, "a 2:5 third");
    diag_error(&d, "a.md", 2, 1, "a 2:1");
    diag_error(&d, "a.md", 9, 30, "a 9:30");
    diag_error(&d, "a.md", 0, 0, "a whole file");
    diag_error(&d, "a/b.md", 1, 1, "a/b 1:1");     /* '/' < '.' is false */
    diag_error(&d, NULL, 0, 0, "no path 1");
    diag_error(&d, "B.md", 1, 1, "B 1:1");         /* bytewise */
    diag_error(&d, NULL, 0, 0, "no path 2");
    CHECK_STR(printed(&d, 1),
              "formidl: error: no path 1\n"
              "formidl: error: no path 2\n"
              "B.md:1:1: error: B 1:1\n"
              "a.md: error: a whole file\n"
              "a.md:2:1: error: a 2:1\n"
              "a.md:2:5: error: a 2:5 first\n"
              "a.md:2:5: warning: a 2:5 second\n"
              "a.md:2:5: error: a 2:5 third\n"
              "a.md:9:30: error: a 9:30\n"
              "a.md:10:1: error: a 10:1\n"
              "a/b.md:1:1: error: a/b 1:1\n"
              "b.md:2:1: error: b 2:1\n");
    /* printing sorts a copy: the list keeps insertion order, and printing
     * again gives the same */
    CHECK_STR(d.entries[0].message, "b 2:1");
    char *first = strdup(out_text);
    CHECK_STR(printed(&d, 1), first);
    free(first);
    diag_free(&d);
}

TEST(stable_for_many_equal_positions)
{
    diag d;
    diag_init(&d);
    for (int i = 0; i < 200; i++)
        diag_error(&d, "same.md", 1, 1, "%03d", i);
    const char *s = printed(&d, 1);
    int ok = 1;
    for (int i = 0; i < 200; i++) {
        char want[64];
        snprintf(want, sizeof want, "same.md:1:1: error: %03d\n", i);
        if (strncmp(s, want, strlen(want)) != 0) {
            ok = 0;
            break;
        }
        s += strlen(want);
    }
    CHECK(ok);
    CHECK_STR(s, "");
    diag_free(&d);
}

TEST(prefix_only_before_relative_paths)
{
    diag d;
    diag_init(&d);
    diag_set_prefix(&d, "mysite/");
    diag_error(&d, "content/a.md", 1, 2, "relative");
    diag_error(&d, "/etc/abs.yaml", 3, 4, "absolute");
    diag_error(&d, NULL, 0, 0, "no path");
    diag_warning(&d, "site.yaml", 5, 6, "warning too");
    CHECK_STR(printed(&d, 1),
              "formidl: error: no path\n"
              "/etc/abs.yaml:3:4: error: absolute\n"
              "mysite/content/a.md:1:2: error: relative\n"
              "mysite/site.yaml:5:6: warning: warning too\n");
    /* replacing, and clearing with "" or NULL */
    diag_set_prefix(&d, "../other/");
    CHECK(strstr(printed(&d, 1), "../other/content/a.md:1:2:") != NULL);
    diag_set_prefix(&d, "");
    CHECK(d.prefix == NULL);
    CHECK(strstr(printed(&d, 1), "\ncontent/a.md:1:2:") != NULL);
    diag_set_prefix(&d, "x/");
    diag_set_prefix(&d, NULL);
    CHECK(d.prefix == NULL);
    diag_free(&d);
    CHECK(d.prefix == NULL);
}

TEST(warnings_hidden)
{
    diag d;
    diag_init(&d);
    diag_warning(&d, "a.md", 1, 1, "w1");
    diag_error(&d, "a.md", 2, 1, "e1");
    diag_warning(&d, "b.md", 1, 1, "w2");
    CHECK_STR(printed(&d, 0), "a.md:2:1: error: e1\n");
    CHECK_STR(printed(&d, 1),
              "a.md:1:1: warning: w1\n"
              "a.md:2:1: error: e1\n"
              "b.md:1:1: warning: w2\n");
    CHECK_INT(d.errors, 1);
    CHECK_INT(d.warnings, 2);
    diag_free(&d);

    diag_init(&d);
    diag_warning(&d, "a.md", 1, 1, "only a warning");
    CHECK_STR(printed(&d, 0), "");
    CHECK_INT(d.errors, 0);
    diag_free(&d);
}

TEST(merge_moves_entries)
{
    diag dst, src;
    diag_init(&dst);
    diag_init(&src);
    diag_set_prefix(&dst, "site/");
    diag_set_prefix(&src, "ignored/");
    diag_error(&dst, "b.md", 1, 1, "dst error");
    diag_warning(&src, "a.md", 1, 1, "src warning");
    for (int i = 0; i < 40; i++)   /* forces dst to grow */
        diag_error(&src, "c.md", i + 1, 1, "src %d", i);
    diag_merge(&dst, &src);
    CHECK_INT(dst.len, 42);
    CHECK_INT(dst.errors, 41);
    CHECK_INT(dst.warnings, 1);
    CHECK_INT(src.len, 0);
    CHECK_INT(src.errors, 0);
    CHECK_INT(src.warnings, 0);
    CHECK(src.entries == NULL);
    CHECK_STR(src.prefix, "ignored/");   /* each keeps its own prefix */
    CHECK_STR(dst.entries[1].message, "src warning");  /* appended */
    const char *s = printed(&dst, 1);
    const char *head = "site/a.md:1:1: warning: src warning\n"
                       "site/b.md:1:1: error: dst error\n"
                       "site/c.md:1:1: error: src 0\n"
                       "site/c.md:2:1: error: src 1\n";
    CHECK(strncmp(s, head, strlen(head)) == 0);
    CHECK(strstr(s, "site/c.md:40:1: error: src 39\n") != NULL);

    /* src is reusable; merging an empty list changes nothing */
    diag_error(&src, "d.md", 1, 1, "again");
    CHECK_INT(src.errors, 1);
    diag_merge(&dst, &src);
    CHECK_INT(dst.len, 43);
    diag_merge(&dst, &src);
    CHECK_INT(dst.len, 43);
    CHECK_INT(dst.errors, 42);
    diag_free(&src);
    diag_free(&dst);
}

int main(void)
{
    RUN(line_forms);
    RUN(long_message);
    RUN(sorted_by_path_line_col_then_insertion);
    RUN(stable_for_many_equal_positions);
    RUN(prefix_only_before_relative_paths);
    RUN(warnings_hidden);
    RUN(merge_moves_entries);
    free(out_text);
    return TEST_SUMMARY();
}
