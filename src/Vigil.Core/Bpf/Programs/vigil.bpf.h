/* SPDX-License-Identifier: GPL-2.0 */
/* The records and maps shared by vigil.bpf.c and the C# reader (Bpf/BpfRecord.cs, BpfExclusionKey.cs, BpfPrograms.cs): little-endian,
 * naturally aligned, no implicit padding. */
#ifndef VIGIL_BPF_H
#define VIGIL_BPF_H

/* Native syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h). */
#if defined(__TARGET_ARCH_x86)
#define VIGIL_NR_EXECVE 59
#define VIGIL_NR_EXECVEAT 322
#define VIGIL_NR_CONNECT 42
#define VIGIL_NR_BIND 49
#define VIGIL_NR_LISTEN 50
#define VIGIL_NR_ACCEPT 43
#define VIGIL_NR_ACCEPT4 288
#elif defined(__TARGET_ARCH_arm64)
#define VIGIL_NR_EXECVE 221
#define VIGIL_NR_EXECVEAT 281
#define VIGIL_NR_CONNECT 203
#define VIGIL_NR_BIND 200
#define VIGIL_NR_LISTEN 201
#define VIGIL_NR_ACCEPT 202
#define VIGIL_NR_ACCEPT4 242
#else
#error "set __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

#define VIGIL_PATH_MAX 4096
#define VIGIL_NAME_MAX 255
#define VIGIL_PATH_DEPTH 32
#define VIGIL_ARGV_MAX 32768
/* A power of two, so that offsets can be masked into bounds the verifier sees. */
#define VIGIL_RECORD_MAX 65536
#define VIGIL_MAX_EXCLUSIONS 1024

#define VIGIL_AF_INET 2
#define VIGIL_AF_INET6 10

#define VIGIL_FLAG_TRUNCATED 1

enum vigil_kind {
	VIGIL_KIND_EXECVE = 1,
	VIGIL_KIND_EXECVEAT = 2,
	VIGIL_KIND_EXIT = 3,
	VIGIL_KIND_CONNECT = 4,
	VIGIL_KIND_BIND = 5,
	VIGIL_KIND_LISTEN = 6,
	VIGIL_KIND_ACCEPT = 7,
	VIGIL_KIND_ACCEPT4 = 8,
};

enum vigil_counter {
	VIGIL_COUNTER_SENT = 0,
	VIGIL_COUNTER_LOST = 1,
	VIGIL_COUNTER_EXCLUDED = 2,
	VIGIL_COUNTER_TRUNCATED = 3,
	/* socket calls whose entry (and so their arguments) was pushed out of the in-flight table */
	VIGIL_COUNTER_MISSED = 4,
	VIGIL_COUNTER_COUNT = 5,
};

#define VIGIL_SELECT_EXE 1
#define VIGIL_SELECT_UID 2
#define VIGIL_SELECT_AUID 4

struct vigil_config {
	__u32 self_tgid;
	__u32 kinds;         /* bit (1 << kind) for each kind of event wanted */
	__u32 selector_sets; /* bit (1 << selectors) for each combination of VIGIL_SELECT_* some exclusion uses */
	__u32 reserved;
};

struct vigil_exclusion_key {
	__u64 ino;
	__u32 dev;       /* the kernel's dev_t: major << 20 | minor */
	__u32 uid;
	__u32 auid;
	__u32 selectors; /* which of the fields above the entry sets; the others are 0 */
};

/* 88 bytes */
struct vigil_header {
	__u16 kind;
	__u16 flags;
	__u32 reserved;
	__u64 time_ns;     /* CLOCK_BOOTTIME when the syscall returned */
	__u64 duration_ns; /* time inside the syscall, 0 when its entry was not seen */
	__s64 ret;         /* the syscall's return value; for exit the wait(2) status */
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 auid;
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u64 cgroup_id;
};

/* followed by exe_len bytes of exe path, cwd_len bytes of cwd, argv_len bytes of NUL-terminated arguments */
struct vigil_exec {
	struct vigil_header header;
	__u32 mode;
	__u32 owner_uid;
	__u32 owner_gid;
	__u16 exe_len;
	__u16 cwd_len;
	__u32 argv_len;
	__u32 reserved;
};

/* followed by exe_len bytes of exe path */
struct vigil_exit {
	struct vigil_header header;
	__u16 exe_len;
	__u16 reserved[3];
};

/* followed by exe_len bytes of exe path */
struct vigil_socket {
	struct vigil_header header;
	__s64 fd;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 sockaddr_len;
	__u16 local_port;
	__u16 remote_port;
	__u16 exe_len;
	__u16 reserved;
	__u8 local_address[16];
	__u8 remote_address[16];
	__u8 sockaddr[128];
};

/* A syscall between its entry and its exit. */
struct vigil_inflight {
	__u64 start_ns;
	__u64 args[3];
};

struct vigil_scratch {
	char record[VIGIL_RECORD_MAX];
	char path[VIGIL_PATH_MAX + VIGIL_NAME_MAX + 1];
};

#endif
