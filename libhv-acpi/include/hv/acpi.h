/*
 * hv/acpi.h - libhv-acpi, the ACPI tables a guest boots with, for x86 and
 * Arm alike (the job of Xen's libacpi and libxl_arm_acpi).
 *
 * The caller describes the machine the guest sees (its vCPUs, interrupt
 * controller and console UART) and gives a buffer and the guest-physical
 * address the buffer will be copied to.  hv_acpi_build() lays out a
 * complete, checksummed set there:
 *
 *   RSDP (revision 2) -> XSDT -> FADT (-> DSDT), MADT, and on Arm GTDT and,
 *   with a UART, SPCR.
 *
 * Every table follows ACPI 6.4 (FADT 6.4, MADT revision 5, GTDT revision
 * 3; SPCR revision 2 of Microsoft's specification).  The FADT is always
 * hardware-reduced: hvkit guests (Arm, and PVH on x86) have no PM timer,
 * PM1 blocks, SCI or GPEs.  On Arm it says PSCI over HVC.  The DSDT holds
 * one processor device (ACPI0007) per vCPU, whose _UID is the vCPU's index
 * and matches its MADT entry; docs/acpi.md shows what a guest gets.
 *
 * An x86 PVH guest finds the tables through hvm_start_info.rsdp_paddr, set
 * to hv_acpi_tables.rsdp_gpa; an Arm guest through its firmware (UEFI's
 * configuration table, or a device tree's /chosen).
 *
 * <hv/acpi_aml.h> is the AML emitter the DSDT is written with.
 *
 * No allocation, no global state: the tables are written into the caller's
 * buffer only, and only when they all fit.
 */
#ifndef HV_ACPI_H
#define HV_ACPI_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_ACPI_API_VERSION 1

#include <hv/acpi_aml.h>
#include <hv/compiler.h>
#include <hv/error.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/*
 * Most vCPUs a table set describes (Xen's HVM_MAX_VCPUS): an x86 Local
 * APIC entry carries an 8-bit processor UID.
 */
#define HV_ACPI_MAX_VCPUS 128u

/*
 * Bytes that always hold a table set of up to HV_ACPI_MAX_VCPUS vCPUs,
 * whatever the base address: for a caller that wants a static buffer.
 */
#define HV_ACPI_MAX_SIZE 16384u

/* The 6-byte OEM ID of every table and of the RSDP. */
#define HV_ACPI_OEM_ID "HVKIT "

/* Which architecture's tables to build; 0 is no architecture. */
enum hv_acpi_arch {
	HV_ACPI_ARCH_X86 = 1,
	HV_ACPI_ARCH_ARM = 2,
};

/* The x86 interrupt controllers. */
struct hv_acpi_x86 {
	/* The Local APIC's address, below 4 GiB (normally 0xfee00000). */
	uint32_t lapic_base;
	/* An I/O APIC: its MADT entry is written only when has_ioapic. */
	bool has_ioapic;
	uint8_t ioapic_id;
	uint32_t ioapic_base; /* non-zero */
	uint32_t ioapic_gsi_base;
};

/* hv_acpi_timer.flags, as the GTDT encodes them (ACPI 6.4, 5.2.24). */
#define HV_ACPI_TIMER_EDGE	 0x1u /* else level-triggered */
#define HV_ACPI_TIMER_ACTIVE_LOW 0x2u /* else active high */
#define HV_ACPI_TIMER_ALWAYS_ON	 0x4u /* keeps counting in low-power states */

/* One generic-timer interrupt: a PPI (GSIV 16..31) and its flags. */
struct hv_acpi_timer {
	uint32_t gsiv;
	uint32_t flags; /* HV_ACPI_TIMER_* */
};

/* Size of one GICv3 redistributor (RD_base and SGI_base frames). */
#define HV_ACPI_GICR_STRIDE 0x20000u

/* The Arm GICv3 and generic timer. */
struct hv_acpi_arm {
	uint64_t gicd_base; /* distributor, non-zero */
	/*
	 * The redistributor discovery range: every vCPU's redistributor
	 * (HV_ACPI_GICR_STRIDE bytes each) lies in it, so gicr_size must be
	 * at least nr_vcpus * HV_ACPI_GICR_STRIDE.
	 */
	uint64_t gicr_base;
	uint32_t gicr_size;
	/* PPIs in each GICC entry; 0 when the guest has none (a guest
	 * without EL2 has no maintenance interrupt). */
	uint32_t pmu_gsiv;
	uint32_t maint_gsiv;
	/* GTDT: the EL1 virtual timer and the EL1 non-secure physical one. */
	struct hv_acpi_timer vtimer;
	struct hv_acpi_timer ptimer;
};

/* The console UART's kind, as the SPCR's Interface Type names it. */
enum hv_acpi_uart_type {
	HV_ACPI_UART_NONE = 0,	 /* no SPCR */
	HV_ACPI_UART_PL011 = 3,	 /* ARM PL011 */
	HV_ACPI_UART_SBSA = 0xe, /* ARM SBSA Generic UART (Xen's vpl011) */
};

/* The guest's console UART (Arm only): an MMIO UART and its SPI. */
struct hv_acpi_uart {
	enum hv_acpi_uart_type type;
	uint64_t base; /* non-zero */
	uint32_t gsiv; /* an SPI: 32..1019 */
};

/* The machine a guest sees. */
struct hv_acpi_machine {
	enum hv_acpi_arch arch;
	/* 1 .. HV_ACPI_MAX_VCPUS; vCPU i gets processor UID i. */
	unsigned int nr_vcpus;
	/*
	 * nr_vcpus distinct ids, read only during the call.  x86: APIC IDs
	 * (below 0xffffffff; those from 255 get x2APIC entries).  Arm:
	 * MPIDRs with only the affinity fields (bits 39:32 and 23:0) set,
	 * as the GICC entry wants them.
	 */
	const uint64_t *cpu_ids;
	struct hv_acpi_x86 x86;	  /* arch == HV_ACPI_ARCH_X86 */
	struct hv_acpi_arm arm;	  /* arch == HV_ACPI_ARCH_ARM */
	struct hv_acpi_uart uart; /* Arm only; type NONE on x86 */
};

/* What hv_acpi_build() made. */
struct hv_acpi_tables {
	/* Where the RSDP sits in the guest (PVH: hvm_start_info.rsdp_paddr). */
	hv_gpaddr_t rsdp_gpa;
	/* Bytes of the buffer used, from its start; after -HV_ENOSPC, the
	 * bytes needed. */
	size_t size;
};

/*
 * Build the table set of machine `m` into buf[0 .. size), laid out as it
 * will sit in the guest at base_gpa (the caller copies the buffer there):
 * the RSDP first, 16-byte aligned in the guest, each table 8-byte aligned
 * after it, padding zeroed.  The caller's alignment of buf does not
 * matter.
 *
 * Returns 0 with *out filled; -HV_EINVAL for a bad description (no or too
 * many vCPUs, missing or duplicate ids, a missing address, an interrupt
 * out of range, a UART on x86), a NULL m or out, or a set that would not
 * fit below 2^64; -HV_ENOSPC when the set needs more than `size` bytes
 * (buf may be NULL with size 0 to ask), with out->size the bytes needed
 * and buf untouched.
 */
int hv_acpi_build(const struct hv_acpi_machine *m, void *buf, size_t size,
		  hv_gpaddr_t base_gpa, struct hv_acpi_tables *out);

/* The HV_ACPI_API_VERSION the library was built with. */
unsigned int hv_acpi_api_version(void);

HV_END_DECLS

#endif /* HV_ACPI_H */
