#!/usr/bin/env python3
"""Boot and hypercall costs of hypervisor images under QEMU.

  image_bench.py --hvkit HVKIT --arch ARCH [--machine M]... [--boots N]
                 --boot-cfg CFG --null-cfg CFG[:LABEL]... IMAGE...

For each image: the seconds from starting `hvkit run` (which writes the
bundle and starts QEMU) to the first line a guest prints, median of N
boots, on each machine, with the image's own boot time beside it (its
"(hvkit) booted in N us" line: from its first instruction to just before
the first domain runs, on the CPU's counter); and the cost of a null hypercall as the guest
measured it ("null hypercall: N ns per call" on its console), for each
--null-cfg.  Prints plain-text tables.

Beside the times, what does not depend on how busy the host is: the
same boot and guest under QEMU's -icount shift=0, where virtual time
advances one nanosecond per instruction, so the image's own boot and the
null hypercall come out in instructions executed, the same in every run.
Under TCG a time also pays for translating code the first time and for
every indirect branch (each is a block lookup), which the count does
not see: compare counts to see what a change did to the path, times to
see what it costs.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from bench_goal import goal

# Issue 15's goals: an image's own boot (its first instruction to the
# first domain's), the first guest line on x86's microvm, and the null
# hypercall of an image with every extension on AArch64.
OWN_BOOT_MS = 5
X86_FIRST_LINE_S = 0.040
ARM64_XEN_NULL_NS = 1200
NULL_RUNS = 3

GUEST_LINE = re.compile(r"^\((?!hvkit\))[^)]+\) ")
BOOTED_LINE = re.compile(r"^\(hvkit\) booted in (\d+) us")
NULL_LINE = re.compile(r"null hypercall: (\d+) ns per call over (\d+) calls")


# QEMU counts instructions as nanoseconds (2^0 ns each).
ICOUNT = ["--", "-icount", "shift=0"]


def first_guest_line(hvkit, image, cfg, machine, qemu_args=()):
    """Seconds from start to the first guest line, and the image's own
    boot in ms; the run must succeed."""
    cmd = [hvkit, "run", "--timeout", "60"]
    if machine:
        cmd += ["--machine", machine]
    start = time.monotonic()
    p = subprocess.Popen(cmd + [image, cfg, *qemu_args],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    seen = booted = None
    for line in p.stdout:
        if seen is None and GUEST_LINE.match(line):
            seen = time.monotonic() - start
        m = BOOTED_LINE.match(line)
        if m:
            booted = int(m.group(1)) / 1000
    if p.wait() != 0 or seen is None or booted is None:
        sys.exit(f"image_bench: {image} on {machine or 'default'}: the "
                 f"boot failed (hvkit exited {p.returncode})")
    return seen, booted


def null_hypercall(hvkit, image, cfg, qemu_args=()):
    out = subprocess.run([hvkit, "run", "--timeout", "120", image, cfg,
                          *qemu_args],
                         capture_output=True, text=True).stdout
    m = NULL_LINE.search(out)
    if not m:
        sys.exit(f"image_bench: {image}: no null-hypercall figure in:\n{out}")
    return int(m.group(1)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hvkit", required=True)
    ap.add_argument("--arch", required=True)
    ap.add_argument("--machine", action="append", default=[])
    ap.add_argument("--boots", type=int, default=5)
    ap.add_argument("--boot-cfg", required=True)
    ap.add_argument("--null-cfg", action="append", default=[])
    ap.add_argument("images", nargs="+")
    a = ap.parse_args()
    machines = a.machine or [None]

    print(f"hvkit images ({a.arch}): QEMU start to first guest console line,"
          f" median of {a.boots} boots")
    print(f"  {'image':<16}{'machine':<12}{'seconds':>10}{'min':>8}{'max':>8}"
          f"{'own boot ms':>13}{'own boot Minsn':>16}")
    goals = []
    for image in a.images:
        name = os.path.basename(image).split(".")[0]
        for m in machines:
            runs = [first_guest_line(a.hvkit, image, a.boot_cfg, m)
                    for _ in range(a.boots)]
            t = [r[0] for r in runs]
            own = [r[1] for r in runs]
            # ms of virtual time under -icount: millions of instructions.
            minsn = first_guest_line(a.hvkit, image, a.boot_cfg, m,
                                     ICOUNT)[1]
            print(f"  {name:<16}{m or 'default':<12}"
                  f"{statistics.median(t):>10.3f}{min(t):>8.3f}{max(t):>8.3f}"
                  f"{statistics.median(own):>13.1f}{minsn:>16.3f}")
            if m in (None, "microvm"):
                goals.append((f"{name}: its own boot", own, "ms", "<=",
                              OWN_BOOT_MS))
            if a.arch == "x86_64" and m == "microvm":
                goals.append((f"{name}: QEMU start to first guest line, "
                              "microvm", t, "s", "<=", X86_FIRST_LINE_S))
    print()
    print(f"hvkit images ({a.arch}): null hypercall, measured in the guest")
    print(f"  {'image':<16}{'guest':<12}{'ns/call':>10}{'calls':>8}"
          f"{'insn/call':>11}")
    for image in a.images:
        for spec in a.null_cfg:
            cfg, _, label = spec.partition(":")
            runs = [null_hypercall(a.hvkit, image, cfg)
                    for _ in range(NULL_RUNS)]
            ns = [r[0] for r in runs]
            insn = null_hypercall(a.hvkit, image, cfg, ICOUNT)[0]
            print(f"  {os.path.basename(image):<16}{label or 'guest':<12}"
                  f"{statistics.median(ns):>10}{runs[0][1]:>8}{insn:>11}")
            if os.path.basename(image).startswith("arm64-xen"):
                goals.append(("arm64-xen: null hypercall", ns, "ns", "<=",
                              ARM64_XEN_NULL_NS))
    print()
    for g in goals:
        goal(*g)


if __name__ == "__main__":
    main()
