/* EL1 guest vCPUs: reset state and the switch of EL1 state on a pCPU. */
#include <hv/arm_trap.h>
#include <hv/arm_vcpu.h>
#include <hv/string.h>

#include "sysreg.h"
#include "vcpu_layout.h"

HV_STATIC_ASSERT(offsetof(struct hv_arm_vcpu, x) == VCPU_X0, "vectors.S");
HV_STATIC_ASSERT(offsetof(struct hv_arm_vcpu, pc) == VCPU_PC, "vectors.S");
HV_STATIC_ASSERT(offsetof(struct hv_arm_vcpu, pstate) == VCPU_PSTATE,
		 "vectors.S");
HV_STATIC_ASSERT(offsetof(struct hv_arm_vcpu, host) == VCPU_HOST, "vectors.S");
HV_STATIC_ASSERT(offsetof(struct hv_arm_vcpu, exit) == VCPU_EXIT, "vectors.S");
HV_STATIC_ASSERT(offsetof(struct hv_arm_exit, esr) == 8 &&
		     offsetof(struct hv_arm_exit, far) == 16 &&
		     offsetof(struct hv_arm_exit, hpfar) == 24,
		 "vectors.S stores the syndrome");
HV_STATIC_ASSERT(offsetof(struct hv_arm_fpsimd, fpsr) == 512, "fpsimd.S");

void hv_arm_fpsimd_save(struct hv_arm_fpsimd *fp);
void hv_arm_fpsimd_restore(const struct hv_arm_fpsimd *fp);

#define HCR_VM	 (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FMO	 (1ull << 3)
#define HCR_IMO	 (1ull << 4)
#define HCR_AMO	 (1ull << 5)
#define HCR_TWI	 (1ull << 13)
#define HCR_TWE	 (1ull << 14)
#define HCR_TSC	 (1ull << 19)
#define HCR_RW	 (1ull << 31)

#define MDCR_HPMN_MASK 0x1full
#define MDCR_TPMCR     (1ull << 5)
#define MDCR_TPM       (1ull << 6)
#define MDCR_TDA       (1ull << 9)
#define MDCR_TDOSA     (1ull << 10)
#define MDCR_TDRA      (1ull << 11)
/* ID_AA64DFR0_EL1.PMUVer: 0 none, 0xf an IMPLEMENTATION DEFINED one */
#define DFR0_PMUVER(dfr0) (((dfr0) >> 8) & 0xf)

#define SCTLR_EL1_RES1 0x30d00800ull /* MMU, caches and alignment off */
#define MPIDR_RES1     (1ull << 31)

uint64_t hv_arm_vcpu_default_hcr(void)
{
	return HCR_RW | HCR_TSC | HCR_TWE | HCR_TWI | HCR_AMO | HCR_IMO |
	       HCR_FMO | HCR_SWIO | HCR_VM;
}

/* HPMN is this CPU's; CPUs of one kind (all QEMU's are) count alike. */
uint64_t hv_arm_vcpu_default_mdcr(void)
{
	uint64_t mdcr = (hv_read_sysreg(mdcr_el2) & MDCR_HPMN_MASK) | MDCR_TDA |
			MDCR_TDOSA | MDCR_TDRA;

	if (DFR0_PMUVER(hv_read_sysreg(id_aa64dfr0_el1)) != 0)
		mdcr |= MDCR_TPM | MDCR_TPMCR;
	return mdcr;
}

void hv_arm_vcpu_reset(struct hv_arm_vcpu *v, uint64_t entry, uint64_t arg0,
		       hv_paddr_t s2_root, uint16_t vmid, uint64_t vmpidr,
		       uint64_t hcr)
{
	memset(v, 0, sizeof(*v));
	v->x[0] = arg0;
	v->pc = entry;
	v->pstate = HV_ARM_PSTATE_EL1H_MASKED;
	v->hcr = hcr;
	v->vttbr = s2_root | (uint64_t)vmid << 48;
	v->vmpidr = vmpidr | MPIDR_RES1;
	v->mdcr = hv_arm_vcpu_default_mdcr();
	v->el1.sctlr = SCTLR_EL1_RES1;
}

void hv_arm_vcpu_load(const struct hv_arm_vcpu *v)
{
	const struct hv_arm_el1_regs *r = &v->el1;

	hv_write_sysreg(sctlr_el1, r->sctlr);
	hv_write_sysreg(actlr_el1, r->actlr);
	hv_write_sysreg(cpacr_el1, r->cpacr);
	hv_write_sysreg(ttbr0_el1, r->ttbr0);
	hv_write_sysreg(ttbr1_el1, r->ttbr1);
	hv_write_sysreg(tcr_el1, r->tcr);
	hv_write_sysreg(esr_el1, r->esr);
	hv_write_sysreg(afsr0_el1, r->afsr0);
	hv_write_sysreg(afsr1_el1, r->afsr1);
	hv_write_sysreg(far_el1, r->far);
	hv_write_sysreg(mair_el1, r->mair);
	hv_write_sysreg(amair_el1, r->amair);
	hv_write_sysreg(vbar_el1, r->vbar);
	hv_write_sysreg(contextidr_el1, r->contextidr);
	hv_write_sysreg(tpidr_el1, r->tpidr);
	hv_write_sysreg(tpidr_el0, r->tpidr_el0);
	hv_write_sysreg(tpidrro_el0, r->tpidrro_el0);
	hv_write_sysreg(sp_el0, r->sp_el0);
	hv_write_sysreg(sp_el1, r->sp_el1);
	hv_write_sysreg(elr_el1, r->elr);
	hv_write_sysreg(spsr_el1, r->spsr);
	hv_write_sysreg(par_el1, r->par);
	hv_write_sysreg(cntkctl_el1, r->cntkctl);
	hv_write_sysreg(csselr_el1, r->csselr);
	hv_write_sysreg(mdscr_el1, r->mdscr);
	hv_write_sysreg(cntv_cval_el0, r->cntv_cval);
	hv_write_sysreg(cntv_ctl_el0, r->cntv_ctl);
	hv_arm_fpsimd_restore(&v->fp);
	hv_write_sysreg(vmpidr_el2, v->vmpidr);
	hv_write_sysreg(mdcr_el2, v->mdcr);
	/* EL0 access to a withheld PMU off: an EL0 access is then the
	 * guest kernel's undefined instruction, whatever firmware left. */
	if (v->mdcr & MDCR_TPM)
		hv_write_sysreg(pmuserenr_el0, 0);
	hv_write_sysreg(vttbr_el2, v->vttbr);
	hv_write_sysreg(hcr_el2, v->hcr);
	hv_isb();
}

void hv_arm_vcpu_put(struct hv_arm_vcpu *v)
{
	struct hv_arm_el1_regs *r = &v->el1;

	r->sctlr = hv_read_sysreg(sctlr_el1);
	r->actlr = hv_read_sysreg(actlr_el1);
	r->cpacr = hv_read_sysreg(cpacr_el1);
	r->ttbr0 = hv_read_sysreg(ttbr0_el1);
	r->ttbr1 = hv_read_sysreg(ttbr1_el1);
	r->tcr = hv_read_sysreg(tcr_el1);
	r->esr = hv_read_sysreg(esr_el1);
	r->afsr0 = hv_read_sysreg(afsr0_el1);
	r->afsr1 = hv_read_sysreg(afsr1_el1);
	r->far = hv_read_sysreg(far_el1);
	r->mair = hv_read_sysreg(mair_el1);
	r->amair = hv_read_sysreg(amair_el1);
	r->vbar = hv_read_sysreg(vbar_el1);
	r->contextidr = hv_read_sysreg(contextidr_el1);
	r->tpidr = hv_read_sysreg(tpidr_el1);
	r->tpidr_el0 = hv_read_sysreg(tpidr_el0);
	r->tpidrro_el0 = hv_read_sysreg(tpidrro_el0);
	r->sp_el0 = hv_read_sysreg(sp_el0);
	r->sp_el1 = hv_read_sysreg(sp_el1);
	r->elr = hv_read_sysreg(elr_el1);
	r->spsr = hv_read_sysreg(spsr_el1);
	r->par = hv_read_sysreg(par_el1);
	r->cntkctl = hv_read_sysreg(cntkctl_el1);
	r->csselr = hv_read_sysreg(csselr_el1);
	r->mdscr = hv_read_sysreg(mdscr_el1);
	r->cntv_ctl = hv_read_sysreg(cntv_ctl_el0);
	r->cntv_cval = hv_read_sysreg(cntv_cval_el0);
	/* A stopped vCPU's timer must not keep interrupting whoever runs
	 * next; the caller tracks its deadline in software meanwhile. */
	hv_write_sysreg(cntv_ctl_el0, 0);
	hv_arm_fpsimd_save(&v->fp);
}

#define ESR_IL (1ull << 25)

uint64_t hv_arm_vcpu_sync_entry(const struct hv_arm_vcpu *v)
{
	return hv_read_sysreg(vbar_el1) + hv_arm_sync_vector(v->pstate);
}

/* What the CPU does on taking a synchronous exception to EL1: the EL1
 * registers are live while the vCPU is loaded. */
static void take_sync_exception(struct hv_arm_vcpu *v, uint64_t esr)
{
	hv_write_sysreg(esr_el1, esr);
	hv_write_sysreg(elr_el1, v->pc);
	hv_write_sysreg(spsr_el1, v->pstate);
	v->pc = hv_arm_vcpu_sync_entry(v);
	v->pstate = HV_ARM_PSTATE_EL1H_MASKED;
}

void hv_arm_vcpu_inject_undef(struct hv_arm_vcpu *v)
{
	take_sync_exception(v, ESR_IL); /* EC 0: unknown reason */
}

static void inject_abort(struct hv_arm_vcpu *v, uint64_t far, uint64_t esr)
{
	hv_write_sysreg(far_el1, far);
	take_sync_exception(v, esr);
}

void hv_arm_vcpu_inject_dabt(struct hv_arm_vcpu *v, uint64_t far)
{
	inject_abort(v, far, hv_arm_dabt_esr(v->pstate));
}

void hv_arm_vcpu_inject_iabt(struct hv_arm_vcpu *v, uint64_t far)
{
	inject_abort(v, far, hv_arm_iabt_esr(v->pstate));
}
