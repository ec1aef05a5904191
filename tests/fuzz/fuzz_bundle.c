/*
 * Fuzzing the bundle reader: hv_boot_bundle_open, then
 * hv_boot_bundle_domain for every domain it counts.  The input is the
 * bundle, copied into a buffer of exactly its size, so that AddressSanitizer
 * sees any read past it.  What a domain read returns is checked against
 * <hv/boot.h>'s promises; a broken one aborts.  Nothing else is allocated:
 * LeakSanitizer checks the copy is freed.
 */
#include "fuzz.h"

#include <hv/boot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(unsigned int index, const char *what)
{
	fprintf(stderr, "fuzz-bundle: domain %u: %s\n", index, what);
	abort();
}

static bool in_blob(const void *p, uint64_t len, const uint8_t *blob,
		    size_t size)
{
	const uint8_t *b = p;

	return b >= blob && b <= blob + size &&
	       len <= (uint64_t)(blob + size - b);
}

static bool string_in_blob(const char *s, const uint8_t *blob, size_t size)
{
	return !s ||
	       (in_blob(s, 1, blob, size) &&
		memchr(s, '\0', (size_t)(blob + size - (const uint8_t *)s)));
}

static bool in_ram(const struct hv_boot_domain *d, hv_gpaddr_t a, uint64_t len)
{
	return a >= d->ram_base && len <= d->memory &&
	       a - d->ram_base <= d->memory - len;
}

static void check_piece(unsigned int i, const struct hv_boot_domain *d,
			const struct hv_boot_segment *s, const uint8_t *blob,
			size_t size)
{
	if (!in_blob(s->data, s->len, blob, size))
		die(i, "a piece's data is not inside the bundle");
	if (s->len > s->mem_size || !in_ram(d, s->gpa, s->mem_size))
		die(i, "a piece is not inside guest RAM");
}

static void check_domain(unsigned int i, const struct hv_boot_domain *d,
			 const uint8_t *blob, size_t size)
{
	if (!memchr(d->name, '\0', sizeof(d->name)) || !d->name[0])
		die(i, "bad name");
	if (!d->type || !d->cmdline || !string_in_blob(d->type, blob, size) ||
	    (d->cmdline[0] && !string_in_blob(d->cmdline, blob, size)) ||
	    !string_in_blob(d->kernel_format, blob, size) ||
	    !string_in_blob(d->cpus, blob, size))
		die(i, "a string is not inside the bundle");
	if (!d->memory || d->memory % HV_PAGE_SIZE ||
	    d->ram_base % HV_PAGE_SIZE || d->ram_base + d->memory < d->ram_base)
		die(i, "bad RAM");
	if (!d->vcpus || !in_ram(d, d->entry, 1))
		die(i, "bad vcpus or entry");
	if (!d->nr_segments || d->nr_segments > HV_BOOT_MAX_SEGMENTS)
		die(i, "bad segment count");
	for (unsigned int s = 0; s < d->nr_segments; s++)
		check_piece(i, d, &d->segments[s], blob, size);
	if (d->has_ramdisk)
		check_piece(i, d, &d->ramdisk, blob, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob = malloc(size ? size : 1);
	struct hv_boot_error err;
	int n;

	if (!blob)
		abort();
	memcpy(blob, data, size);
	n = hv_boot_bundle_open(blob, size, "aarch64", &err);
	for (int i = 0; i < n; i++) {
		struct hv_boot_domain d;

		if (hv_boot_bundle_domain(blob, (unsigned int)i, &d, &err) == 0)
			check_domain((unsigned int)i, &d, blob, size);
	}
	free(blob);
	return 0;
}
