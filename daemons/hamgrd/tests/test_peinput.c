/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_peinput.c: the DC's saved scheduler inputs:
 * numbering per series, the series bound (wrap, 0 = none, -1 = all), and
 * numbering that continues after a restart. Without a loop the writer is
 * waited for in place.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>

#include "peinput.h"

static char dir[] = "/tmp/test_peinput.XXXXXX";

static bool exists(const char *name)
{
	char *p = ham_asprintf("%s/pengine/%s", dir, name);
	bool r = access(p, F_OK) == 0;

	free(p);
	return r;
}

static void test_series(void **state)
{
	ham_cib_doc *d = ham_cib_doc_new_empty();
	char *pe = ham_asprintf("%s/pengine", dir);
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_TO_RUN };
	ham_cib_diags *diags = ham_cib_diags_new();
	hpeinput *p = hpeinput_new(NULL, pe);
	ham_cib *cib = NULL;
	char *path;
	long dflt;

	assert_string_equal(hpeinput_property(HPEINPUT_INPUT, &dflt), "pe-input-series-max");
	assert_int_equal(dflt, 4000);
	assert_string_equal(hpeinput_property(HPEINPUT_ERROR, &dflt), "pe-error-series-max");
	assert_int_equal(dflt, -1);

	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, 3, d, true, "1"), "pe-input-0.xml.gz");
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, 3, d, true, "1"), "pe-input-1.xml.gz");
	assert_string_equal(hpeinput_save(p, HPEINPUT_WARN, 3, d, true, "1"), "pe-warn-0.xml.gz");
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, 3, d, true, "1"), "pe-input-2.xml.gz");
	/* The bound: numbers start over, replacing the oldest. */
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, 3, d, true, "1"), "pe-input-0.xml.gz");
	assert_false(exists("pe-input-3.xml.gz"));
	/* 0: none saved; -1: no bound. */
	assert_null(hpeinput_save(p, HPEINPUT_ERROR, 0, d, true, "1"));
	assert_false(exists("pe-error-0.xml.gz"));
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, -1, d, true, "1"), "pe-input-1.xml.gz");
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, -1, d, true, "1"), "pe-input-2.xml.gz");
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, -1, d, true, "1"), "pe-input-3.xml.gz");
	assert_true(exists("pe-input-3.xml.gz"));
	assert_true(exists("pe-warn-0.xml.gz"));
	p = hpeinput_free(p);

	/* Written whole, and a complete input: hactl simulate's loader reads it. */
	path = ham_asprintf("%s/pe-input-3.xml.gz", pe);
	assert_int_equal(ham_cib_load_file(path, &opts, &cib, diags), 0);
	assert_string_equal(ham_cib_model(cib)->dc_uuid, "1");
	cib = ham_cib_free(cib);
	free(path);

	/* A restart continues after the newest file of each series. */
	sleep(1); /* a newer mtime than the files above, whatever the fs granularity */
	p = hpeinput_new(NULL, pe);
	assert_int_equal(hpeinput_next(p, HPEINPUT_INPUT), 4);
	assert_int_equal(hpeinput_next(p, HPEINPUT_WARN), 1);
	assert_int_equal(hpeinput_next(p, HPEINPUT_ERROR), 0);
	/* A smaller bound than the numbers there: start over at 0. */
	assert_string_equal(hpeinput_save(p, HPEINPUT_INPUT, 2, d, false, NULL), "pe-input-0.xml.gz");
	p = hpeinput_free(p);
	p = hpeinput_new(NULL, pe);
	assert_int_equal(hpeinput_next(p, HPEINPUT_INPUT), 1); /* pe-input-0 is now the newest */
	p = hpeinput_free(p);

	free(pe);
	ham_cib_doc_free(d);
	ham_cib_diags_free(diags);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = ham_asprintf("rm -rf '%s'", dir);
	int r = system(cmd);

	free(cmd);
	return r == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
