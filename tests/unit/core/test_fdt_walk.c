/*
 * The checked device-tree walk: every node and property in order with
 * its depth, node offsets as libfdt gives them, NOPs passed over; and
 * the structures libfdt would trust refused with what and where.  (The
 * bundle tests, tests/unit/boot, refuse every other malformed structure
 * through it.)
 */
#include <hv/fdt_walk.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

static char blob[4096];

/* / { #address-cells = <2>; a@1 { reg = <1 2 3>; b { }; }; c { }; }; */
static void build(void)
{
	const fdt32_t reg[] = {cpu_to_fdt32(1), cpu_to_fdt32(2),
			       cpu_to_fdt32(3)};

	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_property_u32(blob, "#address-cells", 2), 0);
	assert_int_equal(fdt_begin_node(blob, "a@1"), 0);
	assert_int_equal(fdt_property(blob, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_begin_node(blob, "b"), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_begin_node(blob, "c"), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
}

static void expect(struct hv_fdt_walk *w, enum hv_fdt_item item,
		   unsigned int depth, const char *name)
{
	const char *why = "unset";

	assert_int_equal(hv_fdt_walk_next(w, &why), 1);
	assert_null(why);
	assert_int_equal(w->item, item);
	assert_int_equal(w->depth, depth);
	if (name)
		assert_string_equal(w->name, name);
	else
		assert_null(w->name);
	if (item == HV_FDT_BEGIN_NODE && depth > 0)
		assert_int_equal(w->offset,
				 fdt_path_offset(blob, strcmp(name, "b") == 0
							   ? "/a@1/b"
							   : name[0] == 'a'
								 ? "/a@1"
								 : "/c"));
}

static void walks_in_order(void **state)
{
	struct hv_fdt_walk w;
	const char *why;

	(void)state;
	build();
	/* A property overwritten in place becomes NOPs: passed over. */
	assert_int_equal(fdt_nop_property(blob, 0, "#address-cells"), 0);
	assert_null(hv_fdt_walk_start(&w, blob, fdt_totalsize(blob)));
	expect(&w, HV_FDT_BEGIN_NODE, 0, "");
	expect(&w, HV_FDT_BEGIN_NODE, 1, "a@1");
	expect(&w, HV_FDT_PROP, 2, "reg");
	assert_int_equal(w.len, 12);
	assert_int_equal(hv_fdt_cell(w.value, 2), 3);
	expect(&w, HV_FDT_BEGIN_NODE, 2, "b");
	expect(&w, HV_FDT_END_NODE, 2, NULL);
	expect(&w, HV_FDT_END_NODE, 1, NULL);
	expect(&w, HV_FDT_BEGIN_NODE, 1, "c");
	expect(&w, HV_FDT_END_NODE, 1, NULL);
	expect(&w, HV_FDT_END_NODE, 0, NULL);
	assert_int_equal(hv_fdt_walk_next(&w, &why), 0);
	assert_null(why);
	/* The end stays the end. */
	assert_int_equal(hv_fdt_walk_next(&w, &why), 0);
}

/* The walk over blob, to its end or its first error (returned). */
static const char *walk_all(size_t size, uint32_t *offset)
{
	struct hv_fdt_walk w;
	const char *why = hv_fdt_walk_start(&w, blob, size);

	while (!why && hv_fdt_walk_next(&w, &why) > 0)
		;
	*offset = w.offset;
	return why;
}

static void put_be32(void *p, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy(p, &be, sizeof(be));
}

static void refuses_what_libfdt_would_trust(void **state)
{
	char *st;
	uint32_t offset, size;

	(void)state;
	build();
	st = blob + fdt_off_dt_struct(blob);
	size = fdt_size_dt_struct(blob);
	assert_null(walk_all(fdt_totalsize(blob), &offset));
	/* FDT_END made a property: one outside every node. */
	put_be32(st + size - 4, FDT_PROP);
	assert_string_equal(walk_all(fdt_totalsize(blob), &offset),
			    "a property outside every node");
	assert_int_equal(offset, size - 4);
	build();
	put_be32(st + size - 4, FDT_BEGIN_NODE); /* FDT_END made a node */
	assert_string_equal(walk_all(fdt_totalsize(blob), &offset),
			    "a second root node");
	/* The root's start made an end: outside every node. */
	build();
	put_be32(st, FDT_END_NODE);
	assert_string_equal(walk_all(fdt_totalsize(blob), &offset),
			    "FDT_END_NODE outside every node");
	assert_int_equal(offset, 0);
	/* A tag that is none, and a block that ends before FDT_END. */
	build();
	put_be32(st, 7);
	assert_string_equal(walk_all(fdt_totalsize(blob), &offset),
			    "an unknown tag");
	build();
	fdt_set_size_dt_struct(blob, size - 4);
	assert_string_equal(walk_all(fdt_totalsize(blob), &offset),
			    "the structure block ends without FDT_END");
	assert_int_equal(offset, size - 4);
	/* The header: what can be read, and the magic. */
	build();
	assert_string_equal(walk_all(fdt_totalsize(blob) - 1, &offset),
			    "the device tree's size passes what can be read");
	assert_int_equal(offset, HV_FDT_WALK_HEADER);
	assert_string_equal(walk_all(39, &offset), "no device tree header");
	fdt_set_magic(blob, 0);
	assert_string_equal(walk_all(sizeof(blob), &offset),
			    "no device tree header");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(walks_in_order),
	    cmocka_unit_test(refuses_what_libfdt_would_trust),
	};
	return cmocka_run_group_tests_name("core-fdt-walk", tests, NULL, NULL);
}
