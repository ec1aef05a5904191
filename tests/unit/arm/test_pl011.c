/* The PL011 driver against a fake register block in memory. */
#include <hv/arm_pl011.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define UARTDR 0
#define UARTFR (0x18 / 4)

static uint32_t regs[0x1000 / 4];

static void putc_writes_the_data_register(void **state)
{
	struct hv_pl011 uart;

	(void)state;
	hv_pl011_init(&uart, (uintptr_t)regs);
	regs[UARTFR] = 0; /* transmit FIFO not full */
	hv_pl011_putc(&uart, 'x');
	assert_int_equal(regs[UARTDR], 'x');
	/* Only the data register is written. */
	assert_int_equal(regs[UARTFR], 0);
}

static void write_sends_every_byte_in_order(void **state)
{
	struct hv_pl011 uart;

	(void)state;
	hv_pl011_init(&uart, (uintptr_t)regs);
	hv_pl011_write(&uart, "abc", 3);
	assert_int_equal(regs[UARTDR], 'c');
	hv_pl011_write(&uart, "abc", 0);
	assert_int_equal(regs[UARTDR], 'c');
}

static void log_lines_end_in_newline(void **state)
{
	struct hv_pl011 uart;
	struct hv_log log;

	(void)state;
	hv_pl011_init(&uart, (uintptr_t)regs);
	hv_log_init(&log, hv_pl011_log_sink, &uart, HV_LOG_INFO);
	hv_log_info(&log, "booted");
	assert_int_equal(regs[UARTDR], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(putc_writes_the_data_register),
	    cmocka_unit_test(write_sends_every_byte_in_order),
	    cmocka_unit_test(log_lines_end_in_newline),
	};
	return cmocka_run_group_tests_name("arm-pl011", tests, NULL, NULL);
}
