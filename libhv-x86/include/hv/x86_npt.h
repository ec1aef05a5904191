/*
 * hv/x86_npt.h - AMD nested page tables (SVM NPT) as a page-table format
 * for libhv-mm's P2M engine (<hv/mm_p2m.h>).
 *
 * Nested tables are x86-64 long-mode page tables: four levels of 512
 * entries (PML4, PDPT, PD, PT), a 48-bit guest-physical space, leaves of
 * 1 GiB (PDPT with PS), 2 MiB (PD with PS) and 4 KiB.  The VMCB's nCR3
 * holds hv_mm_p2m_root().
 *
 * Entries, as the engine writes them (AMD APM vol. 2, "Nested Paging"):
 *  - every present entry has P, RW and US set where the walk needs them
 *    (nested walks are user accesses): tables P|RW|US|A, leaves P|US|A|D
 *    plus RW when writable and NX when not executable;
 *  - RAM and grants are write-back (PWT = PCD = 0); MMIO is uncacheable
 *    (PCD|PWT, PAT entry 3 with the default PAT);
 *  - the P2M type is kept in the available bits 55:52 as type - 1 (so
 *    RAM_RW is 0).  Rights without read (none, write-only, execute-only)
 *    cannot be expressed by a present entry: such a leaf, and a paged-out
 *    one, is written not present (P = 0) with bit 58 set, its type in bits
 *    55:52 and its rights in bits 11:9, so the fault handler can tell it
 *    from a hole.
 *
 * The host must run with EFER.NXE set (NX is used), and may use 1 GiB
 * leaves only if CPUID Fn8000_0001_EDX[26] (Page1GB) says so: otherwise
 * start the P2M with max_order HV_MM_P2M_ORDER_2M.  After changing entries
 * the flush callback should request a TLB flush for the ASID on the next
 * VMRUN (VMCB TLB_CONTROL) on every CPU that runs it.
 */
#ifndef HV_X86_NPT_H
#define HV_X86_NPT_H

#include <hv/types.h>

HV_BEGIN_DECLS

struct hv_mm_p2m_format;

/* Four-level nested page tables. */
extern const struct hv_mm_p2m_format hv_x86_npt;

HV_END_DECLS

#endif /* HV_X86_NPT_H */
