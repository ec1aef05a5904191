#!/usr/bin/env python3
"""Boot an image with domains under `hvkit run` and check what happened.

  run-guest-test.py --hvkit HVKIT --image IMAGE [--timeout S] [--machine M]
                    [--cpus N] [--cpu MODEL] [--option WORD]...
                    --expect NAME=REASON... [--before A,B]...
                    [--interleaved A,B]... [--line TEXT]...
                    [--type WHEN=TEXT]... DOMAIN.cfg...

Passes when every named domain shut down with the expected reason (read
from the image's "(hvkit) domain NAME: shutdown REASON" lines), every
domain that printed a "Test result:" line printed SUCCESS, each --before
pair shut down in that order, each --interleaved pair's console lines
interleave (each printed a line before the other's last), each --line
appears in the console output (each --type types TEXT and a newline at
the console once a line containing WHEN has appeared, in order),
hvkit's exit status agrees (0 exactly when every domain powered off), and
a run that ends with every domain finished has destroyed them all with
every frame back in the heap (the image's own leak check).
The console output is shown either way.
"""
import argparse
import re
import subprocess
import sys

SHUTDOWN = re.compile(r"^\(hvkit\) domain (\S+): shutdown (\S+)$")
LEAK_CHECK = "(hvkit) all domains destroyed: every frame is back in the heap"
RESULT = re.compile(r"^\((\S+)\) Test result: (\S+)$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hvkit", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--timeout", default="60")
    ap.add_argument("--machine", help="QEMU machine instead of the image's default")
    ap.add_argument("--cpus", help="the machine's CPUs (hvkit run --cpus)")
    ap.add_argument("--cpu", help="QEMU CPU model instead of the image's default")
    ap.add_argument("--option", action="append", default=[],
                    help="one more of the image's options (hvkit run --option)")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--before", action="append", default=[])
    ap.add_argument("--interleaved", action="append", default=[])
    ap.add_argument("--line", action="append", default=[])
    ap.add_argument("--type", action="append", default=[])
    ap.add_argument("configs", nargs="+")
    a = ap.parse_args()

    cmd = [a.hvkit, "run", "--timeout", a.timeout]
    if a.machine:
        cmd += ["--machine", a.machine]
    if a.cpus:
        cmd += ["--cpus", a.cpus]
    if a.cpu:
        cmd += ["--cpu", a.cpu]
    for word in a.option:
        cmd += ["--option", word]
    cmd += [a.image] + a.configs
    print("$ " + " ".join(cmd), flush=True)
    to_type = [t.split("=", 1) for t in a.type]
    run = subprocess.Popen(cmd, stdin=subprocess.PIPE if to_type else subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace")
    lines = []
    for line in run.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
        if to_type and to_type[0][0] in line:
            run.stdin.write(to_type.pop(0)[1] + "\n")
            run.stdin.flush()
    if run.stdin:
        run.stdin.close()
    run.wait()

    problems = []
    order, reasons = [], {}
    for line in lines:
        m = SHUTDOWN.match(line)
        if m:
            order.append(m.group(1))
            reasons[m.group(1)] = m.group(2)
        m = RESULT.match(line)
        if m and m.group(2) != "SUCCESS":
            problems.append(f"{m.group(1)}: Test result: {m.group(2)}")
    expected = dict(e.split("=", 1) for e in a.expect)
    for name, reason in expected.items():
        if reasons.get(name) != reason:
            problems.append(f"{name}: expected shutdown {reason}, "
                            f"got {reasons.get(name, 'none')}")
    for pair in a.before:
        first, second = pair.split(",")
        if first in order and second in order and \
                order.index(first) > order.index(second):
            problems.append(f"{first} should have finished before {second}")
    for pair in a.interleaved:
        x, y = pair.split(",")
        at = {n: [i for i, l in enumerate(lines) if l.startswith(f"({n}) ")]
              for n in (x, y)}
        if not at[x] or not at[y] or at[x][0] > at[y][-1] or at[y][0] > at[x][-1]:
            problems.append(f"the output of {x} and {y} does not interleave")
    for text in a.line:
        if not any(text in line for line in lines):
            problems.append(f"missing console line: {text}")
    if "(hvkit) all domains finished" in lines and not any(
            l.startswith(LEAK_CHECK) for l in lines):
        problems.append("the domains' frames did not all return to the heap")
    all_poweroff = bool(expected) and all(r == "poweroff" for r in expected.values())
    if (run.returncode == 0) != all_poweroff:
        problems.append(f"hvkit run exited {run.returncode}")

    problems += [f"never typed: no line with {when}" for when, _ in to_type]
    for p in problems:
        print("FAIL: " + p)
    print("PASS" if not problems else "FAILED")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
