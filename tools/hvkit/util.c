/*
 * util.c - error messages, whole-file I/O, paths and allocation for hvkit.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hvkit_errf(struct hvkit_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int hvkit_err_prefix(struct hvkit_err *err, const char *fmt, ...)
{
	char prefix[sizeof(err->msg)];
	char old[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s%s", prefix, old);
	return -1;
}

void *hvkit_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p) {
		fprintf(stderr, "hvkit: out of memory (%zu bytes)\n", size);
		exit(EXIT_FAILURE);
	}
	return p;
}

void *hvkit_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "hvkit: out of memory\n");
		exit(EXIT_FAILURE);
	}
	return p;
}

void *hvkit_xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fprintf(stderr, "hvkit: out of memory (%zu bytes)\n", size);
		exit(EXIT_FAILURE);
	}
	return p;
}

char *hvkit_xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(hvkit_xmalloc(len), s, len);
}

/* Reads an open regular file of known size; fails on a short read. */
static int read_all(int fd, uint8_t *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO; /* the file shrank while we read it */
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int hvkit_file_read(struct hvkit_file *f, const char *path,
		    struct hvkit_err *err)
{
	struct stat st;
	int fd;

	f->data = NULL;
	f->size = 0;
	/* O_NONBLOCK: opening a FIFO must not hang; files ignore it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return hvkit_errf(err, "cannot read %s: %s", path,
				  strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return hvkit_errf(err, "cannot read %s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return hvkit_errf(err, "cannot read %s: %s", path,
				  S_ISDIR(st.st_mode) ? strerror(EISDIR)
						      : "not a regular file");
	}
	f->size = (size_t)st.st_size;
	if (f->size) {
		f->data = hvkit_xmalloc(f->size);
		if (read_all(fd, f->data, f->size) < 0) {
			int e = errno;

			close(fd);
			hvkit_file_free(f);
			return hvkit_errf(err, "cannot read %s: %s", path,
					  strerror(e));
		}
	}
	close(fd);
	return 0;
}

void hvkit_file_free(struct hvkit_file *f)
{
	free(f->data);
	f->data = NULL;
	f->size = 0;
}

static int write_all(int fd, const uint8_t *buf, size_t size)
{
	while (size) {
		ssize_t n = write(fd, buf, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		size -= (size_t)n;
	}
	return 0;
}

int hvkit_file_write(const char *path, const void *data, size_t size,
		     struct hvkit_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	int e;

	if (fd < 0)
		return hvkit_errf(err, "cannot write %s: %s", path,
				  strerror(errno));
	if (write_all(fd, data, size) == 0 && close(fd) == 0)
		return 0;
	e = errno;
	close(fd);
	unlink(path);
	return hvkit_errf(err, "cannot write %s: %s", path, strerror(e));
}

char *hvkit_path_relative_to(const char *base, const char *path)
{
	const char *slash = strrchr(base, '/');
	size_t dirlen;
	char *out;

	if (path[0] == '/' || !slash)
		return hvkit_xstrdup(path);
	dirlen = (size_t)(slash - base) + 1; /* keeps the '/' */
	out = hvkit_xmalloc(dirlen + strlen(path) + 1);
	memcpy(out, base, dirlen);
	strcpy(out + dirlen, path);
	return out;
}

uint32_t hvkit_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

uint64_t hvkit_le64(const uint8_t *p)
{
	return (uint64_t)hvkit_le32(p) | (uint64_t)hvkit_le32(p + 4) << 32;
}
