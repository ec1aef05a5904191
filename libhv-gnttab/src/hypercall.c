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

	/* Xen takes count as an int. */
	if (count > INT32_MAX)
		return -HV_EINVAL;
	cmd &= CMD_MASK;
	if (cmd != GNTTABOP_cache_flush && c.opaque)
		return -HV_EINVAL;
	if (cmd >= HV_ARRAY_SIZE(handlers) || !handlers[cmd])
		return -HV_ENOSYS;
	return handlers[cmd](&c);
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

	if (!elem_addr(c, size, i, 0, &at) ||
	    hv_gmem_copy_from(c->args, op, at, size))
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

	if (!elem_addr(c, elem_size, i, offset, &at) ||
	    hv_gmem_copy_to(c->args, at, src, len))
		return -HV_EFAULT;
	return 0;
}
