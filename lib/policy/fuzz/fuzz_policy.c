/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the policy engine: every input is loaded as a CIB,
 * and what loads is computed and rendered in every output form, so that the
 * scheduler itself meets garbled but well-formed configurations and status.
 * Built by `make fuzz`, run by `make fuzz-run`.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <hamgr/policy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ham_policy_options opts = { .now_s = 1700000000 };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	ham_buf out = HAM_BUF_INIT;
	char *err = NULL;

	if (ham_policy_input_load((const char *)data, size, &in, &err) == 0) {
		int64_t date = ham_policy_input_execution_date(in);

		if (date > 0)
			opts.now_s = date;
		if (ham_policy_compute(in, &opts, &t) == 0) {
			ham_transition_json(t, &out);
			ham_transition_text(t, &out);
			ham_transition_scores(t, &out);
			ham_transition_dot(t, &out);
			t = ham_transition_free(t);
		}
		in = ham_policy_input_free(in);
	}
	ham_buf_free(&out);
	free(err);
	return 0;
}
