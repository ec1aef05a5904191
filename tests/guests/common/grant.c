/*
 * Three domains share a page by grant (the -xen images), built three
 * times from this source:
 *   GRANTER (domain 0) places its grant table, grants one page to domain 1
 *     and domain 2, waits for both to answer in it, then ends both grants;
 *   MAPPER (domain 1) maps the page, reads it, writes its answer, unmaps;
 *   COPIER (domain 2) copies the page out and its answer in, by grant copy.
 * Each retries (yielding) until the grant it needs exists.  The image's
 * own check then finds every frame back in its heap after it destroyed
 * the three.
 */
#include "guest.h"

#include <hv/string.h>

#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/xen.h>

#define GRANTER_ID 0
#define MAPPER_ID  1
#define COPIER_ID  2
#define REF_MAPPER 8
#define REF_COPIER 9
/* Where the mapper maps the page: guest-physical space with no RAM, inside
 * the guests' identity maps (x86: 4 GiB; Arm: MMU off). */
#define MAP_ADDR 0x80000000ul
/* How long a role waits for another, in the guest's own time: not a
 * number of tries, which on several pCPUs pass in no time while the
 * other domain's pCPU (a QEMU thread) waits for the host to run it. */
#define WAIT_SECONDS 20

/* What each role writes; not every role reads every one. */
static const char granted[] = "from the granter";
static const char mapped[] HV_MAYBE_UNUSED = "from the mapper";
static const char copied[] HV_MAYBE_UNUSED = "from the copier";

/* Whether a wait that began at `start` (guest_ticks) may go on. */
static bool still_waiting(uint64_t start)
{
	return guest_ticks() - start < WAIT_SECONDS * guest_ticks_per_sec();
}

/* The granted page (granter) or the copier's own (not the mapper's). */
static char page[4096] HV_MAYBE_UNUSED __attribute__((aligned(4096)));

static long gnttab_op(unsigned int cmd, void *op)
{
	return guest_hypercall(__HYPERVISOR_grant_table_op, cmd,
			       (unsigned long)op, 1, 0, 0);
}

#if defined(GRANTER)
static grant_entry_v1_t table[4096 / sizeof(grant_entry_v1_t)]
    __attribute__((aligned(4096)));

static void grant(grant_ref_t ref, domid_t to)
{
	table[ref].domid = to;
	table[ref].frame = (uint32_t)((unsigned long)page >> 12);
	__atomic_store_n(&table[ref].flags, GTF_permit_access,
			 __ATOMIC_RELEASE);
}

/* End a grant once nobody uses it (Xen's gnttab_end_foreign_access). */
static bool end_grant(grant_ref_t ref)
{
	for (uint64_t start = guest_ticks(); still_waiting(start);) {
		uint16_t flags =
		    __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);

		if (!(flags & (GTF_reading | GTF_writing)) &&
		    __atomic_compare_exchange_n(&table[ref].flags, &flags, 0,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
		guest_yield();
	}
	return false;
}

/* Wait until the mapper and the copier wrote their answers. */
static bool both_answered(void)
{
	for (uint64_t start = guest_ticks(); still_waiting(start);) {
		if (!memcmp(page + 1024, mapped, sizeof(mapped)) &&
		    !memcmp(page + 2048, copied, sizeof(copied)))
			return true;
		guest_yield(); /* a hypercall: the page is read again */
	}
	return false;
}

static int run(void)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = (unsigned long)table >> 12};
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	CHECK_EQ(guest_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				 (unsigned long)&x, 0, 0, 0),
		 0);
	CHECK_EQ(gnttab_op(GNTTABOP_query_size, &q), 0);
	CHECK_EQ(q.status, GNTST_okay);
	CHECK_EQ(q.nr_frames, 1);
	guest_printf("grant table: %u of %u frames\n", q.nr_frames,
		     q.max_nr_frames);
	memcpy(page, granted, sizeof(granted));
	grant(REF_MAPPER, MAPPER_ID);
	grant(REF_COPIER, COPIER_ID);
	guest_printf("granted a page to domains %d and %d\n", MAPPER_ID,
		     COPIER_ID);
	CHECK(both_answered());
	guest_printf("answers: \"%s\", \"%s\"\n", page + 1024, page + 2048);
	CHECK(end_grant(REF_MAPPER));
	CHECK(end_grant(REF_COPIER));
	return 0;
}
#elif defined(MAPPER)
static int run(void)
{
	struct gnttab_map_grant_ref m = {.host_addr = MAP_ADDR,
					 .flags = GNTMAP_host_map,
					 .ref = REF_MAPPER,
					 .dom = GRANTER_ID};
	struct gnttab_unmap_grant_ref u = {.host_addr = MAP_ADDR};
	char *there = (char *)MAP_ADDR;

	for (uint64_t start = guest_ticks(); still_waiting(start);) {
		CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &m), 0);
		if (m.status == GNTST_okay)
			break;
		guest_yield();
	}
	CHECK_EQ(m.status, GNTST_okay);
	CHECK(!memcmp(there, granted, sizeof(granted)));
	guest_printf("mapped the granter's page: \"%s\"\n", there);
	memcpy(there + 1024, mapped, sizeof(mapped));
	u.handle = m.handle;
	CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &u), 0);
	CHECK_EQ(u.status, GNTST_okay);
	/* The handle is gone with the mapping. */
	CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &u), 0);
	CHECK_EQ(u.status, GNTST_bad_handle);
	return 0;
}
#elif defined(COPIER)
static void copy_ptr(struct gnttab_copy_ptr *p, bool by_ref, uint64_t what,
		     domid_t domid, uint16_t offset)
{
	if (by_ref)
		p->u.ref = (grant_ref_t)what;
	else
		p->u.gmfn = what;
	p->domid = domid;
	p->offset = offset;
}

static int run(void)
{
	struct gnttab_copy in = {.len = sizeof(granted),
				 .flags = GNTCOPY_source_gref};
	struct gnttab_copy out = {.len = sizeof(copied),
				  .flags = GNTCOPY_dest_gref};
	struct gnttab_copy other = {.len = 8, .flags = GNTCOPY_source_gref};
	unsigned long mine = (unsigned long)page >> 12;

	copy_ptr(&in.source, true, REF_COPIER, GRANTER_ID, 0);
	copy_ptr(&in.dest, false, mine, DOMID_SELF, 0);
	for (uint64_t start = guest_ticks(); still_waiting(start);) {
		CHECK_EQ(gnttab_op(GNTTABOP_copy, &in), 0);
		if (in.status == GNTST_okay)
			break;
		guest_yield();
	}
	CHECK_EQ(in.status, GNTST_okay);
	CHECK(!memcmp(page, granted, sizeof(granted)));
	guest_printf("copied the granter's page: \"%s\"\n", page);
	/* The mapper's grant is not ours. */
	copy_ptr(&other.source, true, REF_MAPPER, GRANTER_ID, 0);
	copy_ptr(&other.dest, false, mine, DOMID_SELF, 0);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, &other), 0);
	CHECK(other.status != GNTST_okay);
	memcpy(page, copied, sizeof(copied));
	copy_ptr(&out.source, false, mine, DOMID_SELF, 0);
	copy_ptr(&out.dest, true, REF_COPIER, GRANTER_ID, 2048);
	CHECK_EQ(gnttab_op(GNTTABOP_copy, &out), 0);
	CHECK_EQ(out.status, GNTST_okay);
	return 0;
}
#endif

int main(void)
{
	run();
	return guest_test_result();
}
