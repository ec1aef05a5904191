#!/usr/bin/env python3
"""Fail if a freestanding library needs a symbol its allowed uses don't define.

  check-symbols.py --nm llvm-nm LIB.a [--uses DEP.a]...

Every undefined symbol of LIB.a must be defined in LIB.a itself or in one of
the DEP.a archives (the libraries it may call, e.g. libhv-core, and libfdt
for those that use it).  Anything else is a call into libc, into the
compiler's runtime, or up the layering, and is listed.
"""
import argparse
import subprocess
import sys


def symbols(nm, archive, kind):
    out = subprocess.run([nm, "--extern-only", kind, "--format=just-symbols", archive],
                         check=True, capture_output=True, text=True).stdout
    return {s for s in out.split() if not s.endswith(":")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", required=True)
    ap.add_argument("--uses", action="append", default=[])
    ap.add_argument("library")
    a = ap.parse_args()

    defined = set()
    for archive in [a.library] + a.uses:
        defined |= symbols(a.nm, archive, "--defined-only")
    missing = sorted(symbols(a.nm, a.library, "--undefined-only") - defined)
    if missing:
        print(f"{a.library}: undefined symbols outside its allowed libraries:")
        for s in missing:
            print("  " + s)
        sys.exit(1)
    print(f"{a.library}: every undefined symbol is defined by an allowed library")


if __name__ == "__main__":
    main()
