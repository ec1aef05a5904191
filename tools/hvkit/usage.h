/*
 * usage.h - what `hvkit --help` and each subcommand's --help print.
 */
#ifndef HVKIT_USAGE_H
#define HVKIT_USAGE_H

extern const char hvkit_usage_main[];
extern const char hvkit_usage_bundle[];
extern const char hvkit_usage_images[];
extern const char hvkit_usage_run[];

#endif /* HVKIT_USAGE_H */
