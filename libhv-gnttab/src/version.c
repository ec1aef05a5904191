#include <hv/gnttab.h>

unsigned int hv_gnttab_api_version(void)
{
	return HV_GNTTAB_API_VERSION;
}
