/*
 * GICv3 for the hypervisor (GIC architecture spec IHI 0069): the
 * distributor in its single-security-state form (as QEMU's virt machine
 * has it without secure=on), one redistributor, the EL2 system-register
 * interface and the virtual CPU interface's list registers.
 */
#include <hv/arm_gic.h>
#include <hv/error.h>

#include "sysreg.h"

#define GICD_CTLR	    0x0000
#define GICD_CTLR_RWP	    (1u << 31)
#define GICD_CTLR_ARE	    (1u << 4)
#define GICD_CTLR_ENABLE_G1 (1u << 1)

#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER	0x6000

#define GICR_TYPER		   0x0008
#define GICR_TYPER_VLPIS	   (1ull << 1)
#define GICR_TYPER_LAST		   (1ull << 4)
#define GICR_FRAMES		   0x20000 /* RD_base and SGI_base */
#define GICR_WAKER		   0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE		   0x10000
#define GICR_IGROUPR0		   (GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0		   (GICR_SGI_BASE + 0x0100)
#define GICR_IPRIORITYR		   (GICR_SGI_BASE + 0x0400)

#define ICC_SRE_SRE	 (1u << 0)
#define ICC_SRE_DFB	 (1u << 1)
#define ICC_SRE_DIB	 (1u << 2)
#define ICC_SRE_ENABLE	 (1u << 3) /* EL1 may use ICC_SRE_EL1 */
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICH_HCR_EN	 (1u << 0)

#define PPI_PRIORITY 0xa0
#define WAKE_POLLS   1000000

static volatile uint32_t *reg32(uintptr_t base, uintptr_t off)
{
	return (volatile uint32_t *)(base + off);
}

static int redistributor_wake(uintptr_t gicr)
{
	volatile uint32_t *waker = reg32(gicr, GICR_WAKER);

	*waker &= ~GICR_WAKER_PROCESSOR_SLEEP;
	for (int i = 0; i < WAKE_POLLS; i++)
		if (!(*waker & GICR_WAKER_CHILDREN_ASLEEP))
			return 0;
	return -HV_ENODEV;
}

/* MPIDR_EL1's affinity as GICR_TYPER.Affinity_Value has it:
 * Aff3.Aff2.Aff1.Aff0. */
static uint32_t this_affinity(void)
{
	uint64_t mpidr = hv_read_sysreg(mpidr_el1);

	return (uint32_t)((mpidr & 0xffffff) | (mpidr >> 32 & 0xff) << 24);
}

/* This CPU's redistributor in the region at gicr, or 0: each takes two
 * 64 KiB frames (four with virtual LPIs); the last says so. */
static uintptr_t find_redistributor(uintptr_t gicr)
{
	uint32_t aff = this_affinity();

	for (;;) {
		uint64_t typer = *(volatile uint64_t *)(gicr + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return gicr;
		if (typer & GICR_TYPER_LAST)
			return 0;
		gicr +=
		    typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAMES : GICR_FRAMES;
	}
}

static void distributor_enable(uintptr_t gicd)
{
	volatile uint32_t *ctlr = reg32(gicd, GICD_CTLR);

	*ctlr = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1;
	while (*ctlr & GICD_CTLR_RWP)
		;
}

static void ppi_enable(uintptr_t gicr, unsigned int intid)
{
	volatile uint8_t *prio =
	    (volatile uint8_t *)(gicr + GICR_IPRIORITYR + intid);

	*prio = PPI_PRIORITY;
	*reg32(gicr, GICR_IGROUPR0) |= 1u << intid;
	*reg32(gicr, GICR_ISENABLER0) = 1u << intid;
}

void hv_arm_gic_spi_enable(const struct hv_arm_gic *gic, unsigned int intid,
			   uint64_t mpidr)
{
	volatile uint8_t *prio =
	    (volatile uint8_t *)(gic->gicd + GICD_IPRIORITYR + intid);

	*prio = PPI_PRIORITY;
	*(volatile uint64_t *)(gic->gicd + GICD_IROUTER + 8 * intid) =
	    mpidr & 0xff00ffffffull;
	*reg32(gic->gicd, GICD_IGROUPR + intid / 32 * 4) |= 1u << intid % 32;
	*reg32(gic->gicd, GICD_ISENABLER + intid / 32 * 4) = 1u << intid % 32;
}

static void cpu_interface_enable(void)
{
	hv_write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB |
					 ICC_SRE_ENABLE);
	hv_isb();
	hv_write_sysreg(icc_pmr_el1, 0xff);
	hv_write_sysreg(icc_bpr1_el1, 0);
	hv_write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	hv_write_sysreg(icc_igrpen1_el1, 1);
	hv_write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	hv_isb();
}

int hv_arm_gic_init(struct hv_arm_gic *gic, uintptr_t gicd, uintptr_t gicr,
		    const unsigned int *ppis, size_t nr_ppis)
{
	distributor_enable(gicd);
	return hv_arm_gic_cpu_init(gic, gicd, gicr, ppis, nr_ppis);
}

int hv_arm_gic_cpu_init(struct hv_arm_gic *gic, uintptr_t gicd, uintptr_t gicr,
			const unsigned int *ppis, size_t nr_ppis)
{
	int err;

	gic->gicd = gicd;
	gic->gicr = find_redistributor(gicr);
	gic->nr_lr = (hv_read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	if (gic->nr_lr > HV_ARM_GIC_MAX_LR)
		gic->nr_lr = HV_ARM_GIC_MAX_LR;
	if (!gic->gicr)
		return -HV_ENODEV;
	err = redistributor_wake(gic->gicr);
	if (err)
		return err;
	for (size_t i = 0; i < nr_ppis; i++)
		ppi_enable(gic->gicr, ppis[i]);
	cpu_interface_enable();
	return 0;
}

#define SGI1R_TARGET(aff0) (1ull << ((aff0)&0xf))
#define SGI1R_AFF1(a)	   ((uint64_t)(a) << 16)
#define SGI1R_INTID(i)	   ((uint64_t)(i) << 24)
#define SGI1R_AFF2(a)	   ((uint64_t)(a) << 32)
#define SGI1R_RS(aff0)	   ((uint64_t)((aff0) >> 4) << 44)
#define SGI1R_AFF3(a)	   ((uint64_t)(a) << 48)

void hv_arm_gic_send_sgi(uint64_t mpidr, unsigned int intid)
{
	unsigned int aff0 = mpidr & 0xff;

	/* The target acts on what was written before it is interrupted. */
	hv_dsb_ish();
	hv_write_sysreg(icc_sgi1r_el1, SGI1R_AFF3(mpidr >> 32 & 0xff) |
					   SGI1R_AFF2(mpidr >> 16 & 0xff) |
					   SGI1R_INTID(intid) |
					   SGI1R_AFF1(mpidr >> 8 & 0xff) |
					   SGI1R_RS(aff0) | SGI1R_TARGET(aff0));
	hv_isb();
}

unsigned int hv_arm_gic_ack(void)
{
	unsigned int intid = hv_read_sysreg(icc_iar1_el1) & 0xffffff;

	__asm__ __volatile__("dsb sy" ::: "memory");
	return intid;
}

void hv_arm_gic_eoi(unsigned int intid)
{
	hv_write_sysreg(icc_eoir1_el1, intid);
	hv_isb();
}

void hv_arm_gic_deactivate(unsigned int intid)
{
	hv_write_sysreg(icc_dir_el1, intid);
	hv_isb();
}

/* The list registers have one name each, so each is a case. */
/* A table, three registers a row: */
/* clang-format off */
#define LR_CASES(op)                                                           \
	op(0, ich_lr0_el2) op(1, ich_lr1_el2) op(2, ich_lr2_el2)               \
	op(3, ich_lr3_el2) op(4, ich_lr4_el2) op(5, ich_lr5_el2)               \
	op(6, ich_lr6_el2) op(7, ich_lr7_el2) op(8, ich_lr8_el2)               \
	op(9, ich_lr9_el2) op(10, ich_lr10_el2) op(11, ich_lr11_el2)           \
	op(12, ich_lr12_el2) op(13, ich_lr13_el2) op(14, ich_lr14_el2)         \
	op(15, ich_lr15_el2)
/* clang-format on */

static uint64_t lr_read(unsigned int n)
{
#define READ_LR(i, reg)                                                        \
	case i:                                                                \
		return hv_read_sysreg(reg);
	switch (n) {
		LR_CASES(READ_LR)
	}
#undef READ_LR
	return 0;
}

static void lr_write(unsigned int n, uint64_t v)
{
#define WRITE_LR(i, reg)                                                       \
	case i:                                                                \
		hv_write_sysreg(reg, v);                                       \
		break;
	switch (n) {
		LR_CASES(WRITE_LR)
	}
#undef WRITE_LR
}

void hv_arm_gic_vcpu_load(const struct hv_arm_gic *gic,
			  const struct hv_arm_vgic_regs *r)
{
	for (unsigned int i = 0; i < gic->nr_lr; i++)
		lr_write(i, r->lr[i]);
	hv_write_sysreg(ich_vmcr_el2, r->vmcr);
	hv_write_sysreg(ich_ap0r0_el2, r->ap0r0);
	hv_write_sysreg(ich_ap1r0_el2, r->ap1r0);
	hv_write_sysreg(ich_hcr_el2, r->hcr | ICH_HCR_EN);
	hv_isb();
}

void hv_arm_gic_lrs_read(const struct hv_arm_gic *gic,
			 struct hv_arm_vgic_regs *r)
{
	for (unsigned int i = 0; i < gic->nr_lr; i++)
		r->lr[i] = lr_read(i);
	r->hcr = hv_read_sysreg(ich_hcr_el2);
}

void hv_arm_gic_lrs_write(const struct hv_arm_gic *gic,
			  const struct hv_arm_vgic_regs *r)
{
	for (unsigned int i = 0; i < gic->nr_lr; i++)
		lr_write(i, r->lr[i]);
	hv_write_sysreg(ich_hcr_el2, r->hcr | ICH_HCR_EN);
	hv_isb();
}

void hv_arm_gic_vcpu_put(const struct hv_arm_gic *gic,
			 struct hv_arm_vgic_regs *r)
{
	for (unsigned int i = 0; i < gic->nr_lr; i++)
		r->lr[i] = lr_read(i);
	r->vmcr = hv_read_sysreg(ich_vmcr_el2);
	r->ap0r0 = hv_read_sysreg(ich_ap0r0_el2);
	r->ap1r0 = hv_read_sysreg(ich_ap1r0_el2);
	r->hcr = hv_read_sysreg(ich_hcr_el2);
}
