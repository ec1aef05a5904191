/*
 * Sample machines for the libhv-acpi tests, shaped like hvkit's guests:
 * an x86 PVH guest (APIC ID 2 * vCPU, as Xen gives HVM vCPUs; the
 * 4-vCPU one with an I/O APIC as Xen's HVM guests have) and an Arm guest
 * on Xen's guest memory map (GICv3 at 0x03001000, redistributors from
 * 0x03020000, vpl011 at 0x22000000 on SPI 32, the timers on PPIs 27 and
 * 30, level-triggered active low as Xen's guest device tree says).
 */
#ifndef ACPI_TEST_MACHINES_H
#define ACPI_TEST_MACHINES_H

#include <hv/acpi.h>

#include <string.h>

/* Room for the ids of the largest machine. */
struct sample {
	struct hv_acpi_machine m;
	uint64_t ids[HV_ACPI_MAX_VCPUS];
};

static inline void sample_x86(struct sample *s, unsigned int nr, bool ioapic)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < nr && i < HV_ACPI_MAX_VCPUS; i++)
		s->ids[i] = 2 * i;
	s->m.arch = HV_ACPI_ARCH_X86;
	s->m.nr_vcpus = nr;
	s->m.cpu_ids = s->ids;
	s->m.x86.lapic_base = 0xfee00000u;
	s->m.x86.has_ioapic = ioapic;
	s->m.x86.ioapic_id = 1;
	s->m.x86.ioapic_base = 0xfec00000u;
	s->m.x86.ioapic_gsi_base = 0;
}

static inline void sample_arm(struct sample *s, unsigned int nr)
{
	memset(s, 0, sizeof(*s));
	/* vCPU i has affinity i: Aff0 up to 15, as Xen fills clusters. */
	for (unsigned int i = 0; i < nr && i < HV_ACPI_MAX_VCPUS; i++)
		s->ids[i] = ((uint64_t)(i / 16) << 8) | (i % 16);
	s->m.arch = HV_ACPI_ARCH_ARM;
	s->m.nr_vcpus = nr;
	s->m.cpu_ids = s->ids;
	s->m.arm.gicd_base = 0x03001000u;
	s->m.arm.gicr_base = 0x03020000u;
	s->m.arm.gicr_size = 0x01000000u;
	s->m.arm.vtimer.gsiv = 27;
	s->m.arm.vtimer.flags = HV_ACPI_TIMER_ACTIVE_LOW;
	s->m.arm.ptimer.gsiv = 30;
	s->m.arm.ptimer.flags = HV_ACPI_TIMER_ACTIVE_LOW;
	s->m.uart.type = HV_ACPI_UART_SBSA;
	s->m.uart.base = 0x22000000u;
	s->m.uart.gsiv = 32;
}

#endif /* ACPI_TEST_MACHINES_H */
