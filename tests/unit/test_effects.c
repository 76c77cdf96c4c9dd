/* Unit tests for effects.c: the effect charts. */
#include <math.h>
#include <string.h>

#include "effects.h"
#include "test.h"
#include "yamltree.h"

static value *parse(const char *yaml)
{
    diag d;
    diag_init(&d);
    value *v = yaml_parse("t.yaml", yaml, strlen(yaml), 1, &d);
    diag_free(&d);
    return v;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

TEST(case_chart_has_bars_text_and_description)
{
    value *v = parse("- {bottom_line: trivsel, measure: Sygefravær, unit: \"%\","
                     " before: 7.8, after: 5.1, better: lower}\n"
                     "- {bottom_line: kvalitet, measure: \"Tilfredshed <&>\","
                     " before: 58, after: 81, better: higher}\n");
    buf out = BUF_INIT;
    buf_init(&out);
    effects_case_svg(v, "fx", NULL, &out);
    const char *head = "<svg class=\"fx-chart\" role=\"img\"";
    CHECK(strncmp(out.data, head, strlen(head)) == 0);
    CHECK(strstr(out.data, "aria-labelledby=\"fx-title fx-desc\"") != NULL);
    CHECK(strstr(out.data, "<desc id=\"fx-desc\">Sygefravær: Før 7,8 %, Efter "
                           "5,1 % (lavere er bedre); Tilfredshed &lt;&amp;&gt;:"
                           " Før 58, Efter 81 (højere er bedre).</desc>") != NULL);
    /* Two bars per effect plus two legend boxes. */
    CHECK_INT(count(out.data, "class=\"fx-after\""), 3);
    CHECK_INT(count(out.data, "fill=\"url(#fx-hatch)\""), 3);
    CHECK(strstr(out.data, ">Før: 7,8</text>") != NULL);
    CHECK(strstr(out.data, ">Efter: 81</text>") != NULL);
    /* The larger value of a pair gets the full bar width. */
    CHECK(strstr(out.data, "width=\"330\" height=\"18\" fill=\"url(#fx-hatch)\"")
          != NULL);
    CHECK(strstr(out.data, "Tilfredshed <&>") == NULL);
    buf_free(&out);
    value_free(v);
}

TEST(case_chart_skips_non_numbers)
{
    value *v = parse("- {measure: a, before: \"7,8\", after: 5}\n");
    buf out = BUF_INIT;
    buf_init(&out);
    effects_case_svg(v, "fx", NULL, &out);
    CHECK_INT(out.len, 0);
    effects_case_svg(NULL, "fx", NULL, &out);
    CHECK_INT(out.len, 0);
    buf_free(&out);
    value_free(v);
}

TEST(improvement_sign_follows_better)
{
    effect_row lower = {"c", "/c/", "Fravær", "%", 10, 5, 1};
    effect_row higher = {"c", "/c/", "Tillid", "%", 50, 40, 0};
    effect_row zero = {"c", "/c/", "Nul", "", 0, 4, 0};
    CHECK(fabs(effects_improvement(&lower) - 50) < 1e-9);
    CHECK(fabs(effects_improvement(&higher) + 20) < 1e-9);
    CHECK(effects_improvement(&zero) == 0);
}

TEST(overview_chart)
{
    effect_row rows[] = {{"Sag A", "/a/", "Fravær", "%", 10, 5, 1},
                         {"Sag B", "/b/", "Tillid", "%", 50, 40, 0}};
    buf out = BUF_INIT;
    buf_init(&out);
    effects_overview_svg(rows, 2, "fx-all", "Ændring", NULL, &out);
    CHECK(strstr(out.data, "<title id=\"fx-all-title\">Ændring</title>") != NULL);
    CHECK(strstr(out.data, ">+50 % bedre</text>") != NULL);
    CHECK(strstr(out.data, "text-anchor=\"end\">-20 % dårligere</text>") != NULL);
    CHECK_INT(count(out.data, "class=\"fx-better\""), 1);
    CHECK_INT(count(out.data, "class=\"fx-worse\""), 1);
    buf_clear(&out);
    effects_overview_svg(rows, 0, "fx-all", "Ændring", NULL, &out);
    CHECK_INT(out.len, 0);
    buf_free(&out);
}

TEST(words_from_strings_and_long_labels_wrap)
{
    value *v = parse("- {measure: \"Andel af borgere, der oplever at blive hørt i "
                     "den første samtale\", before: 1, after: 2, better: higher}\n");
    value *strings = parse("fx_before: Before\nfx_after: After\n"
                           "fx_higher_better: higher is better\n"
                           "fx_title: Effects before and after\n");
    buf out = BUF_INIT;
    buf_init(&out);
    effects_case_svg(v, "fx", strings, &out);
    CHECK(strstr(out.data, "<title id=\"fx-title\">Effects before and after"
                           "</title>") != NULL);
    CHECK(strstr(out.data, ">Before: 1</text>") != NULL);
    CHECK(strstr(out.data, ">After: 2</text>") != NULL);
    CHECK(strstr(out.data, "<tspan x=\"8\">Andel af borgere, der oplever at "
                           "blive hørt i den</tspan><tspan x=\"8\" dy=\"18\">"
                           "første samtale – higher is better</tspan>") != NULL);
    buf_free(&out);
    value_free(v);
    value_free(strings);
}

int main(void)
{
    RUN(words_from_strings_and_long_labels_wrap);
    RUN(case_chart_has_bars_text_and_description);
    RUN(case_chart_skips_non_numbers);
    RUN(improvement_sign_follows_better);
    RUN(overview_chart);
    return TEST_SUMMARY();
}
