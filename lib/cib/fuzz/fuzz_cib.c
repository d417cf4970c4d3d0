/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the CIB loader: every input goes through the
 * streaming loader and the semantic checks (with and without the schema),
 * and through the editable document parser. Built by `make fuzz`.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/cib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches the whole model so that a bad pointer in it is found. */
static size_t walk(const ham_cib *cib)
{
	const struct ham_cib_model *m = ham_cib_model(cib);
	size_t i, j, n = 0;

	for (i = 0; i < m->n_all_resources; i++) {
		const struct ham_cib_resource *r = m->all_resources[i];

		n += strlen(r->id ? r->id : "") + r->n_children + r->n_ops;
		for (j = 0; j < r->n_meta_attributes; j++)
			n += r->meta_attributes[j]->n_pairs;
		if (r->parent != NULL)
			n += strlen(r->parent->id ? r->parent->id : "");
	}
	for (i = 0; i < m->n_locations; i++)
		for (j = 0; j < m->locations[i]->n_rules; j++)
			n += m->locations[i]->rules[j]->n_exprs;
	for (i = 0; i < m->n_orders; i++)
		for (j = 0; j < m->orders[i]->n_sets; j++)
			n += m->orders[i]->sets[j].n_refs;
	for (i = 0; i < m->n_node_states; i++)
		for (j = 0; j < m->node_states[i]->n_lrm_resources; j++)
			n += m->node_states[i]->lrm_resources[j].n_ops;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = getenv("HAMGR_SCHEMA_DIR");
	struct ham_cib_load_opts opts = {
		.flags = (size & 1) ? HAM_CIB_LOAD_SCHEMA : 0,
		.max_attr_bytes = 64 * 1024,
		.schema_dir = dir && *dir ? dir : HAM_SRC_SCHEMA_DIR,
	};
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	ham_cib_doc *doc = NULL;
	size_t i;

	if (ham_cib_load_mem((const char *)data, size, "fuzz", &opts, &cib, d) == 0) {
		volatile size_t n = walk(cib);

		(void)n;
		ham_cib_free(cib);
	}
	for (i = 0; i < ham_cib_diags_count(d); i++)
		if (ham_cib_diags_get(d, i)->message == NULL)
			abort();
	ham_cib_diags_free(d);

	d = ham_cib_diags_new();
	if (ham_cib_doc_parse((const char *)data, size, &doc, d) == 0) {
		char *out = NULL;
		size_t len;

		ham_cib_doc_bump_num_updates(doc);
		if (ham_cib_doc_dump(doc, &out, &len) == 0)
			free(out);
		ham_cib_doc_free(doc);
	}
	ham_cib_diags_free(d);
	return 0;
}
