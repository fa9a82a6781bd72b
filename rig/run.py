#!/usr/bin/env python3
"""Boot a kernel under QEMU with a test initramfs and judge every test.

    run.py --qemu CMD --cmdline ARGS [--logdir DIR] [--testdirs DIRS]
           [--show-output] [--known FILE] [--system-map FILE]
           TAG KERNEL INITRAMFS PLAN
                                                        boot and judge
    run.py --replay PLAN CONSOLE_LOG [KTAP]             judge a recorded console
                                       (with CONSOLE_LOG's .known beside it)

CMD is QEMU's command line up to the kernel (rig/arch/ARCH.sh's ARCH_QEMU),
ARGS the arch's part of the kernel command line, TAG what the verdict lines
call the run (ARCH/FLAVOUR). The console, the QEMU logs, each test's output
and results.ktap go to DIR (default "."). A test found in none of DIRS
(colon-separated) did not build and fails. --show-output prints every
test's output, not only a failing one's. --known names a file of KCSAN
data races whose both sides are base code, one "A / B" function pair a
line (see rig/tests/x86_64-kcsan.known): such a report is counted and
listed at the end, and fails nothing. --system-map names the kernel's
System.map, to name the function a CPU was in when the guest reset itself.

The guest's /init (rig/init) frames each test with "@@rig start/end"
markers. A test passes on exit 0 and fails on anything but 0 or 4. Exit 4
(KSFT_SKIP) is a skip when its plan line says "may-skip" (see plan.py),
and a failure otherwise: every other test must pass. A "must-skip" test
must skip: passing is a failure there. A test also fails
when the kernel prints a WARN/BUG/KASAN/lockdep/KFENCE/kmemleak report
while it runs, when it outlives its time limit (however much it prints),
or when the kernel dies under it. A passing test that skipped a part of
itself (print_skip()) says so on its line.

A kernel report outside every test (during boot, between two tests, after
the last one) is a failure of its own, named by where it happened, and so
is a guest that dies or hangs there. After any report the guest is booted
again before the next test: lockdep switches itself off after its first
report, so later tests on that boot would run unchecked. After the last
test the guest ends its boot (reboot -f), and what it prints until then is
judged too. Every test of the plan gets exactly one verdict line; the last line
is "N passed, N failed, N skipped" and the exit status is 1 when anything
failed.
"""
import argparse
import ctypes
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the clone
import plan as plans  # noqa: E402

BOOT_LIMIT = 180        # seconds from QEMU start to the first marker
GRACE = 30              # beyond a test's own limit before the host gives up

# The arch-independent part of the kernel command line.
# kasan_multi_shot: KASAN reports every bad access, not only the first.
COMMON_CMDLINE = "panic=-1 oops=panic kasan_multi_shot transparent_hugepage=madvise"

# Kernel reports; matched on printk lines only (they carry a "[ 12.345678]"
# timestamp: CONFIG_PRINTK_TIME is in every rig config), so that a test's
# own output cannot trip them.
KERNEL_REPORT = re.compile(
    r"^\[\s*\d+\.\d+\]\s.*("
    r"WARNING: |BUG: |BUG kmalloc|KASAN: |KFENCE: |UBSAN: |Oops|"
    r"Kernel panic|kernel BUG at|Unable to handle kernel|general protection fault|"
    r"INFO: possible|INFO: task .* blocked|rcu: INFO|"
    r"possible circular locking|possible recursive locking|inconsistent lock state|"
    r"suspicious RCU usage|sleeping function called from invalid context|"
    r"unreferenced object)")
MARK = re.compile(r"@@rig (boot|start|end|done|kmemleak)\b ?(.*)")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s*")
KCSAN_RACE = re.compile(r"^\[\s*\d+\.\d+\]\s.*BUG: KCSAN: data-race in (\S+)(?: / (\S+))?")


def race_key(a, b=None):
    """A KCSAN report's functions (one for a race "at unknown origin")
    without offsets and compiler suffixes, in a fixed order."""
    strip = lambda f: re.sub(r"(\.(isra|constprop|part|cold)\.\d+)+$", "", f.split("+")[0])
    return tuple(sorted(strip(f) for f in (a, b) if f))


def read_known(path):
    known = set()
    for line in open(path):
        line = line.split("#")[0].strip()
        if line:
            known.add(race_key(*(f.strip() for f in line.split("/"))))
    return known

TIMEOUT = "timeout"     # what a console source returns when its deadline passed
DIED = None             # ... and when the guest is gone


class Console:
    """One boot of the guest, read line by line."""

    def get(self, deadline):
        """The next console line; TIMEOUT once @deadline has passed, however
        much the guest prints; DIED when the guest is gone."""
        if self.now() >= deadline:
            return TIMEOUT
        return self.next_line(deadline)

    def death(self):
        """What is known of why the guest is gone."""
        return "kernel died"


def die_with_parent():
    """In the child, before exec: SIGKILL when run.py goes (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


class QemuConsole(Console):

    def __init__(self, qemu, arch_cmdline, kernel, initramfs, start, console_log, qemu_log,
                 system_map=None):
        cmdline = f"{arch_cmdline} {COMMON_CMDLINE} rig.start={start}"
        # A guest that dies without a word has often reset itself (a triple
        # fault on x86). -no-reboot makes a reset a shutdown, and
        # "-action shutdown=pause" keeps QEMU, and the CPUs' state, there:
        # the QMP client below asks for every CPU's registers, then quits.
        # QEMU's log (-d cpu_reset) says whether the reset was a triple fault.
        self.qemu_log = qemu_log
        self.system_map = system_map
        self.sockdir = tempfile.mkdtemp(prefix="rig-qmp-")
        sock = os.path.join(self.sockdir, "qmp")
        cmd = qemu + ["-nographic", "-no-reboot", "-action", "shutdown=pause",
                      "-monitor", "none", "-qmp", f"unix:{sock},server=on,wait=off",
                      "-D", qemu_log, "-d", "cpu_reset",
                      "-kernel", kernel, "-initrd", initramfs, "-append", cmdline]
        # A paused QEMU does not go away by itself: it must not outlive us.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        self.lines = queue.Queue()
        self.shutdown = None    # QEMU's reason, from its SHUTDOWN event
        self.registers_text = ""

        def pump():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                console_log.write(line + "\n")
                console_log.flush()
                self.lines.put(line)
            # For the reader of the log: a silent death may be QEMU's own.
            status = self.proc.wait()
            why = f" after the guest's {self.shutdown}" if self.shutdown else ""
            console_log.write(f"=== qemu exited with status {status}{why}\n")
            console_log.flush()
            self.lines.put(DIED)
        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        self.qmp = threading.Thread(target=self.qmp_client, args=(sock,), daemon=True)
        self.qmp.start()

    def qmp_client(self, path):
        """Wait for the guest to stop QEMU (reset or power-off), keep every
        CPU's registers, and quit QEMU."""
        conn = None
        while conn is None and self.proc.poll() is None:
            try:
                conn = socket.socket(socket.AF_UNIX)
                conn.connect(path)
            except OSError:
                conn = None
                time.sleep(0.1)
        if conn is None:
            return
        try:
            with conn, conn.makefile("rw") as f:
                self.qmp_session(f)
        except (OSError, ValueError):
            pass    # QEMU went away: the pump reports its exit

    def qmp_session(self, f):
        def note(message):
            # The first one is the guest's; quitting QEMU sends another.
            if message.get("event") == "SHUTDOWN" and not self.shutdown:
                self.shutdown = message.get("data", {}).get("reason", "shutdown")

        def call(command, **arguments):
            f.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
            f.flush()
            for line in f:
                reply = json.loads(line)
                if "return" in reply or "error" in reply:
                    return reply.get("return", "")
                note(reply)
            return ""

        f.readline()    # the greeting
        call("qmp_capabilities")
        # A guest that stopped before the capabilities were negotiated sent
        # no event: ask.
        status = call("query-status")
        if isinstance(status, dict) and status.get("status") == "shutdown" and not self.shutdown:
            self.shutdown = "shutdown"
        while not self.shutdown:
            line = f.readline()
            if not line:
                return
            note(json.loads(line))
        self.registers_text = call("human-monitor-command",
                                   **{"command-line": "info registers -a"})
        call("quit")

    @staticmethod
    def now():
        return time.monotonic()

    def next_line(self, deadline):
        try:
            return self.lines.get(timeout=deadline - self.now())
        except queue.Empty:
            return TIMEOUT

    def death(self):
        status = self.proc.wait()
        self.qmp.join()
        try:
            with open(self.qemu_log, errors="replace") as f:
                triple = "Triple fault" in f.read()
        except OSError:
            triple = False
        if triple:
            return f"kernel died: QEMU logged a triple fault ({self.registers()}; {self.qemu_log})"
        if self.shutdown == "guest-reset":
            return f"kernel died: the guest reset itself ({self.registers()})"
        if self.shutdown:
            return f"kernel died: {self.shutdown}"
        return f"kernel died (QEMU exit status {status})"

    def registers(self):
        """Each CPU's instruction pointer (with its kernel symbol), stack
        pointer and CR2, as QEMU's "info registers -a" gave them."""
        cpus = []
        for block in self.registers_text.split("CPU#")[1:]:
            regs = dict(re.findall(r"\b([A-Z][A-Z0-9]{1,3})\s*=\s*([0-9a-fA-F]{8,16})\b", block))
            ip = regs.get("RIP") or regs.get("PC")
            if ip is None:
                continue
            where = f"CPU {block.split()[0]}: ip {ip} {self.symbol(int(ip, 16))}"
            for name in ("RSP", "SP", "CR2"):
                if name in regs:
                    where += f" {name.lower()} {regs[name]}"
            cpus.append(where)
        return ", ".join(cpus) or "no registers"

    def symbol(self, addr):
        best = None
        if not self.system_map:
            return "(no System.map)"
        try:
            with open(self.system_map) as f:
                for line in f:
                    value, _, name = line.split()[:3]
                    value = int(value, 16)
                    if value <= addr and (best is None or value > best[0]):
                        best = (value, name)
        except (OSError, ValueError):
            return "(no System.map)"
        if best is None or addr - best[0] > 0x100000:
            return "(not in the kernel image)"
        return f"({best[1]}+{addr - best[0]:#x})"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.pump.join()
        self.qmp.join()
        shutil.rmtree(self.sockdir, ignore_errors=True)


class ReplayConsole(Console):
    """A recorded boot, in which time stands still but for two lines:
    "@@replay hang", a guest that went quiet, and "@@replay at SECONDS",
    the time since the boot of the lines that follow."""

    def __init__(self, lines):
        self.lines = iter(lines)
        self.clock = 0.0


    def now(self):
        return self.clock

    def next_line(self, deadline):
        line = next(self.lines, DIED)
        if line == "@@replay hang":
            self.clock = deadline
            return TIMEOUT
        if line is not DIED and line.startswith("@@replay at "):
            self.clock = float(line.split()[2])
        return line

    def stop(self):
        pass


class Judge:
    def __init__(self, tag, plan, logdir, show_output=False, known=()):
        self.tag, self.plan, self.logdir = tag, plan, logdir
        self.show_output = show_output
        self.known = known      # KCSAN pairs of base code (--known)
        self.known_seen = {}    # such a pair -> reports of it
        self.results = {}       # test index -> verdict
        self.reasons = {}       # test index -> reason
        self.outside = []       # failures outside every test: (where, reason)
        self.seen = set()       # reports outside tests already counted

    def record(self, idx, verdict, secs, reason, output):
        if idx in self.results:
            return      # "not built": the guest's exit 127 adds nothing
        name = self.plan[idx - 1].name
        self.results[idx] = verdict
        self.reasons[idx] = reason
        if self.logdir:
            with open(os.path.join(self.logdir, name.replace("/", "_") + ".log"), "w") as f:
                f.write("\n".join(output) + "\n")
        why = f" ({reason})" if reason else ""
        print(f"{verdict} {self.tag} {name} [{secs:.0f}s]{why}", flush=True)
        if self.show_output:
            for line in output[:-1]:
                print(f"    | {line}", flush=True)
        elif verdict == "FAIL":
            for line in output[-25:]:
                print(f"    | {line}", flush=True)

    def record_outside(self, where, reason, context):
        self.outside.append((where, reason))
        print(f"FAIL {self.tag} [{where}] ({reason})", flush=True)
        for line in context[-25:]:
            print(f"    | {line}", flush=True)

    def where(self, last):
        if last is None:
            return "boot"
        if last >= len(self.plan):
            return "after the last test"
        return f"between {self.plan[last - 1].name} and {self.plan[last].name}"

    def judge_end(self, current, rest, t):
        idx, t0, output, reports = current
        fields = dict(f.split("=", 1) for f in rest.split() if "=" in f)
        rc = int(fields.get("rc", "-1"))
        secs = t - t0
        if reports:
            self.record(idx, "FAIL", secs, "kernel report: " + TIMESTAMP.sub("", reports[0]), output)
        elif rc == 0 and self.plan[idx - 1].must_skip:
            self.record(idx, "FAIL", secs, "passed where it must skip: " + self.plan[idx - 1].why,
                        output)
        elif rc == 0:
            # A part of the test that skipped (print_skip()) must show.
            partial = [l.strip() for l in output if l.rstrip().endswith(", skipping test")]
            why = f"partial skip: {partial[0][:100]}" if partial else ""
            if len(partial) > 1:
                why += f" (+{len(partial) - 1} more)"
            self.record(idx, "PASS", secs, why, output)
        elif rc == 4:
            skip = [l for l in output if "skip" in l.lower()]
            why = skip[-1].strip()[:100] if skip else ""
            if self.plan[idx - 1].may_skip:
                self.record(idx, "SKIP", secs, why, output)
            else:
                self.record(idx, "FAIL", secs, "must-pass test skipped" + (f": {why}" if why else ""),
                            output)
        elif fields.get("timeout") == "1":
            self.record(idx, "FAIL", secs, f"time limit {self.plan[idx - 1].limit}s exceeded", output)
        elif rc == 137:
            self.record(idx, "FAIL", secs, "exit 137: killed (SIGKILL), not by the time limit", output)
        else:
            self.record(idx, "FAIL", secs, f"exit {rc}", output)

    def boot(self, console, start):
        """Judge one boot that starts at test @start. Returns the test to
        boot from next, or None when nothing of the plan is left to run."""
        current = None          # (index, t0, output, reports)
        last = None             # the last test that ended on this boot
        done = False
        reboot = False          # a report was seen: the checkers may be off
        reported = None         # where the last report outside a test was
        tail = []
        deadline = console.now() + BOOT_LIMIT
        while True:
            line = console.get(deadline)
            if line is TIMEOUT or line is DIED:
                console.stop()
                what = "hung" if line is TIMEOUT else console.death()
                if done:
                    if line is TIMEOUT:
                        self.record_outside("after the last test", "the guest did not end its boot", tail)
                    return None
                if current:
                    idx, t0, output, reports = current
                    reason = "hung: time limit exceeded" if line is TIMEOUT else what
                    if reports:
                        # What the kernel said comes first; the registers
                        # are then those of its way down.
                        reason = f"kernel report: {TIMESTAMP.sub('', reports[0])}; then {reason}"
                    self.record(idx, "FAIL", console.now() - t0, reason, output)
                    return idx + 1
                if last is None:
                    # It cannot get as far as a test: nothing else will run.
                    for idx in range(start, len(self.plan) + 1):
                        if idx not in self.results:
                            self.record(idx, "FAIL", 0, f"not run: {what} during boot", [])
                # A report that killed the kernel is one failure, not two.
                if reported != self.where(last):
                    self.record_outside(self.where(last), what, tail)
                return None if last is None else last + 1
            tail = (tail + [line])[-60:]
            if current:
                current[2].append(line)
            race = KCSAN_RACE.search(line)
            if race and race_key(*race.groups()) in self.known:
                key = race_key(*race.groups())
                self.known_seen[key] = self.known_seen.get(key, 0) + 1
            elif KERNEL_REPORT.search(line):
                # One during boot comes back on every boot: no reboot for it.
                reboot = reboot or current is not None or last is not None
                if current:
                    current[3].append(line)
                else:
                    where = self.where(last) if not done else "after the last test"
                    key = (where, TIMESTAMP.sub("", line))
                    if key not in self.seen:
                        self.seen.add(key)
                        self.record_outside(where, "kernel report: " + key[1], tail[-40:])
                    reported = where
            m = MARK.search(line)
            if not m:
                continue
            kind, rest = m.groups()
            if kind == "start":
                idx = int(rest.split()[0])
                # A report between tests: run this one on a fresh boot.
                if reboot:
                    console.stop()
                    return idx
                current = (idx, console.now(), [], [])
                deadline = console.now() + self.plan[idx - 1].limit + GRACE
            elif kind == "kmemleak":
                if current:
                    current[3].append("kmemleak report")
                else:
                    self.record_outside(self.where(last), "kmemleak report", tail)
            elif kind == "end" and current:
                self.judge_end(current, rest, console.now())
                last = current[0]
                current = None
                deadline = console.now() + GRACE
                if reboot and last < len(self.plan):
                    console.stop()
                    return last + 1
            elif kind == "done":
                # A test the guest skipped over still gets its line.
                for idx in range(start, len(self.plan) + 1):
                    if idx not in self.results:
                        self.record(idx, "FAIL", 0, "not run: the guest's plan ended without it", [])
                # Let the guest finish and end its boot; judge what it prints.
                done = True
                last = len(self.plan)
                deadline = console.now() + GRACE

    def write_ktap(self, path):
        """The results as KTAP, which kselftest runners and kernel CI read."""
        lines = ["KTAP version 1", f"1..{len(self.plan) + len(self.outside)}"]
        n = 0
        for idx, test in enumerate(self.plan, 1):
            n += 1
            name = test.name
            verdict, reason = self.results.get(idx, "FAIL"), self.reasons.get(idx, "no verdict")
            if verdict == "PASS":
                lines.append(f"ok {n} {name}" + (f" # {reason}" if reason else ""))
            elif verdict == "SKIP":
                lines.append(f"ok {n} {name} # SKIP {reason}")
            else:
                lines.append(f"not ok {n} {name} # {reason}")
        for where, reason in self.outside:
            n += 1
            lines.append(f"not ok {n} [{where}] # {reason}")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")

    def summary(self):
        if self.logdir:
            self.write_ktap(os.path.join(self.logdir, "results.ktap"))
        verdicts = list(self.results.values())
        passed, failed, skipped = (verdicts.count(v) for v in ("PASS", "FAIL", "SKIP"))
        failed += len(self.outside)
        for key, n in sorted(self.known_seen.items()):
            print(f"known base race ({n}x): {' / '.join(key)}", flush=True)
        print(f"{self.tag}: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
        return failed == 0

    def run(self, consoles):
        """Boot (consoles(start) gives a console) until every test has a verdict."""
        start = 1
        while True:
            while start <= len(self.plan) and start in self.results:
                start += 1
            if start > len(self.plan):
                return
            start = self.boot(consoles(start), start)
            if start is None:
                return


def replay(plan_path, console_path, ktap_path=None):
    """Judge a recorded console.log (boots separated by "=== boot" lines)."""
    plan = plans.read(plan_path)
    boots, cur = [], None
    for line in open(console_path):
        line = line.rstrip("\n")
        if line.startswith("=== boot "):
            cur = []
            boots.append(cur)
        elif cur is not None:
            cur.append(line)
    known = os.path.splitext(console_path)[0] + ".known"
    judge = Judge("replay", plan, None, known=read_known(known) if os.path.exists(known) else ())
    recorded = iter(boots)
    judge.run(lambda start: ReplayConsole(next(recorded, [])))
    if ktap_path:
        judge.write_ktap(ktap_path)
    return judge.summary()


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--replay":
        sys.exit(0 if replay(*sys.argv[2:]) else 1)
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    ap.add_argument("--qemu", required=True, type=shlex.split)
    ap.add_argument("--cmdline", required=True)
    ap.add_argument("--logdir", default=".")
    ap.add_argument("--testdirs", default="")
    ap.add_argument("--show-output", action="store_true")
    ap.add_argument("--known")
    ap.add_argument("--system-map")
    for name in ("tag", "kernel", "initramfs", "plan"):
        ap.add_argument(name)
    args = ap.parse_args()
    os.makedirs(args.logdir, exist_ok=True)
    plan = plans.read(args.plan)
    judge = Judge(args.tag, plan, args.logdir, args.show_output,
                  read_known(args.known) if args.known else ())

    # Tests that did not build are failures, not omissions.
    testdirs = [d for d in args.testdirs.split(":") if d]
    for idx, test in enumerate(plan, 1):
        if not any(os.path.exists(os.path.join(d, test.name)) for d in testdirs):
            judge.record(idx, "FAIL", 0, "not built", [])

    boots = 0
    with open(os.path.join(args.logdir, "console.log"), "w") as console_log:
        def consoles(start):
            nonlocal boots
            boots += 1
            console_log.write(f"=== boot {boots} from test {start}\n")
            return QemuConsole(args.qemu, args.cmdline, args.kernel, args.initramfs, start,
                               console_log, os.path.join(args.logdir, f"qemu-boot-{boots}.log"),
                               args.system_map)
        judge.run(consoles)
    sys.exit(0 if judge.summary() else 1)


if __name__ == "__main__":
    try:
        main()
    except plans.PlanError as e:
        sys.exit(f"run.py: {e}")
