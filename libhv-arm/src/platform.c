/*
 * The machine from its device tree (hv/arm_platform.h): each node's reg
 * read in its parent's cell sizes, as the device-tree specification says.
 *
 * One walk over the tree finds everything.  libfdt's lookups each walk it
 * again from the start (fdt_parent_offset, fdt_node_offset_by_compatible,
 * fdt_path_offset): a dozen of them took 2.5 ms under TCG on QEMU's virt
 * tree, an eighth of an image's boot, and the walk keeps each node's
 * parent anyway.
 */
#include <hv/arm_platform.h>
#include <hv/error.h>
#include <hv/fmt.h>
#include <hv/string.h>

#include <libfdt.h>

/* Deeper nodes are walked past, never read (QEMU's tree has 3 levels). */
#define MAX_DEPTH 16

/* What the walk found besides what it stored in the platform. */
struct walk {
	const void *fdt;
	int path[MAX_DEPTH]; /* the node at each depth down to this one */
	int reserved, cpus, chosen, pl011, gic; /* nodes, or -1 */
	int pl011_parent, gic_parent;
	bool too_much_ram, too_many_reserved;
};

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The index-th (address, size) pair of a node's reg, in its parent's
 * cells; false if none. */
static bool reg_entry(const void *fdt, int parent, int node, int index,
		      struct hv_mem_range *r)
{
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

/* A node named `name`, with or without a unit address (as a path names
 * it). */
static bool is_named(const void *fdt, int node, const char *name)
{
	const char *n = fdt_get_name(fdt, node, NULL);
	size_t len = strlen(name);

	return n && strncmp(n, name, len) == 0 &&
	       (n[len] == '\0' || n[len] == '@');
}

static bool add(struct hv_mem_range *a, unsigned int *n, unsigned int max,
		struct hv_mem_range r)
{
	if (*n == max)
		return false;
	a[(*n)++] = r;
	return true;
}

static void memory_node(struct walk *w, int node, struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	for (int i = 0; reg_entry(w->fdt, 0, node, i, &r); i++)
		if (!add(p->ram, &p->nr_ram, HV_ARM_PLATFORM_MAX_RAM, r))
			w->too_much_ram = true;
}

/* A cpu node: the boot CPU is already first. */
static void cpu_node(struct walk *w, int node, uint64_t boot_mpidr,
		     struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	if (!is_type(w->fdt, node, "cpu") ||
	    !reg_entry(w->fdt, w->cpus, node, 0, &r))
		return;
	p->cpus_listed++;
	if (r.base != boot_mpidr && p->nr_cpus < HV_ARM_PLATFORM_MAX_CPUS)
		p->cpus[p->nr_cpus++] = r.base;
}

static void one_node(struct walk *w, int node, int depth, uint64_t boot_mpidr,
		     struct hv_arm_platform *p)
{
	const void *fdt = w->fdt;
	int parent = w->path[depth - 1];
	struct hv_mem_range r;

	if (depth == 1) {
		if (is_type(fdt, node, "memory"))
			memory_node(w, node, p);
		else if (w->reserved < 0 &&
			 is_named(fdt, node, "reserved-memory"))
			w->reserved = node;
		else if (w->cpus < 0 && is_named(fdt, node, "cpus"))
			w->cpus = node;
		else if (w->chosen < 0 && is_named(fdt, node, "chosen"))
			w->chosen = node;
	} else if (depth == 2 && parent == w->reserved) {
		if (reg_entry(fdt, parent, node, 0, &r) &&
		    !add(p->reserved, &p->nr_reserved,
			 HV_ARM_PLATFORM_MAX_RESERVED, r))
			w->too_many_reserved = true;
	} else if (depth == 2 && parent == w->cpus) {
		cpu_node(w, node, boot_mpidr, p);
	}
	if (w->pl011 < 0 &&
	    !fdt_node_check_compatible(fdt, node, "arm,pl011")) {
		w->pl011 = node;
		w->pl011_parent = parent;
	}
	if (w->gic < 0 && !fdt_node_check_compatible(fdt, node, "arm,gic-v3")) {
		w->gic = node;
		w->gic_parent = parent;
	}
}

static void walk_tree(struct walk *w, uint64_t boot_mpidr,
		      struct hv_arm_platform *p)
{
	int depth = 0, node = 0;

	w->path[0] = 0;
	while ((node = fdt_next_node(w->fdt, node, &depth)) >= 0 && depth > 0) {
		if (depth >= MAX_DEPTH)
			continue;
		w->path[depth] = node;
		one_node(w, node, depth, boot_mpidr, p);
	}
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *prop)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, chosen, prop, &len);

	return v && (len == 4 || len == 8) ? read_cells(v, len / 4) : 0;
}

static void read_chosen(const void *fdt, int chosen, struct hv_arm_platform *p)
{
	int len;
	const char *s = fdt_getprop(fdt, chosen, "bootargs", &len);
	uint64_t start = chosen_u64(fdt, chosen, "linux,initrd-start");
	uint64_t end = chosen_u64(fdt, chosen, "linux,initrd-end");
	size_t i;

	for (i = 0; s && (int)i < len && i + 1 < sizeof(p->cmdline) && s[i];
	     i++)
		p->cmdline[i] = s[i];
	p->cmdline[i] = '\0';
	if (end > start)
		p->initrd = (struct hv_mem_range){start, end - start};
}

/* The INTID of a node's first interrupt if it is an SPI in the GIC
 * binding (type 0, number n: INTID 32 + n); else 0. */
static unsigned int first_spi(const void *fdt, int node)
{
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

	if (!irq || len < 12 || fdt32_to_cpu(irq[0]) != 0)
		return 0;
	return 32 + fdt32_to_cpu(irq[1]);
}

/* The devices' registers, from the nodes the walk found. */
static void read_devices(const struct walk *w, struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	if (w->pl011 >= 0) {
		if (reg_entry(w->fdt, w->pl011_parent, w->pl011, 0, &r))
			p->uart = r.base;
		p->uart_intid = first_spi(w->fdt, w->pl011);
	}
	if (w->gic >= 0 && reg_entry(w->fdt, w->gic_parent, w->gic, 0, &r))
		p->gicd = r.base;
	if (w->gic >= 0 && reg_entry(w->fdt, w->gic_parent, w->gic, 1, &r))
		p->gicr = r.base;
}

int hv_arm_platform_read(const void *fdt, uint64_t boot_mpidr,
			 struct hv_arm_platform *p, char *msg, size_t len)
{
	struct walk w = {.fdt = fdt,
			 .reserved = -1,
			 .cpus = -1,
			 .chosen = -1,
			 .pl011 = -1,
			 .gic = -1};
	struct hv_mem_range r;

	memset(p, 0, sizeof(*p));
	if (fdt_check_header(fdt) != 0) {
		hv_snprintf(msg, len, "no valid device tree at %p", fdt);
		return -HV_EINVAL;
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (fdt_get_mem_rsv(fdt, i, &r.base, &r.size) == 0 &&
		    !add(p->reserved, &p->nr_reserved,
			 HV_ARM_PLATFORM_MAX_RESERVED, r))
			w.too_many_reserved = true;
	p->cpus[p->nr_cpus++] = boot_mpidr;
	walk_tree(&w, boot_mpidr, p);
	read_devices(&w, p);
	if (!p->nr_ram) {
		hv_snprintf(msg, len, "the device tree describes no memory");
		return -HV_EINVAL;
	}
	if (w.too_much_ram) {
		hv_snprintf(msg, len, "more than %d RAM ranges",
			    HV_ARM_PLATFORM_MAX_RAM);
		return -HV_EINVAL;
	}
	if (w.too_many_reserved) {
		hv_snprintf(msg, len, "more than %d reserved memory regions",
			    HV_ARM_PLATFORM_MAX_RESERVED);
		return -HV_EINVAL;
	}
	if (!p->gicd || !p->gicr) {
		hv_snprintf(msg, len, "no arm,gic-v3 with its redistributors");
		return -HV_EINVAL;
	}
	if (w.chosen >= 0)
		read_chosen(fdt, w.chosen, p);
	return 0;
}
