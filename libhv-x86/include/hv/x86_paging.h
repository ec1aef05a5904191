/*
 * hv/x86_paging.h - walking a guest's own page tables, for hypercall
 * pointers (guest-linear addresses) and instruction fetches.
 *
 * The paging mode is the guest's, from its CR0, CR4 and EFER: none
 * (linear = physical, 32-bit), 32-bit two-level (4 MiB pages with
 * CR4.PSE, PSE-36 high bits included), PAE three-level, and long-mode
 * four- or five-level (CR4.LA57), with 2 MiB and 1 GiB pages.  Accesses
 * are checked as a supervisor access by the guest kernel: every level
 * present, writes only through writable entries when CR0.WP is set,
 * fetches not through no-execute entries when EFER.NXE is set, long-mode
 * addresses canonical.  Accessed and dirty bits are not set (Xen sets
 * them; nothing in hvkit's guests depends on it).
 *
 * The walk reads the guest's tables through a callback (its guest-physical
 * memory), so it is a pure function, unit-tested on the host.
 */
#ifndef HV_X86_PAGING_H
#define HV_X86_PAGING_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* The guest's paging controls, as the walk needs them. */
struct hv_x86_paging {
	uint64_t cr0, cr3, cr4, efer;
};

/* An access the walk checks besides a read: a write, a fetch. */
#define HV_X86_ACCESS_WRITE 0x1u
#define HV_X86_ACCESS_FETCH 0x2u

/* Read the guest-physical page-table entry of `size` bytes (4 or 8) at
 * gpa (naturally aligned).  0, or a negative value if it is not RAM. */
typedef int (*hv_x86_read_pte_fn)(void *ctx, hv_gpaddr_t gpa, unsigned int size,
				  uint64_t *val);

/*
 * Translate guest-linear `linear` for `access` (HV_X86_ACCESS_*; 0 for a
 * read).  0 and *gpa; -HV_EFAULT: a linear address the mode cannot form
 * (above 4 GiB without long mode, non-canonical in it), an entry not
 * present, or one the callback cannot read (a page fault with P clear);
 * -HV_EACCES: every level present, but one forbids the access (a page
 * fault with P set).
 */
int hv_x86_guest_linear_to_phys(const struct hv_x86_paging *p, uint64_t linear,
				unsigned int access, hv_x86_read_pte_fn read,
				void *ctx, hv_gpaddr_t *gpa);

HV_END_DECLS

#endif /* HV_X86_PAGING_H */
