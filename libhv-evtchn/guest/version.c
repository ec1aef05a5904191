#include <hv/evtchn_guest.h>

unsigned int hv_evtchn_guest_api_version(void)
{
	return HV_EVTCHN_GUEST_API_VERSION;
}
