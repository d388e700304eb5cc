/*
 * listen: the agent's UDP sockets.  Opens one nonblocking socket per listen
 * address with the options that let a reply leave from the address the
 * request was sent to (IP_PKTINFO, IPV6_RECVPKTINFO), and turns the pktinfo
 * received with a request into the control message to send with its reply.
 * No event loop, no logging, no allocation: the loop (loop.c) owns the
 * buffers and decides what to do with errors.
 */
#ifndef PT_LISTEN_H
#define PT_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Room for the control data of one received or sent datagram: one pktinfo
 * of either family, with slack for a cmsg the kernel might add.
 */
#define LISTEN_CTL_SPACE	128

/*
 * Open a nonblocking, close-on-exec UDP socket bound to sa (AF_INET or
 * AF_INET6; IPv6 sockets are IPV6_V6ONLY so "0.0.0.0" and "[::]" can be
 * bound side by side).  SO_REUSEADDR is not set: a port in use is an error.
 * Returns the fd, or -1 with a message ("bind: Address already in use")
 * in errbuf.
 */
int	listen_open(const struct sockaddr *sa, socklen_t salen, char *errbuf,
	    size_t errlen);

/*
 * From the control data of a received datagram (rcv->msg_control,
 * rcv->msg_controllen as returned by recvmsg), build in ctl (ctlcap bytes,
 * at least LISTEN_CTL_SPACE, suitably aligned) the pktinfo control message
 * that makes the reply leave from the request's destination address.
 * Returns the control length to send, or 0 when the request carried no
 * usable pktinfo (the kernel then picks the source address).
 */
size_t	listen_reply_ctl(const struct msghdr *rcv, void *ctl, size_t ctlcap);

#endif
