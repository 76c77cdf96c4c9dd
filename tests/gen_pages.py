#!/usr/bin/env python3
"""tests/gen_pages.py DIR N - write a site of N pages into DIR for the
parallel-build test: every page uses the extensions whose parsing state
cmark-gfm keeps process-wide (tables, strikethrough, autolinks,
footnotes), links to another page, and has tags, so a mix-up between
worker processes would show in the output."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(out, "content", "cases"), exist_ok=True)
os.makedirs(os.path.join(out, "layouts"), exist_ok=True)
with open(os.path.join(out, "site.yaml"), "w") as f:
    f.write("""title: "Parallel"
base_url: "https://example.dk/"
sections:
  cases: {url: praksis, title: "Praksis"}
taxonomies:
  tracks:
    field: tracks
    url: spor
    title: "Spor"
    terms: {borgerkontakt: "Styrket borgerkontakt"}
  tags: {field: tags, url: emner, title: "Emner"}
""")
with open(os.path.join(out, "layouts", "page.mustache"), "w") as f:
    f.write("<h1>{{page.title}}</h1>\n<p>{{page.summary}}</p>\n"
            "{{#page.toc}}<a href=\"#{{id}}\">{{text}}</a>\n{{/page.toc}}"
            "{{{page.content}}}")
with open(os.path.join(out, "layouts", "list.mustache"), "w") as f:
    f.write("{{#list.items}}<a href=\"{{url}}\">{{title}}</a>\n{{/list.items}}")
for i in range(n):
    with open(os.path.join(out, "content", "cases", "side-%04d.md" % i), "w") as f:
        f.write("---\ntitle: \"Side %d æøå\"\ndate: 2020-01-%02d\n"
                "tracks: [borgerkontakt]\nmunicipality: \"Kommune %d\"\n"
                "tags: [emne-%d]\n---\n" % (i, i % 28 + 1, i % 7, i % 5))
        f.write("Første afsnit på side %d med ~~gennemstreget~~ tekst og "
                "https://example.dk/%d som adresse.\n\n" % (i, i))
        f.write("## Overskrift %d\n\n| a | b |\n| - | - |\n| %d | ~~%d~~ |\n\n"
                % (i, i, i * 2))
        f.write("Se [side %d](side-%04d.md) og en fodnote[^n].\n\n"
                "[^n]: Fodnote %d.\n" % ((i + 1) % n, (i + 1) % n, i))
