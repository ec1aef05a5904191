/*
 * hv/log.h: level filtering, formatting and truncation through a capturing
 * sink, and the ring-buffer sink against a plain record of everything
 * written to it.
 */
#include <hv/fmt.h>
#include <hv/log.h>
#include <hv/string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

struct capture {
	unsigned int calls;
	enum hv_log_level level;
	size_t len;
	char msg[HV_LOG_MSG_MAX + 1];
};

static void capture_sink(void *opaque, enum hv_log_level level, const char *msg,
			 size_t len)
{
	struct capture *c = opaque;

	/* The contract: len bytes, then a NUL. */
	assert_true(len <= HV_LOG_MSG_MAX);
	assert_int_equal(msg[len], '\0');
	assert_int_equal(strlen(msg), len);
	c->calls++;
	c->level = level;
	c->len = len;
	memcpy(c->msg, msg, len + 1);
}

static void level_names(void **state)
{
	(void)state;
	assert_string_equal(hv_log_level_name(HV_LOG_ERROR), "error");
	assert_string_equal(hv_log_level_name(HV_LOG_WARN), "warn");
	assert_string_equal(hv_log_level_name(HV_LOG_INFO), "info");
	assert_string_equal(hv_log_level_name(HV_LOG_DEBUG), "debug");
	assert_string_equal(hv_log_level_name((enum hv_log_level)4), "?");
	assert_string_equal(hv_log_level_name((enum hv_log_level) - 1), "?");
}

static void init_sets_fields(void **state)
{
	struct hv_log log;
	struct capture cap = {0};

	(void)state;
	hv_log_init(&log, capture_sink, &cap, HV_LOG_WARN);
	assert_ptr_equal(log.sink, capture_sink);
	assert_ptr_equal(log.opaque, &cap);
	assert_int_equal(log.level, HV_LOG_WARN);
}

/* A logger at level L passes on L and everything less verbose. */
static void levels_filter(void **state)
{
	static const enum hv_log_level levels[] = {HV_LOG_ERROR, HV_LOG_WARN,
						   HV_LOG_INFO, HV_LOG_DEBUG};

	(void)state;
	for (size_t at = 0; at < HV_ARRAY_SIZE(levels); at++) {
		for (size_t msg = 0; msg < HV_ARRAY_SIZE(levels); msg++) {
			struct capture cap = {0};
			struct hv_log log;

			hv_log_init(&log, capture_sink, &cap, levels[at]);
			hv_log_printf(&log, levels[msg], "m%zu", msg);
			assert_int_equal(cap.calls, msg <= at ? 1 : 0);
			if (cap.calls)
				assert_int_equal(cap.level, levels[msg]);
		}
	}
}

static void level_macros(void **state)
{
	struct capture cap = {0};
	struct hv_log log;

	(void)state;
	hv_log_init(&log, capture_sink, &cap, HV_LOG_DEBUG);
	hv_log_err(&log, "e");
	assert_int_equal(cap.level, HV_LOG_ERROR);
	hv_log_warn(&log, "w");
	assert_int_equal(cap.level, HV_LOG_WARN);
	hv_log_info(&log, "i");
	assert_int_equal(cap.level, HV_LOG_INFO);
	hv_log_debug(&log, "d");
	assert_int_equal(cap.level, HV_LOG_DEBUG);
	assert_string_equal(cap.msg, "d");
	assert_int_equal(cap.calls, 4);
}

static void null_log_and_null_sink_are_silent(void **state)
{
	struct capture cap = {0};
	struct hv_log log;

	(void)state;
	hv_log_printf(NULL, HV_LOG_ERROR, "dropped %d", 1);
	hv_log_init(&log, NULL, &cap, HV_LOG_DEBUG);
	hv_log_printf(&log, HV_LOG_ERROR, "dropped %d", 2);
	assert_int_equal(cap.calls, 0);
}

static void formats_and_keeps_newlines(void **state)
{
	struct capture cap = {0};
	struct hv_log log;

	(void)state;
	hv_log_init(&log, capture_sink, &cap, HV_LOG_INFO);
	hv_log_info(&log, "d%d: %s", 3, "up");
	assert_string_equal(cap.msg, "d3: up");
	assert_int_equal(cap.len, 6);
	/* Nothing is stripped: a newline the caller wrote is passed on. */
	hv_log_info(&log, "two\nlines\n");
	assert_string_equal(cap.msg, "two\nlines\n");
	hv_log_info(&log, "%s", "");
	assert_int_equal(cap.len, 0);
}

static void log_v(const struct hv_log *log, enum hv_log_level level,
		  const char *fmt, ...) HV_PRINTF(3, 4);

static void log_v(const struct hv_log *log, enum hv_log_level level,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_log_vprintf(log, level, fmt, ap);
	va_end(ap);
}

static void vprintf_formats(void **state)
{
	struct capture cap = {0};
	struct hv_log log;

	(void)state;
	hv_log_init(&log, capture_sink, &cap, HV_LOG_WARN);
	log_v(&log, HV_LOG_WARN, "%#x-%c", 0x2au, 'z');
	assert_string_equal(cap.msg, "0x2a-z");
	log_v(&log, HV_LOG_DEBUG, "filtered");
	assert_int_equal(cap.calls, 1);
}

/* A message of exactly HV_LOG_MSG_MAX bytes is whole; one byte more and it
 * is cut to HV_LOG_MSG_MAX, ending in "...". */
static void long_messages_are_cut(void **state)
{
	static const size_t lengths[] = {HV_LOG_MSG_MAX - 1, HV_LOG_MSG_MAX,
					 HV_LOG_MSG_MAX + 1, HV_LOG_MSG_MAX + 2,
					 1000};
	char text[1001];
	struct capture cap = {0};
	struct hv_log log;

	(void)state;
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('a' + i % 26);
	hv_log_init(&log, capture_sink, &cap, HV_LOG_ERROR);
	for (size_t i = 0; i < HV_ARRAY_SIZE(lengths); i++) {
		size_t n = lengths[i];

		hv_log_err(&log, "%.*s", (int)n, text);
		if (n <= HV_LOG_MSG_MAX) {
			assert_int_equal(cap.len, n);
			assert_memory_equal(cap.msg, text, n);
			continue;
		}
		assert_int_equal(cap.len, HV_LOG_MSG_MAX);
		assert_memory_equal(cap.msg, text, HV_LOG_MSG_MAX - 3);
		assert_string_equal(cap.msg + HV_LOG_MSG_MAX - 3, "...");
	}
}

static void ring_formats_lines(void **state)
{
	char buf[64], out[64];
	struct hv_log_ring ring;
	struct hv_log log;

	(void)state;
	hv_log_ring_init(&ring, buf, sizeof(buf));
	hv_log_init(&log, hv_log_ring_sink, &ring, HV_LOG_INFO);
	assert_int_equal(hv_log_ring_read(&ring, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	hv_log_err(&log, "disk %d", 0);
	hv_log_info(&log, "ok");
	hv_log_debug(&log, "not kept");
	assert_int_equal(hv_log_ring_read(&ring, out, sizeof(out)), 23);
	assert_string_equal(out, "error: disk 0\ninfo: ok\n");
	assert_int_equal(ring.total, 23);
}

/*
 * For every ring size and every read size, after many messages: the ring
 * holds the newest min(total, size) bytes of everything written, and a read
 * returns the newest that fit, oldest first.
 */
static void ring_wraps_keeping_newest(void **state)
{
	char all[4096];
	size_t all_len = 0;

	(void)state;
	for (size_t msg = 0; msg < 60; msg++)
		all_len += (size_t)hv_snprintf(
		    all + all_len, sizeof(all) - all_len, "%s: message %zu\n",
		    hv_log_level_name(msg % 4), msg);

	for (size_t size = 1; size <= 80; size++) {
		char buf[80], out[100];
		struct hv_log_ring ring;
		char text[32];

		hv_log_ring_init(&ring, buf, size);
		for (size_t msg = 0; msg < 60; msg++) {
			int n =
			    hv_snprintf(text, sizeof(text), "message %zu", msg);

			hv_log_ring_sink(&ring, (enum hv_log_level)(msg % 4),
					 text, (size_t)n);
		}
		assert_int_equal(ring.total, all_len);
		for (size_t out_size = 1; out_size <= sizeof(out); out_size++) {
			size_t held = size < all_len ? size : all_len;
			size_t want = held < out_size - 1 ? held : out_size - 1;

			hv_memset(out, '#', sizeof(out));
			assert_int_equal(hv_log_ring_read(&ring, out, out_size),
					 want);
			assert_memory_equal(out, all + all_len - want, want);
			assert_int_equal(out[want], '\0');
			if (want + 1 < sizeof(out))
				assert_int_equal(out[want + 1], '#');
		}
	}
}

/* One message longer than the whole ring leaves its own tail. */
static void ring_message_longer_than_ring(void **state)
{
	char buf[8], out[16];
	struct hv_log_ring ring;

	(void)state;
	hv_log_ring_init(&ring, buf, sizeof(buf));
	hv_log_ring_sink(&ring, HV_LOG_WARN, "0123456789abcdef", 16);
	assert_int_equal(ring.total, 23);
	assert_int_equal(hv_log_ring_read(&ring, out, sizeof(out)), 8);
	assert_string_equal(out, "9abcdef\n");
}

/* An empty ring counts what it was sent and reads back nothing. */
static void ring_of_size_zero(void **state)
{
	char out[4];
	struct hv_log_ring ring;

	(void)state;
	hv_log_ring_init(&ring, NULL, 0);
	hv_log_ring_sink(&ring, HV_LOG_ERROR, "x", 1);
	assert_int_equal(ring.total, 9);
	assert_int_equal(hv_log_ring_read(&ring, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(level_names),
	    cmocka_unit_test(init_sets_fields),
	    cmocka_unit_test(levels_filter),
	    cmocka_unit_test(level_macros),
	    cmocka_unit_test(null_log_and_null_sink_are_silent),
	    cmocka_unit_test(formats_and_keeps_newlines),
	    cmocka_unit_test(vprintf_formats),
	    cmocka_unit_test(long_messages_are_cut),
	    cmocka_unit_test(ring_formats_lines),
	    cmocka_unit_test(ring_wraps_keeping_newest),
	    cmocka_unit_test(ring_message_longer_than_ring),
	    cmocka_unit_test(ring_of_size_zero),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
