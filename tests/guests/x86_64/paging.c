/* Paging set-ups for the test guests (guest.h). */
#include "guest.h"

#define PTE_P	0x1u
#define PTE_RW	0x2u
#define PTE_US	0x4u
#define PTE_PS	0x80u
#define CR0_PG	(1ul << 31)
#define CR0_WP	(1ul << 16)
#define CR4_PSE (1ul << 4)

uint8_t guest_ro_page[4096] __attribute__((aligned(4096)));

static unsigned long read_cr0(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static void write_cr0(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr0" ::"r"(v) : "memory");
}

static void write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" ::"r"(v) : "memory");
}

static unsigned int ro_index(void)
{
	return (uintptr_t)guest_ro_page >> 12;
}

#if defined(__x86_64__)
#define ALIAS		0xffff800000000000ul
#define PML4_ALIAS_SLOT 256

/* From entry64.S: the boot identity map. */
extern uint64_t guest_pml4[512], guest_pd[4 * 512];
static uint64_t low_pt[512] __attribute__((aligned(4096)));

void guest_paging_enable(void)
{
	unsigned long cr3;

	for (unsigned int i = 0; i < 512; i++)
		low_pt[i] = (uint64_t)i << 12 | PTE_P | PTE_RW | PTE_US;
	low_pt[ro_index()] &= ~(uint64_t)PTE_RW;
	guest_pd[0] = (uintptr_t)low_pt | PTE_P | PTE_RW | PTE_US;
	guest_pml4[PML4_ALIAS_SLOT] = guest_pml4[0];
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	write_cr3(cr3);
	write_cr0(read_cr0() | CR0_WP);
}

unsigned long guest_alias(const void *p)
{
	return (uintptr_t)p + ALIAS;
}
#else
#define ALIAS	    0x80000000ul
#define ALIAS_PDE   (ALIAS >> 22)
#define ALIAS_PAGES 4 /* 16 MiB of 4 MiB pages */

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[1024] __attribute__((aligned(4096)));
static bool paging;

void guest_paging_enable(void)
{
	unsigned long cr4;

	for (unsigned int i = 0; i < 1024; i++) {
		pt[i] = i << 12 | PTE_P | PTE_RW;
		pd[i] = i << 22 | PTE_P | PTE_RW | PTE_PS;
	}
	pt[ro_index()] &= ~PTE_RW;
	pd[0] = (uintptr_t)pt | PTE_P | PTE_RW;
	for (unsigned int i = 0; i < ALIAS_PAGES; i++)
		pd[ALIAS_PDE + i] = i << 22 | PTE_P | PTE_RW | PTE_PS;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("mov %0, %%cr4" ::"r"(cr4 | CR4_PSE));
	write_cr3((uintptr_t)pd);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	paging = true;
}

unsigned long guest_alias(const void *p)
{
	return paging ? (uintptr_t)p + ALIAS : (uintptr_t)p;
}
#endif
