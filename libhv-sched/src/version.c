#include <hv/sched.h>

unsigned int hv_sched_api_version(void)
{
	return HV_SCHED_API_VERSION;
}
