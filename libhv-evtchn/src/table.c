/*
 * The port table: channels in buckets of 64, allocated on demand through
 * the caller's allocator, so a domain pays for the ports it has used, not
 * for the 131,072 the FIFO ABI can address.  Ports are handed out lowest
 * first, as Xen does; per-bucket use counts and a "first bucket that may
 * have room" hint keep the search short however many ports are bound.
 */
#include "abi.h"

#include <hv/string.h>

#define TABLE_ALIGN 8u

static uint32_t abi_ports(const struct hv_evtchn_domain *d)
{
	const struct hv_evtchn_abi *abi = evtchn_abi(d);

	/* A domain without the 2-level ABI waits for FIFO's event array. */
	return abi ? abi->nr_ports : d->cfg.abi_fifo->nr_ports;
}

uint32_t evtchn_port_limit(const struct hv_evtchn_domain *d)
{
	uint32_t limit = abi_ports(d);

	if (d->cfg.max_port != 0 && d->cfg.max_port < limit - 1)
		limit = d->cfg.max_port + 1;
	return limit;
}

bool evtchn_port_valid(const struct hv_evtchn_domain *d, uint32_t port)
{
	return port < hv_atomic_load_u32(&d->valid_ports) &&
	       port < abi_ports(d);
}

static struct bucket *bucket_of(const struct hv_evtchn_domain *d, uint32_t port)
{
	return hv_container_of(evtchn_chn(d, port - port % CHNS_PER_BUCKET),
			       struct bucket, chn[0]);
}

static bool port_is_free(struct hv_evtchn_domain *d, uint32_t port)
{
	const struct hv_evtchn_abi *abi = evtchn_abi(d);

	if (evtchn_chn(d, port)->state != CHN_FREE)
		return false;
	/* A FIFO port still linked on a queue cannot be reused yet. */
	return !(abi && abi->is_busy && abi->is_busy(d, port));
}

/* The lowest free port of bucket b, or limit if none below limit. */
static uint32_t scan_bucket(struct hv_evtchn_domain *d, uint32_t b,
			    uint32_t limit)
{
	uint32_t port = b * CHNS_PER_BUCKET;
	uint32_t end = port + CHNS_PER_BUCKET;

	for (; port < end && port < limit; port++) {
		if (port_is_free(d, port))
			return port;
	}
	return limit;
}

int evtchn_find_free(struct hv_evtchn_domain *d)
{
	uint32_t limit = evtchn_port_limit(d);
	uint32_t valid = d->valid_ports < limit ? d->valid_ports : limit;
	uint32_t b = d->free_bucket;

	if (d->dying)
		return -HV_EINVAL;
	while (b * CHNS_PER_BUCKET < valid &&
	       bucket_of(d, b * CHNS_PER_BUCKET)->used == CHNS_PER_BUCKET)
		b++;
	d->free_bucket = b;
	for (; b * CHNS_PER_BUCKET < valid; b++) {
		uint32_t port = scan_bucket(d, b, valid);

		if (port < valid)
			return (int)port;
	}
	/* Every valid port is taken: the next one needs a new bucket. */
	return valid < limit ? (int)valid : -HV_ENOSPC;
}

/* Make ports up to and including `port` valid (port < the ABI limit). */
static int grow(struct hv_evtchn_domain *d, uint32_t port)
{
	struct bucket ***grp = &d->group[port / PORTS_PER_GROUP];
	struct bucket *b;
	bool new_group = false;

	if (!*grp) {
		*grp = evtchn_zalloc(d, BUCKETS_PER_GROUP * sizeof(**grp));
		if (!*grp)
			return -HV_ENOMEM;
		new_group = true;
	}
	b = evtchn_zalloc(d, sizeof(*b));
	if (!b) {
		if (new_group) {
			evtchn_free(d, *grp, BUCKETS_PER_GROUP * sizeof(**grp));
			*grp = NULL;
		}
		return -HV_ENOMEM;
	}
	evtchn_store_ptr(&(*grp)[(port % PORTS_PER_GROUP) / CHNS_PER_BUCKET],
			 b);
	hv_atomic_store_u32(&d->valid_ports, d->valid_ports + CHNS_PER_BUCKET);
	return 0;
}

int evtchn_claim(struct hv_evtchn_domain *d, uint32_t port,
		 enum chn_state state, hv_vcpuid_t vcpu, struct chn **out)
{
	struct chn *chn;
	int rc;

	/* find_free hands out ports in order: at most one bucket is new. */
	if (port >= d->valid_ports) {
		rc = grow(d, port);
		if (rc)
			return rc;
	}
	chn = evtchn_chn(d, port);
	bucket_of(d, port)->used++;
	if (state != CHN_RESERVED)
		hv_atomic_store_u32(&d->bound, d->bound + 1);
	hv_atomic_store_u8(&chn->priority, EVTCHN_FIFO_PRIORITY_DEFAULT);
	hv_atomic_store_u32(&chn->notify_vcpu, vcpu);
	chn->stashed = 0;
	chn->hypervisor = 0;
	chn->state = (uint8_t)state;
	*out = chn;
	return 0;
}

void evtchn_release(struct hv_evtchn_domain *d, struct chn *chn, uint32_t port)
{
	const struct hv_evtchn_abi *abi = evtchn_abi(d);

	/* No stale event may greet whoever binds the port next. */
	if (abi)
		abi->clear_pending(d, chn, port);
	hv_atomic_store_u8(&chn->stashed, 0);
	chn->state = CHN_FREE;
	chn->remote = NULL;
	hv_atomic_store_u32(&chn->notify_vcpu, 0);
	bucket_of(d, port)->used--;
	hv_atomic_store_u32(&d->bound, d->bound - 1);
	if (port / CHNS_PER_BUCKET < d->free_bucket)
		d->free_bucket = port / CHNS_PER_BUCKET;
}

void evtchn_table_destroy(struct hv_evtchn_domain *d)
{
	for (uint32_t g = 0; g < NR_GROUPS; g++) {
		if (!d->group[g])
			continue;
		for (uint32_t b = 0; b < BUCKETS_PER_GROUP; b++) {
			if (d->group[g][b])
				evtchn_free(d, d->group[g][b],
					    sizeof(struct bucket));
		}
		evtchn_free(d, d->group[g],
			    BUCKETS_PER_GROUP * sizeof(*d->group[g]));
		d->group[g] = NULL;
	}
}

void *evtchn_zalloc(const struct hv_evtchn_domain *d, size_t size)
{
	void *p = d->cfg.alloc.alloc(d->cfg.alloc.opaque, size, TABLE_ALIGN);

	if (p)
		memset(p, 0, size);
	return p;
}

void evtchn_free(const struct hv_evtchn_domain *d, void *ptr, size_t size)
{
	d->cfg.alloc.free(d->cfg.alloc.opaque, ptr, size);
}
