/*
 * hv/xen.h - libhv-xen, the Xen guest ABI every hvkit image answers:
 * a domain's identity and lifecycle, its console, and the hypercalls that
 * need no other subsystem (console_io, sched_op, xen_version, hvm_op).
 * memory_op is libhv-mm's (hv_mm_memory_op).
 *
 * Architecture-neutral: the image decodes the trap (hvc #0xEA1 on AArch64,
 * vmmcall on x86), gathers the hypercall number and arguments, and calls
 * hv_xen_hypercall() with the guest-memory accessor that fits the guest's
 * current mode (on Arm and for x86 guests with paging, hypercall pointers
 * are guest-virtual).  What needs the rest of the hypervisor (printing,
 * scheduling, shutting a domain down, mapping a page into its P2M) goes
 * back to the image through struct hv_xen_ops.
 *
 * Answers are Xen's, as it answers an unprivileged guest (a domU) in a
 * debug build, where console_io writes are open to every domain: numbers
 * and structures from libxen-dev's headers, errors as negative Xen errno
 * values.  Anything not handled here gets -ENOSYS, as from Xen for a
 * hypercall or sub-op it does not implement.  docs/xen.md lists each
 * answer and the few places where hvkit deliberately differs.
 */
#ifndef HV_XEN_H
#define HV_XEN_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_XEN_API_VERSION 0

#include <hv/error.h>
#include <hv/gmem.h>
#include <hv/xen_interface.h>

#include <xen/hvm/params.h>

HV_BEGIN_DECLS

struct hv_xen_domain;

/* Which Xen a domain's guest expects where Xen's answers differ by
 * architecture: hvm_op (x86: get/set_param with x86's per-parameter
 * rules and set_evtchn_upcall_vector; Arm: get/set_param of any of the
 * domain's own parameters, nothing else) and XENVER_capabilities. */
enum hv_xen_arch {
	HV_XEN_ARCH_ARM,     /* Xen's arm64 guest ABI */
	HV_XEN_ARCH_X86_HVM, /* an x86 HVM/PVH guest */
};

/* What libhv-xen needs from the image.  Every callback is required but
 * those marked optional. */
struct hv_xen_ops {
	/* Print one whole console line (without its newline): a domain's
	 * output, already prefixed "(name) " and cleaned of control
	 * characters, or libhv-xen's own report, prefixed "(hvkit) ". */
	void (*console_line)(void *opaque, const char *line, size_t len);
	/* The domain stopped: SHUTDOWN_* reason from <xen/sched.h>.  The
	 * image stops its vCPUs; libhv-xen has recorded the reason and
	 * printed "(hvkit) domain NAME: shutdown REASON". */
	void (*shutdown)(void *opaque, struct hv_xen_domain *d,
			 unsigned int reason);
	/* The calling vCPU gives up the rest of its time slice. */
	void (*yield)(void *opaque, struct hv_xen_domain *d, hv_vcpuid_t vcpu);
	/* The calling vCPU waits until it has an event (or interrupt). */
	void (*block)(void *opaque, struct hv_xen_domain *d, hv_vcpuid_t vcpu);
	/* Current time, for the console rate limit. */
	hv_time_t (*now)(void *opaque);
	/* Whether a domain with this id exists (for the ops that name one). */
	bool (*domain_exists)(void *opaque, hv_domid_t id);
	/* Optional (NULL: HVMOP_set_evtchn_upcall_vector is -ENOSYS, as Xen
	 * answers a domain created without per-vCPU upcall vectors): vCPU
	 * `vcpu` takes its event upcalls on interrupt `vector` (0x10-0xff,
	 * checked) from now on.  0, or -HV_ENOENT if d has no such vCPU. */
	int (*set_upcall_vector)(void *opaque, struct hv_xen_domain *d,
				 uint32_t vcpu, uint8_t vector);
};

/* Longest console line before it is cut (and continued on the next);
 * Xen's per-domain buffer is as long. */
#define HV_XEN_CONSOLE_LINE_MAX 256
#define HV_XEN_NAME_MAX		63

/*
 * Console rate limit, per domain: a bucket of HV_XEN_CONSOLE_BURST bytes
 * refilled at HV_XEN_CONSOLE_RATE bytes per second.  What does not fit is
 * dropped and counted, and the count is reported once output resumes, so
 * one domain cannot flood the console for the others.
 */
#define HV_XEN_CONSOLE_BURST (64u * 1024)
#define HV_XEN_CONSOLE_RATE  (64u * 1024)

/* shutdown_code before SCHEDOP_shutdown_code named one (not a reason). */
#define HV_XEN_NO_SHUTDOWN_CODE 0x100u

/* What libhv-xen keeps of a domain: its id, name and shutdown state. */
struct hv_xen_domain {
	hv_domid_t id;
	char name[HV_XEN_NAME_MAX + 1];
	enum hv_xen_arch arch;
	const struct hv_xen_ops *ops;
	void *opaque;

	/* Shutdown: set once, by the first SCHEDOP_shutdown or crash.  The
	 * reason is 8 bits, as Xen keeps it. */
	bool shut_down;
	uint8_t shutdown_reason;
	/* SCHEDOP_shutdown_code: the reason announced in advance, or
	 * HV_XEN_NO_SHUTDOWN_CODE. */
	unsigned int shutdown_code;

	/* Console: the current partial line and the rate-limit bucket. */
	char line[HV_XEN_CONSOLE_LINE_MAX];
	size_t line_len;
	uint64_t console_tokens;
	hv_time_t console_refilled;
	uint64_t console_dropped;

	/* HVM parameters (HVMOP_get_param/set_param): what
	 * the image gave the domain (e.g. its console's pfn and event
	 * channel) and what the guest set; 0 for anything never given. */
	uint64_t hvm_params[HVM_NR_PARAMS];

	/* XENFEAT_* bits of submap 0 the image provides beyond libhv-xen's
	 * own (XENVER_get_features), e.g. XENFEAT_hvm_callback_vector where
	 * it injects the upcall; 0 after hv_xen_domain_init. */
	uint32_t features;
};

/*
 * Set up a domain whose guest expects Xen on `arch`.  `name` is copied
 * (cut at HV_XEN_NAME_MAX characters).  Returns -HV_EINVAL for a NULL or
 * empty name, an unknown arch or missing ops.
 */
int hv_xen_domain_init(struct hv_xen_domain *d, hv_domid_t id, const char *name,
		       enum hv_xen_arch arch, const struct hv_xen_ops *ops,
		       void *opaque);

/*
 * Handle hypercall `nr` with arguments `args` (as the guest passed them,
 * zero-extended to 64 bits) from vCPU `vcpu` of `d`, reading and writing
 * guest memory only through `gm`.  Returns what the guest gets back in its
 * result register.
 */
long hv_xen_hypercall(struct hv_xen_domain *d, hv_vcpuid_t vcpu,
		      const struct hv_gmem *gm, uint64_t nr,
		      const uint64_t args[5]);

/*
 * Shut a domain down from the hypervisor's side (e.g. PSCI SYSTEM_OFF) as
 * if it had called SCHEDOP_shutdown: records the reason, prints
 * "(hvkit) domain NAME: shutdown REASON", calls ops->shutdown.  Only the
 * first shutdown of a domain counts.
 */
void hv_xen_domain_shutdown(struct hv_xen_domain *d, uint8_t reason);

/*
 * Stop a domain that did something the hypervisor cannot allow (e.g. it
 * touched memory it does not own): prints "(hvkit) domain NAME crashed:
 * WHY", then shuts it down with SHUTDOWN_crash.  Does nothing to a domain
 * already shut down.
 */
void hv_xen_domain_crash(struct hv_xen_domain *d, const char *why);

/* Write a whole string to the domain's console as if the guest had (used
 * by the image for the HVM debug port 0xe9, for instance). */
void hv_xen_console_write(struct hv_xen_domain *d, const char *s, size_t len);

/* Flush a partial console line (at shutdown, so nothing is lost). */
void hv_xen_console_flush(struct hv_xen_domain *d);

/* "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" or
 * "unknown". */
const char *hv_xen_shutdown_reason_name(unsigned int reason);

/*
 * Xen's compat ABI: a hypercall from a 32-bit x86 guest, whose
 * structures use 32-bit xen_ulong_t, xen_pfn_t and handles.  Where hvkit
 * translates a structure whose layout differs (XENMEM_add_to_physmap,
 * XENVER_platform_parameters), the native form is written into
 * `bounce_page` (one page of the caller's, HV_PAGE_SIZE bytes, which the
 * guest cannot name) and `dispatch` gets it at guest address
 * HV_XEN_COMPAT_BOUNCE_ADDR, through a view of the guest's memory that
 * adds that page; the answer is translated back.  Sub-ops whose layout
 * differs and that are not translated yet (XENMEM reservations and every
 * memory_op but current/maximum_reservation and maximum_gpfn,
 * SCHEDOP_poll, VCPUOP_get_runstate_info, grant_table_op) get -ENOSYS
 * rather than being misread.  Everything else goes to `dispatch` as is.
 * Returns what the guest gets.
 */
#define HV_XEN_COMPAT_BOUNCE_ADDR (UINT64_C(1) << 63)
typedef long (*hv_xen_dispatch_fn)(void *ctx, const struct hv_gmem *gm,
				   uint64_t nr, const uint64_t args[5]);
long hv_xen_compat_hypercall(const struct hv_gmem *gm, void *bounce_page,
			     uint64_t nr, const uint64_t args[5],
			     hv_xen_dispatch_fn dispatch, void *ctx);

/* The HV_XEN_API_VERSION the library was built with. */
unsigned int hv_xen_api_version(void);

HV_END_DECLS

#endif /* HV_XEN_H */
