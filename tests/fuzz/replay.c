/*
 * A fuzz harness as a plain program: run every file of each corpus
 * directory given (or each file given) once through
 * LLVMFuzzerTestOneInput, directories in name order, so the regression
 * inputs run in every build's tests (suite fuzz).  A bad input aborts
 * inside the harness; an empty or unreadable corpus fails.
 */
#define _DEFAULT_SOURCE /* scandir */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		return -1;
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), done = 0;

	if (n < 0) {
		fprintf(stderr, "%s: cannot read\n", dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			if (replay_file(path)) {
				fprintf(stderr, "%s: cannot read\n", path);
				return -1;
			}
			done++;
		}
		free(names[i]);
	}
	free(names);
	printf("%s: %d inputs replayed\n", dir, done);
	return done ? 0 : -1;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int rc = stat(argv[i], &st)    ? -1
			 : S_ISDIR(st.st_mode) ? replay_dir(argv[i])
					       : replay_file(argv[i]);

		if (rc) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
	}
	return argc > 1 ? 0 : 2;
}
