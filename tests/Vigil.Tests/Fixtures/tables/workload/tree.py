"""Prints the events of a log that belong to the process tree of the first exec whose comm is argv[2] (or of the
process argv[2] names as pid=N): its pid and every process it or its descendants created (fork, vfork, clone, clone3
exits) or that exec'd as their child."""
import re
import sys

events = {}
order = []
for line in open(sys.argv[1], encoding="utf-8"):
    serial = re.search(r"msg=audit\([0-9.]+:([0-9]+)\)", line).group(1)
    if serial not in events:
        events[serial] = []
        order.append(serial)
    events[serial].append(line)

def field(line, name):
    match = re.search(r" " + name + r"=(\S+)", line)
    return match.group(1) if match else None

tree = {sys.argv[2][4:]} if sys.argv[2].startswith("pid=") else set()
for serial in order:
    syscall = next((l for l in events[serial] if l.startswith("type=SYSCALL")), None)
    if syscall is None:
        continue
    pid, ppid, exit_ = field(syscall, "pid"), field(syscall, "ppid"), field(syscall, "exit")
    if not tree and field(syscall, "comm") == '"' + sys.argv[2] + '"' and field(syscall, "syscall") == "59":
        tree.add(pid)
    if pid in tree or ppid in tree:
        tree.add(pid)
        if field(syscall, "syscall") in ("56", "57", "58", "435") and exit_ and int(exit_) > 0:
            tree.add(exit_)
        sys.stdout.writelines(events[serial])
