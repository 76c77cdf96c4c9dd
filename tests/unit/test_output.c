/*
 * test_output.c - unit tests for output.c: the refused output folders with
 * their exact messages, staging and committing into a new or an existing
 * folder, aborting, and copying trees without following symbolic links.
 * Everything happens in a fresh mkdtemp folder; HOME points into it.
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "output.h"
#include "test.h"

static char tmp[256];       /* the mkdtemp folder */
static char site[300];      /* tmp/site */
static buf pathb, scratch;
static char *out_text;

static const char *at(const char *rel)
{
    fs_join(&pathb, tmp, rel);
    return pathb.data;
}

static int write_str(const char *rel, const char *s)
{
    buf p = BUF_INIT;
    buf_init(&p);
    fs_join(&p, tmp, rel);
    int rc = fs_write_file(p.data, s, strlen(s));
    buf_free(&p);
    return rc;
}

static const char *read_str(const char *path)
{
    if (fs_read_file(path, &scratch) < 0)
        return "(unreadable)";
    return scratch.data;
}

static const char *printed(diag *d)
{
    free(out_text);
    out_text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out_text, &n);
    diag_print(d, f, 1);
    fclose(f);
    return out_text;
}

/* output_check_dir(dir, site): "OK" or the printed diagnostics. */
static const char *check(const char *dir)
{
    diag d;
    diag_init(&d);
    int rc = output_check_dir(dir, site, &d);
    const char *s = printed(&d);
    if (rc == 0 && d.len == 0)
        s = "OK";
    else if ((rc == 0) != (d.errors == 0))
        s = "(status and errors disagree)";
    diag_free(&d);
    return s;
}

/* Every file below dir as "rel=contents" lines, sorted; links as
 * "rel -> LINK"; folders as "rel/". */
static void walk(const char *dir, const char *rel, buf *out)
{
    size_t n;
    char **names = fs_list_dir(dir, &n);
    if (!names)
        return;
    buf child = BUF_INIT, crel = BUF_INIT, data = BUF_INIT;
    buf_init(&child);
    buf_init(&crel);
    buf_init(&data);
    for (size_t i = 0; i < n; i++) {
        fs_join(&child, dir, names[i]);
        fs_join(&crel, rel, names[i]);
        struct stat st;
        if (lstat(child.data, &st) < 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            buf_printf(out, "%s -> LINK\n", crel.data);
        } else if (S_ISDIR(st.st_mode)) {
            buf_printf(out, "%s/\n", crel.data);
            walk(child.data, crel.data, out);
        } else {
            fs_read_file(child.data, &data);
            buf_printf(out, "%s=%s\n", crel.data, data.data);
        }
    }
    buf_free(&child);
    buf_free(&crel);
    buf_free(&data);
    fs_free_list(names, n);
}

static char *tree_of(const char *dir)
{
    buf b = BUF_INIT;
    buf_init(&b);
    walk(dir, "", &b);
    return buf_detach(&b);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Wait up to 2 s for path to disappear. */
static int gone_within_2s(const char *path)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 200; i++) {
        if (!exists(path))
            return 1;
        nanosleep(&pause, NULL);
    }
    return !exists(path);
}

/* ---- refusals ---- */

TEST(refuses_root_and_home)
{
    CHECK_STR(check("/"),
              "formidl: error: refusing to use / as the output folder\n");
    CHECK_STR(check("/tmp/.."),
              "formidl: error: refusing to use / as the output folder\n");
    CHECK_STR(check(at("home")),
              "formidl: error: refusing to use your home folder as the "
              "output folder\n");
    CHECK_STR(check(at("home/")),
              "formidl: error: refusing to use your home folder as the "
              "output folder\n");
    /* a folder inside $HOME is fine */
    CHECK_STR(check(at("home/public")), "OK");
}

TEST(refuses_folders_above_home)
{
    /* HOME = tmp/homes/me: tmp/homes would take the home folder along */
    char *saved = xstrdup(getenv("HOME"));
    CHECK_INT(fs_mkdirs(at("homes/me")), 0);
    CHECK_INT(setenv("HOME", at("homes/me"), 1), 0);
    char *dir = xstrdup(at("homes"));
    buf want = BUF_INIT;
    buf_init(&want);
    buf_printf(&want, "formidl: error: refusing to use \"%s\" as the output "
                      "folder: it holds your home folder\n", dir);
    CHECK_STR(check(dir), want.data);
    CHECK_STR(check(at("homes/other")), "OK");       /* a sibling is fine */
    CHECK_INT(setenv("HOME", saved, 1), 0);
    CHECK_STR(check(dir), "OK");
    free(dir);
    free(saved);
    buf_free(&want);
}

TEST(refuses_the_site_and_folders_above_it)
{
    buf want = BUF_INIT;
    buf_init(&want);
    buf_printf(&want, "formidl: error: refusing to use \"%s\" as the output "
                      "folder: it holds the site itself\n", site);
    CHECK_STR(check(site), want.data);

    buf_clear(&want);
    buf_printf(&want, "formidl: error: refusing to use \"%s\" as the output "
                      "folder: it holds the site itself\n", tmp);
    CHECK_STR(check(tmp), want.data);

    /* the same folder spelt differently */
    buf_clear(&want);
    buf_printf(&want, "%s/content/..", site);
    char *spelt = buf_detach(&want);
    buf_printf(&want, "formidl: error: refusing to use \"%s\" as the output "
                      "folder: it holds the site itself\n", spelt);
    CHECK_STR(check(spelt), want.data);
    free(spelt);
    buf_free(&want);
}

TEST(refuses_source_folders_and_inside_them)
{
    const char *cases[][2] = {
        {"site/content", "content"},
        {"site/content/", "content"},
        {"site/content/sub", "content"},
        {"site/content/new/deeper", "content"},  /* does not exist yet */
        {"site/layouts", "layouts"},
        {"site/assets/css", "assets"},
        {"site/i18n", "i18n"},
        {"site/archetypes", "archetypes"},
        {"sneaky", "content"},      /* a link to site/content/sub */
        {"sneaky/x", "content"},
    };
    buf want = BUF_INIT;
    buf_init(&want);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = xstrdup(at(cases[i][0]));
        buf_clear(&want);
        buf_printf(&want, "formidl: error: refusing to use \"%s\" as the "
                          "output folder: it is inside the site's %s/ "
                          "folder\n", dir, cases[i][1]);
        CHECK_STR(check(dir), want.data);
        free(dir);
    }
    buf_free(&want);
}

TEST(refuses_projects_and_files)
{
    buf want = BUF_INIT;
    buf_init(&want);
    char *dir = xstrdup(at("othersite"));
    buf_printf(&want, "formidl: error: refusing to replace \"%s\": it holds "
                      "site.yaml, so it looks like a project, not a built "
                      "site\n", dir);
    CHECK_STR(check(dir), want.data);
    free(dir);

    dir = xstrdup(at("repo"));
    buf_clear(&want);
    buf_printf(&want, "formidl: error: refusing to replace \"%s\": it holds "
                      ".git, so it looks like a project, not a built site\n",
               dir);
    CHECK_STR(check(dir), want.data);
    free(dir);

    dir = xstrdup(at("a-file.txt"));
    buf_clear(&want);
    buf_printf(&want, "formidl: error: refusing to replace \"%s\": it is not "
                      "a folder\n", dir);
    CHECK_STR(check(dir), want.data);
    free(dir);

    dir = xstrdup(at("missing/../x"));
    buf_clear(&want);
    buf_printf(&want, "formidl: error: cannot resolve the output folder "
                      "\"%s\"\n", dir);
    CHECK_STR(check(dir), want.data);
    free(dir);
    buf_free(&want);
}

TEST(accepts_normal_folders)
{
    CHECK_STR(check(at("public")), "OK");             /* new sibling */
    CHECK_STR(check(at("old-public")), "OK");         /* existing, built */
    CHECK_STR(check(at("new/deeper/public")), "OK");
    CHECK_STR(check(at("site/public")), "OK");        /* the default */
    CHECK_STR(check(at("site/contents")), "OK");      /* not content/ */
    CHECK_STR(check(at("site/content/../public")), "OK");
}

/* ---- staging and committing ---- */

TEST(commit_into_a_new_folder)
{
    diag d;
    diag_init(&d);
    output o;
    char *final = xstrdup(at("pub-new/"));     /* trailing '/' is dropped */
    CHECK_INT(output_begin(&o, final, &d), 0);
    buf want = BUF_INIT;
    buf_init(&want);
    /* ".NAME.staging-PID-N": unique per build within the process. */
    buf_printf(&want, "%s/.pub-new.staging-%ld-", tmp, (long)getpid());
    CHECK(strncmp(o.staging_dir, want.data, want.len) == 0);
    CHECK(o.staging_dir[want.len] >= '1' && o.staging_dir[want.len] <= '9');
    CHECK_STR(o.final_dir, at("pub-new"));
    CHECK(fs_is_dir(o.staging_dir));
    CHECK(!exists(at("pub-new")));
    CHECK_INT(output_write(&o, "index.html", "<h1>Hej</h1>", 12, &d), 0);
    CHECK_INT(output_write(&o, "praksis/frisk-luft/index.html", "side", 4,
                           &d), 0);
    CHECK_INT(o.files, 2);
    CHECK_INT(o.bytes, 16);
    char *staged = tree_of(o.staging_dir);
    CHECK_STR(staged, "index.html=<h1>Hej</h1>\npraksis/\n"
                      "praksis/frisk-luft/\n"
                      "praksis/frisk-luft/index.html=side\n");
    char *staging = xstrdup(o.staging_dir);
    CHECK_INT(output_commit(&o, &d), 0);
    CHECK(o.staging_dir == NULL && o.final_dir == NULL);
    CHECK(!exists(staging));
    char *published = tree_of(at("pub-new"));
    CHECK_STR(published, staged);
    CHECK_INT(d.len, 0);
    free(published);
    free(staged);
    free(staging);
    free(final);
    buf_free(&want);
    diag_free(&d);
}

TEST(commit_over_an_existing_folder)
{
    CHECK_INT(write_str("pub/old.html", "gammel"), 0);
    CHECK_INT(write_str("pub/sub/old2.html", "gammel"), 0);
    CHECK_INT(write_str("pub/index.html", "gammel forside"), 0);
    diag d;
    diag_init(&d);
    CHECK_STR(check(at("pub")), "OK");
    output o;
    CHECK_INT(output_begin(&o, at("pub"), &d), 0);
    CHECK_INT(output_write(&o, "index.html", "ny forside", 10, &d), 0);
    CHECK_INT(output_write(&o, "new.html", "ny", 2, &d), 0);
    char *staging = xstrdup(o.staging_dir);
    CHECK_INT(output_commit(&o, &d), 0);
    CHECK_INT(d.len, 0);
    /* the new tree is in place at once */
    CHECK_STR(read_str(at("pub/index.html")), "ny forside");
    CHECK_STR(read_str(at("pub/new.html")), "ny");
    CHECK(!exists(at("pub/old.html")));
    CHECK(!exists(at("pub/sub")));
    /* the old tree (swapped to the staging name) is removed by a detached
     * process soon after */
    CHECK(gone_within_2s(staging));
    char *all = tree_of(tmp);
    CHECK(strstr(all, "gammel") == NULL);
    CHECK(strstr(all, ".staging-") == NULL);
    free(all);
    free(staging);
    diag_free(&d);
}

TEST(abort_leaves_the_published_folder_alone)
{
    CHECK_INT(write_str("kept/index.html", "udgivet"), 0);
    CHECK_INT(write_str("kept/a/b.html", "også udgivet"), 0);
    char *before = tree_of(at("kept"));
    diag d;
    diag_init(&d);
    output o;
    CHECK_INT(output_begin(&o, at("kept"), &d), 0);
    CHECK_INT(output_write(&o, "index.html", "halv", 4, &d), 0);
    char *staging = xstrdup(o.staging_dir);
    CHECK(fs_is_dir(staging));
    output_abort(&o);
    CHECK(!exists(staging));
    CHECK(o.staging_dir == NULL && o.final_dir == NULL);
    char *after = tree_of(at("kept"));
    CHECK_STR(after, before);
    CHECK_STR(after, "a/\na/b.html=også udgivet\nindex.html=udgivet\n");
    output_abort(&o);   /* twice is harmless */
    free(before);
    free(after);
    free(staging);
    diag_free(&d);
}

TEST(begin_removes_staging_folders_of_dead_builds)
{
    /* A process that has ended: its staging folder is debris. */
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    buf stale = BUF_INIT, alive = BUF_INIT;
    buf_init(&stale);
    buf_init(&alive);
    buf_printf(&stale, ".stale.staging-%ld-1/leftover.html", (long)dead);
    /* A running process (this one's parent): its folder is left alone. */
    buf_printf(&alive, ".stale.staging-%ld-1/busy.html", (long)getppid());
    CHECK_INT(write_str(stale.data, "rest"), 0);
    CHECK_INT(write_str(alive.data, "busy"), 0);
    diag d;
    diag_init(&d);
    output o;
    CHECK_INT(output_begin(&o, at("stale"), &d), 0);
    CHECK(!exists(at(stale.data)));
    CHECK(exists(at(alive.data)));
    char *staged = tree_of(o.staging_dir);
    CHECK_STR(staged, "");
    output_abort(&o);
    free(staged);
    buf_free(&stale);
    buf_free(&alive);
    diag_free(&d);
}

TEST(write_errors_are_reported)
{
    diag d;
    diag_init(&d);
    output o;
    CHECK_INT(output_begin(&o, at("werr"), &d), 0);
    CHECK_INT(output_write(&o, "x", "1", 1, &d), 0);
    CHECK_INT(output_write(&o, "x/y.html", "2", 1, &d), -1);
    CHECK_INT(output_copy(&o, "/nonexistent/formidl/file.css", "a.css", &d),
              -1);
    CHECK_STR(printed(&d),
              "formidl: error: cannot write x/y.html: Not a directory\n"
              "/nonexistent/formidl/file.css: error: cannot read: No such "
              "file or directory\n");
    CHECK_INT(o.files, 1);
    output_abort(&o);
    diag_free(&d);
}

TEST(copy_tree_skips_links_and_dotfiles)
{
    CHECK_INT(write_str("assets/css/site.css", "body{}"), 0);
    CHECK_INT(write_str("assets/logo.svg", "<svg/>"), 0);
    CHECK_INT(write_str("assets/.DS_Store", "skjult"), 0);
    CHECK_INT(write_str("assets/.git/config", "skjult"), 0);
    CHECK_INT(write_str("secret/passwd", "HEMMELIG"), 0);
    CHECK_INT(fs_mkdirs(at("assets/empty")), 0);
    buf target = BUF_INIT;
    buf_init(&target);
    fs_join(&target, tmp, "secret");
    CHECK_INT(symlink(target.data, at("assets/linked-dir")), 0);
    fs_join(&target, tmp, "secret/passwd");
    CHECK_INT(symlink(target.data, at("assets/css/linked-file.css")), 0);
    buf_free(&target);

    diag d;
    diag_init(&d);
    output o;
    CHECK_INT(output_begin(&o, at("copied"), &d), 0);
    char *src = xstrdup(at("assets"));
    CHECK_INT(output_copy_tree(&o, src, "assets", &d), 0);
    CHECK_INT(output_copy_tree(&o, src, "", &d), 0);   /* at the top */
    CHECK_INT(o.files, 4);
    char *staged = tree_of(o.staging_dir);
    CHECK_STR(staged, "assets/\nassets/css/\nassets/css/site.css=body{}\n"
                      "assets/logo.svg=<svg/>\n"
                      "css/\ncss/site.css=body{}\nlogo.svg=<svg/>\n");
    CHECK(strstr(staged, "HEMMELIG") == NULL);
    /* a missing source folder copies nothing and is not an error */
    CHECK_INT(output_copy_tree(&o, "/nonexistent/formidl", "x", &d), 0);
    CHECK_INT(d.len, 0);
    output_abort(&o);
    free(staged);
    free(src);
    diag_free(&d);
}

static int setup(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/formidl-output-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmp))
        return -1;
    /* resolve, so expected messages match realpath'd forms too */
    char *r = realpath(tmp, NULL);
    if (!r || strlen(r) >= sizeof tmp)
        return -1;
    memcpy(tmp, r, strlen(r) + 1);
    free(r);
    snprintf(site, sizeof site, "%s/site", tmp);
    int rc = 0;
    rc |= write_str("site/site.yaml", "title: x\n");
    rc |= write_str("site/content/sub/a.md", "---\n---\n");
    rc |= fs_mkdirs(at("site/layouts"));
    rc |= fs_mkdirs(at("site/assets/css"));
    rc |= fs_mkdirs(at("home"));
    rc |= write_str("othersite/site.yaml", "title: y\n");
    rc |= fs_mkdirs(at("repo/.git"));
    rc |= write_str("a-file.txt", "x");
    rc |= write_str("old-public/index.html", "x");
    buf t = BUF_INIT;
    buf_init(&t);
    fs_join(&t, site, "content/sub");
    rc |= symlink(t.data, at("sneaky"));
    buf_free(&t);
    rc |= setenv("HOME", at("home"), 1);
    return rc;
}

int main(void)
{
    buf_init(&pathb);
    buf_init(&scratch);
    if (setup() != 0) {
        perror("setup");
        return 1;
    }
    RUN(refuses_root_and_home);
    RUN(refuses_folders_above_home);
    RUN(refuses_the_site_and_folders_above_it);
    RUN(refuses_source_folders_and_inside_them);
    RUN(refuses_projects_and_files);
    RUN(accepts_normal_folders);
    RUN(commit_into_a_new_folder);
    RUN(commit_over_an_existing_folder);
    RUN(abort_leaves_the_published_folder_alone);
    RUN(begin_removes_staging_folders_of_dead_builds);
    RUN(write_errors_are_reported);
    RUN(copy_tree_skips_links_and_dotfiles);
    if (fs_remove_tree(tmp) != 0)
        printf("could not remove %s\n", tmp);
    free(out_text);
    buf_free(&pathb);
    buf_free(&scratch);
    return TEST_SUMMARY();
}
