/* Levelled logging through a caller's sink, and a ring-buffer sink. */
#include <hv/fmt.h>
#include <hv/log.h>
#include <hv/string.h>

void hv_log_init(struct hv_log *log, hv_log_sink_fn sink, void *opaque,
		 enum hv_log_level level)
{
	log->sink = sink;
	log->opaque = opaque;
	log->level = level;
}

const char *hv_log_level_name(enum hv_log_level level)
{
	switch (level) {
	case HV_LOG_ERROR:
		return "error";
	case HV_LOG_WARN:
		return "warn";
	case HV_LOG_INFO:
		return "info";
	case HV_LOG_DEBUG:
		return "debug";
	default:
		return "?";
	}
}

void hv_log_vprintf(const struct hv_log *log, enum hv_log_level level,
		    const char *fmt, va_list ap)
{
	static const char ellipsis[] = "...";
	char msg[HV_LOG_MSG_MAX + 1];
	int n;
	size_t len;

	if (!log || !log->sink || level > log->level)
		return;
	n = hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	/* n < 0: longer than INT_MAX, so cut as well. */
	if (n >= 0 && (size_t)n <= HV_LOG_MSG_MAX) {
		len = (size_t)n;
	} else {
		len = HV_LOG_MSG_MAX;
		memcpy(msg + len - (sizeof(ellipsis) - 1), ellipsis,
		       sizeof(ellipsis) - 1);
	}
	log->sink(log->opaque, level, msg, len);
}

void hv_log_printf(const struct hv_log *log, enum hv_log_level level,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_log_vprintf(log, level, fmt, ap);
	va_end(ap);
}

void hv_log_ring_init(struct hv_log_ring *ring, char *buf, size_t size)
{
	ring->buf = buf;
	ring->size = size;
	ring->total = 0;
}

/* Byte i of the output ever written lives at buf[i % size]. */
static void ring_put(struct hv_log_ring *ring, const char *s, size_t n)
{
	size_t pos, first;

	/* Only the last size bytes of s can survive: skip the rest. */
	if (n > ring->size) {
		ring->total += n - ring->size;
		s += n - ring->size;
		n = ring->size;
	}
	if (!n)
		return;
	pos = (size_t)(ring->total % ring->size);
	first = n < ring->size - pos ? n : ring->size - pos;
	memcpy(ring->buf + pos, s, first);
	memcpy(ring->buf, s + first, n - first);
	ring->total += n;
}

void hv_log_ring_sink(void *opaque, enum hv_log_level level, const char *msg,
		      size_t len)
{
	struct hv_log_ring *ring = opaque;
	const char *name = hv_log_level_name(level);

	ring_put(ring, name, strlen(name));
	ring_put(ring, ": ", 2);
	ring_put(ring, msg, len);
	ring_put(ring, "\n", 1);
}

size_t hv_log_ring_read(const struct hv_log_ring *ring, char *out,
			size_t out_size)
{
	uint64_t held = ring->total < ring->size ? ring->total : ring->size;
	size_t n, pos, first;

	if (!out_size)
		return 0;
	n = held < out_size - 1 ? (size_t)held : out_size - 1;
	if (n) {
		/* The newest n bytes start n before the end of the output. */
		pos = (size_t)((ring->total - n) % ring->size);
		first = n < ring->size - pos ? n : ring->size - pos;
		memcpy(out, ring->buf + pos, first);
		memcpy(out + first, ring->buf, n - first);
	}
	out[n] = '\0';
	return n;
}
