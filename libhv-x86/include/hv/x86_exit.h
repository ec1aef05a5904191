/*
 * hv/x86_exit.h - why an SVM guest exited, decoded (AMD APM vol. 2,
 * appendix C "SVM Intercept Exit Codes", 15.10.2 "IN and OUT", 15.25.6
 * "Nested Page Faults").  Pure functions of the VMCB's exit fields, so
 * they are unit-tested on the host.
 */
#ifndef HV_X86_EXIT_H
#define HV_X86_EXIT_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Exit codes hvkit intercepts (VMCB exitcode). */
#define HV_X86_EXIT_CR4_WRITE	   0x014u
#define HV_X86_EXIT_EXCEPTION_BASE 0x040u /* + vector */
#define HV_X86_EXIT_INTR	   0x060u
#define HV_X86_EXIT_NMI		   0x061u
#define HV_X86_EXIT_SMI		   0x062u
#define HV_X86_EXIT_INIT	   0x063u
#define HV_X86_EXIT_VINTR	   0x064u
#define HV_X86_EXIT_RDPMC	   0x06fu
#define HV_X86_EXIT_CPUID	   0x072u
#define HV_X86_EXIT_INVD	   0x076u
#define HV_X86_EXIT_HLT		   0x078u
#define HV_X86_EXIT_INVLPGA	   0x07au
#define HV_X86_EXIT_IOIO	   0x07bu
#define HV_X86_EXIT_MSR		   0x07cu
#define HV_X86_EXIT_SHUTDOWN	   0x07fu
#define HV_X86_EXIT_VMRUN	   0x080u
#define HV_X86_EXIT_VMMCALL	   0x081u
#define HV_X86_EXIT_VMLOAD	   0x082u
#define HV_X86_EXIT_VMSAVE	   0x083u
#define HV_X86_EXIT_STGI	   0x084u
#define HV_X86_EXIT_CLGI	   0x085u
#define HV_X86_EXIT_SKINIT	   0x086u
#define HV_X86_EXIT_WBINVD	   0x089u
#define HV_X86_EXIT_MONITOR	   0x08au
#define HV_X86_EXIT_MWAIT	   0x08bu
#define HV_X86_EXIT_MWAIT_COND	   0x08cu
#define HV_X86_EXIT_XSETBV	   0x08du
#define HV_X86_EXIT_NPF		   0x400u
/* VMRUN refused the VMCB's state.  The APM says -1; QEMU stores a 32-bit
 * -1, so compare with hv_x86_exit_is_invalid(). */
#define HV_X86_EXIT_INVALID UINT64_MAX

/* Whether VMRUN refused the VMCB (exit code -1, 32 or 64 bits wide). */
static inline bool hv_x86_exit_is_invalid(uint64_t exitcode)
{
	return (uint32_t)exitcode == UINT32_MAX;
}

/* "cpuid", "npf", "vmmcall", "exception #GP", ...; "unknown" otherwise.
 * The name of an exception exit is the exception's. */
const char *hv_x86_exit_name(uint64_t exitcode);

/* A name for an exception vector ("#GP", "#PF"), "?" above 31. */
const char *hv_x86_exception_name(unsigned int vector);

/* An intercepted IN, OUT, INS or OUTS (exitinfo1). */
struct hv_x86_ioio {
	uint16_t port;
	unsigned int size;	/* bytes: 1, 2 or 4 */
	bool in;		/* IN/INS (else OUT/OUTS) */
	bool string;		/* INS/OUTS */
	bool rep;		/* with a REP prefix */
	unsigned int addr_size; /* string: address size in bytes: 2, 4, 8 */
	unsigned int segment;	/* OUTS: segment register (0 ES .. 5 GS) */
};

/* Decode exitinfo1; -HV_EINVAL if it names no size (a malformed exit). */
int hv_x86_decode_ioio(uint64_t exitinfo1, struct hv_x86_ioio *out);

/* Nested page fault exitinfo1 bits. */
#define HV_X86_NPF_PRESENT  (1ull << 0)
#define HV_X86_NPF_WRITE    (1ull << 1)
#define HV_X86_NPF_USER	    (1ull << 2)
#define HV_X86_NPF_RESERVED (1ull << 3)
#define HV_X86_NPF_FETCH    (1ull << 4)
#define HV_X86_NPF_FINAL    (1ull << 32) /* on the final guest-physical access */
#define HV_X86_NPF_WALK	    (1ull << 33) /* on the guest's own page-table walk */

/* MSR exits: exitinfo1 says which. */
#define HV_X86_MSR_EXIT_WRITE 1u

/* A MOV to a control register (0F 22 /r): the instruction behind a CR
 * write exit, which without decode assists says neither. */
struct hv_x86_mov_cr {
	unsigned int cr;  /* 0-15 (LOCK, AMD's alternative CR8, adds 8) */
	unsigned int gpr; /* its source, HV_X86_RAX .. HV_X86_R15 */
	unsigned int len; /* bytes, prefixes included */
};

/*
 * Decode the len bytes (at most 15) of the instruction at the guest's
 * RIP; long_mode: a 64-bit code segment, where REX prefixes exist (the
 * last prefix before the opcode counts).  0, or -HV_EINVAL if they are
 * not a whole MOV to a control register.
 */
int hv_x86_decode_mov_to_cr(const uint8_t *insn, unsigned int len,
			    bool long_mode, struct hv_x86_mov_cr *out);

HV_END_DECLS

#endif /* HV_X86_EXIT_H */
