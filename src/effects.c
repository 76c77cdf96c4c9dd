/*
 * effects.c - effect charts as inline SVG.  See effects.h.
 *
 * Geometry is computed here in whole pixels of a 640-wide viewBox so the
 * output is the same on every machine (no floating-point formatting of
 * coordinates beyond integers); the charts scale with the page through
 * the viewBox.  Numbers shown to readers use the Danish format.
 */
#include "effects.h"

#include <math.h>
#include <string.h>

#include "danish.h"

#define W 480
#define LABEL_H 22
#define BAR_H 18
#define GAP 6
#define BLOCK_GAP 16
#define BAR_X 8
#define BAR_MAX 330     /* leaves room for the value after the bar */
#define LINE_CHARS 52   /* labels longer than this wrap onto a second line */

static void put_attr(buf *out, const char *s)
{
    buf_put_html(out, s, strlen(s));
}

static int decimals_for(double a, double b)
{
    for (int d = 0; d < 3; d++) {
        double m = pow(10, d);
        if (fabs(a * m - round(a * m)) < 1e-9 &&
            fabs(b * m - round(b * m)) < 1e-9)
            return d;
    }
    return 2;
}

static void number(buf *out, double v, int dec)
{
    number_format_da(v, dec, out);
}

static const char *word(const value *strings, const char *key,
                        const char *danish)
{
    const char *s = value_get_string(strings, key);
    return s ? s : danish;
}

/* A label as one or two <tspan> lines, split at the last space before
 * LINE_CHARS characters; returns the number of lines (1 or 2). */
static int put_label(buf *out, int x, int y, const char *text)
{
    size_t len = strlen(text), chars = 0, cut = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            chars++;
        if (text[i] == ' ' && chars <= LINE_CHARS)
            cut = i;
    }
    if (chars <= LINE_CHARS || cut == 0) {
        buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"fx-label\">", x, y);
        put_attr(out, text);
        buf_puts(out, "</text>\n");
        return 1;
    }
    buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"fx-label\">"
                    "<tspan x=\"%d\">", x, y, x);
    buf_put_html(out, text, cut);
    buf_printf(out, "</tspan><tspan x=\"%d\" dy=\"%d\">", x, LABEL_H - 4);
    put_attr(out, text + cut + 1);
    buf_puts(out, "</tspan></text>\n");
    return 2;
}

static const char *str(const value *m, const char *key)
{
    const char *s = value_get_string(m, key);
    return s ? s : "";
}

static int numeric_effect(const value *e, double *before, double *after)
{
    const value *b = value_map_get(e, "before"), *a = value_map_get(e, "after");
    if (!b || !a || b->kind != VALUE_NUMBER || a->kind != VALUE_NUMBER)
        return 0;
    *before = b->as.number;
    *after = a->as.number;
    return isfinite(*before) && isfinite(*after);
}

static void defs(buf *out, const char *id)
{
    buf_printf(out, "<defs><pattern id=\"%s-hatch\" width=\"6\" height=\"6\" "
                    "patternUnits=\"userSpaceOnUse\" "
                    "patternTransform=\"rotate(45)\">"
                    "<rect width=\"6\" height=\"6\" class=\"fx-before\"/>"
                    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
                    "class=\"fx-hatch\" stroke-width=\"3\"/></pattern></defs>\n",
               id);
}

void effects_case_svg(const value *effects, const char *id,
                      const value *strings, buf *out)
{
    if (!effects || effects->kind != VALUE_LIST)
        return;
    size_t n = 0;
    for (size_t i = 0; i < effects->as.list.len; i++) {
        double b, a;
        if (numeric_effect(effects->as.list.items[i], &b, &a))
            n++;
    }
    if (!n)
        return;
    const char *w_before = word(strings, "fx_before", "Før");
    const char *w_after = word(strings, "fx_after", "Efter");
    const char *w_lower = word(strings, "fx_lower_better", "lavere er bedre");
    const char *w_higher = word(strings, "fx_higher_better",
                                "højere er bedre");
    buf desc = BUF_INIT, body = BUF_INIT, label = BUF_INIT;
    buf_init(&desc);
    buf_init(&body);
    buf_init(&label);
    /* Legend. */
    buf_printf(&body, "<rect x=\"%d\" y=\"4\" width=\"16\" height=\"12\" "
                      "fill=\"url(#%s-hatch)\" class=\"fx-outline\"/>"
                      "<text x=\"%d\" y=\"15\" class=\"fx-text\">",
               BAR_X, id, BAR_X + 22);
    put_attr(&body, w_before);
    buf_printf(&body, "</text><rect x=\"%d\" y=\"4\" width=\"16\" "
                      "height=\"12\" class=\"fx-after\"/>"
                      "<text x=\"%d\" y=\"15\" class=\"fx-text\">",
               BAR_X + 90, BAR_X + 112);
    put_attr(&body, w_after);
    buf_puts(&body, "</text>\n");
    int y = 30;
    for (size_t i = 0; i < effects->as.list.len; i++) {
        const value *e = effects->as.list.items[i];
        double before, after;
        if (!numeric_effect(e, &before, &after))
            continue;
        const char *measure = str(e, "measure");
        const char *unit = str(e, "unit");
        const char *better = str(e, "better");
        int lower = !strcmp(better, "lower");
        int dec = decimals_for(before, after);
        double max = fmax(fabs(before), fabs(after));
        int wb = max > 0 ? (int)lround(fabs(before) / max * BAR_MAX) : 0;
        int wa = max > 0 ? (int)lround(fabs(after) / max * BAR_MAX) : 0;
        if (wb < 2)
            wb = 2;
        if (wa < 2)
            wa = 2;
        buf_clear(&label);
        buf_puts(&label, measure);
        if (*unit)
            buf_printf(&label, " (%s)", unit);
        if (*better)
            buf_printf(&label, " – %s", lower ? w_lower : w_higher);
        buf_puts(&body, "<g>\n");
        int lines = put_label(&body, BAR_X, y + 16, label.data);
        y += LABEL_H * lines;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"url(#%s-hatch)\" class=\"fx-outline\"/>",
                   BAR_X, y, wb, BAR_H, id);
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">",
                   BAR_X + wb + 6, y + 14);
        put_attr(&body, w_before);
        buf_puts(&body, ": ");
        number(&body, before, dec);
        buf_puts(&body, "</text>\n");
        y += BAR_H + GAP;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "class=\"fx-after\"/>",
                   BAR_X, y, wa, BAR_H);
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">",
                   BAR_X + wa + 6, y + 14);
        put_attr(&body, w_after);
        buf_puts(&body, ": ");
        number(&body, after, dec);
        buf_puts(&body, "</text>\n</g>\n");
        y += BAR_H + BLOCK_GAP;
        /* The description says everything the picture shows. */
        buf_printf(&desc, "%s%s: %s ", desc.len ? "; " : "", measure,
                   w_before);
        number(&desc, before, dec);
        if (*unit)
            buf_printf(&desc, " %s", unit);
        buf_printf(&desc, ", %s ", w_after);
        number(&desc, after, dec);
        if (*unit)
            buf_printf(&desc, " %s", unit);
        if (*better)
            buf_printf(&desc, " (%s)", lower ? w_lower : w_higher);
    }
    buf_printf(out, "<svg class=\"fx-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
                    "aria-labelledby=\"%s-title %s-desc\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n",
               W, y + 4, id, id);
    buf_printf(out, "<title id=\"%s-title\">", id);
    put_attr(out, word(strings, "fx_title", "Effekter før og efter"));
    buf_printf(out, "</title>\n<desc id=\"%s-desc\">", id);
    put_attr(out, desc.data);
    buf_puts(out, ".</desc>\n");
    defs(out, id);
    buf_put(out, body.data, body.len);
    buf_puts(out, "</svg>\n");
    buf_free(&body);
    buf_free(&desc);
    buf_free(&label);
}

double effects_improvement(const effect_row *r)
{
    if (r->before == 0)
        return 0;
    double change = (r->after - r->before) / fabs(r->before) * 100.0;
    return r->lower_is_better ? -change : change;
}

void effects_overview_svg(const effect_row *rows, size_t n, const char *id,
                          const char *title, const value *strings, buf *out)
{
    if (!n)
        return;
    double max = 1;
    for (size_t i = 0; i < n; i++)
        max = fmax(max, fabs(effects_improvement(&rows[i])));
    const char *w_better = word(strings, "fx_better", "bedre");
    const char *w_worse = word(strings, "fx_worse", "dårligere");
    int mid = W / 2, half = 130;
    buf desc = BUF_INIT, body = BUF_INIT, label = BUF_INIT;
    buf_init(&desc);
    buf_init(&body);
    buf_init(&label);
    int y = 4;
    for (size_t i = 0; i < n; i++) {
        const effect_row *r = &rows[i];
        double imp = effects_improvement(r);
        int w = (int)lround(fabs(imp) / max * half);
        if (w < 2)
            w = 2;
        buf_clear(&label);
        buf_printf(&label, "%s – %s", r->measure, r->case_title);
        int lines = put_label(&body, 8, y + 16, label.data);
        y += LABEL_H * lines;
        int x = imp >= 0 ? mid : mid - w;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "class=\"%s\"/>", x, y, w, BAR_H,
                   imp >= 0 ? "fx-better" : "fx-worse");
        buf tx = BUF_INIT;
        buf_init(&tx);
        if (imp > 0)
            buf_puts(&tx, "+");
        number(&tx, imp, 0);
        buf_printf(&tx, " %% %s", imp >= 0 ? w_better : w_worse);
        if (imp >= 0)
            buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">",
                       mid + w + 6, y + 14);
        else
            buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\" "
                              "text-anchor=\"end\">", mid - w - 6, y + 14);
        put_attr(&body, tx.data);
        buf_puts(&body, "</text>\n");
        y += BAR_H + BLOCK_GAP;
        buf_printf(&desc, "%s%s (%s): %s", desc.len ? "; " : "", r->measure,
                   r->case_title, tx.data);
        buf_free(&tx);
    }
    buf_printf(out, "<svg class=\"fx-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
                    "aria-labelledby=\"%s-title %s-desc\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-title\">",
               W, y + 6, id, id, id);
    put_attr(out, title);
    buf_printf(out, "</title>\n<desc id=\"%s-desc\">", id);
    put_attr(out, desc.data);
    buf_puts(out, ".</desc>\n");
    buf_printf(out, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" "
                    "class=\"fx-axis\"/>\n", mid, mid, y + 6);
    buf_put(out, body.data, body.len);
    buf_puts(out, "</svg>\n");
    buf_free(&desc);
    buf_free(&body);
    buf_free(&label);
}
