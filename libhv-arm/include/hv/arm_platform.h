/*
 * hv/arm_platform.h - an AArch64 machine as its device tree describes it:
 * RAM, the regions firmware keeps, the boot module (the initrd), the
 * PL011 UART, the GICv3 and the CPUs.  What an EL2 image needs to know
 * before it can set up memory and start its other CPUs.  Portable C over
 * libfdt (unit-tested on the host against QEMU's own device tree).
 */
#ifndef HV_ARM_PLATFORM_H
#define HV_ARM_PLATFORM_H

#include <hv/error.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* What struct hv_arm_platform holds at most: RAM ranges, reserved
 * ranges, CPUs, and the command line's bytes with its NUL. */
#define HV_ARM_PLATFORM_MAX_RAM	     4
#define HV_ARM_PLATFORM_MAX_RESERVED 6
#define HV_ARM_PLATFORM_MAX_CPUS     8
#define HV_ARM_PLATFORM_CMDLINE_MAX  256

/* MPIDR_EL1's affinity fields (Aff3, Aff2.Aff1.Aff0), as a cpu node's reg
 * gives them. */
#define HV_ARM_MPIDR_AFFINITY 0xff00ffffffull

/* The machine, as its device tree describes it. */
struct hv_arm_platform {
	struct hv_mem_range ram[HV_ARM_PLATFORM_MAX_RAM];
	unsigned int nr_ram;
	/* /memreserve/ entries and /reserved-memory's children. */
	struct hv_mem_range reserved[HV_ARM_PLATFORM_MAX_RESERVED];
	unsigned int nr_reserved;
	struct hv_mem_range initrd; /* /chosen's linux,initrd-*; size 0: none */
	hv_paddr_t uart;	    /* the first "arm,pl011"; 0: none */
	unsigned int uart_intid;    /* its interrupt (an SPI); 0: none */
	hv_paddr_t gicd, gicr; /* "arm,gic-v3": distributor, redistributors */
	/* The CPUs' MPIDR affinities, the boot CPU's first; cpus_listed
	 * counts every cpu node, those beyond the array too. */
	uint64_t cpus[HV_ARM_PLATFORM_MAX_CPUS];
	unsigned int nr_cpus, cpus_listed;
	/* /chosen's bootargs (QEMU's -append), cut to fit; "": none. */
	char cmdline[HV_ARM_PLATFORM_CMDLINE_MAX];
};

/*
 * Read the machine from the device tree at `fdt` (its header is checked
 * first) into *p; boot_mpidr is the boot CPU's affinity (MPIDR_EL1 &
 * HV_ARM_MPIDR_AFFINITY).  0, or -HV_EINVAL with msg[len] saying what is
 * missing or too much (no device tree, no memory, no GICv3, more RAM or
 * reserved ranges than the arrays hold); *p then holds what was read
 * before, the UART included once found, so the caller can say it.
 */
int hv_arm_platform_read(const void *fdt, uint64_t boot_mpidr,
			 struct hv_arm_platform *p, char *msg, size_t len);

HV_END_DECLS

#endif /* HV_ARM_PLATFORM_H */
