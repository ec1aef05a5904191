/*
 * hv/x86_boot.h - bringing an x86_64 image up from a PVH boot.
 *
 * An image links libhv-x86's head (hv_x86_head_lib, with image.ld) and
 * defines hv_image_main().  The head carries the XEN_ELFNOTE_PHYS32_ENTRY
 * note in a PT_NOTE segment, so a PVH loader (QEMU's -kernel, Xen's
 * toolstack) enters it in 32-bit protected mode with paging off and %ebx =
 * the physical address of a struct hvm_start_info.  It then switches to
 * long mode on its own page tables: an identity map of the first 4 GiB in
 * 2 MiB pages (write-back, except the top 32 MiB, where the local APIC and
 * I/O APIC live: uncached), with EFER.NXE on where the CPU has NX and
 * CR4.OSFXSR on, so that FXSAVE/FXRSTOR move SSE state.
 */
#ifndef HV_X86_BOOT_H
#define HV_X86_BOOT_H

#include <hv/types.h>

HV_BEGIN_DECLS

/*
 * Defined by the image: entered once, in 64-bit mode on the boot stack,
 * with interrupts off, .bss zeroed, a boot GDT (code 0x08, data 0x10) and
 * the identity map above.  `start_info` is the physical address of the
 * loader's struct hvm_start_info (<xen/arch-x86/hvm/start_info.h>).
 */
void hv_image_main(hv_paddr_t start_info);

/* The TSC at the image's first instructions: an image's own boot time is
 * the TSC now less this. */
extern uint64_t hv_x86_boot_tsc;

/* The first 4 GiB: what the boot identity map covers. */
#define HV_X86_BOOT_MAP_LIMIT (UINT64_C(4) << 30)

/* The `len` bytes at physical address `pa` through that identity map, or
 * NULL beyond it: the map function that the start info's reader
 * (hv/x86_pvh.h) and ACPI's (hv/x86_madt.h) take; ctx is unused. */
const void *hv_x86_boot_map(void *ctx, hv_paddr_t pa, size_t len);

/* The isa-debug-exit port QEMU is started with (-device
 * isa-debug-exit,iobase=0xf4,iosize=0x04). */
#define HV_X86_DEBUG_EXIT_PORT 0xf4

/* Leave QEMU through isa-debug-exit: its exit status is value * 2 + 1.
 * Without the device, halts the CPU for good. */
HV_NORETURN void hv_x86_debug_exit(uint8_t value);

/* The isa-debugcon port hvkit run --trace adds (-device
 * isa-debugcon,iobase=0x402,chardev=...): the trace records stream out
 * there, a byte per port write. */
#define HV_X86_TRACE_PORT 0x402

/* Whether an isa-debugcon answers at `port` (it reads back 0xe9; no
 * device reads 0xff); write len bytes to it (rep outsb). */
bool hv_x86_debugcon_present(uint16_t port);
void hv_x86_debugcon_write(uint16_t port, const void *buf, size_t len);

/* The PC's PCI configuration ports: mechanism #1's address and data
 * registers, and the reset control register (0xcf9) between them. */
#define HV_X86_PCI_CONF_PORT  0xcf8
#define HV_X86_PCI_CONF_PORTS 8

/*
 * Whether anything answers at the PCI configuration ports (QEMU's pc and
 * q35 do; microvm has nothing there): the address register keeps what is
 * written to it (the old value is put back), or a byte reads other than
 * 0xff.  A device that only takes writes is not seen.
 */
bool hv_x86_pci_conf_ports_used(void);

HV_END_DECLS

#endif /* HV_X86_BOOT_H */
