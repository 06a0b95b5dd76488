# The workload of fim.log and of ProcessFileEventsKernelTests: every process_file_events operation on the watched
# directory W, with U unwatched. Before it runs, W holds existing.txt and skip/ (excluded), U holds in.txt.
# Usage: python3 fim.py W U. Prints the pid of the child it forks.
import fcntl
import os
import sys

w, u = sys.argv[1], sys.argv[2]
os.chdir(w)

# A new file, named relative to the working directory; its second write makes no row.
fd = os.open("new.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(fd, b"a")
os.write(fd, b"b")
os.close(fd)

# Append to a file that existed before.
fd = os.open(f"{w}/existing.txt", os.O_WRONLY | os.O_APPEND)
os.write(fd, b"more")
os.close(fd)

# O_TRUNC, then truncate().
fd = os.open("new.txt", os.O_WRONLY | os.O_TRUNC)
os.close(fd)
os.truncate(f"{w}/existing.txt", 1)

# Renamed into the watched tree, then out of it.
os.rename(f"{u}/in.txt", f"{w}/in.txt")
os.rename(f"{w}/in.txt", f"{u}/out.txt")

os.link(f"{w}/new.txt", f"{w}/hard.txt")
os.symlink("new.txt", f"{w}/sym")
os.unlink(f"{w}/hard.txt")

# A directory made now, and a file in it named relative to a descriptor of it.
os.mkdir(f"{w}/late")
d = os.open(f"{w}/late", os.O_RDONLY | os.O_DIRECTORY)
fd = os.open("file.txt", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=d)
os.write(fd, b"x")
os.close(fd)
os.close(d)

# Deleted while open, then written.
fd = os.open(f"{w}/doomed.txt", os.O_WRONLY | os.O_CREAT, 0o600)
os.unlink(f"{w}/doomed.txt")
os.write(fd, b"x")
os.close(fd)

# A descriptor a child inherits and writes through.
fd = os.open(f"{w}/shared.txt", os.O_WRONLY | os.O_CREAT, 0o600)
child = os.fork()
if child == 0:
    os.write(fd, b"child")
    os._exit(0)
os.waitpid(child, 0)
os.close(fd)

# A copy made with fcntl(F_DUPFD_CLOEXEC), written through after the original was closed.
fd = os.open(f"{w}/copied.txt", os.O_WRONLY | os.O_CREAT, 0o600)
copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 0)
os.close(fd)
os.write(copy, b"x")
os.close(copy)

# Closed by close_range, then its number reused by an unwatched file: a write through it is not the watched file's.
fd = os.open(f"{w}/ranged.txt", os.O_WRONLY | os.O_CREAT, 0o600)
os.closerange(fd, fd + 1)
other = os.open(f"{u}/reused.txt", os.O_WRONLY | os.O_CREAT, 0o600)
assert other == fd
os.write(other, b"x")
os.close(other)

# Renamed while open: the write through the descriptor names the file's new path.
fd = os.open(f"{w}/before.txt", os.O_WRONLY | os.O_CREAT, 0o600)
os.rename(f"{w}/before.txt", f"{w}/after.txt")
os.write(fd, b"x")
os.close(fd)

# Excluded by exclude_paths: no row.
fd = os.open(f"{w}/skip/secret.txt", os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, b"x")
os.close(fd)

# Only the unwatched directory.
fd = os.open(f"{u}/quiet.txt", os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, b"x")
os.close(fd)
os.unlink(f"{u}/quiet.txt")

print(child, flush=True)
