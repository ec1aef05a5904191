/*
 * Fuzzing grant_table_op (libhv-gnttab) with the granting and mapping
 * domains' memory made of fuzzer bytes: three domains with real libhv-mm
 * heaps, P2Ms and RAM (the test hypervisor of tests/unit/gnttab,
 * gnttab_test.c), v1 and v2, write their grant entries, status frames and
 * argument structures byte by byte, place table frames through
 * XENMEM_add_to_physmap, make GNTTABOPs and other memory_ops, and die.
 *
 * After each record: every domain reference get_domain handed out is back,
 * and each live domain's table stays within its limits.  After the last,
 * the host mappings and the pins on grants must match one for one; then
 * every domain is released and destroyed, and gt_world_free aborts unless
 * every byte, P2M table and heap frame is back.
 *
 * Input (README.md): one configuration byte, then records of RECORD bytes:
 *   0      caller: the domain (mod 3)
 *   1      op: below 0x10 the GNTTABOP (unknown ones included); OP_* past
 *   2-3    op arguments (a count, an offset, a guest frame)
 *   4-7    a number (an offset, an index, a raw count)
 *   8-63   bytes for the guest's memory
 */
#include "../unit/gnttab/gnttab_test.h"
#include "fuzz.h"

#include <hv/arm_stage2.h>

#include <stdlib.h>
#include <string.h>

#define RECORD	64
#define DOMAINS 3
#define DATA_AT 8
#define DATA	(RECORD - DATA_AT)
/* Enough for three domains' RAM and tables, and a heap that can run
 * out; small, as every input starts with a fresh machine. */
#define MACHINE_PAGES 256

/* Configuration byte. */
#define CFG_V1_ONLY	  0x01u
#define CFG_NO_TRANSITIVE 0x02u
#define CFG_PRIVILEGED	  0x04u /* domain 0 may name the others */
#define CFG_ARM		  0x08u /* Arm stage 2, else x86 NPT */

enum {
	OP_GNTTABOP_END = 0x10,
	OP_WRITE = 0x10, /* the guest writes DATA bytes to its memory */
	OP_ENTRY,	 /* the guest writes grant entry `ref` */
	OP_PLACE,	 /* XENMEM_add_to_physmap of a table frame */
	OP_MEMORY_OP,	 /* any memory_op on the argument page */
	OP_RELEASE,	 /* the domain is dying */
	OP_DESTROY,	 /* and is destroyed (again while -EBUSY) */
	OP_SPACE_FRAME,	 /* the image asks for a table frame */
};

struct fuzz_dom {
	bool dying; /* its vCPUs no longer run */
};

/* A guest frame: RAM, a table frame's or a status frame's place, a
 * mapping place, or a hole, by `b`. */
static uint64_t region(uint8_t b)
{
	static const uint64_t base[] = {0, GFN_GT, GFN_STATUS, GFN_MAP};

	if (b == 0xff)
		return GFN_HOLE;
	return base[b >> 6] + (b & 63);
}

static void guest_write(struct gt_dom *d, uint64_t gaddr, const uint8_t *src,
			size_t len)
{
	size_t room = HV_PAGE_SIZE - gaddr % HV_PAGE_SIZE;

	/* A write to memory the guest does not have fails, as its store
	 * would fault: nothing to check. */
	(void)!hv_gmem_copy_to(&d->gmem, gaddr, src, len < room ? len : room);
}

static void grant_op(struct gt_dom *d, const uint8_t *r)
{
	uint64_t arg = ARGS_ADDR + (uint64_t)r[3] * 16;
	unsigned int count =
	    r[2] & 0x80 ? (unsigned int)fuzz_le(r + 4, 4) : r[2];

	guest_write(d, arg, r + DATA_AT, DATA);
	hv_gnttab_hypercall(d->g, &d->gmem, r[1], arg, count);
}

/* Entry `ref` where the guest placed its table (GFN_GT onwards), in the
 * table's version: the header and frame from the record's bytes. */
static void write_entry(struct gt_world *w, unsigned int i, const uint8_t *r)
{
	struct gt_dom *d = gt_dom(w, i);
	size_t size = gt_info(w, i).version == 1 ? sizeof(grant_entry_v1_t)
						 : sizeof(grant_entry_v2_t);
	uint64_t ref = fuzz_le(r + 4, 2);

	guest_write(d, ((uint64_t)GFN_GT << HV_PAGE_SHIFT) + ref * size,
		    r + DATA_AT, size);
}

static void place(struct gt_world *w, struct gt_dom *d, const uint8_t *r)
{
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_grant_table,
	    .idx = fuzz_le(r + 4, 4),
	    .gpfn = region(r[3]),
	};

	if (r[2] & 1)
		xatp.idx |= XENMAPIDX_grant_table_status;
	if (hv_gmem_copy_to(&d->gmem, ARGS_ADDR, &xatp, sizeof(xatp)) == 0)
		hv_mm_memory_op(&w->xm, &d->td.d, &d->gmem,
				XENMEM_add_to_physmap, ARGS_ADDR);
}

static void destroy(struct gt_dom *d)
{
	d->hidden = true; /* get_domain no longer finds it */
	if (hv_gnttab_domain_destroy(d->g) == 0)
		d->destroyed = true;
}

/* A live table stays within what its configuration allows. */
static void check_limits(struct gt_world *w, unsigned int i)
{
	struct hv_gnttab_info in = gt_info(w, i);

	fuzz_check(in.version == 1 || in.version == 2);
	fuzz_check(in.nr_grant_frames >= 1 &&
		   in.nr_grant_frames <= in.max_grant_frames);
	fuzz_check(in.version == 2 || in.nr_status_frames == 0);
	fuzz_check(in.nr_maptrack_frames <= in.max_maptrack_frames);
	fuzz_check(in.maptrack_used <=
		   in.nr_maptrack_frames * HV_GNTTAB_MAPTRACK_PER_FRAME);
}

static void step(struct gt_world *w, struct fuzz_dom *fd, const uint8_t *r)
{
	unsigned int i = r[0] % DOMAINS;
	struct gt_dom *d = gt_dom(w, i);
	hv_mfn_t mfn;
	hv_gfn_t where;

	if (d->destroyed || (fd[i].dying && r[1] != OP_DESTROY))
		return;
	switch (r[1]) {
	case OP_WRITE:
		guest_write(d,
			    (region(r[2]) << HV_PAGE_SHIFT) +
				fuzz_le(r + 4, 2) % HV_PAGE_SIZE,
			    r + DATA_AT, DATA);
		break;
	case OP_ENTRY:
		write_entry(w, i, r);
		break;
	case OP_PLACE:
		place(w, d, r);
		break;
	case OP_MEMORY_OP:
		hv_mm_memory_op(&w->xm, &d->td.d, &d->gmem, r[2] & 63,
				ARGS_ADDR + (uint64_t)r[3] * 16);
		break;
	case OP_RELEASE:
		hv_gnttab_domain_release(d->g);
		fd[i].dying = true;
		break;
	case OP_DESTROY:
		fd[i].dying = true;
		destroy(d);
		break;
	case OP_SPACE_FRAME:
		hv_gnttab_space_frame(d->g, fuzz_le(r + 4, 4), &mfn, &where);
		break;
	default:
		if (r[1] < OP_GNTTABOP_END)
			grant_op(d, r);
		break;
	}
	fuzz_check(w->gets == w->puts);
	for (unsigned int j = 0; j < DOMAINS; j++)
		if (!w->dom[j].destroyed)
			check_limits(w, j);
}

/* Every host mapping holds one pin and every pin belongs to a mapping
 * (copies unpin before the call returns). */
static void check_pins(struct gt_world *w)
{
	unsigned int mappings = 0, pins = 0;

	for (unsigned int i = 0; i < DOMAINS; i++) {
		struct hv_gnttab_info in;

		if (w->dom[i].destroyed)
			continue;
		in = gt_info(w, i);
		mappings += in.maptrack_used;
		for (grant_ref_t ref = 0;
		     ref < in.nr_grant_frames * (HV_PAGE_SIZE / 8); ref++) {
			struct hv_gnttab_grant_info gi;

			if (hv_gnttab_query_grant(w->dom[i].g, ref, &gi))
				break;
			pins += gi.pins_rw + gi.pins_ro;
		}
	}
	fuzz_check(mappings == pins);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_dom fd[DOMAINS] = {0};
	struct gt_opts opts = {0};
	struct gt_world *w;

	if (size < 1)
		return 0;
	opts.v1_only = data[0] & CFG_V1_ONLY;
	opts.no_transitive = data[0] & CFG_NO_TRANSITIVE;
	opts.privileged = data[0] & CFG_PRIVILEGED;
	opts.fmt = data[0] & CFG_ARM ? &hv_arm_stage2_ipa40 : NULL;
	opts.machine_pages = MACHINE_PAGES;
	w = gt_world_new(DOMAINS, &opts);
	for (size_t at = 1; at + RECORD <= size; at += RECORD)
		step(w, fd, data + at);
	check_pins(w);
	gt_world_free(w); /* aborts on anything not given back */
	return 0;
}
