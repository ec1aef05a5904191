/*
 * A flat test memory for the emulator's tests: linear addresses
 * [0, EMU_MEM_SIZE) are `bytes`; anything else, and the page at
 * `fault_page` if set, is a page fault.  Counts accesses.
 */
#ifndef TEST_EMU_MEM_H
#define TEST_EMU_MEM_H

#include <stdint.h>
#include <string.h>

#include <hv/x86_emulate.h>

#define EMU_MEM_SIZE 0x20000u

struct emu_mem {
	uint8_t bytes[EMU_MEM_SIZE];
	uint64_t fault_page; /* 0: none */
	unsigned int reads, writes, fetches;
	uint64_t last_linear;
};

static inline enum hv_x86_emu_status
emu_mem_check(struct emu_mem *m, uint64_t linear, unsigned int size,
	      unsigned int write, struct hv_x86_emu_exception *exc)
{
	m->last_linear = linear;
	for (uint64_t a = linear; a < linear + size; a++) {
		if (a >= EMU_MEM_SIZE || a < linear ||
		    (m->fault_page && (a & ~0xfffull) == m->fault_page)) {
			exc->vector = HV_X86_EXC_PF;
			exc->has_error_code = true;
			exc->error_code = write ? 2 : 0;
			exc->cr2 = a;
			return HV_X86_EMU_EXCEPTION;
		}
	}
	return HV_X86_EMU_DONE;
}

static inline enum hv_x86_emu_status
emu_mem_read(void *ctx, uint64_t linear, void *buf, unsigned int size,
	     bool fetch, struct hv_x86_emu_exception *exc)
{
	struct emu_mem *m = ctx;
	enum hv_x86_emu_status st = emu_mem_check(m, linear, size, 0, exc);

	if (st != HV_X86_EMU_DONE)
		return st;
	if (fetch)
		m->fetches++;
	else
		m->reads++;
	memcpy(buf, m->bytes + linear, size);
	return HV_X86_EMU_DONE;
}

static inline enum hv_x86_emu_status
emu_mem_write(void *ctx, uint64_t linear, const void *buf, unsigned int size,
	      struct hv_x86_emu_exception *exc)
{
	struct emu_mem *m = ctx;
	enum hv_x86_emu_status st = emu_mem_check(m, linear, size, 1, exc);

	if (st != HV_X86_EMU_DONE)
		return st;
	m->writes++;
	memcpy(m->bytes + linear, buf, size);
	return HV_X86_EMU_DONE;
}

static const struct hv_x86_emu_ops emu_mem_ops = {emu_mem_read, emu_mem_write};

#endif
