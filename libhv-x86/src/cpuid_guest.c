/* The processor a guest sees through CPUID (portable, unit-tested). */
#include <hv/string.h>
#include <hv/x86_xen.h>

/* Leaf 1 */
#define L1_ECX_MONITOR	    (1u << 3)
#define L1_ECX_VMX	    (1u << 5)
#define L1_ECX_SMX	    (1u << 6)
#define L1_ECX_EST	    (1u << 7)
#define L1_ECX_TM2	    (1u << 8)
#define L1_ECX_PDCM	    (1u << 15)
#define L1_ECX_X2APIC	    (1u << 21)
#define L1_ECX_TSC_DEADLINE (1u << 24)
#define L1_ECX_XSAVE	    (1u << 26)
#define L1_ECX_OSXSAVE	    (1u << 27)
#define L1_ECX_AVX	    (1u << 28)
#define L1_ECX_HYPERVISOR   (1u << 31)
#define L1_EDX_MCE	    (1u << 7)
#define L1_EDX_APIC	    (1u << 9)
#define L1_EDX_MTRR	    (1u << 12)
#define L1_EDX_MCA	    (1u << 14)
#define L1_EDX_DS	    (1u << 21)
#define L1_EDX_ACPI	    (1u << 22)
#define L1_EDX_TM	    (1u << 29)
#define L1_EDX_PBE	    (1u << 31)
#define L1_EBX_APIC_ID	    0xff000000u

#define L1_ECX_HIDDEN                                                          \
	(L1_ECX_MONITOR | L1_ECX_VMX | L1_ECX_SMX | L1_ECX_EST | L1_ECX_TM2 |  \
	 L1_ECX_PDCM | L1_ECX_X2APIC | L1_ECX_TSC_DEADLINE | L1_ECX_XSAVE |    \
	 L1_ECX_OSXSAVE | L1_ECX_AVX)
#define L1_EDX_HIDDEN                                                          \
	(L1_EDX_MCE | L1_EDX_APIC | L1_EDX_MTRR | L1_EDX_MCA | L1_EDX_DS |     \
	 L1_EDX_ACPI | L1_EDX_TM | L1_EDX_PBE)

/* Leaf 7 subleaf 0 EBX: instructions that need nothing from the
 * hypervisor (no new state, no MSRs): FSGSBASE, BMI1, SMEP, BMI2, ERMS,
 * ADX, SMAP, CLFLUSHOPT, CLWB, SHA. */
#define L7_EBX_KEPT                                                            \
	((1u << 0) | (1u << 3) | (1u << 7) | (1u << 8) | (1u << 9) |           \
	 (1u << 19) | (1u << 20) | (1u << 23) | (1u << 24) | (1u << 29))

/* Leaf 0x80000001 ECX: SVM, SKINIT, WDT, LWP. */
#define LX1_ECX_HIDDEN ((1u << 2) | (1u << 12) | (1u << 13) | (1u << 15))

static void clear(struct hv_x86_cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
}

void hv_x86_cpuid_guest(uint32_t leaf, uint32_t subleaf,
			struct hv_x86_cpuid_regs *r)
{
	switch (leaf) {
	case 0x1:
		r->ebx &= ~L1_EBX_APIC_ID;
		r->ecx = (r->ecx & ~L1_ECX_HIDDEN) | L1_ECX_HYPERVISOR;
		r->edx &= ~L1_EDX_HIDDEN;
		break;
	case 0x5:	  /* MONITOR/MWAIT */
	case 0x6:	  /* thermal and power management */
	case 0xa:	  /* performance monitoring */
	case 0xd:	  /* XSAVE state */
	case 0x8000000au: /* SVM */
		clear(r);
		break;
	case 0x7:
		if (subleaf == 0) {
			r->ebx &= L7_EBX_KEPT;
			r->ecx = 0;
			r->edx = 0;
		} else {
			clear(r);
		}
		break;
	case 0x80000001u:
		r->ecx &= ~LX1_ECX_HIDDEN;
		break;
	default:
		break;
	}
}

void hv_x86_cpuid_guest_apic(uint32_t leaf, uint32_t apic_id,
			     struct hv_x86_cpuid_regs *r)
{
	switch (leaf) {
	case 0x1:
		r->ebx = (r->ebx & ~L1_EBX_APIC_ID) | apic_id << 24;
		r->ecx |= L1_ECX_TSC_DEADLINE;
		r->edx |= L1_EDX_APIC;
		break;
	case 0xb: /* topology: the x2APIC ID, whatever the level */
		r->edx = apic_id;
		break;
	default:
		break;
	}
}
