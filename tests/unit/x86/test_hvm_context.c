/* VCPUOP_initialise's struct vcpu_hvm_context loaded into a VMCB (Xen's
 * arch_set_info_hvm_guest checks, and what VMRUN would refuse), and which
 * vector carries a vCPU's event upcall. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_svm.h>
#include <hv/x86_xen.h>

#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

static struct hv_x86_vmcb vmcb __attribute__((aligned(4096)));
static uint64_t gpr[16];

#define CR0_64	 0x80000011ull /* PG, ET, PE */
#define EFER_LME (1ull << 8)

static struct vcpu_hvm_context ctx64(void)
{
	struct vcpu_hvm_context c = {.mode = VCPU_HVM_MODE_64B};
	struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;

	r->rip = 0xffffffff80001000ull;
	r->rsp = 0x7000;
	r->rdi = 0x1234;
	r->rflags = 0;
	r->cr0 = CR0_64;
	r->cr3 = 0x5000;
	r->cr4 = HV_X86_CR4_PAE;
	r->efer = EFER_LME;
	return c;
}

/* A flat 32-bit context as a guest writes it: accessed and busy bits
 * clear, the hypervisor sets them. */
static struct vcpu_hvm_context ctx32(void)
{
	struct vcpu_hvm_context c = {.mode = VCPU_HVM_MODE_32B};
	struct vcpu_hvm_x86_32 *r = &c.cpu_regs.x86_32;

	r->eip = 0x100000;
	r->esp = 0x8000;
	r->ebx = 0x1000;
	r->cr0 = HV_X86_CR0_PE | HV_X86_CR0_ET;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xfffff;
	r->cs_ar = 0xc9a;
	r->ds_ar = r->ss_ar = r->es_ar = 0xc92;
	r->tr_limit = 0x67;
	r->tr_ar = 0x89;
	return c;
}

static void reset(void)
{
	memset(&vmcb, 0xa5, sizeof(vmcb));
	memset(gpr, 0xa5, sizeof(gpr));
}

static void long_mode_context(void **state)
{
	struct vcpu_hvm_context c = ctx64();

	(void)state;
	reset();
	vmcb.control.intercept_misc1 = HV_X86_INTERCEPT1_VINTR | 1;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), 0);
	assert_true(vmcb.save.rip == 0xffffffff80001000ull);
	assert_true(gpr[HV_X86_RSP] == 0x7000 && gpr[HV_X86_RDI] == 0x1234);
	assert_true(gpr[HV_X86_RAX] == 0 && gpr[HV_X86_R15] == 0);
	assert_true(vmcb.save.rflags == 2);
	assert_true(vmcb.save.cr0 == CR0_64 && vmcb.save.cr3 == 0x5000);
	assert_true(vmcb.save.efer ==
		    (EFER_LME | HV_X86_EFER_LMA | HV_X86_EFER_SVME));
	assert_int_equal(vmcb.save.cs.attrib, 0xa9b);
	assert_int_equal(vmcb.save.ss.attrib, 0xc93);
	assert_int_equal(vmcb.save.tr.attrib, 0x08b);
	assert_int_equal(vmcb.save.tr.limit, 0x67);
	assert_int_equal(vmcb.save.cs.sel, 0);
	assert_int_equal(vmcb.save.cpl, 0);
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_LONG64);
	/* Nothing left from before; the intercepts are kept. */
	assert_true(vmcb.control.eventinj == 0);
	assert_true(vmcb.control.interrupt_shadow == 0);
	assert_int_equal(vmcb.control.intercept_misc1, 1);
}

static void long_mode_refusals(void **state)
{
	struct vcpu_hvm_context c;

	(void)state;
	reset();
	c = ctx64();
	c.cpu_regs.x86_64.rip = 0x0000800000000000ull;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.cr0 &= ~HV_X86_CR0_PG;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.cr4 = 0;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.efer = 0;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.efer |= HV_X86_EFER_SVME;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.cr4 |= 1ull << 13; /* VMXE */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.cpu_regs.x86_64.cr0 |= 1ull << 29; /* NW without CD */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.pad = 1;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx64();
	c.mode = 2;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	/* Nothing was changed by a refusal. */
	assert_true(vmcb.save.rip == 0xa5a5a5a5a5a5a5a5ull);
	assert_true(gpr[0] == 0xa5a5a5a5a5a5a5a5ull);
}

static void protected_mode_context(void **state)
{
	struct vcpu_hvm_context c = ctx32();

	(void)state;
	reset();
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), 0);
	assert_true(vmcb.save.rip == 0x100000);
	assert_true(gpr[HV_X86_RBX] == 0x1000 && gpr[HV_X86_RSP] == 0x8000);
	assert_int_equal(vmcb.save.cs.attrib, HV_X86_SEG_CODE32);
	assert_int_equal(vmcb.save.ds.attrib, HV_X86_SEG_DATA32);
	assert_int_equal(vmcb.save.tr.attrib, HV_X86_SEG_TSS32_BUSY);
	assert_int_equal(vmcb.save.cs.limit, 0xfffff);
	assert_true(vmcb.save.efer == HV_X86_EFER_SVME);
	assert_int_equal(hv_x86_vmcb_mode(&vmcb), HV_X86_MODE_PROT32);
	/* Null DS and ES are allowed. */
	c.cpu_regs.x86_32.ds_ar = c.cpu_regs.x86_32.es_ar = 0;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), 0);
	assert_int_equal(vmcb.save.ds.attrib, 0);
}

static void protected_mode_refusals(void **state)
{
	struct vcpu_hvm_context c;

	(void)state;
	reset();
	c = ctx32();
	c.cpu_regs.x86_32.pad2[1] = 1;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cs_ar |= 0x1000; /* bits 15:12 must be clear */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.ss_ar = 0; /* null SS */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cs_ar = 0xc92; /* data in CS */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.ss_ar = 0xc90; /* read-only SS */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.ds_ar = 0xc98; /* execute-only DS */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.tr_ar = 0xc92; /* data in TR */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cs_ar &= ~0x80u; /* not present */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cs_ar &= ~0x800u; /* byte granular: 1 MiB */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.ss_ar |= 3u << 5; /* SS.DPL != CS.DPL */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.es_ar |= 3u << 5; /* ES.DPL > CS.DPL */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.efer = HV_X86_EFER_LMA; /* LMA without LME */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cr0 |= HV_X86_CR0_PG; /* LME, PG, no PAE */
	c.cpu_regs.x86_32.efer = EFER_LME;
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cr0 = HV_X86_CR0_PG; /* paging without PE */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	c = ctx32();
	c.cpu_regs.x86_32.cs_ar |= HV_X86_SEG_L; /* L and D both set */
	assert_int_equal(hv_x86_load_hvm_context(&vmcb, gpr, &c), -HV_EINVAL);
	assert_true(vmcb.save.rip == 0xa5a5a5a5a5a5a5a5ull);
}

/* The per-vCPU vector first, then HVM_PARAM_CALLBACK_IRQ's vector type. */
static void upcall_vector_choice(void **state)
{
	uint64_t vector_type = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56;
	uint64_t gsi = (uint64_t)HVM_PARAM_CALLBACK_TYPE_GSI << 56 | 5;

	(void)state;
	assert_int_equal(hv_x86_xen_upcall_vector(0, 0), 0);
	assert_int_equal(hv_x86_xen_upcall_vector(0, vector_type | 0xf3), 0xf3);
	assert_int_equal(hv_x86_xen_upcall_vector(0x40, vector_type | 0xf3),
			 0x40);
	assert_int_equal(hv_x86_xen_upcall_vector(0, gsi), 0);
	assert_int_equal(hv_x86_xen_upcall_vector(0x31, gsi), 0x31);
	assert_int_equal(
	    hv_x86_xen_upcall_vector(
		0, (uint64_t)HVM_PARAM_CALLBACK_TYPE_PCI_INTX << 56),
	    0);
}

/* libhv-xen reads HVMOP_set_evtchn_upcall_vector's argument by its ABI
 * number and offsets: the header's, on x86. */
static void upcall_vector_abi(void **state)
{
	(void)state;
	assert_int_equal(HVMOP_set_evtchn_upcall_vector, 23);
	assert_int_equal(offsetof(xen_hvm_evtchn_upcall_vector_t, vcpu), 0);
	assert_int_equal(offsetof(xen_hvm_evtchn_upcall_vector_t, vector), 4);
	assert_int_equal(HVM_PARAM_CALLBACK_TYPE_VECTOR, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(long_mode_context),
	    cmocka_unit_test(long_mode_refusals),
	    cmocka_unit_test(protected_mode_context),
	    cmocka_unit_test(protected_mode_refusals),
	    cmocka_unit_test(upcall_vector_choice),
	    cmocka_unit_test(upcall_vector_abi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
