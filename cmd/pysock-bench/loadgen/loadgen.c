/*
 * loadgen: an independent load generator for pysock-bench's servers.
 *
 * It shares no code with pysock or with the bench's Go clients: C, blocking
 * fds, read(2)/write(2), one thread per connection, as a C client is
 * written. run.py starts the servers and calls it; by hand:
 *
 *   cc -O2 -pthread -o loadgen loadgen.c
 *   ./loadgen w1 PORT ROUNDTRIPS     ping-pong 64 B (after 100 to warm up)
 *   ./loadgen w2down PORT MIB        ask the server (role down) for MIB MiB
 *   ./loadgen w2up PORT MIB          send MIB MiB to the server (role up)
 *   ./loadgen w4 PORT MILLISECONDS   connect, shut down, read the close,
 *                                    close, from 4 threads
 *
 * It prints one line: the rate (round trips, MiB or connections per
 * second) and the seconds it took. The protocols are the roles of
 * cmd/pysock-bench/servers.go.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int dial(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	while (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		if (errno != EINTR)
			die("connect");
	return fd;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die("write");
		p += k;
		n -= k;
	}
}

/* read_some reads up to n bytes; 0 means the server closed. */
static size_t read_some(int fd, char *p, size_t n)
{
	for (;;) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("read");
		return k;
	}
}

static void read_full(int fd, char *p, size_t n)
{
	while (n > 0) {
		size_t k = read_some(fd, p, n);
		if (k == 0) {
			fprintf(stderr, "read: the server closed early\n");
			exit(1);
		}
		p += k;
		n -= k;
	}
}

static double w1(long n)
{
	char msg[64] = {0}, buf[64];
	int fd = dial();
	double start = 0;
	for (long i = 0; i < n + 100; i++) {
		if (i == 100)
			start = now();
		write_all(fd, msg, sizeof msg);
		read_full(fd, buf, sizeof buf);
	}
	double t = now() - start;
	close(fd);
	return t;
}

static char bulkbuf[64 << 10];

static double w2(long mib, int down)
{
	uint64_t total = (uint64_t)mib << 20;
	unsigned char hdr[8];
	for (int i = 0; i < 8; i++)
		hdr[i] = total >> (56 - 8 * i);
	int fd = dial();
	double start = now();
	write_all(fd, (char *)hdr, 8);
	if (down) {
		for (uint64_t got = 0; got < total;) {
			size_t k = read_some(fd, bulkbuf, sizeof bulkbuf);
			if (k == 0) {
				fprintf(stderr, "w2down: closed after %llu bytes\n", (unsigned long long)got);
				exit(1);
			}
			got += k;
		}
	} else {
		for (uint64_t sent = 0; sent < total;) {
			size_t k = total - sent < sizeof bulkbuf ? total - sent : sizeof bulkbuf;
			write_all(fd, bulkbuf, k);
			sent += k;
		}
		read_full(fd, bulkbuf, 1);
	}
	double t = now() - start;
	close(fd);
	return t;
}

static double w4_stop;
static long w4_count[4];

static void *w4_loop(void *arg)
{
	long *count = arg;
	char b;
	while (now() < w4_stop) {
		int fd = dial();
		if (shutdown(fd, SHUT_WR) < 0)
			die("shutdown");
		if (read_some(fd, &b, 1) != 0) {
			fprintf(stderr, "w4: the server sent data\n");
			exit(1);
		}
		close(fd);
		(*count)++;
	}
	return NULL;
}

static double w4(long ms)
{
	pthread_t th[4];
	double start = now();
	w4_stop = start + ms / 1e3;
	for (int i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, w4_loop, &w4_count[i]) != 0)
			die("pthread_create");
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	return now() - start;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: loadgen w1|w2down|w2up|w4 PORT N\n");
		return 2;
	}
	port = atoi(argv[2]);
	long n = atol(argv[3]);
	const char *w = argv[1];
	double t, ops;
	if (strcmp(w, "w1") == 0) {
		t = w1(n);
		ops = n;
	} else if (strcmp(w, "w2down") == 0 || strcmp(w, "w2up") == 0) {
		t = w2(n, w[2] == 'd');
		ops = n;
	} else if (strcmp(w, "w4") == 0) {
		t = w4(n);
		ops = w4_count[0] + w4_count[1] + w4_count[2] + w4_count[3];
	} else {
		fprintf(stderr, "unknown workload %s\n", w);
		return 2;
	}
	printf("%.1f %.6f %.0f\n", ops / t, t, ops);
	return 0;
}
