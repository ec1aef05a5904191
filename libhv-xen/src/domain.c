/* Domains: identity, shutdown, and the hypercall dispatch. */
#include <hv/string.h>
#include <hv/xen.h>

#include <xen/sched.h>
#include <xen/xen.h>

#include "xen_internal.h"

unsigned int hv_xen_api_version(void)
{
	return HV_XEN_API_VERSION;
}

static bool ops_complete(const struct hv_xen_ops *ops)
{
	return ops && ops->console_line && ops->shutdown && ops->yield &&
	       ops->block && ops->now && ops->domain_exists;
}

int hv_xen_domain_init(struct hv_xen_domain *d, hv_domid_t id, const char *name,
		       enum hv_xen_arch arch, const struct hv_xen_ops *ops,
		       void *opaque)
{
	if (!name || !name[0] || !ops_complete(ops) ||
	    (arch != HV_XEN_ARCH_ARM && arch != HV_XEN_ARCH_X86_HVM))
		return -HV_EINVAL;
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->arch = arch;
	hv_strlcpy(d->name, name, sizeof(d->name));
	d->ops = ops;
	d->opaque = opaque;
	d->shutdown_code = HV_XEN_NO_SHUTDOWN_CODE;
	d->console_tokens = HV_XEN_CONSOLE_BURST;
	d->console_refilled = ops->now(opaque);
	return 0;
}

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *hv_xen_shutdown_reason_name(unsigned int reason)
{
	if (reason < HV_ARRAY_SIZE(reason_names) && reason_names[reason])
		return reason_names[reason];
	return "unknown";
}

void hv_xen_domain_shutdown(struct hv_xen_domain *d, uint8_t reason)
{
	if (d->shut_down)
		return;
	hv_xen_console_flush(d);
	d->shut_down = true;
	d->shutdown_reason = reason;
	hv_xen_report(d, "(hvkit) domain %s: shutdown %s", d->name,
		      hv_xen_shutdown_reason_name(reason));
	d->ops->shutdown(d->opaque, d, reason);
}

void hv_xen_domain_crash(struct hv_xen_domain *d, const char *why)
{
	if (d->shut_down)
		return;
	hv_xen_console_flush(d);
	hv_xen_report(d, "(hvkit) domain %s crashed: %s", d->name, why);
	hv_xen_domain_shutdown(d, SHUTDOWN_crash);
}

long hv_xen_hypercall(struct hv_xen_domain *d, hv_vcpuid_t vcpu,
		      const struct hv_gmem *gm, uint64_t nr,
		      const uint64_t args[5])
{
	switch (nr) {
	case __HYPERVISOR_console_io:
		return hv_xen_console_io(d, gm, args[0], args[1], args[2]);
	case __HYPERVISOR_sched_op:
		return hv_xen_sched_op(d, vcpu, gm, args[0], args[1]);
	case __HYPERVISOR_xen_version:
		return hv_xen_version_op(d, gm, args[0], args[1]);
	case __HYPERVISOR_hvm_op:
		return hv_xen_hvm_op(d, gm, args[0], args[1]);
	default:
		return -HV_ENOSYS;
	}
}
