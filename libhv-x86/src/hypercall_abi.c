/*
 * The hypercall page and the hypercall register conventions (Xen's
 * svm_init_hypercall_page and hvm_hypercall, as facts of its ABI).
 */
#include <hv/string.h>
#include <hv/x86_svm.h>
#include <hv/x86_xen.h>

#include <xen/xen.h>

#define STUB_FILL 0xcc /* int3 between the stubs */

void hv_x86_xen_hypercall_page(uint8_t page[4096])
{
	memset(page, STUB_FILL, 4096);
	for (uint32_t i = 0; i < HV_X86_XEN_HYPERCALL_STUBS; i++) {
		uint8_t *p = page + i * HV_X86_XEN_HYPERCALL_STUB_SIZE;

		if (i == __HYPERVISOR_iret) {
			p[0] = 0x0f; /* ud2: not for HVM guests */
			p[1] = 0x0b;
			continue;
		}
		p[0] = 0xb8; /* mov $i, %eax */
		p[1] = (uint8_t)i;
		p[2] = (uint8_t)(i >> 8);
		p[3] = (uint8_t)(i >> 16);
		p[4] = (uint8_t)(i >> 24);
		p[5] = 0x0f; /* vmmcall */
		p[6] = 0x01;
		p[7] = 0xd9;
		p[8] = 0xc3; /* ret */
	}
}

void hv_x86_xen_hypercall_args(const uint64_t gpr[16], bool long_mode,
			       uint64_t *nr, uint64_t args[5])
{
	static const enum hv_x86_gpr regs64[5] = {
	    HV_X86_RDI, HV_X86_RSI, HV_X86_RDX, HV_X86_R10, HV_X86_R8};
	static const enum hv_x86_gpr regs32[5] = {
	    HV_X86_RBX, HV_X86_RCX, HV_X86_RDX, HV_X86_RSI, HV_X86_RDI};

	if (long_mode) {
		*nr = gpr[HV_X86_RAX];
		for (unsigned int i = 0; i < 5; i++)
			args[i] = gpr[regs64[i]];
		return;
	}
	*nr = (uint32_t)gpr[HV_X86_RAX];
	for (unsigned int i = 0; i < 5; i++)
		args[i] = (uint32_t)gpr[regs32[i]];
}
