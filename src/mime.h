/*
 * mime.h - media types by file extension, for enclosures, downloads and
 * the preview server.
 */
#ifndef FORMIDL_MIME_H
#define FORMIDL_MIME_H

/* The media type of a file name ("audio/mpeg" for "x.mp3"), or
 * "application/octet-stream" when the extension is unknown. */
const char *mime_type(const char *path);

/* A short Danish name for the type, for "PDF, 240 kB" ("PDF", "Word",
 * "MP3"); the extension in upper case when there is no better name. */
const char *mime_label(const char *path, char *scratch, unsigned size);

#endif
