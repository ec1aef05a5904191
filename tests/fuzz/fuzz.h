/* What every harness shares: libFuzzer's entry and input decoding. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Called by libFuzzer, or by replay.c, once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A harness's own check: a failure is a crash libFuzzer keeps. */
static inline void fuzz_check(bool ok)
{
	if (!ok)
		abort();
}

/* The n bytes at p (n <= 8) as a little-endian number. */
static inline uint64_t fuzz_le(const uint8_t *p, unsigned int n)
{
	uint64_t x = 0;

	for (unsigned int i = 0; i < n; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
}

#endif /* FUZZ_H */
