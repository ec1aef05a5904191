#!/usr/bin/env python3
"""Linux boot under hvkit against the same Linux on bare QEMU.

  linux_bench.py --arch aarch64|x86_64 --hvkit HVKIT --image IMAGE
                 --cfg LINUX.cfg --kernel KERNEL --initrd CPIO [--boots N]

Seconds from starting QEMU to the Linux guest's shell prompt, for Linux as
a guest of an hvkit image (`hvkit run -v IMAGE LINUX.cfg`, which writes the
bundle, prints QEMU's command line and starts QEMU) and for the same
kernel, initramfs and command line booted directly on QEMU with the same
machine and CPU (and one CPU, as the guest has one vCPU): aarch64 virt
with its GICv3, the Image; x86 microvm, the ELF vmlinux through its PVH
entry.  Under hvkit the clock starts when hvkit prints QEMU's command
line; the time hvkit took to write the bundle before it is shown apart.

What the direct x86 boot gets besides: the serial console instead of hvc0
(there is no Xen to give one), and `tsc_early_khz=` with the TSC rate the
hvkit image measured in the boot before it.  Under hvkit, Linux reads
that rate from Xen's CPUID time leaf; alone on microvm it calibrates
against the PIT, which fails in about one boot in six there (port 0x61,
channel 2's gate, is missing) and the kernel then hangs for good.

The prompt is the line the initramfs's /init prints just before it
starts the shell ("hvkit-linux: ready"); each boot then types `poweroff
-f` (`reboot -f` for x86 Linux on microvm alone, which has no ACPI to
power off with), so every run also ends cleanly.  The boots alternate
between the two so that both see the same load on the host.  Prints the
median, min and max of N boots and the ratio of the medians.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time

from bench_goal import goal

# At most this times QEMU alone: issue 12 (arm64; Xen 4.17 as dom0 took
# 1.45x) and issue 11 (x86).
RATIO_GOAL = {"aarch64": 1.2, "x86_64": 1.3}

READY = "hvkit-linux: ready"
# hvkit run -v's line before it starts QEMU, and the image's TSC rate.
QEMU_LINE = "hvkit: qemu-system-"
TSC_LINE = re.compile(r"\(hvkit\) TSC at (\d+) kHz")
TIMEOUT_S = 120
# A boot that fails (no prompt, or QEMU's status not 0) is run again, up
# to this many times, and counted.
RETRIES = 3


def cfg_value(cfg, key):
    """A string setting of an xl-style domain configuration."""
    with open(cfg) as f:
        for line in f:
            m = re.match(rf'\s*{key}\s*=\s*"(.*)"\s*$', line)
            if m:
                return m.group(1)
    sys.exit(f"linux_bench: no {key} in {cfg}")


def type_until_exit(p, text):
    """Type `text` every second until p ends: a serial console drops what
    arrives before the shell opens it (the hvkit consoles do not)."""
    while p.poll() is None:
        try:
            p.stdin.write(text + "\n")
            p.stdin.flush()
        except (BrokenPipeError, ValueError):
            return
        time.sleep(1)


class Boot:
    """One boot's times (seconds from starting `cmd`): QEMU's start (0
    when `cmd` is QEMU itself) and the prompt; and the TSC rate an hvkit
    image printed, in kHz (None otherwise)."""

    def __init__(self, cmd, stop):
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        self.qemu, self.prompt, self.tsc_khz = 0.0, None, None
        typist = None
        for line in p.stdout:
            now = time.monotonic() - start
            m = TSC_LINE.search(line)
            if line.startswith(QEMU_LINE):
                self.qemu = now
            elif m:
                self.tsc_khz = int(m.group(1))
            elif self.prompt is None and READY in line:
                self.prompt = now
                typist = threading.Thread(target=type_until_exit,
                                          args=(p, stop), daemon=True)
                typist.start()
        self.status = p.wait()
        if typist:
            typist.join()

    def ok(self):
        return self.status == 0 and self.prompt is not None

    def seconds(self):
        """From QEMU's start to the prompt."""
        return self.prompt - self.qemu


def boot(cmd, what, stop):
    """A Boot that succeeded, trying again when one fails (up to RETRIES);
    and how many failed."""
    for failed in range(RETRIES):
        b = Boot(cmd, stop)
        if b.ok():
            return b, failed
        print(f"linux_bench: {what}: no prompt, or the run failed "
              f"(exit {b.status})")
    sys.exit(f"linux_bench: {what}: {RETRIES} boots failed")


def direct_command(arch, kernel, initrd, cmdline, tsc_khz):
    """The machine `hvkit run` starts (see `hvkit run --help`), without
    the hypervisor: 256 MiB, as the guest has."""
    head = ["timeout", str(TIMEOUT_S)]
    if arch == "aarch64":
        return head + ["qemu-system-aarch64",
                       "-M", "virt,virtualization=on,gic-version=3",
                       "-cpu", "cortex-a57,pmu=off", "-smp", "1",
                       "-m", "256M",
                       "-nographic", "-no-reboot", "-kernel", kernel,
                       "-initrd", initrd, "-append", cmdline]
    if tsc_khz is None:
        sys.exit("linux_bench: the hvkit image did not print its TSC rate")
    cmdline = cmdline.replace("console=hvc0", "console=ttyS0")
    return head + ["qemu-system-x86_64", "-M", "microvm", "-accel", "tcg",
                   "-cpu", "qemu64,+svm,+npt", "-smp", "1", "-m", "256M",
                   "-nodefaults", "-no-user-config", "-serial", "stdio",
                   "-display", "none", "-no-reboot", "-kernel", kernel,
                   "-initrd", initrd,
                   "-append", f"{cmdline} tsc_early_khz={tsc_khz}"]


def row(label, values):
    print(f"  {label:<36}{statistics.median(values):>10.3f}"
          f"{min(values):>8.3f}{max(values):>8.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=sorted(RATIO_GOAL), required=True)
    ap.add_argument("--hvkit", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--cfg", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--boots", type=int, default=5)
    a = ap.parse_args()

    hvkit = [a.hvkit, "run", "-v", "--timeout", str(TIMEOUT_S), a.image,
             a.cfg]
    cmdline = cfg_value(a.cfg, "cmdline")
    image = os.path.basename(a.image).split(".")[0]
    # Alone, x86 Linux on microvm cannot power the machine off (no ACPI
    # there); a reset ends QEMU (-no-reboot).
    direct_stop = "poweroff -f" if a.arch == "aarch64" else "reboot -f"
    runs = {"hvkit": [], "direct": []}
    bundling = []
    failed = {"hvkit": 0, "direct": 0}
    load_before = os.getloadavg()[0]
    for _ in range(a.boots):
        b, f = boot(hvkit, "hvkit", "poweroff -f")
        runs["hvkit"].append(b.seconds())
        bundling.append(b.qemu)
        failed["hvkit"] += f
        direct = direct_command(a.arch, a.kernel, a.initrd, cmdline,
                                b.tsc_khz)
        b, f = boot(direct, "QEMU alone", direct_stop)
        runs["direct"].append(b.seconds())
        failed["direct"] += f
    load_after = os.getloadavg()[0]

    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"Linux ({a.arch}, 1 CPU): QEMU start to the shell prompt, median "
          f"of {a.boots} boots")
    print(f"  {'how':<36}{'seconds':>10}{'min':>8}{'max':>8}")
    row(f"hvkit {image}", runs["hvkit"])
    row("QEMU alone (same machine)", runs["direct"])
    print(f"  {'ratio hvkit / alone':<36}"
          f"{med['hvkit'] / med['direct']:>10.2f}")
    row("hvkit run's bundle, before QEMU", bundling)
    # TCG under other work slows both; the ratio is what compares.
    print(f"  host load average {load_before:.1f} before, {load_after:.1f} "
          f"after, on {os.cpu_count()} CPUs")
    if failed["hvkit"] or failed["direct"]:
        print(f"  boots that failed and were run again: hvkit "
              f"{failed['hvkit']}, QEMU alone {failed['direct']}")
    # Each boot against the direct boot next to it, under the same load.
    goal(f"{a.arch} Linux to its shell, hvkit / QEMU alone",
         [h / d for h, d in zip(runs["hvkit"], runs["direct"])], "x", "<=",
         RATIO_GOAL[a.arch])


if __name__ == "__main__":
    main()
