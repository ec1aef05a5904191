/*
 * SVM on the physical CPU: enabling it, running a vCPU, switching x87/SSE
 * state (AMD APM vol. 2, 15.4 "Enabling SVM", 15.5 "VMRUN").
 */
#include <hv/error.h>
#include <hv/x86_svm.h>

#include "x86_asm.h"

#define CPUID_EXT_FEATURES    0x80000001u
#define CPUID_EXT_ECX_SVM     (1u << 2)
#define CPUID_EXT_EDX_PAGE1GB (1u << 26)
#define CPUID_SVM_FEATURES    0x8000000au
#define CPUID_SVM_EDX_NP      (1u << 0)
#define MSR_VM_CR	      0xc0010114u
#define VM_CR_SVMDIS	      (1ull << 4)

HV_STATIC_ASSERT(offsetof(struct hv_x86_vcpu, vmcb_pa) == 136, "svm_entry.S");

void hv_x86_svm_enter(struct hv_x86_vcpu *v, hv_paddr_t host_vmcb_pa);

int hv_x86_svm_enable(struct hv_x86_svm *svm, hv_paddr_t hsave_pa,
		      struct hv_x86_vmcb *host_vmcb, hv_paddr_t host_vmcb_pa)
{
	uint32_t ext[4], svmf[4];

	hv_cpuid(CPUID_EXT_FEATURES, 0, ext);
	if (!(ext[2] & CPUID_EXT_ECX_SVM) ||
	    (hv_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS))
		return -HV_ENODEV;
	hv_cpuid(CPUID_SVM_FEATURES, 0, svmf);
	if (!(svmf[3] & CPUID_SVM_EDX_NP) || svmf[1] < 2)
		return -HV_ENODEV;

	svm->nr_asids = svmf[1];
	svm->npt_1g = ext[3] & CPUID_EXT_EDX_PAGE1GB;
	svm->host_vmcb = host_vmcb;
	svm->host_vmcb_pa = host_vmcb_pa;
	hv_wrmsr(MSR_EFER, hv_rdmsr(MSR_EFER) | EFER_SVME);
	hv_wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
	__asm__ __volatile__("vmsave %%rax" ::"a"(host_vmcb_pa) : "memory");
	return 0;
}

uint64_t hv_x86_vcpu_run(const struct hv_x86_svm *svm, struct hv_x86_vcpu *v)
{
	struct hv_x86_vmcb_save *s = &v->vmcb->save;

	s->rax = v->gpr[HV_X86_RAX];
	s->rsp = v->gpr[HV_X86_RSP];
	hv_x86_svm_enter(v, svm->host_vmcb_pa);
	v->gpr[HV_X86_RAX] = s->rax;
	v->gpr[HV_X86_RSP] = s->rsp;
	/* A flush asked for is done by this VMRUN. */
	v->vmcb->control.tlb_control = HV_X86_TLB_NONE;
	v->vmcb->control.eventinj = 0;
	return v->vmcb->control.exitcode;
}

void hv_x86_vcpu_load(const struct hv_x86_vcpu *v)
{
	__asm__ __volatile__("fxrstor64 %0" ::"m"(v->fxsave));
	/* The host's DR7 keeps them disabled while it runs. */
	__asm__ __volatile__("mov %0, %%db0" ::"r"(v->dr[0]));
	__asm__ __volatile__("mov %0, %%db1" ::"r"(v->dr[1]));
	__asm__ __volatile__("mov %0, %%db2" ::"r"(v->dr[2]));
	__asm__ __volatile__("mov %0, %%db3" ::"r"(v->dr[3]));
}

void hv_x86_vcpu_put(struct hv_x86_vcpu *v)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(v->fxsave));
	__asm__ __volatile__("mov %%db0, %0" : "=r"(v->dr[0]));
	__asm__ __volatile__("mov %%db1, %0" : "=r"(v->dr[1]));
	__asm__ __volatile__("mov %%db2, %0" : "=r"(v->dr[2]));
	__asm__ __volatile__("mov %%db3, %0" : "=r"(v->dr[3]));
}
