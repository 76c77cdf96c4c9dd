/*
 * mime.c - media types by extension.  The table is small and sorted by
 * nothing in particular: it is searched once per file.
 */
#include "mime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *ext, *type, *label;
} types[] = {
    {"html", "text/html; charset=utf-8", "HTML"},
    {"htm", "text/html; charset=utf-8", "HTML"},
    {"css", "text/css; charset=utf-8", "CSS"},
    {"js", "text/javascript; charset=utf-8", "JavaScript"},
    {"json", "application/json", "JSON"},
    {"xml", "application/xml; charset=utf-8", "XML"},
    {"txt", "text/plain; charset=utf-8", "Tekst"},
    {"md", "text/markdown; charset=utf-8", "Tekst"},
    {"svg", "image/svg+xml", "SVG"},
    {"png", "image/png", "PNG"},
    {"jpg", "image/jpeg", "JPEG"},
    {"jpeg", "image/jpeg", "JPEG"},
    {"gif", "image/gif", "GIF"},
    {"webp", "image/webp", "WebP"},
    {"avif", "image/avif", "AVIF"},
    {"ico", "image/x-icon", "Ikon"},
    {"mp3", "audio/mpeg", "MP3"},
    {"ogg", "audio/ogg", "Ogg"},
    {"oga", "audio/ogg", "Ogg"},
    {"opus", "audio/ogg", "Opus"},
    {"m4a", "audio/mp4", "M4A"},
    {"wav", "audio/wav", "WAV"},
    {"mp4", "video/mp4", "MP4"},
    {"webm", "video/webm", "WebM"},
    {"vtt", "text/vtt; charset=utf-8", "WebVTT"},
    {"pdf", "application/pdf", "PDF"},
    {"docx", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", "Word"},
    {"xlsx", "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", "Excel"},
    {"pptx", "application/vnd.openxmlformats-officedocument."
             "presentationml.presentation", "PowerPoint"},
    {"odt", "application/vnd.oasis.opendocument.text", "ODT"},
    {"zip", "application/zip", "ZIP"},
    {"woff2", "font/woff2", "WOFF2"},
    {NULL, NULL, NULL}
};

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

const char *mime_type(const char *path)
{
    const char *ext = extension(path);
    for (size_t i = 0; types[i].ext; i++)
        if (!strcasecmp(ext, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

const char *mime_label(const char *path, char *scratch, unsigned size)
{
    const char *ext = extension(path);
    for (size_t i = 0; types[i].ext; i++)
        if (!strcasecmp(ext, types[i].ext))
            return types[i].label;
    unsigned n = 0;
    for (; ext[n] && n + 1 < size; n++)
        scratch[n] = (char)toupper((unsigned char)ext[n]);
    scratch[n] = '\0';
    return n ? scratch : "Fil";
}
