#!/usr/bin/env python3
"""Boot a kernel under QEMU with a test initramfs and judge every test.

    run.py ARCH FLAVOUR KERNEL INITRAMFS PLAN

The guest's /init (rig/init) frames each test with "@@rig start/end"
markers. A test passes on exit 0, is skipped on exit 4 (KSFT_SKIP), and
fails otherwise; it also fails when the kernel prints a WARN/BUG/KASAN/
lockdep/KFENCE/kmemleak report while it runs, when it outlives its time
limit, or when the kernel dies under it. After a crash or hang the guest
is booted again from the next test, so one failure never hides the rest.
Prints one line per test and "N passed, N failed, N skipped"; exit 1 when
anything failed.
"""
import os
import re
import subprocess
import sys
import threading
import time
import queue

BOOT_LIMIT = 180        # seconds from QEMU start to the first marker
GRACE = 30              # beyond a test's own limit before the host gives up

QEMU = {
    "x86_64": ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "EPYC,+svm,+npt",
               "-m", "4G", "-smp", "2"],
    "arm64": ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
              "-cpu", "max", "-m", "4G", "-smp", "2"],
}
# tsc=reliable: TCG's TSC is derived from the host clock and is stable, but
# the kernel cannot calibrate it against real hardware; without it the host
# clocksource is hpet and KVM cannot offer guests a stable kvmclock.
CMDLINE = {"x86_64": "console=ttyS0 tsc=reliable", "arm64": "console=ttyAMA0"}

# Kernel reports that fail the running test; matched on printk lines only
# (they carry a "[   12.345678]" timestamp), so test output cannot trip them.
KERNEL_REPORT = re.compile(
    r"^\[\s*\d+\.\d+\]\s.*("
    r"WARNING: |BUG: |BUG kmalloc|KASAN: |KFENCE: |UBSAN: |Oops|"
    r"Kernel panic|kernel BUG at|Unable to handle kernel|general protection fault|"
    r"INFO: possible|INFO: task .* blocked|rcu: INFO|"
    r"possible circular locking|possible recursive locking|inconsistent lock state|"
    r"suspicious RCU usage|sleeping function called from invalid context|"
    r"unreferenced object)")
MARK = re.compile(r"@@rig (boot|start|end|done|kmemleak)\b ?(.*)")


def read_plan(path):
    plan = []
    for line in open(path):
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            plan.append((fields[0], int(fields[1])))
    return plan


def boot(arch, kernel, initramfs, start, console_log):
    """Start QEMU; return (process, queue of console lines)."""
    cmdline = (f"{CMDLINE[arch]} panic=-1 oops=panic "
               f"transparent_hugepage=madvise rig.start={start}")
    cmd = QEMU[arch] + ["-nographic", "-no-reboot", "-monitor", "none",
                        "-kernel", kernel, "-initrd", initramfs, "-append", cmdline]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    lines = queue.Queue()

    def pump():
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            console_log.write(line + "\n")
            console_log.flush()
            lines.put(line)
        lines.put(None)
    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def kill(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def main():
    arch, flavour, kernel, initramfs, plan_path = sys.argv[1:6]
    logdir = os.environ.get("RIG_LOGDIR", ".")
    tag = f"{arch}/{flavour}"
    os.makedirs(logdir, exist_ok=True)
    plan = read_plan(plan_path)
    testdirs = os.environ.get("RIG_TESTDIRS", "").split(":")
    results = {}            # index -> (verdict, seconds, reason)

    def record(idx, verdict, secs, reason, output):
        name = plan[idx - 1][0]
        results[idx] = verdict
        with open(os.path.join(logdir, name.replace("/", "_") + ".log"), "w") as f:
            f.write("\n".join(output) + "\n")
        why = f" ({reason})" if reason else ""
        print(f"{verdict} {tag} {name} [{secs:.0f}s]{why}", flush=True)
        if os.environ.get("RIG_SHOW_OUTPUT"):
            for line in output[:-1]:
                print(f"    | {line}", flush=True)
        elif verdict == "FAIL":
            for line in output[-25:]:
                print(f"    | {line}", flush=True)

    # Tests that did not build are failures, not omissions.
    for idx, (name, _) in enumerate(plan, 1):
        if not any(os.path.exists(os.path.join(d, name)) for d in testdirs if d):
            record(idx, "FAIL", 0, "not built", [])

    start = 1
    boots = 0
    with open(os.path.join(logdir, "console.log"), "w") as console_log:
        while True:
            while start <= len(plan) and start in results:
                start += 1
            if start > len(plan):
                break
            boots += 1
            console_log.write(f"=== boot {boots} from test {start}\n")
            proc, lines = boot(arch, kernel, initramfs, start, console_log)
            deadline = time.monotonic() + BOOT_LIMIT
            current = None          # (index, t0, output, reports)
            tail = []
            finished = False
            while True:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    line = ""
                    if time.monotonic() < deadline:
                        continue
                if line is None or (line == "" and time.monotonic() >= deadline):
                    # QEMU died (panic) or the guest hung.
                    died = "kernel died" if line is None else "hung: time limit exceeded"
                    kill(proc)
                    if current:
                        idx, t0, output, reports = current
                        record(idx, "FAIL", time.monotonic() - t0, died, output)
                        start = idx + 1
                    else:
                        print(f"FAIL {tag} boot ({died} before test {start})", flush=True)
                        for t in tail[-40:]:
                            print(f"    | {t}", flush=True)
                        for idx in range(start, len(plan) + 1):
                            results.setdefault(idx, "FAIL")
                    break
                tail = (tail + [line])[-60:]
                m = MARK.search(line)
                if current:
                    current[2].append(line)
                    if KERNEL_REPORT.search(line):
                        current[3].append(line)
                if not m:
                    continue
                kind, rest = m.groups()
                if kind == "start":
                    idx = int(rest.split()[0])
                    current = (idx, time.monotonic(), [], [])
                    deadline = time.monotonic() + plan[idx - 1][1] + GRACE
                elif kind == "kmemleak" and current:
                    current[3].append("kmemleak report")
                elif kind == "end" and current:
                    idx, t0, output, reports = current
                    rc = int(rest.split("rc=")[1])
                    if reports:
                        record(idx, "FAIL", time.monotonic() - t0,
                               "kernel report: " + reports[0].split("]", 1)[-1].strip(), output)
                    elif rc == 0:
                        record(idx, "PASS", time.monotonic() - t0, "", output)
                    elif rc == 4:
                        skip = [l for l in output if "skip" in l.lower()]
                        record(idx, "SKIP", time.monotonic() - t0,
                               skip[-1].strip()[:100] if skip else "", output)
                    elif rc == 137:
                        record(idx, "FAIL", time.monotonic() - t0,
                               f"time limit {plan[idx - 1][1]}s exceeded", output)
                    else:
                        record(idx, "FAIL", time.monotonic() - t0, f"exit {rc}", output)
                    current = None
                    deadline = time.monotonic() + GRACE
                elif kind == "done":
                    finished = True
                    kill(proc)
                    break
            if finished:
                break

    verdicts = list(results.values())
    passed, failed, skipped = (verdicts.count(v) for v in ("PASS", "FAIL", "SKIP"))
    print(f"{tag}: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
