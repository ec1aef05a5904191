/*
 * testutil.h - helpers for the hvkit tool tests: temporary files and
 * hand-made ELF files.
 */
#ifndef HVKIT_TESTUTIL_H
#define HVKIT_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

/* A fresh directory under $TMPDIR (or /tmp); malloc'd path. */
char *tu_mkdtemp(void);
/* Removes @dir and everything in it (a few levels deep). */
void tu_rmtree(const char *dir);

/* cmocka setup and teardown: each test gets a fresh directory, tu_dir,
 * removed after it. */
extern char *tu_dir;
int tu_setup_dir(void **state);
int tu_teardown_dir(void **state);

/* Creates the file @dir/@name with @size bytes; malloc'd path. */
char *tu_write(const char *dir, const char *name, const void *data,
	       size_t size);
char *tu_write_str(const char *dir, const char *name, const char *text);
char *tu_mkdir(const char *dir, const char *name);

/* One program header of a test ELF file. */
struct tu_phdr {
	uint32_t type;
	uint64_t vaddr, paddr;
	uint64_t filesz, memsz;
	uint64_t align;
	const void *data; /* filesz bytes; NULL: a pattern of (index + 1) */
	uint64_t offset;  /* 0: placed after the headers automatically */
};

/* A struct tu_phdr initializer: data NULL (pattern), offset automatic. */
#define TU_PH(t, va, pa, fsz, msz, al)                                         \
	{                                                                      \
		.type = (t), .vaddr = (va), .paddr = (pa), .filesz = (fsz),    \
		.memsz = (msz), .align = (al), .data = NULL, .offset = 0       \
	}

struct tu_elf {
	int cls;       /* ELFCLASS32 or ELFCLASS64 */
	int data;      /* ELFDATA2LSB (0 means LSB) or ELFDATA2MSB */
	uint16_t type; /* 0 means ET_EXEC */
	uint16_t machine;
	uint64_t entry;
	const struct tu_phdr *phdrs;
	size_t nr;
};

/*
 * Writes the ELF file @e into @buf (of @cap bytes); returns its size.
 * Segment data go after the headers, each at an offset aligned to 8.
 */
size_t tu_elf(uint8_t *buf, size_t cap, const struct tu_elf *e);

/*
 * Writes one ELF note into @buf, its desc and its end aligned to @pad (4,
 * or 8 for notes in a segment with p_align 8); returns its size.
 */
size_t tu_note(uint8_t *buf, const char *name, uint32_t type, const void *desc,
	       uint32_t desc_len, uint32_t pad);

#endif /* HVKIT_TESTUTIL_H */
