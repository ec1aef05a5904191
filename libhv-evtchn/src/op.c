/* hv_evtchn_op: one EVTCHNOP on an op struct the caller already holds. */
#include "abi.h"

int hv_evtchn_op(struct hv_evtchn_domain *d, unsigned int cmd, void *op)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return evtchn_alloc_unbound(d, op);
	case EVTCHNOP_bind_interdomain:
		return evtchn_bind_interdomain(d, op);
	case EVTCHNOP_bind_virq:
		return evtchn_bind_virq(d, op);
	case EVTCHNOP_bind_ipi:
		return evtchn_bind_ipi(d, op);
	case EVTCHNOP_bind_pirq:
		return evtchn_bind_pirq(d, op);
	case EVTCHNOP_close:
		return evtchn_close(d, ((struct evtchn_close *)op)->port);
	case EVTCHNOP_send:
		return evtchn_send(d, ((struct evtchn_send *)op)->port);
	case EVTCHNOP_status:
		return evtchn_status(d, op);
	case EVTCHNOP_bind_vcpu:
		return evtchn_bind_vcpu(d, op);
	case EVTCHNOP_unmask:
		return evtchn_unmask(d, ((struct evtchn_unmask *)op)->port);
	case EVTCHNOP_reset:
		return evtchn_reset(d, op);
	case EVTCHNOP_init_control:
		return evtchn_init_control(d, op);
	case EVTCHNOP_expand_array:
		return evtchn_expand_array(d, op);
	case EVTCHNOP_set_priority:
		return evtchn_set_priority(d, op);
	default:
		return -HV_ENOSYS;
	}
}
