/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loading a CIB: one streaming pass (libxml2's xmlTextReader, validating
 * against our RelaxNG schema as it reads) straight into the typed model,
 * then a pass over the model that resolves references (check.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>

#include "cib_private.h"
#include "load_private.h"

/* ------------------------------------------------------------------ */
/* The reader loop                                                     */
/* ------------------------------------------------------------------ */

static void xml_error(void *arg, xmlErrorPtr e)
{
	struct loader *ld = arg;
	const char *msg = e->message ? e->message : "unknown error";
	size_t n = strlen(msg);
	unsigned line = e->line > 0 ? (unsigned)e->line : 0;

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (e->domain == XML_FROM_RELAXNGV || e->domain == XML_FROM_RELAXNGP ||
	    e->domain == XML_FROM_SCHEMASV) {
		/* e->node may already be freed by the streaming reader: only the
		 * line is used. An error without a line belongs to the element
		 * being read, which handle_element() sees next. */
		if (ld->schema_errors.len < 1000) {
			struct schema_error *se = vec_push(&ld->schema_errors);

			se->line = line;
			se->patched = false;
			se->id = NULL;
			se->message = ham_asprintf("schema: %.*s", (int)n, msg);
		}
		return;
	}
	if (e->level == XML_ERR_WARNING) {
		load_diag(ld, HAM_E_XML, HAM_CIB_WARNING, line, NULL, NULL, "XML: %.*s", (int)n,
			  msg);
		return;
	}
	load_diag(ld, HAM_E_XML, HAM_CIB_ERROR, line, NULL, NULL, "XML: %.*s", (int)n, msg);
}

/*
 * Schema errors are reported unless our own checks already explained the
 * same line (ours name the id and the value; libxml2's are vaguer), and the
 * generic "failed to validate" cascade is dropped when a more precise
 * message exists for that line.
 */
static void flush_schema_errors(struct loader *ld)
{
	struct schema_error *se = (struct schema_error *)ld->schema_errors.data;
	size_t n = ld->schema_errors.len, nd = ham_cib_diags_count(ld->diags);
	size_t i, j;

	for (i = 0; i < n; i++) {
		/* After an element we skipped, the validator's view of the rest
		 * is confused: its later complaints are noise. */
		bool covered = ld->first_skip_line != 0 && se[i].line >= ld->first_skip_line;

		for (j = 0; j < nd && !covered; j++) {
			const struct ham_cib_diag *d = ham_cib_diags_get(ld->diags, j);

			covered = d->severity == HAM_CIB_ERROR && d->line == se[i].line;
		}
		if (!covered && strstr(se[i].message, "failed to validate") != NULL)
			for (j = 0; j < n && !covered; j++)
				covered = j != i && se[j].line == se[i].line &&
					  strstr(se[j].message, "failed to validate") == NULL;
		if (ld->schema_errors.len > 0 && ld->result == 0)
			load_note_class(ld, HAM_E_SCHEMA); /* invalid even if every message is covered */
		if (!covered)
			cib_diags_add_plain(ld->diags, HAM_CIB_ERROR, se[i].line, NULL, se[i].id,
					    se[i].message);
	}
	for (i = 0; i < n; i++)
		free(se[i].message);
	vec_clear(&ld->schema_errors);
}

static int collect_attrs(struct loader *ld, xmlTextReaderPtr rd)
{
	int r;

	ld->n_attrs = 0;
	for (r = xmlTextReaderMoveToFirstAttribute(rd); r == 1;
	     r = xmlTextReaderMoveToNextAttribute(rd)) {
		const char *name = (const char *)xmlTextReaderConstName(rd);
		const char *value = (const char *)xmlTextReaderConstValue(rd);
		size_t len = value ? strlen(value) : 0;

		if (ld->n_attrs >= MAX_ATTRS) {
			load_ferr(ld, HAM_E_SCHEMA, "too many attributes (more than %d)", MAX_ATTRS);
			break;
		}
		if (len > ld->max_attr) {
			load_ferr(ld, HAM_E_CONFIG,
			     "value of attribute '%s' is too long (%zu bytes; the limit is %zu)",
			     name, len, ld->max_attr);
			continue;
		}
		if (strchr(name, ':') != NULL && strncmp(name, "xmlns", 5) != 0) {
			load_ferr(ld, HAM_E_SCHEMA, "namespaced attribute '%s' is not accepted", name);
			continue;
		}
		ld->attr_names[ld->n_attrs] = name;
		ld->attr_values[ld->n_attrs] = value ? value : "";
		ld->n_attrs++;
	}
	xmlTextReaderMoveToElement(rd);
	return 0;
}

static bool all_space(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool all_space_n(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

static unsigned line_at(const char *buf, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

bool cib_utf8_scan(const unsigned char *s, size_t len, size_t *pos, size_t stop)
{
	size_t i = *pos;

	if (stop > len)
		stop = len;
	while (i < stop) {
		unsigned char c;
		size_t n, k;
		uint32_t cp;

		/* fast path: 8 ASCII bytes, none of them NUL */
		while (i + 8 <= len && i < stop) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) != 0 ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0)
				break;
			i += 8;
		}
		if (i >= stop)
			break;
		c = s[i];
		if (c == 0)
			goto bad;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		if (i + n >= len)
			goto bad;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += n + 1;
	}
	*pos = i < len ? i : len;
	return true;
bad:
	*pos = i;
	return false;
}

static int utf8_error(ham_cib_diags *diags, const char *buf, size_t bad)
{
	ham_cib_diags_add(diags, HAM_CIB_ERROR, line_at(buf, bad), NULL, NULL,
			  buf[bad] == 0 ? "XML: NUL byte at offset %zu"
					: "XML: invalid UTF-8 at offset %zu",
			  bad);
	return -HAM_E_XML;
}

/* Refuses a DOCTYPE (or any other markup declaration) in the prolog. */
static int check_prolog(ham_cib_diags *diags, const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (;;) {
		const char *end;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
				   buf[i] == '\r'))
			i++;
		if (i >= len)
			return 0;
		if (len - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			end = memmem(buf + i + 4, len - i - 4, "-->", 3);
			if (end == NULL)
				return 0; /* the parser reports it */
			i = (size_t)(end - buf) + 3;
			continue;
		}
		if (len - i >= 2 && memcmp(buf + i, "<?", 2) == 0) {
			end = memmem(buf + i + 2, len - i - 2, "?>", 2);
			if (end == NULL)
				return 0;
			i = (size_t)(end - buf) + 2;
			continue;
		}
		if (len - i >= 2 && memcmp(buf + i, "<!", 2) == 0) {
			ham_cib_diags_add(diags, HAM_CIB_ERROR, line_at(buf, i), NULL, NULL,
					  "XML: DOCTYPE and other markup declarations are not "
					  "accepted (no DTDs, no entities)");
			return -HAM_E_XML;
		}
		return 0;
	}
}

static int precheck(const char *buf, size_t len, size_t max_doc, ham_cib_diags *diags,
		    bool utf8)
{
	size_t bad = 0;

	if (max_doc == 0)
		max_doc = HAM_CIB_DEFAULT_MAX_DOC_BYTES;
	if (buf == NULL && len > 0)
		return -EINVAL;
	if (len > max_doc || len > INT32_MAX) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "the document is too large (%zu bytes; the limit is %zu)", len,
				  max_doc);
		return -EFBIG;
	}
	if (len == 0 || all_space_n(buf, len)) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 1, NULL, NULL,
				  "XML: the document is empty");
		return -HAM_E_XML;
	}
	if (utf8 && !cib_utf8_scan((const unsigned char *)buf, len, &bad, len))
		return utf8_error(diags, buf, bad);
	return check_prolog(diags, buf, len);
}

int cib_precheck(const char *buf, size_t len, size_t max_doc, ham_cib_diags *diags)
{
	return precheck(buf, len, max_doc, diags, true);
}

int cib_precheck_noutf8(const char *buf, size_t len, size_t max_doc, ham_cib_diags *diags)
{
	return precheck(buf, len, max_doc, diags, false);
}

/*
 * The parser reads the document through src_read(), which checks each piece
 * for UTF-8 (and NUL bytes) just before the parser gets it, while it is in
 * the cache: one pass over the bytes less than a check up front.
 */
struct src {
	const char *buf;
	size_t len, pos;
	size_t checked; /* [0, checked) is valid UTF-8 */
	size_t bad;     /* offset of the first invalid byte, or SIZE_MAX */
};

static int src_read(void *ctx, char *out, int n)
{
	struct src *s = ctx;
	size_t want = s->len - s->pos;

	if (s->bad != SIZE_MAX)
		return -1;
	if (n <= 0 || want == 0)
		return 0;
	if (want > (size_t)n)
		want = (size_t)n;
	if (s->checked < s->pos + want &&
	    !cib_utf8_scan((const unsigned char *)s->buf, s->len, &s->checked, s->pos + want)) {
		s->bad = s->checked;
		return -1;
	}
	memcpy(out, s->buf + s->pos, want);
	s->pos += want;
	return (int)want;
}

/* The RelaxNG schema, parsed once per process and kept. */
static char *schema_path_cached;
static xmlRelaxNGPtr schema_cached;

const char *cib_schema_dir(const struct ham_cib_load_opts *opts)
{
	const char *env = getenv("HAMGR_SCHEMA_DIR");
	static char path[4096];

	if (opts != NULL && opts->schema_dir != NULL)
		return opts->schema_dir;
	if (env != NULL && *env)
		return env;
	snprintf(path, sizeof(path), "%s/hamgr.rng", HAM_SCHEMA_DIR);
	if (access(path, R_OK) == 0)
		return HAM_SCHEMA_DIR;
	return HAM_SRC_SCHEMA_DIR;
}

static void rng_parse_error(void *arg, xmlErrorPtr e)
{
	struct loader *ld = arg;

	load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, e->line > 0 ? (unsigned)e->line : 0,
		  NULL, NULL, "cannot read the schema %s: %s", e->file ? e->file : "",
		  e->message ? e->message : "");
}

static xmlRelaxNGPtr get_schema(struct loader *ld, const struct ham_cib_load_opts *opts)
{
	char *path = ham_asprintf("%s/hamgr.rng", cib_schema_dir(opts));
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr rng;

	if (schema_cached != NULL && strcmp(path, schema_path_cached) == 0) {
		free(path);
		return schema_cached;
	}
	pc = xmlRelaxNGNewParserCtxt(path);
	if (pc == NULL) {
		load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, 0, NULL, NULL,
			  "cannot read the schema %s", path);
		free(path);
		return NULL;
	}
	xmlRelaxNGSetParserStructuredErrors(pc, rng_parse_error, ld);
	rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (rng == NULL) {
		load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, 0, NULL, NULL,
			  "cannot use the schema %s (set HAMGR_SCHEMA_DIR)", path);
		free(path);
		return NULL;
	}
	if (schema_cached != NULL)
		xmlRelaxNGFree(schema_cached);
	free(schema_path_cached);
	schema_cached = rng;
	schema_path_cached = path;
	return rng;
}

/*
 * The status section is most of a CIB's bytes (the lrm_rsc_op history) and
 * libxml2's streaming RelaxNG validator costs more than the rest of the load
 * on it.  So the schema validates <cib> up to and including the <status>
 * start tag, and the status section is held to the schema's rules for it here:
 * the element structure by the child rules of build.c, the attributes, their
 * datatypes and the required ones by this table.
 */
struct status_attr {
	const char *name;
	char type; /* 't' text, 'i' id (non-empty), 'c' count, 'b' boolean, 's' score */
	bool required;
};
struct status_rule {
	enum et type;
	const struct status_attr *attrs;
};

static const struct status_attr node_state_attrs[] = {
	{ "id", 'i', false }, { "uname", 'i', false }, { "ha", 't', false },
	{ "in_ccm", 't', false }, { "crmd", 't', false }, { "join", 't', false },
	{ "expected", 't', false }, { "shutdown", 't', false }, { "clear_shutdown", 't', false },
	{ "crm-debug-origin", 't', false }, { "remote_node", 't', false },
	{ "node_fenced", 't', false }, { "node_in_maintenance", 't', false },
	{ "in_maintenance", 't', false }, { NULL, 0, false }
};
static const struct status_attr id_only_attrs[] = { { "id", 'i', false }, { NULL, 0, false } };
static const struct status_attr lrm_attrs[] = { { "id", 'i', false }, { "uname", 't', false },
						{ NULL, 0, false } };
static const struct status_attr lrm_resource_attrs[] = {
	{ "id", 'i', true }, { "class", 't', false }, { "provider", 't', false },
	{ "type", 't', false }, { "container", 't', false }, { "shutdown-lock", 'c', false },
	{ NULL, 0, false }
};
static const struct status_attr lrm_rsc_op_attrs[] = {
	{ "id", 'i', true }, { "operation", 'i', true }, { "operation_key", 't', false },
	{ "call-id", 't', false }, { "rc-code", 't', false }, { "op-status", 't', false },
	{ "interval", 't', false }, { "last-rc-change", 't', false }, { "last-run", 't', false },
	{ "last_rc_change", 't', false }, { "last_run", 't', false }, { "exec-time", 't', false },
	{ "queue-time", 't', false }, { "exec_time", 't', false }, { "queue_time", 't', false },
	{ "transition-key", 't', false }, { "transition-magic", 't', false },
	{ "on_node", 't', false }, { "op-digest", 't', false },
	{ "op-restart-digest", 't', false }, { "op-force-restart", 't', false },
	{ "op-secure-params", 't', false }, { "op-secure-digest", 't', false },
	{ "migrate_source", 't', false }, { "migrate_target", 't', false },
	{ "migrate_from", 't', false }, { "exit-reason", 't', false },
	{ "crm_feature_set", 't', false }, { "crm-debug-origin", 't', false },
	{ NULL, 0, false }
};
static const struct status_attr no_attrs[] = { { NULL, 0, false } };
static const struct status_attr ticket_state_attrs[] = {
	{ "id", 'i', true }, { "granted", 'b', false }, { "standby", 'b', false },
	{ "last-granted", 'c', false }, { NULL, 0, false }
};
static const struct status_attr nvset_attrs[] = {
	{ "id", 'i', false }, { "id-ref", 'i', false }, { "score", 's', false },
	{ "description", 't', false }, { NULL, 0, false }
};
static const struct status_attr nvpair_attrs[] = {
	{ "id", 'i', false }, { "id-ref", 'i', false }, { "name", 'i', false },
	{ "value", 't', false }, { NULL, 0, false }
};
static const struct status_rule status_rules[] = {
	{ ET_STATUS, no_attrs },
	{ ET_NODE_STATE, node_state_attrs },
	{ ET_TRANSIENT, id_only_attrs },
	{ ET_LRM, lrm_attrs },
	{ ET_LRM_RESOURCES, id_only_attrs },
	{ ET_LRM_RESOURCE, lrm_resource_attrs },
	{ ET_LRM_RSC_OP, lrm_rsc_op_attrs },
	{ ET_TICKETS, no_attrs },
	{ ET_TICKET_STATE, ticket_state_attrs },
	{ ET_NVSET, nvset_attrs },
	{ ET_NVPAIR, nvpair_attrs },
};

static bool match_count(const char *v)
{
	if (*v == '\0')
		return false;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

static bool match_boolean(const char *v)
{
	static const char *const ok[] = { "true", "false", "yes", "no", "on", "off", "y", "n" };
	size_t i;

	if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0)
		return true;
	for (i = 0; i < HAM_ARRAY_SIZE(ok); i++)
		if (strcasecmp(v, ok[i]) == 0)
			return true;
	return false;
}

static bool match_score(const char *v)
{
	if (*v == '+' || *v == '-')
		v++;
	return strcmp(v, "INFINITY") == 0 || strcmp(v, "infinity") == 0 || match_count(v);
}

static const struct status_attr *status_attr_find(const struct status_attr *a, const char *name)
{
	for (; a->name != NULL; a++)
		if (a->name[0] == name[0] && strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

static bool has_attr(struct loader *ld, const char *name)
{
	size_t i;

	for (i = 0; i < ld->n_attrs; i++)
		if (strcmp(ld->attr_names[i], name) == 0)
			return true;
	return false;
}

/*
 * A finding of status_checks(), unless the builder already reported an error
 * on this line since diagnostic nd (its messages name the value and the id;
 * the element stays invalid either way).
 */
static void st_err(struct loader *ld, size_t nd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void st_err(struct loader *ld, size_t nd, const char *fmt, ...)
{
	struct frame *f = &ld->frames[ld->depth];
	size_t i, n = ham_cib_diags_count(ld->diags);
	va_list ap;

	load_note_class(ld, HAM_E_SCHEMA);
	for (i = nd; i < n; i++) {
		const struct ham_cib_diag *d = ham_cib_diags_get(ld->diags, i);

		if (d->severity == HAM_CIB_ERROR && d->line == f->line)
			return;
	}
	va_start(ap, fmt);
	cib_diags_vadd(ld->diags, HAM_CIB_ERROR, f->line, f->name, load_frame_id(ld), fmt, ap);
	va_end(ap);
}

/* The checks the schema would make on the current element of the status
 * section; nd: the diagnostics count before the builder saw the element. */
static void status_checks(struct loader *ld, xmlTextReaderPtr rd, size_t nd)
{
	struct frame *f = &ld->frames[ld->depth];
	const struct status_attr *attrs = NULL, *a;
	size_t i;

	if (xmlTextReaderConstNamespaceUri(rd) != NULL) {
		st_err(ld, nd, "element <%s> in a namespace is not allowed in <status>",
			  f->name);
		return;
	}
	for (i = 0; i < HAM_ARRAY_SIZE(status_rules); i++)
		if (status_rules[i].type == f->type)
			attrs = status_rules[i].attrs;
	if (attrs == NULL) {
		st_err(ld, nd, "element <%s> is not allowed in the status section",
			  f->name);
		return;
	}
	for (i = 0; i < ld->n_attrs; i++) {
		const char *name = ld->attr_names[i], *v = ld->attr_values[i];
		bool ok = true;

		if (strncmp(name, "xmlns", 5) == 0 && (name[5] == '\0' || name[5] == ':'))
			continue; /* a namespace declaration, not an attribute */
		a = status_attr_find(attrs, name);
		if (a == NULL) {
			st_err(ld, nd, "attribute '%s' is not allowed on <%s>", name,
				  f->name);
			continue;
		}
		switch (a->type) {
		case 'i': ok = *v != '\0'; break;
		case 'c': ok = match_count(v); break;
		case 'b': ok = match_boolean(v); break;
		case 's': ok = match_score(v); break;
		default: break;
		}
		if (!ok)
			st_err(ld, nd, "invalid value '%s' for attribute '%s' of <%s>",
				  v, name, f->name);
	}
	for (a = attrs; a->name != NULL; a++)
		if (a->required && !has_attr(ld, a->name))
			st_err(ld, nd, "<%s> lacks the required attribute '%s'",
				  f->name, a->name);
	f->st_ref = false;
	f->st_seen_res = false;
	if (f->type == ET_NVSET) {
		if (has_attr(ld, "id-ref")) {
			f->st_ref = true;
			if (ld->n_attrs != 1)
				load_ferr(ld, HAM_E_SCHEMA,
					  "<%s> with 'id-ref' takes no other attribute", f->name);
		} else if (!has_attr(ld, "id")) {
			st_err(ld, nd, "<%s> needs 'id' or 'id-ref'", f->name);
		}
	} else if (f->type == ET_NVPAIR) {
		bool ref = has_attr(ld, "id-ref");

		if (ref && has_attr(ld, "id"))
			st_err(ld, nd, "<nvpair> takes 'id' or 'id-ref', not both");
		else if (!ref && !(has_attr(ld, "id") && has_attr(ld, "name")))
			load_ferr(ld, HAM_E_SCHEMA,
				  "<nvpair> needs 'id' and 'name' (or 'id-ref')");
	}
}

/* Structure rules the child table of build.c does not express; called
 * with the parent frame on top, before the child's frame is pushed. */
static void status_child_checks(struct loader *ld, enum et type, const char *name)
{
	struct frame *p = &ld->frames[ld->depth];

	if (p->type == ET_NVSET && p->st_ref)
		load_ferr(ld, HAM_E_SCHEMA, "<%s> with 'id-ref' has no content, not <%s>",
			  p->name, name);
	if (type == ET_LRM_RESOURCES && p->type == ET_LRM) {
		if (p->st_seen_res)
			load_ferr(ld, HAM_E_SCHEMA, "more than one <lrm_resources> in <lrm>");
		p->st_seen_res = true;
	}
}

static void end_element(struct loader *ld)
{
	struct frame *f = &ld->frames[ld->depth];

	load_end_element(ld, f);
	if (f->type == ET_STATUS && ld->depth == 2 && ld->status_unvalidated)
		ld->status_done = true;
	ld->depth--;
}

static void handle_element(struct loader *ld, xmlTextReaderPtr rd, bool *skip)
{
	const char *name = (const char *)xmlTextReaderConstName(rd);
	struct frame *p = &ld->frames[ld->depth];
	const struct child_rule *cr;
	xmlNodePtr node = xmlTextReaderCurrentNode(rd);
	unsigned line = node ? (unsigned)xmlGetLineNo(node) : 0;
	bool empty = xmlTextReaderIsEmptyElement(rd) == 1;
	const char *why;
	size_t nd;

	if (line == 0 || line == 65535)
		line = (unsigned)xmlTextReaderGetParserLineNumber(rd);
	/* Schema errors raised while reading this element get its line. */
	{
		struct schema_error *se = (struct schema_error *)ld->schema_errors.data;
		size_t i;

		for (i = ld->schema_errors.len; i > 0 && !se[i - 1].patched; i--) {
			struct schema_error *e = &se[i - 1];

			e->patched = true;
			if (e->line != 0 && e->line != line) {
				e->id = load_frame_id(ld);
				continue;
			}
			e->line = line;
			{
				xmlChar *v = xmlTextReaderGetAttribute(rd, (const xmlChar *)"id");

				if (v != NULL) {
					e->id = arena_strndup(&ld->cib->arena, (const char *)v, 256);
					xmlFree(v);
				}
			}
		}
	}
	cr = load_find_child(p->type, name);
	if (cr == NULL) {
		const char *id = NULL;
		xmlChar *v = xmlTextReaderGetAttribute(rd, (const xmlChar *)"id");

		if (v != NULL) {
			id = arena_strndup(&ld->cib->arena, (const char *)v, 256);
			xmlFree(v);
		}
		if (p->type == ET_NONE)
			load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, line, name, id,
				  "the root element must be <cib>, not <%s>", name);
		else if ((why = load_unsupported_why(name)) != NULL)
			load_diag(ld, HAM_E_UNSUPPORTED, HAM_CIB_ERROR, line, name,
				  id ? id : load_frame_id(ld),
				  "<%s> in <%s> is outside the subset hamgr supports: %s", name,
				  p->name, why);
		else if (load_known_element(name))
			load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, line, name,
				  id ? id : load_frame_id(ld), "element <%s> is not allowed in <%s>",
				  name, p->name);
		else
			load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, line, name,
				  id ? id : load_frame_id(ld), "unknown element <%s> in <%s>", name,
				  p->name);
		*skip = true;
		if (ld->first_skip_line == 0)
			ld->first_skip_line = line ? line : 1;
		return;
	}
	if (ld->status_done && ld->depth == 1) {
		load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, line, name, NULL,
			  "element <%s> is not allowed after <status>", name);
		*skip = true;
		return;
	}
	if (ld->status_unvalidated && ld->depth >= 2)
		status_child_checks(ld, cr->type, name);
	if (cr->type == ET_STATUS && (ld->flags & HAM_CIB_LOAD_NO_STATUS)) {
		*skip = true; /* not modelled; the schema still checks it */
		return;
	}
	if (ld->depth >= MAX_DEPTH) {
		load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, line, name, load_frame_id(ld),
			  "elements nested too deeply (more than %d levels)", MAX_DEPTH);
		*skip = true;
		return;
	}
	load_push_frame(ld, cr->type, cr->kind, cr->name, line);
	collect_attrs(ld, rd);
	if (cr->type == ET_STATUS && ld->depth == 2 && ld->seen_configuration &&
	    ld->validating && !ld->status_unvalidated) {
		/* <configuration> is complete and validated; nothing may follow
		 * <status>: its content is checked by status_checks(). */
		if (xmlTextReaderRelaxNGSetSchema(rd, NULL) == 0) {
			ld->validating = false;
			ld->status_unvalidated = true;
		}
	}
	nd = ham_cib_diags_count(ld->diags);
	load_start_element(ld, &ld->frames[ld->depth]);
	if (ld->status_unvalidated && !ld->status_done)
		status_checks(ld, rd, nd);
	if (empty)
		end_element(ld);
}

static void run_reader(struct loader *ld, xmlTextReaderPtr rd)
{
	bool seen_root = false;
	int r = xmlTextReaderRead(rd);

	while (r == 1) {
		bool skip = false;
		int type = xmlTextReaderNodeType(rd);

		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			if (ld->depth == 0 && seen_root) {
				load_diag(ld, HAM_E_XML, HAM_CIB_ERROR, 0, NULL, NULL,
					  "XML: more than one root element");
				return;
			}
			if (ld->depth == 0)
				seen_root = true;
			handle_element(ld, rd, &skip);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (ld->depth > 0)
				end_element(ld);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
			if (!all_space((const char *)xmlTextReaderConstValue(rd)))
				load_ferr(ld, HAM_E_SCHEMA, "unexpected text content in <%s>",
				     ld->frames[ld->depth].name);
			break;
		case XML_READER_TYPE_DOCUMENT_TYPE:
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			load_diag(ld, HAM_E_XML, HAM_CIB_ERROR,
				  (unsigned)xmlTextReaderGetParserLineNumber(rd), NULL, NULL,
				  "XML: DTDs and entity references are not accepted");
			return;
		default:
			break;
		}
		r = skip ? xmlTextReaderNext(rd) : xmlTextReaderRead(rd);
	}
	if (r < 0 && ld->result != HAM_E_XML)
		load_diag(ld, HAM_E_XML, HAM_CIB_ERROR,
			  (unsigned)xmlTextReaderGetParserLineNumber(rd), NULL, NULL,
			  "XML: the document is not well-formed");
	if (r == 0 && !seen_root)
		load_diag(ld, HAM_E_XML, HAM_CIB_ERROR, 1, NULL, NULL,
			  "XML: the document has no root element");
}

static void loader_init(struct loader *ld, ham_cib *cib, ham_cib_diags *diags, size_t len)
{
	size_t est = len / 256 + 64;
	struct vec *vs[] = { &ld->crm_config, &ld->nodes, &ld->resources, &ld->all_resources,
			     &ld->templates, &ld->locations, &ld->colocations, &ld->orders,
			     &ld->tickets, &ld->rsc_defaults, &ld->op_defaults, &ld->tags,
			     &ld->fencing_levels, &ld->node_states, &ld->ticket_states, &ld->alerts,
			     &ld->all_nvsets, &ld->pending_nvsets, &ld->pending_rules };
	size_t i;

	if (est > 1u << 20)
		est = 1u << 20;
	ld->cib = cib;
	ld->diags = diags;
	for (i = 0; i < HAM_ARRAY_SIZE(vs); i++)
		vec_init(vs[i], sizeof(void *));
	vec_init(&ld->pending_pairs, sizeof(struct pending_pair));
	vec_init(&ld->schema_errors, sizeof(struct schema_error));
	vec_init(&ld->pending_ops, sizeof(struct pending_ops));
	vec_init(&ld->pending_tmpls, sizeof(struct pending_tmpl));
	for (i = 0; i < MAX_DEPTH + 2; i++) {
		size_t j;

		for (j = 0; j < NVECS; j++)
			vec_init(&ld->frames[i].v[j], sizeof(void *));
	}
	ld->ids = qb_hashtable_create(est);
	ld->opsets = qb_hashtable_create(64);
	ld->intern = qb_hashtable_create(1024);
	cib->resources = qb_hashtable_create(est / 4 + 16);
	cib->templates = qb_hashtable_create(64);
	cib->tags = qb_hashtable_create(64);
	cib->nodes = qb_hashtable_create(256);
	cib->unames = qb_hashtable_create(256);
	cib->node_states = qb_hashtable_create(256);
	cib->ticket_states = qb_hashtable_create(64);
}

static void loader_fini(struct loader *ld)
{
	struct vec *vs[] = { &ld->crm_config, &ld->nodes, &ld->resources, &ld->all_resources,
			     &ld->templates, &ld->locations, &ld->colocations, &ld->orders,
			     &ld->tickets, &ld->rsc_defaults, &ld->op_defaults, &ld->tags,
			     &ld->fencing_levels, &ld->node_states, &ld->ticket_states, &ld->alerts,
			     &ld->all_nvsets, &ld->pending_nvsets, &ld->pending_rules,
			     &ld->pending_pairs, &ld->pending_ops, &ld->pending_tmpls,
			     &ld->schema_errors };
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(vs); i++)
		vec_free(vs[i]);
	for (i = 0; i < MAX_DEPTH + 2; i++) {
		size_t j;

		for (j = 0; j < NVECS; j++)
			vec_free(&ld->frames[i].v[j]);
	}
	if (ld->ids)
		qb_map_destroy(ld->ids);
	if (ld->opsets)
		qb_map_destroy(ld->opsets);
	if (ld->intern)
		qb_map_destroy(ld->intern);
}

#define MODEL_ARRAY(field, nfield, vecname)                                      \
	do {                                                                     \
		m->nfield = ld->vecname.len;                                     \
		m->field = vec_to_arena(&ld->vecname, &cib->arena);              \
	} while (0)

static void finish_model(struct loader *ld)
{
	ham_cib *cib = ld->cib;
	struct ham_cib_model *m = &cib->model;

	MODEL_ARRAY(crm_config, n_crm_config, crm_config);
	MODEL_ARRAY(nodes, n_nodes, nodes);
	MODEL_ARRAY(resources, n_resources, resources);
	MODEL_ARRAY(all_resources, n_all_resources, all_resources);
	MODEL_ARRAY(templates, n_templates, templates);
	MODEL_ARRAY(locations, n_locations, locations);
	MODEL_ARRAY(colocations, n_colocations, colocations);
	MODEL_ARRAY(orders, n_orders, orders);
	MODEL_ARRAY(tickets, n_tickets, tickets);
	MODEL_ARRAY(rsc_defaults, n_rsc_defaults, rsc_defaults);
	MODEL_ARRAY(op_defaults, n_op_defaults, op_defaults);
	MODEL_ARRAY(tags, n_tags, tags);
	MODEL_ARRAY(fencing_levels, n_fencing_levels, fencing_levels);
	MODEL_ARRAY(node_states, n_node_states, node_states);
	MODEL_ARRAY(ticket_states, n_ticket_states, ticket_states);
	cib->n_alerts = ld->alerts.len;
	cib->alerts = vec_to_arena(&ld->alerts, &cib->arena);
}

static void cib_free_maps(ham_cib *cib)
{
	qb_map_t **maps[] = { &cib->resources, &cib->templates, &cib->tags, &cib->nodes,
			      &cib->unames, &cib->node_states, &cib->ticket_states };
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(maps); i++) {
		if (*maps[i] != NULL)
			qb_map_destroy(*maps[i]);
		*maps[i] = NULL;
	}
}

ham_cib *ham_cib_free(ham_cib *cib)
{
	if (cib == NULL)
		return NULL;
	cib_free_maps(cib);
	arena_free(&cib->arena);
	free(cib->text);
	free(cib);
	return NULL;
}

int ham_cib_load_mem(const char *buf, size_t len, const char *name,
		     const struct ham_cib_load_opts *opts, ham_cib **ret_cib,
		     ham_cib_diags *diags)
{
	struct ham_cib_load_opts dflt = { .flags = HAM_CIB_LOAD_SCHEMA };
	struct loader *ld;
	xmlTextReaderPtr rd = NULL;
	struct src src = { .buf = buf, .len = len, .bad = SIZE_MAX };
	struct cib_diags_mark mark;
	ham_cib *cib;
	int r;

	if (opts == NULL)
		opts = &dflt;
	r = cib_precheck_noutf8(buf, len, opts->max_doc_bytes, diags);
	if (r < 0)
		return r;
	cib_diags_mark(diags, &mark);

	cib = ham_new0(ham_cib);
	ld = ham_new0(struct loader);
	loader_init(ld, cib, diags, len);
	ld->name = name;
	ld->flags = opts->flags;
	ld->max_attr = opts->max_attr_bytes ? opts->max_attr_bytes
					    : HAM_CIB_DEFAULT_MAX_ATTR_BYTES;
	rd = xmlReaderForIO(src_read, NULL, &src, name, "UTF-8",
				XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC |
					XML_PARSE_NOXINCNODE);
	if (rd == NULL) {
		load_diag(ld, HAM_E_XML, HAM_CIB_ERROR, 0, NULL, NULL, "XML: cannot create a parser");
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, xml_error, ld);
	if (opts->flags & HAM_CIB_LOAD_SCHEMA) {
		xmlRelaxNGPtr rng = get_schema(ld, opts);

		if (rng == NULL)
			goto done;
		if (xmlTextReaderRelaxNGSetSchema(rd, rng) != 0) {
			load_diag(ld, HAM_E_SCHEMA, HAM_CIB_ERROR, 0, NULL, NULL,
				  "cannot validate against the schema");
			goto done;
		}
		ld->validating = true;
	}
	run_reader(ld, rd);
	flush_schema_errors(ld);
	if (ld->result == HAM_E_XML)
		goto done;
	while (ld->depth > 0) /* only after an error: close what is open */
		ld->depth--;
	finish_model(ld);
	check_model(ld);
done:
	if (rd != NULL)
		xmlFreeTextReader(rd);
	/* As if the whole document had been checked first: invalid UTF-8 is the
	 * only error reported, wherever the parser stopped. */
	if (src.bad == SIZE_MAX && src.checked < len &&
	    !cib_utf8_scan((const unsigned char *)buf, len, &src.checked, len))
		src.bad = src.checked;
	if (src.bad != SIZE_MAX) {
		cib_diags_rewind(diags, &mark);
		ld->result = HAM_E_XML;
		utf8_error(diags, buf, src.bad);
	}
	r = ld->result ? -ld->result : 0;
	loader_fini(ld);
	free(ld);
	if (r < 0) {
		ham_cib_free(cib);
		return r;
	}
	if (opts->flags & HAM_CIB_LOAD_KEEP_TEXT) {
		cib->text = ham_malloc(len + 1);
		memcpy(cib->text, buf, len);
		cib->text[len] = '\0';
		cib->text_len = len;
	}
	*ret_cib = cib;
	return 0;
}

/*
 * The live facts a caller adds beside the document (see ham_cib_cluster):
 * have-quorum and dc-uuid, and a member <node> for every node_state the
 * configuration lacks, as if the document said so. Before the checks, so
 * that they see the model as the engine will.
 */
static void apply_cluster(struct loader *ld, const struct ham_cib_cluster *c)
{
	struct ham_cib_model *m = &ld->cib->model;
	struct ham_cib_node_state **states = (struct ham_cib_node_state **)ld->node_states.data;
	size_t i;

	m->have_quorum = c->quorate ? HAM_CIB_TRUE : HAM_CIB_FALSE;
	if (c->dc_uuid != NULL)
		m->dc_uuid = arena_strdup(&ld->cib->arena, c->dc_uuid);
	for (i = 0; i < ld->node_states.len; i++) {
		const struct ham_cib_node_state *ns = states[i];
		struct ham_cib_node *n;

		if (ns->id == NULL || ns->uname == NULL || qb_map_get(ld->cib->nodes, ns->id) ||
		    qb_map_get(ld->cib->unames, ns->uname))
			continue;
		n = arena_alloc(&ld->cib->arena, sizeof(*n));
		n->id = ns->id;
		n->uname = ns->uname;
		n->type = HAM_CIB_NODE_MEMBER;
		n->line = ns->line;
		qb_map_put(ld->cib->nodes, n->id, n);
		qb_map_put(ld->cib->unames, n->uname, n);
		vec_push_ptr(&ld->nodes, n);
	}
}

/* Elements below n (a size hint for the loader's tables). */
static size_t count_elements(const xmlNode *n)
{
	const xmlNode *c;
	size_t k = 0;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k += 1 + count_elements(c);
	return k;
}

int cib_load_dom(xmlDoc *xml, const char *name, const struct ham_cib_load_opts *opts,
		 const struct ham_cib_cluster *cluster, ham_cib **ret_cib, ham_cib_diags *diags)
{
	struct loader *ld;
	xmlTextReaderPtr rd;
	ham_cib *cib;
	int r;

	/* Walks the tree in place: what the text loader reads, element by
	 * element, without serializing or parsing. */
	rd = xmlReaderWalker(xml);
	if (rd == NULL)
		return -ENOMEM;
	cib = ham_new0(ham_cib);
	ld = ham_new0(struct loader);
	loader_init(ld, cib, diags, 256 * count_elements((xmlNode *)xml));
	ld->name = name;
	ld->flags = opts ? opts->flags : 0;
	ld->max_attr = opts && opts->max_attr_bytes ? opts->max_attr_bytes
						    : HAM_CIB_DEFAULT_MAX_ATTR_BYTES;
	/* (no parser, so no parse errors: the walker has no error handler) */
	run_reader(ld, rd);
	if (ld->result != HAM_E_XML) {
		while (ld->depth > 0) /* only after an error: close what is open */
			ld->depth--;
		if (cluster != NULL)
			apply_cluster(ld, cluster);
		finish_model(ld);
		check_model(ld);
	}
	xmlFreeTextReader(rd);
	r = ld->result ? -ld->result : 0;
	loader_fini(ld);
	free(ld);
	if (r < 0) {
		ham_cib_free(cib);
		return r;
	}
	*ret_cib = cib;
	return 0;
}

int cib_read_fd(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t cap = 65536, len = 0;
	char *buf = ham_malloc(cap + 1);

	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			buf = ham_realloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

#define MMAP_MIN (1u << 20)

int ham_cib_load_fd(int fd, const char *name, const struct ham_cib_load_opts *opts,
		    ham_cib **ret_cib, ham_cib_diags *diags)
{
	size_t max = opts && opts->max_doc_bytes ? opts->max_doc_bytes
						 : HAM_CIB_DEFAULT_MAX_DOC_BYTES;
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r;

	/* A large regular file is mapped rather than copied: one pass less over
	 * the bytes, and no second copy of them in memory.  (The files hamgr
	 * writes are replaced by rename, never truncated in place.) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= MMAP_MIN &&
	    (uint64_t)st.st_size <= max) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
			       fd, 0);

		if (p != MAP_FAILED) {
			(void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
			r = ham_cib_load_mem(p, (size_t)st.st_size, name, opts, ret_cib, diags);
			munmap(p, (size_t)st.st_size);
			return r;
		}
	}
	r = cib_read_fd(fd, max, &buf, &len);

	if (r == -EFBIG)
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "the document is too large (the limit is %zu bytes)", max);
	else if (r < 0)
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL, "cannot read %s: %s",
				  name ? name : "input", ham_strerror(r));
	if (r < 0)
		return r;
	r = ham_cib_load_mem(buf, len, name, opts, ret_cib, diags);
	free(buf);
	return r;
}

/*
 * A gzip-compressed file (a saved scheduler input, hamgrd's pe-input-N.xml.gz)
 * read whole through libxml2's own decompressing input, at most max bytes
 * of text.
 */
static int gz_slurp(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	xmlParserInputBufferPtr in = xmlParserInputBufferCreateFilename(path,
									XML_CHAR_ENCODING_NONE);
	size_t len;
	int n;

	if (in == NULL)
		return -EIO;
	while ((n = xmlParserInputBufferGrow(in, 1 << 16)) > 0)
		if (xmlBufUse(in->buffer) > max) {
			xmlFreeParserInputBuffer(in);
			return -EFBIG;
		}
	if (n < 0) {
		xmlFreeParserInputBuffer(in);
		return -EIO;
	}
	len = xmlBufUse(in->buffer);
	*ret_buf = ham_newa0(char, len + 1);
	memcpy(*ret_buf, xmlBufContent(in->buffer), len);
	(*ret_buf)[len] = '\0';
	*ret_len = len;
	xmlFreeParserInputBuffer(in);
	return 0;
}

int ham_cib_load_file(const char *path, const struct ham_cib_load_opts *opts,
		      ham_cib **ret_cib, ham_cib_diags *diags)
{
	size_t max = opts && opts->max_doc_bytes ? opts->max_doc_bytes
						 : HAM_CIB_DEFAULT_MAX_DOC_BYTES;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char magic[2];
	char *buf;
	size_t len;
	int r;

	if (fd < 0) {
		r = -errno;
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL, "cannot open %s: %s", path,
				  ham_strerror(r));
		return r;
	}
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    magic[0] != 0x1f || magic[1] != 0x8b) {
		r = ham_cib_load_fd(fd, path, opts, ret_cib, diags);
		close(fd);
		return r;
	}
	close(fd);
	r = gz_slurp(path, max, &buf, &len);
	if (r < 0) {
		if (r == -EFBIG)
			ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
					  "%s: the document is too large (the limit is %zu bytes)",
					  path, max);
		else
			ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
					  "%s: cannot decompress it (gzip)", path);
		return r;
	}
	r = ham_cib_load_mem(buf, len, path, opts, ret_cib, diags);
	free(buf);
	return r;
}

const struct ham_cib_model *ham_cib_model(const ham_cib *cib)
{
	return &cib->model;
}

const char *ham_cib_text(const ham_cib *cib, size_t *ret_len)
{
	if (cib->text == NULL)
		return NULL;
	if (ret_len != NULL)
		*ret_len = cib->text_len;
	return cib->text;
}

static int find(qb_map_t *map, const char *id, const void **ret)
{
	const void *p;

	if (map == NULL || id == NULL)
		return -ENOENT;
	p = qb_map_get(map, id);
	if (p == NULL)
		return -ENOENT;
	*ret = p;
	return 0;
}

int ham_cib_find_resource(const ham_cib *cib, const char *id,
			  const struct ham_cib_resource **ret)
{
	return find(cib->resources, id, (const void **)ret);
}

int ham_cib_find_template(const ham_cib *cib, const char *id,
			  const struct ham_cib_resource **ret)
{
	return find(cib->templates, id, (const void **)ret);
}

int ham_cib_find_tag(const ham_cib *cib, const char *id, const struct ham_cib_tag **ret)
{
	return find(cib->tags, id, (const void **)ret);
}

int ham_cib_find_node(const ham_cib *cib, const char *id, const struct ham_cib_node **ret)
{
	return find(cib->nodes, id, (const void **)ret);
}

int ham_cib_find_node_by_name(const ham_cib *cib, const char *uname,
			      const struct ham_cib_node **ret)
{
	return find(cib->unames, uname, (const void **)ret);
}

int ham_cib_find_node_state(const ham_cib *cib, const char *id,
			    const struct ham_cib_node_state **ret)
{
	return find(cib->node_states, id, (const void **)ret);
}

int ham_cib_find_ticket_state(const ham_cib *cib, const char *id,
			      const struct ham_cib_ticket_state **ret)
{
	return find(cib->ticket_states, id, (const void **)ret);
}

const char *ham_cib_property(const ham_cib *cib, const char *name)
{
	return ham_cib_nvsets_get(cib->model.crm_config, cib->model.n_crm_config, name);
}
