/* The PL011 driver against a fake register block in memory. */
#include <hv/arm_pl011.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define UARTDR	 0
#define UARTFR	 (0x18 / 4)
#define UARTIMSC (0x38 / 4)
#define UARTICR	 (0x44 / 4)
#define RXFE	 (1u << 4)
#define INT_RX	 (1u << 4 | 1u << 6) /* receive, receive timeout */

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

/* The fake's FIFO never empties by itself: a read takes `max`. */
static void receive_takes_what_is_there_and_ends_the_interrupt(void **state)
{
	struct hv_pl011 uart;
	char buf[4] = {0};

	(void)state;
	hv_pl011_init(&uart, (uintptr_t)regs);
	regs[UARTIMSC] = 1u << 5;
	hv_pl011_rx_enable(&uart);
	assert_int_equal(regs[UARTIMSC], 1u << 5 | INT_RX);
	regs[UARTFR] = 0;
	regs[UARTDR] = 'k';
	regs[UARTICR] = 0;
	assert_int_equal(hv_pl011_read(&uart, buf, 3), 3);
	assert_string_equal(buf, "kkk");
	assert_int_equal(regs[UARTICR], INT_RX);
	regs[UARTFR] = RXFE;
	assert_int_equal(hv_pl011_read(&uart, buf, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(putc_writes_the_data_register),
	    cmocka_unit_test(write_sends_every_byte_in_order),
	    cmocka_unit_test(log_lines_end_in_newline),
	    cmocka_unit_test(
		receive_takes_what_is_there_and_ends_the_interrupt),
	};
	return cmocka_run_group_tests_name("arm-pl011", tests, NULL, NULL);
}
