/*
 * hv/log.h - levelled logging through a sink the caller installs.
 *
 * There is no global logger: a library that logs takes a `const struct
 * hv_log *` from its caller (NULL means silent).  An image installs a sink
 * that writes to its serial port; a unit test installs one that writes to
 * a buffer and asserts on what was logged.
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <hv/compiler.h>
#include <stdarg.h>

HV_BEGIN_DECLS

/* How much a message matters; a logger passes on those at or below its
 * level (ERROR always). */
enum hv_log_level {
	HV_LOG_ERROR = 0,
	HV_LOG_WARN = 1,
	HV_LOG_INFO = 2,
	HV_LOG_DEBUG = 3,
};

/* Longest message, in bytes without the NUL; longer ones are cut and end
 * in "...". */
#define HV_LOG_MSG_MAX 255

/*
 * Receives one formatted message: `msg` holds `len` bytes, NUL-terminated,
 * without a trailing newline.  Called only for messages at or below the
 * logger's level.
 */
typedef void (*hv_log_sink_fn)(void *opaque, enum hv_log_level level,
			       const char *msg, size_t len);

/* A logger: where messages go, and how verbose it is. */
struct hv_log {
	hv_log_sink_fn sink;	 /* NULL: messages go nowhere */
	void *opaque;		 /* the sink's first argument */
	enum hv_log_level level; /* the most verbose level passed on */
};

/* A logger passing messages at or below `level` to sink(opaque, ...). */
void hv_log_init(struct hv_log *log, hv_log_sink_fn sink, void *opaque,
		 enum hv_log_level level);

/* "error", "warn", "info", "debug"; "?" for anything else. */
const char *hv_log_level_name(enum hv_log_level level);

/* Format and pass on a message; does nothing when log is NULL, has no sink,
 * or level is more verbose than log->level. */
void hv_log_printf(const struct hv_log *log, enum hv_log_level level,
		   const char *fmt, ...) HV_PRINTF(3, 4);
void hv_log_vprintf(const struct hv_log *log, enum hv_log_level level,
		    const char *fmt, va_list ap);

/* hv_log_printf at each level: hv_log_info(&log, "x %d", x). */
#define hv_log_err(log, ...)   hv_log_printf(log, HV_LOG_ERROR, __VA_ARGS__)
#define hv_log_warn(log, ...)  hv_log_printf(log, HV_LOG_WARN, __VA_ARGS__)
#define hv_log_info(log, ...)  hv_log_printf(log, HV_LOG_INFO, __VA_ARGS__)
#define hv_log_debug(log, ...) hv_log_printf(log, HV_LOG_DEBUG, __VA_ARGS__)

/*
 * A ready-made sink: a ring buffer over caller memory that keeps the most
 * recent output, one "level: message\n" line per message (like a kernel's
 * dmesg buffer).  Pass hv_log_ring_sink with the ring as opaque.
 */
struct hv_log_ring {
	char *buf;
	size_t size;	/* bytes in buf */
	uint64_t total; /* bytes ever written; the ring holds the last size */
};

/* An empty ring over buf (size bytes), and the sink that appends to it
 * (opaque: the ring). */
void hv_log_ring_init(struct hv_log_ring *ring, char *buf, size_t size);
void hv_log_ring_sink(void *ring, enum hv_log_level level, const char *msg,
		      size_t len);
/*
 * Copy the ring's contents, oldest first, into out and NUL-terminate
 * (out_size > 0).  Returns the number of bytes copied, without the NUL;
 * when out is too small, the newest bytes are kept.
 */
size_t hv_log_ring_read(const struct hv_log_ring *ring, char *out,
			size_t out_size);

HV_END_DECLS

#endif /* HV_LOG_H */
