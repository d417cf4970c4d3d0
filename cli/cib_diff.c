/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cib_diff.c: the difference of two CIB configurations by element key,
 * and its checked application to the cluster's current one (cib_diff.h).
 * Keys live in each element's _private while a tree is indexed.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/hash.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "cib_diff.h"

enum op_kind { OP_REMOVE, OP_ADD, OP_ATTRS, OP_ORDER };

struct attr_change {
	char *name, *old_value, *new_value; /* NULL: absent */
};

struct op {
	enum op_kind kind;
	char *key;
	char *parent_key;          /* add */
	char *prev_key;            /* add: the previous element sibling in FILE, NULL: first */
	xmlNode *node;             /* add: FILE's element; remove: ORIG's (copies) */
	struct attr_change *attrs; /* attrs */
	size_t n_attrs;
	char **order;              /* order: the keys of the children in FILE's order */
	size_t n_order;
};

struct cib_diff {
	xmlDoc *store; /* owns the copied elements */
	struct op *ops;
	size_t n;
};

/* ---- keys ---------------------------------------------------------------- */

static bool identified(const xmlNode *n)
{
	return xmlHasProp(n, BAD_CAST "id") != NULL && !ham_xml_is(n, "resource_ref") &&
	       !ham_xml_is(n, "obj_ref");
}

static char *make_key(const xmlNode *n, const char *parent_key)
{
	const xmlNode *s;
	unsigned rank = 0;

	if (identified(n))
		return ham_asprintf("%s#%s", (const char *)n->name, ham_xml_attr(n, "id", ""));
	for (s = n->prev; s; s = s->prev)
		if (s->type == XML_ELEMENT_NODE && xmlStrcmp(s->name, n->name) == 0 && !identified(s))
			rank++;
	return ham_asprintf("%s/%s[%u]", parent_key ? parent_key : "", (const char *)n->name, rank);
}

static const char *key_of(const xmlNode *n)
{
	return n ? (const char *)n->_private : NULL;
}

static const char *parent_key_of(const xmlNode *n)
{
	return n->parent ? key_of(n->parent) : NULL;
}

struct index {
	xmlHashTablePtr map; /* key -> element */
	xmlHashTablePtr ids; /* id -> element (ids are unique whatever the element) */
	xmlNode *root;
};

/* Gives n and its descendants their keys and enters them; -EEXIST on a key used twice. */
static int index_tree(struct index *ix, xmlNode *n, const char *parent_key, char **ret_err)
{
	xmlNode *c;
	char *key = make_key(n, parent_key);
	xmlNode *other = xmlHashLookup(ix->map, BAD_CAST key);
	int r;

	if (other == NULL && identified(n))
		other = xmlHashLookup(ix->ids, BAD_CAST ham_xml_attr(n, "id", ""));
	if (other != NULL) {
		*ret_err = ham_asprintf("id '%s' is used twice (<%s> on line %ld, <%s> on line %ld)",
					ham_xml_attr(n, "id", key), (const char *)other->name,
					xmlGetLineNo(other), (const char *)n->name, xmlGetLineNo(n));
		free(key);
		return -EEXIST;
	}
	n->_private = key;
	xmlHashAddEntry(ix->map, BAD_CAST key, n);
	if (identified(n))
		xmlHashAddEntry(ix->ids, BAD_CAST ham_xml_attr(n, "id", ""), n);
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (r = index_tree(ix, c, key, ret_err)) < 0)
			return r;
	return 0;
}

/* Forgets the keys of n and its descendants (removed from the map if rm). */
static void unindex_tree(struct index *ix, xmlNode *n, bool rm)
{
	xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			unindex_tree(ix, c, rm);
	if (n->_private) {
		if (rm && xmlHashLookup(ix->map, BAD_CAST n->_private) == n)
			xmlHashRemoveEntry(ix->map, BAD_CAST n->_private, NULL);
		if (rm && identified(n) &&
		    xmlHashLookup(ix->ids, BAD_CAST ham_xml_attr(n, "id", "")) == n)
			xmlHashRemoveEntry(ix->ids, BAD_CAST ham_xml_attr(n, "id", ""), NULL);
		free(n->_private);
		n->_private = NULL;
	}
}

static xmlNode *configuration_of(xmlNode *root)
{
	if (root == NULL)
		return NULL;
	if (ham_xml_is(root, "configuration"))
		return root;
	if (ham_xml_is(root, "cib"))
		return ham_xml_child(root, "configuration");
	return NULL;
}

static int index_open(struct index *ix, xmlNode *root, const char *what, char **ret_err)
{
	char *err = NULL;
	int r;

	ix->map = xmlHashCreate(256);
	ix->ids = xmlHashCreate(256);
	ix->root = configuration_of(root);
	if (ix->root == NULL) {
		*ret_err = ham_asprintf("%s has no <configuration>", what);
		return -HAM_E_XML;
	}
	r = index_tree(ix, ix->root, NULL, &err);
	if (r < 0) {
		*ret_err = ham_asprintf("%s: %s", what, err);
		free(err);
		return -HAM_E_XML;
	}
	return 0;
}

static void index_close(struct index *ix)
{
	if (ix->root)
		unindex_tree(ix, ix->root, false);
	xmlHashFree(ix->map, NULL);
	xmlHashFree(ix->ids, NULL);
	ix->map = NULL;
	ix->ids = NULL;
	ix->root = NULL;
}

static xmlNode *lookup(const struct index *ix, const char *key)
{
	return key ? xmlHashLookup(ix->map, BAD_CAST key) : NULL;
}

/* ---- comparison --------------------------------------------------------- */

static xmlNode *next_el(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

static char *attr_dup(const xmlNode *n, const xmlChar *name)
{
	xmlChar *v = xmlGetProp(n, name);
	char *s = v ? ham_strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static bool same_attrs(const xmlNode *a, const xmlNode *b)
{
	const xmlAttr *p;
	size_t na = 0, nb = 0;

	for (p = a->properties; p; p = p->next, na++) {
		char *x = attr_dup(a, p->name), *y = attr_dup(b, p->name);
		bool same = y && strcmp(x ? x : "", y) == 0;

		free(x);
		free(y);
		if (!same)
			return false;
	}
	for (p = b->properties; p; p = p->next)
		nb++;
	return na == nb;
}

bool cib_diff_same_element(const xmlNode *a, const xmlNode *b)
{
	xmlNode *x, *y;

	if (xmlStrcmp(a->name, b->name) != 0 || !same_attrs(a, b))
		return false;
	for (x = next_el(a->children), y = next_el(b->children); x && y;
	     x = next_el(x->next), y = next_el(y->next))
		if (!cib_diff_same_element(x, y))
			return false;
	return x == NULL && y == NULL;
}

/* ---- computing ------------------------------------------------------------ */

struct cctx {
	cib_diff *d;
	struct index o, n;
};

static struct op *new_op(cib_diff *d, enum op_kind kind, const char *key)
{
	struct op *op;

	d->ops = ham_reallocarray(d->ops, d->n + 1, sizeof(*d->ops));
	op = &d->ops[d->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->key = ham_strdup(key);
	return op;
}

static void diff_attrs(struct cctx *c, xmlNode *o, xmlNode *n)
{
	struct op *op = NULL;
	const xmlAttr *p;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		xmlNode *from = pass == 0 ? n : o, *other = pass == 0 ? o : n;

		for (p = from->properties; p; p = p->next) {
			char *fv = attr_dup(from, p->name), *ov = attr_dup(other, p->name);
			struct attr_change *a;

			if ((pass == 0 && ov && strcmp(ov, fv ? fv : "") == 0) || (pass == 1 && ov)) {
				free(fv);
				free(ov);
				continue;
			}
			if (op == NULL)
				op = new_op(c->d, OP_ATTRS, key_of(n));
			op->attrs = ham_reallocarray(op->attrs, op->n_attrs + 1, sizeof(*op->attrs));
			a = &op->attrs[op->n_attrs++];
			a->name = ham_strdup((const char *)p->name);
			a->old_value = pass == 0 ? ov : fv;
			a->new_value = pass == 0 ? fv : NULL;
			if (pass == 1)
				free(ov);
		}
	}
}

/* Whether child c of a matched element is matched under the other tree's parent too. */
static xmlNode *match(const struct index *other, const xmlNode *c)
{
	xmlNode *m = lookup(other, key_of(c));

	return m && ham_streq(parent_key_of(m), parent_key_of(c)) ? m : NULL;
}

static void walk(struct cctx *c, xmlNode *o, xmlNode *n)
{
	xmlNode *x;
	const char *prev = NULL;
	char **so = NULL, **sn = NULL;
	size_t no = 0, nn = 0, i;
	bool reordered;

	diff_attrs(c, o, n);
	for (x = next_el(o->children); x; x = next_el(x->next)) {
		if (match(&c->n, x)) {
			so = ham_reallocarray(so, no + 1, sizeof(*so));
			so[no++] = (char *)key_of(x);
			continue;
		}
		new_op(c->d, OP_REMOVE, key_of(x))->node = xmlDocCopyNode(x, c->d->store, 1);
	}
	for (x = next_el(n->children); x; x = next_el(x->next)) {
		xmlNode *m = match(&c->o, x);

		if (m) {
			sn = ham_reallocarray(sn, nn + 1, sizeof(*sn));
			sn[nn++] = (char *)key_of(x);
			walk(c, m, x);
		} else {
			struct op *op = new_op(c->d, OP_ADD, key_of(x));

			op->parent_key = ham_strdup(key_of(n));
			op->prev_key = ham_strdup(prev);
			op->node = xmlDocCopyNode(x, c->d->store, 1);
		}
		prev = key_of(x);
	}
	reordered = no != nn;
	for (i = 0; i < no && !reordered; i++)
		reordered = strcmp(so[i], sn[i]) != 0;
	if (reordered && nn > 1) {
		struct op *op = new_op(c->d, OP_ORDER, key_of(n));

		for (x = next_el(n->children); x; x = next_el(x->next)) {
			op->order = ham_reallocarray(op->order, op->n_order + 1, sizeof(*op->order));
			op->order[op->n_order++] = ham_strdup(key_of(x));
		}
	}
	free(so);
	free(sn);
}

int cib_diff_compute(xmlNode *orig, xmlNode *new, cib_diff **ret_diff, char **ret_err)
{
	struct cctx c = { 0 };
	int r;

	c.d = ham_new0(cib_diff);
	c.d->store = xmlNewDoc(BAD_CAST "1.0");
	r = index_open(&c.o, orig, "ORIG", ret_err);
	if (r == 0)
		r = index_open(&c.n, new, "FILE", ret_err);
	if (r == 0)
		walk(&c, c.o.root, c.n.root);
	index_close(&c.o);
	index_close(&c.n);
	if (r < 0) {
		cib_diff_free(c.d);
		return r;
	}
	*ret_diff = c.d;
	return 0;
}

cib_diff *cib_diff_free(cib_diff *d)
{
	size_t i, j;

	if (d == NULL)
		return NULL;
	for (i = 0; i < d->n; i++) {
		struct op *op = &d->ops[i];

		free(op->key);
		free(op->parent_key);
		free(op->prev_key);
		if (op->node) {
			xmlUnlinkNode(op->node);
			xmlFreeNode(op->node);
		}
		for (j = 0; j < op->n_attrs; j++) {
			free(op->attrs[j].name);
			free(op->attrs[j].old_value);
			free(op->attrs[j].new_value);
		}
		free(op->attrs);
		for (j = 0; j < op->n_order; j++)
			free(op->order[j]);
		free(op->order);
	}
	free(d->ops);
	xmlFreeDoc(d->store);
	free(d);
	return NULL;
}

size_t cib_diff_count(const cib_diff *d)
{
	return d ? d->n : 0;
}

/* "primitive 'web'" for "primitive#web", else the key itself. */
static char *describe_key(const char *key)
{
	const char *h = strchr(key, '#');

	if (h && strchr(key, '/') == NULL)
		return ham_asprintf("%.*s '%s'", (int)(h - key), key, h + 1);
	return ham_asprintf("<%s>", key);
}

void cib_diff_describe(const cib_diff *d, ham_buf *b)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		const struct op *op = &d->ops[i];
		char *what = describe_key(op->key);

		switch (op->kind) {
		case OP_REMOVE:
			ham_buf_addf(b, "- %s\n", what);
			break;
		case OP_ADD:
			ham_buf_addf(b, "+ %s\n", what);
			break;
		case OP_ATTRS:
			for (j = 0; j < op->n_attrs; j++)
				if (op->attrs[j].new_value)
					ham_buf_addf(b, "~ %s: %s=\"%s\"\n", what, op->attrs[j].name,
						     op->attrs[j].new_value);
				else
					ham_buf_addf(b, "~ %s: %s removed\n", what, op->attrs[j].name);
			break;
		case OP_ORDER:
			ham_buf_addf(b, "= %s: children reordered\n", what);
			break;
		}
		free(what);
	}
}

/* ---- applying ----------------------------------------------------------- */

static int conflict(char **ret_err, char *msg)
{
	*ret_err = msg;
	return -EBUSY;
}

static int apply_remove(struct index *ix, const struct op *op, char **ret_err)
{
	xmlNode *cur = lookup(ix, op->key);
	char *what;

	if (cur == NULL)
		return 0; /* removed already */
	if (!cib_diff_same_element(cur, op->node)) {
		char *msg;

		what = describe_key(op->key);
		msg = ham_asprintf("%s was changed in the cluster's CIB since ORIG was taken: not "
				   "removing it", what);
		free(what);
		return conflict(ret_err, msg);
	}
	unindex_tree(ix, cur, true);
	xmlUnlinkNode(cur);
	xmlFreeNode(cur);
	return 0;
}

/* The first keyed element of n's subtree that the index has already, or NULL. */
static const xmlNode *taken_id(const struct index *ix, const xmlNode *n)
{
	const xmlNode *c, *t;

	if (identified(n) && xmlHashLookup(ix->ids, BAD_CAST ham_xml_attr(n, "id", "")))
		return n;
	for (c = next_el(n->children); c; c = next_el(c->next))
		if ((t = taken_id(ix, c)) != NULL)
			return t;
	return NULL;
}

static int apply_add(struct index *ix, const struct op *op, char **ret_err)
{
	xmlNode *cur = lookup(ix, op->key), *parent, *prev, *copy, *first;
	const xmlNode *t;
	char *what = describe_key(op->key), *msg;

	if (cur != NULL) {
		if (cib_diff_same_element(cur, op->node)) {
			free(what);
			return 0; /* there already */
		}
		msg = ham_asprintf("%s was added to the cluster's CIB meanwhile, with other "
				   "content than FILE's", what);
		free(what);
		return conflict(ret_err, msg);
	}
	parent = lookup(ix, op->parent_key);
	if (parent == NULL) {
		char *p = describe_key(op->parent_key);

		msg = ham_asprintf("cannot add %s: %s, where it goes, was removed from the "
				   "cluster's CIB meanwhile", what, p);
		free(p);
		free(what);
		return conflict(ret_err, msg);
	}
	if ((t = taken_id(ix, op->node)) != NULL) {
		msg = ham_asprintf("cannot add %s: id '%s' (<%s>) exists in the cluster's CIB already",
				   what, ham_xml_attr(t, "id", ""), (const char *)t->name);
		free(what);
		return conflict(ret_err, msg);
	}
	free(what);
	copy = xmlDocCopyNode(op->node, parent->doc, 1);
	prev = lookup(ix, op->prev_key);
	first = next_el(parent->children);
	if (prev && prev->parent == parent)
		xmlAddNextSibling(prev, copy);
	else if (op->prev_key == NULL && first)
		xmlAddPrevSibling(first, copy);
	else
		xmlAddChild(parent, copy);
	return index_tree(ix, copy, op->parent_key, ret_err);
}

static int apply_attrs(struct index *ix, const struct op *op, char **ret_err)
{
	xmlNode *cur = lookup(ix, op->key);
	size_t i;

	if (cur == NULL) {
		char *what = describe_key(op->key), *msg;

		msg = ham_asprintf("%s, whose attributes FILE changes, was removed from the "
				   "cluster's CIB meanwhile", what);
		free(what);
		return conflict(ret_err, msg);
	}
	for (i = 0; i < op->n_attrs; i++) {
		const struct attr_change *a = &op->attrs[i];
		char *v = attr_dup(cur, BAD_CAST a->name);
		bool done = ham_streq(v, a->new_value), was = ham_streq(v, a->old_value);

		if (!done && !was) {
			char *what = describe_key(op->key), *msg;

			msg = ham_asprintf("attribute %s of %s was changed in the cluster's CIB "
					   "meanwhile: ORIG has %s%s%s, the cluster %s%s%s, FILE %s%s%s",
					   a->name, what, a->old_value ? "\"" : "",
					   a->old_value ? a->old_value : "none", a->old_value ? "\"" : "",
					   v ? "\"" : "", v ? v : "none", v ? "\"" : "",
					   a->new_value ? "\"" : "",
					   a->new_value ? a->new_value : "none", a->new_value ? "\"" : "");
			free(what);
			free(v);
			return conflict(ret_err, msg);
		}
		free(v);
		if (done)
			continue;
		if (a->new_value)
			xmlSetProp(cur, BAD_CAST a->name, BAD_CAST a->new_value);
		else
			xmlUnsetProp(cur, BAD_CAST a->name);
	}
	return 0;
}

static void apply_order(struct index *ix, const struct op *op)
{
	xmlNode *parent = lookup(ix, op->key), **slots, **mark, *x;
	size_t n = 0, k = 0, i;

	if (parent == NULL)
		return;
	slots = ham_newa0(xmlNode *, op->n_order ? op->n_order : 1);
	mark = ham_newa0(xmlNode *, op->n_order ? op->n_order : 1);
	/* The children that FILE orders, where they stand now (slots)... */
	for (x = next_el(parent->children); x; x = next_el(x->next))
		for (i = 0; i < op->n_order; i++)
			if (ham_streq(key_of(x), op->order[i]) && n < op->n_order) {
				slots[n++] = x;
				break;
			}
	/* ... filled in FILE's order. */
	for (i = 0; i < op->n_order && k < n; i++) {
		xmlNode *c = lookup(ix, op->order[i]);

		if (c && c->parent == parent)
			mark[k++] = c;
	}
	for (i = 0; i < k; i++) {
		xmlNode *ph = xmlNewNode(NULL, BAD_CAST "placeholder");

		xmlAddPrevSibling(slots[i], ph);
		slots[i] = ph;
	}
	for (i = 0; i < k; i++)
		xmlUnlinkNode(mark[i]);
	for (i = 0; i < k; i++) {
		xmlReplaceNode(slots[i], mark[i]);
		xmlFreeNode(slots[i]);
	}
	free(slots);
	free(mark);
}

int cib_diff_apply(const cib_diff *d, xmlNode *current, char **ret_err)
{
	xmlNode *conf = configuration_of(current), *work;
	struct index ix = { 0 };
	char *err = NULL;
	size_t i;
	int r = 0, pass;

	if (conf == NULL) {
		*ret_err = ham_strdup("the cluster's CIB has no <configuration>");
		return -HAM_E_XML;
	}
	work = xmlDocCopyNode(conf, conf->doc, 1);
	r = index_open(&ix, work, "the cluster's CIB", &err);
	/* Removals, then additions (in FILE's order: a parent or a previous
	 * sibling comes first), attributes, and the order of children last. */
	for (pass = 0; pass < 4 && r == 0; pass++)
		for (i = 0; i < d->n && r == 0; i++) {
			const struct op *op = &d->ops[i];

			if (pass == 0 && op->kind == OP_REMOVE)
				r = apply_remove(&ix, op, &err);
			else if (pass == 1 && op->kind == OP_ADD)
				r = apply_add(&ix, op, &err);
			else if (pass == 2 && op->kind == OP_ATTRS)
				r = apply_attrs(&ix, op, &err);
			else if (pass == 3 && op->kind == OP_ORDER)
				apply_order(&ix, op);
		}
	index_close(&ix);
	if (r < 0) {
		xmlFreeNode(work);
		*ret_err = err;
		return r;
	}
	xmlReplaceNode(conf, work);
	xmlFreeNode(conf);
	return 0;
}
