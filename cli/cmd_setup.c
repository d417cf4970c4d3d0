/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_setup.c: `hactl cluster setup NAME NODE[=ADDR]...` writes the
 * corosync.conf and the authkey of a new cluster (the same two files go to
 * /etc/corosync on every node) and says where to copy them;
 * `hactl cluster start` starts this node's corosync and hamgrd through
 * systemd (hamgr.service requires corosync.service).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hamgr/common.h>
#include "cmd_setup.h"
#include "setup_conf.h"

#define CONF_NAME "corosync.conf"
#define KEY_NAME "authkey"

static void setup_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl cluster setup NAME NODE[=ADDR]... [--token MS] [--output-dir DIR]\n"
		"                           [--force]\n"
		"\n"
		"Writes DIR/corosync.conf (knet transport, encrypted and authenticated with\n"
		"aes256/sha256, votequorum, two_node when there are two nodes) and a fresh\n"
		"DIR/authkey (256 random bytes, mode 0400) for cluster NAME, then prints\n"
		"what to copy where: both files go to /etc/corosync on every node.\n"
		"\n"
		"  NODE[=ADDR]       a node's name (as `uname -n` says it on that node) and\n"
		"                    its ring address; without ADDR the name is resolved here\n"
		"  --token MS        corosync's token timeout (default: corosync's own)\n"
		"  --output-dir DIR  where to write (default: the current directory)\n"
		"  --force           overwrite existing files\n");
}

/* Resolves node->name to one address; a loopback answer is refused (Debian's
 * /etc/hosts maps a machine's own name to 127.0.1.1). */
static int resolve(struct hactl_ctx *ctx, struct setup_node *node)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL;
	char host[INET6_ADDRSTRLEN] = "";
	int r;

	r = getaddrinfo(node->name, NULL, &hints, &res);
	if (r != 0) {
		hactl_err(ctx, "cannot resolve node %s: %s (give its address: %s=ADDR)", node->name,
			  gai_strerror(r), node->name);
		return HAM_EXIT_USAGE;
	}
	r = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	if (r == 0 && ((res->ai_family == AF_INET &&
			(ntohl(((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr) >> 24) == 127) ||
		       (res->ai_family == AF_INET6 &&
			IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)res->ai_addr)->sin6_addr)))) {
		hactl_err(ctx, "node %s resolves to the loopback address %s here (give its "
			  "address: %s=ADDR)", node->name, host, node->name);
		freeaddrinfo(res);
		return HAM_EXIT_USAGE;
	}
	freeaddrinfo(res);
	if (r != 0) {
		hactl_err(ctx, "cannot resolve node %s: %s", node->name, gai_strerror(r));
		return HAM_EXIT_USAGE;
	}
	node->addr = ham_strdup(host);
	return HAM_EXIT_OK;
}

/* Writes data to dir/name through a temporary file renamed into place, with mode. */
static int write_file(const char *dir, const char *name, const void *data, size_t len,
		      mode_t mode, char **ret_err)
{
	char *path = ham_asprintf("%s/%s", dir, name);
	char *tmp = ham_asprintf("%s/.%s.XXXXXX", dir, name);
	const char *p = data;
	int fd = mkstemp(tmp), r = 0;

	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	if (fchmod(fd, mode) < 0) {
		r = -errno;
		goto fail_unlink;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -errno;
			goto fail_unlink;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		r = -errno;
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail_unlink;
	}
	free(tmp);
	free(path);
	return 0;
fail_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
fail:
	*ret_err = ham_asprintf("cannot write %s: %s", path, strerror(-r));
	free(tmp);
	free(path);
	return r;
}

static int fresh_key(unsigned char *key, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = getrandom(key + got, len - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	return 0;
}

static void print_next_steps(const struct setup_spec *spec, const char *dir)
{
	size_t i;

	printf("Wrote %s/%s and %s/%s (cluster %s, %zu node%s).\n", dir, CONF_NAME, dir, KEY_NAME,
	       spec->cluster_name, spec->n_nodes, spec->n_nodes == 1 ? "" : "s");
	printf("Copy both to /etc/corosync on every node, keeping the key secret:\n");
	for (i = 0; i < spec->n_nodes; i++)
		printf("  %s (%s, nodeid %zu)\n", spec->nodes[i].name, spec->nodes[i].addr, i + 1);
	printf("On each node, as root, from a copy of the two files:\n"
	       "  install -D -m 0644 %s /etc/corosync/%s\n"
	       "  install -D -m 0400 %s /etc/corosync/%s\n"
	       "then start it (corosync and hamgrd): hactl cluster start\n",
	       CONF_NAME, CONF_NAME, KEY_NAME, KEY_NAME);
}

int hactl_cluster_setup(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct setup_spec spec = { 0 };
	unsigned char key[SETUP_AUTHKEY_BYTES];
	const char *dir = ".";
	char *err = NULL, *conf = NULL, *path;
	bool force = false;
	int i, rc = HAM_EXIT_OK;
	struct stat st;

	for (i = 1; i < argc; i++)
		if (ham_streq(argv[i], "-h") || ham_streq(argv[i], "--help")) {
			setup_usage(stdout);
			return HAM_EXIT_OK;
		}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (ham_streq(a, "--force")) {
			force = true;
		} else if (ham_streq(a, "--token") || ham_streq(a, "--output-dir")) {
			if (i + 1 >= argc) {
				rc = hactl_usage_error(ctx, "%s needs a value", a);
				goto out;
			}
			if (ham_streq(a, "--output-dir"))
				dir = argv[++i];
			else if (setup_parse_token(argv[++i], &spec.token_ms, &err) < 0)
				goto usage;
		} else if (a[0] == '-') {
			rc = hactl_usage_error(ctx, "unknown option '%s'", a);
			goto out;
		} else if (spec.cluster_name == NULL) {
			spec.cluster_name = ham_strdup(a);
		} else if (setup_add_node(&spec, a, &err) < 0) {
			goto usage;
		}
	}
	if (spec.cluster_name == NULL) {
		rc = hactl_usage_error(ctx, "needs a cluster NAME and its NODEs");
		goto out;
	}
	if (!setup_name_ok(spec.cluster_name) || spec.n_nodes == 0) {
		setup_check(&spec, &err);
		goto usage;
	}
	for (size_t n = 0; n < spec.n_nodes; n++)
		if (spec.nodes[n].addr == NULL && (rc = resolve(ctx, &spec.nodes[n])) != HAM_EXIT_OK)
			goto out;
	if (setup_check(&spec, &err) < 0)
		goto usage;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		hactl_err(ctx, "cannot create %s: %s", dir, strerror(errno));
		rc = HAM_EXIT_ERROR;
		goto out;
	}
	if (!force) {
		const char *names[] = { CONF_NAME, KEY_NAME };

		for (size_t k = 0; k < 2; k++) {
			path = ham_asprintf("%s/%s", dir, names[k]);
			if (lstat(path, &st) == 0) {
				hactl_err(ctx, "%s exists (--force overwrites it)", path);
				free(path);
				rc = HAM_EXIT_ERROR;
				goto out;
			}
			free(path);
		}
	}
	if (fresh_key(key, sizeof(key)) < 0) {
		hactl_err(ctx, "cannot get random bytes for the key: %s", strerror(errno));
		rc = HAM_EXIT_ERROR;
		goto out;
	}
	conf = setup_render_conf(&spec);
	if (write_file(dir, KEY_NAME, key, sizeof(key), 0400, &err) < 0 ||
	    write_file(dir, CONF_NAME, conf, strlen(conf), 0644, &err) < 0) {
		hactl_err(ctx, "%s", err);
		rc = HAM_EXIT_ERROR;
		goto out;
	}
	print_next_steps(&spec, dir);
	goto out;
usage:
	rc = hactl_usage_error(ctx, "%s", err);
out:
	explicit_bzero(key, sizeof(key));
	free(conf);
	free(err);
	setup_spec_clear(&spec);
	return rc;
}

static void start_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl cluster start\n"
		"\n"
		"Starts this node's corosync and hamgrd: systemctl start hamgr.service\n"
		"(which requires corosync.service). Run it on every node; the nodes form\n"
		"the cluster once a majority has started. /etc/corosync/corosync.conf and\n"
		"/etc/corosync/authkey must be in place (hactl cluster setup).\n");
}

int hactl_cluster_start(struct hactl_ctx *ctx, int argc, char **argv)
{
	static const char *const need[] = { "/etc/corosync/corosync.conf", "/etc/corosync/authkey" };
	const char *systemctl = "systemctl";
	int status;
	pid_t pid;
	size_t k;

	for (int i = 1; i < argc; i++) {
		if (ham_streq(argv[i], "-h") || ham_streq(argv[i], "--help")) {
			start_usage(stdout);
			return HAM_EXIT_OK;
		}
		if (ham_streq(argv[i], "--all"))
			return hactl_usage_error(ctx, "'cluster start' starts this node only: run it on "
						 "each node (a stopped node's daemon cannot be asked)");
		return hactl_usage_error(ctx, "'cluster start' takes no argument ('%s')", argv[i]);
	}
	for (k = 0; k < sizeof(need) / sizeof(need[0]); k++)
		if (access(need[k], F_OK) < 0) {
			hactl_err(ctx, "%s is missing (hactl cluster setup writes it)", need[k]);
			return HAM_EXIT_ERROR;
		}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		hactl_err(ctx, "cannot fork: %s", strerror(errno));
		return HAM_EXIT_ERROR;
	}
	if (pid == 0) {
		execlp(systemctl, systemctl, "start", "corosync.service", "hamgr.service", (char *)NULL);
		fprintf(stderr, "%s %s: cannot run %s: %s\n", ctx->prog, ctx->command, systemctl,
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			hactl_err(ctx, "waiting for %s: %s", systemctl, strerror(errno));
			return HAM_EXIT_ERROR;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hactl_err(ctx, "'%s start corosync.service hamgr.service' failed (see "
			  "journalctl -u corosync -u hamgr)", systemctl);
		return HAM_EXIT_ERROR;
	}
	printf("Started corosync and hamgrd on this node.\n");
	return HAM_EXIT_OK;
}
