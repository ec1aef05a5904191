/* Exit names and exitinfo decoding (portable, unit-tested). */
#include <hv/error.h>
#include <hv/x86_exit.h>

#define IOIO_IN		(1ull << 0)
#define IOIO_STRING	(1ull << 2)
#define IOIO_REP	(1ull << 3)
#define IOIO_SIZE_SHIFT 4  /* bits 6:4: 1, 2 or 4 bytes */
#define IOIO_ADDR_SHIFT 7  /* bits 9:7: 16-, 32- or 64-bit addresses */
#define IOIO_SEG_SHIFT	10 /* bits 12:10 */
#define IOIO_PORT_SHIFT 16

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#09", "#TS",
    "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *hv_x86_exception_name(unsigned int vector)
{
	return vector < 32 ? exception_names[vector] : "?";
}

static const struct {
	uint32_t code;
	const char *name;
} exit_names[] = {
    {HV_X86_EXIT_VINTR, "vintr"},	{HV_X86_EXIT_INTR, "intr"},
    {HV_X86_EXIT_NMI, "nmi"},		{HV_X86_EXIT_SMI, "smi"},
    {HV_X86_EXIT_INIT, "init"},		{HV_X86_EXIT_CPUID, "cpuid"},
    {HV_X86_EXIT_HLT, "hlt"},		{HV_X86_EXIT_INVLPGA, "invlpga"},
    {HV_X86_EXIT_IOIO, "ioio"},		{HV_X86_EXIT_MSR, "msr"},
    {HV_X86_EXIT_SHUTDOWN, "shutdown"}, {HV_X86_EXIT_VMRUN, "vmrun"},
    {HV_X86_EXIT_VMMCALL, "vmmcall"},	{HV_X86_EXIT_VMLOAD, "vmload"},
    {HV_X86_EXIT_VMSAVE, "vmsave"},	{HV_X86_EXIT_STGI, "stgi"},
    {HV_X86_EXIT_CLGI, "clgi"},		{HV_X86_EXIT_SKINIT, "skinit"},
    {HV_X86_EXIT_MONITOR, "monitor"},	{HV_X86_EXIT_MWAIT, "mwait"},
    {HV_X86_EXIT_MWAIT_COND, "mwait"},	{HV_X86_EXIT_XSETBV, "xsetbv"},
    {HV_X86_EXIT_NPF, "npf"},		{HV_X86_EXIT_CR4_WRITE, "cr4 write"},
    {HV_X86_EXIT_RDPMC, "rdpmc"},	{HV_X86_EXIT_INVD, "invd"},
    {HV_X86_EXIT_WBINVD, "wbinvd"},
};

const char *hv_x86_exit_name(uint64_t exitcode)
{
	if (hv_x86_exit_is_invalid(exitcode))
		return "invalid";
	if (exitcode >= HV_X86_EXIT_EXCEPTION_BASE &&
	    exitcode < HV_X86_EXIT_EXCEPTION_BASE + 32)
		return exception_names[exitcode - HV_X86_EXIT_EXCEPTION_BASE];
	for (unsigned int i = 0; i < HV_ARRAY_SIZE(exit_names); i++)
		if (exit_names[i].code == exitcode)
			return exit_names[i].name;
	return "unknown";
}

/* A one-hot 3-bit field as 1, 2 or 4 (times `unit`), or 0. */
static unsigned int one_hot(uint64_t field, unsigned int unit)
{
	switch (field & 7) {
	case 1:
		return unit;
	case 2:
		return 2 * unit;
	case 4:
		return 4 * unit;
	default:
		return 0;
	}
}

int hv_x86_decode_ioio(uint64_t exitinfo1, struct hv_x86_ioio *out)
{
	out->port = (uint16_t)(exitinfo1 >> IOIO_PORT_SHIFT);
	out->size = one_hot(exitinfo1 >> IOIO_SIZE_SHIFT, 1);
	out->in = exitinfo1 & IOIO_IN;
	out->string = exitinfo1 & IOIO_STRING;
	out->rep = exitinfo1 & IOIO_REP;
	out->addr_size = one_hot(exitinfo1 >> IOIO_ADDR_SHIFT, 2);
	out->segment = (unsigned int)(exitinfo1 >> IOIO_SEG_SHIFT) & 7;
	return out->size ? 0 : -HV_EINVAL;
}

/* Legacy prefixes: operand and address size, REP/REPNE, the segments. */
static bool legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66:
	case 0x67:
	case 0xf2:
	case 0xf3:
	case 0x26:
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
		return true;
	default:
		return false;
	}
}

#define PREFIX_LOCK  0xf0
#define REX(b)	     (((b)&0xf0) == 0x40)
#define REX_R	     0x4u
#define REX_B	     0x1u
#define MODRM_REG(m) (((m) >> 3) & 7u)
#define MODRM_RM(m)  ((m)&7u)

int hv_x86_decode_mov_to_cr(const uint8_t *insn, unsigned int len,
			    bool long_mode, struct hv_x86_mov_cr *out)
{
	unsigned int i = 0, rex = 0, lock = 0;

	for (; i < len; i++) {
		uint8_t b = insn[i];

		if (long_mode && REX(b)) {
			rex = b;
		} else if (b == PREFIX_LOCK || legacy_prefix(b)) {
			rex = 0; /* a REX counts only right before the opcode */
			if (b == PREFIX_LOCK)
				lock = 8;
		} else {
			break;
		}
	}
	if (len > 15 || i + 3 > len || insn[i] != 0x0f || insn[i + 1] != 0x22)
		return -HV_EINVAL;
	/* MOV CR ignores the ModRM mode: the operand is always a register. */
	out->cr = (MODRM_REG(insn[i + 2]) | (rex & REX_R ? 8u : 0u)) + lock;
	out->gpr = MODRM_RM(insn[i + 2]) | (rex & REX_B ? 8u : 0u);
	out->len = i + 3;
	return out->cr < 16 ? 0 : -HV_EINVAL;
}
