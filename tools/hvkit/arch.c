/*
 * arch.c - per-architecture facts, taken from Xen's public headers.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"

/*
 * Xen's AArch64 guest memory map lives in <xen/arch-arm.h>, visible only to
 * tools (__XEN_TOOLS__).  On an x86 host <xen/xen.h> pulls in the x86
 * structures, whose names clash with the Arm ones, so only the
 * assembly-safe part of both headers is read here: the constants, with
 * xen.h's xen_mk_ullong() in its assembly form (a bare number).
 */
#define __XEN_TOOLS__ 1
#define __ASSEMBLY__  1
#include <xen/xen.h>
#include <xen/arch-arm.h>
#undef __ASSEMBLY__

static const uint64_t arm_ram_base = GUEST_RAM0_BASE;
static const uint64_t arm_ram_size = GUEST_RAM0_SIZE;

const char *hvkit_arch_name(enum hvkit_arch arch)
{
	switch (arch) {
	case HVKIT_ARCH_AARCH64:
		return "aarch64";
	case HVKIT_ARCH_X86_64:
		return "x86_64";
	case HVKIT_ARCH_NONE:
		break;
	}
	return "none";
}

bool hvkit_arch_parse(const char *s, enum hvkit_arch *arch)
{
	if (!strcmp(s, "aarch64") || !strcmp(s, "arm64")) {
		*arch = HVKIT_ARCH_AARCH64;
		return true;
	}
	if (!strcmp(s, "x86_64")) {
		*arch = HVKIT_ARCH_X86_64;
		return true;
	}
	return false;
}

uint64_t hvkit_arch_ram_base(enum hvkit_arch arch)
{
	return arch == HVKIT_ARCH_AARCH64 ? arm_ram_base : 0;
}

uint64_t hvkit_arch_ram_max(enum hvkit_arch arch)
{
	return arch == HVKIT_ARCH_AARCH64 ? arm_ram_size : UINT64_MAX;
}
