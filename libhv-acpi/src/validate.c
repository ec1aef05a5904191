/*
 * What the builder refuses: a description that would make tables a guest
 * cannot trust (no CPUs, duplicate ids, an address of 0, interrupts that
 * are not what the table's field means).  Checked before anything is
 * written, so -HV_EINVAL leaves the caller's buffer untouched.
 */
#include "acpi_priv.h"

/* MPIDR bits a GICC entry may hold: Aff3 (39:32), Aff2..Aff0 (23:0). */
#define MPIDR_AFFINITY	 UINT64_C(0xff00ffffff)
#define X2APIC_BROADCAST UINT64_C(0xffffffff)
#define GIC_PPI_FIRST	 16u
#define GIC_SPI_FIRST	 32u
#define GIC_SPI_LAST	 1019u
#define TIMER_FLAGS                                                            \
	(HV_ACPI_TIMER_EDGE | HV_ACPI_TIMER_ACTIVE_LOW |                       \
	 HV_ACPI_TIMER_ALWAYS_ON)

static bool ids_distinct(const uint64_t *ids, unsigned int n)
{
	/* At most HV_ACPI_MAX_VCPUS ids: quadratic is fine. */
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++) {
			if (ids[i] == ids[j])
				return false;
		}
	}
	return true;
}

static bool is_ppi(uint32_t gsiv)
{
	return gsiv >= GIC_PPI_FIRST && gsiv < GIC_SPI_FIRST;
}

static int validate_x86(const struct hv_acpi_machine *m)
{
	const struct hv_acpi_x86 *x = &m->x86;

	for (unsigned int i = 0; i < m->nr_vcpus; i++) {
		if (m->cpu_ids[i] >= X2APIC_BROADCAST)
			return -HV_EINVAL;
	}
	if (!x->lapic_base || (x->has_ioapic && !x->ioapic_base))
		return -HV_EINVAL;
	/* The SPCR is built for Arm's MMIO UARTs only. */
	if (m->uart.type != HV_ACPI_UART_NONE)
		return -HV_EINVAL;
	return 0;
}

static int validate_uart(const struct hv_acpi_uart *u)
{
	switch (u->type) {
	case HV_ACPI_UART_NONE:
		return 0;
	case HV_ACPI_UART_PL011:
	case HV_ACPI_UART_SBSA:
		if (!u->base || u->gsiv < GIC_SPI_FIRST ||
		    u->gsiv > GIC_SPI_LAST)
			return -HV_EINVAL;
		return 0;
	}
	return -HV_EINVAL;
}

static int validate_arm(const struct hv_acpi_machine *m)
{
	const struct hv_acpi_arm *a = &m->arm;

	for (unsigned int i = 0; i < m->nr_vcpus; i++) {
		if (m->cpu_ids[i] & ~MPIDR_AFFINITY)
			return -HV_EINVAL;
	}
	if (!a->gicd_base || !a->gicr_base ||
	    a->gicr_size < (uint64_t)m->nr_vcpus * HV_ACPI_GICR_STRIDE)
		return -HV_EINVAL;
	if ((a->pmu_gsiv && !is_ppi(a->pmu_gsiv)) ||
	    (a->maint_gsiv && !is_ppi(a->maint_gsiv)))
		return -HV_EINVAL;
	if (!is_ppi(a->vtimer.gsiv) || !is_ppi(a->ptimer.gsiv) ||
	    (a->vtimer.flags | a->ptimer.flags) & ~TIMER_FLAGS)
		return -HV_EINVAL;
	return validate_uart(&m->uart);
}

int acpi_validate(const struct hv_acpi_machine *m)
{
	if (!m->nr_vcpus || m->nr_vcpus > HV_ACPI_MAX_VCPUS || !m->cpu_ids ||
	    !ids_distinct(m->cpu_ids, m->nr_vcpus))
		return -HV_EINVAL;
	switch (m->arch) {
	case HV_ACPI_ARCH_X86:
		return validate_x86(m);
	case HV_ACPI_ARCH_ARM:
		return validate_arm(m);
	}
	return -HV_EINVAL;
}
