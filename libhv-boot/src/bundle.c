/*
 * Reading and validating the domain bundle (docs/bundle.md).
 *
 * The bundle is a flattened device tree, read with hv/fdt_walk.h alone:
 * one checked pass over every tag when it is opened, then one pass for
 * each domain read, gathering a node's properties as it goes.  No
 * libfdt: an x86 image reads no other device tree, so it links none.
 */
#include <hv/boot.h>
#include <hv/fdt_walk.h>
#include <hv/fmt.h>
#include <hv/string.h>

#define DOMAIN_PREFIX  "domain@"
#define SEGMENT_PREFIX "segment@"

/* The header's first two words: its magic and the tree's size. */
#define FDT_MAGIC	 0xd00dfeedu
#define FDT_HEADER_BYTES 40u
#define HEADER_MAGIC	 0
#define HEADER_TOTALSIZE 1

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

/* The next item of a walk over a bundle that opened: every tag was
 * checked then, so the walk ends only where the tree does. */
static bool next(struct hv_fdt_walk *w)
{
	const char *why;

	return hv_fdt_walk_next(w, &why) > 0;
}

/* A walk of the bundle, at its root node's start. */
static void walk_root(struct hv_fdt_walk *w, const void *bundle)
{
	/* hv_boot_bundle_open checked that totalsize bytes can be read. */
	(void)hv_fdt_walk_start(w, bundle,
				hv_fdt_cell(bundle, HEADER_TOTALSIZE));
	(void)next(w);
}

/*
 * The properties the reader looks at, of any node.  Others (a newer
 * tool's) are passed over, however many there are.
 */
static const char *const known_props[] = {
    "compatible",    "arch",	 "name",   "type",	 "cmdline",
    "kernel-format", "cpus",	 "memory", "ram-base",	 "vcpus",
    "entry",	     "weight",	 "cap",	   "initdomain", "data",
    "gpa",	     "mem-size",
};

static bool known_prop(const char *name)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(known_props); i++)
		if (strcmp(known_props[i], name) == 0)
			return true;
	return false;
}

/* A node's known properties, gathered in the pass that reaches them. */
struct props {
	unsigned int n;
	struct {
		const char *name;
		const void *value;
		uint32_t len;
	} p[HV_ARRAY_SIZE(known_props)];
};

/* Property `name`'s value (and *len, if len), or NULL if absent. */
static const void *prop(const struct props *np, const char *name, uint32_t *len)
{
	for (unsigned int i = 0; i < np->n; i++)
		if (strcmp(np->p[i].name, name) == 0) {
			if (len)
				*len = np->p[i].len;
			return np->p[i].value;
		}
	return NULL;
}

/*
 * The known properties of the node whose start w has reached (they come
 * before its children), the first of each name.  w is left on the item
 * after them: a child's start, or the node's end.
 */
static void props_gather(struct hv_fdt_walk *w, struct props *np)
{
	unsigned int depth = w->depth + 1;

	np->n = 0;
	while (next(w) && w->item == HV_FDT_PROP && w->depth == depth) {
		if (!known_prop(w->name) || prop(np, w->name, NULL))
			continue;
		np->p[np->n].name = w->name;
		np->p[np->n].value = w->value;
		np->p[np->n].len = w->len;
		np->n++;
	}
}

/* From anywhere inside a node at `depth` (its start included), to the
 * item after its end: the next sibling's start, or the parent's end. */
static void skip_past_end(struct hv_fdt_walk *w, unsigned int depth)
{
	while ((w->item != HV_FDT_END_NODE || w->depth != depth) && next(w))
		;
	(void)next(w);
}

/* Whether w is at the start of a child of the node at `parent` depth. */
static bool at_child(const struct hv_fdt_walk *w, unsigned int parent)
{
	return w->item == HV_FDT_BEGIN_NODE && w->depth == parent + 1;
}

/* From a child of the root, or the root's end: on to the next domain's
 * start (true), or to the root's end (false). */
static bool to_domain(struct hv_fdt_walk *w)
{
	for (; at_child(w, 0); skip_past_end(w, 1))
		if (has_prefix(w->name, DOMAIN_PREFIX))
			return true;
	return false;
}

/* A string property, NUL-terminated inside the property; NULL if absent
 * or malformed (*malformed tells which). */
static const char *get_string(const struct props *np, const char *name,
			      bool *malformed)
{
	uint32_t len;
	const char *s = prop(np, name, &len);

	*malformed = s && (len < 1 || s[len - 1] != '\0' ||
			   strlen(s) != (size_t)len - 1);
	return *malformed ? NULL : s;
}

/* Whether a list of NUL-terminated strings (a compatible) holds s. */
static bool list_holds(const char *list, uint32_t len, const char *s)
{
	size_t n = strlen(s) + 1;

	while (list && len > 0) {
		const char *end = memchr(list, '\0', len);
		size_t one;

		if (!end)
			return false;
		one = (size_t)(end - list) + 1;
		if (one == n && memcmp(list, s, n) == 0)
			return true;
		list += one;
		len -= (uint32_t)one;
	}
	return false;
}

/* A big-endian u64 or u32 property; false if absent or the wrong size. */
static bool get_u64(const struct props *np, const char *name, uint64_t *v)
{
	uint32_t len;
	const void *p = prop(np, name, &len);

	if (!p || len != sizeof(*v))
		return false;
	*v = (uint64_t)hv_fdt_cell(p, 0) << 32 | hv_fdt_cell(p, 1);
	return true;
}

static bool get_u32(const struct props *np, const char *name, uint32_t *v)
{
	uint32_t len;
	const void *p = prop(np, name, &len);

	if (!p || len != sizeof(*v))
		return false;
	*v = hv_fdt_cell(p, 0);
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
	const char *bundle_arch, *compatible, *bad;
	struct hv_fdt_walk w;
	struct props root;
	uint32_t offset, len;
	bool malformed;
	int count = 0;

	if (size < FDT_HEADER_BYTES ||
	    hv_fdt_cell(bundle, HEADER_MAGIC) != FDT_MAGIC)
		return fail(err, "bundle: not a flattened device tree");
	if (hv_fdt_cell(bundle, HEADER_TOTALSIZE) > size)
		return fail(err, "bundle: %u bytes, but only %zu were loaded",
			    hv_fdt_cell(bundle, HEADER_TOTALSIZE), size);
	bad = check_structure(bundle, size, &offset);
	if (bad && offset == HV_FDT_WALK_HEADER)
		return fail(err, "bundle: %s", bad);
	if (bad)
		return fail(err, "bundle: structure block offset %#x: %s",
			    offset, bad);
	walk_root(&w, bundle);
	props_gather(&w, &root);
	compatible = prop(&root, "compatible", &len);
	if (!list_holds(compatible, len, HV_BOOT_COMPATIBLE))
		return fail(err, "bundle: not compatible with \"%s\"",
			    HV_BOOT_COMPATIBLE);
	bundle_arch = get_string(&root, "arch", &malformed);
	if (!bundle_arch || strcmp(bundle_arch, arch) != 0)
		return fail(err, "bundle: made for %s, this image is %s",
			    bundle_arch ? bundle_arch : "no architecture",
			    arch);
	for (; to_domain(&w); skip_past_end(&w, 1))
		count++;
	if (count == 0)
		return fail(err, "bundle: no domains");
	return count;
}

/* A walk at domain `index`'s start; false if there is no such domain. */
static bool find_domain(const void *bundle, unsigned int index,
			struct hv_fdt_walk *w)
{
	struct props root;
	unsigned int i = 0;

	walk_root(w, bundle);
	props_gather(w, &root);
	for (; to_domain(w); skip_past_end(w, 1))
		if (i++ == index)
			return true;
	return false;
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

static int read_piece(const struct props *np, const struct where *w,
		      const char *what, const struct hv_boot_domain *d,
		      struct hv_boot_segment *s, bool has_mem_size)
{
	uint32_t len;

	s->data = prop(np, "data", &len);
	if (!s->data)
		return fail(w->err, "%s (%s): %s: data: missing", w->node,
			    w->name, what);
	s->len = len;
	if (!get_u64(np, "gpa", &s->gpa))
		return fail(w->err, "%s (%s): %s: gpa: missing or malformed",
			    w->node, w->name, what);
	s->mem_size = s->len;
	if (has_mem_size && !get_u64(np, "mem-size", &s->mem_size))
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

/* The domain's children, from the first (where props_gather left fw),
 * each read in the same pass. */
static int read_pieces(struct hv_fdt_walk *fw, const struct where *w,
		       struct hv_boot_domain *d)
{
	for (; at_child(fw, 1); skip_past_end(fw, 2)) {
		const char *name = fw->name;
		struct hv_boot_segment *s;
		struct props np;
		int err;

		if (has_prefix(name, SEGMENT_PREFIX)) {
			if (d->nr_segments == HV_BOOT_MAX_SEGMENTS)
				return fail(w->err,
					    "%s (%s): more than %d "
					    "kernel segments",
					    w->node, w->name,
					    HV_BOOT_MAX_SEGMENTS);
			s = &d->segments[d->nr_segments++];
		} else if (strcmp(name, "ramdisk") == 0) {
			d->has_ramdisk = true;
			s = &d->ramdisk;
		} else {
			continue;
		}
		props_gather(fw, &np);
		err = read_piece(&np, w, name, d, s, s != &d->ramdisk);
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
	if (prop(np, "weight", NULL) && !get_u32(np, "weight", &d->weight))
		return missing(w, "weight");
	if (prop(np, "cap", NULL) && !get_u32(np, "cap", &d->cap))
		return missing(w, "cap");
	d->initdomain = prop(np, "initdomain", NULL) != NULL;
	return 0;
}

int hv_boot_bundle_domain(const void *bundle, unsigned int index,
			  struct hv_boot_domain *d, struct hv_boot_error *err)
{
	struct where w = {.name = "?", .err = err};
	struct hv_fdt_walk fw;
	struct props np;
	const char *name;
	bool bad;
	int e;

	if (!find_domain(bundle, index, &fw)) {
		fail(err, "bundle: no domain %u", index);
		return -HV_ENOENT;
	}
	memset(d, 0, sizeof(*d));
	w.node = fw.name;
	props_gather(&fw, &np);
	name = get_string(&np, "name", &bad);
	if (!name || !valid_name(name))
		return missing(&w, "name (1-63 of A-Z a-z 0-9 _ . -)");
	hv_strlcpy(d->name, name, sizeof(d->name));
	w.name = d->name;

	e = read_strings(&np, &w, d);
	if (!e)
		e = read_numbers(&np, &w, d);
	if (!e)
		e = read_pieces(&fw, &w, d);
	if (!e)
		e = check_overlaps(&w, d);
	return e;
}

unsigned int hv_boot_api_version(void)
{
	return HV_BOOT_API_VERSION;
}
