/* What every harness shares: libFuzzer's entry and input decoding. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called by libFuzzer, or by replay.c, once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The n bytes at p (n <= 8) as a little-endian number. */
static inline uint64_t fuzz_le(const uint8_t *p, unsigned int n)
{
	uint64_t x = 0;

	for (unsigned int i = 0; i < n; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
}

#endif /* FUZZ_H */
