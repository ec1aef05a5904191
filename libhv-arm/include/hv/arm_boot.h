/*
 * hv/arm_boot.h - bringing an AArch64 image up at EL2.
 *
 * An image links libhv-arm's head (hv_arm_head_lib, with image.ld) and
 * defines hv_image_main(dtb_pa); see src/head.S for the state it is
 * entered in.  These functions are for that first stretch of boot.
 */
#ifndef HV_ARM_BOOT_H
#define HV_ARM_BOOT_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Defined by the image: entered once, at EL2, on the boot stack. */
void hv_image_main(uint64_t dtb_pa);

/* The physical counter (CNTPCT_EL0) at the image's first instruction: an
 * image's own boot time is the counter now less this. */
extern uint64_t hv_arm_boot_count;

/*
 * Turn on the EL2 MMU with an identity map of the first 512 GiB in 1 GiB
 * blocks: normal write-back cacheable memory for every block that overlaps
 * one of `ram` (n ranges), Device-nGnRE for the rest.  The caches come on
 * with it, and unaligned accesses to RAM stop faulting (libfdt needs that).
 * `l1` is one 4 KiB-aligned page the function fills and the MMU then uses
 * for as long as it runs.  Returns -HV_EINVAL for a misaligned table or a
 * range beyond 512 GiB, else 0.
 */
int hv_arm_mmu_enable_identity(uint64_t *l1, const struct hv_mem_range *ram,
			       size_t n);

/*
 * Turn the EL2 MMU on with a table hv_arm_mmu_enable_identity() filled
 * (on another CPU, say): a CPU started by hv_arm_cpu_start() shares the
 * boot CPU's map this way.  Call with the MMU off.
 */
void hv_arm_mmu_enable(const uint64_t *l1);

/*
 * Another CPU to start: where it runs and what.  The caller's memory,
 * unchanged until `main` runs on the new CPU.
 */
struct hv_arm_secondary {
	uint64_t stack_top;   /* 16-byte aligned; the entry's first read */
	const uint64_t *l1;   /* the identity map (hv_arm_mmu_enable) */
	void (*main)(void *); /* does not return */
	void *arg;
};

/*
 * Start the CPU with affinity `mpidr` through PSCI CPU_ON by SMC (what
 * the boot loader's device tree offers under /psci, method "smc"; QEMU
 * virtualization=on answers it itself and starts the CPU at EL2).  The
 * new CPU enters at EL2 with interrupts masked, FP/SIMD accessible, on
 * s->stack_top, turns on the MMU with s->l1 and calls s->main(s->arg).
 * Returns PSCI's answer: 0, or a negative HV_PSCI_* error (-2 invalid
 * parameters, -4 already on, ...).
 */
int64_t hv_arm_cpu_start(uint64_t mpidr, const struct hv_arm_secondary *s);

/* Leave QEMU with `code` as its exit status (needs QEMU's -semihosting; on
 * anything else this traps). */
HV_NORETURN void hv_arm_semihost_exit(uint32_t code);

/* Open host file `name` (len bytes, NUL-terminated; relative to QEMU's
 * directory) for writing in binary through semihosting: a handle, or -1. */
int64_t hv_arm_semihost_open(const char *name, size_t len);
/* Write len bytes to an open handle: how many were written. */
size_t hv_arm_semihost_write(int64_t handle, const void *buf, size_t len);

HV_END_DECLS

#endif /* HV_ARM_BOOT_H */
