/*
 * Conformance reports: the summary table by RFC section, JUnit XML and
 * the Markdown matrix (td_conform.h).
 */
#define _GNU_SOURCE /* strverscmp */
#include "td_conform.h"

#include "td_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of the summary. */
typedef struct section_row {
    const char *name;
    size_t cases, ref_pass, wolf_pass, known, new_div, failed;
} section_row;

static int by_section(const void *a, const void *b)
{
    return strverscmp(((const section_row *)a)->name, ((const section_row *)b)->name);
}

/* The rows, sorted by RFC and section; NULL when out of memory. */
static section_row *sections(const td_conform_run_info *r, size_t *n_rows)
{
    section_row *rows = calloc(r->cases->n + 1, sizeof *rows);
    size_t i, j, n = 0;

    if (!rows)
        return NULL;
    for (i = 0; i < r->cases->n; i++) {
        const td_case *c = &r->cases->c[i];
        const td_case_result *res = &r->results[i];

        for (j = 0; j < n && strcmp(rows[j].name, c->section) != 0; j++)
            ;
        if (j == n)
            rows[n++].name = c->section;
        rows[j].cases++;
        rows[j].ref_pass += res->status != TD_CONFORM_ERROR && res->pass[0];
        rows[j].wolf_pass += res->status != TD_CONFORM_ERROR && res->pass[1];
        rows[j].known += res->status == TD_CONFORM_KNOWN;
        rows[j].new_div += res->status == TD_CONFORM_NEW;
        rows[j].failed += res->status == TD_CONFORM_REF_FAIL || res->status == TD_CONFORM_ERROR;
    }
    qsort(rows, n, sizeof *rows, by_section);
    *n_rows = n;
    return rows;
}

static void one_case_line(const td_conform_run_info *r, size_t i, FILE *f)
{
    const td_case *c = &r->cases->c[i];
    const td_case_result *res = &r->results[i];
    char want[128];

    td_case_expect_text(c, want, sizeof want);
    fprintf(f, "%-16s %s (%s:%zu, %s)\n", td_conform_status_name(res->status), c->id, c->file,
            c->line, c->rfc);
    if (res->status == TD_CONFORM_ERROR) {
        fprintf(f, "                 the case does not run as written: %s\n",
                res->note[0][0] ? res->note[0] : res->note[1]);
        return;
    }
    fprintf(f, "                 expected %s; reference %s, wolfSSL %s\n", want, res->outcome[0],
            res->outcome[1]);
    if (res->status == TD_CONFORM_KNOWN && res->divergence >= 0) {
        const td_divergence *d = &r->div->e[res->divergence];

        fprintf(f, "                 divergence %s (right: %s): %s\n", d->id, d->right, d->note);
    }
    if (res->status == TD_CONFORM_REF_FAIL && res->note[0][0])
        fprintf(f, "                 peer: %s\n", res->note[0]);
    if (res->status == TD_CONFORM_NEW)
        fprintf(f, "                 not in vectors/divergences: record it with edit 'case %s' "
                   "and observed reference=%s wolfssl=%s\n",
                c->id, res->outcome[0], res->outcome[1]);
}

void td_conform_summary(const td_conform_run_info *r, FILE *f)
{
    size_t n = 0, i, tot[6] = {0};
    section_row *rows = sections(r, &n);

    if (!rows) {
        fprintf(f, "conform: out of memory for the summary\n");
        return;
    }
    fprintf(f, "%-18s %6s %10s %8s %6s %4s\n", "section", "cases", "reference", "wolfSSL",
            "known", "new");
    for (i = 0; i < n; i++) {
        const section_row *s = &rows[i];

        fprintf(f, "%-18s %6zu %10zu %8zu %6zu %4zu\n", s->name, s->cases, s->ref_pass,
                s->wolf_pass, s->known, s->new_div);
        tot[0] += s->cases, tot[1] += s->ref_pass, tot[2] += s->wolf_pass;
        tot[3] += s->known, tot[4] += s->new_div, tot[5] += s->failed;
    }
    fprintf(f, "%-18s %6zu %10zu %8zu %6zu %4zu\n", "total", tot[0], tot[1], tot[2], tot[3],
            tot[4]);
    free(rows);
    fprintf(f, "\n");
    for (i = 0; i < r->cases->n; i++)
        if (r->results[i].status != TD_CONFORM_PASS)
            one_case_line(r, i, f);
    fprintf(f, "%s%zu cases: the reference passes %zu, wolfSSL %zu; %zu known divergences, "
               "%zu new, %zu reference failures or case errors\n",
            r->cases->n == tot[1] ? "" : "\n", tot[0], tot[1], tot[2], tot[3], tot[4], tot[5]);
}

/* ------------------------------------------------------------------------
 * JUnit XML
 * ------------------------------------------------------------------------ */

static void xml_text(const char *s, FILE *f)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '&')
            fputs("&amp;", f);
        else if (ch == '<')
            fputs("&lt;", f);
        else if (ch == '>')
            fputs("&gt;", f);
        else if (ch == '"')
            fputs("&quot;", f);
        else if (ch < 0x20 && ch != '\n' && ch != '\t')
            fputc(' ', f); /* not allowed in XML 1.0 (2.2) */
        else
            fputc(ch, f);
    }
}

static void junit_case(const td_conform_run_info *r, size_t i, int side, FILE *f)
{
    const td_case *c = &r->cases->c[i];
    const td_case_result *res = &r->results[i];
    char want[128], msg[512];

    td_case_expect_text(c, want, sizeof want);
    fputs("    <testcase classname=\"", f);
    xml_text(c->section, f);
    fputs("\" name=\"", f);
    xml_text(c->id, f);
    fprintf(f, "\" file=\"%s\" line=\"%zu\">\n", c->file, c->line);
    if (res->status == TD_CONFORM_ERROR) {
        snprintf(msg, sizeof msg, "the case does not run as written: %s",
                 res->note[0][0] ? res->note[0] : res->note[1]);
        fputs("      <error message=\"", f);
        xml_text(msg, f);
        fputs("\"/>\n", f);
    } else if (!res->pass[side]) {
        snprintf(msg, sizeof msg, "%s: expected %s, got %s", c->rfc, want, res->outcome[side]);
        if (side == 1 && res->status == TD_CONFORM_KNOWN) {
            const td_divergence *d = &r->div->e[res->divergence];

            fputs("      <skipped message=\"", f);
            xml_text(msg, f);
            fputs(" (known divergence ", f);
            xml_text(d->id, f);
            fputs(", right: ", f);
            xml_text(d->right, f);
            fputs(")\"/>\n", f);
        } else {
            fputs("      <failure message=\"", f);
            xml_text(msg, f);
            fputs("\">", f);
            xml_text(c->quote, f);
            fputs("</failure>\n", f);
        }
    }
    fputs("    </testcase>\n", f);
}

td_err td_conform_junit(const td_conform_run_info *r, FILE *f)
{
    size_t i, fails[2] = {0}, errors = 0, skipped = 0;
    int side;

    for (i = 0; i < r->cases->n; i++) {
        const td_case_result *res = &r->results[i];

        errors += res->status == TD_CONFORM_ERROR;
        if (res->status != TD_CONFORM_ERROR) {
            fails[0] += !res->pass[0];
            fails[1] += !res->pass[1] && res->status != TD_CONFORM_KNOWN;
            skipped += res->status == TD_CONFORM_KNOWN;
        }
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"tlsdiff conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            2 * r->cases->n, fails[0] + fails[1], 2 * errors);
    for (side = 0; side < 2; side++) {
        fprintf(f, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                   "skipped=\"%zu\">\n",
                side == 0 ? "reference" : "wolfSSL", r->cases->n, fails[side], errors,
                side == 0 ? (size_t)0 : skipped);
        for (i = 0; i < r->cases->n; i++)
            junit_case(r, i, side, f);
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    return ferror(f) ? TD_ERR_IO : TD_OK;
}

/* ------------------------------------------------------------------------
 * Markdown matrix
 * ------------------------------------------------------------------------ */

/* A table cell: '|' escaped, newlines as "; ". */
static void md_cell(const char *s, FILE *f)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n')
            fputs("; ", f);
        else
            fputc(*s, f);
    }
}

static void md_outcome(const td_conform_run_info *r, size_t i, int side, FILE *f)
{
    const td_case_result *res = &r->results[i];

    if (res->status == TD_CONFORM_ERROR) {
        fputs("error", f);
        return;
    }
    fputs(res->pass[side] ? "pass: " : "**FAIL**: ", f);
    md_cell(res->outcome[side], f);
    if (side == 1 && res->status == TD_CONFORM_KNOWN)
        fprintf(f, " (known: `%s`)", r->div->e[res->divergence].id);
}

td_err td_conform_markdown(const td_conform_run_info *r, FILE *f)
{
    size_t n = 0, s, i;
    section_row *rows = sections(r, &n);

    ENSURE(rows, TD_ERR_NOSPACE);
    fprintf(f, "# Conformance matrix\n\n"
               "Generated by `tlsdiff conform --report docs/conformance.md` from "
               "vectors/conformance against wolfSSL %s; CI checks that it is current. "
               "Each case is run against the reference and against wolfSSL; *pass* means "
               "the outcome is one the clause allows.\n\n",
            r->wolfssl_version);
    fprintf(f, "| section | cases | reference passes | wolfSSL passes | known divergences |\n"
               "|---|---:|---:|---:|---:|\n");
    for (s = 0; s < n; s++)
        fprintf(f, "| %s | %zu | %zu | %zu | %zu |\n", rows[s].name, rows[s].cases,
                rows[s].ref_pass, rows[s].wolf_pass, rows[s].known);
    for (s = 0; s < n; s++) {
        fprintf(f, "\n## %s\n\n", rows[s].name);
        fprintf(f, "| case | clause | subject | message | edit | expected | reference | wolfSSL |\n"
                   "|---|---|---|---|---|---|---|---|\n");
        for (i = 0; i < r->cases->n; i++) {
            const td_case *c = &r->cases->c[i];
            char want[128];

            if (strcmp(c->section, rows[s].name) != 0)
                continue;
            td_case_expect_text(c, want, sizeof want);
            fprintf(f, "| `%s` | %s | %s | %s", c->id, c->rfc, td_role_name(c->subject_role),
                    td_hs_name(c->msg_type) ? td_hs_name(c->msg_type) : "?");
            if (c->occurrence)
                fprintf(f, "#%u", c->occurrence + 1);
            if (c->connection)
                fputs(" (resumed)", f);
            fputs(" | ", f);
            if (c->edit[0]) {
                fputc('`', f);
                md_cell(c->edit, f);
                fputc('`', f);
            } else {
                fputs("canonical", f);
            }
            fputs(" | ", f);
            md_cell(want, f);
            fputs(" | ", f);
            md_outcome(r, i, 0, f);
            fputs(" | ", f);
            md_outcome(r, i, 1, f);
            fputs(" |\n", f);
        }
    }
    free(rows);
    return ferror(f) ? TD_ERR_IO : TD_OK;
}
