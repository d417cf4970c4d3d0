/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/attr_args.h: the command lines of hamgr's crm_attribute and
 * attrd_updater (the interface resource agents call, as Pacemaker's tools
 * take it), parsed into one request.
 */
#ifndef HAM_ATTR_ARGS_H
#define HAM_ATTR_ARGS_H

#include <stdbool.h>

#include "nodeattr.h"

enum attr_op {
	ATTR_QUERY,
	ATTR_UPDATE,
	ATTR_DELETE,
	ATTR_NOOP,    /* accepted, nothing to do (attrd_updater -R, -Y) */
};

struct attr_req {
	enum attr_op op;
	/* NULL: a node attribute of kind `kind`; else a configuration section
	 * (crm_config, rsc_defaults, op_defaults) */
	const char *section;
	enum nodeattr_kind kind;
	char *node;   /* NULL: the local node (node attributes only) */
	char *name;   /* NULL: only for crm_attribute -G of all (not supported: an error) */
	char *value;  /* ATTR_UPDATE */
	char *dflt;   /* crm_attribute -d: printed by a query that finds nothing */
	bool quiet;   /* crm_attribute -q: the value alone */
	bool all;     /* attrd_updater -A: the value on every node */
	bool help, version;
	int verbose;
};

/*
 * Parses crm_attribute's arguments (argv[0] is the program). instance is
 * $OCF_RESOURCE_INSTANCE (may be NULL), the default resource of -p. Returns
 * 0 and fills *ret (release with attr_req_clear()), or -1 with *ret_err
 * (malloc'd) saying what is wrong.
 */
int crm_attribute_args(int argc, char **argv, const char *instance, struct attr_req *ret,
		       char **ret_err);
/* The same for attrd_updater (transient attributes only). */
int attrd_updater_args(int argc, char **argv, struct attr_req *ret, char **ret_err);
void attr_req_clear(struct attr_req *r);

/* master-RSC for the resource (or clone instance "RSC:N") rsc, malloc'd. */
char *attr_promotion_name(const char *rsc);

#endif
