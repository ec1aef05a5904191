/*
 * The machine from its device tree (hv/arm_platform.h): each node's reg
 * read in its parent's cell sizes, as the device-tree specification says.
 */
#include <hv/arm_platform.h>
#include <hv/error.h>
#include <hv/fmt.h>
#include <hv/string.h>

#include <libfdt.h>

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The index-th (address, size) pair of a node's reg; false if none. */
static bool reg_entry(const void *fdt, int node, int index,
		      struct hv_mem_range *r)
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
	r->base = read_cells(reg, ac);
	r->size = read_cells(reg + ac, sc);
	return true;
}

static bool is_type(const void *fdt, int node, const char *type)
{
	const char *t = fdt_getprop(fdt, node, "device_type", NULL);

	return t && strcmp(t, type) == 0;
}

static int add(struct hv_mem_range *a, unsigned int *n, unsigned int max,
	       struct hv_mem_range r)
{
	if (*n == max)
		return -HV_ENOSPC;
	a[(*n)++] = r;
	return 0;
}

static int find_ram(const void *fdt, struct hv_arm_platform *p)
{
	struct hv_mem_range r;
	int node;

	fdt_for_each_subnode (node, fdt, 0) {
		if (!is_type(fdt, node, "memory"))
			continue;
		for (int i = 0; reg_entry(fdt, node, i, &r); i++)
			if (add(p->ram, &p->nr_ram, HV_ARM_PLATFORM_MAX_RAM, r))
				return -HV_ENOSPC;
	}
	return p->nr_ram ? 0 : -HV_ENOENT;
}

static int find_reserved(const void *fdt, struct hv_arm_platform *p)
{
	int node = fdt_path_offset(fdt, "/reserved-memory");
	struct hv_mem_range r;

	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (fdt_get_mem_rsv(fdt, i, &r.base, &r.size) == 0 &&
		    add(p->reserved, &p->nr_reserved,
			HV_ARM_PLATFORM_MAX_RESERVED, r))
			return -HV_ENOSPC;
	if (node < 0)
		return 0;
	fdt_for_each_subnode (node, fdt, node)
		if (reg_entry(fdt, node, 0, &r) &&
		    add(p->reserved, &p->nr_reserved,
			HV_ARM_PLATFORM_MAX_RESERVED, r))
			return -HV_ENOSPC;
	return 0;
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *prop)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, chosen, prop, &len);

	return v && (len == 4 || len == 8) ? read_cells(v, len / 4) : 0;
}

static void find_cmdline(const void *fdt, struct hv_arm_platform *p)
{
	int len, chosen = fdt_path_offset(fdt, "/chosen");
	const char *s =
	    chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	size_t i;

	for (i = 0; s && (int)i < len && i + 1 < sizeof(p->cmdline) && s[i];
	     i++)
		p->cmdline[i] = s[i];
	p->cmdline[i] = '\0';
}

static void find_initrd(const void *fdt, struct hv_arm_platform *p)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start = chosen_u64(fdt, chosen, "linux,initrd-start");
	uint64_t end = chosen_u64(fdt, chosen, "linux,initrd-end");

	if (chosen >= 0 && end > start)
		p->initrd = (struct hv_mem_range){start, end - start};
}

/* reg entry `index` of the first node compatible with `compat`, or 0. */
static hv_paddr_t device(const void *fdt, const char *compat, int index)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat);
	struct hv_mem_range r;

	return node >= 0 && reg_entry(fdt, node, index, &r) ? r.base : 0;
}

/* The INTID of the first interrupt of the first node compatible with
 * `compat`, if it is an SPI in the GIC binding (type 0, number n: INTID
 * 32 + n); else 0. */
static unsigned int device_spi(const void *fdt, const char *compat)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat), len;
	const fdt32_t *irq =
	    node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts", &len);

	if (!irq || len < 12 || fdt32_to_cpu(irq[0]) != 0)
		return 0;
	return 32 + fdt32_to_cpu(irq[1]);
}

/* The boot CPU first, then the others as /cpus lists them. */
static void find_cpus(const void *fdt, uint64_t boot_mpidr,
		      struct hv_arm_platform *p)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	struct hv_mem_range r;

	p->cpus[p->nr_cpus++] = boot_mpidr;
	fdt_for_each_subnode (node, fdt, cpus) {
		if (!is_type(fdt, node, "cpu") || !reg_entry(fdt, node, 0, &r))
			continue;
		p->cpus_listed++;
		if (r.base != boot_mpidr &&
		    p->nr_cpus < HV_ARM_PLATFORM_MAX_CPUS)
			p->cpus[p->nr_cpus++] = r.base;
	}
}

int hv_arm_platform_read(const void *fdt, uint64_t boot_mpidr,
			 struct hv_arm_platform *p, char *msg, size_t len)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (fdt_check_header(fdt) != 0) {
		hv_snprintf(msg, len, "no valid device tree at %p", fdt);
		return -HV_EINVAL;
	}
	p->uart = device(fdt, "arm,pl011", 0);
	p->uart_intid = device_spi(fdt, "arm,pl011");
	err = find_ram(fdt, p);
	if (err == -HV_ENOENT)
		hv_snprintf(msg, len, "the device tree describes no memory");
	else if (err)
		hv_snprintf(msg, len, "more than %d RAM ranges",
			    HV_ARM_PLATFORM_MAX_RAM);
	if (err)
		return -HV_EINVAL;
	if (find_reserved(fdt, p)) {
		hv_snprintf(msg, len, "more than %d reserved memory regions",
			    HV_ARM_PLATFORM_MAX_RESERVED);
		return -HV_EINVAL;
	}
	p->gicd = device(fdt, "arm,gic-v3", 0);
	p->gicr = device(fdt, "arm,gic-v3", 1);
	if (!p->gicd || !p->gicr) {
		hv_snprintf(msg, len, "no arm,gic-v3 with its redistributors");
		return -HV_EINVAL;
	}
	find_initrd(fdt, p);
	find_cpus(fdt, boot_mpidr, p);
	find_cmdline(fdt, p);
	return 0;
}
