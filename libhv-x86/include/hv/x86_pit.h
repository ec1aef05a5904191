/*
 * hv/x86_pit.h - channel 2 of an i8254 programmable interval timer, with
 * the bits of port 0x61 (NMI status and control) that belong to it: its
 * gate, the speaker enable and its output.  Enough for a guest to see the
 * counter count, which is what Linux's boot-time TSC calibration
 * (quick_pit_calibrate) waits for: against a PIT that reads all ones it
 * spins 50,000 times, two port reads each, before giving up.
 *
 * Portable state and logic only, unit-tested on the host: the caller
 * traps the byte accesses to the three ports (hv_x86_pit2_port) and gives
 * the time in ns.  The counter runs at HV_X86_PIT_HZ.  Mode 0 (interrupt
 * on terminal count) counts down once, OUT rising at zero, then wraps as
 * the chip does; every other mode counts down periodically from the count
 * with OUT as mode 3's square wave.  Binary counting only (the BCD bit is
 * ignored); no read-back command; the gate holds the count while low.
 * Channels 0 and 1 are not modelled, and channel 2 raises no interrupt.
 */
#ifndef HV_X86_PIT_H
#define HV_X86_PIT_H

#include <hv/types.h>

HV_BEGIN_DECLS

#define HV_X86_PIT_HZ	     1193182 /* the PIT's input clock */
#define HV_X86_PIT_CH2	     0x42    /* channel 2's counter */
#define HV_X86_PIT_CONTROL   0x43    /* the mode/command register */
#define HV_X86_PORT_NMI_CTRL 0x61    /* NMI status and control */

/* Port 0x61's bits. */
#define HV_X86_NMI_CTRL_GATE2	0x01 /* channel 2's gate */
#define HV_X86_NMI_CTRL_SPEAKER 0x02 /* speaker data enable */
#define HV_X86_NMI_CTRL_REFRESH 0x10 /* toggles every 15.085 us */
#define HV_X86_NMI_CTRL_OUT2	0x20 /* channel 2's output */

/* Channel 2 of the PIT and port 0x61's gate, as a guest programs them. */
struct hv_x86_pit2 {
	uint16_t count;	 /* the count loaded (0 means 65536) */
	uint16_t latch;	 /* a latched value, waiting to be read */
	uint8_t access;	 /* 1 LSB only, 2 MSB only, 3 LSB then MSB */
	uint8_t mode;	 /* 0-5 */
	uint8_t written; /* port 0x61's bits 0-3 as last written */
	bool latched;
	bool read_msb;	/* the next read of an LSB-then-MSB access */
	bool write_msb; /* the next write of one */
	bool counting;	/* a count is loaded */
	/* Time counted: run_ns before the gate last rose, and since when it
	 * has been high (valid while it is). */
	hv_time_t run_ns;
	hv_time_t since;
};

/* The state after reset: no count loaded, gate low. */
void hv_x86_pit2_reset(struct hv_x86_pit2 *pit);

/* Whether `port` is one of the model's (0x42, 0x43, 0x61). */
bool hv_x86_pit2_port(uint16_t port);

/* A byte read from, or written to, one of the model's ports at `now`
 * (ns).  The control register reads all ones (it is write-only); a
 * control word for another channel is ignored. */
uint8_t hv_x86_pit2_in(struct hv_x86_pit2 *pit, uint16_t port, hv_time_t now);
void hv_x86_pit2_out(struct hv_x86_pit2 *pit, uint16_t port, uint8_t val,
		     hv_time_t now);

HV_END_DECLS

#endif /* HV_X86_PIT_H */
