/* The Xen guest interface on x86: CPUID leaves, the guest's view of the
 * processor, the hypercall page and registers, time conversions and the
 * pvclock record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/x86_svm.h>
#include <hv/x86_timer.h>
#include <hv/x86_xen.h>

#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>

static const struct hv_x86_xen_cpuid_info info = {
    .tsc_hz = 2600000000ull, .vcpu_id = 2, .domid = 5};

static void hypervisor_leaves(void **state)
{
	struct hv_x86_cpuid_regs r;
	char sig[13];

	(void)state;
	assert_true(hv_x86_xen_cpuid(0x40000000u, 0, &info, &r));
	assert_int_equal(r.eax, 0x40000005u);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	assert_string_equal(sig, "XenVMMXenVMM");
	assert_true(hv_x86_xen_cpuid(0x40000001u, 0, &info, &r));
	assert_int_equal(r.eax,
			 (__XEN_LATEST_INTERFACE_VERSION__ >> 16 & 0xff) << 16 |
			     (__XEN_LATEST_INTERFACE_VERSION__ >> 8 & 0xff));
	assert_true(hv_x86_xen_cpuid(0x40000002u, 0, &info, &r));
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx, HV_X86_XEN_MSR_HYPERCALL);
	assert_int_equal(r.ecx | r.edx, 0);
	assert_true(hv_x86_xen_cpuid(0x40000004u, 0, &info, &r));
	assert_int_equal(r.eax, XEN_HVM_CPUID_VCPU_ID_PRESENT |
				    XEN_HVM_CPUID_DOMID_PRESENT |
				    XEN_HVM_CPUID_UPCALL_VECTOR);
	assert_int_equal(r.ebx, 2);
	assert_int_equal(r.ecx, 5);
	assert_true(hv_x86_xen_cpuid(0x40000004u, 1, &info, &r));
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Leaf 5 and beyond, to the end of the range: zeroes. */
	assert_true(hv_x86_xen_cpuid(0x40000005u, 0, &info, &r));
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_true(hv_x86_xen_cpuid(0x400000ffu, 0, &info, &r));
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Not Xen's. */
	assert_false(hv_x86_xen_cpuid(0x40000100u, 0, &info, &r));
	assert_false(hv_x86_xen_cpuid(0x3fffffffu, 0, &info, &r));
	assert_false(hv_x86_xen_cpuid(1, 0, &info, &r));
}

static void time_leaf(void **state)
{
	struct hv_x86_cpuid_regs r;
	uint32_t mul;
	int shift;

	(void)state;
	assert_true(hv_x86_xen_cpuid(0x40000003u, 0, &info, &r));
	assert_int_equal(r.eax, 0); /* TSC not emulated */
	assert_int_equal(r.ebx, 0); /* tsc_mode default */
	assert_int_equal(r.ecx, 2600000);
	assert_int_equal(r.edx, 0);
	assert_true(hv_x86_xen_cpuid(0x40000003u, 1, &info, &r));
	hv_x86_tsc_scale(info.tsc_hz, &mul, &shift);
	assert_int_equal(r.eax | r.ebx, 0); /* no offset */
	assert_int_equal(r.ecx, mul);
	assert_int_equal((int)r.edx, shift);
	assert_true(hv_x86_xen_cpuid(0x40000003u, 2, &info, &r));
	assert_int_equal(r.eax, 2600000);
	assert_true(hv_x86_xen_cpuid(0x40000003u, 3, &info, &r));
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* ns from ticks as a guest computes it with the scale. */
static uint64_t scaled(uint64_t ticks, uint32_t mul, int shift)
{
	uint64_t t = shift >= 0 ? ticks << shift : ticks >> -shift;

	return (uint64_t)(((__uint128_t)t * mul) >> 32);
}

static void tsc_scale(void **state)
{
	static const uint64_t rates[] = {
	    1,		1000000,    999999999,	   1000000000,
	    1000000001, 2000000000, 2600000000ull, 5000000000ull};
	uint32_t mul;
	int shift;

	(void)state;
	for (unsigned int i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint64_t hz = rates[i];
		uint64_t ns;

		hv_x86_tsc_scale(hz, &mul, &shift);
		assert_true(mul >=
			    0x80000000u); /* the fraction is in [1/2, 1) */
		/* One second of ticks is one second, within 1 ppm. */
		ns = scaled(hz, mul, shift);
		assert_true(ns <= 1000000000ull && ns > 999999000ull);
	}
	hv_x86_tsc_scale(1000000000, &mul, &shift);
	assert_int_equal(shift, 1);
	hv_x86_tsc_scale(2000000000, &mul, &shift);
	assert_int_equal(shift, 0);
	assert_int_equal(mul, 0x80000000u);
}

/* Linux's pvclock read (pvclock_scale_delta): the guest's view. */
static uint64_t pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift < 0)
		delta >>= -t->tsc_shift;
	else
		delta <<= t->tsc_shift;
	return t->system_time +
	       (uint64_t)(((__uint128_t)delta * t->tsc_to_system_mul) >> 32);
}

/*
 * The record's version goes from even to even (odd only meanwhile), also
 * from an odd one the guest left; the guest's clock agrees with the
 * hypervisor's exact conversion an hour on, within 1 us.
 */
static void pvclock(void **state)
{
	const uint64_t hz = 2135342000ull, tsc0 = 123456789012ull;
	struct vcpu_time_info t;
	hv_time_t now0 = hv_x86_ticks_to_ns(tsc0, hz);
	uint64_t hour = 3600 * hz;
	uint64_t want = (uint64_t)hv_x86_ticks_to_ns(tsc0 + hour, hz);
	uint64_t got;

	(void)state;
	memset(&t, 0xa5, sizeof(t));
	t.version = 0;
	hv_x86_xen_time_update(&t, tsc0, now0, hz);
	assert_int_equal(t.version, 2);
	assert_int_equal(t.tsc_timestamp, tsc0);
	assert_int_equal(t.system_time, (uint64_t)now0);
	assert_int_equal(t.flags, 0);
	assert_int_equal(pvclock_ns(&t, tsc0), (uint64_t)now0);
	got = pvclock_ns(&t, tsc0 + hour);
	assert_true(got <= want + 1000 && got + 1000 >= want);
	hv_x86_xen_time_update(&t, tsc0, now0, hz);
	assert_int_equal(t.version, 4);
	t.version = 7;
	hv_x86_xen_time_update(&t, tsc0, now0, hz);
	assert_int_equal(t.version, 10);
	/* A 1 GHz TSC: ticks are ns. */
	hv_x86_xen_time_update(&t, 1000, 1000, 1000000000);
	assert_int_equal(pvclock_ns(&t, 5000000000ull), 5000000000ull);
}

static void guest_view_of_the_processor(void **state)
{
	struct hv_x86_cpuid_regs r;

	(void)state;
	r = (struct hv_x86_cpuid_regs){0x000306a9, 0x05100800, 0xffffffff,
				       0xffffffff};
	hv_x86_cpuid_guest(1, 0, &r);
	assert_int_equal(r.eax, 0x000306a9); /* family/model kept */
	assert_int_equal(r.ebx, 0x00100800); /* APIC ID 0 */
	assert_true(r.ecx & (1u << 31));     /* hypervisor */
	assert_false(r.ecx & (1u << 5));     /* VMX */
	assert_false(r.ecx & (1u << 21));    /* x2APIC */
	assert_false(r.ecx & (1u << 26));    /* XSAVE */
	assert_false(r.ecx & (1u << 3));     /* MONITOR */
	assert_true(r.ecx & (1u << 0));	     /* SSE3 kept */
	assert_false(r.edx & (1u << 9));     /* APIC */
	assert_false(r.edx & (1u << 12));    /* MTRR */
	assert_true(r.edx & (1u << 25));     /* SSE kept */
	r = (struct hv_x86_cpuid_regs){0, 0, 0, 0};
	hv_x86_cpuid_guest(1, 0, &r);
	assert_int_equal(r.ecx, 1u << 31);
	/* With a vLAPIC: APIC, x2APIC, TSC-deadline, the APIC ID. */
	hv_x86_cpuid_guest_apic(1, 5, &r);
	assert_int_equal(r.ebx, 5u << 24);
	assert_int_equal(r.ecx, 1u << 31 | 1u << 24 | 1u << 21);
	assert_int_equal(r.edx, 1u << 9);
	r = (struct hv_x86_cpuid_regs){1, 2, 0x100, 0};
	hv_x86_cpuid_guest_apic(0xb, 3, &r);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ecx, 0x100);
	assert_int_equal(r.edx, 3);

	r = (struct hv_x86_cpuid_regs){7, 0xffffffff, 0xffffffff, 0xffffffff};
	hv_x86_cpuid_guest(7, 0, &r);
	assert_int_equal(r.eax, 7);
	assert_true(r.ebx & (1u << 3));	 /* BMI1 kept */
	assert_false(r.ebx & (1u << 5)); /* AVX2 */
	assert_int_equal(r.ecx | r.edx, 0);
	r = (struct hv_x86_cpuid_regs){1, 1, 1, 1};
	hv_x86_cpuid_guest(7, 1, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);

	r = (struct hv_x86_cpuid_regs){1, 1, 1, 1};
	hv_x86_cpuid_guest(0x8000000au, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = (struct hv_x86_cpuid_regs){1, 1, 1, 1};
	hv_x86_cpuid_guest(0xd, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = (struct hv_x86_cpuid_regs){0, 0, 0xffffffff, 0x28100800};
	hv_x86_cpuid_guest(0x80000001u, 0, &r);
	assert_false(r.ecx & (1u << 2));     /* SVM */
	assert_false(r.ecx & (1u << 23));    /* PerfCtrExtCore */
	assert_false(r.ecx & (1u << 28));    /* PerfCtrExtLLC */
	assert_true(r.ecx & (1u << 0));	     /* LAHF kept */
	assert_int_equal(r.edx, 0x20100800); /* LM, NX, SYSCALL kept; RDTSCP */
	/* Leaves it does not know pass through. */
	r = (struct hv_x86_cpuid_regs){1, 2, 3, 4};
	hv_x86_cpuid_guest(0x80000008u, 0, &r);
	assert_int_equal(r.eax + r.ebx + r.ecx + r.edx, 10);
}

static void cr4_bits_follow_cpuid(void **state)
{
	/* QEMU's qemu64 as the guest sees it: leaf 1 EDX 0x078bfbff less
	 * the hidden bits, ECX with SSE3 and CX16 only; no leaf 7 bits. */
	struct hv_x86_cpuid_regs l1 = {0, 0, 0x80002001, 0x078bfbff};
	struct hv_x86_cpuid_regs l7 = {0};

	(void)state;
	hv_x86_cpuid_guest(1, 0, &l1);
	/* VME PVI TSD DE PSE PAE PGE PCE OSFXSR OSXMMEXCPT; MCE is hidden */
	assert_int_equal(hv_x86_cr4_guest_valid(&l1, &l7), 0x7bf);
	/* Each leaf-7 feature offers its bit; CET either way. */
	l7.ebx = 1u << 0 | 1u << 7 | 1u << 20;
	assert_int_equal(hv_x86_cr4_guest_valid(&l1, &l7),
			 0x7bf | 1u << 16 | 1u << 20 | 1u << 21);
	l7 = (struct hv_x86_cpuid_regs){0, 0, 1u << 2 | 1u << 16, 1u << 20};
	assert_int_equal(hv_x86_cr4_guest_valid(&l1, &l7),
			 0x7bf | 1u << 11 | 1u << 12 | 1u << 23);
	/* Nothing offered: PCE alone. */
	l1 = l7 = (struct hv_x86_cpuid_regs){0};
	assert_int_equal(hv_x86_cr4_guest_valid(&l1, &l7), 1u << 8);
	/* VMX, PCID and XSAVE would offer theirs (hvkit's view hides two). */
	l1.ecx = 1u << 5 | 1u << 17 | 1u << 26;
	assert_int_equal(hv_x86_cr4_guest_valid(&l1, &l7),
			 1u << 8 | 1u << 13 | 1u << 17 | 1u << 18);
}

static void hypercall_page_bytes(void **state)
{
	static uint8_t page[4096];
	static const uint8_t stub2[] = {0xb8, 2,    0,	  0,   0,
					0x0f, 0x01, 0xd9, 0xc3};

	(void)state;
	memset(page, 0, sizeof(page));
	hv_x86_xen_hypercall_page(page);
	assert_memory_equal(&page[64], stub2, sizeof(stub2));
	for (unsigned int i = 9; i < 32; i++)
		assert_int_equal(page[64 + i], 0xcc);
	assert_int_equal(page[127 * 32 + 1], 127);
	assert_int_equal(page[__HYPERVISOR_iret * 32], 0x0f);
	assert_int_equal(page[__HYPERVISOR_iret * 32 + 1], 0x0b);
	assert_int_equal(page[__HYPERVISOR_iret * 32 + 2], 0xcc);
	assert_int_equal(page[0], 0xb8);
	assert_int_equal(page[1], 0);
}

static void hypercall_registers(void **state)
{
	uint64_t gpr[16], nr, args[5];

	(void)state;
	for (unsigned int i = 0; i < 16; i++)
		gpr[i] = 0xaaaaaaaa00000000ull | i;
	hv_x86_xen_hypercall_args(gpr, true, &nr, args);
	assert_true(nr == gpr[HV_X86_RAX]);
	assert_true(args[0] == gpr[HV_X86_RDI]);
	assert_true(args[1] == gpr[HV_X86_RSI]);
	assert_true(args[2] == gpr[HV_X86_RDX]);
	assert_true(args[3] == gpr[HV_X86_R10]);
	assert_true(args[4] == gpr[HV_X86_R8]);
	/* 32-bit: ebx, ecx, edx, esi, edi, zero-extended. */
	hv_x86_xen_hypercall_args(gpr, false, &nr, args);
	assert_true(nr == HV_X86_RAX);
	assert_true(args[0] == HV_X86_RBX);
	assert_true(args[1] == HV_X86_RCX);
	assert_true(args[2] == HV_X86_RDX);
	assert_true(args[3] == HV_X86_RSI);
	assert_true(args[4] == HV_X86_RDI);
}

static void time_conversions(void **state)
{
	(void)state;
	assert_true(hv_x86_ticks_to_ns(2600000000ull, 2600000000ull) ==
		    1000000000);
	assert_true(hv_x86_ticks_to_ns(3, 3000000000ull) == 1);
	assert_true(hv_x86_ticks_to_ns(UINT64_MAX, 1000000000ull) ==
		    (hv_time_t)UINT64_MAX);
	assert_true(hv_x86_ticks_to_ns(1, 1) == 1000000000);
	/* Rounding up: a timer never fires early. */
	assert_true(hv_x86_ns_to_ticks(1, 2600000000ull) == 3);
	assert_true(hv_x86_ns_to_ticks(1000000000, 2600000000ull) ==
		    2600000000ull);
	assert_true(hv_x86_ns_to_ticks(10000000, 1000000000ull) == 10000000);
	assert_true(hv_x86_ns_to_ticks(-5, 1000000000ull) == 0);
	/* A day at 5 GHz: no overflow on the way. */
	assert_true(hv_x86_ticks_to_ns(
			hv_x86_ns_to_ticks(86400ll * 1000000000, 5000000000ull),
			5000000000ull) == 86400ll * 1000000000);
}

static uint64_t tsc_hz(uint64_t tsc0, uint32_t count0, uint64_t tsc1,
		       uint32_t count1, uint64_t timer_hz)
{
	struct hv_x86_clock_reading start = {tsc0, 20, count0};
	struct hv_x86_clock_reading end = {tsc1, 20, count1};

	return hv_x86_tsc_hz(&start, &end, timer_hz);
}

/* The TSC against QEMU's APIC timer (1 GHz, counting down). */
static void tsc_rate_from_two_readings(void **state)
{
	const uint64_t ghz = 1000000000;
	const uint32_t full = UINT32_MAX;

	(void)state;
	/* 1 ms of timer, 2.1 million TSC ticks: 2.1 GHz, wherever the
	 * readings fall. */
	assert_true(tsc_hz(5000, full, 5000 + 2100000, full - 1000000, ghz) ==
		    2100000000);
	assert_true(tsc_hz(UINT64_MAX - 2100000, 1000001, UINT64_MAX, 1, ghz) ==
		    2100000000);
	/* A delay between the readings lengthens both clocks alike: 4 s of
	 * a 5 GHz TSC, most of the 32-bit count, where TSC ticks times the
	 * timer's rate (2e19) would not fit 64 bits. */
	assert_true(tsc_hz(0, full, 20000000000ull, full - 4000000000u, ghz) ==
		    5000000000ull);
	/* A rate that does not divide evenly: rounded down. */
	assert_true(tsc_hz(0, 3000, 1000, 1, ghz) == 333444481);
	/* Nothing to measure by: the count stood still, went up (the timer
	 * was restarted), or ran out (a one-shot count stops at zero). */
	assert_true(tsc_hz(0, 5000, 1000, 5000, ghz) == 0);
	assert_true(tsc_hz(0, 5000, 1000, 6000, ghz) == 0);
	assert_true(tsc_hz(0, 5000, 1000, 0, ghz) == 0);
	/* Nor a TSC that did not move forward. */
	assert_true(tsc_hz(1000, 5000, 1000, 4000, ghz) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hypervisor_leaves),
	    cmocka_unit_test(time_leaf),
	    cmocka_unit_test(tsc_scale),
	    cmocka_unit_test(pvclock),
	    cmocka_unit_test(guest_view_of_the_processor),
	    cmocka_unit_test(cr4_bits_follow_cpuid),
	    cmocka_unit_test(hypercall_page_bytes),
	    cmocka_unit_test(hypercall_registers),
	    cmocka_unit_test(time_conversions),
	    cmocka_unit_test(tsc_rate_from_two_readings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
