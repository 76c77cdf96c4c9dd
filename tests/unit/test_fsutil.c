/*
 * test_fsutil.c - unit tests for fsutil.c: path normalising and joining,
 * reading and writing files, mkdir -p, sorted folder listings, rm -rf that
 * does not follow symbolic links, file sizes.  Everything happens in a
 * fresh mkdtemp folder that is removed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "test.h"

static char tmp[256];       /* the mkdtemp folder */
static buf scratch;
static buf pathb, pathb2;

/* tmp/rel, in a buffer reused by every call. */
static const char *at(const char *rel)
{
    fs_join(&pathb, tmp, rel);
    return pathb.data;
}

/* The same in a second buffer, for calls that take two paths. */
static const char *at2(const char *rel)
{
    fs_join(&pathb2, tmp, rel);
    return pathb2.data;
}

/* fs_normalise(p), or "ESCAPES" when it fails. */
static const char *norm(const char *p)
{
    buf_clear(&scratch);
    if (fs_normalise(p, &scratch) != 0)
        return "ESCAPES";
    return scratch.data;
}

static const char *join(const char *a, const char *b)
{
    buf_puts(&scratch, "stale");   /* fs_join clears first */
    fs_join(&scratch, a, b);
    return scratch.data;
}

/* The entries of dir joined with '|'. */
static const char *listing(const char *dir)
{
    size_t n = 0;
    char **names = fs_list_dir(dir, &n);
    buf_clear(&scratch);
    if (!names)
        return "(NULL)";
    for (size_t i = 0; i < n; i++)
        buf_printf(&scratch, "%s%s", i ? "|" : "", names[i]);
    fs_free_list(names, n);
    return scratch.data;
}

static int write_str(const char *rel, const char *s)
{
    return fs_write_file(at(rel), s, strlen(s));
}

/* ---- paths ---- */

TEST(normalise_table)
{
    CHECK_STR(norm("a/./b"), "a/b");
    CHECK_STR(norm("a/../b"), "b");
    CHECK_STR(norm("../x"), "ESCAPES");
    CHECK_STR(norm("a/b/../../.."), "ESCAPES");
    CHECK_STR(norm("a/../../b"), "ESCAPES");
    CHECK_STR(norm("//a//b/"), "a/b");
    CHECK_STR(norm(""), "");
    CHECK_STR(norm("."), "");
    CHECK_STR(norm("./"), "");
    CHECK_STR(norm("a/.."), "");
    CHECK_STR(norm("a/b/.."), "a");
    CHECK_STR(norm("a/b/../.."), "");
    CHECK_STR(norm("./a/./"), "a");
    CHECK_STR(norm("/abs/path"), "abs/path");   /* made relative */
    CHECK_STR(norm("..."), "...");               /* a name, not ".." */
    CHECK_STR(norm("..a/b.."), "..a/b..");
    CHECK_STR(norm(".hidden/x"), ".hidden/x");
    CHECK_STR(norm("praksis/åben-dør/index.html"),
              "praksis/åben-dør/index.html");
    CHECK_STR(norm("a/b/c/../../d/./e/.."), "a/d");
}

TEST(normalise_deep_paths)
{
    /* 500 segments are fine; so is climbing all the way back */
    buf p = BUF_INIT;
    buf_init(&p);
    for (int i = 0; i < 500; i++)
        buf_puts(&p, "d/");
    for (int i = 0; i < 500; i++)
        buf_puts(&p, "../");
    buf_puts(&p, "x");
    CHECK_STR(norm(p.data), "x");
    buf_puts(&p, "/../..");
    CHECK_STR(norm(p.data), "ESCAPES");
    buf_free(&p);
}

TEST(join_table)
{
    CHECK_STR(join("a", "b"), "a/b");
    CHECK_STR(join("a/", "b"), "a/b");
    CHECK_STR(join("a", "/b"), "a/b");
    CHECK_STR(join("a/", "//b"), "a/b");
    CHECK_STR(join("a", ""), "a");
    CHECK_STR(join("", "b"), "b");
    CHECK_STR(join("/", "etc"), "/etc");
    CHECK_STR(join("site/content", "cases/x.md"), "site/content/cases/x.md");
}

/* ---- files ---- */

TEST(write_read_round_trip)
{
    buf data = BUF_INIT, back = BUF_INIT;
    buf_init(&data);
    buf_init(&back);
    /* 200 KB with NUL bytes: more than one read() chunk */
    for (int i = 0; i < 200000; i++)
        buf_putc(&data, i % 251);
    CHECK_INT(fs_write_file(at("rt/a/b/c/data.bin"), data.data, data.len), 0);
    CHECK(fs_is_dir(at("rt/a/b/c")));        /* parents created */
    buf_puts(&back, "old contents are replaced");
    CHECK_INT(fs_read_file(at("rt/a/b/c/data.bin"), &back), 0);
    CHECK_INT(back.len, 200000);
    CHECK(back.len == data.len && memcmp(back.data, data.data, data.len) == 0);
    CHECK_INT(back.data[back.len], 0);       /* NUL-terminated */
    CHECK_INT(fs_file_size(at("rt/a/b/c/data.bin")), 200000);

    /* overwriting truncates */
    CHECK_INT(write_str("rt/a/b/c/data.bin", "kort"), 0);
    CHECK_INT(fs_read_file(at("rt/a/b/c/data.bin"), &back), 0);
    CHECK_STR(back.data, "kort");
    CHECK_INT(back.len, 4);

    /* empty file */
    CHECK_INT(write_str("rt/empty", ""), 0);
    CHECK_INT(fs_read_file(at("rt/empty"), &back), 0);
    CHECK_INT(back.len, 0);
    CHECK_STR(back.data, "");
    CHECK_INT(fs_file_size(at("rt/empty")), 0);

    /* copy */
    CHECK_INT(fs_copy_file(at("rt/a/b/c/data.bin"), at2("rt/copy/x.txt")), 0);
    CHECK_INT(fs_read_file(at("rt/copy/x.txt"), &back), 0);
    CHECK_STR(back.data, "kort");
    buf_free(&data);
    buf_free(&back);
}

TEST(read_and_write_errors)
{
    buf b = BUF_INIT;
    buf_init(&b);
    errno = 0;
    CHECK_INT(fs_read_file(at("findes-ikke"), &b), -1);
    CHECK_INT(errno, ENOENT);
    CHECK_INT(b.len, 0);
    CHECK_INT(fs_read_file(tmp, &b), -1);            /* a folder */
    CHECK_INT(errno, EISDIR);
    CHECK_INT(write_str("errfile", "x"), 0);
    errno = 0;
    CHECK_INT(write_str("errfile/below", "x"), -1);  /* parent is a file */
    CHECK_INT(errno, ENOTDIR);
    CHECK_INT(fs_copy_file(at("findes-ikke"), at2("copy2")), -1);
    CHECK(!fs_is_file(at("copy2")));
    buf_free(&b);
}

TEST(mkdirs_deep)
{
    CHECK_INT(fs_mkdirs(at("deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16")), 0);
    CHECK(fs_is_dir(at("deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16")));
    CHECK_INT(fs_mkdirs(at("deep/1/2/3")), 0);            /* exists */
    CHECK_INT(fs_mkdirs(at("deep/x/y/z/")), 0);           /* trailing '/' */
    CHECK(fs_is_dir(at("deep/x/y/z")));
    CHECK_INT(fs_mkdirs(at("deep/a//b")), 0);             /* double '/' */
    CHECK(fs_is_dir(at("deep/a/b")));
    CHECK_INT(write_str("deep/file", "x"), 0);
    errno = 0;
    CHECK_INT(fs_mkdirs(at("deep/file/sub/sub")), -1);
    CHECK_INT(errno, ENOTDIR);
    struct stat st;
    CHECK(stat(at("deep/1"), &st) == 0 && S_ISDIR(st.st_mode));
}

TEST(is_dir_is_file_and_size)
{
    CHECK_INT(write_str("kinds/f.txt", "12345"), 0);
    CHECK(fs_is_file(at("kinds/f.txt")));
    CHECK(!fs_is_dir(at("kinds/f.txt")));
    CHECK(fs_is_dir(at("kinds")));
    CHECK(!fs_is_file(at("kinds")));
    CHECK(!fs_is_file(at("kinds/none")));
    CHECK(!fs_is_dir(at("kinds/none")));
    CHECK_INT(fs_file_size(at("kinds/f.txt")), 5);
    CHECK_INT(fs_file_size(at("kinds")), -1);          /* not a file */
    CHECK_INT(fs_file_size(at("kinds/none")), -1);
    /* a link to a file counts as the file */
    CHECK_INT(symlink("f.txt", at("kinds/link")), 0);
    CHECK(fs_is_file(at("kinds/link")));
    CHECK_INT(fs_file_size(at("kinds/link")), 5);
}

TEST(list_dir_sorted_bytewise)
{
    const char *names[] = {"b", "a", "C", "æ", ".hidden", "10", "9", "B-2"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        buf_clear(&scratch);
        buf_printf(&scratch, "list/%s", names[i]);
        char *rel = xstrdup(scratch.data);
        CHECK_INT(write_str(rel, "x"), 0);
        free(rel);
    }
    CHECK_INT(fs_mkdirs(at("list/sub")), 0);
    CHECK_STR(listing(at("list")), ".hidden|10|9|B-2|C|a|b|sub|æ");
    CHECK_INT(fs_mkdirs(at("emptydir")), 0);
    size_t n = 99;
    char **e = fs_list_dir(at("emptydir"), &n);
    CHECK(e != NULL);
    CHECK_INT(n, 0);
    fs_free_list(e, n);
    CHECK_STR(listing(at("findes-ikke")), "(NULL)");
}

TEST(remove_tree_does_not_follow_links)
{
    /* an outside folder with a file, reached through links in the tree */
    CHECK_INT(write_str("outside/keep.txt", "bliv"), 0);
    CHECK_INT(write_str("victim/a/b/c.txt", "væk"), 0);
    CHECK_INT(write_str("victim/top.txt", "væk"), 0);
    CHECK_INT(fs_mkdirs(at("victim/empty/empty")), 0);
    buf target = BUF_INIT;
    buf_init(&target);
    fs_join(&target, tmp, "outside");
    CHECK_INT(symlink(target.data, at("victim/link-to-outside")), 0);
    CHECK_INT(symlink(target.data, at("victim/a/deeper-link")), 0);
    fs_join(&target, tmp, "outside/keep.txt");
    CHECK_INT(symlink(target.data, at("victim/file-link")), 0);
    CHECK_INT(symlink("/nowhere/at/all", at("victim/dangling")), 0);
    buf_free(&target);

    CHECK_INT(fs_remove_tree(at("victim")), 0);
    struct stat st;
    CHECK(lstat(at("victim"), &st) < 0 && errno == ENOENT);
    CHECK(fs_is_dir(at("outside")));
    CHECK_INT(fs_file_size(at("outside/keep.txt")), 4);
    CHECK_STR(listing(at("outside")), "keep.txt");

    /* a link given as the path itself: only the link goes */
    CHECK_INT(symlink("outside", at("toplink")), 0);
    CHECK_INT(fs_remove_tree(at("toplink")), 0);
    CHECK(lstat(at("toplink"), &st) < 0);
    CHECK_INT(fs_file_size(at("outside/keep.txt")), 4);

    /* a missing path is not an error; a single file is removed */
    CHECK_INT(fs_remove_tree(at("findes-ikke")), 0);
    CHECK_INT(write_str("single", "x"), 0);
    CHECK_INT(fs_remove_tree(at("single")), 0);
    CHECK(!fs_is_file(at("single")));
}

/* Last: everything the tests made goes, links included. */
TEST(remove_whole_temp_folder)
{
    CHECK_INT(fs_remove_tree(tmp), 0);
    struct stat st;
    CHECK(lstat(tmp, &st) < 0 && errno == ENOENT);
}

int main(void)
{
    buf_init(&scratch);
    buf_init(&pathb);
    buf_init(&pathb2);
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/formidl-fsutil-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(normalise_table);
    RUN(normalise_deep_paths);
    RUN(join_table);
    RUN(write_read_round_trip);
    RUN(read_and_write_errors);
    RUN(mkdirs_deep);
    RUN(is_dir_is_file_and_size);
    RUN(list_dir_sorted_bytewise);
    RUN(remove_tree_does_not_follow_links);
    RUN(remove_whole_temp_folder);
    buf_free(&scratch);
    buf_free(&pathb);
    buf_free(&pathb2);
    return TEST_SUMMARY();
}
