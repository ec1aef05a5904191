/*
 * hv/x86_smp.h - starting the other CPUs (application processors, APs)
 * of an x86_64 image, and finding this CPU's own state.
 *
 * An AP starts with INIT, STARTUP, STARTUP through the boot CPU's local
 * APIC (AMD APM vol. 2, 16.5; the INIT wait older CPUs needed is skipped:
 * every CPU with SVM is family 0Fh or later, which needs none).  STARTUP
 * enters it in real mode at a page below 1 MiB, the trampoline, which the
 * image sets aside (RAM the loader's memory map gives, unused by the
 * heap): the trampoline loads a GDT of its own, the boot CPU's CR3, CR4
 * and EFER.LME/NXE, turns on protection and paging in one step and jumps
 * into the image's 64-bit code, which takes its stack, its function and
 * its argument from the page, says it has them, and calls the function.
 * From there the AP is the image's: hv_x86_cpu_init() gives it its own
 * GDT, TSS, IST stack, IDT and GS base, hv_x86_timer_init_secondary() its
 * APIC, hv_x86_svm_enable() its SVM host-save area.
 *
 * The trampoline page holds one AP's start at a time: hv_x86_ap_start()
 * returns once the AP has read it.
 *
 * x86_64 images only.
 */
#ifndef HV_X86_SMP_H
#define HV_X86_SMP_H

#include <hv/x86_cpu.h>
#include <hv/x86_timer.h>

HV_BEGIN_DECLS

/* How an AP starts: on `stack_top` (16-byte aligned), calling
 * main(arg) with interrupts off and the boot GDT; main must not return
 * (if it does, the AP halts for good). */
struct hv_x86_ap {
	uint32_t apic_id;
	uintptr_t stack_top;
	void (*main)(void *arg);
	void *arg;
};

/*
 * Copy the trampoline into `page` (4 KiB aligned, below 1 MiB, RAM that
 * nothing else uses while APs start, identity-mapped).  Call on the boot
 * CPU in long mode, before hv_x86_ap_start().  0, or -HV_EINVAL if `page`
 * is not such an address.
 */
int hv_x86_ap_trampoline_install(hv_paddr_t page);

/*
 * Start the AP `ap->apic_id` at the trampoline in `page`, from this CPU
 * (whose APIC `t` reaches, and whose TSC `t` times), and wait until it
 * has taken its start: 0, or -HV_ETIMEDOUT if it did not within a second
 * (QEMU starts one in well under a millisecond).  One AP at a time.
 */
int hv_x86_ap_start(const struct hv_x86_timer *t, hv_paddr_t page,
		    const struct hv_x86_ap *ap);

/* This CPU's state, as hv_x86_cpu_init() made it (its GS base). */
struct hv_x86_cpu *hv_x86_cpu_this(void);

HV_END_DECLS

#endif /* HV_X86_SMP_H */
