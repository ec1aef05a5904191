/* Xen's hypervisor CPUID leaves (xen/arch-x86/cpuid.h). */
#include <hv/string.h>
#include <hv/x86_xen.h>

#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>

#define LEAF_RANGE_END 0x40000100u
#define MAX_LEAF       XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES)
/* The interface of the headers hvkit is built with, 0x00MMmmpp, as
 * libhv-xen's XENVER_version reports it. */
#define XEN_MAJOR ((__XEN_LATEST_INTERFACE_VERSION__ >> 16) & 0xff)
#define XEN_MINOR ((__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff)

enum { TSC_FEATURES, TSC_SCALE, TSC_HOST_KHZ };

static void time_leaf(uint32_t subleaf, const struct hv_x86_xen_cpuid_info *i,
		      struct hv_x86_cpuid_regs *out)
{
	uint32_t khz = (uint32_t)(i->tsc_hz / 1000);
	uint32_t mul;
	int shift;

	switch (subleaf) {
	case TSC_FEATURES: /* not emulated; tsc_mode 0; incarnation 0 */
		out->ecx = khz;
		break;
	case TSC_SCALE: /* offset 0 */
		hv_x86_tsc_scale(i->tsc_hz, &mul, &shift);
		out->ecx = mul;
		out->edx = (uint32_t)shift;
		break;
	case TSC_HOST_KHZ:
		out->eax = khz;
		break;
	default:
		break;
	}
}

bool hv_x86_xen_cpuid(uint32_t leaf, uint32_t subleaf,
		      const struct hv_x86_xen_cpuid_info *info,
		      struct hv_x86_cpuid_regs *out)
{
	if (leaf < XEN_CPUID_FIRST_LEAF || leaf >= LEAF_RANGE_END)
		return false;
	memset(out, 0, sizeof(*out));
	switch (leaf) {
	case XEN_CPUID_LEAF(0):
		out->eax = MAX_LEAF;
		out->ebx = XEN_CPUID_SIGNATURE_EBX;
		out->ecx = XEN_CPUID_SIGNATURE_ECX;
		out->edx = XEN_CPUID_SIGNATURE_EDX;
		break;
	case XEN_CPUID_LEAF(1):
		out->eax = XEN_MAJOR << 16 | XEN_MINOR;
		break;
	case XEN_CPUID_LEAF(2):
		out->eax = 1;
		out->ebx = HV_X86_XEN_MSR_HYPERCALL;
		break;
	case XEN_CPUID_LEAF(3):
		time_leaf(subleaf, info, out);
		break;
	case XEN_CPUID_LEAF(4):
		if (subleaf == 0) {
			out->eax = XEN_HVM_CPUID_VCPU_ID_PRESENT |
				   XEN_HVM_CPUID_DOMID_PRESENT |
				   XEN_HVM_CPUID_UPCALL_VECTOR;
			out->ebx = info->vcpu_id;
			out->ecx = info->domid;
		}
		break;
	default:
		break;
	}
	return true;
}

#define NS_PER_SEC 1000000000ull

void hv_x86_tsc_scale(uint64_t hz, uint32_t *mul_frac, int *shift)
{
	uint64_t tps = hz;
	int s = 0;

	/* Bring the rate into (1e9, 2e9] ticks per second, so that the
	 * fraction 1e9 / tps lies in [0.5, 1) and fits 32 bits. */
	while (tps > 2 * NS_PER_SEC) {
		tps >>= 1;
		s--;
	}
	while (tps <= NS_PER_SEC) {
		tps <<= 1;
		s++;
	}
	*mul_frac = (uint32_t)((NS_PER_SEC << 32) / tps);
	*shift = s;
}
