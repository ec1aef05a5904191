/* The VMCB: the PVH start state, mode and privilege, event injection and
 * interrupt windows, the intercept maps, the exit decoding, and a new
 * vCPU's state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_exit.h>
#include <hv/x86_svm.h>
#include <hv/x86_vmcb.h>

static struct hv_x86_vmcb vmcb __attribute__((aligned(4096)));
static uint8_t iopm[HV_X86_IOPM_SIZE];
static uint8_t msrpm[HV_X86_MSRPM_SIZE];

static void pvh_start_state(void **state)
{
	struct hv_x86_vmcb_setup s = {.entry = 0x100000,
				      .start_info = 0x1000,
				      .ncr3 = 0x5000,
				      .asid = 3,
				      .iopm_pa = 0x10000,
				      .msrpm_pa = 0x20000};
	uint64_t gpr[16];

	(void)state;
	memset(&vmcb, 0xa5, sizeof(vmcb));
	memset(gpr, 0xa5, sizeof(gpr));
	hv_x86_vmcb_init_pvh(&vmcb, gpr, &s);
	assert_true(vmcb.save.rip == 0x100000);
	assert_true(gpr[HV_X86_RBX] == 0x1000);
	assert_true(gpr[HV_X86_RAX] == 0 && gpr[HV_X86_RSP] == 0 &&
		    gpr[HV_X86_R15] == 0);
	assert_true(vmcb.save.cr0 == (HV_X86_CR0_PE | HV_X86_CR0_ET));
	assert_true(vmcb.save.cr4 == 0);
	assert_true(vmcb.save.efer == HV_X86_EFER_SVME);
	assert_true(vmcb.save.rflags == 2);
	assert_int_equal(vmcb.save.cs.attrib, HV_X86_SEG_CODE32);
	assert_int_equal(vmcb.save.ss.attrib, HV_X86_SEG_DATA32);
	assert_int_equal(vmcb.save.ds.limit, 0xffffffffu);
	assert_true(vmcb.save.cs.base == 0);
	assert_int_equal(vmcb.save.tr.attrib, HV_X86_SEG_TSS32_BUSY);
	assert_true(vmcb.control.ncr3 == 0x5000);
	assert_true(vmcb.control.nested_ctl == 1);
	assert_int_equal(vmcb.control.asid, 3);
	assert_true(vmcb.control.iopm_base_pa == 0x10000);
	assert_true(vmcb.control.msrpm_base_pa == 0x20000);
	assert_true(vmcb.control.vintr & HV_X86_VINTR_MASKING);
	assert_int_equal(vmcb.control.tlb_control, HV_X86_TLB_FLUSH_ALL);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_INTR);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_SHUTDOWN);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_IOIO);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_MSR);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_HLT);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_CPUID);
	assert_true(vmcb.control.intercept_misc2 & HV_X86_INTERCEPT2_VMRUN);
	assert_true(vmcb.control.intercept_misc2 & HV_X86_INTERCEPT2_VMMCALL);
	/* What would reach the host's caches and counters. */
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_INVD);
	assert_true(vmcb.control.intercept_misc2 & HV_X86_INTERCEPT2_WBINVD);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_RDPMC);
	assert_int_equal(vmcb.control.intercept_exceptions, 0);
	assert_true(vmcb.control.eventinj == 0);
	/* A PVH guest starts in 32-bit protected mode at CPL 0. */
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_PROT32);
	assert_int_equal(hv_x86_vmcb_cpl(&vmcb), 0);
}

/* INIT and STARTUP 0x9e: real mode at 9e00:0000, intercepts kept. */
static void startup_state(void **state)
{
	struct hv_x86_vmcb_setup s = {
	    .entry = 0x100000, .ncr3 = 0x5000, .asid = 2};
	uint64_t gpr[16];

	(void)state;
	hv_x86_vmcb_init_pvh(&vmcb, gpr, &s);
	vmcb.save.g_pat = 0x0606;
	vmcb.control.eventinj = 0x800000ec;
	hv_x86_vmcb_startup(&vmcb, gpr, 0x9e);
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_REAL);
	assert_int_equal(vmcb.save.cs.sel, 0x9e00);
	assert_int_equal(vmcb.save.cs.base, 0x9e000);
	assert_int_equal(vmcb.save.cs.limit, 0xffff);
	assert_int_equal(vmcb.save.ss.base, 0);
	assert_int_equal(vmcb.save.rip, 0);
	assert_int_equal(vmcb.save.rflags, 2);
	assert_int_equal(vmcb.save.cr0, 0x10);
	assert_int_equal(vmcb.save.efer, HV_X86_EFER_SVME);
	assert_int_equal(vmcb.save.g_pat, 0x0606);
	assert_int_equal(vmcb.control.eventinj, 0);
	assert_int_equal(vmcb.control.ncr3, 0x5000);
	assert_int_equal(vmcb.control.asid, 2);
	assert_int_equal(gpr[HV_X86_RBX], 0);
}

static void modes_and_privilege(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_REAL);
	assert_int_equal(hv_x86_vmcb_cpl(&vmcb), 0);
	vmcb.save.cr0 = HV_X86_CR0_PE;
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_PROT16);
	vmcb.save.cs.attrib = HV_X86_SEG_CODE32;
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_PROT32);
	vmcb.save.rflags = HV_X86_RFLAGS_VM;
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_VM86);
	assert_int_equal(hv_x86_vmcb_cpl(&vmcb), 3);
	vmcb.save.rflags = 2;
	/* Compatibility mode: LMA with a 32-bit CS. */
	vmcb.save.efer = HV_X86_EFER_LMA;
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_PROT32);
	vmcb.save.cs.attrib = 0x29b; /* 64-bit code */
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_LONG64);
	/* CPL from SS.DPL, whatever the VMCB's CPL byte says. */
	vmcb.save.cpl = 0;
	vmcb.save.ss.attrib = 0x0f3; /* DPL 3 */
	assert_int_equal(hv_x86_vmcb_cpl(&vmcb), 3);
	vmcb.save.ss.attrib = 0x0b3; /* DPL 1 */
	assert_int_equal(hv_x86_vmcb_cpl(&vmcb), 1);
}

/* A virtual interrupt: V_IRQ, V_IGN_TPR, priority 15, the vector. */
#define VIRQ(vector)                                                           \
	(HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |                           \
	 0xfull << HV_X86_VINTR_PRIO_SHIFT |                                   \
	 (uint64_t)(vector) << HV_X86_VINTR_VECTOR_SHIFT)

static void event_injection(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	hv_x86_vmcb_inject_exception(&vmcb, HV_X86_VEC_GP, true, 0x18);
	assert_true(vmcb.control.eventinj ==
		    (HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_EXCEPTION |
		     HV_X86_EVENT_ERROR_VALID | 13 | 0x18ull << 32));
	hv_x86_vmcb_inject_exception(&vmcb, HV_X86_VEC_UD, false, 0x18);
	assert_true(vmcb.control.eventinj ==
		    (HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_EXCEPTION | 6));
	/* An interrupted delivery goes again; nothing else is touched. */
	vmcb.control.eventinj = 0;
	vmcb.control.exitintinfo = 14 | HV_X86_EVENT_TYPE_EXCEPTION;
	hv_x86_vmcb_reinject(&vmcb);
	assert_true(vmcb.control.eventinj == 0);
	vmcb.control.exitintinfo |= HV_X86_EVENT_VALID;
	hv_x86_vmcb_reinject(&vmcb);
	assert_true(vmcb.control.eventinj == vmcb.control.exitintinfo);
	/* QEMU records an interrupt it was delivering as an exception, which
	 * VMRUN refuses above vector 31: it goes back as a virtual one. */
	vmcb.control.eventinj = 0;
	vmcb.control.exitintinfo =
	    HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_EXCEPTION | 0xf3;
	vmcb.control.intercept_misc1 = HV_X86_INTERCEPT1_VINTR;
	hv_x86_vmcb_reinject(&vmcb);
	assert_true(vmcb.control.eventinj == 0);
	assert_true((vmcb.control.vintr & VIRQ(0xff)) == VIRQ(0xf3));
	assert_false(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
}

static void io_permission_map(void **state)
{
	(void)state;
	hv_x86_iopm_init(iopm);
	assert_true(hv_x86_iopm_intercepts(iopm, 0x80, 1));
	hv_x86_iopm_set(iopm, 0x80, false);
	assert_false(hv_x86_iopm_intercepts(iopm, 0x80, 1));
	/* A wider access checks every byte's bit. */
	assert_true(hv_x86_iopm_intercepts(iopm, 0x80, 2));
	hv_x86_iopm_set(iopm, 0x81, false);
	assert_false(hv_x86_iopm_intercepts(iopm, 0x80, 2));
	assert_true(hv_x86_iopm_intercepts(iopm, 0x7f, 2));
	hv_x86_iopm_set(iopm, 0x80, true);
	assert_true(hv_x86_iopm_intercepts(iopm, 0x80, 1));
	/* Past port 0xffff the map still answers (its bits are set). */
	hv_x86_iopm_set(iopm, 0xffff, false);
	assert_false(hv_x86_iopm_intercepts(iopm, 0xffff, 1));
	assert_true(hv_x86_iopm_intercepts(iopm, 0xffff, 4));
}

static void msr_permission_map(void **state)
{
	static const uint32_t msrs[] = {0x10,	     0x1fff,	  0xc0000080u,
					0xc0001fffu, 0xc0010000u, 0xc0011fffu};

	(void)state;
	hv_x86_msrpm_init(msrpm);
	for (unsigned int i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		assert_true(hv_x86_msrpm_intercepts(msrpm, msrs[i], false));
		assert_int_equal(hv_x86_msrpm_set(msrpm, msrs[i], false, true),
				 0);
		assert_false(hv_x86_msrpm_intercepts(msrpm, msrs[i], false));
		assert_true(hv_x86_msrpm_intercepts(msrpm, msrs[i], true));
		assert_int_equal(hv_x86_msrpm_set(msrpm, msrs[i], true, false),
				 0);
		assert_true(hv_x86_msrpm_intercepts(msrpm, msrs[i], false));
		assert_false(hv_x86_msrpm_intercepts(msrpm, msrs[i], true));
	}
	/* Neighbours keep their bits. */
	assert_true(hv_x86_msrpm_intercepts(msrpm, 0x11, true));
	assert_true(hv_x86_msrpm_intercepts(msrpm, 0xc0000081u, false));
	/* The bit layout (APM 15.11): MSR 0x10's read bit is bit 32. */
	hv_x86_msrpm_init(msrpm);
	hv_x86_msrpm_set(msrpm, 0x10, false, true);
	assert_int_equal(msrpm[4], 0xfe);
	hv_x86_msrpm_set(msrpm, 0xc0010000u, true, false);
	assert_int_equal(msrpm[0x1000], 0xfd);
	/* Outside the three ranges: always intercepted, cannot be set. */
	assert_int_equal(hv_x86_msrpm_set(msrpm, 0x2000, false, false),
			 -HV_EINVAL);
	assert_int_equal(hv_x86_msrpm_set(msrpm, 0x40000000u, false, false),
			 -HV_EINVAL);
	assert_int_equal(hv_x86_msrpm_set(msrpm, 0xc0012000u, false, false),
			 -HV_EINVAL);
	assert_true(hv_x86_msrpm_intercepts(msrpm, 0x40000000u, false));
	assert_true(hv_x86_msrpm_intercepts(msrpm, 0xbfffffffu, true));
}

static void exit_names(void **state)
{
	(void)state;
	assert_string_equal(hv_x86_exit_name(HV_X86_EXIT_NPF), "npf");
	assert_string_equal(hv_x86_exit_name(HV_X86_EXIT_VMMCALL), "vmmcall");
	assert_string_equal(hv_x86_exit_name(HV_X86_EXIT_SHUTDOWN), "shutdown");
	assert_string_equal(hv_x86_exit_name(HV_X86_EXIT_EXCEPTION_BASE + 13),
			    "#GP");
	assert_string_equal(hv_x86_exit_name(0x3ff), "unknown");
	/* VMEXIT_INVALID as the APM writes it and as QEMU stores it. */
	assert_string_equal(hv_x86_exit_name(UINT64_MAX), "invalid");
	assert_string_equal(hv_x86_exit_name(0xffffffffull), "invalid");
	assert_true(hv_x86_exit_is_invalid(0xffffffffull));
	assert_false(hv_x86_exit_is_invalid(HV_X86_EXIT_NPF));
	assert_string_equal(hv_x86_exception_name(14), "#PF");
	assert_string_equal(hv_x86_exception_name(32), "?");
}

static void ioio_decoding(void **state)
{
	struct hv_x86_ioio io;

	(void)state;
	/* in %dx(0x3f8), %al */
	assert_int_equal(hv_x86_decode_ioio(0x03f80000ull | 1 | 1 << 4, &io),
			 0);
	assert_int_equal(io.port, 0x3f8);
	assert_int_equal(io.size, 1);
	assert_true(io.in);
	assert_false(io.string);
	assert_false(io.rep);
	/* out %ax, $0xe9 */
	assert_int_equal(hv_x86_decode_ioio(0x00e90000ull | 1 << 5, &io), 0);
	assert_int_equal(io.size, 2);
	assert_false(io.in);
	/* rep outsl with 64-bit addresses from %fs (segment 4) */
	assert_int_equal(hv_x86_decode_ioio(0x00800000ull | 1 << 2 | 1 << 3 |
						1 << 6 | 1 << 9 | 4 << 10,
					    &io),
			 0);
	assert_int_equal(io.size, 4);
	assert_true(io.string);
	assert_true(io.rep);
	assert_int_equal(io.addr_size, 8);
	assert_int_equal(io.segment, 4);
	assert_int_equal(hv_x86_decode_ioio(1 << 7 | 1 << 4, &io), 0);
	assert_int_equal(io.addr_size, 2);
	/* No size bit, or two: malformed. */
	assert_int_equal(hv_x86_decode_ioio(0x00800000ull, &io), -HV_EINVAL);
	assert_int_equal(hv_x86_decode_ioio(3 << 4, &io), -HV_EINVAL);
}

static void mov_to_cr_decoding(void **state)
{
	/* mov %rax,%cr4; mov %r9,%cr4 (REX.B); mov %rdx,%cr8 (REX.R); a REX
	 * before a legacy prefix, which does not count; AMD's LOCK CR8. */
	static const uint8_t rax_cr4[] = {0x0f, 0x22, 0xe0};
	static const uint8_t r9_cr4[] = {0x41, 0x0f, 0x22, 0xe1};
	static const uint8_t rdx_cr8[] = {0x44, 0x0f, 0x22, 0xc2};
	static const uint8_t stale_rex[] = {0x41, 0x66, 0x0f, 0x22, 0xe1};
	static const uint8_t lock_cr0[] = {0xf0, 0x0f, 0x22, 0xc3};
	static const uint8_t mov_from_cr4[] = {0x0f, 0x20, 0xe0};
	struct hv_x86_mov_cr m;

	(void)state;
	assert_int_equal(hv_x86_decode_mov_to_cr(rax_cr4, 3, true, &m), 0);
	assert_int_equal(m.cr, 4);
	assert_int_equal(m.gpr, HV_X86_RAX);
	assert_int_equal(m.len, 3);
	assert_int_equal(hv_x86_decode_mov_to_cr(r9_cr4, 4, true, &m), 0);
	assert_int_equal(m.cr, 4);
	assert_int_equal(m.gpr, 9);
	assert_int_equal(m.len, 4);
	/* Outside long mode 0x41 is INC %ecx, not a prefix. */
	assert_int_equal(hv_x86_decode_mov_to_cr(r9_cr4, 4, false, &m),
			 -HV_EINVAL);
	assert_int_equal(hv_x86_decode_mov_to_cr(rdx_cr8, 4, true, &m), 0);
	assert_int_equal(m.cr, 8);
	assert_int_equal(m.gpr, HV_X86_RDX);
	assert_int_equal(hv_x86_decode_mov_to_cr(stale_rex, 5, true, &m), 0);
	assert_int_equal(m.gpr, HV_X86_RCX);
	assert_int_equal(m.len, 5);
	assert_int_equal(hv_x86_decode_mov_to_cr(lock_cr0, 4, false, &m), 0);
	assert_int_equal(m.cr, 8);
	assert_int_equal(m.gpr, HV_X86_RBX);
	/* Cut short, or another instruction. */
	assert_int_equal(hv_x86_decode_mov_to_cr(rax_cr4, 2, true, &m),
			 -HV_EINVAL);
	assert_int_equal(hv_x86_decode_mov_to_cr(mov_from_cr4, 3, true, &m),
			 -HV_EINVAL);
}

static void new_vcpu_state(void **state)
{
	struct hv_x86_vcpu v;
	uint16_t fcw;
	uint32_t mxcsr;

	(void)state;
	memset(&v, 0xa5, sizeof(v));
	hv_x86_vcpu_init(&v, &vmcb, 0x7000);
	assert_ptr_equal(v.vmcb, &vmcb);
	assert_true(v.vmcb_pa == 0x7000);
	assert_true(v.gpr[HV_X86_RAX] == 0 && v.gpr[HV_X86_R15] == 0);
	memcpy(&fcw, &v.fxsave[0], 2);
	memcpy(&mxcsr, &v.fxsave[24], 4);
	assert_int_equal(fcw, 0x37f);
	assert_int_equal(mxcsr, 0x1f80);
	assert_int_equal(v.fxsave[2], 0); /* FSW */
	assert_int_equal((uintptr_t)v.fxsave % 16, 0);
}

#define WINDOW_BITS                                                            \
	(HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |                           \
	 0xfull << HV_X86_VINTR_PRIO_SHIFT |                                   \
	 0xffull << HV_X86_VINTR_VECTOR_SHIFT)

/* An interrupt the guest can take goes in as a virtual interrupt without
 * the VINTR intercept, not through EVENTINJ (QEMU 7.2 delivers an
 * injected INTR a second time, docs/x86.md). */
static void interrupt_when_the_guest_can_take_it(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.control.vintr = HV_X86_VINTR_MASKING;
	vmcb.save.rflags = 2 | HV_X86_RFLAGS_IF;
	assert_true(hv_x86_vmcb_interruptible(&vmcb));
	assert_true(hv_x86_vmcb_inject_intr(&vmcb, 0xf3));
	assert_true(vmcb.control.eventinj == 0);
	assert_true(vmcb.control.vintr == (HV_X86_VINTR_MASKING | VIRQ(0xf3)));
	assert_false(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
	/* Until the guest takes it, nothing else goes in and no window
	 * replaces it. */
	assert_false(hv_x86_vmcb_interruptible(&vmcb));
	assert_false(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	assert_true(vmcb.control.vintr == (HV_X86_VINTR_MASKING | VIRQ(0xf3)));
	assert_false(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
	/* Taken: the CPU cleared V_IRQ. */
	vmcb.control.vintr &= ~HV_X86_VINTR_V_IRQ;
	assert_true(hv_x86_vmcb_interruptible(&vmcb));
	assert_true(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	assert_true(vmcb.control.vintr == (HV_X86_VINTR_MASKING | VIRQ(0x20)));
}

/* Interrupts off, in an STI shadow, or behind an exception: a window is
 * asked for, EVENTINJ untouched; once the guest can, the window closes
 * and the interrupt goes in. */
static void interrupt_window_otherwise(void **state)
{
	uint64_t ud = HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_EXCEPTION | 6;

	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.control.vintr = HV_X86_VINTR_MASKING;
	vmcb.save.rflags = 2;
	assert_false(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	assert_true(vmcb.control.eventinj == 0);
	assert_true(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
	assert_true((vmcb.control.vintr & WINDOW_BITS) ==
		    (HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |
		     0xfull << HV_X86_VINTR_PRIO_SHIFT |
		     0x20ull << HV_X86_VINTR_VECTOR_SHIFT));
	assert_true(vmcb.control.vintr & HV_X86_VINTR_MASKING);

	vmcb.save.rflags |= HV_X86_RFLAGS_IF;
	vmcb.control.interrupt_shadow = HV_X86_INTERRUPT_SHADOW;
	assert_false(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	vmcb.control.interrupt_shadow = 0;
	vmcb.control.eventinj = ud;
	assert_false(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	assert_true(vmcb.control.eventinj == ud);

	/* Another vector while the window is open replaces the first. */
	assert_false(hv_x86_vmcb_inject_intr(&vmcb, 0xf3));
	assert_true((vmcb.control.vintr & WINDOW_BITS) ==
		    (HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |
		     0xfull << HV_X86_VINTR_PRIO_SHIFT |
		     0xf3ull << HV_X86_VINTR_VECTOR_SHIFT));

	vmcb.control.eventinj = 0;
	assert_true(hv_x86_vmcb_inject_intr(&vmcb, 0x20));
	assert_true((vmcb.control.vintr & WINDOW_BITS) == VIRQ(0x20));
	assert_true(vmcb.control.vintr & HV_X86_VINTR_MASKING);
	assert_false(vmcb.control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
}

/* `sti; hlt` stopped between the two, interrupts on: an interrupt now
 * is the HLT's wake-up (the caller steps over the HLT first). */
static void sti_shadow_before_an_interrupt(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.rflags = 2 | HV_X86_RFLAGS_IF;
	vmcb.control.interrupt_shadow = HV_X86_INTERRUPT_SHADOW;
	assert_true(hv_x86_vmcb_in_sti_shadow(&vmcb));
	/* Not with interrupts off (a MOV SS shadow, say: no wake-up due). */
	vmcb.save.rflags = 2;
	assert_false(hv_x86_vmcb_in_sti_shadow(&vmcb));
	/* Nor outside a shadow, nor with an event already going in. */
	vmcb.save.rflags = 2 | HV_X86_RFLAGS_IF;
	vmcb.control.interrupt_shadow = 0;
	assert_false(hv_x86_vmcb_in_sti_shadow(&vmcb));
	vmcb.control.interrupt_shadow = HV_X86_INTERRUPT_SHADOW;
	vmcb.control.eventinj =
	    HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_INTR | 32;
	assert_false(hv_x86_vmcb_in_sti_shadow(&vmcb));
}

/* Where the next instruction is: the CS base counts but in 64-bit mode,
 * and outside it the address wraps at 4 GiB. */
static void next_instruction_address(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.cr0 = HV_X86_CR0_PE;
	vmcb.save.cs.attrib = HV_X86_SEG_CODE32;
	vmcb.save.cs.base = 0x10000;
	vmcb.save.rip = 0x1234;
	assert_true(hv_x86_vmcb_rip_linear(&vmcb) == 0x11234);
	vmcb.save.cs.base = 0xfffff000;
	vmcb.save.rip = 0x2000;
	assert_true(hv_x86_vmcb_rip_linear(&vmcb) == 0x1000);
	vmcb.save.efer = HV_X86_EFER_LMA;
	vmcb.save.cs.attrib = 0x29b; /* 64-bit code */
	vmcb.save.rip = 0xffffffff81000000ull;
	assert_true(hv_x86_vmcb_rip_linear(&vmcb) == 0xffffffff81000000ull);
}

static void skip_ends_the_shadow(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.rip = 0x1000;
	vmcb.control.interrupt_shadow = HV_X86_INTERRUPT_SHADOW;
	hv_x86_vmcb_skip(&vmcb, 1);
	assert_true(vmcb.save.rip == 0x1001);
	assert_true(vmcb.control.interrupt_shadow == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(interrupt_when_the_guest_can_take_it),
	    cmocka_unit_test(interrupt_window_otherwise),
	    cmocka_unit_test(sti_shadow_before_an_interrupt),
	    cmocka_unit_test(next_instruction_address),
	    cmocka_unit_test(skip_ends_the_shadow),
	    cmocka_unit_test(pvh_start_state),
	    cmocka_unit_test(startup_state),
	    cmocka_unit_test(modes_and_privilege),
	    cmocka_unit_test(event_injection),
	    cmocka_unit_test(io_permission_map),
	    cmocka_unit_test(msr_permission_map),
	    cmocka_unit_test(exit_names),
	    cmocka_unit_test(ioio_decoding),
	    cmocka_unit_test(mov_to_cr_decoding),
	    cmocka_unit_test(new_vcpu_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
