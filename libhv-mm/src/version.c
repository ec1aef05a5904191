#include <hv/mm.h>

unsigned int hv_mm_api_version(void)
{
	return HV_MM_API_VERSION;
}
