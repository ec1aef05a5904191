/*
 * hv/x86_xen.h - the x86 side of the Xen guest interface, as Xen presents
 * it to an HVM/PVH guest: the hypervisor CPUID leaves at 0x40000000
 * (<xen/arch-x86/cpuid.h>), the hypercall page a guest asks for through
 * the MSR those leaves name, the register conventions of the hypercall
 * ABI, the pvclock time record, and the CPUID view of the processor a
 * guest gets.  Pure functions:
 * the image reads and writes guest state, these decide.
 */
#ifndef HV_X86_XEN_H
#define HV_X86_XEN_H

#include <hv/x86_cpu.h>
#include <hv/x86_vmcb.h>

#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

HV_BEGIN_DECLS

/* The hypercall-page MSR (CPUID 0x40000002 EBX). */
#define HV_X86_XEN_MSR_HYPERCALL 0x40000000u
/* Xen's MSR range: other MSRs in it raise #GP. */
#define HV_X86_XEN_MSR_FIRST 0x40000000u
#define HV_X86_XEN_MSR_LAST  0x400000ffu

/* The hypercall page: 128 stubs of 32 bytes. */
#define HV_X86_XEN_HYPERCALL_STUB_SIZE 32u
#define HV_X86_XEN_HYPERCALL_STUBS     128u

/* What the hypervisor leaves report about the caller. */
struct hv_x86_xen_cpuid_info {
	uint64_t tsc_hz;     /* the guest's TSC frequency (not emulated) */
	hv_vcpuid_t vcpu_id; /* the calling vCPU */
	hv_domid_t domid;    /* its domain */
};

/*
 * Xen's leaves 0x40000000-0x400000ff: true and *out for a leaf in that
 * range (zeroes beyond 0x40000005), false for any other leaf.
 *   0x40000000: max leaf 0x40000005, "XenVMMXenVMM"
 *   0x40000001: version, major << 16 | minor, of the headers' interface
 *   0x40000002: one hypercall page, its MSR 0x40000000
 *   0x40000003: TSC: subleaf 0 tsc_mode 0 (native) and the frequency in
 *               kHz in ECX; subleaf 1 the tsc->ns scale (mul_frac, shift)
 *               with offset 0; subleaf 2 the host's frequency in kHz
 *   0x40000004: HVM features: vCPU id in EBX and domid in ECX, per-vCPU
 *               upcall vectors (XEN_HVM_CPUID_UPCALL_VECTOR)
 *   0x40000005: PV parameters: none (zeroes)
 */
bool hv_x86_xen_cpuid(uint32_t leaf, uint32_t subleaf,
		      const struct hv_x86_xen_cpuid_info *info,
		      struct hv_x86_cpuid_regs *out);

/*
 * The guest's view of a processor leaf, from the host's (in *regs, changed
 * in place): the hypervisor bit set; hidden what hvkit does not virtualise
 * (SVM and VMX, local APIC and x2APIC, MONITOR/MWAIT, XSAVE/AVX and their
 * leaf 0xd, MCE/MCA, MTRR, thermal and performance-monitoring leaves,
 * leaf 7 features outside a short list that needs no help); APIC ID 0.
 */
void hv_x86_cpuid_guest(uint32_t leaf, uint32_t subleaf,
			struct hv_x86_cpuid_regs *regs);

/*
 * The leaves of a vCPU with a virtual local APIC (<hv/x86_vlapic.h>), on
 * top of hv_x86_cpuid_guest's view: leaf 1 says APIC (EDX bit 9),
 * x2APIC (ECX bit 21) and TSC-deadline (ECX bit 24) and gives the initial
 * APIC ID in EBX[31:24]; leaf 0xb gives it in EDX.
 */
void hv_x86_cpuid_guest_apic(uint32_t leaf, uint32_t apic_id,
			     struct hv_x86_cpuid_regs *regs);

/*
 * The CR4 bits a guest may set, from the leaves its CPUID shows (leaf 1,
 * and leaf 7 subleaf 0, all zero where the maximum basic leaf is below
 * 7), as Xen's hvm_cr4_guest_valid_bits: each bit whose feature the
 * guest is offered, and PCE always.  A MOV to CR4 with any other bit
 * raises #GP(0).
 */
uint64_t hv_x86_cr4_guest_valid(const struct hv_x86_cpuid_regs *leaf1,
				const struct hv_x86_cpuid_regs *leaf7);

/*
 * Fill a hypercall page as Xen does for an SVM guest: 0xcc everywhere,
 * then in stub i `mov $i, %eax; vmmcall; ret`, except stub 23
 * (__HYPERVISOR_iret), which is `ud2`.
 */
void hv_x86_xen_hypercall_page(uint8_t page[4096]);

/*
 * The hypercall number and arguments from the guest's registers (`gpr`
 * by x86 register number): in 64-bit mode rax; rdi, rsi, rdx, r10, r8;
 * otherwise eax; ebx, ecx, edx, esi, edi, zero-extended.
 */
void hv_x86_xen_hypercall_args(const uint64_t gpr[16], bool long_mode,
			       uint64_t *nr, uint64_t args[5]);

/*
 * The scale that turns ticks of a `hz` clock into ns as Xen's time ABI
 * does: ns = ((ticks << shift) * mul_frac) >> 32 (a right shift for a
 * negative shift).  hz must be at least 1.
 */
void hv_x86_tsc_scale(uint64_t hz, uint32_t *mul_frac, int *shift);

/*
 * Xen's pvclock: write the struct vcpu_time_info of a vCPU whose TSC
 * reads `guest_tsc` at hypervisor time `now_ns` (the ns its VCPUOP timers
 * count, Xen's system time), its TSC ticking at `tsc_hz`, as Xen does:
 * the version made odd first and even last, with write barriers between,
 * so that a guest reading it meanwhile reads again; the tsc->ns scale of
 * hv_x86_tsc_scale; flags 0.  The guest computes now as system_time +
 * scale(tsc - tsc_timestamp).
 */
void hv_x86_xen_time_update(struct vcpu_time_info *t, uint64_t guest_tsc,
			    hv_time_t now_ns, uint64_t tsc_hz);

/*
 * Where a vCPU's event upcall goes: its own vector (`vcpu_vector`, from
 * HVMOP_set_evtchn_upcall_vector, 0 if never set) in preference to the
 * domain's HVM_PARAM_CALLBACK_IRQ (`callback_irq`) when that is of the
 * vector type (2 in bits 63:56, the vector in bits 7:0), as Xen chooses.
 * 0: neither, no interrupt to inject (a GSI or PCI INTx callback needs
 * an interrupt controller hvkit does not emulate).
 */
uint8_t hv_x86_xen_upcall_vector(uint8_t vcpu_vector, uint64_t callback_irq);

/*
 * VCPUOP_initialise for an HVM/PVH vCPU: check `ctx` as Xen's
 * arch_set_info_hvm_guest does and load it into the VMCB and `gpr` (by x86
 * register number).  VCPU_HVM_MODE_32B takes the registers, control
 * registers, EFER and the CS/DS/SS/ES/TR descriptors (base, limit,
 * packed attributes; accessed or busy set for present ones); _64B takes
 * the registers, control registers and EFER and gives flat 64-bit code,
 * data and a busy TSS.  Segment selectors are 0, the descriptor tables
 * empty (the guest loads its own), EFER.LMA follows LME (and paging), and
 * SVME stays set for VMRUN.  Everything else in the VMCB (intercepts,
 * ASID, nested paging, PAT) is kept.  0, or -HV_EINVAL (nothing changed)
 * for padding not zero, an unknown mode, a bad segment, RIP outside CS or
 * non-canonical, a 64-bit context without PG, PAE or LME, CR0/CR4/EFER
 * bits a guest may not have, or a combination VMRUN would refuse.
 */
int hv_x86_load_hvm_context(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			    const struct vcpu_hvm_context *ctx);

HV_END_DECLS

#endif /* HV_X86_XEN_H */
