/*
 * Links libhv-gnttab naming grant-table v2 or not; check_link.py then
 * checks that without the name, v2's object files (entries, status
 * frames, transitive grants) stayed out of the executable.
 */
#include <hv/error.h>
#include <hv/gnttab.h>

#include <stddef.h>

int main(void)
{
	struct hv_gnttab_config cfg = {0};
	struct hv_gnttab_domain *d;
	/* Keeps the whole hypercall path in the link. */
	int (*volatile entry)(struct hv_gnttab_domain *, const struct hv_gmem *,
			      unsigned int, uint64_t, unsigned int) =
	    hv_gnttab_hypercall;

#if LINK_V2
	cfg.v2 = &hv_gnttab_v2;
#endif
	/* No memory or ops: creation fails, which is all this needs. */
	return entry != NULL && hv_gnttab_domain_create(&cfg, &d) == -HV_EINVAL
		   ? 0
		   : 1;
}
