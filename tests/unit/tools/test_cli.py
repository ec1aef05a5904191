#!/usr/bin/env python3
"""The hvkit command line, end to end: help texts, exit statuses and
messages of `hvkit bundle` and `hvkit run`.  `hvkit run` is pointed at a
stand-in QEMU (a shell script first in PATH) that plays back a console
script, so every verdict is checked without booting anything.

  test_cli.py HVKIT_EXECUTABLE WRAPPER
"""
import os
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import unittest

HVKIT = None
WRAPPER = None  # ./hvkit at the top of the source tree

FAKE_QEMU = r"""#!/bin/sh
# Stand-in QEMU: records argv, keeps a copy of the -initrd file, prints
# $FAKE_OUTPUT and exits with $FAKE_STATUS (or sleeps if FAKE_SLEEP is set).
printf '%s\n' "$@" > "$FAKE_DIR/argv"
prev=
for a in "$@"; do
    if [ "$prev" = "-initrd" ]; then cp "$a" "$FAKE_DIR/bundle"; fi
    prev=$a
done
printf "$FAKE_OUTPUT"
if [ -n "$FAKE_SLEEP" ]; then exec sleep "$FAKE_SLEEP"; fi
exit "${FAKE_STATUS:-0}"
"""

FDT_MAGIC = 0xD00DFEED


def arm64_image():
    """A 64-byte arm64 Image header and nothing else."""
    hdr = bytearray(64)
    struct.pack_into("<QQQ", hdr, 8, 0x80000, 0x1000, 0xA)
    hdr[56:60] = b"ARM\x64"
    return bytes(hdr)


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="hvkit-cli-")
        self.dir = self.tmp.name
        bindir = os.path.join(self.dir, "bin")
        os.mkdir(bindir)
        for name in ("qemu-system-aarch64", "qemu-system-x86_64"):
            path = os.path.join(bindir, name)
            with open(path, "w") as f:
                f.write(FAKE_QEMU)
            os.chmod(path, stat.S_IRWXU)
        self.env = dict(os.environ)
        self.env["PATH"] = bindir + os.pathsep + self.env.get("PATH", "")
        self.env["FAKE_DIR"] = self.dir
        self.env["TMPDIR"] = os.path.join(self.dir, "tmp")
        os.mkdir(self.env["TMPDIR"])
        self.write("raw.bin", b"\x00\x01\x02\x03")
        self.write("Image", arm64_image())
        self.good = self.write("good.cfg", b'name = "g"\nkernel = "raw.bin"\n'
                               b'memory = 16\n')

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def hvkit(self, *args, **env):
        e = dict(self.env)
        e.update(env)
        return subprocess.run([HVKIT, *args], capture_output=True, text=True,
                              env=e, cwd=self.dir, timeout=60)

    def assertExit(self, r, status, stderr=None):
        self.assertEqual(r.returncode, status, r.stderr)
        if stderr is not None:
            self.assertEqual(r.stderr, stderr)

    # --- help, version, usage errors -----------------------------------

    def test_help(self):
        r = self.hvkit("--help")
        self.assertExit(r, 0, "")
        for word in ("Usage: hvkit COMMAND", "bundle -o OUT", "run [OPTIONS]",
                     "images [--build-dir DIR]",
                     "--version", "memory = MIB", "initdomain = 0|1",
                     "cmdline", "ramdisk", "vcpus", "cpus", "weight", "cap",
                     "config file's directory"):
            self.assertIn(word, r.stdout)
        self.assertEqual(self.hvkit("-h").stdout, r.stdout)
        self.assertEqual(self.hvkit("help").stdout, r.stdout)

    def test_bundle_help(self):
        r = self.hvkit("bundle", "--help")
        self.assertExit(r, 0, "")
        for word in ("Usage: hvkit bundle -o OUT", "--arch", "hvkit,bundle-v1",
                     "PHYS32_ENTRY", "text_offset", "Exit status"):
            self.assertIn(word, r.stdout)

    def test_run_help(self):
        r = self.hvkit("run", "--help")
        self.assertExit(r, 0, "")
        for word in ("Usage: hvkit run [OPTIONS] IMAGE DOMAIN.cfg...",
                     "--machine", "--cpu", "--cpus", "--memory", "--timeout",
                     "--build-dir", "--verbose", "-- QEMU-ARGS",
                     "-M microvm", "virtualization=on", "isa-debug-exit",
                     "4  the hypervisor panicked", "5  timed out"):
            self.assertIn(word, r.stdout)

    def test_version(self):
        r = self.hvkit("--version")
        self.assertExit(r, 0, "")
        self.assertRegex(r.stdout, r"^hvkit \d+\.\d+\.\d+\n$")

    def test_usage_errors(self):
        self.assertExit(self.hvkit(), 2,
                        "hvkit: no command (bundle, images, run or trace)\n"
                        "Try `hvkit --help'.\n")
        self.assertExit(self.hvkit("frobnicate"), 2,
                        "hvkit: unknown command frobnicate (bundle, images, run or trace)\n"
                        "Try `hvkit --help'.\n")
        self.assertExit(self.hvkit("bundle", "good.cfg"), 2,
                        "hvkit: no output file: give -o OUT\n"
                        "Try `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("bundle", "-o", "x"), 2,
                        "hvkit: no domain configuration files\n"
                        "Try `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("bundle", "--bogus", "-o", "x", "a"), 2,
                        "hvkit: unknown option --bogus\n"
                        "Try `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("bundle", "-q"), 2,
                        "hvkit: unknown option -q\n"
                        "Try `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("bundle", "good.cfg", "-o"), 2,
                        "hvkit: option -o needs a value\n"
                        "Try `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("bundle", "--arch", "mips", "-o", "x",
                                   "good.cfg"), 2,
                        "hvkit: unknown architecture mips (aarch64 or x86_64)"
                        "\nTry `hvkit bundle --help'.\n")
        self.assertExit(self.hvkit("run", "img"), 2,
                        "hvkit: expected an IMAGE and at least one domain "
                        "configuration file\nTry `hvkit run --help'.\n")
        self.assertExit(self.hvkit("run", "--timeout", "soon", "i", "c"), 2,
                        "hvkit: --timeout: expected seconds from 0 to 86400, "
                        "got soon\nTry `hvkit run --help'.\n")
        self.assertExit(self.hvkit("run", "--memory", "0", "i", "c"), 2,
                        "hvkit: --memory: expected MiB (a positive integer), "
                        "got 0\nTry `hvkit run --help'.\n")
        for n in ("0", "65", "four", "-1"):
            self.assertExit(self.hvkit("run", "--cpus", n, "i", "c"), 2,
                            "hvkit: --cpus: expected a number of CPUs from "
                            f"1 to 64, got {n}\nTry `hvkit run --help'.\n")
        for f in ("my trace", "x" * 241, ""):
            self.assertExit(self.hvkit("run", "--trace", f, "i", "c"), 2,
                            "hvkit: --trace: expected a file name without "
                            "spaces, at most 240 characters, got "
                            f'"{f}"\nTry `hvkit run --help\'.\n')
        for w in ("a b", ""):
            self.assertExit(self.hvkit("run", "--option", w, "i", "c"), 2,
                            "hvkit: --option: expected one word without "
                            "spaces (at most 16 options), got "
                            f'"{w}"\nTry `hvkit run --help\'.\n')
        self.assertExit(self.hvkit("run", *["--option=w"] * 17, "i", "c"), 2,
                        "hvkit: --option: expected one word without "
                        "spaces (at most 16 options), got "
                        '"w"\nTry `hvkit run --help\'.\n')
        # With hvkit's own ram-zeroed (10) and trace= (7 + 240): 257.
        self.assertExit(self.hvkit("run", "--trace", "x" * 240, "-O", "y",
                                   "i", "c"), 2,
                        "hvkit: --option: the image's options would take "
                        "259 bytes; it reads 255\n"
                        "Try `hvkit run --help'.\n")
        self.assertExit(self.hvkit("run", "--arch", "arm", "i", "c"), 2)
        self.assertExit(self.hvkit("run", "--machine"), 2,
                        "hvkit: option --machine needs a value\n"
                        "Try `hvkit run --help'.\n")

    def test_trace_missing_or_bad_file(self):
        self.assertExit(self.hvkit("trace", "nothing.bin"), 1,
                        "hvkit trace: nothing.bin: no such file\n")
        self.write("junk.bin", b"not a trace")
        self.assertExit(self.hvkit("trace", "junk.bin"), 1,
                        "hvkit trace: junk.bin: not a trace file\n")

    # --- hvkit bundle ---------------------------------------------------

    def test_bundle_bad_config(self):
        self.write("bad.cfg", b'name = "g"\nkernel = "raw.bin"\n'
                   b'memory = "lots"\n')
        r = self.hvkit("bundle", "-o", "out", "--arch", "aarch64", "bad.cfg")
        self.assertExit(r, 3, 'hvkit: bad.cfg:3: memory: expected a positive '
                        'integer (MiB), got "lots"\n')
        self.assertEqual(r.stdout, "")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out")))

    def test_bundle_missing_key_and_kernel(self):
        self.write("nokey.cfg", b'name = "g"\nmemory = 1\n')
        self.assertExit(self.hvkit("bundle", "-o", "o", "nokey.cfg"), 3,
                        "hvkit: nokey.cfg: kernel: required key is missing\n")
        self.write("sub/nok.cfg", b'name = "g"\nmemory = 1\n'
                   b'kernel = "gone.elf"\n')
        self.assertExit(self.hvkit("bundle", "-o", "o", "sub/nok.cfg"), 3,
                        "hvkit: sub/nok.cfg:3: kernel: cannot read "
                        "sub/gone.elf: No such file or directory\n")
        self.assertExit(self.hvkit("bundle", "-o", "o", "missing.cfg"), 3,
                        "hvkit: cannot read missing.cfg: No such file or "
                        "directory\n")

    def test_bundle_writes_fdt(self):
        self.write("two.cfg", b'name = "h"\nkernel = "Image"\nmemory = 8\n'
                   b'cmdline = "c"\nextra = "e"\n')
        r = self.hvkit("bundle", "-o", "out.dtb", "good.cfg", "two.cfg")
        self.assertExit(r, 0, "hvkit: warning: two.cfg:5: extra: ignored in "
                        "favour of cmdline (as xl does)\n")
        with open(os.path.join(self.dir, "out.dtb"), "rb") as f:
            data = f.read()
        magic, total = struct.unpack(">II", data[:8])
        self.assertEqual(magic, FDT_MAGIC)
        self.assertEqual(total, len(data))
        self.assertIn(b"hvkit,bundle-v1\0", data)
        self.assertIn(b"aarch64\0", data)

    def test_bundle_arch_needed_for_raw(self):
        r = self.hvkit("bundle", "-o", "o", "good.cfg")
        self.assertExit(r, 3, "hvkit: cannot tell the architecture from the "
                        "kernels (none is an ELF file or an arm64 Image): "
                        "give --arch\n")
        r = self.hvkit("bundle", "-o", "o", "--arch", "x86_64", "good.cfg")
        self.assertExit(r, 3)
        self.assertIn("good.cfg:2: kernel: raw.bin is not an ELF file",
                      r.stderr)

    def test_bundle_unwritable(self):
        r = self.hvkit("bundle", "-o", "no/such/dir/out", "-a", "aarch64",
                       "good.cfg")
        self.assertExit(r, 3, "hvkit: cannot write no/such/dir/out: No such "
                        "file or directory\n")

    # --- hvkit run, against the stand-in QEMU ----------------------------

    def recipe(self, name="arm64-fake"):
        """A built recipe in a private build tree; returns --build-dir."""
        build = os.path.join(self.dir, "build")
        self.write(f"build/aarch64/images/{name}/{name}.img", arm64_image())
        return build

    def run_fake(self, output, status=0, opts=(), qemu=(), **env):
        extra = ["--", *qemu] if qemu else []
        return self.hvkit("run", "--build-dir", self.recipe(), *opts,
                          "arm64-fake", "good.cfg", *extra,
                          FAKE_OUTPUT=output, FAKE_STATUS=str(status), **env)

    def argv(self):
        with open(os.path.join(self.dir, "argv")) as f:
            return f.read().split("\n")[:-1]

    def assertNoTempLeft(self):
        self.assertEqual(os.listdir(self.env["TMPDIR"]), [])

    def test_run_poweroff(self):
        out = ("(hvkit) hello\\n(g) guest says hi\\n"
               "(hvkit) domain g: shutdown poweroff\\n"
               "(hvkit) all domains finished\\n")
        r = self.run_fake(out, 0, ["--verbose"], ["-d", "guest_errors"])
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, out.replace("\\n", "\n"))
        argv = self.argv()
        bundle = argv[argv.index("-initrd") + 1]
        image = os.path.join(self.dir, "build/aarch64/images/arm64-fake/"
                             "arm64-fake.img")
        self.assertEqual(argv, [
            "-M", "virt,virtualization=on,gic-version=3", "-cpu",
            "cortex-a57,pmu=off", "-smp", "1", "-m", "128M", "-nographic",
            "-no-reboot", "-semihosting", "-kernel", image, "-initrd", bundle,
            "-d", "guest_errors"])
        self.assertTrue(bundle.startswith(self.env["TMPDIR"] +
                                          "/hvkit-bundle-"))
        self.assertEqual(r.stderr, "hvkit: qemu-system-aarch64 " +
                         " ".join(["qemu-system-aarch64"] + argv)
                         [len("qemu-system-aarch64 "):] + "\n")
        with open(os.path.join(self.dir, "bundle"), "rb") as f:
            self.assertEqual(struct.unpack(">I", f.read(4))[0], FDT_MAGIC)
        self.assertNoTempLeft()

    def test_run_cpus(self):
        out = ("(hvkit) domain g: shutdown poweroff\\n"
               "(hvkit) all domains finished\\n")
        for opts, smp in (([], "1"), (["--cpus", "4"], "4"),
                          (["-n", "64"], "64")):
            self.assertExit(self.run_fake(out, 0, opts), 0)
            argv = self.argv()
            self.assertEqual(argv[argv.index("-smp") + 1], smp)
        self.assertNoTempLeft()

    def test_run_verdicts(self):
        cases = [
            ("(hvkit) domain g: shutdown crash\\n"
             "(hvkit) all domains finished\\n", 1, 1,
             "hvkit: domain g crashed\n"),
            ("(hvkit) domain g: shutdown reboot\\n"
             "(hvkit) all domains finished\\n", 1, 1,
             "hvkit: domain g: shutdown reboot\n"),
            ("(hvkit) PANIC: no bundle\\n", 2, 4,
             "hvkit: hypervisor panicked: no bundle\n"),
            ("(g) partial output", 1, 6,
             "hvkit: qemu exited with status 1 before all domains finished\n"),
        ]
        for out, status, code, err in cases:
            with self.subTest(out=out):
                r = self.run_fake(out, status)
                self.assertExit(r, code, err)
                self.assertNoTempLeft()

    def test_run_x86_status_mapping(self):
        self.write("pvh.cfg", b'name = "p"\nkernel = "pvh.elf"\nmemory = 4\n')
        # A minimal PVH ELF64: one PT_LOAD, one PT_NOTE with the entry.
        note = struct.pack("<III4sI", 4, 4, 18, b"Xen\0", 0x100000)
        ehdr = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0,
                           0, b"\0" * 7, 2, 62, 1, 0x100000, 64, 0, 0, 64,
                           56, 2, 0, 0, 0)
        off = 64 + 2 * 56
        load = struct.pack("<IIQQQQQQ", 1, 5, off, 0x100000, 0x100000, 16,
                           16, 0x1000)
        pnote = struct.pack("<IIQQQQQQ", 4, 4, off + 16, 0, 0, len(note),
                            len(note), 4)
        self.write("pvh.elf", ehdr + load + pnote + b"\x90" * 16 + note)
        self.write("img.elf", ehdr + load + pnote + b"\x90" * 16 + note)
        done = ("(hvkit) domain p: shutdown poweroff\\n"
                "(hvkit) all domains finished\\n")
        # isa-debug-exit: QEMU exits with value * 2 + 1.
        for status, code in ((1, 0), (3, 6), (5, 4), (0, 6)):
            with self.subTest(status=status):
                r = self.hvkit("run", "./img.elf", "pvh.cfg",
                               FAKE_OUTPUT=done, FAKE_STATUS=str(status))
                self.assertExit(r, code)
        argv = self.argv()
        self.assertEqual(argv[:6], ["-M", "microvm", "-accel", "tcg", "-cpu",
                                    "qemu64,+svm,+npt"])
        r = self.hvkit("run", "--machine", "pc", "--cpu", "max",
                       "--memory", "300", "./img.elf", "pvh.cfg",
                       FAKE_OUTPUT=done, FAKE_STATUS="1")
        self.assertExit(r, 0, "")
        argv = self.argv()
        self.assertEqual(argv[:10], ["-M", "pc", "-accel", "tcg", "-cpu",
                                     "max", "-smp", "1", "-m", "300M"])
        self.assertNoTempLeft()

    def test_run_timeout(self):
        r = self.run_fake("(g) spinning\\n", 0, ["--timeout", "1"],
                          FAKE_SLEEP="30")
        self.assertExit(r, 5, "hvkit: timed out after 1 s\n")
        self.assertEqual(r.stdout, "(g) spinning\n")
        self.assertNoTempLeft()

    def test_run_sigint(self):
        e = dict(self.env, FAKE_OUTPUT="ready\\n", FAKE_SLEEP="30")
        p = subprocess.Popen([HVKIT, "run", "--build-dir", self.recipe(),
                              "arm64-fake", "good.cfg"], cwd=self.dir, env=e,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.assertEqual(p.stdout.readline(), "ready\n")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, -signal.SIGINT)
        self.assertEqual(err, "hvkit: stopped by signal 2; qemu killed\n")
        self.assertNoTempLeft()

    def test_run_bad_inputs(self):
        build = self.recipe()
        self.assertExit(self.hvkit("run", "--build-dir", build, "arm64-none",
                                   "good.cfg"), 3,
                        f"hvkit: no image for recipe arm64-none: {build}/"
                        "aarch64/images/arm64-none/arm64-none.img does not "
                        f"exist; the recipes built in {build}: arm64-fake\n")
        self.write("bad.cfg", b"name = 'x'\nmemory = 1\nkernel = 'raw.bin'\n"
                   b"cap = 500\n")
        self.assertExit(self.hvkit("run", "--build-dir", build, "arm64-fake",
                                   "bad.cfg"), 3,
                        "hvkit: bad.cfg:4: cap: expected an integer from 0 to "
                        "100 (100 per vCPU, vcpus = 1), got 500\n")
        self.assertNoTempLeft()
        self.assertFalse(os.path.exists(os.path.join(self.dir, "argv")))

    def test_run_no_qemu(self):
        r = self.run_fake("", 0, PATH="/nonexistent")
        self.assertExit(r, 6, "hvkit: cannot run qemu-system-aarch64: No such "
                        "file or directory\n")
        self.assertNoTempLeft()

    def test_run_unknown_recipe_lists_built_ones(self):
        build = self.recipe()
        self.recipe("arm64-other")
        self.write("build/x86_64/images/x86-mini/x86-mini.elf", b"\x7fELF")
        built = "arm64-fake, arm64-other, x86-mini"
        r = self.hvkit("run", "--build-dir", build, "nope", "good.cfg")
        self.assertExit(r, 3, f"hvkit: no recipe nope; the recipes built in "
                        f"{build}: {built}\n")
        r = self.hvkit("run", "--build-dir", build, "x86-nope", "good.cfg")
        self.assertExit(r, 3)
        self.assertTrue(r.stderr.endswith(f"does not exist; the recipes built "
                                          f"in {build}: {built}\n"), r.stderr)
        empty = os.path.join(self.dir, "empty")
        os.mkdir(empty)
        r = self.hvkit("run", "--build-dir", empty, "nope", "good.cfg")
        self.assertExit(r, 3, f"hvkit: no recipe nope; no recipe is built in "
                        f"{empty} (build them with `make`, or give "
                        "--build-dir)\n")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "argv")))

    def test_run_recipe_without_arch_prefix(self):
        # Found where it is built, so no --arch is needed.
        build = self.recipe("custom")
        out = ("(hvkit) domain g: shutdown poweroff\n"
               "(hvkit) all domains finished\n")
        r = self.hvkit("run", "--build-dir", build, "custom", "good.cfg",
                       FAKE_OUTPUT=out, FAKE_STATUS="0")
        self.assertExit(r, 0, "")
        self.assertEqual(self.argv()[0:2], ["-M", "virt,virtualization=on,"
                                            "gic-version=3"])

    # --- hvkit images -------------------------------------------------------

    def test_images(self):
        build = self.recipe()
        self.write("build/x86_64/images/x86-big/x86-big.elf", b"x" * 3000)
        self.write("build/aarch64/images/arm64-half/README", b"no image")
        r = self.hvkit("images", "--build-dir", build)
        self.assertExit(r, 0, "")
        self.assertEqual(r.stdout.splitlines(), [
            "RECIPE           ARCH         SIZE",
            "arm64-fake       aarch64     1 KiB",
            "x86-big          x86_64      3 KiB"])
        self.assertEqual(self.hvkit("images", "-b", build).stdout, r.stdout)

    def test_images_none_built(self):
        r = self.hvkit("images", "--build-dir", self.dir)
        self.assertExit(r, 3, f"hvkit: no recipe is built in {self.dir} "
                        "(build them with `make`, or give --build-dir)\n")
        self.assertEqual(r.stdout, "")

    def test_images_usage(self):
        r = self.hvkit("images", "--help")
        self.assertExit(r, 0, "")
        self.assertIn("Usage: hvkit images [--build-dir DIR]", r.stdout)
        self.assertExit(self.hvkit("images", "extra"), 2,
                        "hvkit: unexpected argument extra\n"
                        "Try `hvkit images --help'.\n")
        self.assertExit(self.hvkit("images", "--bogus"), 2,
                        "hvkit: unknown option --bogus\n"
                        "Try `hvkit images --help'.\n")
        self.assertExit(self.hvkit("images", "--build-dir"), 2,
                        "hvkit: option --build-dir needs a value\n"
                        "Try `hvkit images --help'.\n")

    def test_images_default_build_dir(self):
        exe_dir = os.path.dirname(os.path.realpath(HVKIT))
        build = os.path.realpath(os.path.join(exe_dir, "..", "..", ".."))
        r = self.hvkit("images")
        # Whatever is built there; the message or the list names it.
        if r.returncode == 3:
            self.assertIn(f"no recipe is built in {build} ", r.stderr)
        else:
            self.assertExit(r, 0, "")
            self.assertTrue(r.stdout.startswith("RECIPE"))

    # --- ./hvkit, the wrapper at the top of the source tree ----------------

    def wrapper_tree(self, built):
        top = os.path.join(self.dir, "src")
        os.makedirs(top)
        with open(WRAPPER) as f:
            path = self.write("src/hvkit", f.read().encode())
        os.chmod(path, stat.S_IRWXU)
        if built:
            exe = self.write("src/build/host/tools/hvkit/hvkit",
                             b"#!/bin/sh\nprintf '<%s>' \"$@\"\nexit 7\n")
            os.chmod(exe, stat.S_IRWXU)
        return path

    def test_wrapper_runs_the_host_build(self):
        r = subprocess.run([self.wrapper_tree(True), "run", "a b", "--", "c"],
                           capture_output=True, text=True, cwd="/")
        self.assertEqual(r.returncode, 7)
        self.assertEqual(r.stdout, "<run><a b><--><c>")

    def test_wrapper_not_built(self):
        path = self.wrapper_tree(False)
        r = subprocess.run([path, "images"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        top = os.path.dirname(path)
        self.assertEqual(r.stderr, f"hvkit: {top}/build/host/tools/hvkit/hvkit "
                         f"is not built yet: run `make` in {top} first\n")

    def test_run_default_build_dir(self):
        # Without --build-dir: three levels above the executable's directory.
        exe_dir = os.path.dirname(os.path.realpath(HVKIT))
        build = os.path.realpath(os.path.join(exe_dir, "..", "..", ".."))
        r = self.hvkit("run", "arm64-surely-not-built", "good.cfg")
        self.assertExit(r, 3)
        self.assertIn(f"{build}/aarch64/images/arm64-surely-not-built/",
                      r.stderr)


if __name__ == "__main__":
    HVKIT = os.path.abspath(sys.argv.pop(1))
    WRAPPER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
