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
#define VIGIL_NR_READ 0
#define VIGIL_NR_WRITE 1
#define VIGIL_NR_CLOSE 3
#define VIGIL_NR_PREAD64 17
#define VIGIL_NR_PWRITE64 18
#define VIGIL_NR_READV 19
#define VIGIL_NR_WRITEV 20
#define VIGIL_NR_TRUNCATE 76
#define VIGIL_NR_FTRUNCATE 77
#define VIGIL_NR_OPENAT 257
#define VIGIL_NR_MKDIRAT 258
#define VIGIL_NR_UNLINKAT 263
#define VIGIL_NR_RENAMEAT 264
#define VIGIL_NR_LINKAT 265
#define VIGIL_NR_SYMLINKAT 266
#define VIGIL_NR_PREADV 295
#define VIGIL_NR_PWRITEV 296
#define VIGIL_NR_RENAMEAT2 316
#define VIGIL_NR_PREADV2 327
#define VIGIL_NR_PWRITEV2 328
#define VIGIL_NR_OPENAT2 437
#define VIGIL_NR_MOUNT 165
#define VIGIL_NR_UMOUNT2 166
#define VIGIL_NR_MOVE_MOUNT 429
/* the calls asm-generic (arm64) has only as their *at() forms */
#define VIGIL_NR_OPEN 2
#define VIGIL_NR_RENAME 82
#define VIGIL_NR_MKDIR 83
#define VIGIL_NR_RMDIR 84
#define VIGIL_NR_CREAT 85
#define VIGIL_NR_LINK 86
#define VIGIL_NR_UNLINK 87
#define VIGIL_NR_SYMLINK 88
#elif defined(__TARGET_ARCH_arm64)
#define VIGIL_NR_EXECVE 221
#define VIGIL_NR_EXECVEAT 281
#define VIGIL_NR_CONNECT 203
#define VIGIL_NR_BIND 200
#define VIGIL_NR_LISTEN 201
#define VIGIL_NR_ACCEPT 202
#define VIGIL_NR_ACCEPT4 242
#define VIGIL_NR_READ 63
#define VIGIL_NR_WRITE 64
#define VIGIL_NR_CLOSE 57
#define VIGIL_NR_PREAD64 67
#define VIGIL_NR_PWRITE64 68
#define VIGIL_NR_READV 65
#define VIGIL_NR_WRITEV 66
#define VIGIL_NR_TRUNCATE 45
#define VIGIL_NR_FTRUNCATE 46
#define VIGIL_NR_OPENAT 56
#define VIGIL_NR_MKDIRAT 34
#define VIGIL_NR_UNLINKAT 35
#define VIGIL_NR_RENAMEAT 38
#define VIGIL_NR_LINKAT 37
#define VIGIL_NR_SYMLINKAT 36
#define VIGIL_NR_PREADV 69
#define VIGIL_NR_PWRITEV 70
#define VIGIL_NR_RENAMEAT2 276
#define VIGIL_NR_PREADV2 286
#define VIGIL_NR_PWRITEV2 287
#define VIGIL_NR_OPENAT2 437
#define VIGIL_NR_MOUNT 40
#define VIGIL_NR_UMOUNT2 39
#define VIGIL_NR_MOVE_MOUNT 429
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
/* The bytes of a path the watched-directory trie compares: a watched directory's path is shorter. */
#define VIGIL_WATCH_KEY_MAX 256
#define VIGIL_MAX_WATCHED 256

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
	VIGIL_KIND_FILE = 9,
};

/* What a file record reports (struct vigil_file.op). */
enum vigil_file_op {
	VIGIL_FILE_OPEN = 1,
	VIGIL_FILE_READ = 2,
	VIGIL_FILE_WRITE = 3,
	VIGIL_FILE_FTRUNCATE = 4,
	VIGIL_FILE_CLOSE = 5,
	VIGIL_FILE_TRUNCATE = 6,
	VIGIL_FILE_LINK = 7,
	VIGIL_FILE_SYMLINK = 8,
	VIGIL_FILE_RENAME = 9,
	VIGIL_FILE_UNLINK = 10,
	VIGIL_FILE_RMDIR = 11,
	VIGIL_FILE_MKDIR = 12,
};

/* struct vigil_file.state and struct vigil_open_file.state */
#define VIGIL_FILE_WRITABLE 1 /* opened for writing */
#define VIGIL_FILE_WROTE 2    /* a write through it was reported */
#define VIGIL_FILE_READ_DONE 4 /* a read through it was reported */
#define VIGIL_FILE_PARTIAL 8  /* opened before the programs saw it */
#define VIGIL_FILE_CREATED 16 /* the open created the file */
#define VIGIL_FILE_TRUNCATED 32 /* the open asked for O_TRUNC */
#define VIGIL_FILE_UNWATCHED 64 /* an open file outside the watched directories (remembered for partial events) */

/* struct vigil_config.file_options */
#define VIGIL_FILE_REPORT_READS 1       /* --audit_fim_show_accesses */
#define VIGIL_FILE_REPORT_PARTIAL 2     /* --audit_show_partial_fim_events */
#define VIGIL_FILE_REPORT_DESCRIPTORS 4 /* --audit_fim_fd_events: write, ftruncate, close (and read) */

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
	__u32 file_options;  /* VIGIL_FILE_REPORT_* */
	__u32 watch_version; /* raised by the loader each time it changes the watched directories */
};

/* A directory seen in a file call, by its dentry and mount: whether its files are under a watched directory. */
struct vigil_dir_key {
	__u64 dentry;
	__u64 mnt;
};

struct vigil_dir_verdict {
	__u64 inode;         /* the dentry's inode, so a dentry freed and reused for another directory is not taken for it */
	__u64 generation;    /* the renames and mounts seen when it was judged: any since may have moved it */
	__u32 watch_version; /* the watched directories it was judged against */
	__u32 watched;
};

/* A key of the watched-directory trie: a directory's path with its trailing '/', prefixlen in bits. */
struct vigil_path_key {
	__u32 prefixlen;
	__u8 data[VIGIL_WATCH_KEY_MAX];
};

/* An open file under a watched directory, by its struct file. */
struct vigil_open_file {
	__u64 inode; /* the struct inode's address, so a struct file freed and reused for another file is not taken for it */
	__u32 state; /* VIGIL_FILE_* */
	__u32 reserved;
};

struct vigil_exclusion_key {
	__u64 ino;
	__u32 dev;       /* the kernel's dev_t: major << 20 | minor */
	__u32 uid;
	__u32 auid;
	__u32 selectors; /* which of the fields above the entry sets; the others are 0 */
};

/* 104 bytes */
struct vigil_header {
	__u16 kind;
	__u16 flags;
	__u32 session_id;  /* the audit login session (ses), (u32)-1 when unset or audit is not built in */
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
	char tty[16];      /* the controlling terminal's name as audit writes it (pts0), "" for none; cut at 15 bytes */
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

/* followed by path_len bytes of path, dest_len of destination, exe_len of exe path, cwd_len of cwd. The paths are
 * absolute as the kernel or the caller spelled them (not normalized); a symlink's path is its target as written. */
struct vigil_file {
	struct vigil_header header;
	__u16 op;          /* enum vigil_file_op */
	__u16 state;       /* VIGIL_FILE_* */
	__u32 reserved;
	__u16 path_len;
	__u16 dest_len;
	__u16 exe_len;
	__u16 cwd_len;
};

/* A syscall between its entry and its exit. */
struct vigil_inflight {
	__u64 start_ns;
	__u64 args[3];
};

struct vigil_scratch {
	char record[VIGIL_RECORD_MAX];
	char path[VIGIL_PATH_MAX + VIGIL_NAME_MAX + 1];
	struct vigil_path_key key;
};

#endif
