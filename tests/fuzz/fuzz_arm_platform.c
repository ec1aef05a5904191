/*
 * Fuzzing the AArch64 platform reader (hv_arm_platform_read): the input
 * is a device tree, as a boot loader would pass it, copied into a buffer
 * of exactly its header's totalsize so that AddressSanitizer sees any
 * read past it.
 * The reader trusts the header's totalsize (it has no other size), so
 * inputs whose totalsize is beyond them are not tried.  What it returns
 * is checked against <hv/arm_platform.h>'s promises.
 */
#include "fuzz.h"

#include <hv/arm_platform.h>

#include <libfdt.h>
#include <string.h>

static bool has_nul(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_arm_platform p;
	char msg[80];
	uint8_t *copy;
	size_t total;
	int rc;

	if (size < sizeof(struct fdt_header))
		return 0;
	/* The header's totalsize, what the reader may read (the header
	 * itself, whatever totalsize says). */
	total = fdt32_ld((const void *)(data + 4));
	if (total > size)
		return 0;
	if (total < sizeof(struct fdt_header))
		total = sizeof(struct fdt_header);
	copy = malloc(total);
	fuzz_check(copy != NULL);
	memcpy(copy, data, total);
	msg[0] = '\0';
	rc = hv_arm_platform_read(copy, 0, &p, msg, sizeof(msg));
	fuzz_check(has_nul(msg, sizeof(msg)));
	fuzz_check(has_nul(p.cmdline, sizeof(p.cmdline)));
	fuzz_check(p.nr_ram <= HV_ARM_PLATFORM_MAX_RAM);
	fuzz_check(p.nr_reserved <= HV_ARM_PLATFORM_MAX_RESERVED);
	fuzz_check(p.nr_cpus <= HV_ARM_PLATFORM_MAX_CPUS);
	if (rc == 0) {
		fuzz_check(p.nr_ram >= 1 && p.gicd && p.gicr);
		fuzz_check(p.nr_cpus >= 1 && p.cpus[0] == 0);
		fuzz_check(p.initrd.size == 0 ||
			   p.initrd.base + p.initrd.size > p.initrd.base);
	} else {
		fuzz_check(rc == -HV_EINVAL && msg[0] != '\0');
	}
	free(copy);
	return 0;
}
