/*
 * What the machine is: RAM, the CPUs, the UART, the GIC and where the
 * domain bundle was loaded, all from the device tree the boot loader
 * passed.
 */
#include "hyp.h"

#include <libfdt.h>

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The index-th (address, size) pair of a node's reg, in its parent's
 * cell sizes.  false if there is no such pair. */
static bool reg_entry(const void *fdt, int node, int index, uint64_t *addr,
		      uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (index + 1) * (ac + sc) * 4)
		return false;
	reg += index * (ac + sc);
	*addr = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return true;
}

static void find_ram(struct hyp *h, const void *fdt)
{
	int node;

	fdt_for_each_subnode (node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		uint64_t base, size;

		if (!type || strcmp(type, "memory") != 0)
			continue;
		for (int i = 0; reg_entry(fdt, node, i, &base, &size); i++) {
			if (h->plat.nr_ram == HYP_MAX_RAM_RANGES)
				hyp_panic(h, "more than %d RAM ranges",
					  HYP_MAX_RAM_RANGES);
			h->plat.ram[h->plat.nr_ram].base = base;
			h->plat.ram[h->plat.nr_ram].size = size;
			h->plat.nr_ram++;
		}
	}
	if (h->plat.nr_ram == 0)
		hyp_panic(h, "the device tree describes no memory");
}

static void find_reserved(struct hyp *h, const void *fdt)
{
	int node = fdt_path_offset(fdt, "/reserved-memory");
	uint64_t base, size;

	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			hyp_reserve(h, base, size);
	if (node < 0)
		return;
	fdt_for_each_subnode (node, fdt, node)
		if (reg_entry(fdt, node, 0, &base, &size))
			hyp_reserve(h, base, size);
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *prop)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, prop, &len);

	return p && (len == 4 || len == 8) ? read_cells(p, len / 4) : 0;
}

static void find_bundle(struct hyp *h, const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start = chosen_u64(fdt, chosen, "linux,initrd-start");
	uint64_t end = chosen_u64(fdt, chosen, "linux,initrd-end");

	if (chosen < 0 || end <= start)
		hyp_panic(h, "no domain bundle: boot with -initrd BUNDLE "
			     "(hvkit run does)");
	h->plat.bundle = start;
	h->plat.bundle_size = end - start;
	hyp_reserve(h, start, end - start);
}

static uintptr_t device(struct hyp *h, const void *fdt, const char *compat,
			int index)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat);
	uint64_t base, size;

	if (node < 0 || !reg_entry(fdt, node, index, &base, &size))
		hyp_panic(h, "no %s in the device tree", compat);
	return (uintptr_t)base;
}

/* MPIDR_EL1's affinity fields (Aff3, Aff2.Aff1.Aff0), as a cpu node's
 * reg gives them. */
#define MPIDR_AFFINITY 0xff00ffffffull

static uint64_t boot_mpidr(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(v));
	return v & MPIDR_AFFINITY;
}

/* pCPU 0 is the boot CPU; the others, as the device tree lists them
 * (each /cpus/cpu node's reg is its MPIDR affinity). */
static void find_cpus(struct hyp *h, const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	unsigned int n = 1, listed = 0;

	h->arch.pcpus[0].mpidr = boot_mpidr();
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		uint64_t mpidr, size;

		if (!type || strcmp(type, "cpu") != 0 ||
		    !reg_entry(fdt, node, 0, &mpidr, &size))
			continue;
		listed++;
		if (mpidr == h->arch.pcpus[0].mpidr || n == HYP_MAX_PCPUS)
			continue;
		h->arch.pcpus[n++].mpidr = mpidr;
	}
	if (listed > n)
		hv_log_warn(&h->log,
			    "the device tree lists %u CPUs; this image runs "
			    "at most %u",
			    listed, HYP_MAX_PCPUS);
	h->nr_pcpus = n;
	for (unsigned int i = 0; i < n; i++) {
		h->arch.pcpus[i].id = i;
		h->pcpus[i].arch = &h->arch.pcpus[i];
	}
}

void hyp_platform_probe(struct hyp *h, const void *fdt)
{
	if (fdt_check_header(fdt) != 0)
		hyp_panic(h, "no valid device tree at %p", fdt);
	find_ram(h, fdt);
	find_reserved(h, fdt);
	find_bundle(h, fdt);
	hyp_reserve(h, (uintptr_t)fdt, fdt_totalsize(fdt));
	h->arch.arm.gicd = device(h, fdt, "arm,gic-v3", 0);
	h->arch.arm.gicr = device(h, fdt, "arm,gic-v3", 1);
	find_cpus(h, fdt);
}
