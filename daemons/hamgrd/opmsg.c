/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/opmsg.c: action requests and operation results on the wire
 * (see opmsg.h): "key=value\0" entries, every value checked on receipt.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "cibdoc.h"
#include "opmsg.h"

#define MAX_PARAMS 256

void hop_action_clear(struct hop_action *a)
{
	size_t i;

	free(a->rsc);
	free(a->cls);
	free(a->provider);
	free(a->type);
	free(a->op);
	free(a->fence_target);
	free(a->dc_uuid);
	for (i = 0; i < a->n_params; i++) {
		free(a->params[i].name);
		free(a->params[i].value);
	}
	free(a->params);
	memset(a, 0, sizeof(*a));
}

void hop_result_clear(struct hop_result *r)
{
	free(r->node);
	free(r->rsc);
	free(r->cls);
	free(r->provider);
	free(r->type);
	free(r->op);
	free(r->exit_reason);
	free(r->fence_target);
	free(r->dc_uuid);
	memset(r, 0, sizeof(*r));
}

void hop_action_copy(struct hop_action *dst, const struct hop_action *src)
{
	size_t i;

	*dst = *src;
	dst->rsc = ham_strdup(src->rsc);
	dst->cls = ham_strdup(src->cls);
	dst->provider = ham_strdup(src->provider);
	dst->type = ham_strdup(src->type);
	dst->op = ham_strdup(src->op);
	dst->fence_target = ham_strdup(src->fence_target);
	dst->dc_uuid = ham_strdup(src->dc_uuid);
	dst->params = ham_newa0(struct hop_param, src->n_params ? src->n_params : 1);
	for (i = 0; i < src->n_params; i++) {
		dst->params[i].name = ham_strdup(src->params[i].name);
		dst->params[i].value = ham_strdup(src->params[i].value);
	}
}

void hop_result_copy(struct hop_result *dst, const struct hop_result *src)
{
	*dst = *src;
	dst->node = ham_strdup(src->node);
	dst->rsc = ham_strdup(src->rsc);
	dst->cls = ham_strdup(src->cls);
	dst->provider = ham_strdup(src->provider);
	dst->type = ham_strdup(src->type);
	dst->op = ham_strdup(src->op);
	dst->exit_reason = ham_strdup(src->exit_reason);
	dst->fence_target = ham_strdup(src->fence_target);
	dst->dc_uuid = ham_strdup(src->dc_uuid);
}

/* ---- encoding -------------------------------------------------------- */

static void put_str(ham_buf *b, const char *key, const char *v)
{
	if (v == NULL)
		return;
	ham_buf_add(b, key);
	ham_buf_addc(b, '=');
	ham_buf_add(b, v);
	ham_buf_addc(b, '\0');
}

static void put_u64(ham_buf *b, const char *key, uint64_t v)
{
	ham_buf_addf(b, "%s=%" PRIu64, key, v);
	ham_buf_addc(b, '\0');
}

static void put_i64(ham_buf *b, const char *key, int64_t v)
{
	ham_buf_addf(b, "%s=%" PRId64, key, v);
	ham_buf_addc(b, '\0');
}

static void finish(ham_buf *b, char **ret_buf, size_t *ret_len)
{
	*ret_len = b->len;
	*ret_buf = ham_buf_steal(b);
}

void hop_action_encode(const struct hop_action *a, char **ret_buf, size_t *ret_len)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i;

	put_u64(&b, "action-id", a->action_id);
	put_u64(&b, "transition-id", a->transition_id);
	put_u64(&b, "target", a->target);
	put_str(&b, "rsc", a->rsc);
	put_str(&b, "class", a->cls);
	put_str(&b, "provider", a->provider);
	put_str(&b, "type", a->type);
	put_str(&b, "op", a->op);
	put_u64(&b, "interval-ms", a->interval_ms);
	put_u64(&b, "timeout-ms", a->timeout_ms);
	put_i64(&b, "expected-rc", a->expected_rc);
	put_str(&b, "fence-target", a->fence_target);
	put_str(&b, "dc-uuid", a->dc_uuid);
	for (i = 0; i < a->n_params; i++) {
		ham_buf_addf(&b, "param:%s=%s", a->params[i].name, a->params[i].value);
		ham_buf_addc(&b, '\0');
	}
	finish(&b, ret_buf, ret_len);
}

void hop_result_encode(const struct hop_result *r, char **ret_buf, size_t *ret_len)
{
	ham_buf b = HAM_BUF_INIT;

	put_u64(&b, "nodeid", r->nodeid);
	put_str(&b, "node", r->node);
	put_str(&b, "rsc", r->rsc);
	put_str(&b, "class", r->cls);
	put_str(&b, "provider", r->provider);
	put_str(&b, "type", r->type);
	put_str(&b, "op", r->op);
	put_u64(&b, "interval-ms", r->interval_ms);
	put_i64(&b, "call-id", r->call_id);
	put_i64(&b, "rc", r->rc);
	put_i64(&b, "op-status", r->op_status);
	put_i64(&b, "expected-rc", r->expected_rc);
	put_u64(&b, "action-id", r->action_id);
	put_u64(&b, "transition-id", r->transition_id);
	put_i64(&b, "last-run", r->last_run_s);
	put_i64(&b, "last-rc-change", r->last_rc_change_s);
	put_u64(&b, "exec-ms", r->exec_ms);
	put_u64(&b, "queue-ms", r->queue_ms);
	put_str(&b, "exit-reason", r->exit_reason);
	put_str(&b, "fence-target", r->fence_target);
	put_str(&b, "dc-uuid", r->dc_uuid);
	if (r->action_limit)
		put_u64(&b, "action-limit", r->action_limit);
	finish(&b, ret_buf, ret_len);
}

/* ---- decoding -------------------------------------------------------- */

enum ftype { F_STR, F_U64, F_U32, F_I64, F_INT };

struct field {
	const char *key;
	enum ftype type;
	size_t off;
	bool required;
};

#define FA(k, t, m, req) { k, t, offsetof(struct hop_action, m), req }
static const struct field action_fields[] = {
	FA("action-id", F_U64, action_id, true),
	FA("transition-id", F_U64, transition_id, true),
	FA("target", F_U32, target, true),
	FA("rsc", F_STR, rsc, true),
	FA("class", F_STR, cls, true),
	FA("provider", F_STR, provider, false),
	FA("type", F_STR, type, true),
	FA("op", F_STR, op, true),
	FA("interval-ms", F_U64, interval_ms, true),
	FA("timeout-ms", F_U64, timeout_ms, true),
	FA("expected-rc", F_INT, expected_rc, true),
	FA("fence-target", F_STR, fence_target, false),
	FA("dc-uuid", F_STR, dc_uuid, false),
};

#define FR(k, t, m, req) { k, t, offsetof(struct hop_result, m), req }
static const struct field result_fields[] = {
	FR("nodeid", F_U32, nodeid, true),
	FR("node", F_STR, node, true),
	FR("rsc", F_STR, rsc, true),
	FR("class", F_STR, cls, true),
	FR("provider", F_STR, provider, false),
	FR("type", F_STR, type, true),
	FR("op", F_STR, op, true),
	FR("interval-ms", F_U64, interval_ms, true),
	FR("call-id", F_I64, call_id, true),
	FR("rc", F_INT, rc, true),
	FR("op-status", F_INT, op_status, true),
	FR("expected-rc", F_INT, expected_rc, true),
	FR("action-id", F_U64, action_id, false),
	FR("transition-id", F_U64, transition_id, false),
	FR("last-run", F_I64, last_run_s, false),
	FR("last-rc-change", F_I64, last_rc_change_s, false),
	FR("exec-ms", F_U64, exec_ms, false),
	FR("queue-ms", F_U64, queue_ms, false),
	FR("exit-reason", F_STR, exit_reason, false),
	FR("fence-target", F_STR, fence_target, false),
	FR("dc-uuid", F_STR, dc_uuid, false),
	FR("action-limit", F_U32, action_limit, false),
};

/* Names that end up in XML attributes and file names: printable, no '/'. */
static bool plain_name(const char *s)
{
	if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '/' || *s == 0x7f)
			return false;
	return true;
}

static int set_field(void *obj, const struct field *f, const char *v)
{
	char *p = (char *)obj + f->off;
	int64_t x;

	if (f->type == F_STR) {
		if (*(char **)p != NULL)
			return -EEXIST;
		*(char **)p = ham_strdup(v);
		return 0;
	}
	if (ham_parse_int64(v, &x) < 0)
		return -EINVAL;
	switch (f->type) {
	case F_U64:
		if (x < 0)
			return -EINVAL;
		*(uint64_t *)p = (uint64_t)x;
		break;
	case F_U32:
		if (x < 0 || x > UINT32_MAX)
			return -EINVAL;
		*(uint32_t *)p = (uint32_t)x;
		break;
	case F_I64:
		*(int64_t *)p = x;
		break;
	case F_INT:
		if (x < -1000000 || x > 1000000)
			return -EINVAL;
		*(int *)p = (int)x;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/*
 * Walks the entries; known keys go into obj through fields, "param:" ones
 * into *params when params is not NULL.
 */
static int decode(const char *buf, size_t len, void *obj, const struct field *fields,
		  size_t n_fields, struct hop_param **params, size_t *n_params,
		  const char **ret_why)
{
	uint64_t seen = 0;
	size_t pos = 0, i;

	if (len == 0 || buf[len - 1] != '\0') {
		*ret_why = "the payload does not end with a NUL byte";
		return -HAM_E_PROTOCOL;
	}
	if (!ham_utf8_valid(buf, len - 1)) {
		*ret_why = "the payload is not UTF-8";
		return -HAM_E_PROTOCOL;
	}
	while (pos < len) {
		const char *e = buf + pos, *eq = strchr(e, '=');
		size_t elen = strlen(e);
		char key[64];

		pos += elen + 1;
		if (eq == NULL || eq == e || (size_t)(eq - e) >= sizeof(key)) {
			*ret_why = "an entry is not key=value";
			return -HAM_E_PROTOCOL;
		}
		memcpy(key, e, (size_t)(eq - e));
		key[eq - e] = '\0';
		if (params && strncmp(key, "param:", 6) == 0) {
			if (*n_params >= MAX_PARAMS || !plain_name(key + 6)) {
				*ret_why = "too many parameters or a bad parameter name";
				return -HAM_E_PROTOCOL;
			}
			*params = ham_reallocarray(*params, *n_params + 1, sizeof(**params));
			(*params)[*n_params].name = ham_strdup(key + 6);
			(*params)[*n_params].value = ham_strdup(eq + 1);
			(*n_params)++;
			continue;
		}
		for (i = 0; i < n_fields; i++)
			if (strcmp(fields[i].key, key) == 0)
				break;
		if (i == n_fields)
			continue; /* a newer sender's field */
		if ((seen & (1ull << i)) || set_field(obj, &fields[i], eq + 1) < 0) {
			*ret_why = "a field is repeated or its value is invalid";
			return -HAM_E_PROTOCOL;
		}
		seen |= 1ull << i;
	}
	for (i = 0; i < n_fields; i++)
		if (fields[i].required && !(seen & (1ull << i))) {
			*ret_why = "a required field is missing";
			return -HAM_E_PROTOCOL;
		}
	return 0;
}

static bool names_ok(const char *rsc, const char *cls, const char *provider, const char *type,
		     const char *op)
{
	return plain_name(rsc) && plain_name(cls) && plain_name(type) && plain_name(op) &&
	       (provider == NULL || plain_name(provider));
}

int hop_action_decode(const void *buf, size_t len, struct hop_action *ret, const char **ret_why)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = decode(buf, len, ret, action_fields, HAM_ARRAY_SIZE(action_fields), &ret->params,
		   &ret->n_params, ret_why);
	if (r == 0 && !names_ok(ret->rsc, ret->cls, ret->provider, ret->type, ret->op)) {
		*ret_why = "a resource, agent or operation name is not plain";
		r = -HAM_E_PROTOCOL;
	}
	if (r == 0 && ret->action_id == 0) {
		*ret_why = "action-id is 0";
		r = -HAM_E_PROTOCOL;
	}
	if (r < 0)
		hop_action_clear(ret);
	return r;
}

int hop_result_decode(const void *buf, size_t len, struct hop_result *ret, const char **ret_why)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = decode(buf, len, ret, result_fields, HAM_ARRAY_SIZE(result_fields), NULL, NULL,
		   ret_why);
	if (r == 0 && (!names_ok(ret->rsc, ret->cls, ret->provider, ret->type, ret->op) ||
		       !plain_name(ret->node))) {
		*ret_why = "a node, resource, agent or operation name is not plain";
		r = -HAM_E_PROTOCOL;
	}
	if (r < 0)
		hop_result_clear(ret);
	return r;
}

bool hop_op_records_pending(const char *op, uint64_t interval_ms)
{
	static const char *const ops[] = { "start", "stop", "promote", "demote", "migrate_to",
					   "migrate_from" };
	size_t i;

	if (interval_ms > 0)
		return false;
	for (i = 0; i < HAM_ARRAY_SIZE(ops); i++)
		if (ham_streq(op, ops[i]))
			return true;
	return false;
}

bool hop_result_failed(const struct hop_result *r)
{
	struct ham_cib_op_result o = cibdoc_op_of(r);

	return ham_cib_op_failed(&o);
}

bool hop_result_counts_as_failure(const struct hop_result *r)
{
	struct ham_cib_op_result o = cibdoc_op_of(r);

	return ham_cib_op_counts_as_failure(&o);
}
