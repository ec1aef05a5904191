/* CPUID: Xen's hypervisor leaves, and the host's leaves as a guest with
 * a local APIC (lapic.c) sees them (<hv/x86_xen.h>). */
#include "priv.h"

#include <hv/x86_xen.h>

#define CPUID_LEN 2

void hyp_x86_guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t apic_id,
			 struct hv_x86_cpuid_regs *r)
{
	hv_x86_cpuid(leaf, subleaf, r);
	hv_x86_cpuid_guest(leaf, subleaf, r);
	hv_x86_cpuid_guest_apic(leaf, apic_id, r);
}

void hyp_x86_exit_cpuid(struct hv_hyp_vcpu *v)
{
	uint64_t *gpr = vcpu_arch(v)->cpu.gpr;
	uint32_t leaf = (uint32_t)gpr[HV_X86_RAX];
	uint32_t subleaf = (uint32_t)gpr[HV_X86_RCX];
	struct hv_x86_xen_cpuid_info info = {
	    .tsc_hz = x86_of(v->dom->hyp)->timer.tsc_hz,
	    .vcpu_id = v->id,
	    .domid = v->dom->xen.id,
	};
	struct hv_x86_cpuid_regs r;

	if (!hv_x86_xen_cpuid(leaf, subleaf, &info, &r))
		hyp_x86_guest_cpuid(leaf, subleaf, v->id, &r);
	/* 32-bit results zero-extend into the 64-bit registers. */
	gpr[HV_X86_RAX] = r.eax;
	gpr[HV_X86_RBX] = r.ebx;
	gpr[HV_X86_RCX] = r.ecx;
	gpr[HV_X86_RDX] = r.edx;
	hv_x86_vmcb_skip(vcpu_arch(v)->cpu.vmcb, CPUID_LEN);
}
