#include "fake_guest.h"

#include <stdlib.h>
#include <string.h>

static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	struct fake_guest *g = ctx;
	uint64_t n = hv_gfn_x(gfn);

	if (n >= GUEST_PAGES || n == HOLE_PAGE)
		return -HV_EFAULT;
	if (n == RO_PAGE && (access & HV_GMEM_WRITE))
		return -HV_EFAULT;
	*page = g->mem[n];
	return 0;
}

static void console_line(void *opaque, const char *line, size_t len)
{
	struct fake_guest *g = opaque;

	if (g->nr_lines < 64) {
		memcpy(g->lines[g->nr_lines], line, len);
		g->lines[g->nr_lines][len] = '\0';
		g->nr_lines++;
	}
}

static void shutdown(void *opaque, struct hv_xen_domain *d, unsigned int reason)
{
	struct fake_guest *g = opaque;

	(void)d;
	g->shutdowns++;
	g->last_reason = reason;
}

static void yield(void *opaque, struct hv_xen_domain *d, hv_vcpuid_t vcpu)
{
	(void)d;
	(void)vcpu;
	((struct fake_guest *)opaque)->yields++;
}

static void block(void *opaque, struct hv_xen_domain *d, hv_vcpuid_t vcpu)
{
	(void)d;
	(void)vcpu;
	((struct fake_guest *)opaque)->blocks++;
}

static hv_time_t now(void *opaque)
{
	return ((struct fake_guest *)opaque)->now;
}

static bool domain_exists(void *opaque, hv_domid_t id)
{
	struct fake_guest *g = opaque;

	return id == g->dom.id || id == OTHER_DOMID;
}

static int set_upcall_vector(void *opaque, struct hv_xen_domain *d,
			     uint32_t vcpu, uint8_t vector)
{
	struct fake_guest *g = opaque;

	(void)d;
	if (vcpu >= GUEST_VCPUS)
		return -HV_ENOENT;
	g->upcall_vcpu = vcpu;
	g->upcall_vector = vector;
	g->upcall_sets++;
	return 0;
}

static const struct hv_xen_ops ops = {
    .console_line = console_line,
    .shutdown = shutdown,
    .yield = yield,
    .block = block,
    .now = now,
    .domain_exists = domain_exists,
    .set_upcall_vector = set_upcall_vector,
};

void fake_guest_init(struct fake_guest *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	hv_gmem_init(&g->gm, translate, g, 32);
	if (hv_xen_domain_init(&g->dom, 1, name, HV_XEN_ARCH_X86_HVM, &ops, g))
		abort();
}

uint64_t gaddr(unsigned int page, unsigned int off)
{
	return (uint64_t)page * 4096 + off;
}

long call(struct fake_guest *g, uint64_t nr, uint64_t a0, uint64_t a1,
	  uint64_t a2)
{
	const uint64_t args[5] = {a0, a1, a2, 0, 0};

	return hv_xen_hypercall(&g->dom, 0, &g->gm, nr, args);
}
