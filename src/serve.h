/*
 * serve.h - `formidl serve`: build the site, serve it over HTTP on a
 * loopback address, rebuild when the sources change and reload the open
 * pages in the browser.
 *
 *   formidl serve [SITE] [--port 1313] [--bind 127.0.0.1] [--drafts]
 *                 [--future] [-o DIR] [-q|-v]
 *
 * The site is built with base_url set to http://BIND:PORT/ plus the path
 * of site.yaml's base_url, into a temporary folder (removed on exit) or
 * -o DIR.  --port 0 lets the system choose a free port (the address line
 * says which).
 *
 * Processes: the server process builds once, then forks a watcher before
 * it starts libmicrohttpd's threads.  The watcher follows content/,
 * layouts/, assets/, archetypes/, i18n/ and site.yaml with inotify and
 * runs every rebuild in a fresh child process, so no build ever forks from
 * a threaded process and each build has its own staging folder.  Results
 * come back to the server over a pipe; it prints them and tells the open
 * pages over Server-Sent Events (/__formidl/events) to reload, or to show
 * the errors over the last good page.
 *
 * Exit statuses: 0 after Ctrl+C or SIGTERM, 1 when the site has no
 * site.yaml, 2 for wrong use (bad option, refused output folder), 3 when
 * the address cannot be used or another I/O error stops the server.
 */
#ifndef FORMIDL_SERVE_H
#define FORMIDL_SERVE_H

/* argv holds the arguments after "serve". */
int cmd_serve(int argc, char **argv);

/* The text of "formidl serve --help" (also "formidl help serve"). */
extern const char serve_help[];

#endif
