import os, socket, errno
base = "/tmp/vigil-fixture"
os.makedirs(base, exist_ok=True)
# IPv4 TCP: bind, listen, connect, accept
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 47101)); srv.listen(4)
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cli.connect(("127.0.0.1", 47101))
conn, _ = srv.accept()
conn.close(); cli.close()
# failed bind: port in use
dup = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    dup.bind(("127.0.0.1", 47101))
except OSError:
    pass
dup.close(); srv.close()
# refused connect
ref = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    ref.connect(("127.0.0.1", 47109))
except OSError:
    pass
ref.close()
# IPv6 TCP
srv6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
srv6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv6.bind(("::1", 47102)); srv6.listen(4)
cli6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
cli6.connect(("::1", 47102))
conn6, _ = srv6.accept()
conn6.close(); cli6.close(); srv6.close()
# UDP: bind and connect
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 47103))
u.connect(("127.0.0.1", 47104))
u.close()
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
try:
    u6.connect(("2001:db8::12:0:1", 47105))
except OSError:
    pass
u6.close()
# unix: bind, connect, accept
path = base + "/vigil.sock"
try: os.unlink(path)
except FileNotFoundError: pass
us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
us.bind(path); us.listen(1)
uc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
uc.connect(path)
uconn, _ = us.accept()
uconn.close(); uc.close(); us.close(); os.unlink(path)
# non-blocking connect: in progress
nb = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
nb.setblocking(False)
try:
    nb.connect(("192.0.2.7", 47106))
except OSError as e:
    print("nb", e)
nb.close()
# abstract unix bind
ab = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ab.bind("\0vigil-abstract")
ab.close()
# netlink bind: skipped by socket_events
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl.bind((0, 0))
nl.close()
# plain accept(2) with a peer buffer
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 47107)); srv.listen(4)
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cli.connect(("127.0.0.1", 47107))
buf = ctypes.create_string_buffer(128)
ln = ctypes.c_uint32(128)
fd = libc.accept(srv.fileno(), buf, ctypes.byref(ln))
os.close(fd); cli.close(); srv.close()
