/*
 * The simulator's random numbers: one splitmix64 stream per unit, so that
 * adding a unit does not change the draws of the others.
 */
#include <math.h>

#include "sim_internal.h"

uint64_t sim_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t sim_seed(uint64_t seed, uint64_t stream)
{
	uint64_t s = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));

	sim_rand(&s); /* decorrelate nearby seeds */
	return s;
}

bool sim_dist_valid(const struct hv_sim_dist *d)
{
	switch (d->kind) {
	case HV_SIM_CONST:
		return d->a > 0;
	case HV_SIM_UNIFORM:
		return d->a > 0 && d->b >= d->a;
	case HV_SIM_EXP:
		return d->a > 0 && d->b >= 0;
	}
	return false;
}

/* A draw of d, at least 1 ns. */
hv_time_t sim_draw(uint64_t *state, const struct hv_sim_dist *d)
{
	hv_time_t t = d->a;

	if (d->kind == HV_SIM_UNIFORM) {
		t = d->a +
		    (hv_time_t)(sim_rand(state) % (uint64_t)(d->b - d->a + 1));
	} else if (d->kind == HV_SIM_EXP) {
		/* 53 random bits: u in [0, 1). */
		double u = (double)(sim_rand(state) >> 11) * 0x1.0p-53;

		t = (hv_time_t)(-(double)d->a * log1p(-u));
		if (d->b > 0 && t > d->b)
			t = d->b;
	}
	return t > 0 ? t : 1;
}
