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

#define W 640
#define LABEL_H 22
#define BAR_H 18
#define GAP 6
#define BLOCK_GAP 16
#define BAR_X 8
#define BAR_MAX 470     /* leaves room for the value after the bar */

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

void effects_case_svg(const value *effects, const char *id, buf *out)
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
    int block = LABEL_H + 2 * BAR_H + GAP + BLOCK_GAP;
    int height = (int)n * block + 30;
    buf desc = BUF_INIT;
    buf_init(&desc);
    buf_printf(out, "<svg class=\"fx-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
                    "aria-labelledby=\"%s-title %s-desc\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n",
               W, height, id, id);
    buf_printf(out, "<title id=\"%s-title\">Effekter før og efter</title>\n",
               id);
    int y = 0;
    buf body = BUF_INIT;
    buf_init(&body);
    /* Legend. */
    buf_printf(&body, "<rect x=\"%d\" y=\"4\" width=\"16\" height=\"12\" "
                      "fill=\"url(#%s-hatch)\" class=\"fx-outline\"/>"
                      "<text x=\"%d\" y=\"15\" class=\"fx-text\">Før</text>"
                      "<rect x=\"%d\" y=\"4\" width=\"16\" height=\"12\" "
                      "class=\"fx-after\"/>"
                      "<text x=\"%d\" y=\"15\" class=\"fx-text\">Efter</text>\n",
               BAR_X, id, BAR_X + 22, BAR_X + 70, BAR_X + 92);
    y = 30;
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
        buf_puts(&body, "<g>\n");
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-label\">",
                   BAR_X, y + 16);
        put_attr(&body, measure);
        if (*unit) {
            buf_puts(&body, " (");
            put_attr(&body, unit);
            buf_puts(&body, ")");
        }
        if (*better)
            buf_puts(&body, lower ? " – lavere er bedre" : " – højere er bedre");
        buf_puts(&body, "</text>\n");
        y += LABEL_H;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"url(#%s-hatch)\" class=\"fx-outline\"/>",
                   BAR_X, y, wb, BAR_H, id);
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">Før: ",
                   BAR_X + wb + 6, y + 14);
        number(&body, before, dec);
        buf_puts(&body, "</text>\n");
        y += BAR_H + GAP;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "class=\"fx-after\"/>",
                   BAR_X, y, wa, BAR_H);
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">Efter: ",
                   BAR_X + wa + 6, y + 14);
        number(&body, after, dec);
        buf_puts(&body, "</text>\n</g>\n");
        y += BAR_H + BLOCK_GAP;
        /* The description says everything the picture shows. */
        buf_printf(&desc, "%s%s: før ", desc.len ? "; " : "", measure);
        number(&desc, before, dec);
        if (*unit)
            buf_printf(&desc, " %s", unit);
        buf_puts(&desc, ", efter ");
        number(&desc, after, dec);
        if (*unit)
            buf_printf(&desc, " %s", unit);
        if (*better)
            buf_puts(&desc, lower ? " (lavere er bedre)" : " (højere er bedre)");
    }
    buf_printf(out, "<desc id=\"%s-desc\">", id);
    put_attr(out, desc.data);
    buf_puts(out, ".</desc>\n");
    defs(out, id);
    buf_put(out, body.data, body.len);
    buf_puts(out, "</svg>\n");
    buf_free(&body);
    buf_free(&desc);
}

double effects_improvement(const effect_row *r)
{
    if (r->before == 0)
        return 0;
    double change = (r->after - r->before) / fabs(r->before) * 100.0;
    return r->lower_is_better ? -change : change;
}

void effects_overview_svg(const effect_row *rows, size_t n, const char *id,
                          const char *title, buf *out)
{
    if (!n)
        return;
    double max = 1;
    for (size_t i = 0; i < n; i++)
        max = fmax(max, fabs(effects_improvement(&rows[i])));
    int row_h = LABEL_H + BAR_H + BLOCK_GAP;
    int height = (int)n * row_h + 10;
    int mid = W / 2, half = 200;
    buf desc = BUF_INIT, body = BUF_INIT;
    buf_init(&desc);
    buf_init(&body);
    int y = 4;
    for (size_t i = 0; i < n; i++) {
        const effect_row *r = &rows[i];
        double imp = effects_improvement(r);
        int w = (int)lround(fabs(imp) / max * half);
        if (w < 2)
            w = 2;
        buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-label\">", 8,
                   y + 16);
        put_attr(&body, r->measure);
        buf_puts(&body, " – ");
        put_attr(&body, r->case_title);
        buf_puts(&body, "</text>\n");
        y += LABEL_H;
        int x = imp >= 0 ? mid : mid - w;
        buf_printf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "class=\"%s\"/>", x, y, w, BAR_H,
                   imp >= 0 ? "fx-better" : "fx-worse");
        buf tx = BUF_INIT;
        buf_init(&tx);
        if (imp > 0)
            buf_puts(&tx, "+");
        number(&tx, imp, 0);
        buf_puts(&tx, " % ");
        buf_puts(&tx, imp >= 0 ? "bedre" : "dårligere");
        if (imp >= 0)
            buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\">",
                       mid + w + 6, y + 14);
        else
            buf_printf(&body, "<text x=\"%d\" y=\"%d\" class=\"fx-value\" "
                              "text-anchor=\"end\">", mid - w - 6, y + 14);
        buf_put(&body, tx.data, tx.len);
        buf_puts(&body, "</text>\n");
        y += BAR_H + BLOCK_GAP;
        buf_printf(&desc, "%s%s (%s): %s", desc.len ? "; " : "", r->measure,
                   r->case_title, tx.data);
        buf_free(&tx);
    }
    buf_printf(out, "<svg class=\"fx-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
                    "aria-labelledby=\"%s-title %s-desc\" "
                    "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-title\">",
               W, height, id, id, id);
    put_attr(out, title);
    buf_printf(out, "</title>\n<desc id=\"%s-desc\">", id);
    put_attr(out, desc.data);
    buf_puts(out, ".</desc>\n");
    buf_printf(out, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" "
                    "class=\"fx-axis\"/>\n", mid, mid, height);
    buf_put(out, body.data, body.len);
    buf_puts(out, "</svg>\n");
    buf_free(&desc);
    buf_free(&body);
}
