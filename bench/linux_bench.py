#!/usr/bin/env python3
"""Linux boot under hvkit against the same Linux on bare QEMU.

  linux_bench.py --hvkit HVKIT --image IMAGE --cfg LINUX.cfg
                 --kernel IMAGE --initrd CPIO [--boots N]

Seconds from starting QEMU to the Linux guest's shell prompt, for Linux as
a guest of an hvkit image (`hvkit run IMAGE LINUX.cfg`, which writes the
bundle and starts QEMU) and for the same kernel, initramfs and command
line booted directly on QEMU with the same machine, CPU and GIC (and one
CPU, as the guest has one vCPU).  The prompt is the line the initramfs's
/init prints just before it starts the shell ("hvkit-linux: ready"); each
boot then types `poweroff -f`, so every run also ends cleanly.  The boots
alternate between the two so that both see the same load on the host.
Prints the median, min and max of N boots and the ratio of the medians.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from bench_goal import goal

RATIO_GOAL = 1.2  # issue 12: at most 1.2x QEMU alone (Xen 4.17: 1.45x)

READY = "hvkit-linux: ready"
TIMEOUT_S = 120


def cfg_value(cfg, key):
    """A string setting of an xl-style domain configuration."""
    with open(cfg) as f:
        for line in f:
            m = re.match(rf'\s*{key}\s*=\s*"(.*)"\s*$', line)
            if m:
                return m.group(1)
    sys.exit(f"linux_bench: no {key} in {cfg}")


def seconds_to_prompt(cmd, what):
    """Seconds from starting `cmd` to the prompt line; then power off."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    seen = None
    for line in p.stdout:
        if seen is None and READY in line:
            seen = time.monotonic() - start
            p.stdin.write("poweroff -f\n")
            p.stdin.flush()
    p.stdin.close()
    if p.wait() != 0 or seen is None:
        sys.exit(f"linux_bench: {what}: no prompt, or the run failed "
                 f"(exit {p.returncode})")
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hvkit", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--cfg", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--boots", type=int, default=5)
    a = ap.parse_args()

    hvkit = [a.hvkit, "run", "--timeout", str(TIMEOUT_S), a.image, a.cfg]
    # The machine `hvkit run` starts (see `hvkit run --help`), without the
    # hypervisor: 256 MiB, as the guest has.
    direct = ["timeout", str(TIMEOUT_S), "qemu-system-aarch64",
              "-M", "virt,virtualization=on,gic-version=3",
              "-cpu", "cortex-a57", "-smp", "1", "-m", "256M",
              "-nographic", "-no-reboot", "-kernel", a.kernel,
              "-initrd", a.initrd, "-append", cfg_value(a.cfg, "cmdline")]
    runs = {"hvkit": [], "direct": []}
    load_before = os.getloadavg()[0]
    for _ in range(a.boots):
        runs["hvkit"].append(seconds_to_prompt(hvkit, "hvkit"))
        runs["direct"].append(seconds_to_prompt(direct, "QEMU alone"))
    load_after = os.getloadavg()[0]

    med = {k: statistics.median(v) for k, v in runs.items()}
    print("Linux (arm64, 1 CPU): QEMU start to the shell prompt, median of "
          f"{a.boots} boots")
    print(f"  {'how':<28}{'seconds':>10}{'min':>8}{'max':>8}")
    for k, label in (("hvkit", "hvkit arm64-xen"),
                     ("direct", "QEMU alone (same machine)")):
        print(f"  {label:<28}{med[k]:>10.3f}{min(runs[k]):>8.3f}"
              f"{max(runs[k]):>8.3f}")
    print(f"  {'ratio hvkit / alone':<28}{med['hvkit'] / med['direct']:>10.2f}")
    # TCG under other work slows both; the ratio is what compares.
    print(f"  host load average {load_before:.1f} before, {load_after:.1f} "
          f"after, on {os.cpu_count()} CPUs")
    # Each boot against the direct boot next to it, under the same load.
    goal("arm64 Linux to its shell, hvkit / QEMU alone",
         [h / d for h, d in zip(runs["hvkit"], runs["direct"])], "x", "<=",
         RATIO_GOAL)


if __name__ == "__main__":
    main()
