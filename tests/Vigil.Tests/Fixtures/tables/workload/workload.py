import os, socket, subprocess, time, errno
base = "/tmp/vigil-fixture"
os.makedirs(base + "/dir with spaces", exist_ok=True)
# args with spaces, quotes, non-ASCII, newlines, empty args; cwd in a directory with spaces
subprocess.run(["/bin/echo", "vigil-args", "two words", 'say "hi"', "héllo wörld ✓", "line1\nline2", "", "end"],
               cwd=base + "/dir with spaces", stdout=subprocess.DEVNULL)
# shebang script in a directory with spaces
script = base + "/dir with spaces/vigil script.sh"
with open(script, "w") as f:
    f.write("#!/bin/sh\nexit 0\n")
os.chmod(script, 0o755)
subprocess.run([script, "vigil-shebang"], cwd=base)
# non-root exec
subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/true", "vigil-nonroot"], cwd="/")
# failed exec: a file without the exec bit
noexec = base + "/vigil-noexec"
with open(noexec, "w") as f:
    f.write("#!/bin/sh\n")
os.chmod(noexec, 0o644)
try:
    subprocess.run([noexec, "vigil-failed"])
except PermissionError:
    pass
# execveat (glibc's fexecve uses execveat with AT_EMPTY_PATH)
pid = os.fork()
if pid == 0:
    fd = os.open("/bin/true", os.O_RDONLY)
    os.execve(fd, ["/bin/true", "vigil-execveat"], {})
os.waitpid(pid, 0)
