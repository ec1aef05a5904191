/*
 * layout.c - placing and checking a domain's kernel and ramdisk.
 */
#include "layout.h"

#include <inttypes.h>

#define FOUR_GIB (UINT64_C(1) << 32)

static bool overlaps(struct hvkit_range a, struct hvkit_range b)
{
	return a.start < b.end && b.start < a.end;
}

static bool inside(struct hvkit_range inner, struct hvkit_range outer)
{
	return inner.start >= outer.start && inner.end <= outer.end;
}

static uint64_t align_down(uint64_t x, uint64_t align)
{
	return x & ~(align - 1);
}

static struct hvkit_range segment_range(const struct hvkit_segment *s)
{
	/* No wrap: the loaders refuse segments that would. */
	return (struct hvkit_range){s->gpa, s->gpa + s->mem_size};
}

static struct hvkit_range ram_range(const struct hvkit_domain_layout *l)
{
	return (struct hvkit_range){l->ram_base, l->ram_base + l->ram_size};
}

/* "PATH:LINE: KEY: " for messages about the setting of @key. */
static int fail_at(struct hvkit_err *err, const struct hvkit_domain_cfg *cfg,
		   enum hvkit_key key)
{
	return hvkit_err_prefix(err, "%s:%u: %s: ", cfg->path, cfg->line[key],
				hvkit_key_name(key));
}

static int place_ram(struct hvkit_domain_layout *l,
		     const struct hvkit_domain_cfg *cfg, enum hvkit_arch arch,
		     struct hvkit_err *err)
{
	uint64_t max = hvkit_arch_ram_max(arch);

	l->ram_base = hvkit_arch_ram_base(arch);
	l->ram_size = cfg->memory_mib << 20;
	if (l->ram_size > max) {
		hvkit_errf(err,
			   "%" PRIu64 " MiB is more than an %s guest's "
			   "RAM bank holds (%" PRIu64 " MiB)",
			   cfg->memory_mib, hvkit_arch_name(arch), max >> 20);
		return fail_at(err, cfg, HVKIT_KEY_MEMORY);
	}
	if (arch == HVKIT_ARCH_X86_64) {
		l->reserved.start = HVKIT_X86_START_INFO_PAGE;
		l->reserved.end = l->reserved.start + HVKIT_X86_RESERVED_PAGES *
							  HVKIT_X86_PAGE_SIZE;
		return 0;
	}
	if (l->ram_size <= HVKIT_ARM_DT_AREA) {
		hvkit_errf(
		    err,
		    "%" PRIu64 " MiB leaves no room beside the last "
		    "2 MiB, which the image keeps for the guest's device "
		    "tree",
		    cfg->memory_mib);
		return fail_at(err, cfg, HVKIT_KEY_MEMORY);
	}
	l->reserved.end = l->ram_base + l->ram_size;
	l->reserved.start = l->reserved.end - HVKIT_ARM_DT_AREA;
	return 0;
}

static int check_segment(const struct hvkit_domain_layout *l,
			 const struct hvkit_domain_cfg *cfg,
			 const struct hvkit_kernel *k, size_t i,
			 struct hvkit_err *err)
{
	struct hvkit_range r = segment_range(&k->segments[i]);
	struct hvkit_range ram = ram_range(l);
	size_t j;

	if (!inside(r, ram)) {
		hvkit_errf(err,
			   "%s: segment %zu [0x%" PRIx64 ", 0x%" PRIx64
			   ") is outside guest RAM [0x%" PRIx64 ", 0x%" PRIx64
			   ") (memory = %" PRIu64 " MiB)",
			   cfg->kernel, i, r.start, r.end, ram.start, ram.end,
			   cfg->memory_mib);
		return fail_at(err, cfg, HVKIT_KEY_KERNEL);
	}
	if (overlaps(r, l->reserved)) {
		hvkit_errf(err,
			   "%s: segment %zu [0x%" PRIx64 ", 0x%" PRIx64
			   ") overlaps [0x%" PRIx64 ", 0x%" PRIx64 "), which "
			   "the image reserves",
			   cfg->kernel, i, r.start, r.end, l->reserved.start,
			   l->reserved.end);
		return fail_at(err, cfg, HVKIT_KEY_KERNEL);
	}
	for (j = 0; j < i; j++) {
		struct hvkit_range o = segment_range(&k->segments[j]);

		if (!overlaps(r, o))
			continue;
		hvkit_errf(err,
			   "%s: segment %zu [0x%" PRIx64 ", 0x%" PRIx64
			   ") overlaps segment %zu [0x%" PRIx64 ", 0x%" PRIx64
			   ")",
			   cfg->kernel, i, r.start, r.end, j, o.start, o.end);
		return fail_at(err, cfg, HVKIT_KEY_KERNEL);
	}
	return 0;
}

/* The highest aligned spot below @top for @size bytes, or false. */
static bool place_below(uint64_t top, uint64_t floor, uint64_t size,
			uint64_t align, uint64_t *gpa)
{
	if (size > top - floor)
		return false;
	*gpa = align_down(top - size, align);
	return *gpa >= floor;
}

static int place_ramdisk(struct hvkit_domain_layout *l,
			 const struct hvkit_domain_cfg *cfg,
			 enum hvkit_arch arch, const struct hvkit_kernel *k,
			 uint64_t size, struct hvkit_err *err)
{
	uint64_t ram_end = l->ram_base + l->ram_size;
	uint64_t top, floor, align;
	struct hvkit_range r;
	size_t i;

	if (arch == HVKIT_ARCH_AARCH64) {
		top = l->reserved.start;
		floor = l->ram_base;
		align = 2 * HVKIT_MIB;
	} else {
		top = ram_end < FOUR_GIB ? ram_end : FOUR_GIB;
		floor = l->reserved.end;
		align = HVKIT_X86_PAGE_SIZE;
	}
	if (!place_below(top, floor, size, align, &l->ramdisk_gpa)) {
		hvkit_errf(err,
			   "%s: %" PRIu64 " bytes do not fit in guest RAM "
			   "[0x%" PRIx64 ", 0x%" PRIx64 ") (memory = %" PRIu64
			   " MiB)",
			   cfg->ramdisk, size, floor, top, cfg->memory_mib);
		return fail_at(err, cfg, HVKIT_KEY_RAMDISK);
	}
	r = (struct hvkit_range){l->ramdisk_gpa, l->ramdisk_gpa + size};
	for (i = 0; i < k->nr_segments; i++) {
		struct hvkit_range s = segment_range(&k->segments[i]);

		if (!overlaps(r, s))
			continue;
		hvkit_errf(err,
			   "%s: placed at [0x%" PRIx64 ", 0x%" PRIx64
			   "), it overlaps kernel segment %zu [0x%" PRIx64
			   ", 0x%" PRIx64 "): give the domain more memory",
			   cfg->ramdisk, r.start, r.end, i, s.start, s.end);
		return fail_at(err, cfg, HVKIT_KEY_RAMDISK);
	}
	return 0;
}

int hvkit_layout_domain(struct hvkit_domain_layout *out,
			const struct hvkit_domain_cfg *cfg,
			enum hvkit_arch arch, const struct hvkit_kernel *k,
			uint64_t ramdisk_size, struct hvkit_err *err)
{
	size_t i;

	*out = (struct hvkit_domain_layout){0};
	if (place_ram(out, cfg, arch, err) < 0)
		return -1;
	for (i = 0; i < k->nr_segments; i++)
		if (check_segment(out, cfg, k, i, err) < 0)
			return -1;
	if (ramdisk_size)
		return place_ramdisk(out, cfg, arch, k, ramdisk_size, err);
	return 0;
}
