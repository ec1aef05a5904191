/*
 * Xen's pvclock on x86: the struct vcpu_time_info a guest reads its time
 * from, written as Xen writes it (xen/public/xen.h explains the protocol).
 */
#include <hv/atomic.h>
#include <hv/x86_xen.h>

#include <xen/xen.h>

void hv_x86_xen_time_update(struct vcpu_time_info *t, uint64_t guest_tsc,
			    hv_time_t now_ns, uint64_t tsc_hz)
{
	volatile struct vcpu_time_info *vt = t;
	uint32_t mul;
	int shift;

	hv_x86_tsc_scale(tsc_hz, &mul, &shift);
	/* Odd while the record changes: a guest that read the version odd,
	 * or read another one after the fields, reads again. */
	vt->version = (vt->version + 1) | 1;
	hv_wmb();
	vt->tsc_timestamp = guest_tsc;
	vt->system_time = (uint64_t)now_ns;
	vt->tsc_to_system_mul = mul;
	vt->tsc_shift = (int8_t)shift;
	/* Not XEN_PVCLOCK_TSC_STABLE_BIT: without it the guest keeps its
	 * clock monotonic across its vCPUs itself, as with Xen's default
	 * clocksource, and hvkit need not promise that the records of two
	 * vCPUs agree to the nanosecond. */
	vt->flags = 0;
	hv_wmb();
	vt->version = vt->version + 1;
}
