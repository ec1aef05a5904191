/*
 * hv/acpi.h - libhv-acpi, ACPI table builder shared by x86 and Arm: RSDP, XSDT,
 * FADT, MADT and DSDT for guests.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_ACPI_H
#define HV_ACPI_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_ACPI_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_ACPI_API_VERSION the library was built with. */
unsigned int hv_acpi_api_version(void);

HV_END_DECLS

#endif /* HV_ACPI_H */
