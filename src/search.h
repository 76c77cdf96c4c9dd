/*
 * search.h - the site's search index: sharded JSON files written by the
 * build and read by a small script on the search page.
 *
 * The build hands over one search_doc per page; this module folds the
 * words the Danish way (case; æ/ae, ø/oe, å/aa; accents), builds an
 * inverted index and splits it into shards small enough that one query
 * downloads at most a few hundred kilobytes even for 10,000 pages.
 */
#ifndef FORMIDL_SEARCH_H
#define FORMIDL_SEARCH_H

#include <stddef.h>

#include "buf.h"

typedef struct search_doc {
    const char *url;            /* URL path of the page */
    const char *title;
    const char *summary;        /* plain text */
    const char *type;           /* section key: "cases", "guides", ... */
    const char *type_title;     /* "Praksiseksempler" */
    const char *const *tracks;  /* track keys */
    const char *const *track_titles;
    size_t ntracks;
    const char *date;           /* "2016-04-15" */
    const char *html;           /* the page's body HTML (tags are skipped) */
    size_t html_len;
} search_doc;

typedef struct search_file {
    char *path;     /* relative to the search folder: "meta.json", ... */
    buf data;
} search_file;

typedef struct search_index {
    search_file *files;
    size_t nfiles;
} search_index;

/* Build the index of docs[0..n).  Deterministic: the same docs give the
 * same files, byte for byte. */
void search_build(const search_doc *docs, size_t n, search_index *out);
void search_index_free(search_index *idx);

/* The same, keeping what it read in *cache (made when NULL) for the next
 * call.  When that call has the same documents (by URL) in the same order
 * and changed is not NULL, only the documents with changed[i] set (i an
 * index into docs) are read again; the files are the same, byte for byte,
 * as search_build would make.  For `serve`, which updates one page at a
 * time. */
typedef struct search_cache search_cache;
void search_build_cached(const search_doc *docs, size_t n,
                         const unsigned char *changed, search_cache **cache,
                         search_index *out);
void search_cache_free(search_cache *c);
/* Would search_build_cached read only the changed documents?  (If so, the
 * others need no html.) */
int search_cache_fits(const search_cache *c, const search_doc *docs,
                      size_t n);

/* Fold a word the way the index does (exposed for tests): lower case,
 * æ→ae, ø→oe, å→aa, accents removed, other characters dropped. */
void search_fold(const char *word, size_t len, buf *out);

#endif
