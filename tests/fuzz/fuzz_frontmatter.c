/*
 * fuzz_frontmatter.c - libFuzzer target for the front-matter path: bytes
 * are checked as UTF-8 (as content.c and config.c do before parsing) and
 * then parsed by yaml_parse.  Besides the sanitizers' checks, it asserts
 * the parser's promises: a failed parse reports an error, the tree stays
 * within YAML_MAX_DEPTH levels and YAML_MAX_NODES nodes counted with
 * aliases expanded, and every tree can be copied, printed and freed.
 * Build and run: see tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "danish.h"
#include "diag.h"
#include "value.h"
#include "yamltree.h"

#define REQUIRE(cond)                                                    \
    do {                                                                 \
        if (!(cond)) {                                                   \
            fprintf(stderr, "fuzz_frontmatter: %s:%d: %s\n", __FILE__,   \
                    __LINE__, #cond);                                    \
            abort();                                                     \
        }                                                                \
    } while (0)

/* Logical size as the parser charges it (keys are nodes; shared subtrees
 * count once per use).  Stops counting past limit, so a broken budget
 * shows up as a failure rather than a hang. */
static size_t walk(const value *v, int depth, size_t count, size_t limit,
                   int *max_depth, buf *text)
{
    if (count > limit)
        return count;
    count++;
    if (v->kind == VALUE_LIST || v->kind == VALUE_MAP) {
        if (depth > *max_depth)
            *max_depth = depth;
    } else {
        buf_clear(text);
        value_to_text(v, text);
        REQUIRE(v->kind != VALUE_STRING || text->len == v->as.str.len);
    }
    if (v->kind == VALUE_LIST) {
        for (size_t i = 0; i < v->as.list.len && count <= limit; i++)
            count = walk(v->as.list.items[i], depth + 1, count, limit,
                         max_depth, text);
    } else if (v->kind == VALUE_MAP) {
        for (size_t i = 0; i < v->as.map.len && count <= limit; i++) {
            count++;    /* the key */
            REQUIRE(value_map_get(v, v->as.map.keys[i]) == v->as.map.vals[i]);
            count = walk(v->as.map.vals[i], depth + 1, count, limit,
                         max_depth, text);
        }
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t bad;
    if (!utf8_valid((const char *)data, size, &bad))
        return 0;
    /* yaml_parse gets (pointer, length); a private copy lets ASan catch
     * any read past the end */
    char *src = malloc(size ? size : 1);
    if (size)
        memcpy(src, data, size);
    diag d;
    diag_init(&d);
    value *root = yaml_parse("fuzz.yaml", src, size, 3, &d);
    if (!root) {
        REQUIRE(d.errors > 0);
    } else {
        int max_depth = 0;
        buf text = BUF_INIT;
        buf_init(&text);
        size_t n = walk(root, 1, 0, YAML_MAX_NODES, &max_depth, &text);
        REQUIRE(n <= YAML_MAX_NODES);
        REQUIRE(max_depth <= YAML_MAX_DEPTH);
        value *copy = value_copy(root);
        value_free(copy);
        buf_free(&text);
    }
    for (size_t i = 0; i < d.len; i++) {
        REQUIRE(d.entries[i].level == DIAG_ERROR);
        REQUIRE(d.entries[i].line >= 3 || d.entries[i].line == 0);
    }
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        diag_print(&d, devnull, 1);
        fclose(devnull);
    }
    value_free(root);
    diag_free(&d);
    free(src);
    return 0;
}
