/*
 * util.h - error messages and file helpers shared by every part of hvkit.
 */
#ifndef HVKIT_UTIL_H
#define HVKIT_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every fallible function takes a struct hvkit_err and, on failure, leaves a
 * complete one-line message in it (no "hvkit: " prefix, no newline) and
 * returns -1.  Only main.c prints.
 */
struct hvkit_err {
	char msg[1024];
};

/* Formats @fmt into @err (truncating if needed) and returns -1. */
int hvkit_errf(struct hvkit_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Prepends a formatted prefix to the message already in @err, e.g. the
 * "file:line: key: " of the config entry a kernel error belongs to.
 * Returns -1 so that callers can `return hvkit_err_prefix(...)`.
 */
int hvkit_err_prefix(struct hvkit_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A whole file in memory: what the loaders and the bundle writer work on. */
struct hvkit_file {
	uint8_t *data; /* malloc'd; NULL for an empty file */
	size_t size;   /* bytes */
};

/*
 * Reads all of @path.  On failure the message is "cannot read PATH: why".
 */
int hvkit_file_read(struct hvkit_file *f, const char *path,
		    struct hvkit_err *err);
void hvkit_file_free(struct hvkit_file *f);

/*
 * Writes @size bytes to @path, replacing it; "cannot write PATH: why" on
 * failure, and then @path does not hold a partial bundle.
 */
int hvkit_file_write(const char *path, const void *data, size_t size,
		     struct hvkit_err *err);

/*
 * @path if it is absolute, else @path resolved against the directory of
 * @base (a config file's path).  Always a fresh malloc'd string.
 */
char *hvkit_path_relative_to(const char *base, const char *path);

/*
 * Allocation that ends the program with a message when memory runs out:
 * a host tool has nothing better to do, and callers stay simple.
 */
void *hvkit_xmalloc(size_t size);
void *hvkit_xcalloc(size_t nmemb, size_t size);
void *hvkit_xrealloc(void *p, size_t size);
char *hvkit_xstrdup(const char *s);

/* Little-endian loads from unaligned bytes (arm64 Image headers, notes). */
uint32_t hvkit_le32(const uint8_t *p);
uint64_t hvkit_le64(const uint8_t *p);

#define HVKIT_MIB (UINT64_C(1) << 20)

#endif /* HVKIT_UTIL_H */
