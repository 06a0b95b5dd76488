/*
 * The 32-bit (i386 ABI) program of the kernel tests (tests/Vigil.Tests/Kernel/I386Program.cs builds it with
 * gcc -m32): each command makes one call the way an old 32-bit binary can.
 *   exec FILE ARGS...   execve(FILE, [FILE, ARGS...]) from this 32-bit process (i386 syscall 11)
 *   connect PORT        connect to 127.0.0.1:PORT with the connect syscall (i386 syscall 362)
 *   socketcall PORT     the same through socketcall(SYS_CONNECT, args) (i386 syscall 102), as libcs before the
 *                       kernel had a syscall per socket call did
 *   bind PORT           bind to 127.0.0.1:PORT with the bind syscall (i386 syscall 361)
 *   socketcall-bind PORT  the same through socketcall(SYS_BIND, args)
 * The socket is descriptor 7, whatever the parent left open. Exits 0 when the call succeeded.
 */
#include <linux/net.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
        execv(argv[2], argv + 2);
        return 127;
    }

    if (argc != 3) {
        return 2;
    }

    int fd = 7;
    if (dup2(socket(AF_INET, SOCK_STREAM, 0), fd) != fd) {
        return 1;
    }

    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (strcmp(argv[1], "connect") == 0) {
        return syscall(SYS_connect, fd, &address, sizeof address) == 0 ? 0 : 1;
    }

    if (strcmp(argv[1], "bind") == 0) {
        return syscall(SYS_bind, fd, &address, sizeof address) == 0 ? 0 : 1;
    }

    unsigned long args[3] = { fd, (unsigned long)&address, sizeof address };
    if (strcmp(argv[1], "socketcall") == 0) {
        return syscall(SYS_socketcall, SYS_CONNECT, args) == 0 ? 0 : 1;
    }

    if (strcmp(argv[1], "socketcall-bind") == 0) {
        return syscall(SYS_socketcall, SYS_BIND, args) == 0 ? 0 : 1;
    }

    return 2;
}
