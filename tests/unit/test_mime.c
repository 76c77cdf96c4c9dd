/* Unit tests for mime.c: media types and Danish labels by extension. */
#include "mime.h"
#include "test.h"

TEST(types_by_extension)
{
    CHECK_STR(mime_type("a/b/lyt.mp3"), "audio/mpeg");
    CHECK_STR(mime_type("x.OGG"), "audio/ogg");
    CHECK_STR(mime_type("billede.svg"), "image/svg+xml");
    CHECK_STR(mime_type("foto.JPEG"), "image/jpeg");
    CHECK_STR(mime_type("guide.pdf"), "application/pdf");
    CHECK_STR(mime_type("feed.xml"), "application/xml; charset=utf-8");
    CHECK_STR(mime_type("index.html"), "text/html; charset=utf-8");
}

TEST(unknown_and_odd_names)
{
    CHECK_STR(mime_type("README"), "application/octet-stream");
    CHECK_STR(mime_type("mappe.d/fil"), "application/octet-stream");
    CHECK_STR(mime_type("x.tar.gz"), "application/octet-stream");
    CHECK_STR(mime_type(""), "application/octet-stream");
}

TEST(labels)
{
    char scratch[16];
    CHECK_STR(mime_label("skema.pdf", scratch, sizeof scratch), "PDF");
    CHECK_STR(mime_label("skema.docx", scratch, sizeof scratch), "Word");
    CHECK_STR(mime_label("data.csv", scratch, sizeof scratch), "CSV");
    CHECK_STR(mime_label("uden-endelse", scratch, sizeof scratch), "Fil");
    char tiny[3];
    CHECK_STR(mime_label("x.abcdef", tiny, sizeof tiny), "AB");
}

int main(void)
{
    RUN(types_by_extension);
    RUN(unknown_and_odd_names);
    RUN(labels);
    return TEST_SUMMARY();
}
