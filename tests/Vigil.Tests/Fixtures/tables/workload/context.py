"""context.log's calls from Python: a thread (clone3), a fork (clone), posix_spawn (clone3, then execve), a connect."""
import os
import socket
import threading

thread = threading.Thread(target=lambda: None)
thread.start()
thread.join()
child = os.fork()
if child == 0:
    os._exit(0)
os.waitpid(child, 0)
spawned = os.posix_spawn("/bin/true", ["/bin/true", "vigil-context-spawn"], os.environ)
os.waitpid(spawned, 0)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.connect(("127.0.0.1", 9))
udp.close()
