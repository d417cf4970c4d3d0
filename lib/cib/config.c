/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cib/config.c: the configuration commands' side of the CIB: typed
 * arguments turned into <modify> edits (lib/cib/edit.c applies them), and
 * those edits applied to a CIB file offline, written atomically.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "cib_private.h"

/* ---- building edits -------------------------------------------------------- */

/* An XML id as Pacemaker's tools accept it: a letter or '_', then letters,
 * digits, '-', '_', '.'. */
static bool valid_id(const char *s)
{
	const char *p;

	if (s == NULL || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (p = s + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

static void attr(ham_buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	ham_buf_addf(b, " %s=\"", name);
	ham_buf_add_xml(b, value);
	ham_buf_addc(b, '"');
}

/* Names must be non-empty and appear once in a list. */
static int check_names(const char *what, const struct ham_cib_nv *v, size_t n, char **ret_err)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (v[i].name == NULL || v[i].name[0] == '\0') {
			*ret_err = ham_asprintf("an empty %s name (NAME=VALUE)", what);
			return -HAM_E_USAGE;
		}
		for (j = 0; j < i; j++)
			if (ham_streq(v[i].name, v[j].name)) {
				*ret_err = ham_asprintf("the %s '%s' is given twice", what, v[i].name);
				return -HAM_E_USAGE;
			}
	}
	return 0;
}

static int check_spec(const struct ham_cib_rsc_spec *s, char **ret_err)
{
	size_t i;
	int r;

	if (!valid_id(s->id)) {
		*ret_err = ham_asprintf("'%s' is not a valid id (a letter or '_', then letters, "
					"digits, '-', '_', '.')", s->id ? s->id : "");
		return -HAM_E_USAGE;
	}
	if ((r = check_names("parameter", s->params, s->n_params, ret_err)) < 0 ||
	    (r = check_names("meta attribute", s->meta, s->n_meta, ret_err)) < 0)
		return r;
	for (i = 0; i < s->n_ops; i++) {
		if (!valid_id(s->ops[i].action)) {
			*ret_err = ham_asprintf("'%s' is not an operation name",
						s->ops[i].action ? s->ops[i].action : "");
			return -HAM_E_USAGE;
		}
		if ((r = check_names("op attribute", s->ops[i].attrs, s->ops[i].n_attrs,
				     ret_err)) < 0)
			return r;
	}
	return 0;
}

/* <op .../> with id (may be NULL: set-op chooses it) and attributes. */
static void add_op(ham_buf *b, const char *rsc, const struct ham_cib_op_spec *op, bool with_id)
{
	const char *interval = "0s";
	size_t i;

	for (i = 0; i < op->n_attrs; i++)
		if (ham_streq(op->attrs[i].name, "interval"))
			interval = op->attrs[i].value;
	ham_buf_add(b, "<op");
	if (with_id) {
		char *id = ham_asprintf("%s-%s-interval-%s", rsc, op->action, interval);

		attr(b, "id", id);
		free(id);
	}
	attr(b, "name", op->action);
	attr(b, "interval", interval);
	for (i = 0; i < op->n_attrs; i++)
		if (!ham_streq(op->attrs[i].name, "interval"))
			attr(b, op->attrs[i].name, op->attrs[i].value);
	ham_buf_add(b, "/>");
}

static void add_set(ham_buf *b, const char *rsc, const char *set, const struct ham_cib_nv *v,
		    size_t n, const char *extra_name, const char *extra_value)
{
	size_t i;

	if (n == 0 && extra_name == NULL)
		return;
	ham_buf_addf(b, "<%s", set);
	{
		char *id = ham_asprintf("%s-%s", rsc, set);

		attr(b, "id", id);
		free(id);
	}
	ham_buf_add(b, ">");
	for (i = 0; i <= n; i++) {
		const char *name = i < n ? v[i].name : extra_name;
		const char *value = i < n ? v[i].value : extra_value;
		char *id;

		if (name == NULL)
			continue;
		id = ham_asprintf("%s-%s-%s", rsc, set, name);
		ham_buf_add(b, "<nvpair");
		attr(b, "id", id);
		attr(b, "name", name);
		attr(b, "value", value ? value : "");
		ham_buf_add(b, "/>");
		free(id);
	}
	ham_buf_addf(b, "</%s>", set);
}

/* Splits CLASS:[PROVIDER:]TYPE; the parts point into a copy in *ret_buf. */
static int split_agent(const char *agent, char **ret_buf, const char **cls, const char **prov,
		       const char **type, char **ret_err)
{
	char *buf = ham_strdup(agent ? agent : ""), *a, *b;

	a = strchr(buf, ':');
	b = a ? strchr(a + 1, ':') : NULL;
	if (a == NULL || (b && strchr(b + 1, ':')) || a == buf || a[1] == '\0' ||
	    (b && (b == a + 1 || b[1] == '\0'))) {
		*ret_err = ham_asprintf("'%s' is not an agent: expected CLASS:[PROVIDER:]TYPE such "
					"as ocf:heartbeat:IPaddr2 or systemd:nginx", agent ? agent : "");
		free(buf);
		return -HAM_E_USAGE;
	}
	*a = '\0';
	*cls = buf;
	if (b) {
		*b = '\0';
		*prov = a + 1;
		*type = b + 1;
	} else {
		*prov = NULL;
		*type = a + 1;
	}
	if (ham_streq(*cls, "ocf") != (*prov != NULL)) {
		*ret_err = ham_asprintf("'%s': %s", agent, *prov ? "only ocf agents have a provider"
							       : "an ocf agent needs a provider "
								 "(ocf:PROVIDER:TYPE)");
		free(buf);
		return -HAM_E_USAGE;
	}
	*ret_buf = buf;
	return 0;
}

int ham_cib_edit_rsc_create(const struct ham_cib_rsc_spec *s, ham_buf *edits, char **ret_err)
{
	const char *cls, *prov, *type;
	char *abuf;
	size_t i;
	int r;

	*ret_err = NULL;
	if ((r = check_spec(s, ret_err)) < 0)
		return r;
	if (s->group && !valid_id(s->group)) {
		*ret_err = ham_asprintf("'%s' is not a valid group id", s->group);
		return -HAM_E_USAGE;
	}
	if ((r = split_agent(s->agent, &abuf, &cls, &prov, &type, ret_err)) < 0)
		return r;
	for (i = 0; i < s->n_meta; i++)
		if (s->disabled && ham_streq(s->meta[i].name, "target-role")) {
			*ret_err = ham_strdup("--disabled and the meta attribute target-role "
					      "both given");
			free(abuf);
			return -HAM_E_USAGE;
		}
	ham_buf_add(edits, "<create");
	attr(edits, "group", s->group);
	ham_buf_add(edits, "><primitive");
	attr(edits, "id", s->id);
	attr(edits, "class", cls);
	attr(edits, "provider", prov);
	attr(edits, "type", type);
	ham_buf_add(edits, ">");
	add_set(edits, s->id, "instance_attributes", s->params, s->n_params, NULL, NULL);
	add_set(edits, s->id, "meta_attributes", s->meta, s->n_meta,
		s->disabled ? "target-role" : NULL, s->disabled ? "Stopped" : NULL);
	if (s->n_ops) {
		ham_buf_add(edits, "<operations>");
		for (i = 0; i < s->n_ops; i++)
			add_op(edits, s->id, &s->ops[i], true);
		ham_buf_add(edits, "</operations>");
	}
	ham_buf_add(edits, "</primitive></create>");
	free(abuf);
	return 0;
}

static void add_set_attr(ham_buf *b, const char *rsc, const char *set, const struct ham_cib_nv *v)
{
	ham_buf_add(b, "<set-attr");
	attr(b, "rsc", rsc);
	attr(b, "set", set);
	attr(b, "name", v->name);
	attr(b, "value", v->value && v->value[0] ? v->value : NULL);
	ham_buf_add(b, "/>");
}

int ham_cib_edit_rsc_update(const struct ham_cib_rsc_spec *s, ham_buf *edits, char **ret_err)
{
	size_t i;
	int r;

	*ret_err = NULL;
	if ((r = check_spec(s, ret_err)) < 0)
		return r;
	if (s->n_params + s->n_meta + s->n_ops == 0) {
		*ret_err = ham_asprintf("nothing to change in '%s': give NAME=VALUE, op or meta",
					s->id);
		return -HAM_E_USAGE;
	}
	for (i = 0; i < s->n_params; i++)
		add_set_attr(edits, s->id, "instance_attributes", &s->params[i]);
	for (i = 0; i < s->n_meta; i++)
		add_set_attr(edits, s->id, "meta_attributes", &s->meta[i]);
	for (i = 0; i < s->n_ops; i++) {
		ham_buf_add(edits, "<set-op");
		attr(edits, "rsc", s->id);
		ham_buf_add(edits, ">");
		add_op(edits, s->id, &s->ops[i], false);
		ham_buf_add(edits, "</set-op>");
	}
	return 0;
}

void ham_cib_edit_delete(const char *id, const char *kind, ham_buf *edits)
{
	ham_buf_add(edits, "<delete");
	attr(edits, "id", id);
	attr(edits, "kind", kind);
	ham_buf_add(edits, "/>");
}

void ham_cib_edit_property(const char *section, const char *name, const char *value,
			   ham_buf *edits)
{
	ham_buf_add(edits, "<set-property");
	attr(edits, "section", section);
	attr(edits, "name", name);
	attr(edits, "value", value && value[0] ? value : NULL);
	ham_buf_add(edits, "/>");
}

static int need_id(const char *what, const char *v, char **ret_err)
{
	if (!valid_id(v)) {
		*ret_err = ham_asprintf("'%s' is not a valid %s id", v ? v : "", what);
		return -HAM_E_USAGE;
	}
	return 0;
}

/* ---- groups and clones ------------------------------------------------------- */

static int group_edit(const char *el, const char *group, const char *const *rscs, size_t n,
		      ham_buf *edits, char **ret_err)
{
	size_t i;
	int r;

	*ret_err = NULL;
	if ((r = need_id("group", group, ret_err)) < 0)
		return r;
	if (n == 0) {
		*ret_err = ham_strdup("name at least one resource");
		return -HAM_E_USAGE;
	}
	for (i = 0; i < n; i++)
		if ((r = need_id("resource", rscs[i], ret_err)) < 0)
			return r;
	for (i = 0; i < n; i++) {
		ham_buf_addf(edits, "<%s", el);
		attr(edits, "group", group);
		attr(edits, "rsc", rscs[i]);
		ham_buf_add(edits, "/>");
	}
	return 0;
}

int ham_cib_edit_group_add(const char *group, const char *const *rscs, size_t n,
			   ham_buf *edits, char **ret_err)
{
	return group_edit("group-add", group, rscs, n, edits, ret_err);
}

int ham_cib_edit_group_remove(const char *group, const char *const *rscs, size_t n,
			      ham_buf *edits, char **ret_err)
{
	return group_edit("group-remove", group, rscs, n, edits, ret_err);
}

int ham_cib_edit_clone(const char *rsc, const struct ham_cib_nv *meta, size_t n_meta,
		       bool promotable, ham_buf *edits, char **ret_err)
{
	char *id;
	size_t i;
	int r;

	*ret_err = NULL;
	if ((r = need_id("resource", rsc, ret_err)) < 0 ||
	    (r = check_names("meta attribute", meta, n_meta, ret_err)) < 0)
		return r;
	for (i = 0; promotable && i < n_meta; i++)
		if (ham_streq(meta[i].name, "promotable")) {
			*ret_err = ham_strdup("a promotable clone sets promotable itself");
			return -HAM_E_USAGE;
		}
	id = ham_asprintf("%s-clone", rsc);
	ham_buf_add(edits, "<clone-rsc");
	attr(edits, "rsc", rsc);
	ham_buf_add(edits, "><clone");
	attr(edits, "id", id);
	ham_buf_add(edits, ">");
	add_set(edits, id, "meta_attributes", meta, n_meta, promotable ? "promotable" : NULL,
		promotable ? "true" : NULL);
	ham_buf_add(edits, "</clone></clone-rsc>");
	free(id);
	return 0;
}

/* ---- constraints ------------------------------------------------------------- */

/* Appends to b the id part s with characters an id cannot hold as '.'. */
static void id_part(ham_buf *b, const char *s)
{
	for (; *s; s++)
		ham_buf_addc(b, (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				       (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
				       *s == '.' ? *s : '.');
}

static int need_score(const char *v, char **ret_err)
{
	int sc;

	if (ham_score_parse(v, &sc) < 0) {
		*ret_err = ham_asprintf("'%s' is not a score (an integer or [+-]INFINITY)", v);
		return -HAM_E_USAGE;
	}
	return 0;
}

int ham_cib_edit_location(const char *rsc, const char *node, const char *score,
			  ham_buf *edits, char **ret_err)
{
	ham_buf id = HAM_BUF_INIT;
	int r;

	*ret_err = NULL;
	if ((r = need_id("resource", rsc, ret_err)) < 0 || (r = need_score(score, ret_err)) < 0)
		return r;
	if (node == NULL || node[0] == '\0') {
		*ret_err = ham_strdup("a location needs a node name");
		return -HAM_E_USAGE;
	}
	ham_buf_add(&id, "location-");
	id_part(&id, rsc);
	ham_buf_addc(&id, '-');
	id_part(&id, node);
	ham_buf_addc(&id, '-');
	id_part(&id, score);
	ham_buf_add(edits, "<create><rsc_location");
	attr(edits, "id", ham_buf_str(&id));
	attr(edits, "rsc", rsc);
	attr(edits, "node", node);
	attr(edits, "score", score);
	ham_buf_add(edits, "/></create>");
	ham_buf_free(&id);
	return 0;
}

int ham_cib_edit_colocation(const char *rsc, const char *with_rsc, const char *score,
			    ham_buf *edits, char **ret_err)
{
	ham_buf id = HAM_BUF_INIT;
	int r;

	*ret_err = NULL;
	if (score == NULL)
		score = "INFINITY";
	if ((r = need_id("resource", rsc, ret_err)) < 0 ||
	    (r = need_id("resource", with_rsc, ret_err)) < 0 || (r = need_score(score, ret_err)) < 0)
		return r;
	if (ham_streq(rsc, with_rsc)) {
		*ret_err = ham_asprintf("'%s' cannot be colocated with itself", rsc);
		return -HAM_E_USAGE;
	}
	ham_buf_add(&id, "colocation-");
	id_part(&id, rsc);
	ham_buf_addc(&id, '-');
	id_part(&id, with_rsc);
	ham_buf_addc(&id, '-');
	id_part(&id, score);
	ham_buf_add(edits, "<create><rsc_colocation");
	attr(edits, "id", ham_buf_str(&id));
	attr(edits, "rsc", rsc);
	attr(edits, "with-rsc", with_rsc);
	attr(edits, "score", score);
	ham_buf_add(edits, "/></create>");
	ham_buf_free(&id);
	return 0;
}

static bool is_action(const char *a)
{
	return ham_streq(a, "start") || ham_streq(a, "stop") || ham_streq(a, "promote") ||
	       ham_streq(a, "demote");
}

int ham_cib_edit_order(const char *first_action, const char *first, const char *then_action,
		       const char *then, const char *kind, ham_buf *edits, char **ret_err)
{
	ham_buf id = HAM_BUF_INIT;
	int r;

	*ret_err = NULL;
	if ((r = need_id("resource", first, ret_err)) < 0 ||
	    (r = need_id("resource", then, ret_err)) < 0)
		return r;
	if ((first_action && !is_action(first_action)) || (then_action && !is_action(then_action))) {
		*ret_err = ham_asprintf("'%s' is not an action (start, stop, promote, demote)",
					first_action && !is_action(first_action) ? first_action
										 : then_action);
		return -HAM_E_USAGE;
	}
	if (kind && !ham_streq(kind, "Mandatory") && !ham_streq(kind, "Optional") &&
	    !ham_streq(kind, "Serialize")) {
		*ret_err = ham_asprintf("'%s' is not an order kind (Mandatory, Optional, "
					"Serialize)", kind);
		return -HAM_E_USAGE;
	}
	if (ham_streq(first, then)) {
		*ret_err = ham_asprintf("'%s' cannot be ordered after itself", first);
		return -HAM_E_USAGE;
	}
	ham_buf_add(&id, "order-");
	id_part(&id, first);
	ham_buf_addc(&id, '-');
	id_part(&id, then);
	ham_buf_addc(&id, '-');
	id_part(&id, kind ? kind : "mandatory");
	ham_buf_add(edits, "<create><rsc_order");
	attr(edits, "id", ham_buf_str(&id));
	attr(edits, "first", first);
	attr(edits, "first-action", first_action ? first_action : "start");
	attr(edits, "then", then);
	attr(edits, "then-action", then_action ? then_action : "start");
	attr(edits, "kind", kind);
	ham_buf_add(edits, "/></create>");
	ham_buf_free(&id);
	return 0;
}

/* ---- cluster properties ---------------------------------------------------------- */

static const struct ham_cib_property_info properties[] = {
	{ "stonith-enabled", "true", "fence nodes that fail or are lost (needs a fence device)" },
	{ "stonith-action", "reboot", "what fencing does to a node: reboot or off" },
	{ "symmetric-cluster", "true",
	  "resources may run on every node unless a constraint says otherwise" },
	{ "no-quorum-policy", "stop",
	  "what a partition without quorum does: stop, freeze, ignore, demote or fence" },
	{ "maintenance-mode", "false", "start, stop and monitor nothing, anywhere" },
	{ "stop-all-resources", "false", "stop every resource" },
	{ "start-failure-is-fatal", "true",
	  "a failed start keeps the resource off that node until cleaned up" },
	{ "startup-fencing", "true", "fence the nodes not seen since the cluster started" },
	{ "cluster-recheck-interval", "15min",
	  "how often the cluster recomputes without an event (time-based rules, failure-timeout)" },
	{ "batch-limit", "0", "at most this many actions at once cluster-wide (0: no limit)" },
	{ "shutdown-escalation", "20min", "how long a node's orderly stop may take" },
	{ "placement-strategy", "default",
	  "how nodes are chosen: default, utilization, minimal or balanced" },
	{ "node-health-strategy", "none",
	  "how node health attributes count: none, migrate-on-red, only-green, progressive, "
	  "custom" },
	{ "node-health-red", "-INFINITY", "the score of a red health attribute (progressive, custom)" },
	{ "node-health-yellow", "0", "the score of a yellow health attribute (progressive, custom)" },
	{ "node-health-green", "0", "the score of a green health attribute (progressive, custom)" },
	{ "node-pending-timeout", "0", "how long a node may stay pending before it is fenced (0: forever)" },
	{ "cluster-name", NULL, "the cluster's name, for rules (#cluster-name) and display" },
	{ NULL, NULL, NULL },
};

const struct ham_cib_property_info *ham_cib_property_infos(void)
{
	return properties;
}

const struct ham_cib_property_info *ham_cib_property_info(const char *name)
{
	const struct ham_cib_property_info *p;

	for (p = properties; name && p->name; p++)
		if (ham_streq(p->name, name))
			return p;
	return NULL;
}

/* ---- offline: a CIB file ------------------------------------------------------ */

/* Reads the whole file (bounded like a CIB load). */
static int read_file(const char *path, char **ret, size_t *ret_len)
{
	size_t cap = 65536, len = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	buf = ham_malloc(cap);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			if (cap >= HAM_CIB_DEFAULT_MAX_DOC_BYTES) {
				close(fd);
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			buf = ham_realloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;

			close(fd);
			free(buf);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

/* Writes buf next to path, then renames it over path. */
static int write_atomic(const char *path, const char *buf, size_t len)
{
	char *tmp = ham_asprintf("%s.XXXXXX", path);
	struct stat st;
	size_t off = 0;
	int fd = mkostemp(tmp, O_CLOEXEC), r = 0;

	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	if (stat(path, &st) == 0)
		(void)fchmod(fd, st.st_mode & 07777);
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return r;
}

int ham_cib_file_apply_modify(const char *path, const char *edits, size_t elen,
			      bool *ret_changed, char **ret_err)
{
	ham_cib_doc *doc = NULL;
	ham_cib_diags *diags = ham_cib_diags_new();
	xmlBuffer *xb = NULL;
	char *text = NULL;
	size_t len = 0;
	bool changed = false;
	int r;

	*ret_err = NULL;
	if ((r = read_file(path, &text, &len)) < 0) {
		*ret_err = ham_asprintf("cannot read %s: %s", path, ham_strerror(r));
		goto out;
	}
	if ((r = ham_cib_doc_parse(text, len, &doc, diags)) < 0) {
		char *why = ham_cib_diags_message(diags, r);

		*ret_err = ham_asprintf("%s: %s", path, why);
		free(why);
		goto out;
	}
	if ((r = ham_cib_doc_check_modify(doc, edits, elen, ret_err)) < 0 ||
	    (r = ham_cib_doc_apply_modify(doc, edits, elen, &changed, ret_err)) < 0)
		goto out;
	if (changed) {
		xb = xmlBufferCreate();
		xmlNodeDump(xb, ham_cib_doc_root(doc)->doc, ham_cib_doc_root(doc), 0, 1);
		xmlBufferAdd(xb, BAD_CAST "\n", 1);
		r = write_atomic(path, (const char *)xmlBufferContent(xb),
				 (size_t)xmlBufferLength(xb));
		if (r < 0) {
			*ret_err = ham_asprintf("cannot write %s: %s", path, ham_strerror(r));
			goto out;
		}
	}
	if (ret_changed)
		*ret_changed = changed;
out:
	if (xb)
		xmlBufferFree(xb);
	free(text);
	ham_cib_doc_free(doc);
	ham_cib_diags_free(diags);
	return r;
}
