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

/* Leaf 0x80000001 ECX: SVM, SKINIT, WDT, LWP, and the core, northbridge
 * and last-level-cache performance counters (RDPMC raises #GP: there are
 * none to read). */
#define LX1_ECX_HIDDEN                                                         \
	((1u << 2) | (1u << 12) | (1u << 13) | (1u << 15) | (1u << 23) |       \
	 (1u << 24) | (1u << 28))
/* Leaf 0x80000001 EDX: RDTSCP, whose TSC_AUX no guest can set (its MSR
 * is not emulated): every vCPU would read the same. */
#define LX1_EDX_HIDDEN (1u << 27)

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
		r->edx &= ~LX1_EDX_HIDDEN;
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
		r->ecx |= L1_ECX_TSC_DEADLINE | L1_ECX_X2APIC;
		r->edx |= L1_EDX_APIC;
		break;
	case 0xb: /* topology: the x2APIC ID, whatever the level */
		r->edx = apic_id;
		break;
	default:
		break;
	}
}

/* CR4 bits (SDM vol. 3, 2.5) and the CPUID bits that offer them. */
#define CR4_VME	       (1ull << 0)
#define CR4_PVI	       (1ull << 1)
#define CR4_TSD	       (1ull << 2)
#define CR4_DE	       (1ull << 3)
#define CR4_PSE	       (1ull << 4)
#define CR4_PAE	       (1ull << 5)
#define CR4_MCE	       (1ull << 6)
#define CR4_PGE	       (1ull << 7)
#define CR4_PCE	       (1ull << 8)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP       (1ull << 11)
#define CR4_LA57       (1ull << 12)
#define CR4_VMXE       (1ull << 13)
#define CR4_FSGSBASE   (1ull << 16)
#define CR4_PCIDE      (1ull << 17)
#define CR4_OSXSAVE    (1ull << 18)
#define CR4_SMEP       (1ull << 20)
#define CR4_SMAP       (1ull << 21)
#define CR4_PKE	       (1ull << 22)
#define CR4_CET	       (1ull << 23)
#define CR4_PKS	       (1ull << 24)

#define L1_EDX_VME	 (1u << 1)
#define L1_EDX_DE	 (1u << 2)
#define L1_EDX_PSE	 (1u << 3)
#define L1_EDX_TSC	 (1u << 4)
#define L1_EDX_PAE	 (1u << 6)
#define L1_EDX_PGE	 (1u << 13)
#define L1_EDX_FXSR	 (1u << 24)
#define L1_EDX_SSE	 (1u << 25)
#define L1_ECX_PCID	 (1u << 17)
#define L7_EBX_FSGSBASE	 (1u << 0)
#define L7_EBX_SMEP	 (1u << 7)
#define L7_EBX_SMAP	 (1u << 20)
#define L7_ECX_UMIP	 (1u << 2)
#define L7_ECX_PKU	 (1u << 3)
#define L7_ECX_CET_SS	 (1u << 7)
#define L7_ECX_LA57	 (1u << 16)
#define L7_ECX_PKS	 (1u << 31)
#define L7_EDX_CET_IBT	 (1u << 20)

uint64_t hv_x86_cr4_guest_valid(const struct hv_x86_cpuid_regs *leaf1,
				const struct hv_x86_cpuid_regs *leaf7)
{
	const struct {
		uint32_t reg, feature;
		uint64_t cr4;
	} offers[] = {
	    {leaf1->edx, L1_EDX_VME, CR4_VME | CR4_PVI},
	    {leaf1->edx, L1_EDX_TSC, CR4_TSD},
	    {leaf1->edx, L1_EDX_DE, CR4_DE},
	    {leaf1->edx, L1_EDX_PSE, CR4_PSE},
	    {leaf1->edx, L1_EDX_PAE, CR4_PAE},
	    {leaf1->edx, L1_EDX_MCE, CR4_MCE},
	    {leaf1->edx, L1_EDX_PGE, CR4_PGE},
	    {leaf1->edx, L1_EDX_FXSR, CR4_OSFXSR},
	    {leaf1->edx, L1_EDX_SSE, CR4_OSXMMEXCPT},
	    {leaf1->ecx, L1_ECX_VMX, CR4_VMXE},
	    {leaf1->ecx, L1_ECX_PCID, CR4_PCIDE},
	    {leaf1->ecx, L1_ECX_XSAVE, CR4_OSXSAVE},
	    {leaf7->ebx, L7_EBX_FSGSBASE, CR4_FSGSBASE},
	    {leaf7->ebx, L7_EBX_SMEP, CR4_SMEP},
	    {leaf7->ebx, L7_EBX_SMAP, CR4_SMAP},
	    {leaf7->ecx, L7_ECX_UMIP, CR4_UMIP},
	    {leaf7->ecx, L7_ECX_PKU, CR4_PKE},
	    {leaf7->ecx, L7_ECX_CET_SS, CR4_CET},
	    {leaf7->edx, L7_EDX_CET_IBT, CR4_CET},
	    {leaf7->ecx, L7_ECX_LA57, CR4_LA57},
	    {leaf7->ecx, L7_ECX_PKS, CR4_PKS},
	};
	uint64_t valid = CR4_PCE;

	for (unsigned int i = 0; i < HV_ARRAY_SIZE(offers); i++)
		if (offers[i].reg & offers[i].feature)
			valid |= offers[i].cr4;
	return valid;
}
