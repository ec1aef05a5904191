/*
 * Fuzzing the x86 instruction emulator (hv_x86_emulate): random
 * instruction bytes in any mode with random registers, over a memory
 * where every linear address reads a pattern, but for one page that
 * faults.  The callbacks abort on an access the emulator's contract rules
 * out (a data size other than 1, 2, 4, 8; a fetch crossing a page or past
 * 15 bytes; too many accesses), and after the call the result must keep
 * the contract: RIP moved by the instruction's length on completion and
 * not at all otherwise, only arithmetic flags changed, segment bases and
 * mode untouched, an exception one the emulator or the callbacks raise.
 *
 * Input (README.md): byte 0 the mode (mod 5), byte 1 the faulting page's
 * low byte (linear bits 12-19), bytes 2-16 the instruction, then the
 * registers as little-endian u64s (RAX..R15, RIP, RFLAGS, ES..GS bases),
 * what is missing zero; byte 1 and the instruction also seed the memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/x86_emulate.h>

#define INSN_AT 2
#define REGS_AT (INSN_AT + HV_X86_INSN_MAX)

struct world {
	uint8_t insn[HV_X86_INSN_MAX];
	uint64_t code;	      /* linear address of the instruction */
	uint8_t fault_page;   /* linear bits 12-19 that fault */
	unsigned int calls;   /* accesses so far */
	unsigned int fetched; /* instruction bytes fetched */
};

static void die(const char *why)
{
	fprintf(stderr, "fuzz-emulate: %s\n", why);
	abort();
}

static enum hv_x86_emu_status fault(uint64_t linear,
				    struct hv_x86_emu_exception *exc)
{
	exc->vector = HV_X86_EXC_PF;
	exc->has_error_code = true;
	exc->error_code = 0;
	exc->cr2 = linear;
	return HV_X86_EMU_EXCEPTION;
}

/* Every access: its size, how many, and whether it faults. */
static bool faults(struct world *w, uint64_t linear, unsigned int size)
{
	if (++w->calls > 3 * HV_X86_EMU_MAX_REPS + 8)
		die("too many accesses");
	for (uint64_t a = linear; a != linear + size; a++)
		if (((a >> 12) & 0xff) == w->fault_page)
			return true;
	return false;
}

static enum hv_x86_emu_status rd(void *ctx, uint64_t linear, void *buf,
				 unsigned int size, bool fetch,
				 struct hv_x86_emu_exception *exc)
{
	struct world *w = ctx;
	uint8_t *b = buf;

	if (fetch) {
		if (!size || size > HV_X86_INSN_MAX - w->fetched ||
		    (linear & 0xfff) + size > 0x1000 ||
		    linear != (uint64_t)(w->code + w->fetched))
			die("bad fetch");
	} else if (size != 1 && size != 2 && size != 4 && size != 8) {
		die("bad read size");
	}
	if (faults(w, linear, size))
		return fault(linear, exc);
	for (unsigned int i = 0; i < size; i++) {
		uint64_t off = linear + i - w->code;

		b[i] = off < HV_X86_INSN_MAX
			   ? w->insn[off]
			   : (uint8_t)((linear + i) * 0x9d ^ w->fault_page);
	}
	if (fetch)
		w->fetched += size;
	return HV_X86_EMU_DONE;
}

static enum hv_x86_emu_status wr(void *ctx, uint64_t linear, const void *buf,
				 unsigned int size,
				 struct hv_x86_emu_exception *exc)
{
	struct world *w = ctx;
	volatile uint8_t sink = 0;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		die("bad write size");
	if (faults(w, linear, size))
		return fault(linear, exc);
	for (unsigned int i = 0; i < size; i++)
		sink ^= ((const uint8_t *)buf)[i]; /* ASan: size is true */
	(void)sink;
	return HV_X86_EMU_DONE;
}

static const struct hv_x86_emu_ops ops = {rd, wr};

static void load_regs(struct hv_x86_emu_regs *r, const uint8_t *data,
		      size_t size)
{
	uint64_t v[16 + 2 + HV_X86_SEG_COUNT] = {0};
	size_t n = size > REGS_AT ? size - REGS_AT : 0;

	memcpy(v, data + REGS_AT, n < sizeof(v) ? n : sizeof(v));
	memcpy(r->gpr, v, sizeof(r->gpr));
	r->rip = v[16];
	r->rflags = v[17];
	memcpy(r->seg_base, v + 18, sizeof(r->seg_base));
}

static void check(const struct hv_x86_emu_regs *before,
		  const struct hv_x86_emu_regs *after,
		  enum hv_x86_emu_status st,
		  const struct hv_x86_emu_exception *exc)
{
	uint64_t moved = after->rip - before->rip;

	if (before->mode == HV_X86_MODE_PROT32)
		moved = (uint32_t)moved;
	else if (before->mode != HV_X86_MODE_LONG64)
		moved = (uint16_t)moved; /* IP wraps at 64 KiB */
	if (after->mode != before->mode ||
	    memcmp(after->seg_base, before->seg_base, sizeof(after->seg_base)))
		die("mode or segment bases changed");
	if ((after->rflags ^ before->rflags) & ~HV_X86_RFLAGS_ARITH)
		die("a flag other than the arithmetic ones changed");
	switch (st) {
	case HV_X86_EMU_DONE:
		if (moved < 1 || moved > HV_X86_INSN_MAX)
			die("RIP moved by no instruction's length");
		return;
	case HV_X86_EMU_EXCEPTION:
		if (exc->vector != HV_X86_EXC_UD &&
		    exc->vector != HV_X86_EXC_GP &&
		    exc->vector != HV_X86_EXC_SS &&
		    exc->vector != HV_X86_EXC_PF)
			die("an exception nobody raises");
		if (exc->has_error_code != (exc->vector != HV_X86_EXC_UD))
			die("error code where there is none, or none");
		break; /* and RIP must not have moved */
	case HV_X86_EMU_RETRY:
		break;
	default:
		die("unknown status");
	}
	if (moved)
		die("RIP moved without the instruction completing");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_x86_emu_regs r, before;
	struct hv_x86_emu_exception exc;
	enum hv_x86_emu_status st;
	struct world w;

	if (size < REGS_AT)
		return 0;
	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	memcpy(w.insn, data + INSN_AT, HV_X86_INSN_MAX);
	w.fault_page = data[1];
	r.mode = (enum hv_x86_mode)(data[0] % 5);
	load_regs(&r, data, size);
	w.code = r.mode == HV_X86_MODE_LONG64
		     ? r.rip
		     : (uint32_t)(r.seg_base[HV_X86_SEG_CS] + r.rip);
	before = r;
	st = hv_x86_emulate(&r, &ops, &w, &exc);
	check(&before, &r, st, &exc);
	return 0;
}
