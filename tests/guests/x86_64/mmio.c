/*
 * Guest-physical addresses that nothing backs behave as on a PC: reads
 * give all ones and writes are dropped, whatever instruction does them
 * (hvkit emulates each one: no decode assists under QEMU): the MOV family,
 * arithmetic with its flags, XCHG, string copies to and from RAM.  Built
 * 64-bit (where the boot identity map reaches 4 GiB) and 32-bit.
 */
#include "guest.h"

#define UNBACKED 0xc0000000ul
#define PAST_RAM (16ul << 20) /* the first byte after our 16 MiB */

static void loads(volatile void *p)
{
	unsigned long v;

	__asm__ __volatile__("movl (%1), %k0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, 0xfffffffful);
	v = 0x11223344;
	__asm__ __volatile__("movb (%1), %%al" : "+a"(v) : "r"(p));
	CHECK_EQ(v, 0x112233ff);
	v = 0x11223344;
	__asm__ __volatile__("movb (%1), %%ah" : "+a"(v) : "r"(p));
	CHECK_EQ(v, 0x1122ff44);
	v = 0x11223344;
	__asm__ __volatile__("movw (%1), %%cx" : "+c"(v) : "r"(p));
	CHECK_EQ(v, 0x1122ffff);
	__asm__ __volatile__("movzbl (%1), %k0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, 0xff);
	__asm__ __volatile__("movzwl 2(%1), %k0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, 0xffff);
	__asm__ __volatile__("movsbl (%1), %k0" : "=r"(v) : "r"(p));
	CHECK_EQ((int)v, -1);
	__asm__ __volatile__("movl 8(%1,%2,4), %k0"
			     : "=r"(v)
			     : "r"(p), "r"(1ul));
	CHECK_EQ(v, 0xfffffffful);
}

static void stores(volatile void *p)
{
	__asm__ __volatile__("movl $0x12345678, (%0)" ::"r"(p) : "memory");
	__asm__ __volatile__("movw $0x1234, (%0)" ::"r"(p) : "memory");
	__asm__ __volatile__("movb %b1, (%0)" ::"r"(p), "q"(7) : "memory");
	__asm__ __volatile__("movl %1, 4(%0)" ::"r"(p), "r"(0) : "memory");
	CHECK_EQ(guest_read32(p), 0xffffffffu);
	CHECK_EQ(guest_read32((volatile char *)p + 4), 0xffffffffu);
}

/* Arithmetic reads the ones and sets flags from them; its writes are
 * dropped. */
static void arithmetic(volatile void *p)
{
	unsigned char zf, cf;
	unsigned long v = 0x12345678;

	__asm__ __volatile__("cmpl $-1, (%1); sete %0" : "=q"(zf) : "r"(p));
	CHECK_EQ(zf, 1);
	__asm__ __volatile__("testb $0x80, (%1); sete %0" : "=q"(zf) : "r"(p));
	CHECK_EQ(zf, 0);
	__asm__ __volatile__("addl $1, (%2); sete %0; setc %1"
			     : "=q"(zf), "=q"(cf)
			     : "r"(p)
			     : "memory");
	CHECK_EQ(zf, 1);
	CHECK_EQ(cf, 1);
	/* inc leaves CF as it was */
	__asm__ __volatile__("stc; incl (%2); sete %0; setc %1"
			     : "=q"(zf), "=q"(cf)
			     : "r"(p)
			     : "memory");
	CHECK_EQ(zf, 1);
	CHECK_EQ(cf, 1);
	__asm__ __volatile__("lock orl $1, (%0)" ::"r"(p) : "memory");
	__asm__ __volatile__("xchgl %k0, (%1)" : "+r"(v) : "r"(p) : "memory");
	CHECK_EQ(v, 0xfffffffful);
	CHECK_EQ(guest_read32(p), 0xffffffffu);
}

/* rep movsb from unbacked memory into RAM, rep stosl into it. */
static void strings(volatile void *p)
{
	static unsigned char buf[64];
	void *dst = buf, *src = (void *)p;
	unsigned long n = sizeof(buf);

	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n)
			     :
			     : "memory");
	CHECK_EQ(n, 0);
	CHECK_EQ(buf[0], 0xff);
	CHECK_EQ(buf[63], 0xff);
	dst = (void *)p;
	n = 4;
	__asm__ __volatile__("rep stosl"
			     : "+D"(dst), "+c"(n)
			     : "a"(0)
			     : "memory");
	CHECK_EQ((unsigned long)dst, (unsigned long)p + 16);
	CHECK_EQ(guest_read32(p), 0xffffffffu);
}

static void moffs(void)
{
	unsigned long v = 0;

#if defined(__x86_64__)
	__asm__ __volatile__("movabsl 0xc0000000, %%eax" : "+a"(v));
#else
	__asm__ __volatile__("movl 0xc0000000, %%eax" : "+a"(v));
#endif
	CHECK_EQ(v, 0xfffffffful);
}

#if defined(__x86_64__)
static void loads64(volatile void *p)
{
	uint64_t v = 0x1234567800000000ull;
	register uint64_t r12 __asm__("r12");

	/* A 32-bit load zero-extends into the 64-bit register. */
	__asm__ __volatile__("movl (%1), %k0" : "+r"(v) : "r"(p));
	CHECK_EQ(v, 0xffffffffull);
	__asm__ __volatile__("movq (%1), %0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, UINT64_MAX);
	__asm__ __volatile__("movslq (%1), %0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, UINT64_MAX);
	__asm__ __volatile__("movq (%1), %0" : "=r"(r12) : "r"(p));
	CHECK_EQ(r12, UINT64_MAX);
	__asm__ __volatile__("movq %1, (%0)" ::"r"(p), "r"(r12) : "memory");
	__asm__ __volatile__("movq $-2, (%0)" ::"r"(p) : "memory");
	__asm__ __volatile__("movq (%1), %0" : "=r"(v) : "r"(p));
	CHECK_EQ(v, UINT64_MAX);
}
#endif

/* A one-byte rep movsb from unbacked memory to `to`, which the guest's
 * page tables do not let it write: the read exits to the hypervisor,
 * whose emulator then faults on the write, and the guest takes that page
 * fault as the CPU would give it (error code `error`, CR2 `to`), with
 * nothing copied and RCX and RDI as they were. */
static void copy_faults(volatile void *p, unsigned long to, unsigned long error)
{
	void *dst = (void *)to, *src = (void *)p;
	unsigned long n = 1, cr2, faults = guest_faults;

	guest_expect_fault(2);
	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n)
			     :
			     : "memory");
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
	CHECK_EQ(guest_faults, faults + 1);
	CHECK_EQ(guest_fault_vector, 14);
	CHECK_EQ(guest_fault_error, error);
	CHECK_EQ(cr2, to);
	CHECK_EQ(n, 1);
	CHECK_EQ((unsigned long)dst, to);
}

int main(void)
{
	volatile void *far = (volatile void *)UNBACKED;
	volatile void *past = (volatile void *)PAST_RAM;

	loads(far);
	loads(past);
	stores(far);
	stores(past);
	arithmetic(far);
	strings(far);
	moffs();
#if defined(__x86_64__)
	loads64(far);
	/* Above the 4 GiB the boot map covers: not present (error 2). */
	copy_faults(far, 0x200000000ul, 2);
#endif
	/* The read-only page, with CR0.WP: present (error 3). */
	guest_paging_enable();
	copy_faults(far, (unsigned long)guest_ro_page, 3);
	CHECK_EQ(guest_ro_page[0], 0);
	guest_print("unbacked memory reads as all ones\n");
	return guest_test_result();
}
