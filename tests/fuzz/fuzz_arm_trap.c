/*
 * Fuzzing libhv-arm's trap decoding (hv/arm_trap.h) and the virtual GICv3
 * behind it (hv/arm_vgic.h), stateful: data aborts are decoded and, when
 * they land in the distributor or a redistributor, performed as the
 * AArch64 image does; devices raise and lower interrupts; vCPUs send SGIs
 * and run, which loads the list registers, lets the guest acknowledge and
 * end what is in them (the only changes hardware makes), and syncs them
 * back.
 *
 * After each record: every interrupt's state is one the model can hold (5
 * priority bits, SGIs edge-triggered, an SPI routed to a vCPU or nobody,
 * a list register within the GIC's), kicks and takers name existing vCPUs,
 * and a loaded list register names an interrupt of its vCPU that the
 * model placed there, once.
 *
 * Input (README.md): byte 0 bits 0-4 the vCPUs (1 to 32), bits 5-7 and
 * byte 1 bits 4-7 the SPIs; byte 1 bits 0-3 the list registers (1 to 16);
 * then records of RECORD bytes: byte 0 the op, byte 1 the vCPU (mod their
 * number), bytes 2-3 small arguments, bytes 4-11 a value, bytes 12-15 an
 * offset, an INTID or an ISS.
 */
#include "fuzz.h"

#include <hv/arm_trap.h>
#include <hv/arm_vgic.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define RECORD	   16
#define MAX_VCPUS  32
#define DIST_IPA   UINT64_C(0x08000000) /* QEMU virt's GICD */
#define REDIST_IPA UINT64_C(0x080a0000) /* and GICR */
#define LR_STATE   62
#define LR_PENDING 1u
#define LR_ACTIVE  2u

enum {
	OP_DIST,   /* an access at an offset into the distributor */
	OP_REDIST, /* into the redistributors */
	OP_DABT,   /* a data abort, decoded, then performed */
	OP_SGI,	   /* an ICC_SGI1R_EL1 write */
	OP_RAISE,
	OP_LOWER,
	OP_SET_PENDING,
	OP_SET_HW,
	OP_RUN,	   /* flush, the guest's acknowledges and EOIs, sync */
	OP_DECODE, /* the other pure decoders */
	OP_COUNT,
};

struct world {
	struct hv_vgic g;
	struct hv_vgic_vcpu vcpus[MAX_VCPUS];
	struct hv_vgic_irq spis[HV_VGIC_MAX_SPIS];
	uint64_t lr[MAX_VCPUS][HV_VGIC_MAX_LRS]; /* each vCPU's, saved */
	unsigned int nr_lr;
};

static uint64_t all_vcpus(const struct world *w)
{
	return w->g.nr_vcpus == 64 ? ~UINT64_C(0)
				   : (UINT64_C(1) << w->g.nr_vcpus) - 1;
}

static void access(struct world *w, bool redist, struct hv_vgic_access *a)
{
	uint64_t kick = 0;
	int rc = redist ? hv_vgic_redist_access(&w->g, a, &kick)
			: hv_vgic_dist_access(&w->g, a, &kick);

	fuzz_check(rc == 0 || rc == -HV_EINVAL);
	fuzz_check(!(kick & ~all_vcpus(w)));
}

static void mmio(struct world *w, bool redist, const uint8_t *r)
{
	uint64_t span = redist ? (uint64_t)w->g.nr_vcpus * HV_VGIC_REDIST_STRIDE
			       : HV_VGIC_DIST_SIZE;
	struct hv_vgic_access a = {
	    /* A little past the end too: those must be refused. */
	    .offset = fuzz_le(r + 12, 4) % (span + 0x100),
	    .size = 1u << (r[2] & 3),
	    .write = r[3] & 1,
	    .val = fuzz_le(r + 4, 8),
	    .vcpu = r[1] % w->g.nr_vcpus,
	};

	access(w, redist, &a);
}

/* A data abort on the GIC's pages (mostly), as the image takes it. */
static void dabt(struct world *w, const uint8_t *r)
{
	uint64_t val = fuzz_le(r + 4, 8);
	uint64_t base = r[3] & 1 ? REDIST_IPA : DIST_IPA;
	uint64_t ipa = base + (val & 0x3ffff);
	uint64_t esr = (uint64_t)HV_ARM_EC_DABT_LOWER << 26 | 1u << 25 |
		       (fuzz_le(r + 12, 4) & 0x1ffffff);
	uint64_t hpfar = (ipa >> 12) << 4 | (r[2] & 0x0f);
	struct hv_arm_dabt d;
	struct hv_vgic_access a;

	hv_arm_decode_dabt(esr, hpfar, ipa, &d);
	fuzz_check(d.ipa == ipa && d.reg <= 31 && d.fsc <= 0x3f);
	fuzz_check(d.size == 1 || d.size == 2 || d.size == 4 || d.size == 8);
	fuzz_check(d.insn_len == 4); /* IL is set above */
	if (!d.valid)
		return;
	a = (struct hv_vgic_access){.size = d.size,
				    .write = d.write,
				    .val = val,
				    .vcpu = r[1] % w->g.nr_vcpus};
	if (ipa >= DIST_IPA && ipa - DIST_IPA < HV_VGIC_DIST_SIZE) {
		a.offset = ipa - DIST_IPA;
		access(w, false, &a);
	} else if (ipa >= REDIST_IPA) {
		a.offset = ipa - REDIST_IPA;
		access(w, true, &a);
	}
}

static void check_taker(const struct world *w, int vcpu)
{
	fuzz_check(vcpu == -1 ||
		   (vcpu >= 0 && (unsigned int)vcpu < w->g.nr_vcpus));
}

/* What the guest does to one list register: acknowledge (pending to
 * active) and end (active to nothing), as the CPU interface would. */
static uint64_t guest_acts(uint64_t lr, unsigned int act)
{
	unsigned int state = (unsigned int)(lr >> LR_STATE);

	if ((act & 1) && state == LR_PENDING)
		state = LR_ACTIVE;
	else if ((act & 2) && (state & LR_ACTIVE))
		state &= ~LR_ACTIVE;
	return (lr & ~(UINT64_C(3) << LR_STATE)) | (uint64_t)state << LR_STATE;
}

/* Loaded list registers name their vCPU's interrupts, each in the place
 * the model put it, and no interrupt twice. */
static void check_lrs(struct world *w, unsigned int vcpu)
{
	uint64_t *lr = w->lr[vcpu];

	for (unsigned int i = 0; i < w->nr_lr; i++) {
		unsigned int intid = (unsigned int)lr[i];
		const struct hv_vgic_irq *irq;

		if (!lr[i])
			continue;
		fuzz_check(lr[i] >> LR_STATE != 0);
		fuzz_check(intid < HV_VGIC_NR_PRIVATE + w->g.nr_spis);
		irq = intid < HV_VGIC_NR_PRIVATE
			  ? &w->vcpus[vcpu].priv[intid]
			  : &w->spis[intid - HV_VGIC_NR_PRIVATE];
		fuzz_check(irq->lr == i + 1);
		for (unsigned int j = 0; j < i; j++)
			fuzz_check((unsigned int)lr[j] != intid || !lr[j]);
	}
}

static void run(struct world *w, const uint8_t *r)
{
	unsigned int vcpu = r[1] % w->g.nr_vcpus;
	uint64_t acts = fuzz_le(r + 4, 8);

	hv_vgic_flush_lrs(&w->g, vcpu, w->lr[vcpu], w->nr_lr);
	check_lrs(w, vcpu);
	for (unsigned int i = 0; i < w->nr_lr; i++)
		w->lr[vcpu][i] = guest_acts(w->lr[vcpu][i], acts >> (2 * i));
	hv_vgic_sync_lrs(&w->g, vcpu, w->lr[vcpu], w->nr_lr);
}

static void decode(const struct world *w, const uint8_t *r)
{
	uint64_t v = fuzz_le(r + 4, 8);
	struct hv_arm_sysreg_access s;
	uint64_t vec = hv_arm_sync_vector(v), value = 1;

	hv_arm_decode_sysreg(v, &s);
	fuzz_check(s.op0 <= 3 && s.op1 <= 7 && s.crn <= 15 && s.crm <= 15 &&
		   s.op2 <= 7 && s.reg <= 31);
	fuzz_check(hv_arm_sysreg_id(&s) < 1u << 16);
	fuzz_check(!hv_arm_sysreg_withheld(&s, &value) || value == 0 ||
		   value == 1u << 3 || value == 1u << 29);
	fuzz_check(vec == 0 || vec == 0x200 || vec == 0x400 || vec == 0x600);
	fuzz_check(hv_arm_esr_ec(hv_arm_dabt_esr(v)) == HV_ARM_EC_DABT_LOWER ||
		   hv_arm_esr_ec(hv_arm_dabt_esr(v)) == HV_ARM_EC_DABT_CURRENT);
	fuzz_check(hv_arm_esr_ec(hv_arm_iabt_esr(v)) == HV_ARM_EC_IABT_LOWER ||
		   hv_arm_esr_ec(hv_arm_iabt_esr(v)) == HV_ARM_EC_IABT_CURRENT);
	fuzz_check(hv_arm_ec_name(r[2]) != NULL);
	hv_vgic_vcpu_pending(&w->g, r[1]);
}

static void check_irq(const struct world *w, const struct hv_vgic_irq *irq)
{
	fuzz_check(!(irq->priority & ~HV_VGIC_PRIO_MASK));
	fuzz_check(irq->lr <= w->nr_lr);
}

static void check_state(const struct world *w)
{
	for (unsigned int v = 0; v < w->g.nr_vcpus; v++)
		for (unsigned int i = 0; i < HV_VGIC_NR_PRIVATE; i++) {
			check_irq(w, &w->vcpus[v].priv[i]);
			fuzz_check(i >= 16 || w->vcpus[v].priv[i].edge);
		}
	for (unsigned int i = 0; i < w->g.nr_spis; i++) {
		check_irq(w, &w->spis[i]);
		fuzz_check(w->spis[i].target < w->g.nr_vcpus ||
			   w->spis[i].target == HV_VGIC_NO_VCPU);
	}
}

static void step(struct world *w, const uint8_t *r)
{
	unsigned int vcpu = r[1] % w->g.nr_vcpus;
	unsigned int intid =
	    (unsigned int)(fuzz_le(r + 12, 4) %
			   (HV_VGIC_NR_PRIVATE + w->g.nr_spis + 4));

	switch (r[0] % OP_COUNT) {
	case OP_DIST:
	case OP_REDIST:
		mmio(w, r[0] % OP_COUNT == OP_REDIST, r);
		break;
	case OP_DABT:
		dabt(w, r);
		break;
	case OP_SGI:
		fuzz_check(!(hv_vgic_sgi(&w->g, vcpu, fuzz_le(r + 4, 8)) &
			     ~all_vcpus(w)));
		break;
	case OP_RAISE:
		check_taker(w, hv_vgic_raise(&w->g, vcpu, intid));
		break;
	case OP_LOWER:
		hv_vgic_lower(&w->g, vcpu, intid);
		break;
	case OP_SET_PENDING:
		check_taker(w, hv_vgic_set_pending(&w->g, vcpu, intid));
		break;
	case OP_SET_HW:
		hv_vgic_set_hw(&w->g, vcpu, intid, r[2] & 1);
		break;
	case OP_RUN:
		run(w, r);
		break;
	case OP_DECODE:
		decode(w, r);
		break;
	}
	check_state(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct world w; /* large: not on the stack */
	unsigned int nr_spis;

	if (size < 2)
		return 0;
	memset(&w, 0, sizeof(w));
	nr_spis = 32 * ((unsigned int)(data[0] >> 5 | (data[1] >> 4) << 3) %
			(HV_VGIC_MAX_SPIS / 32 + 1));
	w.nr_lr = 1 + (data[1] & 15);
	fuzz_check(hv_vgic_init(&w.g, w.vcpus, 1 + (data[0] & 31), w.spis,
				nr_spis) == 0);
	for (size_t at = 2; at + RECORD <= size; at += RECORD)
		step(&w, data + at);
	return 0;
}
