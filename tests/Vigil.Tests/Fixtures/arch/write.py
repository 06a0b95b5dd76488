#!/usr/bin/env python3
"""Writes the per-architecture fixtures NAME.log of this directory (see README.md): they are written, not recorded.

Usage: python3 write.py (from any directory). Each log holds, for one architecture, an exec with arguments, an IPv4
connect, a non-blocking IPv6 connect and a bind, as the kernel's audit_log_exit (kernel/auditsc.c) formats their
records; i386 adds a connect made through socketcall. unknown.log holds an exec of an architecture Vigil has no
table for and an x86_64 syscall number no table names.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# name, AUDIT_ARCH_ value (linux/audit.h), big-endian, 64-bit, __NR_execve, __NR_connect, __NR_bind (the numbers of
# each architecture's asm/unistd*.h), its dynamic loader, and its socketcall number when the log shows one.
ARCHES = [
    ("i386", 0x40000003, False, False, 11, 362, 361, "/lib/ld-linux.so.2", 102),
    ("aarch64", 0xC00000B7, False, True, 221, 203, 200, "/lib/ld-linux-aarch64.so.1", None),
    ("arm", 0x40000028, False, False, 11, 283, 282, "/lib/ld-linux-armhf.so.3", None),
    ("ppc64", 0x80000015, True, True, 11, 328, 327, "/lib64/ld64.so.1", None),
    ("ppc64le", 0xC0000015, False, True, 11, 328, 327, "/lib64/ld64.so.2", None),
    ("s390x", 0x80000016, True, True, 11, 362, 361, "/lib/ld64.so.1", None),
    ("riscv64", 0xC00000F3, False, True, 221, 203, 200, "/lib/ld-linux-riscv64-lp64d.so.1", None),
    ("loongarch64", 0xC0000102, False, True, 221, 203, 200, "/lib64/ld-linux-loongarch-lp64d.so.1", None),
]

AF_INET, AF_INET6 = 2, 10
SYS_CONNECT = 3


def family(value, big_endian):
    return value.to_bytes(2, "big" if big_endian else "little")


def sockaddr_in(port, address, big_endian):
    return family(AF_INET, big_endian) + port.to_bytes(2, "big") + bytes(address) + bytes(8)


def sockaddr_in6(port, address, big_endian):
    return family(AF_INET6, big_endian) + port.to_bytes(2, "big") + bytes(4) + bytes(address) + bytes(4)


def pointer(value, wide):
    return format(value if wide else value & 0xFFFFFFFF, "x")


def ids(pid, ppid):
    return (f"ppid={ppid} pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
            "sgid=1000 fsgid=1000 tty=pts0 ses=3")


def syscall(stamp, arch, number, success, exit, args, items, pid, ppid, comm, exe):
    a = " ".join(f"a{i}={value}" for i, value in enumerate(args))
    return (f"type=SYSCALL msg=audit({stamp}): arch={arch:x} syscall={number} success={success} exit={exit} {a} "
            f"items={items} {ids(pid, ppid)} comm=\"{comm}\" exe=\"{exe}\" key=\"vigil\"")


def path(stamp, item, name, inode):
    return (f"type=PATH msg=audit({stamp}): item={item} name=\"{name}\" inode={inode} dev=fe:00 mode=0100755 ouid=0 "
            "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0")


def proctitle(stamp, argv):
    return f"type=PROCTITLE msg=audit({stamp}): proctitle={chr(0).join(argv).encode().hex().upper()}"


def arch_log(index, name, arch, big_endian, wide, execve, connect, bind, loader, socketcall):
    lines = []
    # Each log's own seconds and serials, so that logs read together keep apart as logs of different machines do.
    second = 1796000000 + 100 * index
    serial = 10 * index
    pid, ppid = 4100 + second % 1000, 4000 + second % 1000
    sp = 0x7FFC1E2D3A40 if wide else 0xFFB1C2D0

    stamp = f"{second}.100:{serial + 1}"
    argv = ["ls", "-l", "/tmp/a b"]
    lines.append(syscall(stamp, arch, execve, "yes", 0, [pointer(sp + 0x100, wide), pointer(sp + 0x200, wide),
                                                         pointer(sp + 0x300, wide), "0"], 2, pid, ppid, "ls", "/usr/bin/ls"))
    lines.append(f"type=EXECVE msg=audit({stamp}): argc=3 a0=\"ls\" a1=\"-l\" a2={argv[2].encode().hex().upper()}")
    lines.append(f"type=CWD msg=audit({stamp}): cwd=\"/home/user\"")
    lines.append(path(stamp, 0, "/usr/bin/ls", 1051))
    lines.append(path(stamp, 1, loader, 1052))
    lines.append(proctitle(stamp, argv))

    client = ["nc", "example.org", "80"]
    stamp = f"{second}.200:{serial + 2}"
    lines.append(syscall(stamp, arch, connect, "yes", 0, ["3", pointer(sp, wide), "10", "0"], 0, pid + 1, ppid,
                         "nc", "/usr/bin/nc.openbsd"))
    lines.append(f"type=SOCKADDR msg=audit({stamp}): saddr={sockaddr_in(80, [93, 184, 216, 34], big_endian).hex().upper()}")
    lines.append(proctitle(stamp, client))

    stamp = f"{second}.300:{serial + 3}"
    lines.append(syscall(stamp, arch, connect, "no", -115, ["4", pointer(sp, wide), "1c", "0"], 0, pid + 1, ppid,
                         "nc", "/usr/bin/nc.openbsd"))
    ipv6 = bytes.fromhex("20010db8000000000000000000000001")
    lines.append(f"type=SOCKADDR msg=audit({stamp}): saddr={sockaddr_in6(443, ipv6, big_endian).hex().upper()}")
    lines.append(proctitle(stamp, client))

    server = ["python3", "-m", "http.server", "8080"]
    stamp = f"{second}.400:{serial + 4}"
    lines.append(syscall(stamp, arch, bind, "yes", 0, ["5", pointer(sp, wide), "10", "0"], 0, pid + 2, ppid,
                         "python3", "/usr/bin/python3.11"))
    lines.append(f"type=SOCKADDR msg=audit({stamp}): saddr={sockaddr_in(8080, [0, 0, 0, 0], big_endian).hex().upper()}")
    lines.append(proctitle(stamp, server))

    if socketcall is not None:
        # socketcall(SYS_CONNECT, args): the SYSCALL's a0 is the call, a1 points at its arguments, which the
        # SOCKETCALL record holds (nargs, then each as %lx).
        stamp = f"{second}.500:{serial + 5}"
        lines.append(syscall(stamp, arch, socketcall, "yes", 0, [format(SYS_CONNECT, "x"), pointer(sp + 0x40, wide),
                                                                 pointer(sp + 0x80, wide), "0"], 0, pid + 3, ppid,
                             "resolver32", "/opt/legacy/resolver32"))
        lines.append(f"type=SOCKETCALL msg=audit({stamp}): nargs=3 a0=6 a1={pointer(sp + 0x60, wide)} a2=10")
        lines.append(f"type=SOCKADDR msg=audit({stamp}): saddr={sockaddr_in(53, [127, 0, 0, 53], big_endian).hex().upper()}")
        lines.append(proctitle(stamp, ["/opt/legacy/resolver32"]))
    return lines


def unknown_log():
    mips64el = 0xC0000008  # AUDIT_ARCH_MIPSEL64: an architecture Vigil has no syscall table for.
    x86_64 = 0xC000003E
    stamp = "1796001000.100:1"
    lines = [syscall(stamp, mips64el, 5057, "yes", 0, ["120010a0", "12002000", "12003000", "0"], 1, 5100, 5000,
                     "ls", "/usr/bin/ls"),
             f"type=EXECVE msg=audit({stamp}): argc=1 a0=\"ls\"",
             path(stamp, 0, "/usr/bin/ls", 1051),
             proctitle(stamp, ["ls"])]
    stamp = "1796001000.200:2"
    lines += [syscall(stamp, x86_64, 999, "yes", 0, ["0", "0", "0", "0"], 0, 5101, 5000, "future", "/usr/bin/future"),
              proctitle(stamp, ["future"])]
    return lines


def write(name, lines):
    with open(os.path.join(HERE, name + ".log"), "w", encoding="ascii") as log:
        log.write("\n".join(lines) + "\n")


for index, spec in enumerate(ARCHES):
    write(spec[0], arch_log(index, *spec))
write("unknown", unknown_log())
