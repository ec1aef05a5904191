/*
 * kernel_elf.c - ELF kernels, read with libelf.
 *
 * Which ELF files each architecture takes (ELFCLASS64/EM_AARCH64 on
 * aarch64; on x86_64 ELFCLASS64 or ELFCLASS32 with EM_X86_64 or EM_386:
 * the PVH entry is 32-bit whatever the file, and Xen loads ELF32 files
 * marked x86_64, as some of its test kernels are built),
 * where the segments go (p_paddr) and where the guest
 * starts (kernel.h).  Xen finds a PVH entry in a "Xen" note of type
 * XEN_ELFNOTE_PHYS32_ENTRY; QEMU looks for it only in PT_NOTE segments,
 * and so does this loader.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>

#include "kernel.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error                                                                         \
    "kernel_elf.c hands file bytes to libelf unconverted: little-endian hosts only"
#endif

#define FOUR_GIB (UINT64_C(1) << 32)

/* What one ELF file is being turned into. */
struct elf_load {
	Elf *elf;
	enum hvkit_arch arch;
	const uint8_t *data;
	size_t size;
	struct hvkit_kernel *k;
	uint64_t *vaddrs; /* p_vaddr of each segment, for the entry */
	bool have_phys32;
	uint64_t phys32_entry;
	struct hvkit_err *err;
};

static const char *machine_name(unsigned machine)
{
	switch (machine) {
	case EM_386:
		return "i386";
	case EM_X86_64:
		return "x86_64";
	case EM_ARM:
		return "32-bit Arm";
	case EM_AARCH64:
		return "aarch64";
	}
	return "another machine";
}

static bool machine_ok(enum hvkit_arch arch, int cls, unsigned machine)
{
	if (arch == HVKIT_ARCH_AARCH64)
		return cls == ELFCLASS64 && machine == EM_AARCH64;
	return (cls == ELFCLASS64 && machine == EM_X86_64) ||
	       (cls == ELFCLASS32 &&
		(machine == EM_386 || machine == EM_X86_64));
}

static int check_header(struct elf_load *l)
{
	int cls = gelf_getclass(l->elf);
	GElf_Ehdr eh;

	if (elf_kind(l->elf) != ELF_K_ELF || !gelf_getehdr(l->elf, &eh))
		return hvkit_errf(l->err, "is a truncated or damaged ELF file");
	if (eh.e_type != ET_EXEC)
		return hvkit_errf(l->err,
				  "is not an ELF executable (e_type %u, "
				  "expected ET_EXEC)",
				  (unsigned)eh.e_type);
	if (!machine_ok(l->arch, cls, eh.e_machine))
		return hvkit_errf(
		    l->err,
		    "is an ELF%d file for %s (e_machine %u), "
		    "which cannot boot on %s",
		    cls == ELFCLASS64 ? 64 : 32, machine_name(eh.e_machine),
		    (unsigned)eh.e_machine, hvkit_arch_name(l->arch));
	return 0;
}

/* Is [offset, offset + len) inside the file? */
static bool in_file(const struct elf_load *l, uint64_t offset, uint64_t len)
{
	return offset <= l->size && len <= l->size - offset;
}

static int add_load(struct elf_load *l, size_t idx, const GElf_Phdr *ph)
{
	struct hvkit_kernel *k = l->k;

	if (ph->p_filesz > ph->p_memsz)
		return hvkit_errf(l->err,
				  "program header %zu has p_filesz "
				  "0x%llx > p_memsz 0x%llx",
				  idx, (unsigned long long)ph->p_filesz,
				  (unsigned long long)ph->p_memsz);
	if (!in_file(l, ph->p_offset, ph->p_filesz))
		return hvkit_errf(l->err,
				  "program header %zu reaches past the "
				  "end of the file",
				  idx);
	if (ph->p_paddr > UINT64_MAX - ph->p_memsz)
		return hvkit_errf(l->err,
				  "program header %zu wraps around the "
				  "address space",
				  idx);
	if (ph->p_memsz == 0)
		return 0; /* nothing to place */
	k->segments[k->nr_segments] = (struct hvkit_segment){
	    .gpa = ph->p_paddr,
	    .data = l->data + ph->p_offset,
	    .file_size = ph->p_filesz,
	    .mem_size = ph->p_memsz,
	};
	l->vaddrs[k->nr_segments++] = ph->p_vaddr;
	return 0;
}

/* The value of a PHYS32_ENTRY note: 4 bytes, or 8 as Linux writes it. */
static int note_phys32(struct elf_load *l, const uint8_t *desc, size_t len)
{
	uint64_t v;

	if (len != 4 && len != 8)
		return hvkit_errf(l->err,
				  "has a XEN_ELFNOTE_PHYS32_ENTRY note "
				  "of %zu bytes (expected 4 or 8)",
				  len);
	v = len == 4 ? hvkit_le32(desc) : hvkit_le64(desc);
	if (v >= FOUR_GIB)
		return hvkit_errf(l->err,
				  "has a XEN_ELFNOTE_PHYS32_ENTRY of "
				  "0x%llx, above 4 GiB",
				  (unsigned long long)v);
	if (!l->have_phys32) {
		l->have_phys32 = true;
		l->phys32_entry = v;
	}
	return 0;
}

static int scan_notes(struct elf_load *l, size_t idx, const GElf_Phdr *ph)
{
	Elf_Type type = ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
	Elf_Data *d;
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;

	if (!in_file(l, ph->p_offset, ph->p_filesz))
		return hvkit_errf(l->err,
				  "program header %zu reaches past the "
				  "end of the file",
				  idx);
	d = elf_getdata_rawchunk(l->elf, (int64_t)ph->p_offset, ph->p_filesz,
				 type);
	if (!d)
		return hvkit_errf(l->err, "has unreadable notes: %s",
				  elf_errmsg(-1));
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		const uint8_t *buf = d->d_buf;

		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY &&
		    nh.n_namesz == sizeof("Xen") &&
		    !memcmp(buf + name_off, "Xen", sizeof("Xen")) &&
		    note_phys32(l, buf + desc_off, nh.n_descsz) < 0)
			return -1;
		off = next;
	}
	return 0;
}

static int scan_phdrs(struct elf_load *l)
{
	GElf_Ehdr eh;
	size_t n, i;

	/* libelf counts only the headers the file holds: compare. */
	gelf_getehdr(l->elf, &eh);
	if (elf_getphdrnum(l->elf, &n) < 0 ||
	    (eh.e_phnum != PN_XNUM && n < eh.e_phnum))
		return hvkit_errf(l->err, "is truncated: its program headers "
					  "reach past the end of the file");
	l->k->segments = hvkit_xcalloc(n, sizeof(*l->k->segments));
	l->vaddrs = hvkit_xcalloc(n, sizeof(*l->vaddrs));
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		int ret = 0;

		if (!gelf_getphdr(l->elf, (int)i, &ph))
			return hvkit_errf(l->err,
					  "has a bad program header "
					  "%zu: %s",
					  i, elf_errmsg(-1));
		if (ph.p_type == PT_LOAD)
			ret = add_load(l, i, &ph);
		else if (ph.p_type == PT_NOTE && l->arch == HVKIT_ARCH_X86_64)
			ret = scan_notes(l, i, &ph);
		if (ret < 0)
			return -1;
	}
	if (!l->k->nr_segments)
		return hvkit_errf(l->err, "has no loadable (PT_LOAD) segments");
	return 0;
}

/* e_entry is virtual: the guest starts, MMU off, where that byte lands. */
static int entry_from_header(struct elf_load *l)
{
	struct hvkit_kernel *k = l->k;
	GElf_Ehdr eh;
	size_t i;

	gelf_getehdr(l->elf, &eh);
	for (i = 0; i < k->nr_segments; i++) {
		uint64_t off = eh.e_entry - l->vaddrs[i];

		if (eh.e_entry >= l->vaddrs[i] &&
		    off < k->segments[i].mem_size) {
			k->entry = k->segments[i].gpa + off;
			return 0;
		}
	}
	return hvkit_errf(l->err,
			  "has its entry point 0x%llx outside every "
			  "loadable segment",
			  (unsigned long long)eh.e_entry);
}

static int entry_from_note(struct elf_load *l)
{
	struct hvkit_kernel *k = l->k;
	size_t i;

	if (!l->have_phys32)
		return hvkit_errf(
		    l->err, "has no XEN_ELFNOTE_PHYS32_ENTRY note "
			    "in a PT_NOTE segment: it is not a PVH kernel");
	for (i = 0; i < k->nr_segments; i++) {
		const struct hvkit_segment *s = &k->segments[i];

		if (l->phys32_entry >= s->gpa &&
		    l->phys32_entry - s->gpa < s->mem_size) {
			k->entry = l->phys32_entry;
			return 0;
		}
	}
	return hvkit_errf(l->err,
			  "has its XEN_ELFNOTE_PHYS32_ENTRY 0x%llx "
			  "outside every loadable segment",
			  (unsigned long long)l->phys32_entry);
}

int hvkit_kernel_load_elf(struct hvkit_kernel *k, enum hvkit_arch arch,
			  const uint8_t *data, size_t size,
			  struct hvkit_err *err)
{
	struct elf_load l = {
	    .arch = arch,
	    .data = data,
	    .size = size,
	    .k = k,
	    .err = err,
	};
	int ret = -1;

	memset(k, 0, sizeof(*k));
	k->format = HVKIT_KERNEL_ELF;
	if (size <= EI_DATA || data[EI_DATA] != ELFDATA2LSB)
		return hvkit_errf(err, "is not a little-endian ELF file");
	elf_version(EV_CURRENT);
	/*
	 * libelf wants a mutable image, but converts (writes) nothing when
	 * the file's byte order is the host's, which was just checked.
	 */
	l.elf = elf_memory((char *)(uintptr_t)data, size);
	if (!l.elf)
		return hvkit_errf(err, "is a truncated or damaged ELF file");
	if (check_header(&l) == 0 && scan_phdrs(&l) == 0)
		ret = arch == HVKIT_ARCH_X86_64 ? entry_from_note(&l)
						: entry_from_header(&l);
	elf_end(l.elf);
	free(l.vaddrs);
	if (ret < 0)
		hvkit_kernel_free(k);
	return ret;
}
