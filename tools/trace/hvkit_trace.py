#!/usr/bin/python3
"""Read a trace file of `hvkit run --trace FILE` (format: libhv-core's
hv/trace.h): a summary, as text or JSON, and pictures.

  hvkit trace FILE [--json] [--plot DIR] [--last N]

The summary: per domain its CPU time and share of the traced span, its
exits by reason with count, median and p99 cost, its wake-up latency
(from a vCPU becoming runnable to a pCPU running it) as percentiles; the
records lost (gaps in each pCPU's sequence numbers).  --plot DIR writes
gantt.png (which vCPU ran on which pCPU, over time), wakeup.png (a wake-up
latency histogram per domain) and exits.png (each exit reason's median and
p99 cost, and count), with Debian's python3-matplotlib.  --last N prints
each pCPU's last N records instead, one a line: what each pCPU did just
before a run hung or died.
"""
import argparse
import signal
import json
import os
import struct
import sys

HEADER = struct.Struct("<8sIIIIII16s")
EVENT = struct.Struct("<I28s64s")
RECORD = struct.Struct("<QIHH4I")
MAGIC = b"HVTRACE\0"
RUNNABLE = 1
ZOOM_NS = 20e6  # the Gantt chart's close-up

# Exit reasons as the adapters number them (their exit_reason ops).
ARM_EC = {0x00: "unknown", 0x01: "wfi/wfe", 0x07: "fp", 0x16: "hvc",
          0x17: "smc", 0x18: "sysreg", 0x20: "iabt", 0x24: "dabt"}
ARM_INTID = {26: "irq hyp-timer", 27: "irq vtimer", 30: "irq ptimer",
             25: "irq maintenance"}
X86_EXIT = {0x014: "cr4 write", 0x060: "intr", 0x061: "nmi", 0x064: "vintr", 0x072: "cpuid",
            0x078: "hlt", 0x07b: "ioio", 0x07c: "msr", 0x07f: "shutdown",
            0x081: "vmmcall", 0x400: "npf"}


def reason_name(arch, reason):
    if arch == "aarch64":
        if reason < 0x100:
            return ARM_EC.get(reason, f"ec {reason:#x}")
        if reason < 0x200:
            intid = reason - 0x100
            return ARM_INTID.get(intid, "irq sgi" if intid < 16
                                 else f"irq {intid}")
        return "fiq" if reason == 0x200 else "serror"
    if arch == "x86_64":
        if 0x40 <= reason < 0x60:
            return f"exception {reason - 0x40}"
        return X86_EXIT.get(reason, f"exit {reason:#x}")
    return f"{reason:#x}"


class Trace:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if len(data) < HEADER.size or data[:8] != MAGIC:
            sys.exit(f"hvkit trace: {path}: not a trace file")
        (_, self.version, header_size, record_size, nr_events, self.nr_cpus,
         _, arch) = HEADER.unpack_from(data)
        if record_size != RECORD.size:
            sys.exit(f"hvkit trace: {path}: records of {record_size} "
                     f"bytes, not {RECORD.size}")
        self.arch = arch.rstrip(b"\0").decode()
        self.events = {}
        self.arg_names = {}
        off = header_size
        for _ in range(nr_events):
            eid, name, args = EVENT.unpack_from(data, off)
            self.events[eid] = name.rstrip(b"\0").decode()
            self.arg_names[eid] = [args[i:i + 16].rstrip(b"\0").decode()
                                   for i in range(0, 64, 16)]
            off += EVENT.size
        ids = {name: eid for eid, name in self.events.items()}
        self.ev = type("Ev", (), ids)
        self.records = []
        while off + RECORD.size <= len(data):
            t, seq, event, cpu, a0, a1, a2, a3 = RECORD.unpack_from(data, off)
            self.records.append((t, cpu, seq, event, (a0, a1, a2, a3)))
            off += RECORD.size
        self.lost = self._lost()
        self.records.sort(key=lambda r: (r[0], r[1], r[2]))

    def _lost(self):
        """Records missing from each pCPU's sequence (drain order)."""
        last, lost = {}, 0
        for _, cpu, seq, _, _ in self.records:
            if cpu in last:
                lost += (seq - last[cpu] - 1) & 0xffffffff
            else:
                lost += seq
            last[cpu] = seq
        return lost


def percentile(values, p):
    if not values:
        return 0
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def analyse(tr):
    ev = tr.ev
    doms = {}
    running = {}      # pCPU -> (dom, vcpu, since)
    woke = {}         # (dom, vcpu) -> when it became runnable
    last_cpu = {}     # (dom, vcpu) -> the pCPU it last ran on
    slices = []       # (pcpu, dom, vcpu, start, end)
    start = tr.records[0][0] if tr.records else 0
    end = tr.records[-1][0] if tr.records else 0

    def dom(d):
        return doms.setdefault(d, {"name": f"d{d}", "weight": 0, "vcpus": 0,
                                   "cpu_ns": 0, "exits": {}, "wakeups": [],
                                   "migrations": 0})

    for t, cpu, _, event, a in tr.records:
        if event == ev.DOMAIN_CREATE:
            dom(a[0]).update(vcpus=a[1], weight=a[2])
        elif event == ev.DOMAIN_NAME:
            raw = struct.pack("<3I", *a[1:])
            dom(a[0])["name"] = raw.split(b"\0")[0].decode(errors="replace")
        elif event == ev.VCPU_RUN:
            running[cpu] = (a[0], a[1], t)
            if last_cpu.get((a[0], a[1]), cpu) != cpu:
                dom(a[0])["migrations"] += 1
            last_cpu[(a[0], a[1])] = cpu
            if (a[0], a[1]) in woke:
                dom(a[0])["wakeups"].append(t - woke.pop((a[0], a[1])))
        elif event == ev.VCPU_STOP and cpu in running:
            d, v, since = running.pop(cpu)
            dom(d)["cpu_ns"] += t - since
            slices.append((cpu, d, v, since, t))
        elif event == ev.VCPU_STATE and a[2] == RUNNABLE:
            woke[(a[0], a[1])] = t
        elif event == ev.VM_EXIT:
            name = reason_name(tr.arch, a[2])
            dom(a[0])["exits"].setdefault(name, []).append(a[3])
    span = max(end - start, 1)
    return doms, slices, start, span


def contended(slices):
    """Each domain's CPU time while every domain was running (from the
    last first slice to the first last slice), and that span: the fair
    comparison of shares, without the start and end where some ran
    alone."""
    first, last = {}, {}
    for _, d, _, s, e in slices:
        first.setdefault(d, s)
        last[d] = e
    if not first:
        return {}, 0
    lo, hi = max(first.values()), min(last.values())
    ran = dict.fromkeys(first, 0)
    for _, d, _, s, e in slices:
        ran[d] += max(0, min(e, hi) - max(s, lo))
    return ran, max(hi - lo, 0)


def summary(tr, doms, slices, span):
    out = {"arch": tr.arch, "pcpus": tr.nr_cpus, "records": len(tr.records),
           "lost": tr.lost, "span_ns": span, "domains": {}}
    busy = sum(d["cpu_ns"] for d in doms.values()) or 1
    together, out["contended_ns"] = contended(slices)
    together_busy = sum(together.values()) or 1
    for did, d in sorted(doms.items()):
        w = d["wakeups"]
        out["domains"][d["name"]] = {
            "id": did, "weight": d["weight"], "vcpus": d["vcpus"],
            "cpu_ns": d["cpu_ns"],
            "migrations": d["migrations"],
            "share_of_busy": d["cpu_ns"] / busy,
            "share_while_all_ran": together.get(did, 0) / together_busy,
            "exits": {r: {"count": len(c),
                          "median_ns": percentile(c, 50),
                          "p99_ns": percentile(c, 99)}
                      for r, c in sorted(d["exits"].items())},
            "wakeup_ns": {"count": len(w), "p50": percentile(w, 50),
                          "p90": percentile(w, 90), "p99": percentile(w, 99),
                          "max": max(w) if w else 0},
        }
    return out


def print_text(s):
    print(f"trace: {s['arch']}, {s['pcpus']} pCPUs, {s['records']} records "
          f"over {s['span_ns'] / 1e6:.1f} ms, {s['lost']} lost")
    print(f"\n{'domain':16} {'weight':>6} {'CPU ms':>9} {'share':>6} "
          f"{'shared':>7} {'moves':>6} {'wakeups':>8} {'p50 us':>8} "
          f"{'p99 us':>8}")
    for name, d in s["domains"].items():
        w = d["wakeup_ns"]
        print(f"{name:16} {d['weight']:6} {d['cpu_ns'] / 1e6:9.1f} "
              f"{d['share_of_busy'] * 100:5.1f}% "
              f"{d['share_while_all_ran'] * 100:6.1f}% "
              f"{d['migrations']:6} {w['count']:8} "
              f"{w['p50'] / 1e3:8.1f} {w['p99'] / 1e3:8.1f}")
    print(f"(share: of all CPU time the domains used; shared: of the "
          f"{s['contended_ns'] / 1e6:.1f} ms while every one ran; moves: "
          f"runs on another pCPU than the vCPU's last)")
    print(f"\n{'domain':16} {'exit':18} {'count':>8} {'median us':>10} "
          f"{'p99 us':>8}")
    for name, d in s["domains"].items():
        for r, e in d["exits"].items():
            print(f"{name:16} {r:18} {e['count']:8} "
                  f"{e['median_ns'] / 1e3:10.2f} {e['p99_ns'] / 1e3:8.2f}")


def plot(tr, doms, slices, start, span, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(outdir, exist_ok=True)
    colours = plt.get_cmap("tab10")
    ids = sorted(doms)

    # The whole run, and 20 ms of it where slices are wide enough to see.
    zoom_from = start + span * 0.4
    zoom = (zoom_from, zoom_from + min(span, ZOOM_NS))
    height = 1 + 0.6 * max(tr.nr_cpus, 1)
    fig, axes = plt.subplots(2, 1, figsize=(10, 2 * height + 0.5))
    for ax, window in zip(axes, (None, zoom)):
        for i, did in enumerate(ids):
            for cpu in range(tr.nr_cpus):
                bars = [((s - start) / 1e6, (e - s) / 1e6)
                        for c, d, _, s, e in slices
                        if c == cpu and d == did and
                        (window is None or (e > window[0] and
                                            s < window[1]))]
                ax.broken_barh(bars, (cpu - 0.4, 0.8),
                               color=colours(i % 10),
                               label=doms[did]["name"] if cpu == 0 else None)
        ax.set_yticks(range(tr.nr_cpus))
        ax.set_yticklabels([f"pCPU {c}" for c in range(tr.nr_cpus)])
        if window:
            ax.set_xlim((window[0] - start) / 1e6, (window[1] - start) / 1e6)
            ax.set_title(f"{ZOOM_NS / 1e6:.0f} ms of it")
        else:
            ax.set_title("vCPUs on pCPUs")
            ax.legend(loc="upper right", fontsize="small")
    axes[1].set_xlabel("ms since the first record")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "gantt.png"))
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 4))
    for i, did in enumerate(ids):
        w = [x / 1e3 for x in doms[did]["wakeups"]]
        if w:
            ax.hist(w, bins=40, alpha=0.6, color=colours(i % 10),
                    label=doms[did]["name"])
    ax.set_xlabel("wake-up latency, us (runnable to running)")
    ax.set_ylabel("wake-ups")
    ax.set_title("Wake-up latency per domain")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "wakeup.png"))
    plt.close(fig)

    costs = {}
    for d in doms.values():
        for r, c in d["exits"].items():
            costs.setdefault(r, []).extend(c)
    names = sorted(costs, key=lambda r: -len(costs[r]))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    x = range(len(names))
    ax1.bar(x, [percentile(costs[r], 50) / 1e3 for r in names],
            label="median")
    ax1.scatter(x, [percentile(costs[r], 99) / 1e3 for r in names],
                color="red", marker="_", s=200, label="p99")
    ax1.set_xticks(list(x))
    ax1.set_xticklabels(names, rotation=45, ha="right", fontsize="small")
    ax1.set_ylabel("us from exit to re-entry")
    ax1.set_title("Exit cost by reason")
    ax1.legend(fontsize="small")
    ax2.bar(x, [len(costs[r]) for r in names])
    ax2.set_xticks(list(x))
    ax2.set_xticklabels(names, rotation=45, ha="right", fontsize="small")
    ax2.set_ylabel("exits")
    ax2.set_title("Exits by reason")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "exits.png"))
    plt.close(fig)


def describe(tr, record):
    """One record as a line: time, pCPU, event and its named arguments."""
    t, cpu, _, event, args = record
    parts = [f"{t / 1e9:.6f}", f"pcpu {cpu}", tr.events.get(event, str(event))]
    for name, value in zip(tr.arg_names.get(event, []), args):
        if not name:
            continue
        if name == "reason":
            parts.append(f"{name}={reason_name(tr.arch, value)}")
        elif name == "ret":  # an int32 as its bits
            parts.append(f"{name}={value - (1 << 32) if value >> 31 else value}")
        elif name.startswith("name"):
            parts.append(f"{name}={value:#x}")
        else:
            parts.append(f"{name}={value}")
    return " ".join(parts)


def print_last(tr, n):
    for cpu in sorted({r[1] for r in tr.records}):
        mine = [r for r in tr.records if r[1] == cpu]
        print(f"pCPU {cpu}: last {min(n, len(mine))} of {len(mine)} records")
        for r in mine[-n:]:
            print("  " + describe(tr, r))


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends quietly
    ap = argparse.ArgumentParser(prog="hvkit trace",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--json", action="store_true",
                    help="the summary as JSON")
    ap.add_argument("--plot", metavar="DIR",
                    help="write gantt.png, wakeup.png and exits.png")
    ap.add_argument("--last", metavar="N", type=int,
                    help="each pCPU's last N records, instead")
    args = ap.parse_args()
    if not os.path.isfile(args.file):
        sys.exit(f"hvkit trace: {args.file}: no such file")
    tr = Trace(args.file)
    if args.last is not None:
        if args.last < 1:
            sys.exit("hvkit trace: --last needs a count of 1 or more")
        print_last(tr, args.last)
        return
    doms, slices, start, span = analyse(tr)
    s = summary(tr, doms, slices, span)
    if args.json:
        json.dump(s, sys.stdout, indent=1)
        print()
    else:
        print_text(s)
    if args.plot:
        plot(tr, doms, slices, start, span, args.plot)
        if not args.json:
            print(f"\nwrote gantt.png, wakeup.png, exits.png in {args.plot}")


if __name__ == "__main__":
    main()
