/*
 * What an x86 guest sees of the machine, as on Xen: the hypervisor CPUID
 * leaves and the processor leaves it is shown, the hypercall page, MSRs
 * (the hypercall-page MSR's rules; EFER, PAT and the TSC; AMD's C1E and
 * NB_CFG read as 0; #GP for every MSR not implemented, the host's SVM
 * MSRs among them), the local APIC (CPUID, base MSR, a few registers),
 * SVM instructions
 * (#UD), port I/O (all ones, writes dropped, the hypervisor's own devices
 * out of reach), the HVM debug port 0xe9, and (64-bit) a hypercall from
 * user mode.  Built 64-bit and 32-bit.
 */
#include "guest.h"

#include <xen/arch-x86/cpuid.h>
#include <xen/errno.h>
#include <xen/version.h>

#define MSR_APIC_BASE	0x0000001bu
#define MSR_DEBUGCTL	0x000001d9u
#define MSR_TSC		0x00000010u
#define MSR_PAT		0x00000277u
#define MSR_EFER	0xc0000080u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_K8_C1E	0xc0010055u
#define MSR_AMD_NB_CFG	0xc001001fu
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#define EFER_SVME	(1u << 12)
#define VEC_UD		6
#define VEC_GP		13
#define RDMSR_LEN	2
#define VMRUN_LEN	3
#define UNMAPPED	0x20000000ul

static void cpuid_leaves(void)
{
	uint32_t r[4];
	long version = guest_hypercall(__HYPERVISOR_xen_version, XENVER_version,
				       0, 0, 0, 0);

	guest_cpuid(XEN_CPUID_LEAF(0), 0, r);
	CHECK_EQ(r[0], XEN_CPUID_LEAF(5));
	CHECK_EQ(r[1], XEN_CPUID_SIGNATURE_EBX);
	CHECK_EQ(r[2], XEN_CPUID_SIGNATURE_ECX);
	CHECK_EQ(r[3], XEN_CPUID_SIGNATURE_EDX);
	guest_cpuid(XEN_CPUID_LEAF(1), 0, r);
	CHECK_EQ(r[0], version);
	guest_cpuid(XEN_CPUID_LEAF(2), 0, r);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0x40000000u);
	guest_cpuid(XEN_CPUID_LEAF(3), 0, r);
	CHECK(r[2] > 100000); /* TSC kHz: over 100 MHz */
	guest_cpuid(XEN_CPUID_LEAF(4), 0, r);
	CHECK_EQ(r[0], XEN_HVM_CPUID_VCPU_ID_PRESENT |
			   XEN_HVM_CPUID_DOMID_PRESENT |
			   XEN_HVM_CPUID_UPCALL_VECTOR);
	CHECK_EQ(r[1], 0); /* vCPU 0 */
	/* Domain 0 is the first domain, the initial one (SIF_INITDOMAIN,
	 * with SIF_PRIVILEGED as Xen's PVH dom0 has it); the others not. */
	CHECK_EQ(r[2] == 0, !!(guest_start_info->flags & SIF_INITDOMAIN));
	CHECK_EQ(r[2] == 0, !!(guest_start_info->flags & SIF_PRIVILEGED));
	CHECK_EQ(guest_start_info->magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_EQ(guest_start_info->version, 1);
	guest_cpuid(XEN_CPUID_LEAF(6), 0, r);
	CHECK_EQ(r[0] | r[1] | r[2] | r[3], 0);
	/* The processor: a hypervisor is present, and no SVM or VMX. */
	guest_cpuid(1, 0, r);
	CHECK(r[2] & (1u << 31));
	CHECK(!(r[2] & (1u << 5)));
	guest_cpuid(0x80000001u, 0, r);
	CHECK(!(r[2] & (1u << 2)));
}

static void hypercall_page(void)
{
	static const uint8_t stub1[] = {0xb8, 1,    0,	  0,   0,
					0x0f, 0x01, 0xd9, 0xc3};
	const uint8_t *p = guest_hypercall_page;

	for (unsigned int i = 0; i < sizeof(stub1); i++)
		CHECK_EQ(p[32 + i], stub1[i]);
	CHECK_EQ(p[32 + sizeof(stub1)], 0xcc);
	CHECK_EQ(p[31], 0xcc);
	CHECK_EQ(p[23 * 32], 0x0f); /* __HYPERVISOR_iret: ud2 */
	CHECK_EQ(p[23 * 32 + 1], 0x0b);
	CHECK_EQ(p[127 * 32 + 1], 127);
}

/* An MSR access that must raise #GP(0). */
static void expect_gp_read(uint32_t msr)
{
	unsigned int faults = guest_faults;

	guest_expect_fault(RDMSR_LEN);
	guest_rdmsr(msr);
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, VEC_GP);
	CHECK_EQ(guest_fault_error, 0);
}

static void expect_gp_write(uint32_t msr, uint64_t val)
{
	unsigned int faults = guest_faults;

	guest_expect_fault(RDMSR_LEN);
	guest_wrmsr(msr, val);
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, VEC_GP);
}

static void msrs(void)
{
	uintptr_t page = (uintptr_t)guest_hypercall_page;
	uint64_t efer = guest_rdmsr(MSR_EFER);
	uint64_t tsc = guest_rdmsr(MSR_TSC);

	CHECK_EQ(guest_rdmsr(0x40000000u), 0);
	expect_gp_write(0x40000000u, page | 1); /* not a page boundary */
	expect_gp_write(0x40000000u, UNMAPPED); /* not our RAM */
	expect_gp_write(0x40000001u, page);	/* not an MSR of Xen's */
	guest_wrmsr(0x40000000u, page);		/* again: fine */
	expect_gp_read(MSR_VM_HSAVE_PA);	/* the host's SVM */
	expect_gp_write(MSR_VM_HSAVE_PA, 0);
	CHECK(guest_rdmsr(MSR_TSC) > tsc);
	CHECK(guest_ticks() > tsc);
	/* A write moves the guest's TSC, RDTSC's too. */
	guest_wrmsr(MSR_TSC, 1ull << 50);
	CHECK(guest_ticks() >= 1ull << 50);
	CHECK(guest_rdmsr(MSR_TSC) >= 1ull << 50);
	CHECK(!(efer & EFER_SVME));
	CHECK_EQ(!!(efer & EFER_LMA), sizeof(long) == 8);
	CHECK_EQ(guest_rdmsr(MSR_PAT), 0x0007040600070406ull);
	guest_wrmsr(MSR_PAT, 0x0606060606060606ull);
	CHECK_EQ(guest_rdmsr(MSR_PAT), 0x0606060606060606ull);
	expect_gp_write(MSR_PAT, 0x0202020202020202ull); /* a reserved type */
	expect_gp_write(MSR_EFER, efer | EFER_SVME);
	/* As Xen: 0, whatever the CPU (Linux reads C1E on CPUs with AMD
	 * erratum 400); an NB_CFG write is ignored, a C1E one is #GP. */
	CHECK_EQ(guest_rdmsr(MSR_K8_C1E), 0);
	CHECK_EQ(guest_rdmsr(MSR_AMD_NB_CFG), 0);
	guest_wrmsr(MSR_AMD_NB_CFG, 1ull << 46);
	CHECK_EQ(guest_rdmsr(MSR_AMD_NB_CFG), 0);
	expect_gp_write(MSR_K8_C1E, 0);
	/* DEBUGCTL: LBR and BTF kept, as Xen's SVM code keeps them. */
	CHECK_EQ(guest_rdmsr(MSR_DEBUGCTL), 0);
	guest_wrmsr(MSR_DEBUGCTL, 0x2);
	CHECK_EQ(guest_rdmsr(MSR_DEBUGCTL), 0x2);
	expect_gp_write(MSR_DEBUGCTL, 0x4);
	CHECK_EQ(guest_rdmsr(MSR_DEBUGCTL), 0x2);
	guest_wrmsr(MSR_DEBUGCTL, 0);
}

#define APIC_BASE_BSP	 0x100u
#define APIC_BASE_EXTD	 0x400u
#define APIC_BASE_ENABLE 0x800u
#define APIC_BASE	 0xfee00000u
#define LAPIC		 ((volatile uint32_t *)0xfee00000ul)

/* Through MOV alone: hvkit emulates only the MOV family on the page (a
 * compiler may otherwise PUSH straight from it). */
static uint32_t apic_read(unsigned int reg)
{
	uint32_t v;

	__asm__ __volatile__("movl (%1), %0" : "=r"(v) : "r"(LAPIC + reg / 4));
	return v;
}

static void apic_write(unsigned int reg, uint32_t v)
{
	__asm__ __volatile__("movl %0, (%1)" ::"r"(v), "r"(LAPIC + reg / 4)
			     : "memory");
}

/* The local APIC every vCPU has, as on Xen: CPUID says so (x2APIC
 * too), the base MSR gives its page, enabled, on the boot vCPU; the page
 * answers as an xAPIC, and reads as unbacked memory while disabled. */
static void local_apic(void)
{
	uint32_t r[4];

	guest_cpuid(1, 0, r);
	CHECK(r[3] & (1u << 9));
	CHECK(r[2] & (1u << 21));
	CHECK_EQ(r[1] >> 24, 0); /* vCPU 0's APIC ID */
	CHECK_EQ(guest_rdmsr(MSR_APIC_BASE),
		 APIC_BASE | APIC_BASE_ENABLE | APIC_BASE_BSP);
	expect_gp_write(MSR_APIC_BASE, 0xfec00000u | APIC_BASE_ENABLE);
	/* x2APIC mode needs the enable bit */
	expect_gp_write(MSR_APIC_BASE, APIC_BASE | APIC_BASE_EXTD);
	CHECK_EQ(apic_read(0x20), 0);	    /* ID */
	CHECK_EQ(apic_read(0x30), 0x50014); /* version */
	CHECK_EQ(apic_read(0xf0), 0xff);    /* SVR: software-disabled */
	apic_write(0x80, 0x20);
	CHECK_EQ(apic_read(0x80), 0x20); /* TPR */
	CHECK_EQ(apic_read(0xa0), 0x20); /* PPR */
	apic_write(0x80, 0);
	guest_wrmsr(MSR_APIC_BASE, APIC_BASE | APIC_BASE_BSP);
	CHECK_EQ(apic_read(0x30), 0xffffffffu);
	/* not from disabled straight to x2APIC mode */
	expect_gp_write(MSR_APIC_BASE,
			APIC_BASE | APIC_BASE_ENABLE | APIC_BASE_EXTD);
	guest_wrmsr(MSR_APIC_BASE, APIC_BASE | APIC_BASE_ENABLE);
	CHECK_EQ(apic_read(0x30), 0x50014);
}

/* x2APIC registers (MSR 0x800 + offset / 16). */
#define X2APIC_ID	 0x802u
#define X2APIC_VERSION	 0x803u
#define X2APIC_TPR	 0x808u
#define X2APIC_PPR	 0x80au
#define X2APIC_EOI	 0x80bu
#define X2APIC_LDR	 0x80du
#define X2APIC_DFR	 0x80eu
#define X2APIC_SVR	 0x80fu
#define X2APIC_ICR	 0x830u
#define X2APIC_ICR_HIGH	 0x831u
#define X2APIC_LVT_TIMER 0x832u
#define X2APIC_INITIAL	 0x838u
#define X2APIC_CURRENT	 0x839u
#define X2APIC_DIVIDE	 0x83eu
#define X2APIC_SELF_IPI	 0x83fu

#if defined(__x86_64__)
static volatile unsigned int apic_irqs, apic_vector;

static void apic_irq(unsigned int vector)
{
	apic_irqs++;
	apic_vector = vector;
	guest_wrmsr(X2APIC_EOI, 0);
}

/* Interrupts through x2APIC registers alone: a SELF IPI, an IPI to
 * itself by the ICR (its 32-bit destination) and the timer. */
static void x2apic_interrupts(void)
{
	guest_irq_handler = apic_irq;
	guest_wrmsr(X2APIC_SVR, 0x1ff); /* software-enabled */
	__asm__ __volatile__("sti");
	guest_wrmsr(X2APIC_SELF_IPI, 0x41);
	CHECK_EQ(apic_irqs, 1);
	CHECK_EQ(apic_vector, 0x41);
	guest_wrmsr(X2APIC_ICR, 0x42); /* fixed, physical, to ID 0 */
	CHECK_EQ(apic_irqs, 2);
	CHECK_EQ(apic_vector, 0x42);
	guest_wrmsr(X2APIC_ICR, 1ull << 32 | 0x43); /* to ID 1: nobody */
	CHECK_EQ(apic_irqs, 2);
	guest_wrmsr(X2APIC_DIVIDE, 0xb); /* by 1 */
	guest_wrmsr(X2APIC_LVT_TIMER, 0x44);
	guest_wrmsr(X2APIC_INITIAL, 100000); /* 100 us */
	/* Checked with interrupts off, then "sti; hlt" (no interrupt
	 * between the two): the timer's must not come between the check
	 * and the halt, after which nothing would wake the vCPU. */
	__asm__ __volatile__("cli");
	while (apic_irqs < 3)
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	CHECK_EQ(apic_vector, 0x44);
	CHECK_EQ(guest_rdmsr(X2APIC_CURRENT), 0);
	guest_wrmsr(X2APIC_SVR, 0xff);
	guest_irq_handler = NULL;
}
#endif

/* x2APIC mode, which Linux takes when CPUID offers it: the same APIC as
 * MSRs, refusing (#GP) what a CPU refuses; the page decodes nothing; the
 * way back to xAPIC mode is through disabled. */
static void x2apic(void)
{
	expect_gp_read(X2APIC_VERSION); /* not in xAPIC mode */
	guest_wrmsr(MSR_APIC_BASE,
		    APIC_BASE | APIC_BASE_ENABLE | APIC_BASE_EXTD);
	CHECK_EQ(guest_rdmsr(MSR_APIC_BASE),
		 APIC_BASE | APIC_BASE_ENABLE | APIC_BASE_EXTD | APIC_BASE_BSP);
	CHECK_EQ(guest_rdmsr(X2APIC_ID), 0);
	CHECK_EQ(guest_rdmsr(X2APIC_VERSION), 0x50014);
	CHECK_EQ(guest_rdmsr(X2APIC_LDR), 1); /* cluster 0, bit 0 */
	CHECK_EQ(apic_read(0x30), 0xffffffffu);
	guest_wrmsr(X2APIC_TPR, 0x20);
	CHECK_EQ(guest_rdmsr(X2APIC_PPR), 0x20);
	guest_wrmsr(X2APIC_TPR, 0);
	expect_gp_read(X2APIC_EOI);	    /* write-only */
	expect_gp_read(X2APIC_SELF_IPI);    /* write-only */
	expect_gp_read(X2APIC_DFR);	    /* none in x2APIC mode */
	expect_gp_read(X2APIC_ICR_HIGH);    /* ICR is one 64-bit MSR */
	expect_gp_write(X2APIC_ID, 1);	    /* read-only */
	expect_gp_write(X2APIC_EOI, 1);	    /* 0 only */
	expect_gp_write(X2APIC_TPR, 0x100); /* a reserved bit */
	expect_gp_write(X2APIC_TPR, 1ull << 32);
#if defined(__x86_64__)
	x2apic_interrupts();
#endif
	expect_gp_write(MSR_APIC_BASE, APIC_BASE | APIC_BASE_ENABLE);
	guest_wrmsr(MSR_APIC_BASE, APIC_BASE | APIC_BASE_BSP);
	guest_wrmsr(MSR_APIC_BASE, APIC_BASE | APIC_BASE_ENABLE);
	CHECK_EQ(apic_read(0x30), 0x50014);
	expect_gp_read(X2APIC_VERSION);
}

#define RDPMC_LEN 2

/* The caches and the counters are the host's: INVD and WBINVD do
 * nothing (the hypervisor steps over them), RDPMC has no counter to read
 * (#GP(0)). */
static void host_caches_and_counters(void)
{
	unsigned int faults = guest_faults;
	unsigned int lo, hi;

	__asm__ __volatile__("invd; wbinvd" ::: "memory");
	CHECK_EQ(guest_faults, faults);
	guest_expect_fault(RDPMC_LEN);
	__asm__ __volatile__("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, VEC_GP);
	CHECK_EQ(guest_fault_error, 0);
	guest_print("invd and wbinvd stepped over, rdpmc #GP\n");
}

static void svm_instructions(void)
{
	unsigned int faults = guest_faults;

	guest_expect_fault(VMRUN_LEN);
	__asm__ __volatile__("vmrun" ::"a"(0));
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, VEC_UD);
}

#define MOV_TO_CR4_LEN 3 /* mov %eax/%rax, %cr4: 0f 22 e0 */
#define CR4_TSD	       (1ul << 2)
#define CR4_VMXE       (1ul << 13)

static unsigned long read_cr4(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* A CR4 bit CPUID does not offer (VMX) raises #GP(0) and leaves CR4 as
 * it was, as on a CPU; one it offers takes. */
static void control_registers(void)
{
	unsigned long cr4 = read_cr4();
	unsigned int faults = guest_faults;

	guest_expect_fault(MOV_TO_CR4_LEN);
	__asm__ __volatile__("mov %0, %%cr4" ::"a"(cr4 | CR4_VMXE));
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, VEC_GP);
	CHECK_EQ(guest_fault_error, 0);
	CHECK_EQ(read_cr4(), cr4);
	__asm__ __volatile__("mov %0, %%cr4" ::"a"(cr4 | CR4_TSD));
	CHECK_EQ(read_cr4(), cr4 | CR4_TSD);
	__asm__ __volatile__("mov %0, %%cr4" ::"a"(cr4));
	CHECK_EQ(guest_faults, faults + 1);
}

#if defined(__x86_64__)
#define MSR_STAR   0xc0000081u
#define MSR_LSTAR  0xc0000082u
#define EFER_SCE   1u
#define SYSCALL_CS 0x18ull /* the guest's kernel code segment */

void guest_syscall_entry(void);

/* As Xen: a hypercall from user mode (CPL > 0) is refused. */
static void from_user_mode(void)
{
	guest_wrmsr(MSR_EFER, guest_rdmsr(MSR_EFER) | EFER_SCE);
	guest_wrmsr(MSR_STAR, SYSCALL_CS << 32);
	guest_wrmsr(MSR_LSTAR, (uintptr_t)guest_syscall_entry);
	CHECK_EQ(guest_hypercall_from_user(__HYPERVISOR_xen_version),
		 -XEN_EPERM);
	/* The same call from the kernel works. */
	CHECK(guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0,
			      0) > 0);
}
#endif

/* Channel 2 of the PIT counts down, as Linux's TSC calibration needs
 * (each port read below is an exit, tens of PIT ticks under TCG); port
 * 0x61 shows its gate as written and no NMI status.  The count wraps
 * every 55 ms, which a vCPU preempted between two reads may miss: a fall
 * in one of ten pairs is enough. */
static unsigned int pit2_read(void)
{
	unsigned int lsb = guest_inb(0x42);

	return lsb | (unsigned int)guest_inb(0x42) << 8;
}

static void pit_channel_2(void)
{
	unsigned int first;
	bool fell = false;

	guest_outb(0x61, 0x01); /* gate high, speaker off */
	guest_outb(0x43, 0xb0); /* channel 2, LSB then MSB, mode 0 */
	guest_outb(0x42, 0xff);
	guest_outb(0x42, 0xff);
	CHECK_EQ(guest_inb(0x61) & 0xcf, 0x01);
	for (int i = 0; i < 10 && !fell; i++) {
		first = pit2_read();
		fell = pit2_read() < first;
	}
	CHECK(fell);
}

/*
 * The PCI configuration ports: on QEMU's pc the hypervisor hides the
 * machine's host bridge (a 32-bit read there would give its vendor and
 * device), on microvm it lets the guest through to nothing; the guest
 * sees the same either way.  Linux reads them 16,384 times at boot.
 */
static void pci_config_ports(void)
{
	guest_outl(0xcf8, 0x80000000u); /* bus 0, device 0, register 0 */
	CHECK_EQ(guest_inl(0xcf8), 0xffffffffu);
	CHECK_EQ(guest_inl(0xcfc), 0xffffffffu);
	CHECK_EQ(guest_inb(0xcf9), 0xff);
}

static void ports(void)
{
	static const char line[] = "hello via port 0xe9\n";

	CHECK_EQ(guest_inb(0x80), 0xff);
	CHECK_EQ(guest_inb(0x3f8 + 5), 0xff); /* not the hypervisor's UART */
	guest_outb(0xf4, 0);		      /* nor QEMU's exit device */
	for (const char *c = line; *c; c++)
		guest_outb(0xe9, (uint8_t)*c);
	pit_channel_2();
	pci_config_ports();
}

int main(void)
{
	cpuid_leaves();
	hypercall_page();
	msrs();
	local_apic();
	x2apic();
	svm_instructions();
	host_caches_and_counters();
	control_registers();
#if defined(__x86_64__)
	from_user_mode();
#endif
	ports();
	return guest_test_result();
}
