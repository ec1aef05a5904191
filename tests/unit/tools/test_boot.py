#!/usr/bin/env python3
"""`hvkit run` on real QEMU, with stand-in images (fakevisor/) that find
the bundle where docs/bundle.md says (aarch64: /chosen/linux,initrd-start;
x86_64: the first PVH module) and play the console script in the first
domain's cmdline.  Checks the default QEMU command lines boot, the bundle
arrives, and every exit path maps to hvkit's exit status.  Skips (77) when
QEMU is not installed.

  test_boot.py HVKIT FAKE_X86_ELF FAKE_ARM64_IMG
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HVKIT = FAKE = None
QEMU = {"x86_64": "qemu-system-x86_64", "aarch64": "qemu-system-aarch64"}
FOUND = "(hvkit) fake image: bundle found\n"


def pvh_elf():
    """The smallest PVH guest kernel: one segment, the PHYS32 note."""
    note = struct.pack("<III4sI", 4, 4, 18, b"Xen\0", 0x100000)
    ehdr = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                       b"\0" * 7, 2, 62, 1, 0x100000, 64, 0, 0, 64, 56, 2, 0,
                       0, 0)
    off = 64 + 2 * 56
    load = struct.pack("<IIQQQQQQ", 1, 5, off, 0x100000, 0x100000, 16, 16,
                       0x1000)
    pnote = struct.pack("<IIQQQQQQ", 4, 4, off + 16, 0, 0, len(note),
                        len(note), 4)
    return ehdr + load + pnote + b"\xf4" * 16 + note


class Boot(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="hvkit-boot-")
        self.dir = self.tmp.name
        self.write("pvh.elf", pvh_elf())
        self.write("raw.bin", b"\x00" * 64)
        self.write("rd.bin", os.urandom(3 << 20))
        build = os.path.join(self.dir, "build")
        for arch, recipe, ext in (("x86_64", "x86-fake", ".elf"),
                                  ("aarch64", "arm64-fake", ".img")):
            d = os.path.join(build, arch, "images", recipe)
            os.makedirs(d)
            shutil.copy(FAKE[arch], os.path.join(d, recipe + ext))
        self.build = build

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)

    def cfg(self, name, script, arch, extra=""):
        kernel = "pvh.elf" if arch == "x86_64" else "raw.bin"
        text = (f'name = "{name}"\nkernel = "{kernel}"\nmemory = 8\n'
                f'cmdline = "{script}"\n{extra}')
        self.write(name + ".cfg", text.encode())
        return name + ".cfg"

    def run_hvkit(self, *args):
        return subprocess.run([HVKIT, "run", "--build-dir", self.build,
                               *args], capture_output=True, text=True,
                              cwd=self.dir, timeout=120)

    def arches(self):
        found = [a for a in ("x86_64", "aarch64") if shutil.which(QEMU[a])]
        if not found:
            self.skipTest("no QEMU installed")
        return found

    def recipe(self, arch):
        return "x86-fake" if arch == "x86_64" else "arm64-fake"

    def test_poweroff_two_domains(self):
        for arch in self.arches():
            with self.subTest(arch=arch):
                a = self.cfg("a", "(a) hello|(b) hi|"
                             "(hvkit) domain b: shutdown poweroff|"
                             "(hvkit) domain a: shutdown poweroff|"
                             "(hvkit) all domains finished|!exit 0", arch)
                b = self.cfg("b", "unused", arch)
                r = self.run_hvkit(self.recipe(arch), a, b)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stderr, "")
                self.assertEqual(r.stdout, FOUND + "(a) hello\n(b) hi\n"
                                 "(hvkit) domain b: shutdown poweroff\n"
                                 "(hvkit) domain a: shutdown poweroff\n"
                                 "(hvkit) all domains finished\n")

    def test_failures(self):
        cases = [
            ("(hvkit) domain a: shutdown crash|"
             "(hvkit) all domains finished|!exit 1", 1,
             "hvkit: domain a crashed\n"),
            ("(hvkit) domain a: shutdown reboot|"
             "(hvkit) all domains finished|!exit 1", 1,
             "hvkit: domain a: shutdown reboot\n"),
            ("(hvkit) PANIC: test panic|!exit 2", 4,
             "hvkit: hypervisor panicked: test panic\n"),
            ("(hvkit) domain a: shutdown poweroff|!exit 1", 6,
             None),
        ]
        for arch in self.arches():
            for script, code, err in cases:
                with self.subTest(arch=arch, script=script):
                    a = self.cfg("a", script, arch)
                    r = self.run_hvkit(self.recipe(arch), a)
                    self.assertEqual(r.returncode, code, r.stderr)
                    if err:
                        self.assertEqual(r.stderr, err)
                    else:
                        status = 1 if arch == "aarch64" else 3
                        self.assertEqual(r.stderr, "hvkit: qemu exited with "
                                         f"status {status} before all "
                                         "domains finished\n")

    def test_timeout(self):
        arch = self.arches()[0]
        a = self.cfg("a", "(a) spinning|!hang", arch)
        r = self.run_hvkit("--timeout", "1", self.recipe(arch), a)
        self.assertEqual(r.returncode, 5)
        self.assertEqual(r.stderr, "hvkit: timed out after 1 s\n")
        self.assertEqual(r.stdout, FOUND + "(a) spinning\n")

    def test_ramdisk_and_machine(self):
        done = ("(hvkit) domain a: shutdown poweroff|"
                "(hvkit) all domains finished|!exit 0")
        for arch in self.arches():
            a = self.cfg("a", done, arch, 'ramdisk = "rd.bin"\n')
            machines = [[]]
            if arch == "x86_64":
                machines.append(["--machine", "pc"])
            for m in machines:
                with self.subTest(arch=arch, machine=m):
                    r = self.run_hvkit(*m, self.recipe(arch), a)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertTrue(r.stdout.startswith(FOUND))

    def test_image_by_path(self):
        for arch in self.arches():
            with self.subTest(arch=arch):
                a = self.cfg("a", "(hvkit) domain a: shutdown poweroff|"
                             "(hvkit) all domains finished|!exit 0", arch)
                r = subprocess.run([HVKIT, "run", FAKE[arch], a],
                                   capture_output=True, text=True,
                                   cwd=self.dir, timeout=120)
                self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    HVKIT = os.path.abspath(sys.argv.pop(1))
    FAKE = {"x86_64": os.path.abspath(sys.argv.pop(1)),
            "aarch64": os.path.abspath(sys.argv.pop(1))}
    if not any(shutil.which(q) for q in QEMU.values()):
        print("no QEMU installed: skipping")
        sys.exit(77)
    unittest.main(verbosity=2)
