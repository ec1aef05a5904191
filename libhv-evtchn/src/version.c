#include <hv/evtchn.h>

unsigned int hv_evtchn_api_version(void)
{
	return HV_EVTCHN_API_VERSION;
}
