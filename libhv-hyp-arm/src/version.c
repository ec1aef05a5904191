#include <hv/hyp_arm.h>

unsigned int hv_hyp_arm_api_version(void)
{
	return HV_HYP_ARM_API_VERSION;
}
