import socket, os
def attempt(fam, typ, addr, bind=False):
    s = socket.socket(fam, typ)
    try:
        (s.bind if bind else s.connect)(addr)
    except OSError:
        pass
    s.close()
attempt(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 9))
attempt(socket.AF_INET6, socket.SOCK_STREAM, ("::1", 9))
attempt(socket.AF_INET6, socket.SOCK_STREAM, ("::ffff:127.0.0.1", 9))
attempt(socket.AF_INET6, socket.SOCK_STREAM, ("fe80::1", 9, 0, 1))
attempt(socket.AF_UNIX, socket.SOCK_STREAM, "/tmp/vigil-fixture.sock")
attempt(socket.AF_UNIX, socket.SOCK_STREAM, "\0vigil-abstract")
attempt(socket.AF_INET, socket.SOCK_STREAM, ("0.0.0.0", 40123), bind=True)
