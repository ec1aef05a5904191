/* Reading and validating the domain bundle (docs/bundle.md). */
#include <hv/boot.h>
#include <hv/fdt_walk.h>
#include <hv/fmt.h>
#include <hv/string.h>

#include <libfdt.h>

#define DOMAIN_PREFIX  "domain@"
#define SEGMENT_PREFIX "segment@"

static int fail(struct hv_boot_error *err, const char *fmt, ...)
    HV_PRINTF(2, 3);

static int fail(struct hv_boot_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -HV_EINVAL;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * A node's properties, gathered in one pass.  libfdt's fdt_getprop walks
 * the node again from its start for each property asked for, a call per
 * byte of every name on the way: a domain's dozen lookups were most of
 * reading it under TCG.  A node with more properties than the table
 * holds is still read whole, through fdt_getprop.
 */
#define PROPS_MAX 24

struct props {
	const void *fdt;
	int node;
	unsigned int n;
	bool overflow;
	struct {
		const char *name;
		const void *value;
		int len;
	} p[PROPS_MAX];
};

static void props_read(const void *fdt, int node, struct props *np)
{
	int off;

	np->fdt = fdt;
	np->node = node;
	np->n = 0;
	np->overflow = false;
	fdt_for_each_property_offset (off, fdt, node) {
		if (np->n == PROPS_MAX) {
			np->overflow = true;
			return;
		}
		np->p[np->n].value = fdt_getprop_by_offset(
		    fdt, off, &np->p[np->n].name, &np->p[np->n].len);
		if (np->p[np->n].value)
			np->n++;
	}
}

/* Property `name`'s value (and *len, if len), or NULL if absent. */
static const void *prop(const struct props *np, const char *name, int *len)
{
	for (unsigned int i = 0; i < np->n; i++)
		if (strcmp(np->p[i].name, name) == 0) {
			if (len)
				*len = np->p[i].len;
			return np->p[i].value;
		}
	return np->overflow ? fdt_getprop(np->fdt, np->node, name, len)
			    : NULL;
}

/* A string property, NUL-terminated inside the property; NULL if absent
 * or malformed (*malformed tells which). */
static const char *get_string(const struct props *np, const char *name,
			      bool *malformed)
{
	int len;
	const char *s = prop(np, name, &len);

	*malformed = s && (len < 1 || s[len - 1] != '\0' ||
			   strlen(s) != (size_t)len - 1);
	return *malformed ? NULL : s;
}

/* A big-endian u64 or u32 property; false if absent or the wrong size. */
static bool get_u64(const struct props *np, const char *name, uint64_t *v)
{
	int len;
	const void *p = prop(np, name, &len);
	fdt64_t be;

	if (!p || len != (int)sizeof(be))
		return false;
	memcpy(&be, p, sizeof(be));
	*v = fdt64_to_cpu(be);
	return true;
}

static bool get_u32(const struct props *np, const char *name, uint32_t *v)
{
	int len;
	const void *p = prop(np, name, &len);
	fdt32_t be;

	if (!p || len != (int)sizeof(be))
		return false;
	memcpy(&be, p, sizeof(be));
	*v = fdt32_to_cpu(be);
	return true;
}

/* Every tag of the tree, checked (hv/fdt_walk.h): NULL, or what is wrong
 * at *offset in the structure block. */
static const char *check_structure(const void *bundle, size_t size,
				   uint32_t *offset)
{
	struct hv_fdt_walk w;
	const char *bad = hv_fdt_walk_start(&w, bundle, size);

	while (!bad && hv_fdt_walk_next(&w, &bad) > 0)
		;
	*offset = w.offset;
	return bad;
}

int hv_boot_bundle_open(const void *bundle, size_t size, const char *arch,
			struct hv_boot_error *err)
{
	const char *bundle_arch, *bad;
	struct props root;
	uint32_t offset;
	bool malformed;
	int node, count = 0;

	if (size < sizeof(struct fdt_header) || fdt_check_header(bundle) != 0)
		return fail(err, "bundle: not a flattened device tree");
	if (fdt_totalsize(bundle) > size)
		return fail(err, "bundle: %u bytes, but only %zu were loaded",
			    fdt_totalsize(bundle), size);
	/* Before any libfdt walk, which trusts what it finds. */
	bad = check_structure(bundle, size, &offset);
	if (bad && offset == HV_FDT_WALK_HEADER)
		return fail(err, "bundle: %s", bad);
	if (bad)
		return fail(err, "bundle: structure block offset %#x: %s",
			    offset, bad);
	if (fdt_node_check_compatible(bundle, 0, HV_BOOT_COMPATIBLE) != 0)
		return fail(err, "bundle: not compatible with \"%s\"",
			    HV_BOOT_COMPATIBLE);
	props_read(bundle, 0, &root);
	bundle_arch = get_string(&root, "arch", &malformed);
	if (!bundle_arch || strcmp(bundle_arch, arch) != 0)
		return fail(err, "bundle: made for %s, this image is %s",
			    bundle_arch ? bundle_arch : "no architecture",
			    arch);
	fdt_for_each_subnode (node, bundle, 0)
		if (has_prefix(fdt_get_name(bundle, node, NULL), DOMAIN_PREFIX))
			count++;
	if (count == 0)
		return fail(err, "bundle: no domains");
	return count;
}

static int find_domain(const void *fdt, unsigned int index)
{
	int node;
	unsigned int i = 0;

	fdt_for_each_subnode (node, fdt, 0)
		if (has_prefix(fdt_get_name(fdt, node, NULL), DOMAIN_PREFIX) &&
		    i++ == index)
			return node;
	return -1;
}

/* Names are shown in every console line: keep them plain. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > HV_BOOT_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		      *s == '-'))
			return false;
	return true;
}

/* Context for messages: "domain@1 (web)". */
struct where {
	const char *node;
	const char *name;
	struct hv_boot_error *err;
};

static int missing(const struct where *w, const char *prop)
{
	return fail(w->err, "%s (%s): %s: missing or malformed", w->node,
		    w->name, prop);
}

static bool in_ram(const struct hv_boot_domain *d, hv_gpaddr_t a, uint64_t len)
{
	return a >= d->ram_base && len <= d->memory &&
	       a - d->ram_base <= d->memory - len;
}

static int read_piece(const void *fdt, int node, const struct where *w,
		      const char *what, const struct hv_boot_domain *d,
		      struct hv_boot_segment *s, bool has_mem_size)
{
	struct props np;
	int len;

	props_read(fdt, node, &np);
	s->data = prop(&np, "data", &len);
	if (!s->data)
		return fail(w->err, "%s (%s): %s: data: missing", w->node,
			    w->name, what);
	s->len = (uint64_t)len;
	if (!get_u64(&np, "gpa", &s->gpa))
		return fail(w->err, "%s (%s): %s: gpa: missing or malformed",
			    w->node, w->name, what);
	s->mem_size = s->len;
	if (has_mem_size && !get_u64(&np, "mem-size", &s->mem_size))
		return fail(w->err,
			    "%s (%s): %s: mem-size: missing or malformed",
			    w->node, w->name, what);
	if (s->mem_size < s->len)
		return fail(w->err,
			    "%s (%s): %s: mem-size is below the data's "
			    "%llu bytes",
			    w->node, w->name, what, (unsigned long long)s->len);
	if (!in_ram(d, s->gpa, s->mem_size))
		return fail(w->err,
			    "%s (%s): %s: [%#llx, +%#llx) is outside guest RAM "
			    "[%#llx, +%#llx)",
			    w->node, w->name, what, (unsigned long long)s->gpa,
			    (unsigned long long)s->mem_size,
			    (unsigned long long)d->ram_base,
			    (unsigned long long)d->memory);
	return 0;
}

static int read_pieces(const void *fdt, int dom, const struct where *w,
		       struct hv_boot_domain *d)
{
	int node, err;

	fdt_for_each_subnode (node, fdt, dom) {
		const char *name = fdt_get_name(fdt, node, NULL);

		if (has_prefix(name, SEGMENT_PREFIX)) {
			if (d->nr_segments == HV_BOOT_MAX_SEGMENTS)
				return fail(w->err,
					    "%s (%s): more than %d "
					    "kernel segments",
					    w->node, w->name,
					    HV_BOOT_MAX_SEGMENTS);
			err = read_piece(fdt, node, w, name, d,
					 &d->segments[d->nr_segments++], true);
		} else if (strcmp(name, "ramdisk") == 0) {
			d->has_ramdisk = true;
			err = read_piece(fdt, node, w, name, d, &d->ramdisk,
					 false);
		} else {
			err = 0;
		}
		if (err)
			return err;
	}
	if (d->nr_segments == 0)
		return fail(w->err, "%s (%s): no kernel segments", w->node,
			    w->name);
	return 0;
}

static bool overlap(const struct hv_boot_segment *a,
		    const struct hv_boot_segment *b)
{
	return a->gpa < b->gpa + b->mem_size && b->gpa < a->gpa + a->mem_size;
}

static int check_overlaps(const struct where *w, const struct hv_boot_domain *d)
{
	unsigned int n = d->nr_segments;

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++)
			if (overlap(&d->segments[i], &d->segments[j]))
				return fail(w->err,
					    "%s (%s): segments %u and "
					    "%u overlap",
					    w->node, w->name, i, j);
		if (d->has_ramdisk && overlap(&d->segments[i], &d->ramdisk))
			return fail(w->err,
				    "%s (%s): segment %u overlaps the ramdisk",
				    w->node, w->name, i);
	}
	return 0;
}

static int read_strings(const struct props *np, const struct where *w,
			struct hv_boot_domain *d)
{
	bool bad;

	d->type = get_string(np, "type", &bad);
	if (!d->type)
		return missing(w, "type");
	if (strcmp(d->type, "pvh") != 0)
		return fail(w->err,
			    "%s (%s): type: \"%s\" is not supported "
			    "(only \"pvh\")",
			    w->node, w->name, d->type);
	d->cmdline = get_string(np, "cmdline", &bad);
	if (bad)
		return missing(w, "cmdline");
	if (!d->cmdline)
		d->cmdline = "";
	d->kernel_format = get_string(np, "kernel-format", &bad);
	if (bad)
		return missing(w, "kernel-format");
	d->cpus = get_string(np, "cpus", &bad);
	return bad ? missing(w, "cpus") : 0;
}

static int read_numbers(const struct props *np, const struct where *w,
			struct hv_boot_domain *d)
{
	if (!get_u64(np, "memory", &d->memory) || d->memory == 0 ||
	    !HV_IS_ALIGNED(d->memory, HV_PAGE_SIZE))
		return missing(w, "memory (non-zero, whole pages)");
	if (!get_u64(np, "ram-base", &d->ram_base) ||
	    !HV_IS_ALIGNED(d->ram_base, HV_PAGE_SIZE) ||
	    d->ram_base + d->memory < d->ram_base)
		return missing(w, "ram-base (page-aligned, no wrap)");
	if (!get_u32(np, "vcpus", &d->vcpus) || d->vcpus == 0)
		return missing(w, "vcpus (at least 1)");
	if (!get_u64(np, "entry", &d->entry) || !in_ram(d, d->entry, 1))
		return missing(w, "entry (inside guest RAM)");
	if (prop(np, "weight", NULL) &&
	    !get_u32(np, "weight", &d->weight))
		return missing(w, "weight");
	if (prop(np, "cap", NULL) &&
	    !get_u32(np, "cap", &d->cap))
		return missing(w, "cap");
	d->initdomain = prop(np, "initdomain", NULL) != NULL;
	return 0;
}

int hv_boot_bundle_domain(const void *bundle, unsigned int index,
			  struct hv_boot_domain *d, struct hv_boot_error *err)
{
	int node = find_domain(bundle, index);
	struct where w = {.name = "?", .err = err};
	struct props np;
	const char *name;
	bool bad;
	int e;

	if (node < 0) {
		fail(err, "bundle: no domain %u", index);
		return -HV_ENOENT;
	}
	memset(d, 0, sizeof(*d));
	w.node = fdt_get_name(bundle, node, NULL);
	props_read(bundle, node, &np);
	name = get_string(&np, "name", &bad);
	if (!name || !valid_name(name))
		return missing(&w, "name (1-63 of A-Z a-z 0-9 _ . -)");
	hv_strlcpy(d->name, name, sizeof(d->name));
	w.name = d->name;

	e = read_strings(&np, &w, d);
	if (!e)
		e = read_numbers(&np, &w, d);
	if (!e)
		e = read_pieces(bundle, node, &w, d);
	if (!e)
		e = check_overlaps(&w, d);
	return e;
}

unsigned int hv_boot_api_version(void)
{
	return HV_BOOT_API_VERSION;
}
