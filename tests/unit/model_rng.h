/*
 * The PRNG of the model-based tests (tests/unit/{evtchn,gnttab}/
 * test_model.c): xorshift64*, so that a fixed seed gives the same op
 * sequence on every host and a failure replays.
 */
#ifndef MODEL_RNG_H
#define MODEL_RNG_H

#include <stdint.h>

/* A generator state for seed `seed` (any value, 0 included). */
static inline uint64_t model_rng_seed(uint64_t seed)
{
	return seed * 0x9e3779b97f4a7c15ull + 1;
}

/* A number in [0, n), n > 0. */
static inline uint32_t model_rng(uint64_t *s, uint32_t n)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545f4914f6cdd1dull) >> 32) % n;
}

#endif /* MODEL_RNG_H */
