/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cib internals shared by its source files: the arena that holds a
 * model, growable vectors used while building it, and the handle itself.
 */
#ifndef HAMGR_CIB_PRIVATE_H
#define HAMGR_CIB_PRIVATE_H

#include <qb/qbmap.h>

#include <hamgr/alerts.h>
#include <hamgr/cib.h>

/* ---- arena: bump allocation in chunks, freed all at once ---- */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes allocated from malloc */
};
void *arena_alloc(struct arena *a, size_t n);   /* zeroed, 8-aligned */
char *arena_strdup(struct arena *a, const char *s); /* NULL in, NULL out */
char *arena_strndup(struct arena *a, const char *s, size_t n); /* at most n bytes */
void *arena_memdup(struct arena *a, const void *p, size_t n);
void arena_free(struct arena *a);

/* ---- vector of fixed-size elements (temporary, malloc'd) ---- */
struct vec {
	char *data;
	size_t len; /* elements */
	size_t cap; /* bytes, so esz may change while the vector is empty */
	size_t esz;
};
void vec_init(struct vec *v, size_t esz);
void *vec_push(struct vec *v);          /* a new zeroed element */
void vec_push_ptr(struct vec *v, const void *p);
void vec_clear(struct vec *v);
void vec_free(struct vec *v);
/* Copies the elements into the arena (NULL when empty). */
void *vec_to_arena(struct vec *v, struct arena *a);

/* ---- the handle ---- */
struct ham_cib {
	struct arena arena;
	struct ham_cib_model model;
	qb_map_t *resources;   /* id -> struct ham_cib_resource (not templates) */
	qb_map_t *templates;   /* id -> struct ham_cib_resource */
	qb_map_t *tags;        /* id -> struct ham_cib_tag */
	qb_map_t *nodes;       /* id -> struct ham_cib_node */
	qb_map_t *unames;      /* uname -> struct ham_cib_node */
	qb_map_t *node_states; /* id -> struct ham_cib_node_state */
	qb_map_t *ticket_states;
	const struct ham_cib_alert *const *alerts; /* <alert>s, document order */
	size_t n_alerts;
	char *text;            /* HAM_CIB_LOAD_KEEP_TEXT */
	size_t text_len;
};

/* values.c */
int cib_parse_date_spec_range(const char *s, struct ham_cib_range *ret);
int cib_parse_tri(const char *s, enum ham_cib_tri *ret);

/* diag.c: diags_add with a va_list */
void cib_diags_vadd(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
		    const char *element, const char *id, const char *fmt, va_list ap);

void cib_diags_add_plain(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
			 const char *element, const char *id, const char *message);

/*
 * load.c: the model of a DOM, walked in place (no text): as
 * ham_cib_load_mem() without the prechecks of text; opts' SCHEMA and
 * KEEP_TEXT are not for this path (ham_cib_doc_to_model() takes text then).
 * cluster may be NULL.
 */
struct _xmlDoc;
int cib_load_dom(struct _xmlDoc *xml, const char *name, const struct ham_cib_load_opts *opts,
		 const struct ham_cib_cluster *cluster, ham_cib **ret_cib, ham_cib_diags *diags);

/* store.c / load.c: read a whole fd with a bound */
int cib_read_fd(int fd, size_t max, char **ret_buf, size_t *ret_len);

/* load.c: size limit, emptiness, UTF-8 and no DOCTYPE; 0 or -HAM_E_XML/-EFBIG */
int cib_precheck(const char *buf, size_t len, size_t max_doc, ham_cib_diags *diags);
/* The checks of cib_precheck() but the UTF-8 scan, which the loader makes
 * as it feeds the parser. */
int cib_precheck_noutf8(const char *buf, size_t len, size_t max_doc, ham_cib_diags *diags);
/* The first offset at or after *pos (stopping at or after stop) that is not
 * valid UTF-8 or is NUL: false and *pos set to it; else true and *pos >= stop
 * on a character boundary (or len). */
bool cib_utf8_scan(const unsigned char *s, size_t len, size_t *pos, size_t stop);
/* A point in a diagnostics list to go back to. */
struct cib_diags_mark {
	size_t n, errors, warnings, dropped;
};
void cib_diags_mark(const ham_cib_diags *d, struct cib_diags_mark *m);
void cib_diags_rewind(ham_cib_diags *d, const struct cib_diags_mark *m);

/* load.c: the schema directory in force */
const char *cib_schema_dir(const struct ham_cib_load_opts *opts);

#endif
