#!/usr/bin/env python3
"""Have ACPICA's iasl read every table libhv-acpi builds.

The dump program writes the sample sets (x86 with 1 and 4 vCPUs, Arm with
4) one table a file.  For each table but the RSDP:

 1. `iasl -d` disassembles it.  iasl exits 0 even for a table with a wrong
    checksum: it reports problems in its output and inside the .dsl it
    writes ("/* Incorrect checksum, should be 78 */", "**** Incorrect
    checksum", "/**** ACPI table terminates in the middle of a data
    structure!", "ACPI Warning: Invalid character(s) in name").  So a
    non-zero exit, or any line of its output or of the .dsl that says
    error, warning, incorrect, invalid or unknown, or holds "****", fails.
 2. The .dsl is compiled back (the DSDT by the ASL compiler with -oa, so
    it does not shorten \\_SB to _SB; the others by the data-table
    compiler).  Errors and warnings fail (exit status and the summary's
    counts); remarks are printed but do not fail: they are advice whose
    set changes between iasl versions, and the build must not break on a
    Debian update when no table changed.
 3. The compiled table must equal ours byte for byte, but for the bytes
    iasl writes as its own: the checksum and the creator ID and revision
    (the header's bytes 9 and 28-35).

iasl cannot read an RSDP (its reader wants a 4-character signature; the
RSDP's is "RSD PTR "), so the RSDP is checked here: signature, revision
2, length 36, both checksums.

Last, the check must catch a bad checksum: each table's checksum byte is
changed in turn and step 1 must then fail for it (the RSDP's check too).

usage: iasl_check.py DUMP_PROGRAM IASL
"""
import os
import re
import subprocess
import sys
import tempfile

PROBLEM = re.compile(r"\b(error|warning|incorrect|invalid|unknown)|\*\*\*\*",
                     re.IGNORECASE)
SUMMARY = re.compile(r"(\d+) Errors?, (\d+) Warnings?, (\d+) Remarks?")
IASL_OWN = {9} | set(range(28, 36))


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def problems(text):
    return [l.strip() for l in text.splitlines() if PROBLEM.search(l)]


def disassemble(iasl, d, name):
    """iasl -d NAME.dat: (list of problems, the .dsl's text)."""
    dsl = os.path.join(d, name + ".dsl")
    if os.path.exists(dsl):
        os.remove(dsl)
    rc, out = run([iasl, "-d", name + ".dat"], d)
    bad = problems(out)
    if rc:
        bad.append("iasl -d exited with %d" % rc)
    if not os.path.exists(dsl):
        return bad + ["no %s.dsl written" % name], ""
    text = open(dsl).read()
    return bad + problems(text), text


def compile_back(iasl, d, name):
    """Compile NAME.dsl to rt-NAME.aml: (problems, remarks, the table)."""
    cmd = [iasl, "-p", "rt-" + name]
    if name.endswith("DSDT"):
        cmd.append("-oa")
    rc, out = run(cmd + [name + ".dsl"], d)
    bad = ["iasl exited with %d" % rc] if rc else []
    m = SUMMARY.search(out)
    if not m:
        return bad + ["no summary in iasl's output:\n" + out], [], b""
    errors, warnings, remarks = map(int, m.groups())
    if errors or warnings:
        bad.append(m.group(0) + ":\n" + out)
    notes = [out] if remarks else []
    aml = open(os.path.join(d, "rt-" + name + ".aml"), "rb").read()
    return bad, notes, aml


def differs(ours, theirs):
    if len(ours) != len(theirs):
        return "length %d, iasl's %d" % (len(ours), len(theirs))
    diff = [i for i in range(len(ours))
            if ours[i] != theirs[i] and i not in IASL_OWN]
    return "bytes differ at offsets %s" % diff[:16] if diff else None


def rsdp_problems(data):
    bad = []
    if data[:8] != b"RSD PTR ":
        bad.append("signature %r" % data[:8])
    if len(data) != 36 or int.from_bytes(data[20:24], "little") != 36:
        bad.append("length %d" % len(data))
    if data[15] != 2:
        bad.append("revision %d" % data[15])
    if sum(data[:20]) % 256:
        bad.append("checksum of the first 20 bytes is not zero")
    if sum(data) % 256:
        bad.append("extended checksum is not zero")
    return bad


def with_byte_changed(path, offset):
    data = bytearray(open(path, "rb").read())
    data[offset] ^= 0x01
    open(path, "wb").write(data)


def main():
    dump, iasl = sys.argv[1], sys.argv[2]
    failed = []
    with tempfile.TemporaryDirectory(prefix="acpi-iasl-") as d:
        subprocess.run([dump, d], check=True)
        names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".dat"))
        for n in names:
            if n.endswith("RSDP"):
                bad = rsdp_problems(open(os.path.join(d, n + ".dat"),
                                         "rb").read())
                print("%s: %s" % (n, "; ".join(bad) or "ok (checked here)"))
                failed += ["%s: %s" % (n, b) for b in bad]
                continue
            bad, dsl = disassemble(iasl, d, n)
            if not bad:
                more, notes, aml = compile_back(iasl, d, n)
                bad += more
                for note in notes:
                    print("%s: remarks (not failing):\n%s" % (n, note))
                ours = open(os.path.join(d, n + ".dat"), "rb").read()
                diff = aml and differs(ours, aml)
                if diff:
                    bad.append("compiled back, " + diff)
            print("%s: %s" % (n, "; ".join(bad) or "ok"))
            failed += ["%s: %s" % (n, b) for b in bad]
            if n in ("x86-4-APIC", "arm-4-APIC", "x86-4-DSDT"):
                print(dsl)

        # The check must see a wrong checksum in every table.
        for n in names:
            path = os.path.join(d, n + ".dat")
            with_byte_changed(path, 8 if n.endswith("RSDP") else 9)
            if n.endswith("RSDP"):
                caught = rsdp_problems(open(path, "rb").read())
            else:
                caught, _ = disassemble(iasl, d, n)
            if not caught:
                failed.append("%s: a wrong checksum went unnoticed" % n)
            else:
                print("%s with a wrong checksum: caught (%s)" %
                      (n, caught[0]))
        # x86: RSDP, XSDT, FADT, DSDT, MADT; Arm also GTDT and SPCR.
        if len(names) != 5 + 5 + 7:
            failed.append("%d tables written, not 17" % len(names))
    if failed:
        sys.exit("FAILED:\n  " + "\n  ".join(failed))
    print("%d tables: iasl found nothing to say" % len(names))


if __name__ == "__main__":
    main()
