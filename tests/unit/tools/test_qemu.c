/*
 * test_qemu.c - the QEMU command line (a pure function of the options),
 * the default memory, shell quoting for --verbose, and finding the image.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "qemu.h"
#include "recipes.h"
#include "testutil.h"

static void check_argv(const struct hvkit_argv *a, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		assert_true(i < a->n);
		assert_string_equal(a->v[i], want[i]);
	}
	assert_int_equal(a->n, i);
	assert_null(a->v[i]);
}

/* hvkit_qemu_argv makes the command line `want` of the options o. */
static void check_qemu_argv(const struct hvkit_qemu_opts *o,
			    const char *const *want)
{
	struct hvkit_argv a;

	hvkit_qemu_argv(&a, o);
	check_argv(&a, want);
	hvkit_qemu_argv_free(&a);
}

static void test_aarch64_default(void **state)
{
	static const char *const want[] = {
	    "qemu-system-aarch64",
	    "-M",
	    "virt,virtualization=on,gic-version=3",
	    "-cpu",
	    "cortex-a57,pmu=off",
	    "-smp",
	    "1",
	    "-m",
	    "192M",
	    "-nographic",
	    "-no-reboot",
	    "-semihosting",
	    "-kernel",
	    "img",
	    "-initrd",
	    "b",
	    NULL,
	};
	const struct hvkit_qemu_opts o = {
	    .arch = HVKIT_ARCH_AARCH64,
	    .memory_mib = 192,
	    .image = "img",
	    .bundle = "b",
	};
	struct hvkit_argv a;

	(void)state;
	hvkit_qemu_argv(&a, &o);
	check_argv(&a, want);
	hvkit_qemu_argv_free(&a);
	assert_null(a.v);
	assert_int_equal(a.n, 0);
}

/* --trace: the option names the file; x86 also gets the debugcon whose
 * chardev writes it, with a comma in the path doubled. */
static void test_trace(void **state)
{
	static const char *const arm[] = {
	    "qemu-system-aarch64",
	    "-M",
	    "virt,virtualization=on,gic-version=3",
	    "-cpu",
	    "cortex-a57,pmu=off",
	    "-smp",
	    "1",
	    "-m",
	    "192M",
	    "-nographic",
	    "-no-reboot",
	    "-semihosting",
	    "-append",
	    "trace=t,1.bin",
	    "-kernel",
	    "img",
	    "-initrd",
	    "b",
	    NULL,
	};
	static const char *const x86[] = {
	    "qemu-system-x86_64",
	    "-M",
	    "microvm",
	    "-accel",
	    "tcg",
	    "-cpu",
	    "qemu64,+svm,+npt",
	    "-smp",
	    "1",
	    "-m",
	    "192M",
	    "-nodefaults",
	    "-no-user-config",
	    "-serial",
	    "stdio",
	    "-display",
	    "none",
	    "-no-reboot",
	    "-device",
	    "isa-debug-exit,iobase=0xf4,iosize=0x04",
	    "-append",
	    "ram-zeroed trace=t,1.bin",
	    "-chardev",
	    "file,id=hvtrace,path=t,,1.bin",
	    "-device",
	    "isa-debugcon,iobase=0x402,chardev=hvtrace",
	    "-kernel",
	    "img",
	    "-initrd",
	    "b",
	    NULL,
	};
	struct hvkit_qemu_opts o = {
	    .arch = HVKIT_ARCH_AARCH64,
	    .memory_mib = 192,
	    .image = "img",
	    .bundle = "b",
	    .trace = "t,1.bin",
	};

	(void)state;
	check_qemu_argv(&o, arm);
	o.arch = HVKIT_ARCH_X86_64;
	check_qemu_argv(&o, x86);
}

static void test_x86_default(void **state)
{
	static const char *const want[] = {
	    "qemu-system-x86_64",
	    "-M",
	    "microvm",
	    "-accel",
	    "tcg",
	    "-cpu",
	    "qemu64,+svm,+npt",
	    "-smp",
	    "1",
	    "-m",
	    "64M",
	    "-nodefaults",
	    "-no-user-config",
	    "-serial",
	    "stdio",
	    "-display",
	    "none",
	    "-no-reboot",
	    "-device",
	    "isa-debug-exit,iobase=0xf4,iosize=0x04",
	    "-append",
	    "ram-zeroed", /* microvm's firmware leaves RAM zero */
	    "-kernel",
	    "/x/x86-mini.elf",
	    "-initrd",
	    "/tmp/bundle",
	    NULL,
	};
	const struct hvkit_qemu_opts o = {
	    .arch = HVKIT_ARCH_X86_64,
	    .memory_mib = 64,
	    .image = "/x/x86-mini.elf",
	    .bundle = "/tmp/bundle",
	};

	(void)state;
	check_qemu_argv(&o, want);
}

/* ram-zeroed is hvkit's word for microvm's own firmware: not passed when
 * the arguments after `--` may change the machine or the firmware. */
/* No argument of the command line is `arg`. */
static void assert_no_arg(const struct hvkit_argv *a, const char *arg)
{
	for (size_t i = 0; i < a->n; i++)
		assert_string_not_equal(a->v[i], arg);
}

/* An x86_64 image on the default machine, 64 MiB, nothing else asked. */
static struct hvkit_qemu_opts x86_plain(void)
{
	return (struct hvkit_qemu_opts){
	    .arch = HVKIT_ARCH_X86_64,
	    .memory_mib = 64,
	    .image = "i",
	    .bundle = "b",
	};
}

static void test_ram_zeroed_only_for_microvm_as_is(void **state)
{
	static const char *const bios[] = {"-bios", "other.bin"};
	static const char *const machine[] = {"-M", "pc"};
	struct hvkit_qemu_opts o = x86_plain();
	struct hvkit_argv a;

	(void)state;
	o.extra = bios;
	o.nr_extra = 2;
	hvkit_qemu_argv(&a, &o);
	assert_no_arg(&a, "ram-zeroed");
	hvkit_qemu_argv_free(&a);
	o.extra = machine;
	hvkit_qemu_argv(&a, &o);
	assert_no_arg(&a, "ram-zeroed");
	hvkit_qemu_argv_free(&a);
	o.nr_extra = 0;
	o.machine = "microvm,rtc=off";
	hvkit_qemu_argv(&a, &o);
	assert_string_equal(a.v[a.n - 5], "ram-zeroed"); /* before -kernel */
	hvkit_qemu_argv_free(&a);
}

/* --option words follow hvkit's own in the one -append, before -kernel. */
static void test_options(void **state)
{
	static const char *const words[] = {"fault-test", "x=1"};
	struct hvkit_qemu_opts o = x86_plain();
	struct hvkit_argv a;

	(void)state;
	o.trace = "t.bin";
	o.options = words;
	o.nr_options = 2;
	hvkit_qemu_argv(&a, &o);
	assert_string_equal(a.v[a.n - 10], "-append");
	assert_string_equal(a.v[a.n - 9],
			    "ram-zeroed trace=t.bin fault-test x=1");
	hvkit_qemu_argv_free(&a);
	o.arch = HVKIT_ARCH_AARCH64;
	o.trace = NULL;
	hvkit_qemu_argv(&a, &o);
	assert_string_equal(a.v[a.n - 6], "-append");
	assert_string_equal(a.v[a.n - 5], "fault-test x=1");
	hvkit_qemu_argv_free(&a);
}

static void test_overrides(void **state)
{
	static const char *const extra[] = {"-d", "int", "-append", "x y"};
	static const char *const want_x86[] = {
	    "qemu-system-x86_64",
	    "-M",
	    "pc",
	    "-accel",
	    "tcg",
	    "-cpu",
	    "max",
	    "-smp",
	    "1",
	    "-m",
	    "128M",
	    "-nodefaults",
	    "-no-user-config",
	    "-serial",
	    "stdio",
	    "-display",
	    "none",
	    "-no-reboot",
	    "-device",
	    "isa-debug-exit,iobase=0xf4,iosize=0x04",
	    "-kernel",
	    "i",
	    "-initrd",
	    "b",
	    "-d",
	    "int",
	    "-append",
	    "x y",
	    NULL,
	};
	static const char *const want_arm[] = {
	    "qemu-system-aarch64",
	    "-M",
	    "virt,virtualization=on",
	    "-cpu",
	    "cortex-a57,pmu=off",
	    "-smp",
	    "1",
	    "-m",
	    "128M",
	    "-nographic",
	    "-no-reboot",
	    "-semihosting",
	    "-kernel",
	    "i",
	    "-initrd",
	    "b",
	    "-d",
	    "int",
	    NULL,
	};
	struct hvkit_qemu_opts o = {
	    .arch = HVKIT_ARCH_X86_64,
	    .machine = "pc",
	    .cpu = "max",
	    .memory_mib = 128,
	    .image = "i",
	    .bundle = "b",
	    .extra = extra,
	    .nr_extra = 4,
	};

	(void)state;
	check_qemu_argv(&o, want_x86);
	o.arch = HVKIT_ARCH_AARCH64;
	o.machine = "virt,virtualization=on";
	o.cpu = NULL;
	o.nr_extra = 2;
	check_qemu_argv(&o, want_arm);
}

/* --cpus N is -smp N, for either architecture. */
static void test_cpus(void **state)
{
	const struct hvkit_qemu_opts arm = {.arch = HVKIT_ARCH_AARCH64,
					    .cpus = 4,
					    .memory_mib = 64,
					    .image = "i",
					    .bundle = "b"};
	struct hvkit_qemu_opts x86 = arm;
	struct hvkit_argv a;

	(void)state;
	x86.arch = HVKIT_ARCH_X86_64;
	x86.cpus = 64;
	hvkit_qemu_argv(&a, &arm);
	assert_string_equal(a.v[5], "-smp");
	assert_string_equal(a.v[6], "4");
	hvkit_qemu_argv_free(&a);
	hvkit_qemu_argv(&a, &x86);
	assert_string_equal(a.v[7], "-smp");
	assert_string_equal(a.v[8], "64");
	hvkit_qemu_argv_free(&a);
}

/* x86_64 with several CPUs runs them on one TCG thread (a Linux that
 * patches its code while they run it otherwise keeps a stale int3,
 * docs/x86.md); one CPU, AArch64, or an -accel after `--` keep theirs. */
static void test_x86_cpus_one_tcg_thread(void **state)
{
	static const char *const multi[] = {"-accel", "tcg,thread=multi"};
	struct hvkit_qemu_opts o = {.arch = HVKIT_ARCH_X86_64,
				    .cpus = 4,
				    .memory_mib = 64,
				    .image = "i",
				    .bundle = "b"};
	struct hvkit_argv a;
	size_t accels = 0;

	(void)state;
	hvkit_qemu_argv(&a, &o);
	assert_string_equal(a.v[3], "-accel");
	assert_string_equal(a.v[4], "tcg,thread=single");
	hvkit_qemu_argv_free(&a);
	o.cpus = 1;
	hvkit_qemu_argv(&a, &o);
	assert_string_equal(a.v[4], "tcg");
	hvkit_qemu_argv_free(&a);
	o.cpus = 4;
	o.extra = multi;
	o.nr_extra = 2;
	hvkit_qemu_argv(&a, &o);
	for (size_t i = 0; i < a.n; i++)
		accels += !strcmp(a.v[i], "-accel");
	assert_int_equal(accels, 1);
	assert_string_equal(a.v[3], "-cpu");
	assert_string_equal(a.v[a.n - 1], "tcg,thread=multi");
	hvkit_qemu_argv_free(&a);
	o.arch = HVKIT_ARCH_AARCH64;
	o.nr_extra = 0;
	hvkit_qemu_argv(&a, &o);
	assert_no_arg(&a, "-accel");
	hvkit_qemu_argv_free(&a);
}

static void test_default_memory(void **state)
{
	(void)state;
	/* domains + bundle (rounded up to MiB) + 64 MiB, up to 64 MiB. */
	assert_int_equal(hvkit_qemu_default_memory_mib(0, 0), 64);
	assert_int_equal(hvkit_qemu_default_memory_mib(1, 1), 128);
	assert_int_equal(hvkit_qemu_default_memory_mib(64, 0), 128);
	assert_int_equal(hvkit_qemu_default_memory_mib(63, 1 << 20), 128);
	assert_int_equal(hvkit_qemu_default_memory_mib(63, (1 << 20) + 1), 192);
	assert_int_equal(hvkit_qemu_default_memory_mib(256, 34 << 20), 384);
}

static void test_shell_line(void **state)
{
	char *argv[] = {"qemu", "-M",	 "virt,x=on",	     "",  "a b",
			"it's", "$HOME", "/p/a-t_h.1@2%:+=", NULL};
	struct hvkit_argv a = {argv, 8};
	char *line = hvkit_argv_to_shell(&a);

	(void)state;
	assert_string_equal(line, "qemu -M virt,x=on '' 'a b' 'it'\\''s' "
				  "'$HOME' /p/a-t_h.1@2%:+=");
	free(line);
}

static struct hvkit_image img;
static struct hvkit_err err;

static int resolve(const char *arg, enum hvkit_arch arch)
{
	memset(&err, 0, sizeof(err));
	return hvkit_image_resolve(&img, arg, arch, tu_dir, &err);
}

static void resolve_fails(const char *arg, enum hvkit_arch arch,
			  const char *msg)
{
	char want[1024];

	assert_int_equal(resolve(arg, arch), -1);
	snprintf(want, sizeof(want), msg, tu_dir, tu_dir);
	assert_string_equal(err.msg, want);
	assert_null(img.path);
}

/* Makes BUILD/arch/images/r/r.ext, and the directories that are missing. */
static void make_recipe(const char *arch, const char *r, const char *ext)
{
	char path[1024], name[256];

	snprintf(path, sizeof(path), "%s/%s", tu_dir, arch);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/images", tu_dir, arch);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/images/%s", tu_dir, arch, r);
	mkdir(path, 0755);
	snprintf(name, sizeof(name), "%s/images/%s/%s%s", arch, r, r, ext);
	free(tu_write_str(tu_dir, name, "image"));
}

static void test_recipe_arch(void **state)
{
	(void)state;
	assert_int_equal(hvkit_recipe_arch("arm64-mini"), HVKIT_ARCH_AARCH64);
	assert_int_equal(hvkit_recipe_arch("x86-mini"), HVKIT_ARCH_X86_64);
	assert_int_equal(hvkit_recipe_arch("arm64"), HVKIT_ARCH_NONE);
	assert_int_equal(hvkit_recipe_arch("mini"), HVKIT_ARCH_NONE);
}

static void test_recipes(void **state)
{
	char want[1024];

	(void)state;
	make_recipe("aarch64", "arm64-mini", ".img");
	make_recipe("x86_64", "x86-mini", ".elf");
	assert_int_equal(resolve("arm64-mini", HVKIT_ARCH_NONE), 0);
	snprintf(want, sizeof(want),
		 "%s/aarch64/images/arm64-mini/"
		 "arm64-mini.img",
		 tu_dir);
	assert_string_equal(img.path, want);
	assert_int_equal(img.arch, HVKIT_ARCH_AARCH64);
	hvkit_image_free(&img);
	assert_null(img.path);
	assert_int_equal(resolve("x86-mini", HVKIT_ARCH_X86_64), 0);
	snprintf(want, sizeof(want), "%s/x86_64/images/x86-mini/x86-mini.elf",
		 tu_dir);
	assert_string_equal(img.path, want);
	assert_int_equal(img.arch, HVKIT_ARCH_X86_64);
	hvkit_image_free(&img);
}

#define NOT_BUILT                                                              \
	"no recipe is built in %s (build them with `make`, or give "           \
	"--build-dir)"

static void test_recipe_errors(void **state)
{
	(void)state;
	resolve_fails("arm64-none", HVKIT_ARCH_NONE,
		      "no image for recipe arm64-none: "
		      "%s/aarch64/images/arm64-none/arm64-none.img does not "
		      "exist; " NOT_BUILT);
	resolve_fails("other", HVKIT_ARCH_NONE, "no recipe other; " NOT_BUILT);

	/* Once some are built, every error lists them. */
	make_recipe("x86_64", "other", ".elf");
	make_recipe("aarch64", "arm64-mini", ".img");
	resolve_fails("arm64-none", HVKIT_ARCH_NONE,
		      "no image for recipe arm64-none: "
		      "%s/aarch64/images/arm64-none/arm64-none.img does not "
		      "exist; the recipes built in %s: arm64-mini, other");
	resolve_fails("nope", HVKIT_ARCH_NONE,
		      "no recipe nope; the recipes built in %s: arm64-mini, "
		      "other");
	resolve_fails("x86-mini", HVKIT_ARCH_AARCH64,
		      "recipe x86-mini is an x86_64 image, not aarch64");

	/* A name without an arm64-/x86- prefix: where it is built. */
	assert_int_equal(resolve("other", HVKIT_ARCH_NONE), 0);
	assert_int_equal(img.arch, HVKIT_ARCH_X86_64);
	hvkit_image_free(&img);
	make_recipe("aarch64", "other", ".img");
	resolve_fails("other", HVKIT_ARCH_NONE,
		      "recipe other is built for both aarch64 and x86_64: "
		      "give --arch");
	assert_int_equal(resolve("other", HVKIT_ARCH_AARCH64), 0);
	assert_int_equal(img.arch, HVKIT_ARCH_AARCH64);
	hvkit_image_free(&img);
}

/* What `hvkit images` lists: built recipes only, sorted, with sizes. */
static void test_recipe_list(void **state)
{
	struct hvkit_recipes r;
	char *names;

	(void)state;
	hvkit_recipes_find(&r, tu_dir);
	assert_int_equal(r.nr, 0);
	assert_null(hvkit_recipes_names(&r));
	hvkit_recipes_free(&r);

	make_recipe("x86_64", "x86-mini", ".elf");
	make_recipe("aarch64", "arm64-xen", ".img");
	make_recipe("aarch64", "arm64-mini", ".img");
	/* a recipe directory without its image, and the wrong suffix */
	make_recipe("aarch64", "arm64-half", ".elf");
	free(tu_mkdir(tu_dir, "x86_64/images/x86-empty"));
	hvkit_recipes_find(&r, tu_dir);
	assert_int_equal(r.nr, 3);
	assert_string_equal(r.list[0].name, "arm64-mini");
	assert_int_equal(r.list[0].arch, HVKIT_ARCH_AARCH64);
	assert_int_equal(r.list[0].size, 5); /* "image" */
	assert_string_equal(r.list[2].name, "x86-mini");
	assert_int_equal(r.list[2].arch, HVKIT_ARCH_X86_64);
	names = hvkit_recipes_names(&r);
	assert_string_equal(names, "arm64-mini, arm64-xen, x86-mini");
	free(names);
	hvkit_recipes_free(&r);
	assert_int_equal(r.nr, 0);
}

static void test_paths(void **state)
{
	uint8_t hdr[64] = {0};
	char path[1024];
	char *p;

	(void)state;
	memcpy(hdr, ELFMAG, SELFMAG);
	hdr[EI_CLASS] = ELFCLASS64;
	hdr[EI_DATA] = ELFDATA2LSB;
	hdr[18] = EM_X86_64;
	p = tu_write(tu_dir, "hv.elf", hdr, sizeof(hdr));
	assert_int_equal(resolve(p, HVKIT_ARCH_NONE), 0);
	assert_string_equal(img.path, p);
	assert_int_equal(img.arch, HVKIT_ARCH_X86_64);
	hvkit_image_free(&img);
	snprintf(path, sizeof(path), "image %s is for x86_64, not aarch64", p);
	assert_int_equal(resolve(p, HVKIT_ARCH_AARCH64), -1);
	assert_string_equal(err.msg, path);
	free(p);

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr + 56, "ARM\x64", 4);
	p = tu_write(tu_dir, "Image", hdr, sizeof(hdr));
	assert_int_equal(resolve(p, HVKIT_ARCH_NONE), 0);
	assert_int_equal(img.arch, HVKIT_ARCH_AARCH64);
	hvkit_image_free(&img);
	free(p);

	p = tu_write_str(tu_dir, "blob", "what is this");
	snprintf(path, sizeof(path),
		 "cannot tell the architecture of image %s "
		 "(neither ELF nor an arm64 Image): give --arch",
		 p);
	assert_int_equal(resolve(p, HVKIT_ARCH_NONE), -1);
	assert_string_equal(err.msg, path);
	assert_int_equal(resolve(p, HVKIT_ARCH_AARCH64), 0);
	assert_int_equal(img.arch, HVKIT_ARCH_AARCH64);
	hvkit_image_free(&img);
	free(p);

	resolve_fails("./no/such.img", HVKIT_ARCH_AARCH64,
		      "cannot read image ./no/such.img: No such file or "
		      "directory");
	snprintf(path, sizeof(path), "%s/", tu_dir);
	assert_int_equal(resolve(path, HVKIT_ARCH_AARCH64), -1);
	assert_non_null(strstr(err.msg, ": Is a directory"));
}

/* A bare name that is an existing file is a path, not a recipe. */
static void test_bare_file_name(void **state)
{
	uint8_t hdr[64] = {0};
	char *cwd = getcwd(NULL, 0);

	(void)state;
	memcpy(hdr + 56, "ARM\x64", 4);
	free(tu_write(tu_dir, "x86-looks-like-a-recipe", hdr, sizeof(hdr)));
	assert_int_equal(chdir(tu_dir), 0);
	assert_int_equal(resolve("x86-looks-like-a-recipe", HVKIT_ARCH_NONE),
			 0);
	assert_string_equal(img.path, "x86-looks-like-a-recipe");
	assert_int_equal(img.arch, HVKIT_ARCH_AARCH64);
	hvkit_image_free(&img);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

static void test_default_build_dir(void **state)
{
	char *d;

	(void)state;
	d = hvkit_default_build_dir("/w/build/host/tools/hvkit/hvkit");
	assert_string_equal(d, "/w/build/host/tools/hvkit/../../..");
	free(d);
	d = hvkit_default_build_dir("hvkit");
	assert_string_equal(d, "./../../..");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_aarch64_default),
	    cmocka_unit_test(test_x86_default),
	    cmocka_unit_test(test_trace),
	    cmocka_unit_test(test_ram_zeroed_only_for_microvm_as_is),
	    cmocka_unit_test(test_options),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_cpus),
	    cmocka_unit_test(test_x86_cpus_one_tcg_thread),
	    cmocka_unit_test(test_default_memory),
	    cmocka_unit_test(test_shell_line),
	    cmocka_unit_test(test_recipe_arch),
	    cmocka_unit_test_setup_teardown(test_recipes, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_recipe_errors, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_recipe_list, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_paths, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_bare_file_name, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test(test_default_build_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
