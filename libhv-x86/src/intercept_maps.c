/*
 * The I/O and MSR permission maps (AMD APM vol. 2, 15.10.1 "I/O
 * Permissions Map", 15.11 "MSR Intercepts").
 */
#include <hv/error.h>
#include <hv/string.h>
#include <hv/x86_vmcb.h>

/* The MSR map's three ranges of 0x2000 MSRs, 2 KiB of bits each. */
static const uint32_t msr_range_base[] = {0x00000000u, 0xc0000000u,
					  0xc0010000u};
#define MSRS_PER_RANGE 0x2000u
#define RANGE_BYTES    (MSRS_PER_RANGE * 2 / 8)

void hv_x86_iopm_init(uint8_t *iopm)
{
	memset(iopm, 0xff, HV_X86_IOPM_SIZE);
}

void hv_x86_msrpm_init(uint8_t *msrpm)
{
	memset(msrpm, 0xff, HV_X86_MSRPM_SIZE);
}

void hv_x86_iopm_set(uint8_t *iopm, uint16_t port, bool intercept)
{
	uint8_t bit = (uint8_t)(1u << (port % 8));

	if (intercept)
		iopm[port / 8] |= bit;
	else
		iopm[port / 8] &= (uint8_t)~bit;
}

bool hv_x86_iopm_intercepts(const uint8_t *iopm, uint16_t port,
			    unsigned int size)
{
	/* The map runs past port 0xffff precisely so that an access there
	 * reads defined bits. */
	for (uint32_t p = port; p < (uint32_t)port + size; p++)
		if (iopm[p / 8] & (1u << (p % 8)))
			return true;
	return false;
}

/* Bit index of the read bit of `msr`, or -1 outside the ranges. */
static long msr_bit(uint32_t msr)
{
	for (unsigned int r = 0; r < HV_ARRAY_SIZE(msr_range_base); r++) {
		uint32_t off = msr - msr_range_base[r];

		if (msr >= msr_range_base[r] && off < MSRS_PER_RANGE)
			return (long)(r * RANGE_BYTES * 8 + off * 2);
	}
	return -1;
}

static void set_bit(uint8_t *map, long bit, bool on)
{
	uint8_t mask = (uint8_t)(1u << (bit % 8));

	if (on)
		map[bit / 8] |= mask;
	else
		map[bit / 8] &= (uint8_t)~mask;
}

int hv_x86_msrpm_set(uint8_t *msrpm, uint32_t msr, bool read, bool write)
{
	long bit = msr_bit(msr);

	if (bit < 0)
		return -HV_EINVAL;
	set_bit(msrpm, bit, read);
	set_bit(msrpm, bit + 1, write);
	return 0;
}

bool hv_x86_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write)
{
	long bit = msr_bit(msr);

	if (bit < 0)
		return true;
	bit += write;
	return msrpm[bit / 8] & (1u << (bit % 8));
}
