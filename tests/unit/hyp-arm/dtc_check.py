#!/usr/bin/env python3
"""Write the sample guest device tree and have dtc decompile it: dtc's
checks (node names, unit addresses, standard properties) must all pass
without a single warning, but one: Xen names its node "hypervisor", with a
reg but no unit address, and guests may look for that path, so the
unit_address_vs_reg lint is off."""
import subprocess
import sys
import tempfile

test, dtc = sys.argv[1], sys.argv[2]
with tempfile.NamedTemporaryFile(suffix=".dtb") as blob:
    subprocess.run([test, blob.name], check=True, stdout=subprocess.DEVNULL)
    r = subprocess.run([dtc, "-W", "no-unit_address_vs_reg", "-I", "dtb",
                        "-O", "dts", blob.name],
                       capture_output=True, text=True)
    print(r.stdout)
    if r.returncode or r.stderr:
        sys.exit("dtc: " + r.stderr)
