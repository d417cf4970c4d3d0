/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/setup_conf.c: the arguments of `hactl cluster setup` and the
 * corosync.conf it writes. Facts from corosync.conf(5) and votequorum(5):
 * knet transport; crypto_cipher/crypto_hash switch encryption and
 * authentication on, with the key in /etc/corosync/authkey (the default
 * keyfile); two_node: 1 lets a two-node cluster keep quorum with one node
 * (it implies wait_for_all).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "setup_conf.h"

bool setup_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > SETUP_NAME_MAX || s[0] == '-' || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int addr_family(const char *addr)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, addr, buf) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, addr, buf) == 1)
		return AF_INET6;
	return -1;
}

int setup_add_node(struct setup_spec *spec, const char *arg, char **ret_err)
{
	const char *eq = strchr(arg, '=');
	char *name = eq ? ham_strndup(arg, (size_t)(eq - arg)) : ham_strdup(arg);
	const char *addr = eq ? eq + 1 : NULL;

	if (!setup_name_ok(name)) {
		*ret_err = ham_asprintf("bad node name '%s' in '%s': 1 to %d letters, digits, '.', "
					"'_' or '-'", name, arg, SETUP_NAME_MAX);
		free(name);
		return -EINVAL;
	}
	if (addr != NULL && addr_family(addr) < 0) {
		*ret_err = ham_asprintf("bad address '%s' for node %s: an IPv4 or IPv6 address",
					addr, name);
		free(name);
		return -EINVAL;
	}
	spec->nodes = ham_realloc(spec->nodes, (spec->n_nodes + 1) * sizeof(*spec->nodes));
	spec->nodes[spec->n_nodes].name = name;
	spec->nodes[spec->n_nodes].addr = ham_strdup(addr);
	spec->n_nodes++;
	return 0;
}

int setup_parse_token(const char *s, unsigned *ret_ms, char **ret_err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < SETUP_TOKEN_MIN_MS ||
	    v > SETUP_TOKEN_MAX_MS) {
		*ret_err = ham_asprintf("bad --token '%s': milliseconds from %d to %d", s,
					SETUP_TOKEN_MIN_MS, SETUP_TOKEN_MAX_MS);
		return -EINVAL;
	}
	*ret_ms = (unsigned)v;
	return 0;
}

int setup_check(const struct setup_spec *spec, char **ret_err)
{
	size_t i, j;
	int fam = 0;

	if (!setup_name_ok(spec->cluster_name)) {
		*ret_err = ham_asprintf("bad cluster name '%s': 1 to %d letters, digits, '.', '_' "
					"or '-'", spec->cluster_name, SETUP_NAME_MAX);
		return -EINVAL;
	}
	if (spec->n_nodes == 0) {
		*ret_err = ham_strdup("needs at least one NODE");
		return -EINVAL;
	}
	for (i = 0; i < spec->n_nodes; i++) {
		const struct setup_node *a = &spec->nodes[i];
		int f = a->addr ? addr_family(a->addr) : -1;

		if (f < 0) {
			*ret_err = ham_asprintf("node %s has no usable address", a->name);
			return -EINVAL;
		}
		if (fam != 0 && f != fam) {
			*ret_err = ham_asprintf("node %s's address %s is not of the same family as "
						"%s's (%s): knet needs one family per link", a->name,
						a->addr, spec->nodes[0].name, spec->nodes[0].addr);
			return -EINVAL;
		}
		fam = f;
		for (j = 0; j < i; j++) {
			const struct setup_node *b = &spec->nodes[j];

			if (ham_streq(a->name, b->name)) {
				*ret_err = ham_asprintf("node %s is named twice", a->name);
				return -EINVAL;
			}
			if (ham_streq(a->addr, b->addr)) {
				*ret_err = ham_asprintf("nodes %s and %s have the same address %s",
							b->name, a->name, a->addr);
				return -EINVAL;
			}
		}
	}
	return 0;
}

char *setup_render_conf(const struct setup_spec *spec)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i;

	ham_buf_add(&b, "# corosync.conf(5) of cluster ");
	ham_buf_add(&b, spec->cluster_name);
	ham_buf_add(&b, ", written by hactl cluster setup.\n"
			"# The same file goes to /etc/corosync/corosync.conf on every node,\n"
			"# with the same /etc/corosync/authkey (mode 0400, owner root).\n");
	ham_buf_add(&b, "totem {\n\tversion: 2\n");
	ham_buf_addf(&b, "\tcluster_name: %s\n", spec->cluster_name);
	ham_buf_add(&b, "\ttransport: knet\n");
	if (spec->token_ms)
		ham_buf_addf(&b, "\ttoken: %u\n", spec->token_ms);
	ham_buf_add(&b, "\tcrypto_cipher: aes256\n\tcrypto_hash: sha256\n"
			"\tkeyfile: /etc/corosync/authkey\n}\n\n");
	ham_buf_add(&b, "nodelist {\n");
	for (i = 0; i < spec->n_nodes; i++)
		ham_buf_addf(&b, "\tnode {\n\t\tring0_addr: %s\n\t\tname: %s\n\t\tnodeid: %zu\n\t}\n",
			     spec->nodes[i].addr, spec->nodes[i].name, i + 1);
	ham_buf_add(&b, "}\n\nquorum {\n\tprovider: corosync_votequorum\n");
	if (spec->n_nodes == 2)
		ham_buf_add(&b, "\ttwo_node: 1\n");
	ham_buf_add(&b, "}\n\nlogging {\n\tto_logfile: yes\n"
			"\tlogfile: /var/log/corosync/corosync.log\n\tto_syslog: yes\n"
			"\ttimestamp: on\n}\n");
	return ham_buf_steal(&b);
}

void setup_spec_clear(struct setup_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->n_nodes; i++) {
		free(spec->nodes[i].name);
		free(spec->nodes[i].addr);
	}
	free(spec->nodes);
	free(spec->cluster_name);
	memset(spec, 0, sizeof(*spec));
}
