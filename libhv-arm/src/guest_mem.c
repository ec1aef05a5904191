/* Stage-2 control and guest address translation (Arm ARM D8, C5.5). */
#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>
#include <hv/error.h>

#include "sysreg.h"

#define PAR_F			  (1ull << 0)
#define PAR_PA_MASK		  0x0000fffffffff000ull
#define ID_AA64MMFR0_PARANGE_MASK 0xfull

int hv_arm_stage2_enable(const struct hv_mm_p2m_format *fmt)
{
	unsigned int ps =
	    hv_read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	uint64_t vtcr = hv_arm_stage2_vtcr(fmt, ps);

	if (!vtcr)
		return -HV_EINVAL;
	hv_write_sysreg(vtcr_el2, vtcr);
	hv_isb();
	return 0;
}

void hv_arm_tlb_flush_vmid(uint64_t vttbr)
{
	uint64_t saved = hv_read_sysreg(vttbr_el2);

	/* TLB maintenance by VMID acts on the VMID in VTTBR_EL2. */
	hv_write_sysreg(vttbr_el2, vttbr);
	hv_isb();
	__asm__ __volatile__("dsb ishst\n"
			     "tlbi vmalls12e1is\n"
			     "dsb ish" ::
				 : "memory");
	hv_write_sysreg(vttbr_el2, saved);
	hv_isb();
}

int hv_arm_guest_va_to_pa(uint64_t va, bool write, hv_paddr_t *pa)
{
	uint64_t saved = hv_read_sysreg(par_el1);
	uint64_t par;

	if (write)
		__asm__ __volatile__("at s12e1w, %0" ::"r"(va));
	else
		__asm__ __volatile__("at s12e1r, %0" ::"r"(va));
	hv_isb();
	par = hv_read_sysreg(par_el1);
	hv_write_sysreg(par_el1, saved);
	if (par & PAR_F)
		return -HV_EFAULT;
	*pa = (par & PAR_PA_MASK) | (va & (HV_PAGE_SIZE - 1));
	return 0;
}
