/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Persistence of the CIB: atomic replacement (temporary file in the same
 * directory, fsync, rename, fsync of the directory), a CRC-32C checksum line
 * at the top of the file, and the previous versions kept as PATH.1..PATH.N
 * (for a CIB: previous configurations only, not status updates).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cib_private.h"

#define MAX_STORED_FILE (512u * 1024 * 1024)
#define HEADER_FMT "<!-- hamgr-crc32c:%08" PRIx32 " length:%zu -->\n"


static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = ham_strdup(path);
	int fd, r = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int read_file(const char *path, char **ret_buf, size_t *ret_len);
static int verify(const char *buf, size_t len, size_t *ret_off, char *why, size_t whylen);

/* Writes buf atomically; with rotate, the file in place is kept as PATH.1 first. */
static int save(const char *path, const char *buf, size_t len, unsigned keep, bool rotate)
{
	char header[96];
	char *tmp, *from = NULL, *to = NULL;
	int fd, r;
	unsigned i;

	if (path == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	if (keep == 0)
		keep = HAM_CIB_STORE_KEEP;
	snprintf(header, sizeof(header), HEADER_FMT, ham_crc32c(buf, len), len);

	tmp = ham_asprintf("%s.tmp.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	r = write_all(fd, header, strlen(header));
	if (r == 0)
		r = write_all(fd, buf, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		goto fail;

	/* Shift PATH.1..PATH.(keep-1) up by one; PATH.keep is overwritten. */
	if (rotate && access(path, F_OK) == 0) {
		for (i = keep - 1; i >= 1; i--) {
			from = ham_asprintf("%s.%u", path, i);
			to = ham_asprintf("%s.%u", path, i + 1);
			if (rename(from, to) < 0 && errno != ENOENT) {
				r = -errno;
				goto fail;
			}
			from = ham_free(from);
			to = ham_free(to);
		}
		to = ham_asprintf("%s.1", path);
		unlink(to);
		if (link(path, to) < 0) {
			r = -errno;
			goto fail;
		}
		to = ham_free(to);
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail;
	}
	free(tmp);
	return fsync_dir_of(path);
fail:
	unlink(tmp);
	free(tmp);
	free(from);
	free(to);
	return r;
}

int ham_cib_store_save(const char *path, const char *buf, size_t len, unsigned keep)
{
	return save(path, buf, len, keep, true);
}

/* The root element of a CIB text, parsed safely (no DTD, no network). */
static xmlDoc *parse_cib(const char *buf, size_t len)
{
	xmlDoc *doc;

	if (buf == NULL || len == 0 || len > INT32_MAX)
		return NULL;
	doc = xmlReadMemory(buf, (int)len, "cib.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	if (doc != NULL && (xmlDocGetRootElement(doc) == NULL || doc->intSubset != NULL)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

static xmlNode *configuration_of(xmlNode *root)
{
	xmlNode *c;

	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, BAD_CAST "configuration") == 0)
			return c;
	return NULL;
}

static bool same_prop(xmlNode *a, xmlNode *b, const char *name)
{
	xmlChar *x = xmlGetProp(a, BAD_CAST name), *y = xmlGetProp(b, BAD_CAST name);
	bool same = (x == NULL && y == NULL) ||
		    (x != NULL && y != NULL && xmlStrcmp(x, y) == 0);

	xmlFree(x);
	xmlFree(y);
	return same;
}

/* The serialization of a node (NULL: absent) into b, emptied first. */
static void dump_into(xmlBuffer *b, xmlNode *n)
{
	xmlBufferEmpty(b);
	if (n != NULL)
		xmlNodeDump(b, n->doc, n, 0, 0);
}

bool ham_cib_store_config_differs(const char *a, size_t alen, const char *b, size_t blen)
{
	xmlDoc *x = parse_cib(a, alen), *y = parse_cib(b, blen);
	xmlBuffer *bx, *by;
	xmlNode *rx, *ry;
	bool differs = true;

	if (x == NULL || y == NULL)
		goto out;
	rx = xmlDocGetRootElement(x);
	ry = xmlDocGetRootElement(y);
	if (!same_prop(rx, ry, "admin_epoch") || !same_prop(rx, ry, "epoch"))
		goto out;
	bx = xmlBufferCreate();
	by = xmlBufferCreate();
	if (bx == NULL || by == NULL)
		abort();
	dump_into(bx, configuration_of(rx));
	dump_into(by, configuration_of(ry));
	differs = xmlBufferLength(bx) != xmlBufferLength(by) ||
		  memcmp(xmlBufferContent(bx), xmlBufferContent(by), (size_t)xmlBufferLength(bx)) != 0;
	xmlBufferFree(bx);
	xmlBufferFree(by);
out:
	xmlFreeDoc(x);
	xmlFreeDoc(y);
	return differs;
}

int ham_cib_store_save_cib(const char *path, const char *buf, size_t len, unsigned keep,
			   bool *ret_rotated)
{
	char *cur = NULL, why[128];
	size_t clen = 0, off = 0;
	bool rotate = false;
	int r;

	if (path == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	/*
	 * The file in place becomes a backup only when it is a good copy of
	 * another configuration: a status update replaces it without rotating
	 * (the backups are the last configurations, not the last updates), and
	 * a corrupted file is never rotated into the backups.
	 */
	if (read_file(path, &cur, &clen) == 0 && verify(cur, clen, &off, why, sizeof(why)) == 0)
		rotate = ham_cib_store_config_differs(cur + off, clen - off, buf, len);
	free(cur);
	r = save(path, buf, len, keep, rotate);
	if (r == 0 && ret_rotated != NULL)
		*ret_rotated = rotate;
	return r;
}

/* Checks a stored file; on success returns the content after the header. */
static int verify(const char *buf, size_t len, size_t *ret_off, char *why, size_t whylen)
{
	const char *nl = memchr(buf, '\n', len < 128 ? len : 128);
	unsigned int crc = 0;
	size_t n = 0, off;
	int used = 0;
	uint32_t actual;

	if (nl == NULL || sscanf(buf, "<!-- hamgr-crc32c:%8x length:%zu -->%n", &crc, &n, &used) != 2 ||
	    buf + used != nl) {
		snprintf(why, whylen, "no checksum line");
		return -HAM_E_CHECKSUM;
	}
	off = (size_t)(nl - buf) + 1;
	if (len - off != n) {
		snprintf(why, whylen, "length %zu, expected %zu (truncated?)", len - off, n);
		return -HAM_E_CHECKSUM;
	}
	actual = ham_crc32c(buf + off, n);
	if (actual != crc) {
		snprintf(why, whylen, "checksum %08" PRIx32 ", expected %08x", actual, crc);
		return -HAM_E_CHECKSUM;
	}
	*ret_off = off;
	return 0;
}

static int read_file(const char *path, char **ret_buf, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = cib_read_fd(fd, MAX_STORED_FILE, ret_buf, ret_len);
	close(fd);
	return r;
}

int ham_cib_store_load(const char *path, char **ret_buf, size_t *ret_len,
		       ham_cib_diags *diags)
{
	char why[128], why2[128];
	char *buf = NULL, *good = NULL;
	size_t len = 0, off = 0;
	unsigned i;
	int r;

	r = read_file(path, &buf, &len);
	if (r < 0) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL, "cannot read %s: %s", path,
				  ham_strerror(r));
		return r;
	}
	r = verify(buf, len, &off, why, sizeof(why));
	if (r == 0) {
		char *out = ham_malloc(len - off + 1);

		memcpy(out, buf + off, len - off);
		out[len - off] = '\0';
		*ret_buf = out;
		if (ret_len != NULL)
			*ret_len = len - off;
		free(buf);
		return 0;
	}
	free(buf);
	/* Name the newest previous version that passes its check. */
	for (i = 1; i <= 100 && good == NULL; i++) {
		char *b = ham_asprintf("%s.%u", path, i);
		char *content;
		size_t clen, coff;

		if (read_file(b, &content, &clen) < 0) {
			free(b);
			if (i > HAM_CIB_STORE_KEEP)
				break;
			continue;
		}
		if (verify(content, clen, &coff, why2, sizeof(why2)) == 0)
			good = b;
		else
			free(b);
		free(content);
	}
	if (good != NULL)
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "%s is corrupted (%s); refusing to load it. The newest good "
				  "previous version is %s",
				  path, why, good);
	else
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "%s is corrupted (%s); refusing to load it. No good previous "
				  "version was found",
				  path, why);
	free(good);
	return -HAM_E_CHECKSUM;
}
