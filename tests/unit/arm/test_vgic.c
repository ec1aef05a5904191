/*
 * The virtual GICv3's model (libhv-arm's vgic): every register's reset
 * value as a guest reads it, the accesses it refuses, the pending/active
 * state machine of edge and level interrupts through the list registers,
 * the order list registers are filled in, SGI routing by affinity, SPI
 * routing by IROUTER, and the redistributor's sleep handshake.
 */
#include <hv/arm_vgic.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define NR_SPIS	 64
#define MAX_VCPU 18 /* vCPUs 16 and 17 have Aff1 = 1 */

#define LR_STATE(lr) ((lr) >> 62)
#define LR_PENDING   1u
#define LR_ACTIVE    2u
#define LR_HW	     (1ull << 61)
#define LR_EOI	     (1ull << 41)

/* GICD_CTLR, as Linux writes it: ARE_NS, EnableGrp1A, EnableGrp1. */
#define CTLR_LINUX 0x13u

static struct hv_vgic g;
static struct hv_vgic_vcpu vcpus[MAX_VCPU];
static struct hv_vgic_irq spis[NR_SPIS];

static void gic(unsigned int nr_vcpus)
{
	assert_int_equal(hv_vgic_init(&g, vcpus, nr_vcpus, spis, NR_SPIS), 0);
}

static int access(bool dist, unsigned int vcpu, uint64_t off, unsigned int size,
		  bool write, uint64_t *val, uint64_t *kick)
{
	struct hv_vgic_access a = {off, size, write, write ? *val : 0, vcpu};
	uint64_t k;
	int err = dist ? hv_vgic_dist_access(&g, &a, &k)
		       : hv_vgic_redist_access(&g, &a, &k);

	if (!write)
		*val = a.val;
	if (kick)
		*kick = k;
	return err;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(access(true, 0, off, size, false, &v, NULL), 0);
	return v;
}

static uint64_t wr(uint64_t off, unsigned int size, uint64_t v)
{
	uint64_t kick;

	assert_int_equal(access(true, 0, off, size, true, &v, &kick), 0);
	return kick;
}

static uint64_t rrd(unsigned int vcpu, uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(access(false, 0, vcpu * HV_VGIC_REDIST_STRIDE + off,
				size, false, &v, NULL),
			 0);
	return v;
}

static uint64_t rwr(unsigned int vcpu, uint64_t off, uint64_t v)
{
	uint64_t kick;

	assert_int_equal(access(false, vcpu, vcpu * HV_VGIC_REDIST_STRIDE + off,
				4, true, &v, &kick),
			 0);
	return kick;
}

#define SGI_FRAME 0x10000

static void reset_values(void **state)
{
	(void)state;
	gic(2);
	/* Distributor: affinity routing on, 96 INTIDs, 10 ID bits, no
	 * 1-of-N, GICv3. */
	assert_int_equal(rd(0x0000, 4), 0x10);
	assert_int_equal(rd(0x0004, 4), 2u | 9u << 19 | 1u << 25);
	assert_int_equal(rd(0x0008, 4), 0);
	assert_int_equal(rd(0xffe8, 4), 0x3b);
	for (unsigned int r = 0; r < 32; r++) {
		/* Group 1 where there are interrupts (SPIs: registers 1, 2),
		 * nothing enabled, pending or active. */
		assert_int_equal(rd(0x0080 + 4 * r, 4),
				 r == 1 || r == 2 ? 0xffffffffu : 0);
		for (unsigned int base = 0x100; base < 0x400; base += 0x80)
			assert_int_equal(rd(base + 4 * r, 4), 0);
	}
	for (unsigned int off = 0x400; off < 0x800; off += 4)
		assert_int_equal(rd(off, 4), 0); /* priority 0 */
	for (unsigned int off = 0xc00; off < 0xd00; off += 4)
		assert_int_equal(rd(off, 4), 0); /* SPIs level */
	for (unsigned int intid = 32; intid < 96; intid++)
		assert_int_equal(rd(0x6000 + 8 * intid, 8), 0);
	/* Redistributors: affinity, number, the last one says so; asleep;
	 * SGIs edge, PPIs level. */
	assert_int_equal(rrd(0, 0x0008, 8), 0);
	assert_int_equal(rrd(1, 0x0008, 8), 1ull << 32 | 1u << 8 | 1u << 4);
	assert_int_equal(rrd(1, 0x000c, 4), 1);
	assert_int_equal(rrd(0, 0x0014, 4), 6);
	assert_int_equal(rrd(0, 0xffe8, 4), 0x3b);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0080, 4), 0xffffffffu);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0100, 4), 0);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0200, 4), 0);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0300, 4), 0);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0c00, 4), 0xaaaaaaaau);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0c04, 4), 0);
	for (unsigned int off = 0x400; off < 0x420; off += 4)
		assert_int_equal(rrd(1, SGI_FRAME + off, 4), 0);
}

static void refused_accesses(void **state)
{
	uint64_t v = 0;

	(void)state;
	gic(2);
	/* Misaligned, odd sizes, bytes where words are needed. */
	assert_int_equal(access(true, 0, 0x0102, 4, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(access(true, 0, 0x0100, 3, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(access(true, 0, 0x0104, 1, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(access(true, 0, 0x0000, 8, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(access(true, 0, 0x6100, 2, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(access(true, 0, 0x10000, 4, false, &v, NULL),
			 -HV_EINVAL);
	assert_int_equal(
	    access(false, 0, 2 * HV_VGIC_REDIST_STRIDE, 4, false, &v, NULL),
	    -HV_EINVAL);
	/* Bytes of priorities, halves of IROUTER: fine. */
	v = 0xff;
	assert_int_equal(access(true, 0, 0x0421, 1, true, &v, NULL), 0);
	assert_int_equal(rd(0x0420, 4), 0xf800u); /* 5 bits kept */
	v = 1;
	assert_int_equal(access(true, 0, 0x6000 + 8 * 40, 4, true, &v, NULL),
			 0);
	assert_int_equal(rd(0x6000 + 8 * 40, 8), 1);
	/* Beyond the SPIs and in reserved space: zero, writes lost. */
	wr(0x0100 + 4 * 5, 4, 0xffffffffu);
	assert_int_equal(rd(0x0100 + 4 * 5, 4), 0);
	wr(0x6000 + 8 * 200, 8, 1);
	assert_int_equal(rd(0x6000 + 8 * 200, 8), 0);
	wr(0x0040, 4, 0xffffffffu);
	assert_int_equal(rd(0x0040, 4), 0);
	/* SGIs stay edge-triggered. */
	rwr(0, SGI_FRAME + 0x0c00, 0);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0c00, 4), 0xaaaaaaaau);
}

/* The list registers of vCPU 0 that hold something. */
static unsigned int used(const uint64_t *lr, unsigned int n)
{
	unsigned int u = 0;

	for (unsigned int i = 0; i < n; i++)
		u += lr[i] != 0;
	return u;
}

static void level_interrupt_through_its_life(void **state)
{
	uint64_t lr[4] = {0};
	const unsigned int spi = 40, bit = 1u << (spi % 32);

	(void)state;
	gic(2);
	/* The line goes high while disabled: pending, nobody to take it. */
	assert_int_equal(hv_vgic_raise(&g, 0, spi), -1);
	assert_int_equal(rd(0x0204, 4), bit);
	assert_false(hv_vgic_vcpu_pending(&g, 0));
	/* Enabled, but the distributor is off: still no. */
	assert_int_equal(wr(0x0104, 4, bit), 0);
	assert_false(hv_vgic_vcpu_pending(&g, 0));
	/* The distributor on: vCPU 0 (IROUTER 0) has it to take. */
	assert_int_equal(wr(0x0000, 4, CTLR_LINUX), 1);
	assert_int_equal(rd(0x0000, 4), CTLR_LINUX);
	assert_true(hv_vgic_vcpu_pending(&g, 0));
	assert_false(hv_vgic_vcpu_pending(&g, 1));
	/* Into a list register, pending, with an EOI maintenance request. */
	assert_false(hv_vgic_flush_lrs(&g, 0, lr, 4));
	assert_int_equal(used(lr, 4), 1);
	assert_int_equal((unsigned int)lr[0], spi);
	assert_int_equal(LR_STATE(lr[0]), LR_PENDING);
	assert_true(lr[0] & LR_EOI);
	/* The guest acknowledges it; the line is still high: active and
	 * pending again. */
	lr[0] = (lr[0] & ~(3ull << 62)) | (uint64_t)LR_ACTIVE << 62;
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_int_equal(rd(0x0304, 4), bit);
	assert_int_equal(rd(0x0204, 4), bit);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(LR_STATE(lr[0]), LR_PENDING | LR_ACTIVE);
	/* The device lets go; the guest ends it: gone from everywhere. */
	hv_vgic_lower(&g, 0, spi);
	lr[0] &= ~(3ull << 62);
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_int_equal(lr[0], 0);
	assert_int_equal(rd(0x0204, 4), 0);
	assert_int_equal(rd(0x0304, 4), 0);
	assert_false(hv_vgic_vcpu_pending(&g, 0));
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(used(lr, 4), 0);
}

static void edge_interrupt_fired_while_in_a_list_register(void **state)
{
	uint64_t lr[4] = {0};
	const unsigned int spi = 33, bit = 1u << (spi % 32);

	(void)state;
	gic(1);
	wr(0x0000, 4, CTLR_LINUX);
	wr(0x0c08, 4, 2u << 2); /* INTID 33 edge-triggered */
	wr(0x0104, 4, bit);
	assert_int_equal(hv_vgic_raise(&g, 0, spi), 0);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_false(lr[0] & LR_EOI); /* an edge needs no EOI exit */
	/* It fires again while the guest has it: acknowledged, then
	 * pending again at the sync; the guest ends it and takes it anew. */
	assert_int_equal(hv_vgic_raise(&g, 0, spi), 0);
	lr[0] = (lr[0] & ~(3ull << 62)) | (uint64_t)LR_ACTIVE << 62;
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_int_equal(rd(0x0204, 4), bit);
	assert_int_equal(rd(0x0304, 4), bit);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(LR_STATE(lr[0]), LR_PENDING | LR_ACTIVE);
	lr[0] &= ~((uint64_t)LR_ACTIVE << 62); /* ended, still pending */
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_int_equal(rd(0x0304, 4), 0);
	assert_true(hv_vgic_vcpu_pending(&g, 0));
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(LR_STATE(lr[0]), LR_PENDING);
	/* The guest clears it (ICPENDR) before taking it: taken out. */
	wr(0x0284, 4, bit);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(used(lr, 4), 0);
	/* Made pending by the guest (ISPENDR): back, and a kick. */
	assert_int_equal(wr(0x0204, 4, bit), 1);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal((unsigned int)lr[0], spi);
	/* Disabled while pending in a list register: taken out too. */
	wr(0x0184, 4, bit);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(used(lr, 4), 0);
}

/* Xen's event upcall: level-sensitive as the guest configures it, but no
 * line stays high: pending until taken, once. */
static void set_pending_is_taken_once(void **state)
{
	uint64_t lr[4] = {0};

	(void)state;
	gic(1);
	wr(0x0000, 4, CTLR_LINUX);
	rwr(0, SGI_FRAME + 0x100, 1u << 31);
	assert_int_equal(rrd(0, SGI_FRAME + 0x0c04, 4) >> 30 & 2,
			 0); /* level */
	assert_int_equal(hv_vgic_set_pending(&g, 0, 31), 0);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal((unsigned int)lr[0], 31);
	lr[0] &= ~(3ull << 62); /* acknowledged and ended */
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_false(hv_vgic_vcpu_pending(&g, 0));
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal(used(lr, 4), 0);
}

static void highest_priority_first(void **state)
{
	/* INTID: priority.  Two share 0x40: the lower INTID goes first. */
	static const struct {
		unsigned int intid, prio;
	} irqs[] = {{34, 0xa0}, {35, 0x40}, {36, 0xf8},
		    {37, 0x08}, {38, 0x40}, {39, 0x80}};
	uint64_t lr[4] = {0};

	(void)state;
	gic(1);
	wr(0x0000, 4, CTLR_LINUX);
	for (unsigned int i = 0; i < 6; i++) {
		uint64_t v = irqs[i].prio;

		assert_int_equal(
		    access(true, 0, 0x400 + irqs[i].intid, 1, true, &v, NULL),
		    0);
		wr(0x0104, 4, 1u << (irqs[i].intid % 32));
		hv_vgic_raise(&g, 0, irqs[i].intid);
	}
	/* Four list registers for six: the four best, and "come back". */
	assert_true(hv_vgic_flush_lrs(&g, 0, lr, 4));
	assert_int_equal((unsigned int)lr[0], 37);
	assert_int_equal((unsigned int)lr[1], 35);
	assert_int_equal((unsigned int)lr[2], 38);
	assert_int_equal((unsigned int)lr[3], 39);
	assert_int_equal((lr[0] >> 48) & 0xff, 0x08);
	/* The guest ends two (35 and 39): their places go to 34, then 36. */
	hv_vgic_lower(&g, 0, 35);
	hv_vgic_lower(&g, 0, 39);
	lr[1] &= ~(3ull << 62);
	lr[3] &= ~(3ull << 62);
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	assert_false(hv_vgic_flush_lrs(&g, 0, lr, 4));
	assert_int_equal((unsigned int)lr[0], 37);
	assert_int_equal((unsigned int)lr[1], 34);
	assert_int_equal((unsigned int)lr[2], 38);
	assert_int_equal((unsigned int)lr[3], 36);
}

/* ICC_SGI1R_EL1 naming SGI `intid` for Aff1 `aff1` and a target list. */
static uint64_t sgi1r(unsigned int intid, unsigned int aff1,
		      unsigned int targets)
{
	return (uint64_t)intid << 24 | (uint64_t)aff1 << 16 | targets;
}

static void sgis_by_affinity(void **state)
{
	(void)state;
	gic(MAX_VCPU);
	wr(0x0000, 4, CTLR_LINUX);
	for (unsigned int v = 0; v < MAX_VCPU; v++)
		rwr(v, SGI_FRAME + 0x100, 1u << 3); /* SGI 3 on everywhere */
	rwr(2, SGI_FRAME + 0x180, 1u << 3);	    /* but on vCPU 2 */
	assert_int_equal(hv_vgic_affinity(17), 1u << 8 | 1u);
	/* Aff1 0, targets 1 and 2: both pending, only 1 can take it. */
	assert_int_equal(hv_vgic_sgi(&g, 0, sgi1r(3, 0, 0x6)), 1u << 1);
	assert_int_equal(rrd(2, SGI_FRAME + 0x200, 4), 1u << 3);
	/* Aff1 1, target 1: vCPU 17, not vCPU 1. */
	assert_int_equal(hv_vgic_sgi(&g, 0, sgi1r(3, 1, 0x2)), 1ull << 17);
	/* Range selector 1 names Aff0 16-31: nobody here. */
	assert_int_equal(hv_vgic_sgi(&g, 0, sgi1r(3, 0, 0x1) | 1ull << 44), 0);
	/* Aff2 set: nobody. */
	assert_int_equal(hv_vgic_sgi(&g, 0, sgi1r(3, 0, 0x1) | 1ull << 32), 0);
	/* IRM: everyone but the sender (and vCPU 2, disabled). */
	assert_int_equal(hv_vgic_sgi(&g, 5, sgi1r(3, 0, 0) | 1ull << 40),
			 ((1ull << MAX_VCPU) - 1) & ~(1ull << 5) &
			     ~(1ull << 2));
	assert_int_equal(rrd(5, SGI_FRAME + 0x200, 4), 0);
}

static void spis_by_irouter(void **state)
{
	const unsigned int spi = 50, bit = 1u << (spi % 32);

	(void)state;
	gic(MAX_VCPU);
	wr(0x0000, 4, CTLR_LINUX);
	wr(0x0104, 4, bit);
	/* Routed to vCPU 17 (Aff1 1, Aff0 1); the 1-of-N bit is ignored. */
	assert_int_equal(wr(0x6000 + 8 * spi, 8, 1ull << 31 | 0x101), 0);
	assert_int_equal(rd(0x6000 + 8 * spi, 8), 0x101);
	assert_int_equal(hv_vgic_raise(&g, 0, spi), 17);
	assert_true(hv_vgic_vcpu_pending(&g, 17));
	assert_false(hv_vgic_vcpu_pending(&g, 0));
	/* Moved while pending: the new vCPU is kicked. */
	assert_int_equal(wr(0x6000 + 8 * spi, 8, 2), 1u << 2);
	assert_true(hv_vgic_vcpu_pending(&g, 2));
	assert_false(hv_vgic_vcpu_pending(&g, 17));
	/* An affinity no vCPU has: nobody takes it. */
	wr(0x6000 + 8 * spi, 8, 0x3f);
	assert_int_equal(hv_vgic_raise(&g, 0, spi), -1);
	for (unsigned int v = 0; v < MAX_VCPU; v++)
		assert_false(hv_vgic_vcpu_pending(&g, v));
}

static void redistributor_wakes(void **state)
{
	(void)state;
	gic(2);
	assert_int_equal(rrd(1, 0x0014, 4), 6);
	rwr(1, 0x0014, 0);
	assert_int_equal(rrd(1, 0x0014, 4), 0);
	assert_int_equal(rrd(0, 0x0014, 4), 6); /* each its own */
	rwr(1, 0x0014, 2);
	assert_int_equal(rrd(1, 0x0014, 4), 6);
}

static void hardware_linked_timer(void **state)
{
	uint64_t lr[4] = {0};

	(void)state;
	gic(1);
	wr(0x0000, 4, CTLR_LINUX);
	rwr(0, SGI_FRAME + 0x100, 1u << 27);
	hv_vgic_set_hw(&g, 0, 27, true);
	assert_int_equal(hv_vgic_raise(&g, 0, 27), 0);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_true(lr[0] & LR_HW);
	assert_int_equal((lr[0] >> 32) & 0x3ff, 27);
	assert_false(lr[0] & LR_EOI); /* the physical one ends with it */
	/* The vCPU leaves the pCPU before the guest ends it: the caller
	 * unlinks it (the physical one ended there), and it stays so. */
	lr[0] &= ~(LR_HW | 0x3ffull << 32);
	hv_vgic_sync_lrs(&g, 0, lr, 4);
	hv_vgic_flush_lrs(&g, 0, lr, 4);
	assert_int_equal((unsigned int)lr[0], 27);
	assert_false(lr[0] & LR_HW);
	assert_int_equal(LR_STATE(lr[0]), LR_PENDING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reset_values),
	    cmocka_unit_test(refused_accesses),
	    cmocka_unit_test(level_interrupt_through_its_life),
	    cmocka_unit_test(edge_interrupt_fired_while_in_a_list_register),
	    cmocka_unit_test(set_pending_is_taken_once),
	    cmocka_unit_test(highest_priority_first),
	    cmocka_unit_test(sgis_by_affinity),
	    cmocka_unit_test(spis_by_irouter),
	    cmocka_unit_test(redistributor_wakes),
	    cmocka_unit_test(hardware_linked_timer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
