#include <hv/arm.h>

unsigned int hv_arm_api_version(void)
{
	return HV_ARM_API_VERSION;
}
