/*
 * test_config.c - the xl.cfg-style parser: syntax, every key, every
 * message (with file, line and key), and the checks across domains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "testutil.h"

static struct hvkit_domain_cfg cfg;
static struct hvkit_err err;

static int parse(const char *text)
{
	memset(&err, 0, sizeof(err));
	return hvkit_config_parse(&cfg, "dir/guest.cfg", text, strlen(text),
				  &err);
}

/* Parsing @text fails with exactly @msg. */
static void fails(const char *text, const char *msg)
{
	assert_int_equal(parse(text), -1);
	assert_string_equal(err.msg, msg);
}

#define BASE "name = \"g\"\nkernel = \"k\"\nmemory = 16\n"

static void test_every_key(void **state)
{
	(void)state;
	assert_int_equal(parse("name = \"guest-1.a_b\"\n"
			       "type = \"pvh\"\n"
			       "kernel = \"vmlinux\"\n"
			       "ramdisk = \"/abs/initrd\"\n"
			       "cmdline = \"console=hvc0 quiet\"\n"
			       "memory = 128\n"
			       "vcpus = 4\n"
			       "cpus = \"0-3,^1\"\n"
			       "weight = 512\n"
			       "cap = 400\n"
			       "initdomain = 1\n"),
			 0);
	assert_string_equal(cfg.path, "dir/guest.cfg");
	assert_string_equal(cfg.name, "guest-1.a_b");
	assert_string_equal(cfg.kernel, "dir/vmlinux");
	assert_string_equal(cfg.ramdisk, "/abs/initrd");
	assert_string_equal(cfg.cmdline, "console=hvc0 quiet");
	assert_int_equal(cfg.memory_mib, 128);
	assert_int_equal(cfg.vcpus, 4);
	assert_string_equal(cfg.cpus, "0-3,^1");
	assert_int_equal(cfg.weight, 512);
	assert_int_equal(cfg.cap, 400);
	assert_true(cfg.initdomain);
	assert_int_equal(cfg.line[HVKIT_KEY_NAME], 1);
	assert_int_equal(cfg.line[HVKIT_KEY_INITDOMAIN], 11);
	assert_int_equal(cfg.extra_ignored_line, 0);
	hvkit_config_free(&cfg);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(BASE), 0);
	assert_null(cfg.ramdisk);
	assert_string_equal(cfg.cmdline, "");
	assert_int_equal(cfg.vcpus, 1);
	assert_null(cfg.cpus);
	assert_false(cfg.initdomain);
	assert_int_equal(cfg.line[HVKIT_KEY_WEIGHT], 0);
	assert_int_equal(cfg.line[HVKIT_KEY_CAP], 0);
	assert_int_equal(cfg.line[HVKIT_KEY_TYPE], 0);
	hvkit_config_free(&cfg);
}

static void test_key_names(void **state)
{
	static const char *const names[HVKIT_KEY_COUNT] = {
	    "name",   "type",  "kernel", "ramdisk", "cmdline", "extra",
	    "memory", "vcpus", "cpus",	 "weight",  "cap",     "initdomain",
	};
	int k;

	(void)state;
	for (k = 0; k < HVKIT_KEY_COUNT; k++)
		assert_string_equal(hvkit_key_name((enum hvkit_key)k),
				    names[k]);
}

static void test_syntax_accepted(void **state)
{
	(void)state;
	/* Comments, blank lines, CRLF, ';', single quotes, hex, tabs. */
	assert_int_equal(parse("# a comment\n"
			       "\n"
			       "   \t\n"
			       "name = 'g' # trailing comment\r\n"
			       "kernel=\"k\";memory = 0x10 ; vcpus = 2\n"
			       "cmdline = 'say \"hi\" # not a comment'\n"),
			 0);
	assert_string_equal(cfg.name, "g");
	assert_int_equal(cfg.memory_mib, 16);
	assert_int_equal(cfg.vcpus, 2);
	assert_string_equal(cfg.cmdline, "say \"hi\" # not a comment");
	assert_int_equal(cfg.line[HVKIT_KEY_MEMORY], 5);
	assert_int_equal(cfg.line[HVKIT_KEY_CMDLINE], 6);
	hvkit_config_free(&cfg);
}

static void test_escapes(void **state)
{
	(void)state;
	assert_int_equal(parse(BASE "cmdline = \"a\\\\b\\\"c\\'d\\ne\\tf\\rg"
				    "\\a\\b\\f\\vh\\x41\\x7e\"\n"),
			 0);
	assert_string_equal(cfg.cmdline, "a\\b\"c'd\ne\tf\rg\a\b\f\vhA~");
	hvkit_config_free(&cfg);
}

static void test_no_final_newline(void **state)
{
	(void)state;
	assert_int_equal(parse("name = \"g\"\nkernel = \"k\"\nmemory = 1"), 0);
	assert_int_equal(cfg.memory_mib, 1);
	hvkit_config_free(&cfg);
}

static void test_quoted_integer_and_unquoted_string(void **state)
{
	(void)state;
	/* As in xl: an integer may be quoted, a string need not be. */
	assert_int_equal(parse("name = 42\nkernel = \"k\"\nmemory = \"512\"\n"),
			 0);
	assert_string_equal(cfg.name, "42");
	assert_int_equal(cfg.memory_mib, 512);
	hvkit_config_free(&cfg);
}

static void test_relative_paths(void **state)
{
	(void)state;
	assert_int_equal(
	    hvkit_config_parse(&cfg, "guest.cfg", BASE, strlen(BASE), &err), 0);
	assert_string_equal(cfg.kernel, "k");
	hvkit_config_free(&cfg);
	assert_int_equal(parse("name = \"g\"\nkernel = \"../k/vmlinux\"\n"
			       "ramdisk = \"rd\"\nmemory = 16\n"),
			 0);
	assert_string_equal(cfg.kernel, "dir/../k/vmlinux");
	assert_string_equal(cfg.ramdisk, "dir/rd");
	hvkit_config_free(&cfg);
}

static void test_extra(void **state)
{
	(void)state;
	assert_int_equal(parse(BASE "extra = \"root=/dev/xvda\"\n"), 0);
	assert_string_equal(cfg.cmdline, "root=/dev/xvda");
	assert_int_equal(cfg.extra_ignored_line, 0);
	hvkit_config_free(&cfg);

	/* Both: cmdline wins, in either order, as in xl. */
	assert_int_equal(parse(BASE "extra = \"x\"\ncmdline = \"c\"\n"), 0);
	assert_string_equal(cfg.cmdline, "c");
	assert_int_equal(cfg.extra_ignored_line, 4);
	hvkit_config_free(&cfg);
	assert_int_equal(parse(BASE "cmdline = \"c\"\nextra = \"x\"\n"), 0);
	assert_string_equal(cfg.cmdline, "c");
	assert_int_equal(cfg.extra_ignored_line, 5);
	hvkit_config_free(&cfg);
}

static void test_missing_required(void **state)
{
	(void)state;
	fails("kernel = \"k\"\nmemory = 1\n",
	      "dir/guest.cfg: name: required key is missing");
	fails("name = \"g\"\nmemory = 1\n",
	      "dir/guest.cfg: kernel: required key is missing");
	fails("name = \"g\"\nkernel = \"k\"\n",
	      "dir/guest.cfg: memory: required key is missing");
	fails("", "dir/guest.cfg: name: required key is missing");
}

static void test_unknown_and_duplicate(void **state)
{
	(void)state;
	fails(BASE "builder = \"hvm\"\n",
	      "dir/guest.cfg:4: builder: unknown key");
	fails(BASE "Memory = 2\n", "dir/guest.cfg:4: Memory: unknown key");
	fails(BASE "\n\nmemory = 32\n",
	      "dir/guest.cfg:6: memory: set twice (first on line 3)");
}

static void test_name_errors(void **state)
{
	(void)state;
	fails("name = \"a b\"\n",
	      "dir/guest.cfg:1: name: expected 1 to 63 characters from "
	      "[A-Za-z0-9_.-], got \"a b\"");
	fails("name = \"\"\n",
	      "dir/guest.cfg:1: name: expected 1 to 63 characters from "
	      "[A-Za-z0-9_.-], got \"\"");
	fails("name = "
	      "\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	      "_.\"\n",
	      "dir/guest.cfg:1: name: expected 1 to 63 characters from "
	      "[A-Za-z0-9_.-], got "
	      "\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	      "_.\"");
	fails("name = \"hvkit\"\n",
	      "dir/guest.cfg:1: name: \"hvkit\" is reserved for the "
	      "hypervisor's own console lines");
	fails("name = [\"a\"]\n",
	      "dir/guest.cfg:1: name: expected a string, got a list");
	/* xl's names can be 40 characters and more. */
	assert_int_equal(parse("name = "
			       "\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI"
			       "JKLMNOPQRSTUVWXYZ_\"\n"
			       "kernel = \"k\"\nmemory = 1\n"),
			 0);
	assert_int_equal(strlen(cfg.name), 63);
	hvkit_config_free(&cfg);
}

static void test_type_errors(void **state)
{
	(void)state;
	fails("type = \"hvm\"\n",
	      "dir/guest.cfg:1: type: only \"pvh\" is supported, got \"hvm\"");
	fails("type = [ ]\n",
	      "dir/guest.cfg:1: type: expected a string, got a list");
}

static void test_path_errors(void **state)
{
	(void)state;
	fails("kernel = \"\"\n",
	      "dir/guest.cfg:1: kernel: expected a file name, got \"\"");
	fails("ramdisk = ''\n",
	      "dir/guest.cfg:1: ramdisk: expected a file name, got \"\"");
	fails("kernel = [\"a\", \"b\"]\n",
	      "dir/guest.cfg:1: kernel: expected a string, got a list");
	fails("cmdline = [1]\n",
	      "dir/guest.cfg:1: cmdline: expected a string, got a list");
	fails("extra = [1]\n",
	      "dir/guest.cfg:1: extra: expected a string, got a list");
}

static void test_memory(void **state)
{
	(void)state;
	fails("memory = \"lots\"\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"lots\"");
	fails("\n\nmemory = 0\n",
	      "dir/guest.cfg:3: memory: expected a positive integer (MiB), got "
	      "\"0\"");
	fails("memory = -5\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"-5\"");
	fails("memory = 012\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"012\"");
	fails("memory = 12M\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"12M\"");
	fails("memory = 0x\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"0x\"");
	fails("memory = 99999999999999999999\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"99999999999999999999\"");
	/* The largest MiB count whose bytes fit in 64 bits, and one more. */
	fails("memory = 17592186044416\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"17592186044416\"");
	fails("memory = [1]\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "a list");
	assert_int_equal(parse("name = \"g\"\nkernel = \"k\"\n"
			       "memory = 17592186044415\n"),
			 0);
	assert_int_equal(cfg.memory_mib, UINT64_C(17592186044415));
	hvkit_config_free(&cfg);
	assert_int_equal(parse("name = \"g\"\nkernel = \"k\"\nmemory = 0XfF\n"),
			 0);
	assert_int_equal(cfg.memory_mib, 255);
	hvkit_config_free(&cfg);
}

static void test_vcpus(void **state)
{
	(void)state;
	fails("vcpus = 0\n", "dir/guest.cfg:1: vcpus: expected an integer from "
			     "1 to 128, got \"0\"");
	fails("vcpus = 129\n", "dir/guest.cfg:1: vcpus: expected an integer "
			       "from 1 to 128, got \"129\"");
	assert_int_equal(parse(BASE "vcpus = 128\n"), 0);
	assert_int_equal(cfg.vcpus, 128);
	hvkit_config_free(&cfg);
}

static void test_cpus(void **state)
{
	static const char *const good[] = {
	    "all", "0", "3", "0-3", "^1", "0-7,^2", " 0 , 2-3 ", "^0-1,4",
	};
	static const char *const bad[] = {
	    "",	  "x",	     "1-",    "-1", "3-1", "0,",
	    ",0", "nodes:0", "0-3-4", "^",  "1 2", "4294967296",
	};
	char text[128], msg[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), BASE "cpus = \"%s\"\n", good[i]);
		assert_int_equal(parse(text), 0);
		assert_string_equal(cfg.cpus, good[i]);
		hvkit_config_free(&cfg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "cpus = \"%s\"\n", bad[i]);
		snprintf(msg, sizeof(msg),
			 "dir/guest.cfg:1: cpus: expected \"all\" or CPU "
			 "numbers and ranges such as \"0-3,^1\", got \"%s\"",
			 bad[i]);
		fails(text, msg);
	}
	fails("cpus = [\"0\", \"1\"]\n",
	      "dir/guest.cfg:1: cpus: per-vCPU lists are not supported: give "
	      "one string such as \"0-3\"");
}

static void test_weight(void **state)
{
	(void)state;
	fails("weight = 0\n", "dir/guest.cfg:1: weight: expected an integer "
			      "from 1 to 65535, got \"0\"");
	fails("weight = 65536\n", "dir/guest.cfg:1: weight: expected an "
				  "integer from 1 to 65535, got \"65536\"");
	assert_int_equal(parse(BASE "weight = 65535\n"), 0);
	assert_int_equal(cfg.weight, 65535);
	assert_int_equal(cfg.line[HVKIT_KEY_WEIGHT], 4);
	hvkit_config_free(&cfg);
	assert_int_equal(parse(BASE "weight = 1\n"), 0);
	assert_int_equal(cfg.weight, 1);
	hvkit_config_free(&cfg);
}

static void test_cap(void **state)
{
	(void)state;
	/* 0..100 per vCPU, checked once vcpus is known (it may come later). */
	fails(BASE "cap = 101\n", "dir/guest.cfg:4: cap: expected an integer "
				  "from 0 to 100 (100 per vCPU, vcpus = 1), "
				  "got 101");
	fails(BASE "cap = 201\nvcpus = 2\n",
	      "dir/guest.cfg:4: cap: expected an integer from 0 to 200 (100 "
	      "per vCPU, vcpus = 2), got 201");
	fails("cap = -1\n", "dir/guest.cfg:1: cap: expected an integer from 0 "
			    "to 100 per vCPU, got \"-1\"");
	fails("cap = 12801\n", "dir/guest.cfg:1: cap: expected an integer from "
			       "0 to 100 per vCPU, got \"12801\"");
	assert_int_equal(parse(BASE "cap = 200\nvcpus = 2\n"), 0);
	assert_int_equal(cfg.cap, 200);
	hvkit_config_free(&cfg);
	assert_int_equal(parse(BASE "cap = 0\n"), 0);
	assert_int_equal(cfg.cap, 0);
	assert_int_equal(cfg.line[HVKIT_KEY_CAP], 4);
	hvkit_config_free(&cfg);
}

static void test_initdomain(void **state)
{
	(void)state;
	fails("initdomain = 2\n",
	      "dir/guest.cfg:1: initdomain: expected 0 or 1, got \"2\"");
	fails("initdomain = \"yes\"\n",
	      "dir/guest.cfg:1: initdomain: expected 0 or 1, got \"yes\"");
	assert_int_equal(parse(BASE "initdomain = 0\n"), 0);
	assert_false(cfg.initdomain);
	assert_int_equal(cfg.line[HVKIT_KEY_INITDOMAIN], 4);
	hvkit_config_free(&cfg);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	fails("name \"g\"\n",
	      "dir/guest.cfg:1: name: expected '=' after the key, got \"g\"");
	fails("name\n", "dir/guest.cfg:1: name: expected '=' after the key, "
			"got end of line");
	fails("name += \"g\"\n",
	      "dir/guest.cfg:1: name: expected '=' after the key, got +");
	fails("= 3\n",
	      "dir/guest.cfg:1: expected a setting (key = value), got '='");
	fails("\n\"name\" = 3\n", "dir/guest.cfg:2: expected a setting (key = "
				  "value), got \"name\"");
	fails("name = \n", "dir/guest.cfg:1: name: expected a value (a "
			   "\"string\", a number or a [list]) after '=', got "
			   "end of line");
	fails("name = g\n",
	      "dir/guest.cfg:1: name: unquoted value g (strings need quotes)");
	fails(
	    "cpus = all\n",
	    "dir/guest.cfg:1: cpus: unquoted value all (strings need quotes)");
	fails("memory = lots\n",
	      "dir/guest.cfg:1: memory: expected a positive integer (MiB), got "
	      "\"lots\"");
	fails("cpus = [ all ]\n", "dir/guest.cfg:1: cpus: expected a list item "
				  "(a \"string\" or a number), got all");
	fails("name = \"g\" \"h\"\n",
	      "dir/guest.cfg:1: name: unexpected \"h\" after the value (one "
	      "setting per line, or separate them with ';')");
	fails("name = \"g\nkernel = \"k\"\n",
	      "dir/guest.cfg:1: unterminated string");
	fails("name = \"g", "dir/guest.cfg:1: unterminated string");
	fails("\nname = \"a\\qb\"\n",
	      "dir/guest.cfg:2: unknown escape \\q in string (known: \\\\ \\\" "
	      "\\' \\n \\t \\r \\a \\b \\f \\v \\xHH)");
	fails("name = \"a\\x4\"\n",
	      "dir/guest.cfg:1: unknown escape \\x in string (known: \\\\ \\\" "
	      "\\' \\n \\t \\r \\a \\b \\f \\v \\xHH)");
	fails("name = \"a\\x00\"\n", "dir/guest.cfg:1: NUL byte in string");
	fails("name = \"a\\", "dir/guest.cfg:1: unterminated string");
	fails("name = @\n", "dir/guest.cfg:1: unexpected character '@'");
	fails("name = 1 }\n", "dir/guest.cfg:1: unexpected character '}'");
	fails("mem\x01ory = 1\n", "dir/guest.cfg:1: unexpected byte \\x01");
}

static void test_nul_bytes(void **state)
{
	static const char text[] = "name = \"a\0b\"\n";

	(void)state;
	assert_int_equal(
	    hvkit_config_parse(&cfg, "f.cfg", text, sizeof(text) - 1, &err),
	    -1);
	assert_string_equal(err.msg, "f.cfg:1: NUL byte in string");
	assert_int_equal(hvkit_config_parse(&cfg, "f.cfg", "\0", 1, &err), -1);
	assert_string_equal(err.msg, "f.cfg:1: unexpected byte \\x00");
}

static void test_lists(void **state)
{
	(void)state;
	/* A list may span lines and end with a comma; no key takes one. */
	fails("\ncpus = [ \"0\",\n   # comment\n  \"1\",\n]\n",
	      "dir/guest.cfg:2: cpus: per-vCPU lists are not supported: give "
	      "one string such as \"0-3\"");
	fails("cpus = [[\"0\"]]\n",
	      "dir/guest.cfg:1: cpus: lists cannot be nested");
	fails("cpus = [\"0\" \"1\"]\n",
	      "dir/guest.cfg:1: cpus: expected ',' or ']' in list, got \"1\"");
	fails("cpus = [\"0\",\n\n",
	      "dir/guest.cfg:1: cpus: list has no closing ']'");
	fails("cpus = [\"0\"",
	      "dir/guest.cfg:1: cpus: list has no closing ']'");
	fails("cpus = [,]\n", "dir/guest.cfg:1: cpus: expected a list item (a "
			      "\"string\" or a number), got ','");
	fails("cpus = [] 3\n", "dir/guest.cfg:1: cpus: unexpected 3 after the "
			       "value (one setting per line, or separate them "
			       "with ';')");
}

static void test_quote_in_messages(void **state)
{
	char long_name[200];

	(void)state;
	/* Control bytes are escaped, long values cut, quotes escaped. */
	fails("name = \"a\\nb\\\"c\"\n",
	      "dir/guest.cfg:1: name: expected 1 to 63 characters from "
	      "[A-Za-z0-9_.-], got \"a\\x0ab\\x22c\"");
	memset(long_name, 'x', sizeof(long_name));
	memcpy(long_name, "type = \"", 8);
	strcpy(long_name + 150, "\"\n");
	assert_int_equal(parse(long_name), -1);
	assert_non_null(strstr(err.msg, "xxx...\""));
	assert_true(strlen(err.msg) < 150);
}

static void test_load(void **state)
{
	char *dir = tu_mkdtemp();
	char *path = tu_write_str(dir, "a.cfg", BASE);
	char missing[4200];

	(void)state;
	assert_int_equal(hvkit_config_load(&cfg, path, &err), 0);
	assert_string_equal(cfg.name, "g");
	hvkit_config_free(&cfg);
	snprintf(missing, sizeof(missing), "%s/nope.cfg", dir);
	assert_int_equal(hvkit_config_load(&cfg, missing, &err), -1);
	assert_non_null(strstr(err.msg, "cannot read "));
	assert_non_null(strstr(err.msg, "nope.cfg: No such file or directory"));
	assert_int_equal(hvkit_config_load(&cfg, dir, &err), -1);
	assert_non_null(strstr(err.msg, ": Is a directory"));
	tu_rmtree(dir);
	free(path);
	free(dir);
}

/* Parses @n small configs "a.cfg".. with the given names/initdomain. */
static void make_set(struct hvkit_domain_cfg *set, size_t n,
		     const char *const *extra)
{
	char text[256], path[16];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text),
			 "name = \"d%zu\"\nkernel = \"k\"\nmemory = 1\n%s", i,
			 extra[i]);
		snprintf(path, sizeof(path), "%c.cfg", (char)('a' + i));
		assert_int_equal(
		    hvkit_config_parse(&set[i], path, text, strlen(text), &err),
		    0);
	}
}

static void free_set(struct hvkit_domain_cfg *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		hvkit_config_free(&set[i]);
}

static void test_initdomain_default(void **state)
{
	static const char *const none[] = {"", "", ""};
	static const char *const first_off[] = {"initdomain = 0\n", "", ""};
	static const char *const second_on[] = {"", "initdomain = 1\n", ""};
	struct hvkit_domain_cfg set[3];

	(void)state;
	make_set(set, 3, none);
	assert_int_equal(hvkit_config_check_set(set, 3, &err), 0);
	assert_true(set[0].initdomain);
	assert_false(set[1].initdomain);
	assert_false(set[2].initdomain);
	free_set(set, 3);

	make_set(set, 3, first_off);
	assert_int_equal(hvkit_config_check_set(set, 3, &err), 0);
	assert_false(set[0].initdomain || set[1].initdomain ||
		     set[2].initdomain);
	free_set(set, 3);

	make_set(set, 3, second_on);
	assert_int_equal(hvkit_config_check_set(set, 3, &err), 0);
	assert_false(set[0].initdomain);
	assert_true(set[1].initdomain);
	assert_false(set[2].initdomain);
	free_set(set, 3);
	assert_int_equal(hvkit_config_check_set(set, 0, &err), 0);
}

static void test_set_errors(void **state)
{
	static const char *const two_on[] = {"", "initdomain = 1\n",
					     "\ninitdomain = 1\n"};
	static const char *const plain[] = {"", ""};
	struct hvkit_domain_cfg set[3];

	(void)state;
	make_set(set, 3, two_on);
	assert_int_equal(hvkit_config_check_set(set, 3, &err), -1);
	assert_string_equal(err.msg,
			    "c.cfg:5: initdomain: only one domain can be the "
			    "initial domain, and d1 already is (b.cfg)");
	free_set(set, 3);

	make_set(set, 2, plain);
	strcpy(set[1].name, "d0");
	assert_int_equal(hvkit_config_check_set(set, 2, &err), -1);
	assert_string_equal(err.msg, "b.cfg:1: name: domain \"d0\" is already "
				     "defined in a.cfg");
	free_set(set, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_key_names),
	    cmocka_unit_test(test_syntax_accepted),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_no_final_newline),
	    cmocka_unit_test(test_quoted_integer_and_unquoted_string),
	    cmocka_unit_test(test_relative_paths),
	    cmocka_unit_test(test_extra),
	    cmocka_unit_test(test_missing_required),
	    cmocka_unit_test(test_unknown_and_duplicate),
	    cmocka_unit_test(test_name_errors),
	    cmocka_unit_test(test_type_errors),
	    cmocka_unit_test(test_path_errors),
	    cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_vcpus),
	    cmocka_unit_test(test_cpus),
	    cmocka_unit_test(test_weight),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_initdomain),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_quote_in_messages),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_initdomain_default),
	    cmocka_unit_test(test_set_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
