/*
 * The test guests' side of the virtual GICv3 (guest.h): as a guest kernel
 * sets it up, at Xen's guest addresses.
 */
#include "guest.h"

#define GICD_CTLR	0x0000
#define GICD_ISENABLER	0x0100
#define GICR_WAKER	0x0014
#define GICR_ISENABLER0 0x0100
#define GICR_STRIDE	0x20000ul
#define SGI_FRAME	0x10000ul

#define CTLR_ARE_G1A_G1 0x13u /* as Linux writes it */
#define WAKER_ASLEEP	(1u << 2)

extern const char guest_vectors[];

volatile uint32_t *guest_reg(unsigned long addr)
{
	return (volatile uint32_t *)addr;
}

unsigned long guest_gicr(unsigned int vcpu)
{
	return GUEST_GICR + vcpu * GICR_STRIDE;
}

void guest_gic_init(void)
{
	*guest_reg(GUEST_GICD + GICD_CTLR) = CTLR_ARE_G1A_G1;
	CHECK_EQ(*guest_reg(GUEST_GICD + GICD_CTLR), CTLR_ARE_G1A_G1);
}

void guest_gic_spi_enable(unsigned int intid)
{
	*guest_reg(GUEST_GICD + GICD_ISENABLER + intid / 32 * 4) =
	    1u << intid % 32;
}

void guest_gic_cpu_init(unsigned int vcpu, uint32_t enable)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	*guest_reg(guest_gicr(vcpu) + GICR_WAKER) = 0;
	while (*guest_reg(guest_gicr(vcpu) + GICR_WAKER) & WAKER_ASLEEP)
		;
	*guest_reg(guest_gicr(vcpu) + SGI_FRAME + GICR_ISENABLER0) = enable;
	__asm__ __volatile__("msr icc_sre_el1, %0\n"
			     "msr icc_pmr_el1, %1\n"
			     "msr icc_igrpen1_el1, %2\n"
			     "isb\n"
			     "msr daifclr, #2" ::"r"(1ul),
			     "r"(0xfful), "r"(1ul)
			     : "memory");
}

unsigned int guest_gic_ack(void)
{
	uint64_t intid;

	__asm__ __volatile__("mrs %0, icc_iar1_el1" : "=r"(intid));
	return (unsigned int)intid;
}

void guest_gic_eoi(unsigned int intid)
{
	__asm__ __volatile__(
	    "msr icc_eoir1_el1, %0; isb" ::"r"((uint64_t)intid));
}

void guest_wait_for(volatile unsigned int *count, unsigned int n)
{
	while (*count < n)
		__asm__ __volatile__("wfi" ::: "memory");
}
