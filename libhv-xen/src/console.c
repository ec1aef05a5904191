/*
 * Domain consoles: CONSOLEIO_write, line assembly with the domain's name
 * as prefix, and the per-domain rate limit.
 */
#include <hv/fmt.h>
#include <hv/string.h>
#include <hv/xen.h>

#include <xen/xen.h>

#include "xen_internal.h"

/* Guest bytes are read in chunks of this size (Xen's: so a fault part
 * way through leaves the same output behind): a bounded stack buffer,
 * however large the count the guest passes. */
#define CHUNK 127

static void emit(struct hv_xen_domain *d, const char *text, size_t len)
{
	hv_xen_report(d, "(%s) %.*s", d->name, (int)len, text);
}

void hv_xen_console_flush(struct hv_xen_domain *d)
{
	if (d->line_len == 0)
		return;
	emit(d, d->line, d->line_len);
	d->line_len = 0;
}

void hv_xen_report(struct hv_xen_domain *d, const char *fmt, ...)
{
	char out[HV_XEN_NAME_MAX + 4 + HV_XEN_CONSOLE_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	d->ops->console_line(d->opaque, out,
			     hv_min_u64((uint64_t)n, sizeof(out) - 1));
}

/* As Xen does, keep printable ASCII and tabs and drop everything else
 * (escape sequences, NULs, carriage returns): a guest cannot drive the
 * terminal, and every line it prints starts with its own name. */
static bool printable(char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t';
}

static void put_char(struct hv_xen_domain *d, char c)
{
	if (c == '\n') {
		/* An empty line is still a line the guest meant to print. */
		emit(d, d->line, d->line_len);
		d->line_len = 0;
		return;
	}
	if (!printable(c))
		return;
	if (d->line_len == sizeof(d->line))
		hv_xen_console_flush(d);
	d->line[d->line_len++] = c;
}

/* Refill the bucket for the time passed; report drops once there is room
 * again.  Returns how many of `len` bytes may be printed now. */
static size_t admit(struct hv_xen_domain *d, size_t len)
{
	hv_time_t now = d->ops->now(d->opaque);
	hv_time_t elapsed = now - d->console_refilled;

	if (elapsed > 0) {
		uint64_t add =
		    (uint64_t)elapsed / 1000 * HV_XEN_CONSOLE_RATE / 1000000;

		if (add > 0) {
			d->console_tokens = hv_min_u64(d->console_tokens + add,
						       HV_XEN_CONSOLE_BURST);
			d->console_refilled = now;
		}
	}
	if (d->console_dropped && d->console_tokens > 0) {
		hv_xen_console_flush(d);
		hv_xen_report(d,
			      "(hvkit) domain %s: %llu bytes of console "
			      "output dropped (rate limit)",
			      d->name, (unsigned long long)d->console_dropped);
		d->console_dropped = 0;
	}
	len = hv_min_u64(len, d->console_tokens);
	d->console_tokens -= len;
	return len;
}

void hv_xen_console_write(struct hv_xen_domain *d, const char *s, size_t len)
{
	size_t allowed = admit(d, len);

	for (size_t i = 0; i < allowed; i++)
		put_char(d, s[i]);
	d->console_dropped += len - allowed;
}

long hv_xen_console_io(struct hv_xen_domain *d, const struct hv_gmem *gm,
		       uint64_t cmd, uint64_t count, uint64_t buffer)
{
	char chunk[CHUNK];

	/* Xen checks permission before the command: an unprivileged domain
	 * may only write (reading the hypervisor console is dom0's). */
	if (cmd != CONSOLEIO_write)
		return -HV_EPERM;
	/* count is an unsigned int in Xen's prototype. */
	count = (uint32_t)count;
	if (count > UINT64_MAX - buffer)
		return -HV_EFAULT; /* the range wraps around */
	for (uint64_t done = 0; done < count; done += CHUNK) {
		size_t n = hv_min_u64(count - done, CHUNK);

		if (hv_gmem_copy_from(gm, chunk, buffer + done, n))
			return -HV_EFAULT;
		hv_xen_console_write(d, chunk, n);
	}
	return 0;
}
