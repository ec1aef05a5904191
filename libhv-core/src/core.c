/* Error descriptions and the library's version. */
#include <hv/core.h>

unsigned int hv_core_api_version(void)
{
	return HV_CORE_API_VERSION;
}

struct error_name {
	int code;
	const char *text;
};

/* Xen's errno values, named and described for messages. */
static const struct error_name error_names[] = {
	{HV_OK, "OK: success"},
#define XEN_ERRNO(name, value) {value, #name},
#include <xen/errno.h>
};

const char *hv_core_strerror(int err)
{
	int code = err < 0 ? -err : err;

	for (size_t i = 0; i < HV_ARRAY_SIZE(error_names); i++)
		if (error_names[i].code == code)
			return error_names[i].text;
	return "unknown error";
}
