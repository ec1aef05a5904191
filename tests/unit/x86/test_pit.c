/* Channel 2 of the PIT and port 0x61: counting at 1.193182 MHz in mode 0
 * as Linux's TSC calibration programs it, OUT at terminal count, the gate,
 * latches, the access modes, and port 0x61's bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <hv/x86_pit.h>

#define T0 5000000000 /* ns: an arbitrary start time */
#define MS 1000000

static uint8_t in(struct hv_x86_pit2 *p, uint16_t port, hv_time_t t)
{
	return hv_x86_pit2_in(p, port, t);
}

static void out(struct hv_x86_pit2 *p, uint16_t port, uint8_t v, hv_time_t t)
{
	hv_x86_pit2_out(p, port, v, t);
}

/* Two reads of an LSB-then-MSB counter. */
static unsigned int read16(struct hv_x86_pit2 *p, hv_time_t t)
{
	unsigned int lsb = in(p, HV_X86_PIT_CH2, t);

	return lsb | (unsigned int)in(p, HV_X86_PIT_CH2, t) << 8;
}

/* As quick_pit_calibrate: gate high, speaker off; channel 2, LSB then
 * MSB, mode 0, binary; count 0xffff. */
static void program_as_linux(struct hv_x86_pit2 *p, hv_time_t t)
{
	hv_x86_pit2_reset(p);
	out(p, HV_X86_PORT_NMI_CTRL,
	    (in(p, HV_X86_PORT_NMI_CTRL, t) & ~HV_X86_NMI_CTRL_SPEAKER) |
		HV_X86_NMI_CTRL_GATE2,
	    t);
	out(p, HV_X86_PIT_CONTROL, 0xb0, t);
	out(p, HV_X86_PIT_CH2, 0xff, t);
	out(p, HV_X86_PIT_CH2, 0xff, t);
}

static void counts_down_at_the_pit_rate(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	assert_int_equal(read16(&p, T0), 0xffff);
	/* 1 ms is 1193 ticks; 1 s exactly HV_X86_PIT_HZ. */
	assert_int_equal(read16(&p, T0 + MS), 0xffff - 1193);
	assert_int_equal(read16(&p, T0 + 50 * MS), 0xffff - 59659);
	/* The MSB steps every 256 ticks (214.6 us), as Linux expects. */
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 214000), 0x00);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 214000), 0xff);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 215000), 0xff);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 215000), 0xfe);
	/* Mode 0 wraps past zero and goes on counting. */
	assert_int_equal(read16(&p, T0 + 1000 * MS),
			 (0xffff - HV_X86_PIT_HZ) & 0xffff);
}

static void out_rises_at_terminal_count(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	out(&p, HV_X86_PIT_CH2, 1193 & 0xff, T0);
	out(&p, HV_X86_PIT_CH2, 1193 >> 8, T0);
	assert_false(in(&p, HV_X86_PORT_NMI_CTRL, T0 + 999000) &
		     HV_X86_NMI_CTRL_OUT2);
	assert_true(in(&p, HV_X86_PORT_NMI_CTRL, T0 + 1001000) &
		    HV_X86_NMI_CTRL_OUT2);
	/* A new control word drops OUT and stops the count until loaded. */
	out(&p, HV_X86_PIT_CONTROL, 0xb0, T0 + 2 * MS);
	assert_false(in(&p, HV_X86_PORT_NMI_CTRL, T0 + 3 * MS) &
		     HV_X86_NMI_CTRL_OUT2);
	out(&p, HV_X86_PIT_CH2, 0x10, T0 + 3 * MS);
	assert_int_equal(read16(&p, T0 + 4 * MS), 0x0010);
	out(&p, HV_X86_PIT_CH2, 0x00, T0 + 4 * MS);
	assert_int_equal(read16(&p, T0 + 4 * MS), 0x0010);
}

static void the_gate_holds_the_count(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	out(&p, HV_X86_PORT_NMI_CTRL, 0, T0 + MS);
	assert_int_equal(read16(&p, T0 + 10 * MS), 0xffff - 1193);
	out(&p, HV_X86_PORT_NMI_CTRL, HV_X86_NMI_CTRL_GATE2, T0 + 10 * MS);
	assert_int_equal(read16(&p, T0 + 11 * MS), 0xffff - 2386);
	/* Loaded while the gate is low: nothing counted until it rises. */
	out(&p, HV_X86_PORT_NMI_CTRL, 0, T0 + 20 * MS);
	out(&p, HV_X86_PIT_CONTROL, 0xb0, T0 + 20 * MS);
	out(&p, HV_X86_PIT_CH2, 0x00, T0 + 20 * MS);
	out(&p, HV_X86_PIT_CH2, 0x80, T0 + 20 * MS);
	assert_int_equal(read16(&p, T0 + 30 * MS), 0x8000);
	out(&p, HV_X86_PORT_NMI_CTRL, HV_X86_NMI_CTRL_GATE2, T0 + 30 * MS);
	assert_int_equal(read16(&p, T0 + 31 * MS), 0x8000 - 1193);
}

static void a_latch_holds_until_read(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	out(&p, HV_X86_PIT_CONTROL, 0x80, T0 + MS);	/* latch channel 2 */
	out(&p, HV_X86_PIT_CONTROL, 0x80, T0 + 2 * MS); /* ignored */
	assert_int_equal(read16(&p, T0 + 5 * MS), 0xffff - 1193);
	assert_int_equal(read16(&p, T0 + 5 * MS), 0xffff - 5965);
	/* Control words for channels 0 and 1 change nothing here. */
	out(&p, HV_X86_PIT_CONTROL, 0x34, T0 + 5 * MS);
	out(&p, HV_X86_PIT_CONTROL, 0x40, T0 + 5 * MS);
	assert_int_equal(read16(&p, T0 + 5 * MS), 0xffff - 5965);
}

static void lsb_only_and_msb_only(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	out(&p, HV_X86_PIT_CONTROL, 0x90, T0); /* LSB only, mode 0 */
	out(&p, HV_X86_PIT_CH2, 200, T0);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 100000), 200 - 119);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + 100000), 200 - 119);
	out(&p, HV_X86_PIT_CONTROL, 0xa0, T0); /* MSB only */
	out(&p, HV_X86_PIT_CH2, 0x12, T0);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0), 0x12);
	assert_int_equal(in(&p, HV_X86_PIT_CH2, T0 + MS), 0x0d);
}

static void periodic_modes(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	program_as_linux(&p, T0);
	out(&p, HV_X86_PIT_CONTROL, 0xb6, T0); /* mode 3, square wave */
	out(&p, HV_X86_PIT_CH2, 1000 & 0xff, T0);
	out(&p, HV_X86_PIT_CH2, 1000 >> 8, T0);
	/* 1193 ticks into a 1000-tick period: 193 in, the first half. */
	assert_int_equal(read16(&p, T0 + MS), 1000 - 193);
	assert_true(in(&p, HV_X86_PORT_NMI_CTRL, T0 + MS) &
		    HV_X86_NMI_CTRL_OUT2);
	/* 700 ticks in: the second half, OUT low. */
	assert_false(in(&p, HV_X86_PORT_NMI_CTRL, T0 + 587000) &
		     HV_X86_NMI_CTRL_OUT2);
}

static void port_61(void **state)
{
	struct hv_x86_pit2 p;

	(void)state;
	hv_x86_pit2_reset(&p);
	/* Nothing loaded yet: OUT low in mode 0, no NMI status bits. */
	assert_int_equal(in(&p, HV_X86_PORT_NMI_CTRL, 0), 0);
	out(&p, HV_X86_PORT_NMI_CTRL, 0xff, 0);
	assert_int_equal(in(&p, HV_X86_PORT_NMI_CTRL, 0) & 0xcf, 0x0f);
	/* The refresh bit toggles every 15.085 us. */
	assert_int_equal(
	    in(&p, HV_X86_PORT_NMI_CTRL, 15084) & HV_X86_NMI_CTRL_REFRESH, 0);
	assert_int_equal(in(&p, HV_X86_PORT_NMI_CTRL, 15085) &
			     HV_X86_NMI_CTRL_REFRESH,
			 HV_X86_NMI_CTRL_REFRESH);
	/* The control register is write-only. */
	assert_int_equal(in(&p, HV_X86_PIT_CONTROL, 0), 0xff);
	assert_true(hv_x86_pit2_port(0x42) && hv_x86_pit2_port(0x43) &&
		    hv_x86_pit2_port(0x61));
	assert_false(hv_x86_pit2_port(0x40) || hv_x86_pit2_port(0x41) ||
		     hv_x86_pit2_port(0x60));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(counts_down_at_the_pit_rate),
	    cmocka_unit_test(out_rises_at_terminal_count),
	    cmocka_unit_test(the_gate_holds_the_count),
	    cmocka_unit_test(a_latch_holds_until_read),
	    cmocka_unit_test(lsb_only_and_msb_only),
	    cmocka_unit_test(periodic_modes),
	    cmocka_unit_test(port_61),
	};

	return cmocka_run_group_tests_name("x86-pit", tests, NULL, NULL);
}
