/*
 * The fake architecture; see fake_arch.h.
 */
#define _DEFAULT_SOURCE
#include "fake_arch.h"

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define PAGE ((size_t)HV_PAGE_SIZE)

static struct fake *fake_of(struct hv_hyp *h)
{
	return hv_container_of(h, struct fake, hyp);
}

static void *phys_to_virt(struct hv_hyp *h, hv_paddr_t pa)
{
	struct fake *f = h ? fake_of(h) : NULL;
	uint64_t frame = pa >> HV_PAGE_SHIFT;

	FAKE_CHECK(frame >= FAKE_RAM_BASE &&
		   frame < FAKE_RAM_BASE + f->ram_pages);
	return f->ram + (pa - (FAKE_RAM_BASE << HV_PAGE_SHIFT));
}

static hv_paddr_t virt_to_phys(struct hv_hyp *h, const void *p)
{
	struct fake *f = fake_of(h);
	const uint8_t *b = p;

	FAKE_CHECK(b >= f->ram && b < f->ram + f->ram_pages * PAGE);
	return (FAKE_RAM_BASE << HV_PAGE_SHIFT) + (uint64_t)(b - f->ram);
}

/* The heap's view, before the core exists. */
static void *heap_virt(void *ctx, hv_paddr_t pa)
{
	struct fake *f = ctx;

	return f->ram + (pa - (FAKE_RAM_BASE << HV_PAGE_SHIFT));
}

static int domain_init(struct hv_hyp_domain *d,
		       const struct hv_boot_domain *cfg)
{
	struct fake *f = fake_of(d->hyp);

	if (f->fail_domain_init)
		return f->fail_domain_init;
	fake_vcpu(&d->vcpus[0])->entry = cfg->entry;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		fake_vcpu(&d->vcpus[i])->wake_at = HV_TIME_NEVER;
	return 0;
}

/* VCPUOP_initialise: the fake's context is one 64-bit entry point. */
static int vcpu_initialise(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			   uint64_t arg)
{
	uint64_t entry;

	if (hv_gmem_copy_from(gm, &entry, arg, sizeof(entry)))
		return -HV_EFAULT;
	fake_vcpu(v)->entry = entry;
	return 0;
}

static void vcpu_load(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	(void)p;
	(void)v;
}

static void vcpu_run(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	__atomic_fetch_or(&fake_vcpu(v)->pcpus_seen, 1u << p->id,
			  __ATOMIC_RELAXED);
	__atomic_fetch_or(&fake_of(p->hyp)->pcpus_active, 1u << p->id,
			  __ATOMIC_RELAXED);
}

/* One exit: time passes, the pCPU's timer may fire, the guest acts. */
static void vcpu_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	struct fake *f = fake_of(p->hyp);
	struct fake_vcpu *fv = fake_vcpu(v);
	hv_time_t now =
	    __atomic_add_fetch(&f->now, f->exit_ns, __ATOMIC_RELAXED);

	if (now >= f->deadline[p->id])
		hv_hyp_tick(p);
	if (fv->was_blocked) {
		fv->was_blocked = false;
		fv->woke = now;
	}
	f->guest(f, v);
	fv->exits++;
	if (v->state == HV_HYP_VCPU_BLOCKED)
		fv->was_blocked = true;
}

static hv_time_t vcpu_wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	(void)p;
	return fake_vcpu(v)->wake_at;
}

static hv_time_t now(struct hv_hyp *h)
{
	return __atomic_load_n(&fake_of(h)->now, __ATOMIC_RELAXED);
}

static void timer_set(struct hv_hyp_pcpu *p, hv_time_t deadline)
{
	fake_of(p->hyp)->deadline[p->id] = deadline;
}

/* Idle: time jumps to the deadline (a later time, if another pCPU moved
 * the clock on); with none, wait for a kick (the core sets p->resched
 * before each). */
static void idle(struct hv_hyp_pcpu *p, hv_time_t until)
{
	struct fake *f = fake_of(p->hyp);
	hv_time_t t = __atomic_load_n(&f->now, __ATOMIC_RELAXED);

	__atomic_fetch_add(&f->idles[p->id], 1, __ATOMIC_RELAXED);
	if (f->idle_hook && f->idle_hook(f, p, until))
		return;
	if (until != HV_TIME_NEVER) {
		while (t < until && !__atomic_compare_exchange_n(
					&f->now, &t, until, false,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
		return;
	}
	while (!__atomic_load_n(&p->resched, __ATOMIC_ACQUIRE))
		sched_yield();
}

static bool type_when_idle(struct fake *f, struct hv_hyp_pcpu *p,
			   hv_time_t until)
{
	if (until != HV_TIME_NEVER || f->idle_typed)
		return false;
	f->idle_typed = true;
	hv_hyp_console_input(p, f->idle_input, strlen(f->idle_input));
	return true;
}

/* Idle pCPUs wait for p->resched (above): a kick is only counted. */
static void kick(struct hv_hyp_pcpu *p)
{
	__atomic_fetch_add(&fake_of(p->hyp)->kicks[p->id], 1, __ATOMIC_RELAXED);
}

static void p2m_flush(struct hv_hyp_domain *d)
{
	fake_of(d->hyp)->flushes++;
}

static void upcall(struct hv_hyp_vcpu *v)
{
	fake_vcpu(v)->upcalls++;
}

static void console_write(struct hv_hyp *h, const char *s, size_t len)
{
	struct fake *f = fake_of(h);
	size_t room = sizeof(f->console) - 1 - f->console_len;

	if (len > room)
		len = room;
	memcpy(f->console + f->console_len, s, len);
	f->console_len += len;
	f->console[f->console_len] = '\0';
}

/* Guests name memory by guest-physical address here. */
static void guest_vmem(struct hv_gmem *gm, struct hv_hyp_vcpu *v)
{
	*gm = v->dom->guest_phys;
}

void fake_console_input(struct hv_hyp_domain *d, const char *s, size_t len)
{
	struct fake *f = fake_of(d->hyp);

	if (len > sizeof(f->input) - 1 - f->input_len)
		len = sizeof(f->input) - 1 - f->input_len;
	memcpy(f->input + f->input_len, s, len);
	f->input_len += len;
	f->input_domain = d->xen.id;
}

/* The core's log, one message a line (called under its lock or before
 * the pCPUs run). */
static void log_sink(void *opaque, enum hv_log_level level, const char *msg,
		     size_t len)
{
	struct fake *f = opaque;

	(void)level;
	if (f->log_len + 2 > sizeof(f->log)) /* no room for '\n', '\0' */
		return;
	if (len > sizeof(f->log) - 2 - f->log_len)
		len = sizeof(f->log) - 2 - f->log_len;
	memcpy(f->log + f->log_len, msg, len);
	f->log_len += len;
	f->log[f->log_len++] = '\n';
	f->log[f->log_len] = '\0';
}

static const struct hv_hyp_arch_ops fake_ops = {
    .name = "fake",
    .domain_size = 0,
    .vcpu_size = sizeof(struct fake_vcpu),
    .domain_init = domain_init,
    .vcpu_load = vcpu_load,
    .vcpu_run = vcpu_run,
    .guest_vmem = guest_vmem,
    .vcpu_exit = vcpu_exit,
    .vcpu_wake_time = vcpu_wake_time,
    .now = now,
    .timer_set = timer_set,
    .idle = idle,
    .kick = kick,
    .p2m_flush = p2m_flush,
    .upcall = upcall,
    .vcpu_initialise = vcpu_initialise,
    .console_write = console_write,
    .phys_to_virt = phys_to_virt,
    .virt_to_phys = virt_to_phys,
};

uint64_t fake_free_pages(struct fake *f)
{
	struct hv_mm_heap_stats st;

	FAKE_CHECK(hv_mm_heap_get_stats(&f->heap, 0, &st) == 0);
	return st.free_pages;
}

static void machine_init(struct fake *f, uint64_t pages)
{
	f->ram = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	FAKE_CHECK(f->ram != MAP_FAILED);
	f->ram_pages = pages;
	f->frame_table = calloc(pages, HV_MM_FRAME_BYTES);
	FAKE_CHECK(f->frame_table != NULL);
	FAKE_CHECK(hv_mm_heap_init(&f->heap, &f->node, 1, heap_virt, f) == 0);
	FAKE_CHECK(hv_mm_heap_node_init(&f->heap, 0, hv_mfn(FAKE_RAM_BASE),
					pages, f->frame_table,
					pages * HV_MM_FRAME_BYTES) == 0);
	FAKE_CHECK(hv_mm_heap_add(&f->heap, hv_mfn(FAKE_RAM_BASE), pages,
				  HV_MM_ADD_CLEAN) == 0);
}

void fake_init(struct fake *f, enum fake_flavour flavour, uint64_t pages,
	       unsigned int nr_pcpus, const struct hv_hyp_config *config,
	       fake_guest_fn guest)
{
	struct hv_log log;

	FAKE_CHECK(nr_pcpus <= FAKE_MAX_PCPUS);
	memset(f, 0, sizeof(*f));
	machine_init(f, pages);
	f->free_at_start = fake_free_pages(f);
	f->ops = fake_ops;
	f->ops.p2m_format =
	    flavour == FAKE_X86 ? &hv_x86_npt : &hv_arm_stage2_ipa40;
	f->ops.xenmem_abi =
	    flavour == FAKE_X86 ? &hv_mm_xenmem_x86 : &hv_mm_xenmem_arm;
	f->ops.xen_arch =
	    flavour == FAKE_X86 ? HV_XEN_ARCH_X86_HVM : HV_XEN_ARCH_ARM;
	f->ops.shared_info_moves = flavour == FAKE_X86;
	f->ops.vcpu_ops =
	    flavour == FAKE_X86 ? HV_HYP_VCPU_OPS_X86_HVM : HV_HYP_VCPU_OPS_ARM;
	f->ops.vcpu_op_refused = flavour == FAKE_X86 ? -HV_ENOSYS : -HV_EINVAL;
	f->ops.console_ring_gpa = flavour == FAKE_X86
				      ? FAKE_X86_CONSOLE_RING_GPA
				      : FAKE_ARM_CONSOLE_RING_GPA;
	f->config = *config;
	f->config.p2m_max_order = HV_MM_P2M_ORDER_1G;
	f->exit_ns = 1000;
	f->guest = guest;
	for (unsigned int i = 0; i < FAKE_MAX_PCPUS; i++)
		f->deadline[i] = HV_TIME_NEVER;
	hv_log_init(&log, log_sink, f, HV_LOG_INFO);
	FAKE_CHECK(hv_hyp_init(&f->hyp, &f->config, &f->ops, NULL, &f->heap,
			       &log, f->pcpus, nr_pcpus) == 0);
}

void fake_fini(struct fake *f)
{
	for (unsigned int i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
		struct hv_hyp_domain *d = hv_hyp_domain_get(&f->hyp, i);

		if (d)
			hv_xen_domain_shutdown(&d->xen, SHUTDOWN_poweroff);
	}
	FAKE_CHECK(hv_hyp_destroy_all(&f->hyp) == 0);
	FAKE_CHECK(hv_hyp_fini(&f->hyp) == 0);
	FAKE_CHECK(fake_free_pages(f) == f->free_at_start);
	free(f->frame_table);
	munmap(f->ram, f->ram_pages * PAGE);
}

static const char kernel[] = "KERNEL";

void fake_domain_config(struct hv_boot_domain *cfg, const char *name,
			uint64_t memory, unsigned int vcpus)
{
	memset(cfg, 0, sizeof(*cfg));
	strncpy(cfg->name, name, sizeof(cfg->name) - 1);
	cfg->type = "pvh";
	cfg->cmdline = "";
	cfg->kernel_format = "raw";
	cfg->memory = memory;
	cfg->ram_base = 0;
	cfg->vcpus = vcpus;
	cfg->entry = 0x1000;
	cfg->nr_segments = 1;
	cfg->segments[0].gpa = 0x1000;
	cfg->segments[0].data = kernel;
	cfg->segments[0].len = sizeof(kernel);
	cfg->segments[0].mem_size = 0x2000;
}

struct hv_hyp_domain *
fake_domain(struct fake *f, const struct hv_boot_domain *cfg, hv_domid_t id)
{
	struct hv_hyp_domain *d = NULL;

	FAKE_CHECK(hv_hyp_domain_create(&f->hyp, cfg, id, &d) == 0);
	FAKE_CHECK(d != NULL);
	return d;
}

void fake_spin_until_200ms(struct fake *f, struct hv_hyp_vcpu *v)
{
	if (f->now >= HV_MSEC(200))
		FAKE_CHECK(fake_poweroff(v) == 0);
}

void fake_weighted_pair(struct fake *f, const char *light)
{
	struct hv_boot_domain cfg;

	f->exit_ns = 10000;
	fake_domain_config(&cfg, light, 4 << 20, 1);
	cfg.weight = 256;
	fake_domain(f, &cfg, 0);
	fake_domain_config(&cfg, "heavy", 4 << 20, 1);
	cfg.weight = 512;
	fake_domain(f, &cfg, 1);
}

struct run_arg {
	struct fake *f;
	unsigned int cpu;
	int status;
};

static void *run_thread(void *p)
{
	struct run_arg *a = p;

	a->status = hv_hyp_run(&a->f->hyp, a->cpu);
	return NULL;
}

int fake_run(struct fake *f)
{
	struct run_arg args[FAKE_MAX_PCPUS];
	pthread_t threads[FAKE_MAX_PCPUS];
	unsigned int n = f->hyp.nr_pcpus;

	hv_hyp_start(&f->hyp);
	if (n == 1)
		return hv_hyp_run(&f->hyp, 0);
	for (unsigned int i = 0; i < n; i++) {
		args[i] = (struct run_arg){f, i, -1};
		FAKE_CHECK(pthread_create(&threads[i], NULL, run_thread,
					  &args[i]) == 0);
	}
	for (unsigned int i = 0; i < n; i++)
		FAKE_CHECK(pthread_join(threads[i], NULL) == 0);
	for (unsigned int i = 1; i < n; i++)
		FAKE_CHECK(args[i].status == args[0].status);
	return args[0].status;
}

void fake_poke(struct hv_hyp_domain *d, hv_gpaddr_t gpa, const void *src,
	       size_t len)
{
	FAKE_CHECK(hv_gmem_copy_to(&d->guest_phys, gpa, src, len) == 0);
}

void fake_peek(struct hv_hyp_domain *d, hv_gpaddr_t gpa, void *dst, size_t len)
{
	FAKE_CHECK(hv_gmem_copy_from(&d->guest_phys, dst, gpa, len) == 0);
}

long fake_hypercall(struct hv_hyp_vcpu *v, uint64_t nr, uint64_t a0,
		    uint64_t a1, uint64_t a2)
{
	const uint64_t args[5] = {a0, a1, a2, 0, 0};

	return hv_hyp_hypercall(v, &v->dom->guest_phys, nr, args);
}

long fake_op(struct hv_hyp_vcpu *v, uint64_t nr, unsigned int cmd, void *arg,
	     size_t len)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);
	long ret;

	fake_poke(v->dom, gpa, arg, len);
	ret = fake_hypercall(v, nr, cmd, gpa, 1);
	fake_peek(v->dom, gpa, arg, len);
	return ret;
}

long fake_reservation(struct hv_hyp_vcpu *v, unsigned int op, uint64_t gfn)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);
	xen_pfn_t frame = gfn;
	struct xen_memory_reservation r = {
	    .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};

	set_xen_guest_handle(r.extent_start,
			     (xen_pfn_t *)(uintptr_t)(gpa + 512));
	fake_poke(v->dom, gpa, &r, sizeof(r));
	fake_poke(v->dom, gpa + 512, &frame, sizeof(frame));
	return fake_hypercall(v, __HYPERVISOR_memory_op, op, gpa, 0);
}

void fake_map_shared_info(struct hv_hyp_vcpu *v, uint64_t gfn)
{
	struct xen_add_to_physmap x = {
	    .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = gfn};

	FAKE_CHECK(fake_op(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x,
			   sizeof(x)) == 0);
}

long fake_block(struct hv_hyp_vcpu *v)
{
	return fake_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
}

hv_gpaddr_t fake_scratch_gpa(const struct hv_hyp_vcpu *v)
{
	const struct hv_hyp_domain *d = v->dom;

	return d->ram_base + d->ram_size - (v->id + 1u) * HV_PAGE_SIZE;
}

long fake_print(struct hv_hyp_vcpu *v, const char *s)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);

	fake_poke(v->dom, gpa, s, strlen(s));
	return fake_hypercall(v, __HYPERVISOR_console_io, CONSOLEIO_write,
			      strlen(s), gpa);
}

long fake_poweroff(struct hv_hyp_vcpu *v)
{
	struct sched_shutdown s = {.reason = SHUTDOWN_poweroff};
	hv_gpaddr_t gpa = fake_scratch_gpa(v);

	fake_poke(v->dom, gpa, &s, sizeof(s));
	return fake_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa,
			      0);
}

void fake_ack_events(struct hv_hyp_vcpu *v)
{
	struct shared_info *si =
	    phys_to_virt(v->dom->hyp, hv_mfn_to_paddr(v->dom->shared_info));

	si->vcpu_info[v->id].evtchn_upcall_pending = 0;
	si->vcpu_info[v->id].evtchn_pending_sel = 0;
	memset(si->evtchn_pending, 0, sizeof(si->evtchn_pending));
}

bool fake_console_has(const struct fake *f, const char *text)
{
	return strstr(f->console, text) != NULL;
}

bool fake_log_has(const struct fake *f, const char *text)
{
	return strstr(f->log, text) != NULL;
}

int fake_run_typing(struct fake *f, const char *input)
{
	int status;

	f->idle_hook = type_when_idle;
	f->idle_input = input;
	status = fake_run(f);
	FAKE_CHECK(f->idle_typed);
	FAKE_CHECK(!fake_console_has(f, "nothing left to wake it"));
	return status;
}
