#!/usr/bin/env python3
"""tests/serve_edits.py - random edits under `formidl serve`, each checked
against a fresh full build, byte for byte.

    serve_edits.py FORMIDL SITE WORKDIR ITERATIONS SEED [BUILD_ARGS...]

Copies SITE (its site.yaml, content, layouts, assets, i18n and archetypes)
into WORKDIR, starts `FORMIDL serve` on it, then makes
ITERATIONS random edits to its Markdown pages (seeded, so a failure can be
repeated): a paragraph added to the body, a new title, a summary changed,
added or removed, a display field added, a tag added.  After each it waits
for serve's build line, checks the kind of build (an update for text and
display fields, a full build for a tag), builds the site afresh with the
same base URL and compares the two folders.  Prints one line per problem
and exits 1 if there was any.
"""
import os
import random
import re
import shutil
import subprocess
import sys

exe, src, work, iters, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
extra = sys.argv[6:]
random.seed(seed)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
site = os.path.join(work, "site")
os.makedirs(site)
for name in ("site.yaml", "content", "layouts", "assets", "i18n", "archetypes"):
    if os.path.isdir(os.path.join(src, name)):
        shutil.copytree(os.path.join(src, name), os.path.join(site, name))
    elif os.path.exists(os.path.join(src, name)):
        shutil.copy(os.path.join(src, name), site)
err = open(os.path.join(work, "serve.err"), "w")
p = subprocess.Popen([exe, "serve", site, "--port", "0", "-o", os.path.join(work, "pub")] + extra,
                     stdout=subprocess.PIPE, stderr=err, text=True)


def next_line(pattern):
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("serve_edits: serve stopped")
        if re.match(pattern, line):
            return line


url = re.search(r"http://127\.0\.0\.1:\d+/\S*", next_line("^Serverer ")).group(0)
pages = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content"))
               for f in fs if f.endswith(".md"))
problems = 0
seen = {}
try:
    for it in range(iters):
        f = random.choice(pages)
        text = open(f, encoding="utf-8").read()
        end = text.index("\n---", 4)
        fm, body = text[:end], text[end:]
        op = random.choice(["body", "body", "title", "summary", "summary", "field", "tag"])
        if op == "body":
            body += f"\nTilføjet afsnit {it} med ordet prøveord{it}.\n"
        elif op == "title":
            fm = re.sub(r"^title: .*$", f'title: "Ny titel {it} om ældre"', fm, count=1, flags=re.M)
        elif op == "summary":
            if re.search(r"^summary:", fm, re.M) and random.random() < 0.5:
                fm = re.sub(r"^summary: .*\n", "", fm, count=1, flags=re.M)
            elif re.search(r"^summary:", fm, re.M):
                fm = re.sub(r"^summary: .*$", f'summary: "Resumé {it}."', fm, count=1, flags=re.M)
            else:
                fm += f'\nsummary: "Resumé {it}."'
        elif op == "field":
            fm += f'\nnote_{it}: "Et felt, som kun siden viser"'
        elif op == "tag":
            if re.search(r"^tags: \[", fm, re.M):
                fm = re.sub(r"^tags: \[", f"tags: [prøvemærke{it}, ", fm, count=1, flags=re.M)
            else:
                fm += f"\ntags: [prøvemærke{it}]"
        with open(f, "w", encoding="utf-8") as out:
            out.write(fm + body)
        line = next_line("^Byggede ")
        kind = "update" if "ændrede" in line else "full"
        seen[op, kind] = seen.get((op, kind), 0) + 1
        where = f"edit {it} ({op}, {os.path.relpath(f, site)}, seed {seed})"
        if op in ("body", "summary", "field") and kind != "update":
            print(f"{where}: a full build, expected an update")
            problems += 1
        if op == "tag" and kind != "full":
            print(f"{where}: an update, expected a full build")
            problems += 1
        fresh = os.path.join(work, "fresh")
        shutil.rmtree(fresh, ignore_errors=True)
        r = subprocess.run([exe, "build", site, "-q", "--base-url", url, "-o", fresh] + extra,
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{where}: the fresh build failed: {r.stderr[:500]}")
            problems += 1
            break
        d = subprocess.run(["diff", "-rq", os.path.join(work, "pub"), fresh],
                           capture_output=True, text=True).stdout
        if d:
            print(f"{where}: served folder differs from a full build:\n{d[:1500]}")
            problems += 1
            break
finally:
    p.terminate()
    p.wait()
print("serve_edits:", ", ".join(f"{op} {kind} {n}" for (op, kind), n in sorted(seen.items())))
sys.exit(1 if problems else 0)
