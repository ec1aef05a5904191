/*
 * Checking a flattened device tree's structure block before libfdt walks
 * it: the private interface of fdt_struct.c.
 */
#ifndef HV_BOOT_FDT_STRUCT_H
#define HV_BOOT_FDT_STRUCT_H

#include <hv/types.h>

/*
 * Check the blob whose header fdt_check_header() accepted and whose
 * fdt_totalsize() bytes are readable, so that every libfdt read-only walk
 * over it ends: the tree is version 17 or later (the structure block's
 * size is known); the structure block is 4-byte aligned and lies, with
 * the strings block, inside totalsize; every tag is known and whole inside
 * the structure block; every node name ends inside it; every property's
 * value ends inside it and its name offset names a string that ends
 * inside the strings block; nodes nest, and FDT_END follows the one root
 * node.  libfdt 1.6.1 trusts all of this: a property length near 2^32
 * makes fdt_next_tag() wrap and loop forever, even in fdt_check_full().
 *
 * Returns NULL if so, else what is wrong, with *offset the offset of the
 * bad tag in the structure block (BOOT_FDT_HEADER for a header problem).
 */
#define BOOT_FDT_HEADER UINT32_MAX
const char *boot_fdt_check(const void *fdt, uint32_t *offset);

#endif /* HV_BOOT_FDT_STRUCT_H */
