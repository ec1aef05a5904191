#include <hv/hyp_x86.h>

unsigned int hv_hyp_x86_api_version(void)
{
	return HV_HYP_X86_API_VERSION;
}
