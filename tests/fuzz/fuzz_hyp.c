/*
 * Fuzzing the core's hypercall dispatch (libhv-hyp) on the fake
 * architecture of tests/unit/hyp: three domains of two vCPUs make
 * hypercalls decoded from the input, with their argument structures in
 * their own RAM; then every domain is destroyed and every frame must be
 * back in the heap (fake_fini aborts otherwise); AddressSanitizer and
 * UBSan watch everything in between.  A domain that shut itself down
 * makes no more calls, as its vCPUs would not run.
 *
 * Input: one configuration byte (bit 0: Arm answers and stage 2, else x86
 * and NPT; bit 1: no extensions, else event channels and grant tables),
 * then records of RECORD bytes:
 *   0      caller: bits 0-1 the domain (3 means 2), bit 7 vCPU 1
 *   1      hypercall: an index into `numbers` (past its end: the byte)
 *   2-5    cmd (first argument), little-endian
 *   6      second and third arguments: bit 7 clear, the scratch page's
 *          address and the low bits as the third (a count, a vCPU);
 *          set, the raw bytes 8-15 and 16-23 instead
 *   8-63   bytes written at the scratch page (the argument structure)
 */
#include "../unit/hyp/fake_arch.h"
#include "fuzz.h"

#include <xen/xen.h>

#define RECORD	64
#define DOMAINS 3
#define MIB	(1ull << 20)

static const uint64_t numbers[] = {
    __HYPERVISOR_memory_op,	   __HYPERVISOR_xen_version,
    __HYPERVISOR_console_io,	   __HYPERVISOR_sched_op,
    __HYPERVISOR_event_channel_op, __HYPERVISOR_grant_table_op,
    __HYPERVISOR_vcpu_op,	   __HYPERVISOR_hvm_op,
};

static const struct hv_hyp_extension *const all[] = {&hv_hyp_evtchn,
						     &hv_hyp_gnttab, NULL};

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	abort(); /* the harness calls hypercalls itself */
}

static void call(struct fake *f, const uint8_t *r)
{
	struct hv_hyp_domain *d = hv_hyp_domain_get(&f->hyp, (r[0] & 3) % 3);
	struct hv_hyp_vcpu *v = &d->vcpus[r[0] >> 7];
	hv_gpaddr_t scratch = fake_scratch_gpa(v);
	uint64_t nr = r[1] < HV_ARRAY_SIZE(numbers) ? numbers[r[1]] : r[1];
	uint64_t args[5] = {fuzz_le(r + 2, 4), scratch, r[6] & 0x7f, 0, 0};

	if (d->xen.shut_down)
		return;
	if (r[6] & 0x80) {
		args[1] = fuzz_le(r + 8, 8);
		args[2] = fuzz_le(r + 16, 8);
	}
	fake_poke(d, scratch, r + 8, RECORD - 8);
	hv_hyp_hypercall(v, &d->guest_phys, nr, args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1)};
	static struct fake f; /* large: not on the stack */
	struct hv_boot_domain cfg;

	if (size < 1)
		return 0;
	core.extensions = (data[0] & 2) ? NULL : all;
	fake_init(&f, (data[0] & 1) ? FAKE_ARM : FAKE_X86, 4096, 1, &core,
		  never_runs);
	for (hv_domid_t i = 0; i < DOMAINS; i++) {
		char name[4] = {'d', (char)('0' + i), 0};

		fake_domain_config(&cfg, name, 2 * MIB, 2);
		fake_domain(&f, &cfg, i);
	}
	for (size_t at = 1; at + RECORD <= size; at += RECORD)
		call(&f, data + at);
	fake_fini(&f);
	return 0;
}
