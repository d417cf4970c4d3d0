/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics: the errors and warnings found while loading a CIB. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cib_private.h"

/* Past this many, further diagnostics are counted but not stored, so a
 * hostile input cannot make the list grow without bound. */
#define MAX_STORED 1000

struct ham_cib_diags {
	struct ham_cib_diag *items;
	size_t n;
	size_t cap;
	size_t errors;
	size_t warnings;
	size_t dropped;
};

ham_cib_diags *ham_cib_diags_new(void)
{
	return ham_new0(ham_cib_diags);
}

ham_cib_diags *ham_cib_diags_free(ham_cib_diags *d)
{
	size_t i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < d->n; i++) {
		free((char *)d->items[i].element);
		free((char *)d->items[i].id);
		free((char *)d->items[i].message);
	}
	free(d->items);
	free(d);
	return NULL;
}

size_t ham_cib_diags_count(const ham_cib_diags *d)
{
	return d ? d->n : 0;
}

size_t ham_cib_diags_errors(const ham_cib_diags *d)
{
	return d ? d->errors : 0;
}

size_t ham_cib_diags_warnings(const ham_cib_diags *d)
{
	return d ? d->warnings : 0;
}

const struct ham_cib_diag *ham_cib_diags_get(const ham_cib_diags *d, size_t i)
{
	if (d == NULL || i >= d->n)
		return NULL;
	return &d->items[i];
}

void cib_diags_vadd(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
		    const char *element, const char *id, const char *fmt, va_list ap)
{
	struct ham_cib_diag *g;
	ham_buf b = HAM_BUF_INIT;

	if (d == NULL)
		return;
	if (sev == HAM_CIB_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->n >= MAX_STORED) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = ham_reallocarray(d->items, d->cap, sizeof(*d->items));
	}
	ham_buf_vaddf(&b, fmt, ap);
	/* Messages quote user input: keep them to one bounded line. */
	if (b.len > 1024) {
		b.len = 1024;
		b.s[1021] = b.s[1022] = b.s[1023] = '.';
		b.s[1024] = '\0';
	}
	for (size_t i = 0; i < b.len; i++)
		if (b.s[i] == '\n' || b.s[i] == '\r')
			b.s[i] = ' ';
	g = &d->items[d->n++];
	g->severity = sev;
	g->line = line;
	g->element = ham_strdup(element);
	g->id = id ? ham_strndup(id, 256) : NULL;
	g->message = ham_buf_steal(&b);
	if (g->message == NULL)
		g->message = ham_strdup("");
}

void ham_cib_diags_add(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
		       const char *element, const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cib_diags_vadd(d, sev, line, element, id, fmt, ap);
	va_end(ap);
}

void cib_diags_mark(const ham_cib_diags *d, struct cib_diags_mark *m)
{
	m->n = d ? d->n : 0;
	m->errors = d ? d->errors : 0;
	m->warnings = d ? d->warnings : 0;
	m->dropped = d ? d->dropped : 0;
}

void cib_diags_rewind(ham_cib_diags *d, const struct cib_diags_mark *m)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = m->n; i < d->n; i++) {
		free((char *)d->items[i].element);
		free((char *)d->items[i].id);
		free((char *)d->items[i].message);
	}
	d->n = m->n;
	d->errors = m->errors;
	d->warnings = m->warnings;
	d->dropped = m->dropped;
}

void cib_diags_add_plain(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
			 const char *element, const char *id, const char *message)
{
	ham_cib_diags_add(d, sev, line, element, id, "%s", message);
}

void ham_cib_diag_text(const char *file, const struct ham_cib_diag *d, ham_buf *out)
{
	const char *sev = d->severity == HAM_CIB_ERROR ? "error" : "warning";

	if (d->line > 0)
		ham_buf_addf(out, "%s:%u: %s: ", file, d->line, sev);
	else
		ham_buf_addf(out, "%s: %s: ", file, sev);
	if (d->element != NULL)
		ham_buf_addf(out, "<%s> ", d->element);
	if (d->id != NULL)
		ham_buf_addf(out, "id '%s': ", d->id);
	ham_buf_addf(out, "%s\n", d->message);
}

void ham_cib_diags_text(const ham_cib_diags *d, const char *file, int r, ham_buf *out)
{
	size_t i, errors = ham_cib_diags_errors(d), warnings = ham_cib_diags_warnings(d);

	for (i = 0; i < ham_cib_diags_count(d); i++)
		ham_cib_diag_text(file, ham_cib_diags_get(d, i), out);
	if (r == 0)
		ham_buf_addf(out, "%s: valid (%zu warning%s)\n", file, warnings,
			     warnings == 1 ? "" : "s");
	else
		ham_buf_addf(out, "%s: invalid: %s (%zu error%s, %zu warning%s)\n", file,
			     ham_strerror(r), errors, errors == 1 ? "" : "s", warnings,
			     warnings == 1 ? "" : "s");
}
