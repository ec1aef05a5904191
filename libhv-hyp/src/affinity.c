/*
 * A domain's hard affinity: the pCPUs its vCPUs may run on, from its
 * configuration's `cpus` (xl.cfg's, as libhv-boot passes it on).  "all",
 * or comma-separated items N, N-M, ^N, ^N-M applied in order to an empty
 * set (so "0-3,^1" is 0, 2 and 3), as xl reads it.  hvkit's config
 * reader has checked the syntax against no machine; here each number must
 * name a pCPU the core runs, and the set must not end up empty, else the
 * domain is not built: a domain pinned where nothing runs would never run.
 */
#include <hv/hyp.h>

#include "hyp_priv.h"

/* The number at *s (decimal; the config reader allowed up to 2^32 - 1,
 * so 10 digits cannot overflow), or -1. */
static int64_t number(const char **s)
{
	int64_t n = 0;
	int digits = 0;

	while (**s >= '0' && **s <= '9' && digits <= 10) {
		n = n * 10 + (**s - '0');
		(*s)++;
		digits++;
	}
	return digits == 0 || digits > 10 ? -1 : n;
}

static void skip_spaces(const char **s)
{
	while (**s == ' ')
		(*s)++;
}

/* The item at *s into mask; 0, or why not (a message for the log). */
static const char *item(const char **s, unsigned int nr_pcpus,
			unsigned long *mask, int64_t *bad)
{
	bool clear;
	int64_t lo, hi;

	skip_spaces(s);
	clear = **s == '^';
	if (clear)
		(*s)++;
	lo = hi = number(s);
	if (lo >= 0 && **s == '-') {
		(*s)++;
		hi = number(s);
	}
	skip_spaces(s);
	if (lo < 0 || hi < lo || (**s && **s != ','))
		return "expected \"all\" or pCPU numbers and ranges such "
		       "as \"0-3,^1\"";
	if (hi >= nr_pcpus) {
		*bad = hi;
		return "no such pCPU";
	}
	for (int64_t cpu = lo; cpu <= hi; cpu++) {
		if (clear)
			hv_bitmap_clear(mask, (size_t)cpu);
		else
			hv_bitmap_set(mask, (size_t)cpu);
	}
	return NULL;
}

int hyp_affinity_parse(struct hv_hyp *h, const struct hv_boot_domain *cfg,
		       unsigned long *mask)
{
	const char *s = cfg->cpus, *why = NULL;
	int64_t bad = -1;

	hv_bitmap_zero(mask, HV_HYP_MAX_PCPUS);
	if (!s || !strcmp(s, "all")) {
		for (unsigned int i = 0; i < h->nr_pcpus; i++)
			hv_bitmap_set(mask, i);
		return 0;
	}
	for (;;) {
		why = item(&s, h->nr_pcpus, mask, &bad);
		if (why || !*s)
			break;
		s++; /* the comma */
	}
	if (!why && hv_bitmap_empty(mask, HV_HYP_MAX_PCPUS))
		why = "names no pCPU";
	if (!why)
		return 0;
	if (bad >= 0)
		hv_log_err(
		    &h->log, "domain %s: cpus \"%s\": %s %lld (pCPUs are 0-%u)",
		    cfg->name, cfg->cpus, why, (long long)bad, h->nr_pcpus - 1);
	else
		hv_log_err(&h->log, "domain %s: cpus \"%s\": %s", cfg->name,
			   cfg->cpus, why);
	return -HV_EINVAL;
}
