/* Channel 2 of an i8254 PIT and port 0x61 (portable): <hv/x86_pit.h>. */
#include <hv/x86_pit.h>

#define NS_PER_S	   1000000000u
#define REFRESH_NS	   15085u /* port 0x61 bit 4's half period */
#define CONTROL_CHANNEL(c) (((c) >> 6) & 3)
#define CONTROL_ACCESS(c)  (((c) >> 4) & 3)
#define CONTROL_MODE(c)	   (((c) >> 1) & 7)
#define ACCESS_LATCH	   0
#define ACCESS_LSB	   1
#define ACCESS_MSB	   2
#define WRITTEN_BITS	   0x0f /* gate, speaker, parity and IOCHK enables */

void hv_x86_pit2_reset(struct hv_x86_pit2 *pit)
{
	*pit = (struct hv_x86_pit2){.access = ACCESS_LSB | ACCESS_MSB};
}

bool hv_x86_pit2_port(uint16_t port)
{
	return port == HV_X86_PIT_CH2 || port == HV_X86_PIT_CONTROL ||
	       port == HV_X86_PORT_NMI_CTRL;
}

static bool gate(const struct hv_x86_pit2 *pit)
{
	return pit->written & HV_X86_NMI_CTRL_GATE2;
}

/* PIT ticks in `ns`, without overflow for any non-negative ns. */
static uint64_t ticks(hv_time_t ns)
{
	uint64_t t = ns > 0 ? (uint64_t)ns : 0;

	return t / NS_PER_S * HV_X86_PIT_HZ +
	       t % NS_PER_S * HV_X86_PIT_HZ / NS_PER_S;
}

/* Ticks counted since the count was loaded (none while the gate is
 * low). */
static uint64_t elapsed(const struct hv_x86_pit2 *pit, hv_time_t now)
{
	return ticks(pit->run_ns + (gate(pit) ? now - pit->since : 0));
}

static uint32_t period(const struct hv_x86_pit2 *pit)
{
	return pit->count ? pit->count : 0x10000u;
}

static uint16_t value(const struct hv_x86_pit2 *pit, hv_time_t now)
{
	uint64_t t = elapsed(pit, now);

	if (!pit->counting)
		return pit->count;
	if (pit->mode == 0)
		return (uint16_t)(pit->count - t); /* wraps past zero */
	return (uint16_t)(period(pit) - t % period(pit));
}

static bool out(const struct hv_x86_pit2 *pit, hv_time_t now)
{
	uint64_t t = elapsed(pit, now);

	if (pit->mode == 0)
		return pit->counting && t >= period(pit);
	/* Mode 3's square wave: high for the first half of each period. */
	return !pit->counting || t % period(pit) < (period(pit) + 1) / 2;
}

static uint8_t read_counter(struct hv_x86_pit2 *pit, hv_time_t now)
{
	uint16_t v = pit->latched ? pit->latch : value(pit, now);
	bool msb = pit->access == ACCESS_MSB ||
		   (pit->access != ACCESS_LSB && pit->read_msb);

	if (pit->access != ACCESS_LSB && pit->access != ACCESS_MSB)
		pit->read_msb = !pit->read_msb;
	/* A latch holds until all of it has been read. */
	if (msb || pit->access == ACCESS_LSB)
		pit->latched = false;
	return msb ? (uint8_t)(v >> 8) : (uint8_t)v;
}

uint8_t hv_x86_pit2_in(struct hv_x86_pit2 *pit, uint16_t port, hv_time_t now)
{
	uint8_t v;

	if (port == HV_X86_PIT_CH2)
		return read_counter(pit, now);
	if (port != HV_X86_PORT_NMI_CTRL)
		return 0xff;
	v = pit->written;
	if ((uint64_t)now / REFRESH_NS & 1)
		v |= HV_X86_NMI_CTRL_REFRESH;
	if (out(pit, now))
		v |= HV_X86_NMI_CTRL_OUT2;
	return v;
}

/* The count is complete: counting starts from it now. */
static void load(struct hv_x86_pit2 *pit, hv_time_t now)
{
	pit->counting = true;
	pit->run_ns = 0;
	pit->since = now;
}

static void write_counter(struct hv_x86_pit2 *pit, uint8_t val, hv_time_t now)
{
	if (pit->access == ACCESS_LSB) {
		pit->count = val;
	} else if (pit->access == ACCESS_MSB) {
		pit->count = (uint16_t)(val << 8);
	} else if (!pit->write_msb) {
		/* Mode 0 stops counting until the count is whole. */
		pit->count = val;
		pit->write_msb = true;
		if (pit->mode == 0)
			pit->counting = false;
		return;
	} else {
		pit->count = (uint16_t)(pit->count | val << 8);
		pit->write_msb = false;
	}
	load(pit, now);
}

static void control(struct hv_x86_pit2 *pit, uint8_t c, hv_time_t now)
{
	if (CONTROL_CHANNEL(c) != 2)
		return;
	if (CONTROL_ACCESS(c) == ACCESS_LATCH) {
		if (!pit->latched) {
			pit->latch = value(pit, now);
			pit->latched = true;
		}
		return;
	}
	pit->access = CONTROL_ACCESS(c);
	/* Modes 6 and 7 are 2 and 3. */
	pit->mode = CONTROL_MODE(c) > 5 ? CONTROL_MODE(c) - 4 : CONTROL_MODE(c);
	pit->counting = false;
	pit->latched = false;
	pit->read_msb = false;
	pit->write_msb = false;
}

static void write_nmi_ctrl(struct hv_x86_pit2 *pit, uint8_t val, hv_time_t now)
{
	bool was = gate(pit);

	pit->written = val & WRITTEN_BITS;
	if (was && !gate(pit))
		pit->run_ns += now - pit->since;
	else if (!was && gate(pit))
		pit->since = now;
}

void hv_x86_pit2_out(struct hv_x86_pit2 *pit, uint16_t port, uint8_t val,
		     hv_time_t now)
{
	if (port == HV_X86_PIT_CH2)
		write_counter(pit, val, now);
	else if (port == HV_X86_PIT_CONTROL)
		control(pit, val, now);
	else if (port == HV_X86_PORT_NMI_CTRL)
		write_nmi_ctrl(pit, val, now);
}
