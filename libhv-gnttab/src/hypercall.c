/*
 * HYPERVISOR_grant_table_op(cmd, arg, count): the checks Xen's
 * do_grant_table_op makes on the whole call, then one handler per op,
 * which reads the guest's array of op structs one element at a time and
 * writes back what Xen writes back.
 *
 * Xen encodes a continuation's progress in cmd's bits above the op number
 * (GNTTABOP_CONTINUATION_ARG_SHIFT, 12 bits; effectively part of the ABI,
 * since a guest migrated mid-continuation must resume); only cache_flush
 * may carry such bits.  hvkit creates no continuations: every call runs
 * to completion.
 *
 * The op array is read and written as Xen does, one element or field at
 * a time, but through the page that holds it, translated once and kept
 * (struct gnttab_args_page) as long as the caller's P2M changes no
 * mapping, rather than translated again at every access: with 32 ops a
 * call that was two P2M lookups (on x86 and Arm, two guest page walks)
 * per op.  A change to a mapping (an op mapping a grant over RAM,
 * unmapping one, taking status frames away) moves the P2M's generation
 * (hv_mm_p2m_generation), and the next access translates again, so every
 * access sees what Xen's would, whatever the address space (physical or
 * the guest's virtual one).  The page is pinned where the address space
 * can pin (hv_gmem_map_pinned).  An element that crosses a page boundary,
 * or a page that does not map for both reading and writing, is copied as
 * before, so every fault is the one Xen gives.
 *
 * One difference remains: an op that writes the guest's page tables (a
 * GNTTABOP_copy into the ones that map the op array) changes no P2M
 * mapping, so later ops of that call still use the old translation; Xen
 * would walk the new tables.
 */
#include "internal.h"

#define CMD_MASK 0xfffu

typedef int (*op_handler)(const struct gnttab_call *c);

static const op_handler handlers[] = {
    [GNTTABOP_map_grant_ref] = gnttab_op_map,
    [GNTTABOP_unmap_grant_ref] = gnttab_op_unmap,
    [GNTTABOP_setup_table] = gnttab_op_setup_table,
    [GNTTABOP_transfer] = gnttab_op_transfer,
    [GNTTABOP_copy] = gnttab_op_copy,
    [GNTTABOP_query_size] = gnttab_op_query_size,
    [GNTTABOP_unmap_and_replace] = gnttab_op_unmap_and_replace,
    [GNTTABOP_set_version] = gnttab_op_set_version,
    [GNTTABOP_get_status_frames] = gnttab_op_get_status_frames,
    [GNTTABOP_get_version] = gnttab_op_get_version,
    [GNTTABOP_swap_grant_ref] = gnttab_op_swap,
    [GNTTABOP_cache_flush] = gnttab_op_cache_flush,
};

/* Stop using the call's page. */
static void args_forget(const struct gnttab_call *c)
{
	struct gnttab_args_page *p = c->page;

	if (p->host)
		hv_gmem_unpin(c->args, p->pin);
	*p = (struct gnttab_args_page){0};
}

/* The host address of guest bytes [at, at + len) through the call's page,
 * or NULL if they are to be copied. */
static char *args_bytes(const struct gnttab_call *c, uint64_t at, size_t len)
{
	struct gnttab_args_page *p = c->page;
	uint64_t page = at >> HV_PAGE_SHIFT;
	uint64_t offset = at & ~HV_PAGE_MASK;
	uint64_t gen = hv_mm_p2m_generation(c->d->mm->p2m);
	void *host;

	if (offset + len > HV_PAGE_SIZE)
		return NULL;
	if (!p->tried || p->page != page || p->gen != gen) {
		args_forget(c);
		p->tried = true;
		p->page = page;
		p->gen = gen;
		if (hv_gmem_map_pinned(c->args, at - offset, HV_PAGE_SIZE, 1,
				       HV_GMEM_READ | HV_GMEM_WRITE, &host,
				       &p->pin) == 0)
			p->host = host;
	}
	return p->host ? p->host + offset : NULL;
}

int hv_gnttab_hypercall(struct hv_gnttab_domain *d, const struct hv_gmem *args,
			unsigned int cmd, uint64_t arg, unsigned int count)
{
	struct gnttab_call c = {
	    .d = d,
	    .args = args,
	    .arg = arg,
	    .count = count,
	    .opaque = cmd & ~CMD_MASK,
	};
	struct gnttab_args_page page = {0};
	int rc;

	/* Xen takes count as an int. */
	if (count > INT32_MAX)
		return -HV_EINVAL;
	cmd &= CMD_MASK;
	if (cmd != GNTTABOP_cache_flush && c.opaque)
		return -HV_EINVAL;
	if (cmd >= HV_ARRAY_SIZE(handlers) || !handlers[cmd])
		return -HV_ENOSYS;
	c.page = &page;
	rc = handlers[cmd](&c);
	args_forget(&c);
	return rc;
}

/* Guest address of byte `offset` of element i, or false if it wraps. */
static bool elem_addr(const struct gnttab_call *c, size_t size, unsigned int i,
		      size_t offset, uint64_t *addr)
{
	uint64_t rel = (uint64_t)i * size + offset;

	*addr = c->arg + rel;
	return *addr >= c->arg;
}

int gnttab_get_op(const struct gnttab_call *c, unsigned int i, void *op,
		  size_t size)
{
	uint64_t at;
	char *host;

	if (!elem_addr(c, size, i, 0, &at))
		return -HV_EFAULT;
	host = args_bytes(c, at, size);
	if (host)
		memcpy(op, host, size);
	else if (hv_gmem_copy_from(c->args, op, at, size))
		return -HV_EFAULT;
	return 0;
}

int gnttab_put_op(const struct gnttab_call *c, unsigned int i, const void *op,
		  size_t size)
{
	return gnttab_put_field(c, size, i, 0, op, size);
}

int gnttab_put_field(const struct gnttab_call *c, size_t elem_size,
		     unsigned int i, size_t offset, const void *src, size_t len)
{
	uint64_t at;
	char *host;

	if (!elem_addr(c, elem_size, i, offset, &at))
		return -HV_EFAULT;
	host = args_bytes(c, at, len);
	if (host)
		memcpy(host, src, len);
	else if (hv_gmem_copy_to(c->args, at, src, len))
		return -HV_EFAULT;
	return 0;
}
