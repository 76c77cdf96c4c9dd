/*
 * test.h - the smallest useful unit-test harness.
 *
 * Each tests/unit/test_<module>.c is its own program.  TEST(name) defines a
 * test function; RUN(name) runs it; a test passes when none of its CHECKs
 * failed.  The program ends with "N passed, N failed" (counting tests) and
 * exits 1 if any failed, which tests/run.sh sums up.
 */
#ifndef FORMIDL_TEST_H
#define FORMIDL_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_current_failed;

#define TEST(name) static void name(void)

#define RUN(name)                                                        \
    do {                                                                 \
        test_current_failed = 0;                                         \
        name();                                                          \
        if (test_current_failed) {                                       \
            test_failed++;                                               \
            printf("FAIL %s\n", #name);                                  \
        } else {                                                         \
            test_passed++;                                               \
        }                                                                \
    } while (0)

#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond)) {                                                   \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__,    \
                   #cond);                                               \
            test_current_failed = 1;                                     \
        }                                                                \
    } while (0)

#define CHECK_INT(got, want)                                             \
    do {                                                                 \
        long long g_ = (long long)(got), w_ = (long long)(want);         \
        if (g_ != w_) {                                                  \
            printf("  %s:%d: %s: got %lld, want %lld\n", __FILE__,       \
                   __LINE__, #got, g_, w_);                              \
            test_current_failed = 1;                                     \
        }                                                                \
    } while (0)

#define CHECK_STR(got, want)                                             \
    do {                                                                 \
        const char *g_ = (got), *w_ = (want);                            \
        if (!g_ || strcmp(g_, w_) != 0) {                                \
            printf("  %s:%d: %s:\n    got  \"%s\"\n    want \"%s\"\n",   \
                   __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_);    \
            test_current_failed = 1;                                     \
        }                                                                \
    } while (0)

#define TEST_SUMMARY()                                                   \
    (printf("%d passed, %d failed\n", test_passed, test_failed),         \
     test_failed ? 1 : 0)

#endif
