/*
 * Two vCPUs: vCPU 0 starts vCPU 1 as a PVH guest brings up its
 * secondaries on Xen (VCPUOP_initialise with a 64-bit vcpu_hvm_context
 * sharing vCPU 0's page tables, then VCPUOP_up), checks what VCPUOP_is_up
 * answers, and powers the domain off once vCPU 1 has taken itself down
 * with VCPUOP_down.
 */
#include "guest.h"

#include <xen/errno.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/vcpu.h>

#define MSR_EFER 0xc0000080u

/* vCPU 1 enters with a stack (rsp) but no GDT or IDT of its own: it
 * makes hypercalls only, and takes no interrupt. */
static uint8_t secondary_stack[4096] __attribute__((aligned(16)));
static volatile int secondary_up, may_stop;

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return guest_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu,
			       (unsigned long)arg, 0, 0);
}

static HV_NORETURN void secondary_main(unsigned long arg)
{
	guest_printf("vCPU 1 is up (rdi %#lx)\n", arg);
	secondary_up = 1;
	while (!may_stop)
		guest_yield();
	vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		guest_print("VCPUOP_down returned!\n");
}

static unsigned long read_cr(int n)
{
	unsigned long v = 0;

	if (n == 0)
		__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	else
		__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* vCPU 1's start: this vCPU's paging and mode, its own stack (as if
 * called: 16-byte aligned less the return address). */
static struct vcpu_hvm_context secondary_context(void)
{
	struct vcpu_hvm_context c = {.mode = VCPU_HVM_MODE_64B};
	struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;

	r->rip = (uintptr_t)secondary_main;
	r->rsp = (uintptr_t)(secondary_stack + sizeof(secondary_stack)) - 8;
	r->rdi = 0x5eed;
	r->rflags = 0x2;
	r->cr0 = read_cr(0);
	r->cr3 = read_cr(3);
	r->cr4 = read_cr(4);
	r->efer = guest_rdmsr(MSR_EFER);
	return c;
}

static void refusals(void)
{
	struct vcpu_hvm_context c = secondary_context();

	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL); /* no context */
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 2, NULL), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 0, &c), -XEN_EEXIST);
	c.mode = 2;
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EINVAL);
	c = secondary_context();
	c.cpu_regs.x86_64.rip = 0x0000800000000000ull; /* non-canonical */
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EINVAL);
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, (void *)0x40000000ul),
		 -XEN_EFAULT);
	c = secondary_context();
	c.cpu_regs.x86_64.cr4 |= 1u << 6; /* MCE: CPUID hides machine checks */
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EINVAL);
}

int main(void)
{
	struct vcpu_hvm_context c = secondary_context();

	CHECK_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	refusals();
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &c), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EEXIST);
	while (!secondary_up)
		guest_yield();
	guest_print("vCPU 0 saw vCPU 1 run\n");
	may_stop = 1;
	while (vcpu_op(VCPUOP_is_up, 1, NULL) != 0)
		guest_yield();
	guest_print("vCPU 1 is down again\n");
	return guest_test_result();
}
