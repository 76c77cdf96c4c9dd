/*
 * test_feed.c - unit tests for feed.c: exact RSS, podcast, Atom and
 * sitemap output; the output parsed back with libxml2; text XML forbids;
 * every libxml2 failure path (through feed_test_fail_after); url_encode;
 * html_absolute_urls.
 */
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feed.h"
#include "test.h"

/* ---- fixtures ---- */

static buf out_buf;
static diag diags;

static datetime date_summer; /* 2016-04-15 09:30, +02:00 */
static datetime date_winter; /* 2016-01-10, +01:00, no time of day */
static datetime date_later;  /* 2016-05-02 12:00, +02:00 */

static const char *const cats1[] = {"borgerkontakt", "tillid & ære"};
static const char *const cats2[] = {"frisaettende-ledelse"};

static feed_item items[2];
static feed_channel chan;

static void parse_date(const char *s, datetime *d)
{
    const char *err = NULL;
    if (date_parse(s, "Europe/Copenhagen", d, &err) != 0) {
        printf("bad fixture date %s: %s\n", s, err);
        exit(2);
    }
}

/* A channel with two items, newest first; every test starts from it. */
static void fixture(void)
{
    memset(items, 0, sizeof items);
    items[0].title = "Tillid & nærvær <i> borgerkontakten";
    items[0].link = "https://formidl.example.dk/praksis/rebild-dagtilbud/";
    items[0].date = &date_summer;
    items[0].summary = "Rebild prøvede \"tillidsdialog\" – med held.";
    items[0].content_html =
        "<p>Læs om <a href=\"https://formidl.example.dk/om/\">projektet</a>"
        " &amp; mere.</p>";
    items[0].categories = cats1;
    items[0].ncategories = 2;
    items[0].author = "Åse Ørsted";
    items[0].enclosure_url =
        "https://formidl.example.dk/praksis/rebild-dagtilbud/billede.jpg";
    items[0].enclosure_length = 48213;
    items[0].enclosure_type = "image/jpeg";

    items[1].title = "Frisættende ledelse på Ærø";
    items[1].link = "https://formidl.example.dk/vaerktoejer/aeroe/";
    items[1].date = &date_winter;
    items[1].summary = "Kort om værktøjet.";
    items[1].categories = cats2;
    items[1].ncategories = 1;

    memset(&chan, 0, sizeof chan);
    chan.title = "Mere kerneopgave & mindre bureaukrati";
    chan.link = "https://formidl.example.dk/";
    chan.self_url = "https://formidl.example.dk/feed.xml";
    chan.description = "Nyt fra programmet";
    chan.language = "da";
    chan.generator = "formidl 0.1.0";
    chan.last_build = &date_summer;
    chan.items = items;
    chan.nitems = 2;
}

/* Podcast fields on top of the fixture: audio enclosures. */
static void podcast_fixture(void)
{
    fixture();
    chan.self_url = "https://formidl.example.dk/podcast.xml";
    chan.author = "Mere kerneopgave";
    chan.image_url = "https://formidl.example.dk/assets/podcast.png";
    chan.category = "Government";
    chan.owner_email = "redaktion@formidl.example.dk";
    items[0].enclosure_url =
        "https://formidl.example.dk/assets/lyd/rebild dagtilbud.mp3";
    items[0].enclosure_length = 3912345;
    items[0].enclosure_type = "audio/mpeg";
    items[0].duration = "4:05";
    items[0].image_url = "https://formidl.example.dk/assets/rebild.jpg";
    items[1].enclosure_url = "https://formidl.example.dk/assets/lyd/ærø.mp3";
    items[1].enclosure_length = 1000;
    items[1].enclosure_type = "audio/mpeg";
    items[1].duration = "245";
    chan.nitems = 2;
}

enum { RSS, PODCAST, ATOM };

/* Write the channel; the output, or "ERR" when the writer failed. */
static const char *write_feed(int kind)
{
    int rc;
    buf_clear(&out_buf);
    switch (kind) {
    case RSS: rc = feed_write_rss(&chan, &out_buf, &diags); break;
    case PODCAST: rc = feed_write_podcast(&chan, &out_buf, &diags); break;
    default: rc = feed_write_atom(&chan, &out_buf, &diags); break;
    }
    return rc == 0 ? out_buf.data : "ERR";
}

static const char *enc(const char *url)
{
    buf_clear(&out_buf);
    url_encode(url, &out_buf);
    return out_buf.data;
}

static const char *abs_html(const char *html, const char *page)
{
    buf_clear(&out_buf);
    html_absolute_urls(html, strlen(html), page, &out_buf);
    return out_buf.data;
}

#define PAGE "https://formidl.example.dk/praksis/rebild-dagtilbud/"

/* Parse xml with libxml2; NULL when it is not well-formed. */
static xmlDocPtr parse_xml(const char *xml)
{
    return xmlReadMemory(xml, (int)strlen(xml), "feed.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
}

/* The first child element of n named name (local name), or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static int count_children(xmlNodePtr n, const char *name)
{
    int k = 0;
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            strcmp((const char *)c->name, name) == 0)
            k++;
    return k;
}

/* Text content of n, in a static buffer. */
static const char *text_of(xmlNodePtr n)
{
    static char text[1024];
    xmlChar *s = n ? xmlNodeGetContent(n) : NULL;
    snprintf(text, sizeof text, "%s", s ? (const char *)s : "(none)");
    xmlFree(s);
    return text;
}

static const char *ns_of(xmlNodePtr n)
{
    return n && n->ns && n->ns->href ? (const char *)n->ns->href : "(none)";
}

/* ---- RSS ---- */

static const char rss_expected[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\""
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
    " xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
    "  <channel>\n"
    "    <title>Mere kerneopgave &amp; mindre bureaukrati</title>\n"
    "    <link>https://formidl.example.dk/</link>\n"
    "    <description>Nyt fra programmet</description>\n"
    "    <language>da</language>\n"
    "    <lastBuildDate>Fri, 15 Apr 2016 09:30:00 +0200</lastBuildDate>\n"
    "    <generator>formidl 0.1.0</generator>\n"
    "    <atom:link href=\"https://formidl.example.dk/feed.xml\""
    " rel=\"self\" type=\"application/rss+xml\"/>\n"
    "    <item>\n"
    "      <title>Tillid &amp; nærvær &lt;i&gt; borgerkontakten</title>\n"
    "      <link>https://formidl.example.dk/praksis/rebild-dagtilbud/</link>\n"
    "      <guid isPermaLink=\"true\">"
    "https://formidl.example.dk/praksis/rebild-dagtilbud/</guid>\n"
    "      <pubDate>Fri, 15 Apr 2016 09:30:00 +0200</pubDate>\n"
    "      <description>Rebild prøvede &quot;tillidsdialog&quot; – med held."
    "</description>\n"
    "      <content:encoded>&lt;p&gt;Læs om &lt;a href=&quot;"
    "https://formidl.example.dk/om/&quot;&gt;projektet&lt;/a&gt; &amp;amp;"
    " mere.&lt;/p&gt;</content:encoded>\n"
    "      <category>borgerkontakt</category>\n"
    "      <category>tillid &amp; ære</category>\n"
    "      <dc:creator>Åse Ørsted</dc:creator>\n"
    "      <enclosure url=\"https://formidl.example.dk/praksis/"
    "rebild-dagtilbud/billede.jpg\" length=\"48213\" type=\"image/jpeg\"/>\n"
    "    </item>\n"
    "    <item>\n"
    "      <title>Frisættende ledelse på Ærø</title>\n"
    "      <link>https://formidl.example.dk/vaerktoejer/aeroe/</link>\n"
    "      <guid isPermaLink=\"true\">"
    "https://formidl.example.dk/vaerktoejer/aeroe/</guid>\n"
    "      <pubDate>Sun, 10 Jan 2016 00:00:00 +0100</pubDate>\n"
    "      <description>Kort om værktøjet.</description>\n"
    "      <category>frisaettende-ledelse</category>\n"
    "    </item>\n"
    "  </channel>\n"
    "</rss>\n";

TEST(rss_two_items_exact)
{
    fixture();
    CHECK_STR(write_feed(RSS), rss_expected);
    CHECK_INT(diags.errors, 0);
}

TEST(rss_parses_back_with_libxml2)
{
    fixture();
    xmlDocPtr doc = parse_xml(write_feed(RSS));
    CHECK(doc != NULL);
    if (!doc)
        return;
    xmlNodePtr rss = xmlDocGetRootElement(doc);
    CHECK_STR((const char *)rss->name, "rss");
    xmlNodePtr ch = child(rss, "channel");
    CHECK_STR(text_of(child(ch, "title")),
              "Mere kerneopgave & mindre bureaukrati");
    CHECK_INT(count_children(ch, "item"), 2);
    xmlNodePtr link = child(ch, "link");
    CHECK_STR(text_of(link), "https://formidl.example.dk/");
    xmlNodePtr self = NULL;
    for (xmlNodePtr c = ch->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            strcmp((const char *)c->name, "link") == 0 && c->ns)
            self = c;
    CHECK_STR(ns_of(self), "http://www.w3.org/2005/Atom");
    xmlNodePtr it = child(ch, "item");
    CHECK_STR(text_of(child(it, "title")),
              "Tillid & nærvær <i> borgerkontakten");
    xmlNodePtr ce = child(it, "encoded");
    CHECK_STR(ns_of(ce), "http://purl.org/rss/1.0/modules/content/");
    CHECK_STR(text_of(ce), items[0].content_html);
    CHECK_STR(ns_of(child(it, "creator")), "http://purl.org/dc/elements/1.1/");
    CHECK_INT(count_children(it, "category"), 2);
    xmlFreeDoc(doc);
}

TEST(rss_channel_without_items)
{
    fixture();
    chan.nitems = 0;
    chan.items = NULL;
    chan.last_build = NULL;
    CHECK_STR(write_feed(RSS),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<rss version=\"2.0\""
              " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
              " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
              " xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
              "  <channel>\n"
              "    <title>Mere kerneopgave &amp; mindre bureaukrati</title>\n"
              "    <link>https://formidl.example.dk/</link>\n"
              "    <description>Nyt fra programmet</description>\n"
              "    <language>da</language>\n"
              "    <generator>formidl 0.1.0</generator>\n"
              "    <atom:link href=\"https://formidl.example.dk/feed.xml\""
              " rel=\"self\" type=\"application/rss+xml\"/>\n"
              "  </channel>\n"
              "</rss>\n");
}

TEST(rss_drops_characters_xml_forbids)
{
    fixture();
    chan.nitems = 1;
    items[0].title = "A\x01" "B\x1f" "C\tD";
    items[0].summary = "linje 1\nlinje 2\x0b!";
    items[0].content_html = "<p>\x7f ok \x08</p>";
    const char *xml = write_feed(RSS);
    CHECK(strstr(xml, "<title>ABC\tD</title>") != NULL);
    CHECK(strstr(xml, "<description>linje 1\nlinje 2!</description>") != NULL);
    CHECK(strstr(xml, "<content:encoded>&lt;p&gt;\x7f ok &lt;/p&gt;"
                      "</content:encoded>") != NULL);
    xmlDocPtr doc = parse_xml(xml);
    CHECK(doc != NULL);
    xmlFreeDoc(doc);
}

TEST(rss_invalid_utf8_becomes_replacement_character)
{
    fixture();
    chan.nitems = 1;
    items[0].title = "Hal\xff" "lo \xc3";  /* a stray byte, a cut-off æ */
    items[0].author = "\xed\xa0\x80x";     /* an encoded surrogate */
    const char *xml = write_feed(RSS);
    CHECK(strstr(xml, "<title>Hal\xef\xbf\xbdlo \xef\xbf\xbd</title>") != NULL);
    CHECK(strstr(xml, "<dc:creator>\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx"
                      "</dc:creator>") != NULL);
    xmlDocPtr doc = parse_xml(xml);
    CHECK(doc != NULL);
    xmlFreeDoc(doc);
}

TEST(rss_content_with_cdata_terminator_round_trips)
{
    fixture();
    chan.nitems = 1;
    items[0].content_html = "<pre><code>a[b[0]]> c ]]> d</code></pre>";
    xmlDocPtr doc = parse_xml(write_feed(RSS));
    CHECK(doc != NULL);
    if (!doc)
        return;
    xmlNodePtr it = child(child(xmlDocGetRootElement(doc), "channel"), "item");
    CHECK_STR(text_of(child(it, "encoded")),
              "<pre><code>a[b[0]]> c ]]> d</code></pre>");
    xmlFreeDoc(doc);
}

TEST(rss_urls_are_percent_encoded)
{
    fixture();
    chan.nitems = 1;
    items[0].link = "https://formidl.example.dk/emner/bæredygtighed/";
    items[0].enclosure_url = "https://formidl.example.dk/billeder/ø 1.jpg";
    items[0].enclosure_length = -5;  /* unknown: written as 0 */
    items[0].enclosure_type = NULL;
    const char *xml = write_feed(RSS);
    CHECK(strstr(xml, "<link>https://formidl.example.dk/emner/"
                      "b%C3%A6redygtighed/</link>") != NULL);
    CHECK(strstr(xml, ">https://formidl.example.dk/emner/"
                      "b%C3%A6redygtighed/</guid>") != NULL);
    CHECK(strstr(xml, "<enclosure url=\"https://formidl.example.dk/billeder/"
                      "%C3%B8%201.jpg\" length=\"0\""
                      " type=\"application/octet-stream\"/>") != NULL);
}

TEST(rss_appends_and_is_deterministic)
{
    fixture();
    buf a = BUF_INIT, b = BUF_INIT;
    buf_init(&a);
    buf_init(&b);
    buf_puts(&a, "PREFIX");
    CHECK_INT(feed_write_rss(&chan, &a, &diags), 0);
    CHECK_INT(feed_write_rss(&chan, &b, &diags), 0);
    CHECK(strncmp(a.data, "PREFIX<?xml", 11) == 0);
    CHECK_STR(a.data + 6, b.data);
    CHECK_STR(b.data, rss_expected);
    buf_free(&a);
    buf_free(&b);
}

/* ---- podcast ---- */

static const char podcast_expected[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\""
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
    " xmlns:atom=\"http://www.w3.org/2005/Atom\""
    " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\n"
    "  <channel>\n"
    "    <title>Mere kerneopgave &amp; mindre bureaukrati</title>\n"
    "    <link>https://formidl.example.dk/</link>\n"
    "    <description>Nyt fra programmet</description>\n"
    "    <language>da</language>\n"
    "    <lastBuildDate>Fri, 15 Apr 2016 09:30:00 +0200</lastBuildDate>\n"
    "    <generator>formidl 0.1.0</generator>\n"
    "    <atom:link href=\"https://formidl.example.dk/podcast.xml\""
    " rel=\"self\" type=\"application/rss+xml\"/>\n"
    "    <itunes:author>Mere kerneopgave</itunes:author>\n"
    "    <itunes:summary>Nyt fra programmet</itunes:summary>\n"
    "    <itunes:image"
    " href=\"https://formidl.example.dk/assets/podcast.png\"/>\n"
    "    <itunes:category text=\"Government\"/>\n"
    "    <itunes:explicit>false</itunes:explicit>\n"
    "    <itunes:owner>\n"
    "      <itunes:name>Mere kerneopgave</itunes:name>\n"
    "      <itunes:email>redaktion@formidl.example.dk</itunes:email>\n"
    "    </itunes:owner>\n"
    "    <item>\n"
    "      <title>Tillid &amp; nærvær &lt;i&gt; borgerkontakten</title>\n"
    "      <link>https://formidl.example.dk/praksis/rebild-dagtilbud/</link>\n"
    "      <guid isPermaLink=\"true\">"
    "https://formidl.example.dk/praksis/rebild-dagtilbud/</guid>\n"
    "      <pubDate>Fri, 15 Apr 2016 09:30:00 +0200</pubDate>\n"
    "      <description>Rebild prøvede &quot;tillidsdialog&quot; – med held."
    "</description>\n"
    "      <content:encoded>&lt;p&gt;Læs om &lt;a href=&quot;"
    "https://formidl.example.dk/om/&quot;&gt;projektet&lt;/a&gt; &amp;amp;"
    " mere.&lt;/p&gt;</content:encoded>\n"
    "      <category>borgerkontakt</category>\n"
    "      <category>tillid &amp; ære</category>\n"
    "      <dc:creator>Åse Ørsted</dc:creator>\n"
    "      <enclosure url=\"https://formidl.example.dk/assets/lyd/"
    "rebild%20dagtilbud.mp3\" length=\"3912345\" type=\"audio/mpeg\"/>\n"
    "      <itunes:duration>4:05</itunes:duration>\n"
    "      <itunes:summary>Rebild prøvede &quot;tillidsdialog&quot; – med"
    " held.</itunes:summary>\n"
    "      <itunes:image"
    " href=\"https://formidl.example.dk/assets/rebild.jpg\"/>\n"
    "      <itunes:explicit>false</itunes:explicit>\n"
    "      <itunes:author>Åse Ørsted</itunes:author>\n"
    "    </item>\n"
    "    <item>\n"
    "      <title>Frisættende ledelse på Ærø</title>\n"
    "      <link>https://formidl.example.dk/vaerktoejer/aeroe/</link>\n"
    "      <guid isPermaLink=\"true\">"
    "https://formidl.example.dk/vaerktoejer/aeroe/</guid>\n"
    "      <pubDate>Sun, 10 Jan 2016 00:00:00 +0100</pubDate>\n"
    "      <description>Kort om værktøjet.</description>\n"
    "      <category>frisaettende-ledelse</category>\n"
    "      <enclosure url=\"https://formidl.example.dk/assets/lyd/"
    "%C3%A6r%C3%B8.mp3\" length=\"1000\" type=\"audio/mpeg\"/>\n"
    "      <itunes:duration>245</itunes:duration>\n"
    "      <itunes:summary>Kort om værktøjet.</itunes:summary>\n"
    "      <itunes:explicit>false</itunes:explicit>\n"
    "      <itunes:author>Mere kerneopgave</itunes:author>\n"
    "    </item>\n"
    "  </channel>\n"
    "</rss>\n";

TEST(podcast_exact)
{
    podcast_fixture();
    CHECK_STR(write_feed(PODCAST), podcast_expected);
}

TEST(podcast_parses_back_and_leaves_out_absent_fields)
{
    podcast_fixture();
    chan.owner_email = NULL;
    chan.image_url = NULL;
    chan.category = NULL;
    chan.author = NULL;
    const char *xml = write_feed(PODCAST);
    CHECK(strstr(xml, "itunes:owner") == NULL);
    CHECK(strstr(xml, "<itunes:image href=\"https://formidl.example.dk/"
                      "assets/podcast.png\"") == NULL);
    CHECK(strstr(xml, "itunes:category") == NULL);
    /* The second item has no author and the channel none either. */
    CHECK(strstr(xml, "<itunes:author>Åse Ørsted</itunes:author>") != NULL);
    CHECK(strstr(xml, "<itunes:author>Mere") == NULL);
    xmlDocPtr doc = parse_xml(xml);
    CHECK(doc != NULL);
    if (!doc)
        return;
    xmlNodePtr ch = child(xmlDocGetRootElement(doc), "channel");
    xmlNodePtr it = child(ch, "item");
    CHECK_STR(ns_of(child(it, "duration")),
              "http://www.itunes.com/dtds/podcast-1.0.dtd");
    CHECK_STR(text_of(child(it, "duration")), "4:05");
    CHECK_STR(text_of(child(ch, "explicit")), "false");
    xmlFreeDoc(doc);
}

/* ---- Atom ---- */

TEST(atom_exact)
{
    fixture();
    items[1].updated = &date_later;
    CHECK_STR(
        write_feed(ATOM),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">\n"
        "  <title>Mere kerneopgave &amp; mindre bureaukrati</title>\n"
        "  <subtitle>Nyt fra programmet</subtitle>\n"
        "  <link rel=\"alternate\" type=\"text/html\""
        " href=\"https://formidl.example.dk/\"/>\n"
        "  <link rel=\"self\" type=\"application/atom+xml\""
        " href=\"https://formidl.example.dk/feed.xml\"/>\n"
        "  <id>https://formidl.example.dk/feed.xml</id>\n"
        "  <updated>2016-05-02T12:00:00+02:00</updated>\n"
        "  <author>\n"
        "    <name>Mere kerneopgave &amp; mindre bureaukrati</name>\n"
        "  </author>\n"
        "  <generator>formidl 0.1.0</generator>\n"
        "  <entry>\n"
        "    <title>Tillid &amp; nærvær &lt;i&gt; borgerkontakten</title>\n"
        "    <link rel=\"alternate\" type=\"text/html\""
        " href=\"https://formidl.example.dk/praksis/rebild-dagtilbud/\"/>\n"
        "    <id>https://formidl.example.dk/praksis/rebild-dagtilbud/</id>\n"
        "    <published>2016-04-15T09:30:00+02:00</published>\n"
        "    <updated>2016-04-15T09:30:00+02:00</updated>\n"
        "    <author>\n"
        "      <name>Åse Ørsted</name>\n"
        "    </author>\n"
        "    <category term=\"borgerkontakt\"/>\n"
        "    <category term=\"tillid &amp; ære\"/>\n"
        "    <summary>Rebild prøvede &quot;tillidsdialog&quot; – med held."
        "</summary>\n"
        "    <content type=\"html\">&lt;p&gt;Læs om &lt;a href=&quot;"
        "https://formidl.example.dk/om/&quot;&gt;projektet&lt;/a&gt; &amp;amp;"
        " mere.&lt;/p&gt;</content>\n"
        "    <link rel=\"enclosure\" type=\"image/jpeg\" length=\"48213\""
        " href=\"https://formidl.example.dk/praksis/rebild-dagtilbud/"
        "billede.jpg\"/>\n"
        "  </entry>\n"
        "  <entry>\n"
        "    <title>Frisættende ledelse på Ærø</title>\n"
        "    <link rel=\"alternate\" type=\"text/html\""
        " href=\"https://formidl.example.dk/vaerktoejer/aeroe/\"/>\n"
        "    <id>https://formidl.example.dk/vaerktoejer/aeroe/</id>\n"
        "    <published>2016-01-10T00:00:00+01:00</published>\n"
        "    <updated>2016-05-02T12:00:00+02:00</updated>\n"
        "    <category term=\"frisaettende-ledelse\"/>\n"
        "    <summary>Kort om værktøjet.</summary>\n"
        "  </entry>\n"
        "</feed>\n");
}

TEST(atom_without_items_uses_the_epoch)
{
    fixture();
    chan.nitems = 0;
    chan.items = NULL;
    chan.last_build = NULL;
    chan.author = "Programsekretariatet";
    const char *xml = write_feed(ATOM);
    CHECK(strstr(xml, "  <updated>1970-01-01T00:00:00+00:00</updated>\n") !=
          NULL);
    CHECK(strstr(xml, "<name>Programsekretariatet</name>") != NULL);
    CHECK(strstr(xml, "<entry>") == NULL);
    xmlDocPtr doc = parse_xml(xml);
    CHECK(doc != NULL);
    if (doc) {
        xmlNodePtr feed = xmlDocGetRootElement(doc);
        CHECK_STR(ns_of(feed), "http://www.w3.org/2005/Atom");
        CHECK_STR(text_of(child(feed, "id")),
                  "https://formidl.example.dk/feed.xml");
    }
    xmlFreeDoc(doc);
}

/* ---- sitemaps ---- */

TEST(sitemap_exact_with_percent_encoded_loc)
{
    sitemap_entry e[3] = {
        {"https://formidl.example.dk/", &date_summer},
        {"https://formidl.example.dk/emner/bæredygtighed/", &date_winter},
        {"https://formidl.example.dk/om/?a=1&b=2", NULL},
    };
    buf_clear(&out_buf);
    CHECK_INT(sitemap_write(e, 3, &out_buf, &diags), 0);
    CHECK_STR(out_buf.data,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
              "  <url>\n"
              "    <loc>https://formidl.example.dk/</loc>\n"
              "    <lastmod>2016-04-15T09:30:00+02:00</lastmod>\n"
              "  </url>\n"
              "  <url>\n"
              "    <loc>https://formidl.example.dk/emner/b%C3%A6redygtighed/"
              "</loc>\n"
              "    <lastmod>2016-01-10</lastmod>\n"
              "  </url>\n"
              "  <url>\n"
              "    <loc>https://formidl.example.dk/om/?a=1&amp;b=2</loc>\n"
              "  </url>\n"
              "</urlset>\n");
    xmlDocPtr doc = parse_xml(out_buf.data);
    CHECK(doc != NULL);
    xmlFreeDoc(doc);
}

TEST(sitemap_empty)
{
    buf_clear(&out_buf);
    CHECK_INT(sitemap_write(NULL, 0, &out_buf, &diags), 0);
    CHECK_STR(out_buf.data,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>"
              "\n");
}

TEST(sitemap_index_exact)
{
    const char *const locs[] = {"https://formidl.example.dk/sitemap-1.xml",
                                "https://formidl.example.dk/sitemap-2.xml"};
    buf_clear(&out_buf);
    CHECK_INT(sitemap_write_index(locs, 2, &date_summer, &out_buf, &diags), 0);
    CHECK_STR(out_buf.data,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<sitemapindex"
              " xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
              "  <sitemap>\n"
              "    <loc>https://formidl.example.dk/sitemap-1.xml</loc>\n"
              "    <lastmod>2016-04-15T09:30:00+02:00</lastmod>\n"
              "  </sitemap>\n"
              "  <sitemap>\n"
              "    <loc>https://formidl.example.dk/sitemap-2.xml</loc>\n"
              "    <lastmod>2016-04-15T09:30:00+02:00</lastmod>\n"
              "  </sitemap>\n"
              "</sitemapindex>\n");
}

/* ---- errors ---- */

/* Make each libxml2 call fail in turn: every failure must give -1, one
 * diagnostic and an untouched buffer (ASan checks that nothing leaks). */
static int walk_failures(int kind)
{
    int failures = 0;
    sitemap_entry e[1] = {{"https://formidl.example.dk/", &date_summer}};
    const char *const locs[] = {"https://formidl.example.dk/sitemap-1.xml"};

    for (long n = 0; n < 100000; n++) {
        buf b = BUF_INIT;
        diag d;
        int rc;
        buf_init(&b);
        diag_init(&d);
        buf_puts(&b, "keep");
        feed_test_fail_after(n);
        switch (kind) {
        case RSS: rc = feed_write_rss(&chan, &b, &d); break;
        case PODCAST: rc = feed_write_podcast(&chan, &b, &d); break;
        case ATOM: rc = feed_write_atom(&chan, &b, &d); break;
        case 3: rc = sitemap_write(e, 1, &b, &d); break;
        default: rc = sitemap_write_index(locs, 1, &date_summer, &b, &d);
        }
        feed_test_fail_after(-1);
        if (rc == 0) {
            CHECK_INT(d.errors, 0);
            CHECK(strncmp(b.data, "keep<?xml", 9) == 0);
            buf_free(&b);
            diag_free(&d);
            break;
        }
        failures++;
        CHECK_INT(rc, -1);
        CHECK_STR(b.data, "keep");
        CHECK_INT(d.errors, 1);
        if (d.len == 1) {
            CHECK(d.entries[0].path == NULL);
            CHECK(strstr(d.entries[0].message, "could not write the ") ==
                  d.entries[0].message);
            CHECK(strstr(d.entries[0].message, "libxml2's xml") != NULL);
        }
        buf_free(&b);
        diag_free(&d);
    }
    return failures;
}

TEST(every_writer_failure_is_reported_without_leaks)
{
    podcast_fixture();
    int rss = walk_failures(RSS), pod = walk_failures(PODCAST),
        atom = walk_failures(ATOM), sm = walk_failures(3),
        smi = walk_failures(4);
    /* Each document makes many calls; all of them were tried. */
    CHECK(rss > 40);
    CHECK(pod > rss);
    CHECK(atom > 40);
    CHECK(sm > 5);
    CHECK(smi > 5);
}

TEST(missing_channel_is_an_error)
{
    diag d;
    diag_init(&d);
    buf_clear(&out_buf);
    CHECK_INT(feed_write_rss(NULL, &out_buf, &d), -1);
    CHECK_INT(feed_write_atom(NULL, &out_buf, &d), -1);
    CHECK_INT(d.errors, 2);
    CHECK_STR(out_buf.data, "");
    diag_free(&d);
}

/* ---- url_encode ---- */

TEST(url_encode_non_ascii)
{
    CHECK_STR(enc("https://x.dk/emner/bæredygtighed/"),
              "https://x.dk/emner/b%C3%A6redygtighed/");
    CHECK_STR(enc("https://x.dk/ÆØÅ/æøå"),
              "https://x.dk/%C3%86%C3%98%C3%85/%C3%A6%C3%B8%C3%A5");
    CHECK_STR(enc("https://x.dk/€"), "https://x.dk/%E2%82%AC");
    CHECK_STR(enc(""), "");
}

TEST(url_encode_characters_urls_cannot_hold)
{
    CHECK_STR(enc("https://x.dk/a b\"c<d>e\\f^g`h{i|j}k"),
              "https://x.dk/a%20b%22c%3Cd%3Ee%5Cf%5Eg%60h%7Bi%7Cj%7Dk");
    CHECK_STR(enc("https://x.dk/\t\n\x7f"), "https://x.dk/%09%0A%7F");
}

TEST(url_encode_keeps_reserved_and_escapes)
{
    const char *u = "https://user@x.dk:8080/a/b;c=d,e/~f-g_h.i!$'()*+"
                    "?q=1&r=[2]#frag:x@y";
    CHECK_STR(enc(u), u);
    CHECK_STR(enc("https://x.dk/b%C3%A6%2f"), "https://x.dk/b%C3%A6%2f");
    /* A '%' that starts no escape is itself escaped. */
    CHECK_STR(enc("https://x.dk/100%/%zz/%4"),
              "https://x.dk/100%25/%25zz/%254");
    /* Encoding twice changes nothing. */
    buf once = BUF_INIT;
    buf_init(&once);
    url_encode("https://x.dk/ø 1%/ü", &once);
    CHECK_STR(enc(once.data), once.data);
    buf_free(&once);
}

/* ---- html_absolute_urls ---- */

TEST(html_fragment)
{
    CHECK_STR(abs_html("<p><a href=\"#fn1\">1</a></p>", PAGE),
              "<p><a href=\"" PAGE "#fn1\">1</a></p>");
}

TEST(html_relative_image_in_page_folder)
{
    CHECK_STR(abs_html("<p><img src=\"billede.jpg\" alt=\"Et billede\" /></p>",
                       PAGE),
              "<p><img src=\"" PAGE "billede.jpg\" alt=\"Et billede\" /></p>");
    CHECK_STR(abs_html("<img src=\"./a/b.png\">", PAGE),
              "<img src=\"" PAGE "a/b.png\">");
}

TEST(html_root_relative)
{
    CHECK_STR(abs_html("<a href=\"/vaerktoejer/tillid/\">x</a>", PAGE),
              "<a href=\"https://formidl.example.dk/vaerktoejer/tillid/\">x"
              "</a>");
    CHECK_STR(abs_html("<a href=\"/a/../b/./c\">x</a>",
                       "https://h.dk:8443/sub/side/"),
              "<a href=\"https://h.dk:8443/b/c\">x</a>");
}

TEST(html_protocol_relative)
{
    CHECK_STR(abs_html("<img src=\"//cdn.example.org/x.png\">", PAGE),
              "<img src=\"https://cdn.example.org/x.png\">");
    CHECK_STR(abs_html("<img src=\"//cdn.example.org/x.png\">",
                       "http://localhost:1313/a/"),
              "<img src=\"http://cdn.example.org/x.png\">");
}

TEST(html_absolute_and_other_schemes_untouched)
{
    const char *in =
        "<a href=\"https://www.kl.dk/\">KL</a> <a href=\"HTTP://X.DK\">x</a>"
        " <a href=\"mailto:post@example.dk?subject=Hej\">mail</a>"
        " <a href=\"tel:+4512345678\">tlf</a>"
        " <img src=\"data:image/png;base64,iVBORw0KGgo=\">"
        " <a href=\"ftp://x.dk/f\">f</a>";
    CHECK_STR(abs_html(in, PAGE), in);
}

TEST(html_single_and_missing_quotes)
{
    CHECK_STR(abs_html("<a href='a.html' title='\"x\"'>x</a>", PAGE),
              "<a href='" PAGE "a.html' title='\"x\"'>x</a>");
    CHECK_STR(abs_html("<a href=a.html>x</a><img src=b.png alt=b>", PAGE),
              "<a href=" PAGE "a.html>x</a><img src=" PAGE "b.png alt=b>");
    CHECK_STR(abs_html("<A HREF = \"x\" class=\"c\" hidden SRC='y'>", PAGE),
              "<A HREF = \"" PAGE "x\" class=\"c\" hidden SRC='" PAGE "y'>");
}

TEST(html_text_comments_and_code_untouched)
{
    const char *in =
        "<p>Skriv href=\"x\" eller src=y i teksten: "
        "<code>&lt;a href=&quot;z&quot;&gt;</code></p>\n"
        "<!-- <a href=\"kommentar\"> -->"
        "<pre><code class=\"language-html\">&lt;img src=\"a.png\"&gt;"
        "</code></pre>"
        "<script>var s = '<a href=\"js\">';</script>"
        "<STYLE>a[href=\"x\"] { }</style>"
        "<!DOCTYPE html><?pi href=\"x\"?>";
    CHECK_STR(abs_html(in, PAGE), in);
}

TEST(html_dot_dot_resolution)
{
    CHECK_STR(abs_html("<a href=\"../andre/\">x</a>", PAGE),
              "<a href=\"https://formidl.example.dk/praksis/andre/\">x</a>");
    CHECK_STR(abs_html("<a href=\"../../vaerktoejer/x/#y\">x</a>", PAGE),
              "<a href=\"https://formidl.example.dk/vaerktoejer/x/#y\">x</a>");
    /* More ".." than folders stops at the root. */
    CHECK_STR(abs_html("<a href=\"../../../../a/./b/../c\">x</a>", PAGE),
              "<a href=\"https://formidl.example.dk/a/c\">x</a>");
    CHECK_STR(abs_html("<a href=\"..\">x</a><a href=\".\">y</a>", PAGE),
              "<a href=\"https://formidl.example.dk/praksis/\">x</a>"
              "<a href=\"" PAGE "\">y</a>");
}

TEST(html_query_entities_and_empty_values)
{
    /* Entity-escaped text stays as it is. */
    CHECK_STR(abs_html("<a href=\"soeg/?q=a&amp;b=%C3%A6\">x</a>", PAGE),
              "<a href=\"" PAGE "soeg/?q=a&amp;b=%C3%A6\">x</a>");
    CHECK_STR(abs_html("<a href=\"?side=2\">x</a>", PAGE),
              "<a href=\"" PAGE "?side=2\">x</a>");
    CHECK_STR(abs_html("<a href=\"\">x</a>", PAGE),
              "<a href=\"" PAGE "\">x</a>");
    /* A base whose query has '&' is escaped where it is copied. */
    CHECK_STR(abs_html("<a href=\"#t\">x</a>", "https://x.dk/s/?a=1&b=2#old"),
              "<a href=\"https://x.dk/s/?a=1&amp;b=2#t\">x</a>");
}

TEST(html_other_bytes_copied_exactly)
{
    const char *in =
        "<h2 id=\"nærvær\">Nærvær &amp; tillid</h2>\n"
        "<p>1 &lt; 2 og 3 > 2 &#8211; <em>æøå</em><br/>\n"
        "<a class=\"x\" data-href=\"a\" hreflang=\"da\">y</a> a < b</p>\n"
        "<table><tr><td align=\"left\">|</td></tr></table>\n";
    CHECK_STR(abs_html(in, PAGE), in);
    /* Only len bytes are read, and nothing without an absolute base. */
    buf_clear(&out_buf);
    html_absolute_urls("<a href=\"x\">yz", 13, PAGE, &out_buf);
    CHECK_STR(out_buf.data, "<a href=\"" PAGE "x\">y");
    CHECK_STR(abs_html("<a href=\"x\">y</a>", "/relativ/"),
              "<a href=\"x\">y</a>");
    /* Cut-off input is copied, not overrun. */
    CHECK_STR(abs_html("<a href=\"x", PAGE), "<a href=\"x");
    CHECK_STR(abs_html("<a href=", PAGE), "<a href=");
    CHECK_STR(abs_html("<!-- x", PAGE), "<!-- x");
    CHECK_STR(abs_html("<", PAGE), "<");
}

int main(void)
{
    buf_init(&out_buf);
    diag_init(&diags);
    parse_date("2016-04-15 09:30", &date_summer);
    parse_date("2016-01-10", &date_winter);
    parse_date("2016-05-02 12:00", &date_later);

    RUN(rss_two_items_exact);
    RUN(rss_parses_back_with_libxml2);
    RUN(rss_channel_without_items);
    RUN(rss_drops_characters_xml_forbids);
    RUN(rss_invalid_utf8_becomes_replacement_character);
    RUN(rss_content_with_cdata_terminator_round_trips);
    RUN(rss_urls_are_percent_encoded);
    RUN(rss_appends_and_is_deterministic);
    RUN(podcast_exact);
    RUN(podcast_parses_back_and_leaves_out_absent_fields);
    RUN(atom_exact);
    RUN(atom_without_items_uses_the_epoch);
    RUN(sitemap_exact_with_percent_encoded_loc);
    RUN(sitemap_empty);
    RUN(sitemap_index_exact);
    RUN(every_writer_failure_is_reported_without_leaks);
    RUN(missing_channel_is_an_error);
    RUN(url_encode_non_ascii);
    RUN(url_encode_characters_urls_cannot_hold);
    RUN(url_encode_keeps_reserved_and_escapes);
    RUN(html_fragment);
    RUN(html_relative_image_in_page_folder);
    RUN(html_root_relative);
    RUN(html_protocol_relative);
    RUN(html_absolute_and_other_schemes_untouched);
    RUN(html_single_and_missing_quotes);
    RUN(html_text_comments_and_code_untouched);
    RUN(html_dot_dot_resolution);
    RUN(html_query_entities_and_empty_values);
    RUN(html_other_bytes_copied_exactly);

    buf_free(&out_buf);
    diag_free(&diags);
    xmlCleanupParser();
    return TEST_SUMMARY();
}
