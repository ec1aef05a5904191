/*
 * Fuzzing libhv-x86's walk of a guest's own page tables
 * (hv_x86_guest_linear_to_phys, hv/x86_paging.h) in every paging mode,
 * with the guest's memory made of the input: guest-physical byte a is
 * input byte a mod its length (below 2^40; nothing is RAM above), so every
 * table address the walk forms lands in fuzzer bytes.
 *
 * Checked on every walk: the callback is asked only for what its contract
 * allows (4 or 8 bytes, naturally aligned); a translation keeps the page
 * offset, stays below 2^52, and equals the linear address without paging;
 * a write or a fetch that translates also translates as a read, to the same
 * address; long mode refuses non-canonical addresses.
 *
 * Input: byte 0 the mode (bit 0 CR0.PG, bit 1 CR4.PAE, bit 2 EFER.LME
 * (with LMA), bit 3 CR4.PSE, bit 4 CR4.LA57, bit 5 CR0.WP, bit 6 EFER.NXE),
 * bytes 1-8 CR3, then up to 16 linear addresses of 8 bytes each
 * (little-endian), each walked for a read, a write and a fetch.  The whole
 * input is the guest's memory.
 */
#include "fuzz.h"

#include <hv/error.h>
#include <hv/x86_paging.h>

#include <stdbool.h>
#include <stdlib.h>

#define HEADER	    9
#define MAX_WALKS   16
#define RAM_TOP	    (UINT64_C(1) << 40)
#define CR0_PG	    (UINT64_C(1) << 31)
#define CR0_WP	    (UINT64_C(1) << 16)
#define CR4_PSE	    (UINT64_C(1) << 4)
#define CR4_PAE	    (UINT64_C(1) << 5)
#define CR4_LA57    (UINT64_C(1) << 12)
#define EFER_LME    (UINT64_C(1) << 8)
#define EFER_LMA    (UINT64_C(1) << 10)
#define EFER_NXE    (UINT64_C(1) << 11)
#define PAGE_OFFSET 0xfffu

struct memory {
	const uint8_t *data;
	size_t size;
};

static int read_pte(void *ctx, hv_gpaddr_t gpa, unsigned int size,
		    uint64_t *val)
{
	const struct memory *m = ctx;
	uint64_t v = 0;

	fuzz_check((size == 4 || size == 8) && gpa % size == 0);
	if (gpa >= RAM_TOP)
		return -HV_EFAULT;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)m->data[(gpa + i) % m->size] << (8 * i);
	*val = v;
	return 0;
}

static struct hv_x86_paging mode(const uint8_t *data)
{
	uint8_t b = data[0];
	struct hv_x86_paging p = {.cr3 = fuzz_le(data + 1, 8)};

	p.cr0 = (b & 0x01 ? CR0_PG : 0) | (b & 0x20 ? CR0_WP : 0) | 1;
	p.cr4 = (b & 0x02 ? CR4_PAE : 0) | (b & 0x08 ? CR4_PSE : 0) |
		(b & 0x10 ? CR4_LA57 : 0);
	p.efer =
	    (b & 0x04 ? EFER_LME | EFER_LMA : 0) | (b & 0x40 ? EFER_NXE : 0);
	return p;
}

static bool canonical(uint64_t linear, bool la57)
{
	unsigned int bits = la57 ? 57 : 48;
	uint64_t top = linear >> (bits - 1);

	return top == 0 || top == (UINT64_MAX >> (bits - 1));
}

static void walk(const struct hv_x86_paging *p, struct memory *m,
		 uint64_t linear)
{
	bool paging = p->cr0 & CR0_PG;
	bool long_mode = paging && (p->efer & EFER_LMA) && (p->cr4 & CR4_PAE);
	hv_gpaddr_t gpa[3];
	int rc[3];

	for (unsigned int a = 0; a < 3; a++) {
		static const unsigned int access[] = {0, HV_X86_ACCESS_WRITE,
						      HV_X86_ACCESS_FETCH};

		rc[a] = hv_x86_guest_linear_to_phys(p, linear, access[a],
						    read_pte, m, &gpa[a]);
		/* Not mapped, or (a write or fetch) mapped but forbidden:
		 * a read is never refused a page that is present. */
		fuzz_check(rc[a] == 0 || rc[a] == -HV_EFAULT ||
			   (a > 0 && rc[a] == -HV_EACCES));
		if (rc[a])
			continue;
		fuzz_check((gpa[a] & PAGE_OFFSET) == (linear & PAGE_OFFSET));
		fuzz_check(gpa[a] < UINT64_C(1) << 52);
		fuzz_check(paging || gpa[a] == linear);
		fuzz_check(!long_mode || canonical(linear, p->cr4 & CR4_LA57));
	}
	/* Writing or fetching needs at least what reading needs. */
	for (unsigned int a = 1; a < 3; a++)
		fuzz_check(rc[a] || (rc[0] == 0 && gpa[a] == gpa[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memory m = {data, size};
	struct hv_x86_paging p;

	if (size < HEADER)
		return 0;
	p = mode(data);
	for (size_t at = HEADER; at + 8 <= size && at < HEADER + 8 * MAX_WALKS;
	     at += 8)
		walk(&p, &m, fuzz_le(data + at, 8));
	return 0;
}
