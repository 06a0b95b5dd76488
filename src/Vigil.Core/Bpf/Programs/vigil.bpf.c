// SPDX-License-Identifier: GPL-2.0
/*
 * Vigil's BPF programs: process exec and exit, connect/bind/listen/accept, written as records into one ring buffer.
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

/* A 32-bit task's syscall numbers mean other calls; only native syscalls are reported. */
static __always_inline bool compat_task(struct task_struct *task)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(task, thread_info.status) & 0x0002; /* TS_COMPAT */
#else
	return false;
#endif
}

static __always_inline long syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, orig_ax);
#else
	return BPF_CORE_READ(regs, syscallno);
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

	h->kind = kind;
	h->flags = 0;
	h->reserved = 0;
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
}

/*
 * Writes the path of (dentry, vfsmount) into s->path, ending at s->path[VIGIL_PATH_MAX], walking up through mount
 * points to the global root, as d_path does for a task whose root is the global one. Returns the path's length;
 * sets *truncated when it was longer than the bound or deeper than VIGIL_PATH_DEPTH.
 */
static __noinline __u32 resolve_path(struct vigil_scratch *s, struct dentry *dentry, struct vfsmount *vfsmnt, bool *truncated)
{
	struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
	__u32 pos = VIGIL_PATH_MAX;

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
	__u32 len;
	__u32 offset = *at & (VIGIL_RECORD_MAX / 2 - 1);

	if (!dentry || !mnt)
		return 0;
	len = resolve_path(s, dentry, mnt, truncated);
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
static __always_inline __u16 append_exe(struct vigil_scratch *s, struct task_struct *task, __u32 *at, bool *truncated)
{
	struct file *exe_file = BPF_CORE_READ(task, mm, exe_file);

	if (!exe_file)
		return 0;
	return append_path(s, at, BPF_CORE_READ(exe_file, f_path.dentry), BPF_CORE_READ(exe_file, f_path.mnt), truncated);
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

/* The socket behind a descriptor of the current task, or NULL. */
static __always_inline struct socket *socket_of(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	return (struct socket *)BPF_CORE_READ(file, private_data);
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

	if (!kind)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	cfg = wanted(kind);
	if (!cfg || compat_task(task))
		return 0;
	if (kind != VIGIL_KIND_EXECVE && kind != VIGIL_KIND_EXECVEAT && excluded(cfg, task, kind))
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	call.start_ns = bpf_ktime_get_boot_ns();
	call.args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	call.args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	call.args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	bpf_map_update_elem(&vigil_inflight, &tid, &call, BPF_ANY);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 kind = kind_of(syscall_nr(regs));
	struct task_struct *task;
	struct vigil_inflight *found;
	struct vigil_inflight call;
	__u32 tid;

	if (!kind)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (compat_task(task))
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	found = bpf_map_lookup_elem(&vigil_inflight, &tid);
	if (found) {
		call = *found;
		bpf_map_delete_elem(&vigil_inflight, &tid);
	}
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
