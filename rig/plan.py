#!/usr/bin/env python3
"""The one reader of the rig's test plans (rig/tests/*.plan).

A plan line is

    TEST  LIMIT  [may-skip|must-skip]  [ARGUMENTS...]  [# COMMENT]

TEST is the path of the test under the selftest directory (or a wrapper
script of rig/tests/), LIMIT its time limit in seconds, ARGUMENTS what it
is run with. A '#' that starts a word begins a comment, so does a '#' at
the start of a line; blank lines are ignored.

Every test must pass unless its line says `may-skip`, followed somewhere
by a comment that says why it skips there (a must-pass test that skips
as a whole is a failure; see run.py). `must-skip` is for a test run where
it cannot work, to prove that it notices: there it passing is a failure. A plan is for one arch and flavour,
so is each expectation in it.

run.py imports it; the shell scripts use its commands (USAGE).
"""
USAGE = """usage:
    plan.py check PLAN...    parse, and say what is wrong (exit 1)
    plan.py guest PLAN       "TEST LIMIT ARGUMENTS" per test: what rig/init runs
    plan.py names PLAN       the tests, one per line
    plan.py pick PLAN TEST   the lines of TEST, as a plan of their own"""
import collections
import sys

MAY_SKIP = "may-skip"
MUST_SKIP = "must-skip"

Test = collections.namedtuple("Test", "name limit args may_skip must_skip why line")


class PlanError(Exception):
    pass


def parse_line(text):
    """(words, comment) of one line; a word starting with '#' ends it."""
    words = text.split()
    for i, word in enumerate(words):
        if word.startswith("#"):
            return words[:i], " ".join(words[i:]).lstrip("#").strip()
    return words, ""


def read(path):
    """The tests of the plan at @path, in order."""
    tests = []
    with open(path) as f:
        for n, text in enumerate(f, 1):
            words, comment = parse_line(text)
            if not words:
                continue
            where = f"{path}:{n}"
            if len(words) < 2 or not words[1].isdigit() or int(words[1]) == 0:
                raise PlanError(f"{where}: want 'TEST LIMIT [may-skip] [ARGUMENTS]', got: {text.strip()}")
            must_skip = len(words) > 2 and words[2] == MUST_SKIP
            may_skip = must_skip or (len(words) > 2 and words[2] == MAY_SKIP)
            if may_skip and not comment:
                raise PlanError(f"{where}: {words[0]} may skip: say why in a '# ...' comment")
            args = words[3:] if may_skip else words[2:]
            if MAY_SKIP in args or MUST_SKIP in args:
                raise PlanError(f"{where}: '{MAY_SKIP}'/'{MUST_SKIP}' go right after the limit")
            tests.append(Test(words[0], int(words[1]), args, may_skip, must_skip,
                              comment if may_skip else "", text.rstrip("\n")))
    return tests


def main(argv):
    cmd, paths = (argv[1], argv[2:]) if len(argv) > 2 else (None, [])
    try:
        if cmd == "check":
            for path in paths:
                read(path)
        elif cmd == "guest" and len(paths) == 1:
            for t in read(paths[0]):
                print(" ".join([t.name, str(t.limit)] + t.args))
        elif cmd == "names" and len(paths) == 1:
            for t in read(paths[0]):
                print(t.name)
        elif cmd == "pick" and len(paths) == 2:
            for t in read(paths[0]):
                if t.name == paths[1]:
                    print(t.line)
        else:
            sys.exit(USAGE)
    except (OSError, PlanError) as e:
        sys.exit(f"plan: {e}")


if __name__ == "__main__":
    main(sys.argv)
