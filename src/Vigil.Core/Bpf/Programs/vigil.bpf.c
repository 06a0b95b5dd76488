// SPDX-License-Identifier: GPL-2.0
/*
 * Vigil's BPF programs: process exec and exit, connect/bind/listen/accept, and file activity under the watched
 * directories (process_file_events), written as records into one ring buffer.
 * They attach to BTF tracepoints only (raw_syscalls sys_enter/sys_exit and sched_process_exit), which need neither
 * tracefs nor kprobes; fentry/fexit would spare the other syscalls the filter below, but kernels built without BPF
 * trampolines (this project's CI VM among them) refuse those programs.
 * CO-RE: every kernel struct is read through BPF_CORE_READ against the vmlinux.h that tools/build-bpf.sh generates
 * from the build machine's BTF, and libbpf relocates the offsets against the running kernel's BTF at load.
 *
 * The record layout is read by src/Vigil.Core/Bpf/BpfRecord.cs; both sides change together. Sizes are bounded so that
 * one record fits the per-CPU scratch value: exe and cwd up to VIGIL_PATH_MAX bytes, argv up to VIGIL_ARGV_MAX;
 * anything cut sets VIGIL_FLAG_TRUNCATED, which the tables show as probe_error = 1.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "vigil.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The ring buffer; its size is set by the loader (--bpf_perf_event_array_exp). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} vigil_events SEC(".maps");

/* One scratch value per CPU (max_entries set to the possible CPUs by the loader): a record is built there and
 * copied into the ring buffer with its real length, so a short exec does not reserve the bound of a long one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_scratch);
} vigil_scratch SEC(".maps");

/* Syscalls between entry and exit by thread id: their start time and arguments. LRU, so a thread killed inside a
 * syscall leaves nothing behind (--bpf_buffer_storage_size sets the capacity). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct vigil_inflight);
} vigil_inflight SEC(".maps");

/* Counters per CPU, indexed by enum vigil_counter. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VIGIL_COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} vigil_counters SEC(".maps");

/* The loader's settings, one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_config);
} vigil_settings SEC(".maps");

/* audit.exclude entries: which event kinds (a bit each) a matching task does not report. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VIGIL_MAX_EXCLUSIONS);
	__type(key, struct vigil_exclusion_key);
	__type(value, __u32);
} vigil_exclude SEC(".maps");

/* The watched directories (the roots of the config's file_paths), each with its trailing '/': a file path is watched
 * when one of them is its prefix. Paths are compared as the kernel or the caller spelled them; a name with ".." past
 * its leading ones can name a watched file by a path that is not under a watched directory. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, VIGIL_MAX_WATCHED);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vigil_path_key);
	__type(value, __u32);
} vigil_watched SEC(".maps");

/* Open files under the watched directories by their struct file's address, whichever descriptors (dup, fork) lead to
 * them. LRU: a file closed without close(2) (at exit, on exec, by close_range) is forgotten when the table fills. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct vigil_open_file);
} vigil_files SEC(".maps");

/* Directories judged watched or not (see dir_watched), so that a call in an unwatched directory costs a lookup rather
 * than its path. LRU: a directory not used for a while is judged again when next used. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct vigil_dir_key);
	__type(value, struct vigil_dir_verdict);
} vigil_dirs SEC(".maps");

/* Raised by every successful rename and mount call, which may move directories to other paths. */
__u64 vigil_moves = 0;

static __always_inline void count(__u32 counter)
{
	__u64 *value = bpf_map_lookup_elem(&vigil_counters, &counter);
	if (value)
		*value += 1;
}

static __always_inline __u32 kind_of(long id)
{
	switch (id) {
	case VIGIL_NR_EXECVE: return VIGIL_KIND_EXECVE;
	case VIGIL_NR_EXECVEAT: return VIGIL_KIND_EXECVEAT;
	case VIGIL_NR_CONNECT: return VIGIL_KIND_CONNECT;
	case VIGIL_NR_BIND: return VIGIL_KIND_BIND;
	case VIGIL_NR_LISTEN: return VIGIL_KIND_LISTEN;
	case VIGIL_NR_ACCEPT: return VIGIL_KIND_ACCEPT;
	case VIGIL_NR_ACCEPT4: return VIGIL_KIND_ACCEPT4;
	default: return 0;
	}
}

static __always_inline __u32 file_op_of(long id)
{
	switch (id) {
	case VIGIL_NR_OPENAT:
	case VIGIL_NR_OPENAT2:
#ifdef VIGIL_NR_OPEN
	case VIGIL_NR_OPEN:
	case VIGIL_NR_CREAT:
#endif
		return VIGIL_FILE_OPEN;
	case VIGIL_NR_READ:
	case VIGIL_NR_READV:
	case VIGIL_NR_PREAD64:
	case VIGIL_NR_PREADV:
	case VIGIL_NR_PREADV2:
		return VIGIL_FILE_READ;
	case VIGIL_NR_WRITE:
	case VIGIL_NR_WRITEV:
	case VIGIL_NR_PWRITE64:
	case VIGIL_NR_PWRITEV:
	case VIGIL_NR_PWRITEV2:
		return VIGIL_FILE_WRITE;
	case VIGIL_NR_FTRUNCATE: return VIGIL_FILE_FTRUNCATE;
	case VIGIL_NR_CLOSE: return VIGIL_FILE_CLOSE;
	case VIGIL_NR_TRUNCATE: return VIGIL_FILE_TRUNCATE;
	case VIGIL_NR_LINKAT: return VIGIL_FILE_LINK;
	case VIGIL_NR_SYMLINKAT: return VIGIL_FILE_SYMLINK;
	case VIGIL_NR_RENAMEAT:
	case VIGIL_NR_RENAMEAT2:
		return VIGIL_FILE_RENAME;
	case VIGIL_NR_UNLINKAT: return VIGIL_FILE_UNLINK;
	case VIGIL_NR_MKDIRAT: return VIGIL_FILE_MKDIR;
#ifdef VIGIL_NR_OPEN
	case VIGIL_NR_LINK: return VIGIL_FILE_LINK;
	case VIGIL_NR_SYMLINK: return VIGIL_FILE_SYMLINK;
	case VIGIL_NR_RENAME: return VIGIL_FILE_RENAME;
	case VIGIL_NR_UNLINK: return VIGIL_FILE_UNLINK;
	case VIGIL_NR_RMDIR: return VIGIL_FILE_RMDIR;
	case VIGIL_NR_MKDIR: return VIGIL_FILE_MKDIR;
#endif
	default: return 0;
	}
}

/* A 32-bit task's syscall numbers mean other calls; only native syscalls are reported. The current task
 * (bpf_get_current_task_btf) and a tracepoint's regs are BTF pointers the programs may read directly, which costs a
 * load where bpf_probe_read_kernel costs a helper call: this and syscall_nr run for every syscall. */
static __always_inline bool compat_task(struct task_struct *task)
{
#if defined(__TARGET_ARCH_x86)
	return task->thread_info.status & 0x0002; /* TS_COMPAT */
#else
	return false;
#endif
}

static __always_inline long syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#else
	return regs->syscallno;
#endif
}

/* The settings, when events of this kind are wanted from this task (not Vigil's own process), else NULL. */
static __always_inline struct vigil_config *wanted(__u32 kind)
{
	__u32 zero = 0;
	struct vigil_config *cfg = bpf_map_lookup_elem(&vigil_settings, &zero);

	if (!cfg || !(cfg->kinds & (1u << kind)) || (__u32)(bpf_get_current_pid_tgid() >> 32) == cfg->self_tgid)
		return NULL;
	return cfg;
}

/* Whether an audit.exclude entry covers this task for this kind of event: one lookup per combination of selectors
 * (exe, uid, auid) that some entry uses, so with one kind of entry an excluded task costs one lookup. */
static __always_inline bool excluded(struct vigil_config *cfg, struct task_struct *task, __u32 kind)
{
	struct vigil_exclusion_key key;
	struct file *exe_file;
	__u64 ino;
	__u32 dev;
	__u32 uid;
	__u32 auid;
	__u32 *kinds;
	__u32 used = cfg->selector_sets;

	if (!used)
		return false;
	exe_file = BPF_CORE_READ(task, mm, exe_file);
	ino = exe_file ? BPF_CORE_READ(exe_file, f_inode, i_ino) : 0;
	dev = exe_file ? BPF_CORE_READ(exe_file, f_inode, i_sb, s_dev) : 0;
	uid = BPF_CORE_READ(task, cred, uid.val);
	auid = bpf_core_field_exists(task->loginuid) ? BPF_CORE_READ(task, loginuid.val) : (__u32)-1;
	for (__u32 set = 0; set < 8; set++) {
		if (!(used & (1u << set)))
			continue;
		__builtin_memset(&key, 0, sizeof(key));
		key.selectors = set;
		if (set & VIGIL_SELECT_EXE) {
			key.ino = ino;
			key.dev = dev;
		}
		if (set & VIGIL_SELECT_UID)
			key.uid = uid;
		if (set & VIGIL_SELECT_AUID)
			key.auid = auid;
		kinds = bpf_map_lookup_elem(&vigil_exclude, &key);
		if (kinds && (*kinds & (1u << kind))) {
			count(VIGIL_COUNTER_EXCLUDED);
			return true;
		}
	}
	return false;
}

/* The header every record starts with: who, when, how long, with which result. */
static __always_inline void fill_header(struct vigil_header *h, struct task_struct *task, __u32 kind, __s64 ret, __u64 start_ns)
{
	__u64 id = bpf_get_current_pid_tgid();
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct tty_struct *tty;

	h->kind = kind;
	h->flags = 0;
	h->session_id = bpf_core_field_exists(task->sessionid) ? BPF_CORE_READ(task, sessionid) : (__u32)-1;
	h->time_ns = bpf_ktime_get_boot_ns();
	h->duration_ns = start_ns ? h->time_ns - start_ns : 0;
	h->ret = ret;
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->ppid = BPF_CORE_READ(task, real_parent, tgid);
	h->auid = bpf_core_field_exists(task->loginuid) ? BPF_CORE_READ(task, loginuid.val) : (__u32)-1;
	h->uid = BPF_CORE_READ(cred, uid.val);
	h->euid = BPF_CORE_READ(cred, euid.val);
	h->suid = BPF_CORE_READ(cred, suid.val);
	h->fsuid = BPF_CORE_READ(cred, fsuid.val);
	h->gid = BPF_CORE_READ(cred, gid.val);
	h->egid = BPF_CORE_READ(cred, egid.val);
	h->sgid = BPF_CORE_READ(cred, sgid.val);
	h->fsgid = BPF_CORE_READ(cred, fsgid.val);
	h->cgroup_id = bpf_get_current_cgroup_id();
	tty = BPF_CORE_READ(task, signal, tty);
	h->tty[0] = 0;
	if (tty)
		bpf_core_read_str(h->tty, sizeof(h->tty), &tty->name);
}

/*
 * Writes the path of (dentry, vfsmount) into s->path, ending at s->path[VIGIL_PATH_MAX], walking up through mount
 * points to the global root, as d_path does for a task whose root is the global one. Returns the path's length;
 * sets *truncated when it was longer than the bound or deeper than VIGIL_PATH_DEPTH. Global, so that the verifier
 * checks it once rather than at each of its callers.
 */
__noinline __u64 resolve_path(struct vigil_scratch *s, __u64 dentry_address, __u64 mount_address, bool *truncated)
{
	struct dentry *dentry = (struct dentry *)dentry_address;
	struct vfsmount *vfsmnt = (struct vfsmount *)mount_address;
	struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
	__u32 pos = VIGIL_PATH_MAX;

	if (!s || !truncated)
		return 0;

	for (int depth = 0; depth < VIGIL_PATH_DEPTH; depth++) {
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);

		if (dentry == mnt_root || dentry == parent) {
			struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

			if (dentry != mnt_root || mnt == mnt_parent)
				goto done;
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = &mnt->mnt;
			continue;
		}
		struct qstr name = BPF_CORE_READ(dentry, d_name);
		__u32 len = name.len;

		if (len > VIGIL_NAME_MAX || len + 1 > pos) {
			*truncated = true;
			goto done;
		}
		pos -= len + 1;
		pos &= VIGIL_PATH_MAX - 1;
		bpf_probe_read_kernel(&s->path[pos + 1], len & VIGIL_NAME_MAX, name.name);
		s->path[pos] = '/';
		dentry = parent;
	}
	*truncated = true;
done:
	if (pos == VIGIL_PATH_MAX) {
		pos = VIGIL_PATH_MAX - 1;
		s->path[pos] = '/';
	}
	return VIGIL_PATH_MAX - pos;
}

/* Appends the path of (dentry, mnt) at record offset *at (below 32 KiB); returns its length, 0 for none. */
static __always_inline __u16 append_path(struct vigil_scratch *s, __u32 *at, struct dentry *dentry, struct vfsmount *mnt, bool *truncated)
{
	__u64 len;
	__u32 offset = *at & (VIGIL_RECORD_MAX / 2 - 1);

	if (!dentry || !mnt)
		return 0;
	len = resolve_path(s, (__u64)dentry, (__u64)mnt, truncated);
	/* The verifier knows nothing of what a global function returns, and clang must not drop the check it needs. */
	barrier_var(len);
	if (len == 0 || len > VIGIL_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(&s->record[offset], len, &s->path[VIGIL_PATH_MAX - len]);
	*at = offset + len;
	return len;
}

static __always_inline struct vigil_scratch *scratch_value(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&vigil_scratch, &cpu);
}

static __always_inline void submit(struct vigil_scratch *s, __u32 size, bool truncated)
{
	struct vigil_header *h = (struct vigil_header *)s->record;

	if (truncated) {
		h->flags |= VIGIL_FLAG_TRUNCATED;
		count(VIGIL_COUNTER_TRUNCATED);
	}
	if (bpf_ringbuf_output(&vigil_events, s->record, size & (VIGIL_RECORD_MAX - 1), 0))
		count(VIGIL_COUNTER_LOST);
	else
		count(VIGIL_COUNTER_SENT);
}

/* The path of the task's executable, appended at *at. */
/* The path of an open file, appended at *at; 0 for none. */
static __always_inline __u16 append_file(struct vigil_scratch *s, __u32 *at, struct file *file, bool *truncated)
{
	if (!file)
		return 0;
	return append_path(s, at, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt), truncated);
}

/* The path of the task's executable, appended at *at. */
static __always_inline __u16 append_exe(struct vigil_scratch *s, struct task_struct *task, __u32 *at, bool *truncated)
{
	return append_file(s, at, BPF_CORE_READ(task, mm, exe_file), truncated);
}

/* A successful exec, seen as it returns into the new image: its executable, working directory and arguments. */
static __always_inline void report_exec(struct task_struct *task, __u32 kind, __u64 start_ns)
{
	struct vigil_config *cfg = wanted(kind);
	struct vigil_scratch *s;
	struct vigil_exec *e;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_exec);
	__u64 arg_start;
	__u64 argv_len;

	if (!cfg || excluded(cfg, task, kind))
		return;
	s = scratch_value();
	if (!s)
		return;
	e = (struct vigil_exec *)s->record;
	fill_header(&e->header, task, kind, 0, start_ns);

	struct file *exe_file = BPF_CORE_READ(task, mm, exe_file);
	struct inode *inode = exe_file ? BPF_CORE_READ(exe_file, f_inode) : NULL;

	e->mode = inode ? BPF_CORE_READ(inode, i_mode) : 0;
	e->owner_uid = inode ? BPF_CORE_READ(inode, i_uid.val) : 0;
	e->owner_gid = inode ? BPF_CORE_READ(inode, i_gid.val) : 0;
	e->reserved = 0;
	e->exe_len = append_exe(s, task, &at, &truncated);
	e->cwd_len = append_path(s, &at, BPF_CORE_READ(task, fs, pwd.dentry), BPF_CORE_READ(task, fs, pwd.mnt), &truncated);

	/* The new image's arguments, NUL-terminated one after the other at the top of its stack. */
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	argv_len = BPF_CORE_READ(task, mm, arg_end) - arg_start;
	if (argv_len > VIGIL_ARGV_MAX) {
		argv_len = VIGIL_ARGV_MAX;
		truncated = true;
	}
	e->argv_len = 0;
	at &= VIGIL_RECORD_MAX / 4 - 1;
	if (argv_len > 0) {
		if (bpf_probe_read_user(&s->record[at], argv_len, (void *)arg_start) == 0) {
			e->argv_len = argv_len;
			at += argv_len;
		} else {
			truncated = true;
		}
	}
	submit(s, at, truncated);
}

/* The peer address accept wrote back: only when the call succeeded and the caller asked for it. */
static __always_inline long accepted_length(long ret, __u64 addr, __u64 addrlen_ptr)
{
	int written = 0;

	if (ret < 0 || !addr || !addrlen_ptr || bpf_probe_read_user(&written, sizeof(written), (void *)addrlen_ptr))
		return 0;
	return written;
}

/* The open file behind a descriptor of the current task, or NULL. The table is read directly from the task (each
 * file call of every process comes here); only the slot, at a variable index, needs bpf_probe_read_kernel. */
static __always_inline struct file *file_of(struct task_struct *task, long fd)
{
	struct files_struct *files = task->files;
	struct fdtable *fdt = files ? files->fdt : NULL;
	struct file *file = NULL;

	if (fd < 0 || !fdt || fd >= fdt->max_fds)
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]);
	return file;
}

/* The socket behind a descriptor of the current task, or NULL. */
static __always_inline struct socket *socket_of(struct task_struct *task, long fd)
{
	struct file *file = file_of(task, fd);

	return file ? (struct socket *)BPF_CORE_READ(file, private_data) : NULL;
}

static __always_inline void read_endpoints(struct vigil_socket *e, struct socket *sock)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);

	if (!sk)
		return;
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->type = BPF_CORE_READ(sk, sk_type);
	e->protocol = BPF_CORE_READ(sk, sk_protocol);
	e->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->family == VIGIL_AF_INET) {
		BPF_CORE_READ_INTO(&e->local_address, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(&e->remote_address, sk, __sk_common.skc_daddr);
	} else if (e->family == VIGIL_AF_INET6) {
		BPF_CORE_READ_INTO(&e->local_address, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&e->remote_address, sk, __sk_common.skc_v6_daddr);
	}
}

/*
 * connect, bind, listen, accept, accept4 as they return: the sockaddr the caller passed (for accept, the one the
 * kernel wrote back), and the socket's own family, type, protocol and endpoints (for accept, the new socket's).
 */
static __always_inline void report_socket(struct task_struct *task, __u32 kind, long ret, struct vigil_inflight *call)
{
	struct vigil_scratch *s = scratch_value();
	struct vigil_socket *e;
	struct socket *sock;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_socket);
	long fd = call->args[0];
	__u64 addr = call->args[1];
	long addrlen = call->args[2];
	bool accepting = kind == VIGIL_KIND_ACCEPT || kind == VIGIL_KIND_ACCEPT4;

	if (!s)
		return;
	e = (struct vigil_socket *)s->record;
	__builtin_memset(e, 0, sizeof(*e));
	fill_header(&e->header, task, kind, ret, call->start_ns);
	e->fd = fd;
	if (accepting)
		addrlen = accepted_length(ret, addr, call->args[2]);
	else if (kind == VIGIL_KIND_LISTEN)
		addrlen = 0;
	if (addrlen > (long)sizeof(e->sockaddr)) {
		addrlen = sizeof(e->sockaddr);
		truncated = true;
	}
	if (addrlen > 0 && addr) {
		if (bpf_probe_read_user(e->sockaddr, addrlen & (sizeof(e->sockaddr) * 2 - 1), (void *)addr) == 0)
			e->sockaddr_len = addrlen;
		else
			truncated = true;
	}
	sock = accepting ? (ret >= 0 ? socket_of(task, ret) : NULL) : socket_of(task, fd);
	if (sock)
		read_endpoints(e, sock);
	e->exe_len = append_exe(s, task, &at, &truncated);
	submit(s, at, truncated);
}

/* include/uapi/linux/fcntl.h, include/linux/fs.h, include/uapi/linux/stat.h */
#define VIGIL_AT_FDCWD -100
#define VIGIL_AT_REMOVEDIR 0x200
#define VIGIL_O_WRONLY 01
#define VIGIL_O_CREAT 0100
#define VIGIL_O_TRUNC 01000
#define VIGIL_FMODE_WRITE 0x2
#define VIGIL_FMODE_CREATED 0x100000
#define VIGIL_S_IFMT 0170000
#define VIGIL_S_IFDIR 0040000
/* The end of a record's paths: each starts below it, so one more path of VIGIL_PATH_MAX * 2 still fits. */
#define VIGIL_FILE_PATHS_END (VIGIL_RECORD_MAX / 2)

/* Whether the path of len bytes in s->key.data (its first VIGIL_WATCH_KEY_MAX) is under a watched directory. */
static __always_inline bool key_watched(struct vigil_scratch *s, __u64 len)
{
	s->key.prefixlen = (len < VIGIL_WATCH_KEY_MAX ? len : VIGIL_WATCH_KEY_MAX) * 8;
	return bpf_map_lookup_elem(&vigil_watched, &s->key) != NULL;
}

/* Whether the path of len bytes at record offset from is under a watched directory. */
static __always_inline bool watched(struct vigil_scratch *s, __u32 from, __u32 len)
{
	if (len == 0 || from >= VIGIL_FILE_PATHS_END)
		return false;
	/* Whole keys are copied, so that the size is one the verifier knows; the bytes past the path are not compared. */
	bpf_probe_read_kernel(s->key.data, VIGIL_WATCH_KEY_MAX, &s->record[from]);
	return key_watched(s, len);
}

/* The directory a path call's dirfd names: the working directory for AT_FDCWD. False when the descriptor is not open. */
static __always_inline bool directory_of(struct task_struct *task, long dirfd, struct dentry **dentry, struct vfsmount **mnt)
{
	struct file *dir;
	struct path path;

	if ((int)dirfd == VIGIL_AT_FDCWD) {
		struct fs_struct *fs = task->fs;

		if (!fs || bpf_core_read(&path, sizeof(path), &fs->pwd))
			return false;
	} else {
		dir = file_of(task, dirfd);
		if (!dir || bpf_core_read(&path, sizeof(path), &dir->f_path))
			return false;
	}
	*dentry = path.dentry;
	*mnt = path.mnt;
	return true;
}

/*
 * Whether the files of a directory are under a watched directory: its path with a trailing '/' matched against the
 * trie, once, then remembered until a rename or a mount call anywhere, or a change of the watched directories.
 * Global, so that the verifier checks it once.
 */
__noinline bool dir_watched(struct vigil_scratch *s, __u64 dentry_address, __u64 mount_address, __u32 watch_version)
{
	struct vigil_dir_key key = { .dentry = dentry_address, .mnt = mount_address };
	struct dentry *dentry = (struct dentry *)dentry_address;
	struct vigil_dir_verdict verdict;
	struct vigil_dir_verdict *known;
	bool truncated = false;
	__u64 len;

	if (!s || !dentry)
		return false;
	verdict.inode = (__u64)BPF_CORE_READ(dentry, d_inode);
	verdict.generation = *(volatile __u64 *)&vigil_moves;
	verdict.watch_version = watch_version;
	known = bpf_map_lookup_elem(&vigil_dirs, &key);
	if (known && known->inode == verdict.inode && known->generation == verdict.generation && known->watch_version == watch_version)
		return known->watched;
	len = resolve_path(s, dentry_address, mount_address, &truncated);
	barrier_var(len);
	if (len == 0 || len > VIGIL_PATH_MAX)
		return false;
	bpf_probe_read_kernel(s->key.data, VIGIL_WATCH_KEY_MAX, &s->path[VIGIL_PATH_MAX - len]);
	if (len > 1 && len < VIGIL_WATCH_KEY_MAX)
		s->key.data[len++ & (VIGIL_WATCH_KEY_MAX - 1)] = '/';
	verdict.watched = key_watched(s, len);
	bpf_map_update_elem(&vigil_dirs, &key, &verdict, BPF_ANY);
	return verdict.watched;
}

/*
 * Whether a path call's name may be under a watched directory: a plain name (no '/', not "." or "..") is judged by its
 * directory's verdict; an absolute name, or one with directories of its own, is matched by its whole path.
 */
static __always_inline bool name_may_be_watched(struct vigil_scratch *s, struct task_struct *task, struct vigil_config *cfg, long dirfd, const char *name)
{
	char head[64];
	long read;
	struct dentry *dentry;
	struct vfsmount *mnt;

	if (!name)
		return false;
	read = bpf_probe_read_user_str(head, sizeof(head), name);
	if (read <= 1 || read == sizeof(head) || head[0] == '/' || (head[0] == '.' && (read == 2 || (head[1] == '.' && read == 3))))
		return read > 1;
	for (int i = 0; i < sizeof(head); i++) {
		if (i >= read)
			break;
		if (head[i] == '/')
			return true;
	}
	if (!directory_of(task, dirfd, &dentry, &mnt))
		return false;
	return dir_watched(s, (__u64)dentry, (__u64)mnt, cfg->watch_version);
}

/* Appends a NUL-terminated user string at *at, without its NUL; returns its length (0 when unreadable). */
static __always_inline __u32 append_user_string(struct vigil_scratch *s, __u32 *at, const char *text, bool *truncated)
{
	__u32 offset = *at;
	long read;

	if (offset >= VIGIL_FILE_PATHS_END + VIGIL_PATH_MAX)
		return 0;
	read = bpf_probe_read_user_str(&s->record[offset], VIGIL_PATH_MAX, text);
	if (read <= 0)
		return 0;
	if (read == VIGIL_PATH_MAX)
		*truncated = true;
	*at = offset + read - 1;
	return read - 1;
}

/*
 * Appends the absolute path a path syscall names at *at: the name when it is absolute, else the path of the directory
 * dirfd names (the working directory for AT_FDCWD), a '/' and the name, the name's leading ".." taken up the
 * directory's parents. Returns the length, 0 when the name or its directory cannot be read.
 */
static __noinline __u32 append_name(struct vigil_scratch *s, __u32 *at, long dirfd, const char *name, bool *truncated)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u32 start = *at & (VIGIL_FILE_PATHS_END - 1);
	__u32 offset = start;
	struct dentry *dentry;
	struct vfsmount *mnt;
	char head[4];
	__u64 len;

	if (!name || bpf_probe_read_user_str(head, sizeof(head), name) <= 0)
		return 0;
	if (head[0] != '/') {
		if (!directory_of(task, dirfd, &dentry, &mnt))
			return 0;
		for (int up = 0; up < 8 && head[0] == '.' && head[1] == '.' && (head[2] == '/' || head[2] == 0); up++) {
			if (dentry != BPF_CORE_READ(mnt, mnt_root))
				dentry = BPF_CORE_READ(dentry, d_parent);
			name += head[2] ? 3 : 2;
			if (bpf_probe_read_user_str(head, sizeof(head), name) <= 0)
				return 0;
		}
		len = append_path(s, &offset, dentry, mnt, truncated);
		if (!len)
			return 0;
		if (head[0] && len > 1)
			s->record[offset++ & (VIGIL_RECORD_MAX - 1)] = '/';
	}
	append_user_string(s, &offset, name, truncated);
	*at = offset;
	return offset - start;
}

/* Submits a file record whose op, state and paths are in place: who did it, the executable and the working directory. */
static __always_inline void submit_file(struct vigil_scratch *s, struct task_struct *task, __u32 at, long ret, __u64 start_ns, bool truncated)
{
	struct vigil_file *e = (struct vigil_file *)s->record;

	fill_header(&e->header, task, VIGIL_KIND_FILE, ret, start_ns);
	e->reserved = 0;
	at &= VIGIL_FILE_PATHS_END - 1;
	e->exe_len = append_exe(s, task, &at, &truncated);
	e->cwd_len = append_path(s, &at, BPF_CORE_READ(task, fs, pwd.dentry), BPF_CORE_READ(task, fs, pwd.mnt), &truncated);
	submit(s, at, truncated);
}

/* The state an open file under the watched directories is remembered with, NULL for one outside them. */
static __always_inline struct vigil_open_file *known_file(struct file *file)
{
	__u64 key = (__u64)file;
	struct vigil_open_file *known = bpf_map_lookup_elem(&vigil_files, &key);

	if (known && known->inode != (__u64)BPF_CORE_READ(file, f_inode)) {
		bpf_map_delete_elem(&vigil_files, &key);
		return NULL;
	}
	return known;
}

/* Remembers an open file with its state; returns the stored entry. */
static __always_inline struct vigil_open_file *remember_file(struct file *file, __u32 state)
{
	__u64 key = (__u64)file;
	struct vigil_open_file value = { .inode = (__u64)BPF_CORE_READ(file, f_inode), .state = state };

	bpf_map_update_elem(&vigil_files, &key, &value, BPF_ANY);
	return bpf_map_lookup_elem(&vigil_files, &key);
}

/* The path of an open file as the record's path; 0 when it is not under a watched directory. */
static __always_inline __u16 file_path(struct vigil_scratch *s, __u32 *at, struct file *file, bool *truncated)
{
	__u32 from = *at;
	__u16 len = append_file(s, at, file, truncated);

	return len && watched(s, from, len) ? len : 0;
}

/* A successful open of a file (not a directory) under the watched directories: remembered, and reported. */
static __noinline void report_open(struct task_struct *task, struct vigil_config *cfg, struct pt_regs *regs, long nr, long fd)
{
	struct vigil_scratch *s = scratch_value();
	struct file *file = file_of(task, fd);
	struct vigil_file *e;
	struct inode *inode;
	struct path path;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_file);
	__u32 flags = 0;
	__u32 fmode;
	__u16 len;

	if (!s || !file || bpf_core_read(&path, sizeof(path), &file->f_path))
		return;
	/* A file that is a mount's root (a bind-mounted file) has no directory of its own on that mount. */
	if (path.dentry != BPF_CORE_READ(path.mnt, mnt_root)
		&& !dir_watched(s, (__u64)BPF_CORE_READ(path.dentry, d_parent), (__u64)path.mnt, cfg->watch_version))
		return;
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode || (BPF_CORE_READ(inode, i_mode) & VIGIL_S_IFMT) == VIGIL_S_IFDIR)
		return;
	len = file_path(s, &at, file, &truncated);
	if (!len || excluded(cfg, task, VIGIL_KIND_FILE))
		return;
	switch (nr) {
	case VIGIL_NR_OPENAT:
		flags = PT_REGS_PARM3_SYSCALL(regs);
		break;
	case VIGIL_NR_OPENAT2: {
		__u64 how = 0;

		bpf_probe_read_user(&how, sizeof(how), (void *)PT_REGS_PARM3_SYSCALL(regs));
		flags = how;
		break;
	}
#ifdef VIGIL_NR_OPEN
	case VIGIL_NR_OPEN:
		flags = PT_REGS_PARM2_SYSCALL(regs);
		break;
	case VIGIL_NR_CREAT:
		flags = VIGIL_O_CREAT | VIGIL_O_WRONLY | VIGIL_O_TRUNC;
		break;
#endif
	}
	fmode = BPF_CORE_READ(file, f_mode);
	e = (struct vigil_file *)s->record;
	e->op = VIGIL_FILE_OPEN;
	e->state = ((fmode & VIGIL_FMODE_WRITE) ? VIGIL_FILE_WRITABLE : 0) | ((fmode & VIGIL_FMODE_CREATED) ? VIGIL_FILE_CREATED : 0)
		| ((flags & VIGIL_O_TRUNC) ? VIGIL_FILE_TRUNCATED : 0);
	e->path_len = len;
	e->dest_len = 0;
	if (cfg->file_options & VIGIL_FILE_REPORT_DESCRIPTORS)
		remember_file(file, e->state & VIGIL_FILE_WRITABLE);
	submit_file(s, task, at, fd, 0, truncated);
}

/*
 * A read, write or ftruncate through a descriptor (close comes through report_close): the first write and, with
 * reads reported, the first read of each open file under the watched directories; every ftruncate. A file opened
 * before the programs saw it is looked at once, and reported as partial, only when partial events are asked for.
 */
static __noinline void report_descriptor(struct task_struct *task, struct vigil_config *cfg, __u32 op, long fd, long ret)
{
	struct file *file = file_of(task, fd);
	struct vigil_open_file *known;
	struct vigil_scratch *s;
	struct vigil_file *e;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_file);
	__u32 mark = op == VIGIL_FILE_WRITE ? VIGIL_FILE_WROTE : op == VIGIL_FILE_READ ? VIGIL_FILE_READ_DONE : 0;
	__u16 len;

	if (!file)
		return;
	known = known_file(file);
	if (!known) {
		if (!(cfg->file_options & VIGIL_FILE_REPORT_PARTIAL))
			return;
		s = scratch_value();
		if (!s)
			return;
		len = file_path(s, &at, file, &truncated);
		at = sizeof(struct vigil_file);
		known = remember_file(file, (len ? VIGIL_FILE_PARTIAL : VIGIL_FILE_UNWATCHED)
			| ((BPF_CORE_READ(file, f_mode) & VIGIL_FMODE_WRITE) ? VIGIL_FILE_WRITABLE : 0));
		if (!known)
			return;
	}
	if ((known->state & VIGIL_FILE_UNWATCHED) || (known->state & mark))
		return;
	known->state |= mark;
	s = scratch_value();
	if (!s || excluded(cfg, task, VIGIL_KIND_FILE))
		return;
	e = (struct vigil_file *)s->record;
	e->op = op;
	e->state = known->state;
	e->path_len = append_file(s, &at, file, &truncated);
	e->dest_len = 0;
	submit_file(s, task, at, ret, 0, truncated);
}

/* close(2) of a descriptor of a known open file, as it returns; the file is forgotten with its last descriptor. */
static __noinline void report_close(struct task_struct *task, struct vigil_config *cfg, struct vigil_inflight *call, long ret)
{
	struct file *file = (struct file *)call->args[0];
	struct vigil_open_file *known = known_file(file);
	struct vigil_scratch *s = scratch_value();
	struct vigil_file *e;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_file);
	__u64 key = (__u64)file;

	if (!known || !s)
		return;
	e = (struct vigil_file *)s->record;
	e->op = VIGIL_FILE_CLOSE;
	e->state = known->state;
	if (call->args[1])
		bpf_map_delete_elem(&vigil_files, &key);
	if ((e->state & VIGIL_FILE_UNWATCHED) || excluded(cfg, task, VIGIL_KIND_FILE))
		return;
	e->path_len = append_file(s, &at, file, &truncated);
	e->dest_len = 0;
	submit_file(s, task, at, ret, call->start_ns, truncated);
}

/*
 * A successful call that names paths (truncate, link, symlink, rename, unlink, rmdir, mkdir and their *at() forms)
 * with its path or destination under a watched directory. The arguments are read from the registers the call was
 * made with. A symlink's path is its target as written; its destination is the link.
 */
static __noinline void report_path_call(struct task_struct *task, struct vigil_config *cfg, struct pt_regs *regs, long nr, __u32 op)
{
	struct vigil_scratch *s = scratch_value();
	struct vigil_file *e;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_file);
	__u64 a0 = PT_REGS_PARM1_SYSCALL(regs);
	__u64 a1 = PT_REGS_PARM2_SYSCALL(regs);
	__u64 a2 = PT_REGS_PARM3_SYSCALL(regs);
	__u64 a3 = PT_REGS_PARM4_SYSCALL(regs);
	long dirfd = VIGIL_AT_FDCWD;
	long dest_dirfd = VIGIL_AT_FDCWD;
	const char *path = (const char *)a0;
	const char *dest = NULL;
	__u32 path_len;
	__u32 dest_len = 0;

	if (!s)
		return;
	switch (nr) {
	case VIGIL_NR_UNLINKAT:
		if (a2 & VIGIL_AT_REMOVEDIR)
			op = VIGIL_FILE_RMDIR;
		/* fall through */
	case VIGIL_NR_MKDIRAT:
		dirfd = a0;
		path = (const char *)a1;
		break;
	case VIGIL_NR_RENAMEAT:
	case VIGIL_NR_RENAMEAT2:
	case VIGIL_NR_LINKAT:
		dirfd = a0;
		path = (const char *)a1;
		dest_dirfd = a2;
		dest = (const char *)a3;
		break;
	case VIGIL_NR_SYMLINKAT:
		dest_dirfd = a1;
		dest = (const char *)a2;
		break;
#ifdef VIGIL_NR_OPEN
	case VIGIL_NR_RENAME:
	case VIGIL_NR_LINK:
	case VIGIL_NR_SYMLINK:
		dest = (const char *)a1;
		break;
#endif
	}
	if (!(op != VIGIL_FILE_SYMLINK && name_may_be_watched(s, task, cfg, dirfd, path))
		&& !(dest && name_may_be_watched(s, task, cfg, dest_dirfd, dest)))
		return;
	e = (struct vigil_file *)s->record;
	if (op == VIGIL_FILE_SYMLINK)
		path_len = append_user_string(s, &at, path, &truncated);
	else
		path_len = append_name(s, &at, dirfd, path, &truncated);
	if (dest) {
		at &= VIGIL_FILE_PATHS_END - 1;
		dest_len = append_name(s, &at, dest_dirfd, dest, &truncated);
	}
	if (!(op != VIGIL_FILE_SYMLINK && watched(s, sizeof(struct vigil_file), path_len))
		&& !(dest_len && watched(s, (sizeof(struct vigil_file) + path_len) & (VIGIL_FILE_PATHS_END - 1), dest_len)))
		return;
	if (excluded(cfg, task, VIGIL_KIND_FILE))
		return;
	e->op = op;
	e->state = 0;
	e->path_len = path_len;
	e->dest_len = dest_len;
	submit_file(s, task, at, 0, 0, truncated);
}

/* A file call other than close (report_close) as it returns. */
static __always_inline void file_call_exit(struct task_struct *task, struct pt_regs *regs, long nr, __u32 op, long ret)
{
	struct vigil_config *cfg;

	if (ret < 0 || !(cfg = wanted(VIGIL_KIND_FILE)))
		return;
	if (op <= VIGIL_FILE_CLOSE && op != VIGIL_FILE_OPEN && !(cfg->file_options & VIGIL_FILE_REPORT_DESCRIPTORS))
		return;
	switch (op) {
	case VIGIL_FILE_OPEN:
		report_open(task, cfg, regs, nr, ret);
		break;
	case VIGIL_FILE_READ:
		if (cfg->file_options & VIGIL_FILE_REPORT_READS)
			report_descriptor(task, cfg, op, PT_REGS_PARM1_SYSCALL(regs), ret);
		break;
	case VIGIL_FILE_WRITE:
	case VIGIL_FILE_FTRUNCATE:
		report_descriptor(task, cfg, op, PT_REGS_PARM1_SYSCALL(regs), ret);
		break;
	default:
		report_path_call(task, cfg, regs, nr, op);
		break;
	}
}

/* close(2) as it enters: a descriptor of a known open file keeps its file, and whether it is the file's last, for the exit. */
static __always_inline void close_enter(long fd)
{
	struct task_struct *task;
	struct vigil_inflight call;
	struct vigil_config *cfg = wanted(VIGIL_KIND_FILE);
	struct file *file;
	__u32 tid;

	if (!cfg || !(cfg->file_options & VIGIL_FILE_REPORT_DESCRIPTORS))
		return;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (compat_task(task) || !(file = file_of(task, fd)) || !known_file(file))
		return;
	tid = (__u32)bpf_get_current_pid_tgid();
	call.start_ns = bpf_ktime_get_boot_ns();
	call.args[0] = (__u64)file;
	/* file_ref_t counts from 0 for one reference (include/linux/file_ref.h) */
	call.args[1] = BPF_CORE_READ(file, f_ref.refcnt.counter) == 0;
	call.args[2] = 0;
	bpf_map_update_elem(&vigil_inflight, &tid, &call, BPF_ANY);
}

/*
 * Every syscall passes here, so the filter comes first: the number, then the kinds wanted. A socket call of an excluded
 * task stops at the exclusion lookup; an exec is judged at its exit, by the executable it then runs.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(vigil_sys_enter, struct pt_regs *regs, long id)
{
	__u32 kind = kind_of(id);
	struct task_struct *task;
	struct vigil_config *cfg;
	struct vigil_inflight call;
	__u32 tid;

	if (!kind) {
		if (id == VIGIL_NR_CLOSE)
			close_enter(PT_REGS_PARM1_SYSCALL(regs));
		return 0;
	}
	task = (struct task_struct *)bpf_get_current_task_btf();
	cfg = wanted(kind);
	if (!cfg || compat_task(task))
		return 0;
	if (kind != VIGIL_KIND_EXECVE && kind != VIGIL_KIND_EXECVEAT && excluded(cfg, task, kind))
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	call.start_ns = bpf_ktime_get_boot_ns();
	call.args[0] = PT_REGS_PARM1_SYSCALL(regs);
	call.args[1] = PT_REGS_PARM2_SYSCALL(regs);
	call.args[2] = PT_REGS_PARM3_SYSCALL(regs);
	bpf_map_update_elem(&vigil_inflight, &tid, &call, BPF_ANY);
	return 0;
}

/* The current thread's entry of the call now returning, taken out of the map; false when its entry was not seen. */
static __always_inline bool take_inflight(struct vigil_inflight *call)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vigil_inflight *found = bpf_map_lookup_elem(&vigil_inflight, &tid);

	if (!found)
		return false;
	*call = *found;
	bpf_map_delete_elem(&vigil_inflight, &tid);
	return true;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 kind = kind_of(syscall_nr(regs));
	struct task_struct *task;
	struct vigil_inflight call;
	bool found;

	if (!kind)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (compat_task(task))
		return 0;
	found = take_inflight(&call);
	if (kind == VIGIL_KIND_EXECVE || kind == VIGIL_KIND_EXECVEAT) {
		/* A failed exec is no process event, in osquery's bpf_process_events as in its process_events. An exec from
		 * a thread other than the leader returns under the leader's id, so its entry may be missing. */
		if (ret == 0)
			report_exec(task, kind, found ? call.start_ns : 0);
		return 0;
	}
	if (!found) {
		if (wanted(kind))
			count(VIGIL_COUNTER_MISSED);
		return 0;
	}
	report_socket(task, kind, ret, &call);
	return 0;
}

/*
 * The file calls as they return, in a program of their own, loaded only for process_file_events: their paths make it
 * the larger part of the object for the verifier, which a start without file events no longer pays for.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_file_exit, struct pt_regs *regs, long ret)
{
	long nr = syscall_nr(regs);
	__u32 op = file_op_of(nr);
	struct task_struct *task;
	struct vigil_inflight call;
	struct vigil_config *cfg;

	if (!op) {
		if ((nr == VIGIL_NR_MOUNT || nr == VIGIL_NR_UMOUNT2 || nr == VIGIL_NR_MOVE_MOUNT) && ret == 0)
			__sync_fetch_and_add(&vigil_moves, 1);
		return 0;
	}
	if (op == VIGIL_FILE_RENAME && ret == 0)
		__sync_fetch_and_add(&vigil_moves, 1);
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (compat_task(task))
		return 0;
	if (op != VIGIL_FILE_CLOSE) {
		file_call_exit(task, regs, nr, op, ret);
		return 0;
	}
	if (!take_inflight(&call))
		return 0;
	cfg = wanted(VIGIL_KIND_FILE);
	if (cfg && ret == 0)
		report_close(task, cfg, &call, ret);
	return 0;
}

/* The last thread of a process leaving: its exit status, as wait(2) would see it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(vigil_exit, struct task_struct *task)
{
	struct vigil_config *cfg;
	struct vigil_scratch *s;
	struct vigil_exit *e;
	bool truncated = false;
	__u32 at = sizeof(struct vigil_exit);

	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	cfg = wanted(VIGIL_KIND_EXIT);
	if (!cfg || excluded(cfg, task, VIGIL_KIND_EXIT))
		return 0;
	s = scratch_value();
	if (!s)
		return 0;
	e = (struct vigil_exit *)s->record;
	fill_header(&e->header, task, VIGIL_KIND_EXIT, BPF_CORE_READ(task, exit_code), 0);
	e->reserved[0] = e->reserved[1] = e->reserved[2] = 0;
	e->exe_len = append_exe(s, task, &at, &truncated);
	submit(s, at, truncated);
	return 0;
}
