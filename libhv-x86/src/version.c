#include <hv/x86.h>

unsigned int hv_x86_api_version(void)
{
	return HV_X86_API_VERSION;
}
