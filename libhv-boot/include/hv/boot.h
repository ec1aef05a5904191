/*
 * hv/boot.h - libhv-boot: reading the domain bundle an image boots with.
 *
 * `hvkit bundle` turns domain configuration files into one flattened
 * device tree, the bundle (docs/bundle.md); QEMU hands it to the image as
 * its initrd.  This library checks a bundle and reads each domain out of
 * it, validated: every address lies in the domain's RAM, nothing overlaps,
 * every required property is there.  An error comes with a message naming
 * the domain and property, for the image to print.
 *
 * The results point into the bundle (names, command lines, kernel bytes):
 * keep the bundle where it is while they are in use.  Uses libfdt's
 * read-only functions only.
 */
#ifndef HV_BOOT_H
#define HV_BOOT_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_BOOT_API_VERSION 0

#include <hv/error.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* The bundle's root compatible; a domain name's longest (bytes, as xl's
 * limit); kernel segments a domain may have; an error message's room. */
#define HV_BOOT_COMPATIBLE   "hvkit,bundle-v1"
#define HV_BOOT_NAME_MAX     63
#define HV_BOOT_MAX_SEGMENTS 16
#define HV_BOOT_ERR_MAX	     160

/* Bytes to copy to guest-physical `gpa`, then zeroes up to `mem_size`. */
struct hv_boot_segment {
	hv_gpaddr_t gpa;
	const void *data;
	uint64_t len;
	uint64_t mem_size;
};

/* One domain of a bundle, read and checked; its data point into the
 * bundle. */
struct hv_boot_domain {
	char name[HV_BOOT_NAME_MAX + 1];
	const char *type;	   /* "pvh" */
	const char *cmdline;	   /* "" when none */
	const char *kernel_format; /* "elf", "arm64-image", "raw" */
	const char *cpus;	   /* NULL when not given */
	uint64_t memory;	   /* bytes, a multiple of 4 KiB */
	hv_gpaddr_t ram_base;	   /* 4 KiB aligned */
	uint32_t vcpus;		   /* >= 1 */
	uint32_t weight;	   /* 0 when not given */
	uint32_t cap;		   /* 0 when not given */
	hv_gpaddr_t entry;	   /* inside [ram_base, ram_base + memory) */
	bool initdomain;	   /* Xen's initial domain (CONSOLEIO...) */
	unsigned int nr_segments;  /* >= 1 */
	struct hv_boot_segment segments[HV_BOOT_MAX_SEGMENTS];
	bool has_ramdisk;		/* whether `ramdisk` is there */
	struct hv_boot_segment ramdisk; /* mem_size == len */
};

/* Where a failure is explained: filled with a one-line message. */
struct hv_boot_error {
	char msg[HV_BOOT_ERR_MAX];
};

/*
 * Check that `bundle` (at most `size` bytes) is a bundle for `arch`
 * ("aarch64" or "x86_64") and count its domains.  The device tree's
 * structure is checked before libfdt walks it (docs/bundle.md), so any
 * `size` bytes are safe to pass.  Returns the number of domains (>= 1), or
 * -HV_EINVAL with err->msg saying what is wrong.
 */
int hv_boot_bundle_open(const void *bundle, size_t size, const char *arch,
			struct hv_boot_error *err);

/*
 * Read domain `index` (0-based, in configuration order) of an opened
 * bundle into *d.  0, or -HV_EINVAL / -HV_ENOENT (no such domain) with
 * err->msg naming the domain and property.
 */
int hv_boot_bundle_domain(const void *bundle, unsigned int index,
			  struct hv_boot_domain *d, struct hv_boot_error *err);

/* The HV_BOOT_API_VERSION the library was built with. */
unsigned int hv_boot_api_version(void);

HV_END_DECLS

#endif /* HV_BOOT_H */
