/*
 * hv/x86_svm.h - running guests with AMD SVM and nested paging.
 *
 * The model is a run loop, as on AArch64: hv_x86_vcpu_run() enters the
 * guest with VMRUN and returns the exit code when the guest exits, with
 * the guest's registers in the vCPU and the exit's details in its VMCB.
 * The caller handles the exit in plain C and runs the vCPU again (or
 * another one).
 *
 * Around VMRUN the CPU holds the global interrupt flag clear and the
 * host's IF set, so with the INTR intercept and V_INTR_MASKING a physical
 * interrupt makes the guest exit rather than enter it; it stays pending
 * and the caller takes it when it enables interrupts
 * (hv_x86_take_interrupts).  VMLOAD/VMSAVE move the state VMRUN does not
 * (FS, GS, TR, LDTR, KernelGSBase, the SYSCALL and SYSENTER MSRs), and the
 * host's copy is loaded back after every exit.
 *
 * The guest's x87/SSE state stays in the CPU while it runs (the hypervisor
 * uses no FP registers) and is switched only when the pCPU changes vCPU:
 * hv_x86_vcpu_load() before running a vCPU that was not the last one,
 * hv_x86_vcpu_put() when taking it off.
 */
#ifndef HV_X86_SVM_H
#define HV_X86_SVM_H

#include <hv/x86_vmcb.h>

HV_BEGIN_DECLS

/* This pCPU's SVM state. */
struct hv_x86_svm {
	struct hv_x86_vmcb *host_vmcb; /* the host's VMSAVE area */
	hv_paddr_t host_vmcb_pa;
	unsigned int nr_asids; /* guests may use ASIDs 1 .. nr_asids - 1 */
	bool npt_1g;	       /* nested paging takes 1 GiB pages */
};

/*
 * Turn SVM on for this CPU: check that it has SVM (not disabled by
 * firmware) and nested paging, set EFER.SVME, give it its host-save area
 * (one 4 KiB-aligned page at `hsave_pa`, the CPU's own), and VMSAVE the
 * host's current FS/GS/TR/LDTR state into `host_vmcb` (one page at
 * `host_vmcb_pa`): call it after hv_x86_cpu_init().  0, or -HV_ENODEV
 * with nothing changed.
 */
int hv_x86_svm_enable(struct hv_x86_svm *svm, hv_paddr_t hsave_pa,
		      struct hv_x86_vmcb *host_vmcb, hv_paddr_t host_vmcb_pa);

/* General registers by their x86 numbers. */
enum hv_x86_gpr {
	HV_X86_RAX,
	HV_X86_RCX,
	HV_X86_RDX,
	HV_X86_RBX,
	HV_X86_RSP,
	HV_X86_RBP,
	HV_X86_RSI,
	HV_X86_RDI,
	HV_X86_R8,
	HV_X86_R9,
	HV_X86_R10,
	HV_X86_R11,
	HV_X86_R12,
	HV_X86_R13,
	HV_X86_R14,
	HV_X86_R15,
};

/* The FXSAVE image of x87 and SSE state. */
#define HV_X86_FXSAVE_SIZE 512

/* A guest vCPU.  The first fields are laid out for svm_entry.S. */
struct hv_x86_vcpu {
	uint64_t gpr[16]; /* every register, RAX and RSP included, between
			     runs (they live in the VMCB while it runs) */
	struct hv_x86_vmcb *vmcb;
	hv_paddr_t vmcb_pa;
	uint8_t fxsave[HV_X86_FXSAVE_SIZE] __attribute__((aligned(16)));
	uint64_t dr[4]; /* DR0-DR3: VMRUN and #VMEXIT leave them alone */
};

/* Attach a VMCB (one 4 KiB-aligned page at vmcb_pa) and give the vCPU the
 * x87/SSE state of a CPU after reset (FCW 0x37f, MXCSR 0x1f80). */
void hv_x86_vcpu_init(struct hv_x86_vcpu *v, struct hv_x86_vmcb *vmcb,
		      hv_paddr_t vmcb_pa);

/* Enter the guest; returns the exit code (also in v->vmcb). */
uint64_t hv_x86_vcpu_run(const struct hv_x86_svm *svm, struct hv_x86_vcpu *v);

/* Switch the pCPU's x87/SSE state and breakpoint addresses (DR0-DR3; the
 * VMCB holds DR6 and DR7) to (load) or from (put) this vCPU: what the
 * guest left there would otherwise be the next vCPU's to read. */
void hv_x86_vcpu_load(const struct hv_x86_vcpu *v);
void hv_x86_vcpu_put(struct hv_x86_vcpu *v);

HV_END_DECLS

#endif /* HV_X86_SVM_H */
