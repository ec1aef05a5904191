/* Freestanding <stdlib.h> for libfdt_env.h: libhv-core defines strtoul. */
#ifndef HV_LIBFDT_STUB_STDLIB_H
#define HV_LIBFDT_STUB_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
