/*
 * hv/x86.h - libhv-x86, x86_64 with AMD SVM: the PVH entry and long mode
 * (x86_boot.h), the machine from hvm_start_info (x86_pvh.h), descriptor
 * tables and traps (x86_cpu.h), the COM1 console
 * (x86_uart.h), TSC and local APIC timer (x86_timer.h), IPIs
 * (x86_lapic.h), the CPUs of ACPI's MADT (x86_madt.h), starting the other
 * CPUs (x86_smp.h), the SVM run loop
 * (x86_svm.h) over the VMCB and its intercept maps (x86_vmcb.h), exit
 * decoding (x86_exit.h), the instruction emulator for MMIO accesses
 * (x86_emulate.h), guest page-table walks (x86_paging.h), the Xen CPUID
 * leaves, hypercall page and hypercall ABI (x86_xen.h), and nested page
 * tables for libhv-mm's P2M (x86_npt.h).
 *
 * What decides (decoders, walks, tables, conversions) is portable and
 * unit-tested on the host; what touches the CPU builds only for x86_64
 * images.  docs/x86.md describes the whole.
 */
#ifndef HV_X86_H
#define HV_X86_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable.
 * 2: x86_insn.h's MOV decoder gave way to the emulator of x86_emulate.h. */
#define HV_X86_API_VERSION 2

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_X86_API_VERSION the library was built with. */
unsigned int hv_x86_api_version(void);

HV_END_DECLS

#endif /* HV_X86_H */
