#!/usr/bin/env python3
"""An independent count of a trace's tasks, to hold `vmars-trace stats --json` and the demo's JSON
against: written apart from @vmars/thread-traces (another language, none of its code), simple
rather than complete.

    python3 scripts/count-trace-tasks.py FORMAT FILE...

FORMAT is one of:
  strace-o       `strace -f -o FILE` (the task id first on every line)
  strace-stderr  `strace -f` to stderr (`[pid N]` prefixes; the first task's lines have none)
  strace-ff      `strace -ff -o PREFIX`: give every PREFIX.TID file
  perf           `perf script` of sched_process_fork/exit and task_newtask
  vmars-trace    the project's format (also what the bpftrace script writes)

Prints one JSON object: tasks, threads, processes, unknownKind, mostAlive, censored. Rules, kept
minimal:
a task is created by every successful clone/clone3/fork/vfork (its result is the new id), plus
the first task; a clone with CLONE_THREAD makes a thread; a task ends at its `+++ exited` or
`+++ killed` line, and the threads of a group still alive end at its leader's; most alive is
the running count in time order (a file's line order; -ff files merged by their timestamps).
`superseded by execve` (strace) and `sched_process_exec` with another old_pid (perf) end the
old leader: the exec'ing thread goes on under its id.
"""
import gzip
import json
import re
import sys

RESULT = re.compile(r"(?:^|resumed>).*\) += (\d+)(?: <[\d.]+>)?$")
CALL = re.compile(r"\b(clone3|clone|vfork|fork)\(")
RESUMED = re.compile(r"<\.\.\. (clone3|clone|vfork|fork) resumed>")


def open_text(path):
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


class Counter:
    def __init__(self):
        self.alive = set()
        self.group = {}  # tid -> leader tid
        self.tasks = 0
        self.threads = 0
        self.most = 0
        self.pending = {}  # tid -> the unfinished creation call's text
        self.early = set()  # children alive (attached) before their creation call returned

    def create(self, tid, parent, thread):
        self.tasks += 1
        if thread:
            self.threads += 1
        self.alive.add(tid)
        self.group[tid] = self.group.get(parent, parent) if thread else tid
        self.most = max(self.most, len(self.alive))

    def attach(self, tid):
        """A child is alive from strace's "attached" message, before its creator's call returns."""
        if tid not in self.alive and self.tasks > 0:
            self.create(tid, None, False)
            self.early.add(tid)

    def end(self, tid):
        if tid not in self.alive:
            return
        leader = self.group.get(tid, tid)
        if leader == tid:
            for other in [t for t in self.alive if t != tid and self.group.get(t) == tid]:
                self.alive.discard(other)
        self.alive.discard(tid)

    def strace_line(self, tid, text):
        placeholder = next((t for t in self.alive if isinstance(t, tuple)), None)
        if tid not in self.alive and placeholder is not None:
            self.alive.discard(placeholder)
            self.early.discard(placeholder)
            self.alive.add(tid)
            self.early.add(tid)
        if tid not in self.alive:
            # The first task, a task alive before the trace (-p), or a child whose first line
            # comes before its creator's call returns: alive from here, its kind known only if a
            # creation names it later.
            self.create(tid, None, False)
            if self.tasks > 1 or not text.startswith("execve("):
                self.early.add(tid)
        if text.startswith("+++ "):
            if "superseded by execve" in text:
                # The exec'ing thread takes the leader's id; one task (the old leader) is gone.
                old = int(re.search(r"in pid (\d+)", text).group(1))
                if old in self.alive and old != tid:
                    self.alive.discard(old)
                    for other in [t for t in self.alive if t != tid and self.group.get(t) == tid]:
                        self.alive.discard(other)
                    self.group[tid] = tid
                return
            if "exited with" in text or "killed by" in text:
                self.end(tid)
            return
        call = CALL.search(text)
        resumed = RESUMED.search(text)
        if "<unfinished ...>" in text and call:
            self.pending[tid] = text
            return
        if resumed:
            start = self.pending.pop(tid, "")
            text = start + text
        elif not call:
            return
        match = RESULT.search(text)
        if match is None:
            return
        child = int(match.group(1))
        if child == 0:
            return
        thread = "CLONE_THREAD" in text
        if child in self.early:
            self.early.discard(child)
            self.threads += thread
            self.group[child] = self.group.get(tid, tid) if thread else child
            return
        self.create(child, tid, thread)


def strace_o(paths):
    counter = Counter()
    for path in paths:
        for line in open_text(path):
            line = line.rstrip("\n")
            match = re.match(r"(\d+) +(.*)$", line)
            if match:
                counter.strace_line(int(match.group(1)), re.sub(r"^[\d:.]+ ", "", match.group(2)))
    return counter


def strace_stderr(paths):
    # A line has no prefix while only one task is traced. The first task is called 0 until a
    # `[pid N]` line names an id that no creation gave.
    counter = Counter()
    solo = 0
    for path in paths:
        cut = ""
        for line in open_text(path):
            line = line.rstrip("\n")
            if len(counter.alive) == 1:
                solo = next(iter(counter.alive))
            group = re.match(r"strace: Process (\d+) attached with (\d+) threads$", line)
            if group:
                # -p on a process with threads: all of them alive before the trace; the others'
                # ids are not said, so each stands as a placeholder until an unknown id shows up.
                counter.create(int(group.group(1)), None, False)
                counter.early.add(int(group.group(1)))
                for index in range(int(group.group(2)) - 1):
                    counter.create(("thread", index), None, False)
                    counter.early.add(("thread", index))
                continue
            # strace's "Process N attached" can cut a line in two: the rest is the next line.
            attached = re.search(r"strace: Process (\d+) attached$", line)
            if attached:
                counter.attach(int(attached.group(1)))
                if attached.start() > 0:
                    cut += line[: attached.start()]
                continue
            if cut:
                line, cut = cut + line, ""
            match = re.match(r"\[pid +(\d+)\] (.*)$", line)
            if match:
                tid, text = int(match.group(1)), match.group(2)
                if tid not in counter.alive and 0 in counter.alive:
                    counter.alive.discard(0)
                    counter.alive.add(tid)
                    solo = tid
                    counter.group = {k: (tid if v == 0 else v) for k, v in counter.group.items()}
                    counter.group[tid] = tid
            else:
                # strace drops the prefix while one task is traced: the line is that task's.
                # (A child attached a moment ago may already be alive: the line is still the
                # task's that was alone before.)
                if re.match(r"^[\d:.]+ ", line) is None:
                    continue
                tid, text = solo, line
            counter.strace_line(tid, re.sub(r"^[\d:.]+ ", "", text))
    return counter


def strace_ff(paths):
    lines = []
    for order, path in enumerate(paths):
        tid = int(re.search(r"\.(\d+)(?:\.gz)?$", path).group(1))
        for number, line in enumerate(open_text(path)):
            stamp = re.match(r"([\d.:]+) (.*)$", line.rstrip("\n"))
            if stamp:
                lines.append((stamp.group(1), 1 if stamp.group(2).startswith("+++") else 0, order, number, tid, stamp.group(2)))
    lines.sort()
    counter = Counter()
    for _, _, _, _, tid, text in lines:
        counter.strace_line(tid, text)
    return counter


def perf(paths):
    counter = Counter()
    newtask_thread = {}
    kinds_known = False
    for path in paths:
        for line in open_text(path):
            if line.startswith("#"):
                continue
            if "sched:sched_process_exec" in line:
                # A thread's execve: it goes on under its leader's id (the old leader's exit may
                # have been reported already).
                old = int(re.search(r"old_pid=(\d+)", line).group(1))
                leader = int(re.search(r" pid=(\d+)", line).group(1))
                if old != leader and old in counter.alive:
                    counter.alive.discard(old)
                    counter.alive.add(leader)
                continue
            if "task:task_newtask" in line:
                kinds_known = True
                tid = int(re.search(r"\bpid=(\d+)", line).group(1))
                flags = int(re.search(r"clone_flags=([0-9a-fx]+)", line).group(1), 16)
                newtask_thread[tid] = bool(flags & 0x10000)
            elif "sched:sched_process_fork" in line:
                parent = int(re.search(r" pid=(\d+)", line).group(1))
                child = int(re.search(r"child_pid=(\d+)", line).group(1))
                if counter.tasks == 0:
                    counter.create(parent, None, False)
                counter.create(child, parent, newtask_thread.pop(child, False))
            elif "sched:sched_process_exit" in line:
                tid = int(re.search(r"\bpid=(\d+)", line).group(1))
                if tid not in counter.alive:
                    # Alive before the trace: the first task, or one perf saw only exit.
                    counter.create(tid, None, False)
                    if counter.tasks > 1:
                        counter.early.add(tid)
                counter.alive.discard(tid)
    if not kinds_known:
        # Without task_newtask, perf cannot tell threads from processes.
        counter.early = set(range(counter.tasks))
    return counter


def vmars(paths):
    events = []
    tasks = threads = processes = censored = 0
    for path in paths:
        for number, line in enumerate(open_text(path)):
            if number == 0 or not line.strip():
                continue
            record = json.loads(line)
            tasks += 1
            threads += record["kind"] == "thread"
            processes += record["kind"] == "process"
            start, end = record["seq"]
            events.append((-1 if start is None else start, 1))
            if end is None:
                censored += 1
            else:
                events.append((end, -1))
    events.sort()
    alive = most = 0
    for _, step in events:
        alive += step
        most = max(most, alive)
    return {"tasks": tasks, "threads": threads, "processes": processes, "unknownKind": tasks - threads - processes, "mostAlive": most, "censored": censored}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    form, paths = sys.argv[1], sys.argv[2:]
    if form == "vmars-trace":
        print(json.dumps(vmars(paths)))
        return
    counter = {"strace-o": strace_o, "strace-stderr": strace_stderr, "strace-ff": strace_ff, "perf": perf}[form](paths)
    unknown = len(counter.early)
    print(json.dumps({
        "tasks": counter.tasks,
        "threads": counter.threads,
        "processes": counter.tasks - counter.threads - unknown,
        "unknownKind": unknown,
        "mostAlive": counter.most,
        "censored": len(counter.alive),
    }))


main()
