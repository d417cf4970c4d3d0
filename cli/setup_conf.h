/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/setup_conf.h: what `hactl cluster setup` writes, without the file
 * system or the resolver: the checks of its arguments and the text of
 * corosync.conf (knet, crypto on, votequorum; corosync.conf(5)).
 */
#ifndef HACTL_SETUP_CONF_H
#define HACTL_SETUP_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define SETUP_NAME_MAX 63
#define SETUP_TOKEN_MIN_MS 100
#define SETUP_TOKEN_MAX_MS 600000
/* corosync-keygen(8): 256 bytes by default, 128 to 4096 allowed. */
#define SETUP_AUTHKEY_BYTES 256

struct setup_node {
	char *name;
	char *addr; /* NULL until given (NODE=ADDR) or resolved */
};

struct setup_spec {
	char *cluster_name;
	struct setup_node *nodes;
	size_t n_nodes;
	unsigned token_ms; /* 0: corosync's default */
};

/* Whether s is a usable cluster or node name: 1..SETUP_NAME_MAX of [A-Za-z0-9._-],
 * not starting with '-' or '.'. */
bool setup_name_ok(const char *s);

/*
 * Adds "NODE" or "NODE=ADDR" to spec. On a bad argument returns -EINVAL and
 * sets *ret_err to a new message naming it (free it).
 */
int setup_add_node(struct setup_spec *spec, const char *arg, char **ret_err);

/* Parses a token timeout in ms; -EINVAL (message in *ret_err) when bad. */
int setup_parse_token(const char *s, unsigned *ret_ms, char **ret_err);

/*
 * Checks the whole spec once every node has an address: at least one node,
 * unique names and addresses, one address family. -EINVAL with a message.
 */
int setup_check(const struct setup_spec *spec, char **ret_err);

/* The text of corosync.conf for spec (checked). Returns a new string. */
char *setup_render_conf(const struct setup_spec *spec);

void setup_spec_clear(struct setup_spec *spec);

#endif
