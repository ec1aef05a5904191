/*
 * A guest that misbehaves, run beside a good one that must finish with
 * all its output.  In turn:
 *  1. 20,000 hypercalls with random numbers, sub-op numbers and
 *     arguments, every other argument a pointer that nothing of the
 *     guest's backs (MMIO, past its RAM, unmapped, non-canonical) or a
 *     random 64-bit value: each must come back with a result, the guest
 *     and the hypervisor alive.  (A pointer into its own RAM is a guest
 *     hurting itself, as on Xen: measured, random small arguments made an
 *     x86 guest map its shared-info page over its own code);
 *  2. console output from those pointers: -EFAULT each;
 *  3. 5,000 undefined instructions, each taken and stepped over;
 *  4. a second of spinning with interrupts off (the hypervisor's tick
 *     must still take the pCPU for the good guest);
 *  5. x86: its hypercall page overwritten, then asked for again;
 *  6. where there are event channels: the FIFO ABI's control block and
 *     event-array page given back (XENMEM_decrease_reservation) while in
 *     use, and an event sent.  The hypervisor must keep them (as Xen
 *     does, still charged to the guest, which is at its limit: no new
 *     page until they go) and write only them, never a page that became
 *     another domain's; EVTCHNOP_reset lets them go, and then the guest
 *     gets fresh pages in their place;
 * and it never starts its second vCPU.  Then it powers off.  Only the
 * calls that would stop it by design are left out: SCHEDOP_block (it
 * would wait for an event nobody sends), VCPUOP_up and _down (vCPU 1 must
 * never start, vCPU 0 stop), and on x86 the hypercall page's iret entry (a
 * ud2, as Xen writes it for HVM guests).  It is not the initial domain, so
 * the good one beside it is out of its reach (-EPERM).
 */
#include "guest.h"

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

#define STORM	  20000
#define UNDEFINED 5000
#define MAX_HC	  48 /* __HYPERVISOR_* numbers tried: 0..47 */
#define MAX_SUBOP 16

#ifdef __aarch64__
#define RAM_END 0x41000000ul /* 16 MiB at GUEST_RAM0_BASE */
static const unsigned long bad[] = {
    0x0,     GUEST_GICD,     GUEST_GICR, 0x20000000,
    RAM_END, 0xff00000000ul, 1ul << 63,	 ~0ul,
};
#else
#define RAM_END 0x1000000ul /* 16 MiB from 0 */
static const unsigned long bad[] = {
    0xfee00000ul, 0xfec00000ul, 0xfed00000ul,	      RAM_END,
    0x80000000ul, 1ul << 63,	0xffffffffffff0000ul, ~0ul,
};
#endif

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* An argument after the sub-op: a bad pointer, or anything. */
static unsigned long argument(void)
{
	return rng() % 2 ? bad[rng() % HV_ARRAY_SIZE(bad)] : rng();
}

static bool stops_by_design(unsigned long nr, unsigned long a0)
{
#ifdef __x86_64__
	if (nr == __HYPERVISOR_iret)
		return true;
#endif
	return (nr == __HYPERVISOR_sched_op && a0 == SCHEDOP_block) ||
	       (nr == __HYPERVISOR_vcpu_op &&
		(a0 == VCPUOP_up || a0 == VCPUOP_down));
}

static void hypercall_storm(void)
{
	unsigned int failed = 0, done = 0;

	for (unsigned int i = 0; i < STORM; i++) {
		unsigned long nr = rng() % MAX_HC;
		unsigned long a[5];

		a[0] = rng() % 2 ? rng() % MAX_SUBOP : argument();
		for (unsigned int j = 1; j < 5; j++)
			a[j] = argument();
		if (stops_by_design(nr, a[0]))
			continue;
		failed += guest_hypercall(nr, a[0], a[1], a[2], a[3], a[4]) < 0;
		done++;
	}
	/* Still answered as before. */
	CHECK_EQ(guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				 0, 0) >>
		     16,
		 4);
	guest_printf("%u random hypercalls answered (%u with an error)\n", done,
		     failed);
}

static void bad_console_pointers(void)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++)
		CHECK_EQ(guest_hypercall(__HYPERVISOR_console_io,
					 CONSOLEIO_write, 8, bad[i], 0, 0),
			 -XEN_EFAULT);
	guest_printf("console output from %zu bad pointers: -EFAULT each\n",
		     HV_ARRAY_SIZE(bad));
}

#ifdef __aarch64__
static volatile unsigned int undefined_taken;

uint64_t guest_sync_exception(uint64_t esr, uint64_t elr);
extern const char guest_vectors[];

/* Only ours come here: an undefined instruction (EC 0), stepped over. */
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr)
{
	if (esr >> 26 != 0)
		guest_unexpected_exception(esr, elr);
	undefined_taken++;
	return elr + 4;
}

static void exception_storm(void)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	for (unsigned int i = 0; i < UNDEFINED; i++)
		__asm__ __volatile__("udf #0" ::: "memory");
	CHECK_EQ(undefined_taken, UNDEFINED);
	guest_printf("%u undefined instructions taken\n", undefined_taken);
}

static void interrupts_off(bool off)
{
	if (off)
		__asm__ __volatile__("msr daifset, #3" ::: "memory");
	else
		__asm__ __volatile__("msr daifclr, #3" ::: "memory");
}
#else
static void exception_storm(void)
{
	unsigned int before = guest_faults;

	for (unsigned int i = 0; i < UNDEFINED; i++) {
		guest_expect_fault(2);
		__asm__ __volatile__("ud2" ::: "memory");
	}
	CHECK_EQ(guest_faults - before, UNDEFINED);
	CHECK_EQ(guest_fault_vector, 6); /* #UD */
	guest_printf("%u undefined instructions taken\n",
		     guest_faults - before);
}

static void interrupts_off(bool off)
{
	if (off)
		__asm__ __volatile__("cli" ::: "memory");
	else
		__asm__ __volatile__("sti" ::: "memory");
}
#endif

static void spin_with_interrupts_off(void)
{
	uint64_t end = guest_ticks() + guest_ticks_per_sec();

	interrupts_off(true);
	while (guest_ticks() < end)
		;
	interrupts_off(false);
	guest_print("spun a second with interrupts off\n");
}

#ifdef __x86_64__
/* Xen's hypercall page is the guest's own memory: overwritten, it only
 * hurts the guest, and asking for it again (the MSR) restores it. */
static void rewrite_hypercall_page(void)
{
	for (size_t i = 0; i < sizeof(guest_hypercall_page); i++)
		guest_hypercall_page[i] = 0xcc; /* int3 */
	guest_init();
	CHECK_EQ(guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				 0, 0) >>
		     16,
		 4);
	guest_print("hypercall page overwritten and installed again\n");
}
#endif

static uint8_t fifo_pages[2][4096] __attribute__((aligned(4096)));

static long memory_op(unsigned int cmd, void *arg)
{
	return guest_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
			       0, 0, 0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void give_back_fifo_pages(void)
{
	xen_pfn_t frames[2] = {(uintptr_t)fifo_pages[0] >> 12,
			       (uintptr_t)fifo_pages[1] >> 12};
	struct evtchn_init_control init = {.control_gfn = frames[0]};
	struct evtchn_expand_array expand = {.array_gfn = frames[1]};
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_reset reset = {.dom = DOMID_SELF};
	struct evtchn_send send;
	struct xen_memory_reservation r = {
	    .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF};
	long rc = guest_evtchn_op(EVTCHNOP_init_control, &init);

	if (rc == -XEN_ENOSYS) {
		guest_print("no event channels to give pages to\n");
		return;
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(guest_evtchn_op(EVTCHNOP_expand_array, &expand), 0);
	CHECK_EQ(guest_evtchn_op(EVTCHNOP_bind_ipi, &ipi), 0);
	set_xen_guest_handle(r.extent_start, frames);
	/* Nothing may touch fifo_pages until the populate gives them back. */
	CHECK_EQ(memory_op(XENMEM_decrease_reservation, &r), 2);
	send.port = ipi.port;
	CHECK_EQ(guest_evtchn_op(EVTCHNOP_send, &send), 0);
	CHECK_EQ(memory_op(XENMEM_populate_physmap, &r), 0);
	CHECK_EQ(guest_evtchn_op(EVTCHNOP_reset, &reset), 0);
	CHECK_EQ(memory_op(XENMEM_populate_physmap, &r), 2);
	CHECK(all_zero(fifo_pages[0], sizeof(fifo_pages)));
	guest_print("gave back its FIFO pages in use: kept until reset\n");
}

int main(void)
{
	hypercall_storm();
	bad_console_pointers();
	exception_storm();
	spin_with_interrupts_off();
#ifdef __x86_64__
	rewrite_hypercall_page();
#endif
	give_back_fifo_pages();
	guest_print("misbehaved, and its second vCPU never started\n");
	return guest_test_result();
}
