/*
 * The machine from its device tree (hv/arm_platform.h): each node's reg
 * read in its parent's cell sizes, as the device-tree specification says.
 *
 * One checked pass over the tree (hv/fdt_walk.h) finds everything: each
 * node's properties are noted as the walk passes them and the node is
 * looked at once they are all known (at its first child or its end).
 * libfdt's lookups each walk a node again from its start, a call per
 * byte of its name: the dozen per node this reader once made were
 * 200,000 translated blocks under TCG on QEMU's virt tree, two thirds of
 * an image's boot.
 */
#include <hv/arm_platform.h>
#include <hv/error.h>
#include <hv/fdt_walk.h>
#include <hv/fmt.h>
#include <hv/string.h>

#include <libfdt.h>

/* Deeper nodes are walked past, never read (QEMU's tree has 3 levels). */
#define MAX_DEPTH 16

/* The properties a node keeps the first of, as libfdt's lookups find the
 * first of duplicates. */
#define NOTED_ADDRESS_CELLS 0x01u
#define NOTED_SIZE_CELLS    0x02u
#define NOTED_REG	    0x04u
#define NOTED_INTERRUPTS    0x08u
#define NOTED_DEVICE_TYPE   0x10u
#define NOTED_COMPATIBLE    0x20u

/* A node the walk is in, with what it has noted of its properties. */
struct node {
	/* Its children's reg cells; the specification's defaults. */
	uint32_t address_cells, size_cells;
	const void *reg, *interrupts;
	uint32_t reg_len, interrupts_len;
	bool memory, cpu;    /* device_type */
	bool pl011, gic_v3;  /* compatible */
	bool seen;	     /* looked at (its properties were all known) */
	unsigned int noted;  /* NOTED_* of the properties met so far */
	bool reserved_memory, cpus, chosen; /* the root's children by name */
};

struct walk {
	struct node path[MAX_DEPTH]; /* the nodes open, root first */
	uint64_t boot_mpidr;
	bool found_reserved, found_cpus, found_chosen, found_pl011,
	    found_gic;
	const char *bootargs;
	uint32_t bootargs_len;
	const void *initrd_start, *initrd_end;
	uint32_t initrd_start_len, initrd_end_len;
	bool too_much_ram, too_many_reserved;
};

static uint64_t read_cells(const void *v, uint32_t cells)
{
	uint64_t x = 0;

	for (uint32_t i = 0; i < cells; i++)
		x = x << 32 | hv_fdt_cell(v, i);
	return x;
}

/* The index-th (address, size) pair of n's reg, in its parent's cells;
 * false if none. */
static bool reg_entry(const struct node *parent, const struct node *n,
		      uint32_t index, struct hv_mem_range *r)
{
	uint32_t ac = parent->address_cells, sc = parent->size_cells;

	if (!n->reg || ac < 1 || ac > 2 || sc > 2 ||
	    n->reg_len / 4 / (ac + sc) <= index)
		return false;
	r->base = read_cells((const uint8_t *)n->reg + 4 * index * (ac + sc),
			     ac);
	r->size = read_cells(
	    (const uint8_t *)n->reg + 4 * (index * (ac + sc) + ac), sc);
	return true;
}

/* A property value whose (first) string is s. */
static bool value_is(const struct hv_fdt_walk *w, const char *s)
{
	size_t n = strlen(s) + 1;

	return w->len >= n && memcmp(w->value, s, n) == 0;
}

/* A string-list value (compatible) that holds s: libfdt's check of a
 * value in hand, which walks no tree. */
static bool list_has(const struct hv_fdt_walk *w, const char *s)
{
	return w->len <= INT32_MAX &&
	       fdt_stringlist_contains(w->value, (int)w->len, s);
}

/* A node named `name`, with or without a unit address. */
static bool is_named(const char *node, const char *name)
{
	size_t len = strlen(name);

	return strncmp(node, name, len) == 0 &&
	       (node[len] == '\0' || node[len] == '@');
}

/* A property of /chosen: the command line and the initrd (the first of
 * each). */
static void note_chosen(struct walk *wk, const struct hv_fdt_walk *w)
{
	if (!wk->bootargs && strcmp(w->name, "bootargs") == 0) {
		wk->bootargs = w->value;
		wk->bootargs_len = w->len;
	} else if (!wk->initrd_start &&
		   strcmp(w->name, "linux,initrd-start") == 0) {
		wk->initrd_start = w->value;
		wk->initrd_start_len = w->len;
	} else if (!wk->initrd_end &&
		   strcmp(w->name, "linux,initrd-end") == 0) {
		wk->initrd_end = w->value;
		wk->initrd_end_len = w->len;
	}
}

static bool add(struct hv_mem_range *a, unsigned int *n, unsigned int max,
		struct hv_mem_range r)
{
	if (*n == max)
		return false;
	a[(*n)++] = r;
	return true;
}

/* Whether property w is named `name` and is n's first of that name
 * (which it then becomes). */
static bool first_named(struct node *n, unsigned int bit,
			const struct hv_fdt_walk *w, const char *name)
{
	if ((n->noted & bit) || strcmp(w->name, name) != 0)
		return false;
	n->noted |= bit;
	return true;
}

/* A property of n (at `depth`), noted for when n is looked at.  Its
 * name's first character picks the one name it can be: a chain of
 * strcmp was a fifth of the walk under TCG. */
static void note_property(struct walk *wk, struct node *n, unsigned int depth,
			  const struct hv_fdt_walk *w)
{
	switch (w->name[0]) {
	case '#':
		/* A cell count that is not one cell reads as none at all
		 * (libfdt's answer), so that no reg is read with it. */
		if (first_named(n, NOTED_ADDRESS_CELLS, w, "#address-cells"))
			n->address_cells =
			    w->len == 4 ? hv_fdt_cell(w->value, 0) : 0;
		else if (first_named(n, NOTED_SIZE_CELLS, w, "#size-cells"))
			n->size_cells = w->len == 4 ? hv_fdt_cell(w->value, 0)
						    : UINT32_MAX;
		break;
	case 'r':
		if (first_named(n, NOTED_REG, w, "reg")) {
			n->reg = w->value;
			n->reg_len = w->len;
		}
		break;
	case 'i':
		if (first_named(n, NOTED_INTERRUPTS, w, "interrupts")) {
			n->interrupts = w->value;
			n->interrupts_len = w->len;
		}
		break;
	case 'd':
		if (first_named(n, NOTED_DEVICE_TYPE, w, "device_type")) {
			n->memory = value_is(w, "memory");
			n->cpu = value_is(w, "cpu");
		}
		break;
	case 'c':
		if (first_named(n, NOTED_COMPATIBLE, w, "compatible")) {
			n->pl011 = list_has(w, "arm,pl011");
			n->gic_v3 = list_has(w, "arm,gic-v3");
		}
		break;
	case 'b':
	case 'l':
		if (depth == 1 && n->chosen)
			note_chosen(wk, w);
		break;
	default:
		break;
	}
}

/* A node's first interrupt if it is an SPI in the GIC binding (type 0,
 * number n: INTID 32 + n); else 0. */
static unsigned int first_spi(const struct node *n)
{
	if (!n->interrupts || n->interrupts_len < 12 ||
	    hv_fdt_cell(n->interrupts, 0) != 0)
		return 0;
	return 32 + hv_fdt_cell(n->interrupts, 1);
}

static void memory_node(struct walk *wk, const struct node *root,
			const struct node *n, struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	for (uint32_t i = 0; reg_entry(root, n, i, &r); i++)
		if (!add(p->ram, &p->nr_ram, HV_ARM_PLATFORM_MAX_RAM, r))
			wk->too_much_ram = true;
}

/* A cpu node: the boot CPU is already first. */
static void cpu_node(struct walk *wk, const struct node *cpus,
		     const struct node *n, struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	if (!n->cpu || !reg_entry(cpus, n, 0, &r))
		return;
	p->cpus_listed++;
	if (r.base != wk->boot_mpidr && p->nr_cpus < HV_ARM_PLATFORM_MAX_CPUS)
		p->cpus[p->nr_cpus++] = r.base;
}

static void devices(struct walk *wk, const struct node *parent,
		    const struct node *n, struct hv_arm_platform *p)
{
	struct hv_mem_range r;

	if (!wk->found_pl011 && n->pl011) {
		wk->found_pl011 = true;
		if (reg_entry(parent, n, 0, &r))
			p->uart = r.base;
		p->uart_intid = first_spi(n);
	}
	if (!wk->found_gic && n->gic_v3) {
		wk->found_gic = true;
		if (reg_entry(parent, n, 0, &r))
			p->gicd = r.base;
		if (reg_entry(parent, n, 1, &r))
			p->gicr = r.base;
	}
}

/* The node at `depth` (> 0), its properties all known. */
static void look_at(struct walk *wk, unsigned int depth,
		    struct hv_arm_platform *p)
{
	struct node *n = &wk->path[depth], *parent = &wk->path[depth - 1];
	struct hv_mem_range r;

	n->seen = true;
	if (depth == 1 && n->memory)
		memory_node(wk, parent, n, p);
	else if (depth == 2 && parent->reserved_memory) {
		if (reg_entry(parent, n, 0, &r) &&
		    !add(p->reserved, &p->nr_reserved,
			 HV_ARM_PLATFORM_MAX_RESERVED, r))
			wk->too_many_reserved = true;
	} else if (depth == 2 && parent->cpus) {
		cpu_node(wk, parent, n, p);
	}
	devices(wk, parent, n, p);
}

/* A node begins at `depth`: its parent's properties are all known. */
static void begin_node(struct walk *wk, unsigned int depth, const char *name,
		       struct hv_arm_platform *p)
{
	struct node *n = &wk->path[depth];

	if (depth > 1 && !wk->path[depth - 1].seen)
		look_at(wk, depth - 1, p);
	else if (depth == 1)
		wk->path[0].seen = true; /* the root, not a device: no look */
	*n = (struct node){.address_cells = 2, .size_cells = 1};
	if (depth != 1)
		return;
	if (!wk->found_reserved && is_named(name, "reserved-memory"))
		wk->found_reserved = n->reserved_memory = true;
	else if (!wk->found_cpus && is_named(name, "cpus"))
		wk->found_cpus = n->cpus = true;
	else if (!wk->found_chosen && is_named(name, "chosen"))
		wk->found_chosen = n->chosen = true;
}

/* Every node; NULL, or what is malformed (at *offset). */
static const char *walk_tree(struct walk *wk, const void *fdt,
			     struct hv_arm_platform *p, uint32_t *offset)
{
	struct hv_fdt_walk w;
	const char *bad = hv_fdt_walk_start(&w, fdt, fdt_totalsize(fdt));

	while (!bad && hv_fdt_walk_next(&w, &bad) > 0) {
		if (w.item == HV_FDT_BEGIN_NODE && w.depth < MAX_DEPTH)
			begin_node(wk, w.depth, w.name, p);
		else if (w.item == HV_FDT_PROP && w.depth - 1 < MAX_DEPTH &&
			 !wk->path[w.depth - 1].seen) /* none after children */
			note_property(wk, &wk->path[w.depth - 1], w.depth - 1,
				      &w);
		else if (w.item == HV_FDT_END_NODE && w.depth > 0 &&
			 w.depth < MAX_DEPTH && !wk->path[w.depth].seen)
			look_at(wk, w.depth, p);
	}
	*offset = w.offset;
	return bad;
}

static uint64_t chosen_u64(const void *v, uint32_t len)
{
	return v && (len == 4 || len == 8) ? read_cells(v, len / 4) : 0;
}

static void read_chosen(const struct walk *wk, struct hv_arm_platform *p)
{
	uint64_t start = chosen_u64(wk->initrd_start, wk->initrd_start_len);
	uint64_t end = chosen_u64(wk->initrd_end, wk->initrd_end_len);
	size_t i;

	for (i = 0; i < wk->bootargs_len && i + 1 < sizeof(p->cmdline) &&
		    wk->bootargs[i];
	     i++)
		p->cmdline[i] = wk->bootargs[i];
	p->cmdline[i] = '\0';
	if (end > start)
		p->initrd = (struct hv_mem_range){start, end - start};
}

int hv_arm_platform_read(const void *fdt, uint64_t boot_mpidr,
			 struct hv_arm_platform *p, char *msg, size_t len)
{
	struct walk wk = {.boot_mpidr = boot_mpidr};
	struct hv_mem_range r;
	const char *bad;
	uint32_t offset;

	memset(p, 0, sizeof(*p));
	if (fdt_check_header(fdt) != 0) {
		hv_snprintf(msg, len, "no valid device tree at %p", fdt);
		return -HV_EINVAL;
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (fdt_get_mem_rsv(fdt, i, &r.base, &r.size) == 0 &&
		    !add(p->reserved, &p->nr_reserved,
			 HV_ARM_PLATFORM_MAX_RESERVED, r))
			wk.too_many_reserved = true;
	p->cpus[p->nr_cpus++] = boot_mpidr;
	bad = walk_tree(&wk, fdt, p, &offset);
	if (bad && offset == HV_FDT_WALK_HEADER) {
		hv_snprintf(msg, len, "device tree: %s", bad);
		return -HV_EINVAL;
	}
	if (bad) {
		hv_snprintf(msg, len, "device tree, offset %#x: %s", offset,
			    bad);
		return -HV_EINVAL;
	}
	if (!p->nr_ram) {
		hv_snprintf(msg, len, "the device tree describes no memory");
		return -HV_EINVAL;
	}
	if (wk.too_much_ram) {
		hv_snprintf(msg, len, "more than %d RAM ranges",
			    HV_ARM_PLATFORM_MAX_RAM);
		return -HV_EINVAL;
	}
	if (wk.too_many_reserved) {
		hv_snprintf(msg, len, "more than %d reserved memory regions",
			    HV_ARM_PLATFORM_MAX_RESERVED);
		return -HV_EINVAL;
	}
	if (!p->gicd || !p->gicr) {
		hv_snprintf(msg, len, "no arm,gic-v3 with its redistributors");
		return -HV_EINVAL;
	}
	read_chosen(&wk, p);
	return 0;
}
