// Which socket is at the other end of a loopback TCP connection, asked of the kernel directly (NETLINK_SOCK_DIAG):
// an exact lookup of one 4-tuple instead of a walk over every TCP socket in /proc/net/tcp (milliseconds each).
#pragma once

/// The inode of the IPv4 TCP socket bound to 127.0.0.1:`local_port` and connected to 127.0.0.1:`remote_port`;
/// 0 when there is none, -1 when the kernel cannot be asked (no sock_diag support).
long long gatehouse_loopback_socket_inode(unsigned short local_port, unsigned short remote_port);
