/*
 * The Arm MADT entries (ACPI 6.4, 5.2.12.14, .15 and .17): a GICC per
 * vCPU, the GICv3 distributor (GICD) and the redistributor discovery
 * range (GICR).
 */
#include "acpi_priv.h"

#define GICC_TYPE	0x0b
#define GICC_LEN	80
#define GICC_UID	8
#define GICC_FLAGS	12
#define GICC_PERF_GSIV	20
#define GICC_MAINT_GSIV 56
#define GICC_MPIDR	68
#define GICC_ENABLED	1u
#define GICD_TYPE	0x0c
#define GICD_LEN	24
#define GICD_BASE	8
#define GICD_VERSION	20
#define GICD_GICV3	3
#define GICR_TYPE	0x0e
#define GICR_LEN	16
#define GICR_BASE	4
#define GICR_RANGE_LEN	12

/*
 * CPU Interface Number stays 0: the spec wants it only for a GICv3 with
 * GICv2 compatibility, which the virtual GIC does not have.  The GICR
 * Base Address stays 0 too: the GICR entry describes the redistributors.
 * Both interrupts are level-triggered (flag bits 1 and 2 clear), as PPIs
 * for the PMU and the maintenance interrupt are.
 */
static size_t gicc(uint8_t *e, unsigned int uid, uint64_t mpidr,
		   const struct hv_acpi_arm *arm)
{
	if (e) {
		acpi_put8(e, 0, GICC_TYPE);
		acpi_put8(e, 1, GICC_LEN);
		acpi_put32(e, GICC_UID, uid);
		acpi_put32(e, GICC_FLAGS, GICC_ENABLED);
		acpi_put32(e, GICC_PERF_GSIV, arm->pmu_gsiv);
		acpi_put32(e, GICC_MAINT_GSIV, arm->maint_gsiv);
		acpi_put64(e, GICC_MPIDR, mpidr);
	}
	return GICC_LEN;
}

static size_t gicd(uint8_t *e, const struct hv_acpi_arm *arm)
{
	if (e) {
		acpi_put8(e, 0, GICD_TYPE);
		acpi_put8(e, 1, GICD_LEN);
		acpi_put64(e, GICD_BASE, arm->gicd_base);
		acpi_put8(e, GICD_VERSION, GICD_GICV3);
	}
	return GICD_LEN;
}

static size_t gicr(uint8_t *e, const struct hv_acpi_arm *arm)
{
	if (e) {
		acpi_put8(e, 0, GICR_TYPE);
		acpi_put8(e, 1, GICR_LEN);
		acpi_put64(e, GICR_BASE, arm->gicr_base);
		acpi_put32(e, GICR_RANGE_LEN, arm->gicr_size);
	}
	return GICR_LEN;
}

size_t acpi_madt_arm_entries(uint8_t *p, const struct hv_acpi_machine *m)
{
	size_t len = 0;

	for (unsigned int i = 0; i < m->nr_vcpus; i++)
		len += gicc(p ? p + len : NULL, i, m->cpu_ids[i], &m->arm);
	len += gicd(p ? p + len : NULL, &m->arm);
	len += gicr(p ? p + len : NULL, &m->arm);
	return len;
}
