/*
 * A fake architecture for libhv-hyp (as Hafnium's arch/fake): the whole
 * core runs in host unit tests.  Machine memory is a host buffer under a
 * real libhv-mm heap; P2Ms use a real format (x86 NPT or AArch64 stage
 * 2, with that architecture's XENMEM answers); time is a virtual clock
 * that each guest exit advances; a "guest" is a C function the test gives,
 * called at each exit of each vCPU, that does what a guest would do there
 * (a hypercall with arguments in its own RAM, a block, a crash).
 *
 * Several pCPUs run on threads (fake_run_threads), each in the core's own
 * run loop, so the core's locking meets real parallelism.
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <hv/hyp.h>

#include <stddef.h>
#include <stdint.h>

/* What the fixture checks of itself fails the cmocka test, or, built
 * with FAKE_NO_CMOCKA (the fuzz harness), aborts. */
#ifdef FAKE_NO_CMOCKA
#include <stdlib.h>
#define FAKE_CHECK(cond) ((cond) ? (void)0 : abort())
#else
#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>
#define FAKE_CHECK(cond) assert_true(cond)
#endif

#define FAKE_MAX_PCPUS 8
#define FAKE_RAM_BASE  UINT64_C(0x80000) /* first frame: 2 GiB */
/* Where hv_hyp_xencons puts the console ring: the real adapters' places
 * (Arm's GUEST_MAGIC_BASE, x86's console special page). */
#define FAKE_ARM_CONSOLE_RING_GPA UINT64_C(0x39000000)
#define FAKE_X86_CONSOLE_RING_GPA UINT64_C(0xfefff000)

struct fake;

/* What vCPU v does at this exit (the core's lock is held, as for any exit
 * handler).  v's fake state (fake_vcpu(v)) counts its exits. */
typedef void (*fake_guest_fn)(struct fake *f, struct hv_hyp_vcpu *v);

/* The fake's part of each vCPU (v->arch). */
struct fake_vcpu {
	unsigned int exits;	 /* exits handled so far */
	hv_time_t wake_at;	 /* its guest timer: wakes it when blocked */
	uint64_t entry;		 /* where domain_init started it */
	unsigned int upcalls;	 /* events signalled to it */
	unsigned int pcpus_seen; /* bit n: it ran on pCPU n */
	hv_time_t woke;		 /* the clock at its first exit after a block */
	bool was_blocked;
	uint64_t scratch[4]; /* the test's */
};

/* Which architecture's memory formats and Xen answers the fake takes. */
enum fake_flavour { FAKE_X86, FAKE_ARM };

struct fake {
	struct hv_hyp hyp;
	struct hv_hyp_config config;
	struct hv_hyp_arch_ops ops;
	struct hv_hyp_pcpu pcpus[FAKE_MAX_PCPUS];
	hv_time_t deadline[FAKE_MAX_PCPUS]; /* each pCPU's timer */
	struct hv_mm_heap heap;
	struct hv_mm_node node;
	uint8_t *ram;
	uint64_t ram_pages;
	void *frame_table;
	uint64_t free_at_start; /* heap pages free before the core took any */

	hv_time_t now;	   /* the virtual clock, ns */
	hv_time_t exit_ns; /* what each exit costs */
	fake_guest_fn guest;
	/* Called as pCPU p goes idle until `until` (no lock held), where a
	 * real arch polls its devices: the test's, may be NULL.  True: an
	 * interrupt came, which ends the idle at once (as a real arch's
	 * halt ends at any interrupt). */
	bool (*idle_hook)(struct fake *f, struct hv_hyp_pcpu *p,
			  hv_time_t until);
	const char *idle_input; /* what fake_run_typing types */
	bool idle_typed;	/* and whether it has */
	int fail_domain_init;	/* domain_init's answer, when not 0 */

	unsigned int pcpus_active;	     /* bit n: pCPU n has run a vCPU */
	unsigned long kicks[FAKE_MAX_PCPUS]; /* the core kicked pCPU n */
	unsigned long idles[FAKE_MAX_PCPUS]; /* pCPU n went idle */
	char console[65536];
	size_t console_len;
	char input[256]; /* console input the domains were given, in order */
	size_t input_len;
	hv_domid_t input_domain; /* who had the last */
	char log[4096];		 /* the core's own messages */
	size_t log_len;
	unsigned long flushes;
};

/*
 * A machine of `pages` frames and `nr_pcpus` pCPUs, the core set up on it
 * with `config` (its p2m_max_order is filled in) and guest program
 * `guest`.
 */
void fake_init(struct fake *f, enum fake_flavour flavour, uint64_t pages,
	       unsigned int nr_pcpus, const struct hv_hyp_config *config,
	       fake_guest_fn guest);
/* Destroy every domain left (shutting down live ones), then check that
 * every frame went back to the heap, and free the machine. */
void fake_fini(struct fake *f);
uint64_t fake_free_pages(struct fake *f);

static inline struct fake_vcpu *fake_vcpu(struct hv_hyp_vcpu *v)
{
	return v->arch;
}

/* A domain config of `memory` bytes at guest-physical `ram_base` with
 * `vcpus` vCPUs and one kernel segment ("KERNEL" + zeros) at its start. */
void fake_domain_config(struct hv_boot_domain *cfg, const char *name,
			uint64_t memory, unsigned int vcpus);
/* Build domain id from cfg; must succeed. */
struct hv_hyp_domain *
fake_domain(struct fake *f, const struct hv_boot_domain *cfg, hv_domid_t id);

/* A guest program: spin until the clock passes 200 ms, then power off. */
void fake_spin_until_200ms(struct fake *f, struct hv_hyp_vcpu *v);
/* Domains 0 (`light`, credit2 weight 256) and 1 ("heavy", 512) of one
 * vCPU and 4 MiB each, every exit 10 us: credit2 should give them the
 * pCPU 1:2. */
void fake_weighted_pair(struct fake *f, const char *light);

/* Run pCPU 0's loop (one pCPU), or every pCPU's on its own thread, until
 * no domain is live; returns the core's status (the same on all). */
int fake_run(struct fake *f);

/* Guest helpers, for guest programs and tests: copy into / out of the
 * domain's RAM at guest-physical gpa (must succeed), and make a hypercall
 * from v with pointers guest-physical. */
void fake_poke(struct hv_hyp_domain *d, hv_gpaddr_t gpa, const void *src,
	       size_t len);
void fake_peek(struct hv_hyp_domain *d, hv_gpaddr_t gpa, void *dst, size_t len);
long fake_hypercall(struct hv_hyp_vcpu *v, uint64_t nr, uint64_t a0,
		    uint64_t a1, uint64_t a2);
/* Hypercall nr(cmd, arg, 1) from v with the op struct `arg` (len bytes)
 * copied into v's scratch page and back after the call (event_channel_op,
 * grant_table_op, memory_op...). */
long fake_op(struct hv_hyp_vcpu *v, uint64_t nr, unsigned int cmd, void *arg,
	     size_t len);
/* XENMEM_decrease_reservation or _populate_physmap (op) of the one frame
 * gfn, from v: the hypercall's result. */
long fake_reservation(struct hv_hyp_vcpu *v, unsigned int op, uint64_t gfn);
/* v's domain maps its shared-info page at gfn (must succeed). */
void fake_map_shared_info(struct hv_hyp_vcpu *v, uint64_t gfn);
/* SCHEDOP_block from v. */
long fake_block(struct hv_hyp_vcpu *v);
/* console_io write of a string from v. */
long fake_print(struct hv_hyp_vcpu *v, const char *s);
/* SCHEDOP_shutdown(poweroff) from v. */
long fake_poweroff(struct hv_hyp_vcpu *v);

/* Take every 2-level event v has (its shared-info page's bits), as a
 * guest's upcall handler would. */
void fake_ack_events(struct hv_hyp_vcpu *v);

/* An arch op the fake leaves out (a domain that blocks with nothing to
 * wake it is ended only without it): a test sets it to take console
 * input, kept in f->input in order, with who got it last. */
void fake_console_input(struct hv_hyp_domain *d, const char *s, size_t len);

/* fake_run with `input` typed once, as an arch's idle finds input in its
 * UART, when the pCPU idles with no deadline (nothing else would wake the
 * domains): it must be typed, and no domain ended as stuck. */
int fake_run_typing(struct fake *f, const char *input);

/* Whether the console shows `text`; whether the core logged it. */
bool fake_console_has(const struct fake *f, const char *text);
bool fake_log_has(const struct fake *f, const char *text);

/* Where v puts hypercall arguments: a page of its own at the end of its
 * domain's RAM (the kernel is at the start). */
hv_gpaddr_t fake_scratch_gpa(const struct hv_hyp_vcpu *v);

#endif /* FAKE_ARCH_H */
