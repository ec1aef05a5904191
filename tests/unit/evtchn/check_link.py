#!/usr/bin/env python3
"""Check which global symbols an executable defines.

  check_link.py --nm llvm-nm EXE [--present SYM]... [--absent SYM]...

Used to show that an image naming one event-channel ABI does not carry the
other: the ABI's descriptor is the only way in to its object file.
"""
import argparse
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", required=True)
    ap.add_argument("--present", action="append", default=[])
    ap.add_argument("--absent", action="append", default=[])
    ap.add_argument("exe")
    a = ap.parse_args()
    out = subprocess.run([a.nm, "--defined-only", "--format=just-symbols", a.exe],
                         check=True, capture_output=True, text=True).stdout
    defined = set(out.split())
    bad = [s for s in a.present if s not in defined]
    bad += [s + " (should be absent)" for s in a.absent if s in defined]
    for s in a.present + a.absent:
        print(("defined  " if s in defined else "absent   ") + s)
    if bad:
        print("unexpected: " + ", ".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
