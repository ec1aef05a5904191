/*
 * The device tree a guest boots with, as Xen on Arm gives a domU: its
 * memory, one CPU node per vCPU, PSCI through HVC, the GICv3 and the
 * architected timer with their interrupts, the command line and ramdisk
 * in /chosen, a hypervisor node ("xen,xen") with Xen's grant-table region
 * and event interrupt, and the emulated UART as stdout.  Built with
 * libfdt's sequential writer; the addresses come from a struct
 * hv_hyp_arm_layout, so the same code is tested natively.
 */
#include <hv/arm_vgic.h>
#include <hv/hyp_arm.h>

#include <libfdt.h>

#define XEN_COMPAT_VERSION "xen,xen-4.14"
#define GIC_PHANDLE	   1

/* Interrupt specifiers of the GICv3 binding: type, number, flags.  PPIs
 * carry a CPU mask (bits 15:8) as Xen writes it, level-low as Xen gives
 * them; SPIs are level-high. */
#define DT_IRQ_SPI	  0
#define DT_IRQ_PPI	  1
#define DT_PPI_FLAGS	  0xf08
#define DT_SPI_FLAGS	  0x4
#define PPI_TIMER_PHYS_S  29 /* Xen's GUEST_TIMER_PHYS_S_PPI */
#define PPI_TIMER_PHYS_NS 30
#define PPI_TIMER_VIRT	  27
#define PPI_TIMER_HYP	  26
#define PPI_EVTCHN	  31 /* GUEST_EVTCHN_PPI */
#define SPI_VPL011	  32 /* GUEST_VPL011_SPI */

/* "interrupts" naming INTIDs intids[0..n): PPIs (16-31) or SPIs. */
static int interrupts(void *fdt, const unsigned int *intids, unsigned int n)
{
	fdt32_t cells[4 * 3];

	for (unsigned int i = 0; i < n; i++) {
		bool ppi = intids[i] < 32;

		cells[3 * i] = cpu_to_fdt32(ppi ? DT_IRQ_PPI : DT_IRQ_SPI);
		cells[3 * i + 1] = cpu_to_fdt32(intids[i] - (ppi ? 16 : 32));
		cells[3 * i + 2] =
		    cpu_to_fdt32(ppi ? DT_PPI_FLAGS : DT_SPI_FLAGS);
	}
	return fdt_property(fdt, "interrupts", cells, n * 3 * sizeof(*cells));
}

static int u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = {cpu_to_fdt64(a), cpu_to_fdt64(b)};

	return fdt_property(fdt, name, v, sizeof(v));
}

/* The emulated UART (vpl011.c), as Xen describes its vpl011. */
static int uart(void *fdt, const char *name,
		const struct hv_hyp_arm_layout *layout)
{
	int err = fdt_begin_node(fdt, name);

	err =
	    err ? err : fdt_property_string(fdt, "compatible", "arm,sbsa-uart");
	err = err ? err : u64_pair(fdt, "reg", layout->uart, layout->uart_size);
	err = err ? err : fdt_property_u32(fdt, "current-speed", 115200);
	err =
	    err ? err : interrupts(fdt, (const unsigned int[]){SPI_VPL011}, 1);
	return err ? err : fdt_end_node(fdt);
}

/* The virtual GICv3: the distributor, and one redistributor a vCPU. */
static int gic(void *fdt, const struct hv_hyp_arm_layout *layout,
	       unsigned int vcpus)
{
	char name[40];
	fdt64_t reg[4] = {
	    cpu_to_fdt64(layout->gicd), cpu_to_fdt64(HV_VGIC_DIST_SIZE),
	    cpu_to_fdt64(layout->gicr),
	    cpu_to_fdt64((uint64_t)vcpus * HV_VGIC_REDIST_STRIDE)};
	int err;

	hv_snprintf(name, sizeof(name), "interrupt-controller@%llx",
		    (unsigned long long)layout->gicd);
	err = fdt_begin_node(fdt, name);
	err = err ? err : fdt_property_string(fdt, "compatible", "arm,gic-v3");
	err = err ? err : fdt_property_u32(fdt, "#interrupt-cells", 3);
	err = err ? err : fdt_property_u32(fdt, "#address-cells", 0);
	err = err ? err : fdt_property(fdt, "interrupt-controller", NULL, 0);
	err = err ? err : fdt_property_u32(fdt, "#redistributor-regions", 1);
	err = err ? err : fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err ? err : fdt_property_u32(fdt, "phandle", GIC_PHANDLE);
	return err ? err : fdt_end_node(fdt);
}

/* The architected timer: its four PPIs, in the binding's order. */
static int timer(void *fdt)
{
	static const unsigned int ppis[] = {PPI_TIMER_PHYS_S, PPI_TIMER_PHYS_NS,
					    PPI_TIMER_VIRT, PPI_TIMER_HYP};
	int err = fdt_begin_node(fdt, "timer");

	err = err ? err
		  : fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	err = err ? err : interrupts(fdt, ppis, HV_ARRAY_SIZE(ppis));
	return err ? err : fdt_end_node(fdt);
}

static int chosen(void *fdt, const struct hv_boot_domain *cfg,
		  const char *uart_path, hv_gpaddr_t rd, uint64_t rd_size)
{
	int err = fdt_begin_node(fdt, "chosen");

	err = err ? err : fdt_property_string(fdt, "bootargs", cfg->cmdline);
	err = err ? err : fdt_property_string(fdt, "stdout-path", uart_path);
	if (!err && rd_size) {
		err = fdt_property_u64(fdt, "linux,initrd-start", rd);
		err = err ? err
			  : fdt_property_u64(fdt, "linux,initrd-end",
					     rd + rd_size);
	}
	return err ? err : fdt_end_node(fdt);
}

/* vCPU n: its MPIDR affinity, started through PSCI. */
static int cpu(void *fdt, unsigned int n)
{
	char name[16];
	int err;

	hv_snprintf(name, sizeof(name), "cpu@%u", n);
	err = fdt_begin_node(fdt, name);
	err = err ? err : fdt_property_string(fdt, "device_type", "cpu");
	err = err ? err : fdt_property_string(fdt, "compatible", "arm,armv8");
	err = err ? err
		  : fdt_property_u32(fdt, "reg", (uint32_t)hv_vgic_affinity(n));
	err = err ? err : fdt_property_string(fdt, "enable-method", "psci");
	return err ? err : fdt_end_node(fdt);
}

static int cpus(void *fdt, unsigned int nr)
{
	int err = fdt_begin_node(fdt, "cpus");

	err = err ? err : fdt_property_u32(fdt, "#address-cells", 1);
	err = err ? err : fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned int n = 0; n < nr && !err; n++)
		err = cpu(fdt, n);
	return err ? err : fdt_end_node(fdt);
}

static int psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err = fdt_begin_node(fdt, "psci");

	err =
	    err ? err : fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ? err : fdt_property_string(fdt, "method", "hvc");
	return err ? err : fdt_end_node(fdt);
}

static int memory(void *fdt, const struct hv_boot_domain *cfg)
{
	char name[32];
	int err;

	hv_snprintf(name, sizeof(name), "memory@%llx",
		    (unsigned long long)cfg->ram_base);
	err = fdt_begin_node(fdt, name);
	err = err ? err : fdt_property_string(fdt, "device_type", "memory");
	err = err ? err : u64_pair(fdt, "reg", cfg->ram_base, cfg->memory);
	return err ? err : fdt_end_node(fdt);
}

static int hypervisor(void *fdt, const struct hv_hyp_arm_layout *layout)
{
	static const char compat[] = XEN_COMPAT_VERSION "\0xen,xen";
	int err = fdt_begin_node(fdt, "hypervisor");

	err =
	    err ? err : fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ? err
		  : u64_pair(fdt, "reg", layout->gnttab, layout->gnttab_size);
	err =
	    err ? err : interrupts(fdt, (const unsigned int[]){PPI_EVTCHN}, 1);
	return err ? err : fdt_end_node(fdt);
}

int hv_hyp_arm_guest_fdt(void *buf, size_t size,
			 const struct hv_boot_domain *cfg,
			 const struct hv_hyp_arm_layout *layout,
			 hv_gpaddr_t ramdisk, uint64_t ramdisk_size)
{
	char uart_path[32]; /* "/sbsa-uart@ADDR"; the node's name is path + 1 */
	/* Property names not shared: sharing searches every name so far at
	 * each property (2,500 memcmp calls for a one-vCPU guest), a
	 * third of an AArch64 image's domain build under TCG, to save a
	 * few hundred bytes of the guest's tree. */
	int err = fdt_create_with_flags(buf, (int)size,
					FDT_CREATE_FLAG_NO_NAME_DEDUP);

	hv_snprintf(uart_path, sizeof(uart_path), "/sbsa-uart@%llx",
		    (unsigned long long)layout->uart);

	err = err ? err : fdt_finish_reservemap(buf);
	err = err ? err : fdt_begin_node(buf, "");
	err = err ? err : fdt_property_u32(buf, "#address-cells", 2);
	err = err ? err : fdt_property_u32(buf, "#size-cells", 2);
	err = err ? err : fdt_property_string(buf, "compatible", "xen,xenvm");
	err =
	    err ? err : fdt_property_u32(buf, "interrupt-parent", GIC_PHANDLE);
	err = err ? err : chosen(buf, cfg, uart_path, ramdisk, ramdisk_size);
	err = err ? err : cpus(buf, cfg->vcpus);
	err = err ? err : psci(buf);
	err = err ? err : gic(buf, layout, cfg->vcpus);
	err = err ? err : timer(buf);
	err = err ? err : memory(buf, cfg);
	err = err ? err : uart(buf, uart_path + 1, layout);
	err = err ? err : hypervisor(buf, layout);
	err = err ? err : fdt_end_node(buf);
	err = err ? err : fdt_finish(buf);
	return err ? -HV_ENOSPC : 0;
}
