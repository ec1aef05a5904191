/*
 * The guest's GICv3 registers: data aborts on Xen's guest GICD and GICR
 * regions (xen/arch-arm.h) go to libhv-arm's vGIC model, and the vCPUs an
 * access gives an interrupt to take are woken or kicked.
 */
#include "priv.h"

bool hyp_arm_vgic_mmio(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a,
		       bool *refused)
{
	const struct hv_hyp_arm_layout *l = &hv_hyp_arm_xen_layout;
	struct domain_arch *da = domain_arch(v->dom);
	uint64_t *reg =
	    a->reg < 31 ? &vcpu_arch(v)->cpu.x[a->reg] : NULL; /* 31: xzr */
	struct hv_vgic_access acc = {.size = a->size,
				     .write = a->write,
				     .val = a->write && reg ? *reg : 0,
				     .vcpu = v->id};
	bool dist = a->ipa - l->gicd < HV_VGIC_DIST_SIZE;
	uint64_t kick;
	int err;

	if (!dist && a->ipa - l->gicr >=
			 (uint64_t)v->dom->nr_vcpus * HV_VGIC_REDIST_STRIDE)
		return false;
	*refused = !a->valid;
	if (*refused)
		return true;
	acc.offset = a->ipa - (dist ? l->gicd : l->gicr);
	hv_spin_lock(&da->vgic_lock);
	err = dist ? hv_vgic_dist_access(&da->vgic, &acc, &kick)
		   : hv_vgic_redist_access(&da->vgic, &acc, &kick);
	hv_spin_unlock(&da->vgic_lock);
	*refused = err != 0;
	if (*refused)
		return true;
	if (!a->write && reg)
		*reg = acc.val;
	vcpu_arch(v)->cpu.pc += a->insn_len; /* ELR is the access itself */
	hyp_arm_vgic_kick(v->dom, kick);
	return true;
}
