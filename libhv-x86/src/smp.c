/*
 * Starting an AP: the trampoline page and INIT-SIPI-SIPI (hv/x86_smp.h).
 */
#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/string.h>
#include <hv/x86_lapic.h>
#include <hv/x86_smp.h>

#include "ap_boot.h"
#include "x86_asm.h"

#define LOW_MEMORY_END	   0x100000u
#define FIRST_SIPI_WAIT_NS 10000000   /* 10 ms, then a second STARTUP */
#define START_TIMEOUT_NS   1000000000 /* 1 s */

extern const uint8_t hv_x86_ap_trampoline[], hv_x86_ap_trampoline_end[];
void hv_x86_ap_long(void);

HV_STATIC_ASSERT(AP_PARAMS_END <= 4096, "the parameters fit the page");

static void put32(uint8_t *page, unsigned int off, uint32_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

static void put64(uint8_t *page, unsigned int off, uint64_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

int hv_x86_ap_trampoline_install(hv_paddr_t page)
{
	uint8_t *p = (uint8_t *)(uintptr_t)page;
	size_t len = (size_t)(hv_x86_ap_trampoline_end - hv_x86_ap_trampoline);
	const uint64_t gdt[3] = {0, GDT_CODE64, GDT_DATA};
	uint16_t limit = sizeof(gdt) - 1, sel = HV_X86_SEL_CODE;

	if (page == 0 || page % HV_PAGE_SIZE || page >= LOW_MEMORY_END ||
	    len > AP_PARAMS)
		return -HV_EINVAL;
	memset(p, 0, HV_PAGE_SIZE);
	memcpy(p, hv_x86_ap_trampoline, len);
	memcpy(p + AP_GDT, gdt, sizeof(gdt));
	memcpy(p + AP_GDTR, &limit, sizeof(limit));
	put32(p, AP_GDTR + 2, (uint32_t)(page + AP_GDT));
	/* The boot CPU's paging: its tables are below 4 GiB (the image's). */
	put32(p, AP_CR3, (uint32_t)hv_read_cr3());
	put32(p, AP_CR4, (uint32_t)hv_read_cr4());
	put32(p, AP_EFER,
	      (uint32_t)(hv_rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE)));
	put32(p, AP_JUMP, (uint32_t)(uintptr_t)hv_x86_ap_long);
	memcpy(p + AP_JUMP + 4, &sel, sizeof(sel));
	return 0;
}

/* Whether the AP said it has its start within `ns`. */
static bool wait_started(const struct hv_x86_timer *t, uint32_t *started,
			 hv_time_t ns)
{
	hv_time_t end = hv_x86_timer_now(t) + ns;

	while (!hv_atomic_load_u32(started))
		if (hv_x86_timer_now(t) > end)
			return false;
	return true;
}

int hv_x86_ap_start(const struct hv_x86_timer *t, hv_paddr_t page,
		    const struct hv_x86_ap *ap)
{
	uint8_t *p = (uint8_t *)(uintptr_t)page;
	uint32_t *started = (uint32_t *)(void *)(p + AP_STARTED);
	uint32_t sipi = hv_x86_icr_startup(page);

	put64(p, AP_STACK, ap->stack_top);
	put64(p, AP_MAIN, (uintptr_t)ap->main);
	put64(p, AP_ARG, (uintptr_t)ap->arg);
	hv_atomic_store_u32(started, 0);
	hv_x86_lapic_send(t->lapic, ap->apic_id, hv_x86_icr_init());
	hv_x86_lapic_send(t->lapic, ap->apic_id, sipi);
	if (wait_started(t, started, FIRST_SIPI_WAIT_NS))
		return 0;
	/* A CPU already running ignores a STARTUP: this one cannot start
	 * it twice. */
	hv_x86_lapic_send(t->lapic, ap->apic_id, sipi);
	return wait_started(t, started, START_TIMEOUT_NS) ? 0 : -HV_ETIMEDOUT;
}
