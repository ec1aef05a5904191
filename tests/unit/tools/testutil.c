/*
 * testutil.c - temporary files and hand-made ELF files for the tool tests.
 */
#include "testutil.h"

#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = malloc(4096);

	assert_non_null(path);
	snprintf(path, 4096, "%s/hvkit-test-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(path));
	return path;
}

char *tu_dir;

int tu_setup_dir(void **state)
{
	(void)state;
	tu_dir = tu_mkdtemp();
	return 0;
}

int tu_teardown_dir(void **state)
{
	(void)state;
	tu_rmtree(tu_dir);
	free(tu_dir);
	return 0;
}

static void remove_entries(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (depth < 4 && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			remove_entries(path, depth + 1);
			rmdir(path);
		} else {
			unlink(path);
		}
	}
	closedir(d);
}

void tu_rmtree(const char *dir)
{
	remove_entries(dir, 0);
	rmdir(dir);
}

char *tu_mkdir(const char *dir, const char *name)
{
	char *path = malloc(4096);

	assert_non_null(path);
	snprintf(path, 4096, "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	return path;
}

char *tu_write(const char *dir, const char *name, const void *data, size_t size)
{
	char *path = malloc(4096);
	FILE *f;

	assert_non_null(path);
	snprintf(path, 4096, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (size)
		assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
	return path;
}

char *tu_write_str(const char *dir, const char *name, const char *text)
{
	return tu_write(dir, name, text, strlen(text));
}

size_t tu_note(uint8_t *buf, const char *name, uint32_t type, const void *desc,
	       uint32_t desc_len, uint32_t pad)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	uint32_t hdr[3] = {namesz, desc_len, type};
	size_t desc_off = (sizeof(hdr) + namesz + pad - 1) & ~(size_t)(pad - 1);
	size_t end = (desc_off + desc_len + pad - 1) & ~(size_t)(pad - 1);

	memset(buf, 0, end);
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), name, namesz);
	memcpy(buf + desc_off, desc, desc_len);
	return end;
}

/* Header and program-header writers per class. */
static size_t put_ehdr(uint8_t *buf, const struct tu_elf *e, size_t phoff)
{
	unsigned char ident[EI_NIDENT] = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3};

	ident[EI_CLASS] = (unsigned char)e->cls;
	ident[EI_DATA] = (unsigned char)(e->data ? e->data : ELFDATA2LSB);
	ident[EI_VERSION] = EV_CURRENT;
	if (e->cls == ELFCLASS64) {
		Elf64_Ehdr h = {
		    .e_type = e->type ? e->type : ET_EXEC,
		    .e_machine = e->machine,
		    .e_version = EV_CURRENT,
		    .e_entry = e->entry,
		    .e_phoff = phoff,
		    .e_ehsize = sizeof(Elf64_Ehdr),
		    .e_phentsize = sizeof(Elf64_Phdr),
		    .e_phnum = (uint16_t)e->nr,
		};

		memcpy(h.e_ident, ident, EI_NIDENT);
		memcpy(buf, &h, sizeof(h));
		return sizeof(h);
	} else {
		Elf32_Ehdr h = {
		    .e_type = e->type ? e->type : ET_EXEC,
		    .e_machine = e->machine,
		    .e_version = EV_CURRENT,
		    .e_entry = (uint32_t)e->entry,
		    .e_phoff = (uint32_t)phoff,
		    .e_ehsize = sizeof(Elf32_Ehdr),
		    .e_phentsize = sizeof(Elf32_Phdr),
		    .e_phnum = (uint16_t)e->nr,
		};

		memcpy(h.e_ident, ident, EI_NIDENT);
		memcpy(buf, &h, sizeof(h));
		return sizeof(h);
	}
}

static size_t put_phdr(uint8_t *buf, int cls, const struct tu_phdr *p,
		       uint64_t offset)
{
	if (cls == ELFCLASS64) {
		Elf64_Phdr h = {
		    .p_type = p->type,
		    .p_offset = offset,
		    .p_vaddr = p->vaddr,
		    .p_paddr = p->paddr,
		    .p_filesz = p->filesz,
		    .p_memsz = p->memsz,
		    .p_align = p->align,
		};

		memcpy(buf, &h, sizeof(h));
		return sizeof(h);
	} else {
		Elf32_Phdr h = {
		    .p_type = p->type,
		    .p_offset = (uint32_t)offset,
		    .p_vaddr = (uint32_t)p->vaddr,
		    .p_paddr = (uint32_t)p->paddr,
		    .p_filesz = (uint32_t)p->filesz,
		    .p_memsz = (uint32_t)p->memsz,
		    .p_align = (uint32_t)p->align,
		};

		memcpy(buf, &h, sizeof(h));
		return sizeof(h);
	}
}

size_t tu_elf(uint8_t *buf, size_t cap, const struct tu_elf *e)
{
	size_t phsize =
	    e->cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t ehsize =
	    e->cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t data_off = (ehsize + e->nr * phsize + 7) & ~(size_t)7;
	size_t end = data_off, i;

	memset(buf, 0, cap);
	put_ehdr(buf, e, e->nr ? ehsize : 0); /* as linkers do */
	for (i = 0; i < e->nr; i++) {
		const struct tu_phdr *p = &e->phdrs[i];
		uint64_t off = p->offset ? p->offset : end;

		put_phdr(buf + ehsize + i * phsize, e->cls, p, off);
		if (p->offset)
			continue; /* a deliberately odd offset: no data */
		assert_true(off + p->filesz <= cap);
		if (p->data)
			memcpy(buf + off, p->data, p->filesz);
		else
			memset(buf + off, (int)(i + 1), p->filesz);
		end = (off + p->filesz + 7) & ~(size_t)7;
	}
	return end;
}
