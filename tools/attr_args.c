/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/attr_args.c: crm_attribute's and attrd_updater's command lines
 * (attr_args.h). Options as Pacemaker 2.1's tools take them: short ones
 * with the value attached or next, long ones with "=" or next; -p
 * (crm_attribute --promotion) takes its resource only attached.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "attr_args.h"

enum arg { NONE, REQUIRED, OPTIONAL };

struct opt {
	char s;          /* short name, or 0 */
	const char *l;   /* long name(s), '|'-separated, or NULL */
	enum arg arg;
	int key;
};

/* The option matching argv[*i] (advancing *i past its value), its value in
 * *ret_val; NULL with *ret_err when it is unknown or lacks its value. */
static const struct opt *next_opt(const struct opt *opts, int argc, char **argv, int *i,
				  char **pending_short, const char **ret_val, char **ret_err)
{
	const char *a = *pending_short ? *pending_short : argv[*i];
	const struct opt *o;

	*ret_val = NULL;
	if (*pending_short == NULL && a[0] == '-' && a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

		for (o = opts; o->key; o++) {
			const char *p = o->l;

			while (p && *p) {
				size_t k = strcspn(p, "|");

				if (k == n && strncmp(p, a + 2, n) == 0)
					goto found_long;
				p += k + (p[k] == '|');
			}
		}
		*ret_err = ham_asprintf("unknown option '%s'", a);
		return NULL;
found_long:
		if (o->arg == NONE && eq) {
			*ret_err = ham_asprintf("option '--%.*s' takes no value", (int)n, a + 2);
			return NULL;
		}
		if (eq)
			*ret_val = eq + 1;
		else if (o->arg == REQUIRED) {
			if (*i + 1 >= argc) {
				*ret_err = ham_asprintf("option '%s' needs a value", a);
				return NULL;
			}
			*ret_val = argv[++*i];
		}
		return o;
	}
	/* a cluster of short options: -qG, -n NAME, -nNAME */
	if (*pending_short == NULL)
		a++;
	for (o = opts; o->key; o++)
		if (o->s && o->s == a[0])
			break;
	if (!o->key) {
		*ret_err = ham_asprintf("unknown option '-%c'", a[0]);
		return NULL;
	}
	*pending_short = NULL;
	if (o->arg == NONE) {
		if (a[1])
			*pending_short = (char *)a + 1;
		return o;
	}
	if (a[1]) {
		*ret_val = a + 1;
	} else if (o->arg == REQUIRED) {
		if (*i + 1 >= argc) {
			*ret_err = ham_asprintf("option '-%c' needs a value", o->s);
			return NULL;
		}
		*ret_val = argv[++*i];
	}
	return o;
}

/* Walks argv, calling fn for each option; non-options are an error. */
static int walk(const struct opt *opts, int argc, char **argv,
		int (*fn)(int key, const char *val, struct attr_req *r, char **ret_err),
		struct attr_req *r, char **ret_err)
{
	char *pending = NULL;
	const char *val;
	const struct opt *o;
	int i;

	for (i = 1; i < argc || pending; ) {
		if (pending == NULL && (argv[i][0] != '-' || argv[i][1] == '\0')) {
			*ret_err = ham_asprintf("unexpected argument '%s'", argv[i]);
			return -1;
		}
		if (pending == NULL && strcmp(argv[i], "--") == 0) {
			if (i + 1 < argc) {
				*ret_err = ham_asprintf("unexpected argument '%s'", argv[i + 1]);
				return -1;
			}
			break;
		}
		o = next_opt(opts, argc, argv, &i, &pending, &val, ret_err);
		if (o == NULL || fn(o->key, val, r, ret_err) < 0)
			return -1;
		if (pending == NULL)
			i++;
	}
	return 0;
}

static void replace(char **dst, const char *v)
{
	free(*dst);
	*dst = ham_strdup(v);
}

static int set_op(struct attr_req *r, enum attr_op op, bool *seen, char **ret_err)
{
	if (*seen && r->op != op) {
		*ret_err = ham_strdup("only one of query, update and delete at a time");
		return -1;
	}
	*seen = true;
	r->op = op;
	return 0;
}

char *attr_promotion_name(const char *rsc)
{
	size_t n = strlen(rsc);
	const char *colon = strrchr(rsc, ':');

	/* a clone instance "RSC:N" scores for RSC */
	if (colon && colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1))
		n = (size_t)(colon - rsc);
	return ham_asprintf("master-%.*s", (int)n, rsc);
}

/* ---- crm_attribute --------------------------------------------------------- */

enum {
	K_NAME = 1, K_UPDATE, K_DELETE, K_QUERY, K_QUIET, K_NODE, K_LIFETIME, K_TYPE,
	K_PROMOTION, K_DEFAULT, K_UTIL, K_IGNORED, K_VERBOSE, K_HELP, K_VERSION,
	K_DELAY, K_ALL, K_PRIVATE, K_REFRESH, K_NOOP_DELAY, K_BOTH,
};

struct ca_state {
	bool op_seen, promotion;
	char *promotion_rsc;
	const char *lifetime, *type;
};

static struct ca_state ca;

static int ca_opt(int key, const char *val, struct attr_req *r, char **ret_err)
{
	switch (key) {
	case K_NAME: replace(&r->name, val); break;
	case K_UPDATE:
		if (set_op(r, ATTR_UPDATE, &ca.op_seen, ret_err) < 0)
			return -1;
		replace(&r->value, val);
		break;
	case K_DELETE: return set_op(r, ATTR_DELETE, &ca.op_seen, ret_err);
	case K_QUERY: return set_op(r, ATTR_QUERY, &ca.op_seen, ret_err);
	case K_QUIET: r->quiet = true; break;
	case K_NODE: replace(&r->node, val); break;
	case K_LIFETIME:
		if (!ham_streq(val, "reboot") && !ham_streq(val, "forever")) {
			*ret_err = ham_asprintf("invalid lifetime '%s': expected reboot or forever", val);
			return -1;
		}
		ca.lifetime = val;
		break;
	case K_TYPE: ca.type = val; break;
	case K_PROMOTION:
		ca.promotion = true;
		replace(&ca.promotion_rsc, val && val[0] ? val : NULL);
		break;
	case K_DEFAULT: replace(&r->dflt, val); break;
	case K_UTIL: r->kind = NODEATTR_UTILIZATION; ca.type = "utilization"; break;
	case K_VERBOSE: r->verbose++; break;
	case K_HELP: r->help = true; break;
	case K_VERSION: r->version = true; break;
	default: break; /* accepted, no meaning here (-i, -s) */
	}
	return 0;
}

int crm_attribute_args(int argc, char **argv, const char *instance, struct attr_req *ret,
		       char **ret_err)
{
	static const struct opt opts[] = {
		{ 'n', "name", REQUIRED, K_NAME },
		{ 'v', "update|attr-value", REQUIRED, K_UPDATE },
		{ 'D', "delete|delete-attr", NONE, K_DELETE },
		{ 'G', "query|get-value", NONE, K_QUERY },
		{ 'Q', NULL, NONE, K_QUERY },
		{ 'q', "quiet", NONE, K_QUIET },
		{ 'N', "node|uname", REQUIRED, K_NODE },
		{ 'U', NULL, REQUIRED, K_NODE },
		{ 'l', "lifetime", REQUIRED, K_LIFETIME },
		{ 't', "type|section", REQUIRED, K_TYPE },
		{ 'p', "promotion", OPTIONAL, K_PROMOTION },
		{ 'd', "default", REQUIRED, K_DEFAULT },
		{ 'z', "utilization", NONE, K_UTIL },
		{ 'i', "id|attr-id", REQUIRED, K_IGNORED },
		{ 's', "set-name", REQUIRED, K_IGNORED },
		{ 'V', "verbose", NONE, K_VERBOSE },
		{ 'h', "help|help-all", NONE, K_HELP },
		{ '?', NULL, NONE, K_HELP },
		{ '$', "version", NONE, K_VERSION },
		{ 0, NULL, NONE, 0 },
	};
	struct attr_req r = { .op = ATTR_QUERY, .kind = NODEATTR_PERMANENT };
	bool node_attr;

	*ret_err = NULL;
	memset(&ca, 0, sizeof(ca));
	if (walk(opts, argc, argv, ca_opt, &r, ret_err) < 0)
		goto fail;
	if (r.help || r.version)
		goto done;
	if (ca.promotion) {
		const char *rsc = ca.promotion_rsc ? ca.promotion_rsc : instance;

		if (rsc == NULL || rsc[0] == '\0') {
			*ret_err = ham_strdup("--promotion needs a resource: none given and "
					      "OCF_RESOURCE_INSTANCE is not set");
			goto fail;
		}
		if (r.name) {
			*ret_err = ham_strdup("--promotion names the attribute: not also --name");
			goto fail;
		}
		r.name = attr_promotion_name(rsc);
		if (ca.lifetime == NULL && ca.type == NULL)
			ca.lifetime = "reboot";
	}
	if (ca.type == NULL || ham_streq(ca.type, "nodes") || ham_streq(ca.type, "forever")) {
		node_attr = ca.type != NULL || r.node != NULL || ca.lifetime != NULL;
		r.kind = ham_streq(ca.lifetime, "reboot") ? NODEATTR_TRANSIENT : NODEATTR_PERMANENT;
		if (!node_attr)
			r.section = "crm_config";
	} else if (ham_streq(ca.type, "status") || ham_streq(ca.type, "reboot")) {
		if (ham_streq(ca.lifetime, "forever")) {
			*ret_err = ham_strdup("--type status is the reboot lifetime, not forever");
			goto fail;
		}
		r.kind = NODEATTR_TRANSIENT;
	} else if (ham_streq(ca.type, "utilization")) {
		if (ham_streq(ca.lifetime, "reboot")) {
			*ret_err = ham_strdup("node utilization has lifetime forever, not reboot");
			goto fail;
		}
		r.kind = NODEATTR_UTILIZATION;
	} else if (ham_streq(ca.type, "crm_config") || ham_streq(ca.type, "rsc_defaults") ||
		   ham_streq(ca.type, "op_defaults")) {
		if (r.node || ca.lifetime || ca.promotion) {
			*ret_err = ham_asprintf("--type %s is not a node attribute: no --node, "
						"--lifetime or --promotion", ca.type);
			goto fail;
		}
		r.section = ham_streq(ca.type, "crm_config") ? "crm_config" :
			    ham_streq(ca.type, "rsc_defaults") ? "rsc_defaults" : "op_defaults";
	} else {
		*ret_err = ham_asprintf("invalid --type '%s': expected nodes, status, crm_config, "
					"rsc_defaults or op_defaults", ca.type);
		goto fail;
	}
	if (r.name == NULL || r.name[0] == '\0') {
		*ret_err = ham_strdup("an attribute name is needed (--name or --promotion)");
		goto fail;
	}
	if (r.node && r.node[0] == '\0') {
		*ret_err = ham_strdup("an empty --node");
		goto fail;
	}
done:
	free(ca.promotion_rsc);
	*ret = r;
	return 0;
fail:
	free(ca.promotion_rsc);
	attr_req_clear(&r);
	return -1;
}

/* ---- attrd_updater --------------------------------------------------------- */

static struct { bool op_seen; } au;

static int au_opt(int key, const char *val, struct attr_req *r, char **ret_err)
{
	switch (key) {
	case K_NAME: replace(&r->name, val); break;
	case K_UPDATE:
	case K_BOTH:
		if (set_op(r, ATTR_UPDATE, &au.op_seen, ret_err) < 0)
			return -1;
		replace(&r->value, val);
		break;
	case K_DELETE: return set_op(r, ATTR_DELETE, &au.op_seen, ret_err);
	case K_QUERY: return set_op(r, ATTR_QUERY, &au.op_seen, ret_err);
	case K_REFRESH:
	case K_NOOP_DELAY: return set_op(r, ATTR_NOOP, &au.op_seen, ret_err);
	case K_NODE: replace(&r->node, val); break;
	case K_ALL: r->all = true; break;
	case K_QUIET: r->quiet = true; break;
	case K_VERBOSE: r->verbose++; break;
	case K_HELP: r->help = true; break;
	case K_VERSION: r->version = true; break;
	default: break; /* -d, -s, -S, -l, -p: accepted */
	}
	return 0;
}

int attrd_updater_args(int argc, char **argv, struct attr_req *ret, char **ret_err)
{
	static const struct opt opts[] = {
		{ 'n', "name", REQUIRED, K_NAME },
		{ 'U', "update", REQUIRED, K_UPDATE },
		{ 'v', NULL, REQUIRED, K_UPDATE },
		{ 'B', "update-both", REQUIRED, K_BOTH },
		{ 'Y', "update-delay", NONE, K_NOOP_DELAY },
		{ 'Q', "query", NONE, K_QUERY },
		{ 'D', "delete", NONE, K_DELETE },
		{ 'R', "refresh", NONE, K_REFRESH },
		{ 'd', "delay", REQUIRED, K_DELAY },
		{ 's', "set", REQUIRED, K_IGNORED },
		{ 'S', "section", REQUIRED, K_IGNORED },
		{ 'N', "node", REQUIRED, K_NODE },
		{ 'A', "all", NONE, K_ALL },
		{ 'l', "lifetime", REQUIRED, K_IGNORED },
		{ 'p', "private", NONE, K_PRIVATE },
		{ 'q', "quiet", NONE, K_QUIET },
		{ 'V', "verbose", NONE, K_VERBOSE },
		{ 'h', "help|help-all", NONE, K_HELP },
		{ '?', NULL, NONE, K_HELP },
		{ '$', "version", NONE, K_VERSION },
		{ 0, NULL, NONE, 0 },
	};
	struct attr_req r = { .op = ATTR_QUERY, .kind = NODEATTR_TRANSIENT };

	*ret_err = NULL;
	memset(&au, 0, sizeof(au));
	if (walk(opts, argc, argv, au_opt, &r, ret_err) < 0)
		goto fail;
	if (r.help || r.version)
		goto done;
	if (!au.op_seen) {
		*ret_err = ham_strdup("a command is needed: -U VALUE, -Q, -D, -R or -Y");
		goto fail;
	}
	if (r.op != ATTR_NOOP && (r.name == NULL || r.name[0] == '\0')) {
		*ret_err = ham_strdup("an attribute name is needed (-n NAME)");
		goto fail;
	}
	if (r.all && r.op != ATTR_QUERY) {
		*ret_err = ham_strdup("-A (all nodes) goes with -Q only");
		goto fail;
	}
	if (r.node && r.node[0] == '\0') {
		*ret_err = ham_strdup("an empty -N");
		goto fail;
	}
done:
	*ret = r;
	return 0;
fail:
	attr_req_clear(&r);
	return -1;
}

void attr_req_clear(struct attr_req *r)
{
	free(r->node);
	free(r->name);
	free(r->value);
	free(r->dflt);
	memset(r, 0, sizeof(*r));
}
