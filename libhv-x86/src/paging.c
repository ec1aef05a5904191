/*
 * Guest page-table walks (AMD APM vol. 2, 5.2-5.4: legacy, PAE and
 * long-mode translation).  Portable, unit-tested.
 */
#include <hv/error.h>
#include <hv/x86_paging.h>
#include <hv/x86_vmcb.h>

#define PTE_P		 (1ull << 0)
#define PTE_RW		 (1ull << 1)
#define PTE_PS		 (1ull << 7)
#define PTE_NX		 (1ull << 63)
#define ADDR_MASK_64	 0x000ffffffffff000ull
#define ADDR_MASK_32	 0xfffff000ull
#define PSE36_HIGH_SHIFT 13 /* PDE bits 20:13 are address bits 39:32 */
#define PSE36_HIGH_MASK	 0xffull
#define PAE_PDPT_MASK	 0xffffffe0ull
#define CR4_LA57	 (1ull << 12)

/* One walk: what the access needs, and whether a level forbade it. */
struct walk {
	hv_x86_read_pte_fn read;
	void *ctx;
	bool check_write, check_nx;
	bool denied;
};

/* Read one entry; -HV_EFAULT unless it is present.  Rights are noted and
 * the walk goes on: as on the CPU, a level not present further down makes
 * the fault a not-present one. */
static int entry(struct walk *w, hv_gpaddr_t gpa, unsigned int size,
		 bool has_rights, uint64_t *e)
{
	if (w->read(w->ctx, gpa, size, e) != 0 || !(*e & PTE_P))
		return -HV_EFAULT;
	if (has_rights && w->check_write && !(*e & PTE_RW))
		w->denied = true;
	if (has_rights && size == 8 && w->check_nx && (*e & PTE_NX))
		w->denied = true;
	return 0;
}

static hv_gpaddr_t leaf_addr(uint64_t e, uint64_t linear, unsigned int shift)
{
	uint64_t span = 1ull << shift;

	return (e & ADDR_MASK_64 & ~(span - 1)) | (linear & (span - 1));
}

/* Long mode: levels 5..1 from bit 48 (or 39) down, 9 bits each. */
static int walk_long(struct walk *w, const struct hv_x86_paging *p,
		     uint64_t linear, hv_gpaddr_t *gpa)
{
	unsigned int levels = (p->cr4 & CR4_LA57) ? 5 : 4;
	unsigned int width = 12 + 9 * levels;
	uint64_t top = linear >> (width - 1);
	hv_gpaddr_t table = p->cr3 & ADDR_MASK_64;
	uint64_t e;

	/* Canonical: bits 63..width-1 all equal. */
	if (top != 0 && top != (UINT64_MAX >> (width - 1)))
		return -HV_EFAULT;
	for (unsigned int shift = width - 9; shift >= 12; shift -= 9) {
		unsigned int index = (linear >> shift) & 0x1ff;

		if (entry(w, table + index * 8, 8, true, &e))
			return -HV_EFAULT;
		if (shift == 12 ||
		    ((e & PTE_PS) && (shift == 21 || shift == 30))) {
			*gpa = leaf_addr(e, linear, shift);
			return 0;
		}
		table = e & ADDR_MASK_64;
	}
	return -HV_EFAULT;
}

static int walk_pae(struct walk *w, const struct hv_x86_paging *p,
		    uint64_t linear, hv_gpaddr_t *gpa)
{
	uint64_t e;

	/* The PDPTEs have no rights bits. */
	if (entry(w, (p->cr3 & PAE_PDPT_MASK) + (linear >> 30) * 8, 8, false,
		  &e))
		return -HV_EFAULT;
	if (entry(w, (e & ADDR_MASK_64) + ((linear >> 21) & 0x1ff) * 8, 8, true,
		  &e))
		return -HV_EFAULT;
	if (e & PTE_PS) {
		*gpa = leaf_addr(e, linear, 21);
		return 0;
	}
	if (entry(w, (e & ADDR_MASK_64) + ((linear >> 12) & 0x1ff) * 8, 8, true,
		  &e))
		return -HV_EFAULT;
	*gpa = leaf_addr(e, linear, 12);
	return 0;
}

static int walk_32(struct walk *w, const struct hv_x86_paging *p,
		   uint64_t linear, hv_gpaddr_t *gpa)
{
	uint64_t e;

	if (entry(w, (p->cr3 & ADDR_MASK_32) + (linear >> 22) * 4, 4, true, &e))
		return -HV_EFAULT;
	if ((e & PTE_PS) && (p->cr4 & HV_X86_CR4_PSE)) {
		uint64_t high = (e >> PSE36_HIGH_SHIFT) & PSE36_HIGH_MASK;

		*gpa = high << 32 | (e & 0xffc00000u) | (linear & 0x3fffff);
		return 0;
	}
	if (entry(w, (e & ADDR_MASK_32) + ((linear >> 12) & 0x3ff) * 4, 4, true,
		  &e))
		return -HV_EFAULT;
	*gpa = (e & ADDR_MASK_32) | (linear & 0xfff);
	return 0;
}

int hv_x86_guest_linear_to_phys(const struct hv_x86_paging *p, uint64_t linear,
				unsigned int access, hv_x86_read_pte_fn read,
				void *ctx, hv_gpaddr_t *gpa)
{
	struct walk w = {
	    .read = read,
	    .ctx = ctx,
	    .check_write =
		(access & HV_X86_ACCESS_WRITE) && (p->cr0 & HV_X86_CR0_WP),
	    .check_nx =
		(access & HV_X86_ACCESS_FETCH) && (p->efer & HV_X86_EFER_NXE),
	};

	int err;

	if (p->efer & HV_X86_EFER_LMA) {
		err = (p->cr0 & HV_X86_CR0_PG) ? walk_long(&w, p, linear, gpa)
					       : -HV_EFAULT;
	} else if (linear > UINT32_MAX) {
		err = -HV_EFAULT;
	} else if (!(p->cr0 & HV_X86_CR0_PG)) {
		*gpa = linear;
		err = 0;
	} else if (p->cr4 & HV_X86_CR4_PAE) {
		err = walk_pae(&w, p, linear, gpa);
	} else {
		err = walk_32(&w, p, linear, gpa);
	}
	return err == 0 && w.denied ? -HV_EACCES : err;
}
