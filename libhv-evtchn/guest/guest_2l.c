/*
 * The guest side of the 2-level ABI, done the way the ABI's comments in
 * <xen/xen.h> ask: clear the upcall flag before looking, take the selector
 * word with one exchange, clear each pending bit before handling it.
 */
#include <hv/atomic.h>
#include <hv/bitmap.h>
#include <hv/error.h>
#include <hv/evtchn_guest.h>

HV_STATIC_ASSERT(sizeof(xen_ulong_t) == sizeof(unsigned long),
		 "the shared-info bitmaps are hv/bitmap.h bitmaps");

static unsigned long *bitmap(xen_ulong_t *words)
{
	return (unsigned long *)words;
}

void hv_evtchn_guest_2l_init(struct hv_evtchn_guest_2l *g,
			     struct shared_info *shared, struct vcpu_info *vcpu,
			     const xen_ulong_t *mine,
			     const struct hv_evtchn_guest_ops *ops)
{
	g->shared = shared;
	g->vcpu = vcpu;
	g->mine = mine;
	g->ops = ops;
}

/* Handle the pending, unmasked ports of pending word w, lowest first. */
static unsigned int scan_word(struct hv_evtchn_guest_2l *g, unsigned int w)
{
	unsigned long *pending = bitmap(g->shared->evtchn_pending);
	unsigned long bits =
	    __atomic_load_n(&pending[w], __ATOMIC_ACQUIRE) &
	    ~__atomic_load_n(&g->shared->evtchn_mask[w], __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	if (g->mine)
		bits &= g->mine[w];
	while (bits) {
		evtchn_port_t port =
		    w * HV_BITS_PER_LONG + (unsigned int)__builtin_ctzl(bits);

		bits &= bits - 1;
		if (hv_bitmap_test_and_clear_atomic(pending, port)) {
			g->ops->handler(g->ops->opaque, port);
			n++;
		}
	}
	return n;
}

static unsigned int scan(struct hv_evtchn_guest_2l *g)
{
	unsigned long sel = __atomic_exchange_n(&g->vcpu->evtchn_pending_sel, 0,
						__ATOMIC_SEQ_CST);
	unsigned int n = 0;

	while (sel) {
		unsigned int w = (unsigned int)__builtin_ctzl(sel);

		sel &= sel - 1;
		n += scan_word(g, w);
	}
	return n;
}

unsigned int hv_evtchn_guest_2l_drain(struct hv_evtchn_guest_2l *g)
{
	unsigned int n = 0;

	do {
		/* Cleared before looking: an event raised from here on sets
		 * it again and we go round once more. */
		hv_atomic_xchg_u8(&g->vcpu->evtchn_upcall_pending, 0);
		n += scan(g);
	} while (hv_atomic_load_u8(&g->vcpu->evtchn_upcall_pending));
	return n;
}

int hv_evtchn_guest_2l_mask(struct hv_evtchn_guest_2l *g, evtchn_port_t port)
{
	if (port >= EVTCHN_2L_NR_CHANNELS)
		return -HV_EINVAL;
	hv_bitmap_set_atomic(bitmap(g->shared->evtchn_mask), port);
	return 0;
}

int hv_evtchn_guest_2l_unmask(struct hv_evtchn_guest_2l *g, evtchn_port_t port)
{
	struct evtchn_unmask op = {.port = port};

	if (port >= EVTCHN_2L_NR_CHANNELS)
		return -HV_EINVAL;
	hv_bitmap_clear_atomic(bitmap(g->shared->evtchn_mask), port);
	if (!hv_bitmap_test_atomic(bitmap(g->shared->evtchn_pending), port))
		return 0;
	/*
	 * It became pending while masked, so nobody selected it.  Only an
	 * unmask that finds the mask set makes the hypervisor deliver, so
	 * set it again and ask (possibly one spurious scan, never a lost
	 * event).
	 */
	hv_bitmap_set_atomic(bitmap(g->shared->evtchn_mask), port);
	return g->ops->hypercall(g->ops->opaque, EVTCHNOP_unmask, &op);
}
