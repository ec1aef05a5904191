/*
 * The guest's event_channel_op hypercall: copy the op struct in, perform
 * it, copy the OUT fields back.
 *
 * Xen performs the op and then reports -EFAULT if the result cannot be
 * written back, leaving e.g. a freshly allocated port behind ("cleaning up
 * here would be a mess").  Here an op with OUT fields first writes the
 * struct back unchanged, so an unwritable argument fails before anything
 * happens and a failed hypercall never changes state.
 */
#include "abi.h"

union evtchn_any_op {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_pirq bind_pirq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

struct op_layout {
	uint8_t size; /* bytes of the op struct; 0: no such op */
	bool has_out; /* the guest reads results back */
};

#define OP(cmd, type, out) [cmd] = {sizeof(struct type), out}

static const struct op_layout layouts[] = {
    OP(EVTCHNOP_bind_interdomain, evtchn_bind_interdomain, true),
    OP(EVTCHNOP_bind_virq, evtchn_bind_virq, true),
    OP(EVTCHNOP_bind_pirq, evtchn_bind_pirq, true),
    OP(EVTCHNOP_close, evtchn_close, false),
    OP(EVTCHNOP_send, evtchn_send, false),
    OP(EVTCHNOP_status, evtchn_status, true),
    OP(EVTCHNOP_alloc_unbound, evtchn_alloc_unbound, true),
    OP(EVTCHNOP_bind_ipi, evtchn_bind_ipi, true),
    OP(EVTCHNOP_bind_vcpu, evtchn_bind_vcpu, false),
    OP(EVTCHNOP_unmask, evtchn_unmask, false),
    OP(EVTCHNOP_reset, evtchn_reset, false),
    OP(EVTCHNOP_init_control, evtchn_init_control, true),
    OP(EVTCHNOP_expand_array, evtchn_expand_array, false),
    OP(EVTCHNOP_set_priority, evtchn_set_priority, false),
};

int hv_evtchn_hypercall(struct hv_evtchn_domain *d, const struct hv_gmem *args,
			unsigned int cmd, uint64_t arg)
{
	union evtchn_any_op op;
	const struct op_layout *l;
	int rc;

	if (cmd >= HV_ARRAY_SIZE(layouts) || layouts[cmd].size == 0)
		return -HV_ENOSYS;
	l = &layouts[cmd];
	if (hv_gmem_copy_from(args, &op, arg, l->size) != 0)
		return -HV_EFAULT;
	if (l->has_out && hv_gmem_copy_to(args, arg, &op, l->size) != 0)
		return -HV_EFAULT;
	rc = hv_evtchn_op(d, cmd, &op);
	/* Only a concurrent change of the guest's mappings can fail here. */
	if (rc == 0 && l->has_out && hv_gmem_copy_to(args, arg, &op, l->size))
		rc = -HV_EFAULT;
	return rc;
}
