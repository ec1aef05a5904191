/*
 * A fake domain for libhv-xen's tests: 8 pages of guest memory (page 5
 * read-only, page 6 not mapped), 32-bit addresses, and ops that record
 * what the library asked of the image.
 */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

#include <hv/xen.h>

#define GUEST_PAGES 8
#define RO_PAGE	    5
#define HOLE_PAGE   6
#define OTHER_DOMID 7 /* another domain that exists */
#define GUEST_VCPUS 2

struct fake_guest {
	struct hv_xen_domain dom;
	struct hv_gmem gm;
	uint8_t mem[GUEST_PAGES][4096] __attribute__((aligned(4096)));
	char lines[64][512];
	unsigned int nr_lines;
	unsigned int yields, blocks, shutdowns;
	unsigned int last_reason;
	/* The last set_upcall_vector the library asked for, and how many. */
	uint32_t upcall_vcpu;
	uint8_t upcall_vector;
	unsigned int upcall_sets;
	hv_time_t now;
};

void fake_guest_init(struct fake_guest *g, const char *name);
/* The guest address of byte `off` of page `page`. */
uint64_t gaddr(unsigned int page, unsigned int off);
long call(struct fake_guest *g, uint64_t nr, uint64_t a0, uint64_t a1,
	  uint64_t a2);

#endif
