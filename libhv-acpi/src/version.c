#include <hv/acpi.h>

unsigned int hv_acpi_api_version(void)
{
	return HV_ACPI_API_VERSION;
}
