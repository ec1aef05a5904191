/*
 * hv/hyp_x86.h - libhv-hyp-x86, the x86_64 adapter for libhv-hyp: the
 * core's struct hv_hyp_arch_ops for a hypervisor that runs guests with
 * AMD SVM and nested paging, the local APIC timer as its clock, and
 * guests that expect what Xen gives a PVH domU (hvm_start_info in page 1,
 * Xen's CPUID leaves and hypercall page, the callback vector, port 0xe9).
 *
 * What it does for the core: each domain's ASID, start info and VMCBs,
 * vCPU 0 set to enter the kernel as Xen enters a PVH one, the others
 * started by VCPUOP_initialise; running vCPUs (libhv-x86's VMRUN) and
 * handling their exits (CPUID, MSRs, port I/O, hypercalls from 64- and
 * 32-bit guests, HLT, reads and writes of unbacked memory); event upcalls
 * injected on the callback vector; the APIC timer as the core's; HLT
 * when idle; a fixed IPI to kick another pCPU, and P2M flushes that wait
 * until no pCPU is in the domain's guest.
 *
 * What it needs from the image: the identity map (a machine address is
 * its own pointer), the boot CPU's APIC timer calibrated on
 * HV_HYP_X86_TIMER_VECTOR, a struct hv_hyp_x86 as the core's arch_ctx,
 * and each pCPU's struct hv_hyp_x86_pcpu as its arch:
 *
 *     hv_x86_timer_init(&x86.timer, lapic_hz, HV_HYP_X86_TIMER_VECTOR);
 *     hv_hyp_init(&core, &config, &hv_hyp_x86_ops, &x86, heap, log,
 *                 pcpus, nr_pcpus);  // config.p2m_max_order:
 *                                    // hv_hyp_x86_p2m_max_order()
 *     hv_hyp_x86_init(&core);        // on the boot CPU
 *     // on each pCPU, its interrupts still off (the core's idle turns
 *     // them on), the first call any time before:
 *     hv_x86_cpu_init(&pc->cpu, fault, hv_hyp_x86_irq, pc);
 *     hv_hyp_x86_pcpu_init(pc);
 *
 * The portable parts (start info, port I/O, nested page faults,
 * hypercall arguments, guest-linear access) build on every architecture;
 * the start info is unit-tested on the host.
 */
#ifndef HV_HYP_X86_H
#define HV_HYP_X86_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_HYP_X86_API_VERSION 0

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/hyp.h>
#include <hv/x86_cpu.h>
#include <hv/x86_svm.h>
#include <hv/x86_timer.h>
#include <hv/x86_uart.h>

HV_BEGIN_DECLS

#define HV_HYP_X86_MAX_VCPUS	  8    /* per domain */
#define HV_HYP_X86_TIMER_VECTOR	  0xf0 /* the APIC timer: the core's tick */
#define HV_HYP_X86_KICK_VECTOR	  0xf1 /* another pCPU asks this one to look */
#define HV_HYP_X86_START_INFO_GPA 0x1000 /* guest page 1 (docs/bundle.md) */
/*
 * Guest page 2 holds the domain's ACPI tables (RSDP first): the memory map
 * says ACPI there, so the guest keeps them.  One page holds the tables of
 * HV_HYP_X86_MAX_VCPUS vCPUs several times over.
 */
#define HV_HYP_X86_ACPI_GPA  0x2000
#define HV_HYP_X86_ACPI_SIZE 0x1000
/* The local APIC address the MADT gives (the architectural one); vCPU n
 * has APIC ID n there. */
#define HV_HYP_X86_LAPIC_BASE 0xfee00000u

/*
 * One pCPU's state; the core's struct hv_hyp_pcpu.arch points at it.  Its
 * struct hv_x86_cpu is what the CPU's GS base points at (how code on a
 * pCPU finds its own).
 */
struct hv_hyp_x86_pcpu {
	struct hv_x86_cpu cpu __attribute__((aligned(16)));
	uint32_t apic_id; /* its local APIC (the image sets it) */
	unsigned int id;  /* its index in the core's pcpus (too) */
	/* The adapter's, from hv_hyp_x86_init() and _pcpu_init(): */
	struct hv_hyp_pcpu *pcpu;    /* the core's, for interrupts */
	struct hv_x86_svm svm;	     /* ASIDs, nested-page sizes */
	hv_paddr_t hsave, host_vmcb; /* its SVM host pages */
	void *bounce;		     /* 32-bit guests' translated args */
	/* A guest runs here now (between VMRUN and #VMEXIT): a P2M change
	 * waits for it to leave. */
	uint32_t in_guest;
	/* The core's timer deadline for it (timer_set); a running vCPU's
	 * APIC timer may bring the pCPU's timer earlier. */
	hv_time_t deadline;
};

/* The machine as the adapter sees it: the core's arch_ctx. */
struct hv_hyp_x86 {
	/* The boot CPU's calibration (the image's); each pCPU reaches its
	 * own local APIC at the same address through it. */
	struct hv_x86_timer timer;
	struct hv_x86_uart *console; /* where guests' console lines go */
	hv_paddr_t iopm, msrpm;	     /* intercept maps every domain shares */
	uint64_t cr4_valid; /* CR4 bits the guests' CPUID offers them */
};

/* The adapter, for hv_hyp_init(). */
extern const struct hv_hyp_arch_ops hv_hyp_x86_ops;

/*
 * The largest P2M mapping this CPU's nested paging takes, for the core's
 * p2m_max_order: HV_MM_P2M_ORDER_1G or HV_MM_P2M_ORDER_2M.
 */
unsigned int hv_hyp_x86_p2m_max_order(void);

/*
 * On the boot CPU, after hv_hyp_init() with hv_hyp_x86_ops and the
 * pCPUs' arch pointers set: from the core's heap, the intercept maps and
 * each pCPU's SVM host pages and bounce page, kept for the hypervisor's
 * life.  0 or -HV_ENOMEM (what was taken stays taken: without them no
 * guest can run).
 */
int hv_hyp_x86_init(struct hv_hyp *core);

/*
 * On the CPU it describes, after hv_hyp_x86_init() and hv_x86_cpu_init()
 * of pc->cpu: SVM on, with its host pages.  0, or -HV_ENODEV (no SVM with
 * nested paging).
 */
int hv_hyp_x86_pcpu_init(struct hv_hyp_x86_pcpu *pc);

/* The pCPU this code runs on (after hv_x86_cpu_init() of its cpu). */
struct hv_hyp_x86_pcpu *hv_hyp_x86_pcpu_this(void);

/*
 * The interrupt callback for hv_x86_cpu_init(), `opaque` the pCPU's
 * struct hv_hyp_x86_pcpu: the core's tick on HV_HYP_X86_TIMER_VECTOR, a
 * kick on HV_HYP_X86_KICK_VECTOR (it only wakes the pCPU or makes its
 * guest exit).  Interrupts may come only after hv_hyp_x86_init().
 */
void hv_hyp_x86_irq(void *opaque, unsigned int vector);

/*
 * The guest's memory map, in the start info and from XENMEM_memory_map:
 * RAM below the ACPI page, the ACPI page (XEN_HVM_MEMMAP_TYPE_ACPI), RAM
 * from there to the end of the domain's memory.  Each entry is as
 * struct hvm_memmap_table_entry (addr, size, type; bytes).
 */
#define HV_HYP_X86_MEMMAP_ENTRIES 3

/* One entry of a domain's memory map (as hvm_start_info's, e820's). */
struct hv_hyp_x86_memmap_entry {
	uint64_t addr, size;
	uint32_t type;
};

/*
 * The memory map of a domain of `ram_size` bytes at guest-physical 0 into
 * map[].  0, or -HV_EINVAL when the RAM does not reach past the ACPI page.
 */
int hv_hyp_x86_memmap(
    uint64_t ram_size,
    struct hv_hyp_x86_memmap_entry map[HV_HYP_X86_MEMMAP_ENTRIES]);

/*
 * What a PVH kernel finds, as Xen builds it for a PVH guest, written
 * through gm: the struct hvm_start_info in %ebx at
 * HV_HYP_X86_START_INFO_GPA (version 1: the command line, the ramdisk as
 * the one module, the memory map above) and the ACPI tables at
 * HV_HYP_X86_ACPI_GPA, which its rsdp_paddr names: RSDP, XSDT, a
 * hardware-reduced FADT, a DSDT with a processor device per vCPU and a
 * MADT with vCPU n's Local APIC at APIC ID n (libhv-acpi).  0, -HV_E2BIG
 * (the command line does not fit page 1), -HV_EINVAL (no room for the
 * memory map, or a configuration libhv-acpi refuses), -HV_ENOSPC (the
 * tables do not fit their page) or -HV_EFAULT.
 */
int hv_hyp_x86_start_info(const struct hv_gmem *gm,
			  const struct hv_boot_domain *cfg);

/*
 * XENMEM_memory_map for a domain of `ram_size` bytes, as Xen answers it:
 * `arg` points at a struct xen_memory_map (64-bit layout) whose nr_entries
 * says how many struct e820entry fit at its buffer; the first that many
 * entries of the map are written there and nr_entries says how many.  0
 * or -HV_EFAULT (-HV_EINVAL: as hv_hyp_x86_memmap).
 */
long hv_hyp_x86_memory_map(const struct hv_gmem *gm, uint64_t ram_size,
			   uint64_t arg);

/* The HV_HYP_X86_API_VERSION the library was built with. */
unsigned int hv_hyp_x86_api_version(void);

HV_END_DECLS

#endif /* HV_HYP_X86_H */
