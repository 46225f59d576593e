/*
 * measure.c - runs a command once and prints its wall time and peak
 * resident memory, for the benchmark: "measure [-i IN] [-o OUT] CMD ARG..."
 * prints "SECONDS MAXRSS_KIB EXIT" on standard output. Standard input and
 * output of CMD are IN and OUT (default /dev/null for both), so what the
 * command prints is not mixed with our line. OUT "|" is a pipe that
 * measure reads to its end and throws away: GNU grep stops at the first
 * match when its output is /dev/null, and cat may splice to it.
 *
 * wait4()'s rusage gives the peak RSS of exactly that process (not of a
 * shell around it), and the clock is CLOCK_MONOTONIC around fork+exec+wait,
 * the same overhead for every command measured.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
redirect(const char *path, int flags, int to)
{
	int fd = open(path, flags, 0644);

	if (fd < 0 || dup2(fd, to) < 0) {
		perror(path);
		_exit(127);
	}
	close(fd);
}

int
main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int c, status, piped, fds[2];

	while ((c = getopt(argc, argv, "+i:o:")) != -1) {
		switch (c) {
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fputs("usage: measure [-i IN] [-o OUT] CMD [ARG...]\n", stderr);
		return 2;
	}
	piped = strcmp(out, "|") == 0;
	if (piped && pipe(fds) != 0) {
		perror("pipe");
		return 2;
	}
	t0 = now();
	if ((pid = fork()) < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		redirect(in, O_RDONLY, 0);
		if (piped) {
			close(fds[0]);
			if (dup2(fds[1], 1) < 0)
				_exit(127);
			close(fds[1]);
		} else
			redirect(out, O_WRONLY | O_CREAT | O_TRUNC, 1);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	if (piped) {
		static char sink[1 << 20];

		close(fds[1]);
		while (read(fds[0], sink, sizeof sink) > 0)
			;
		close(fds[0]);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	t1 = now();
	printf("%.6f %ld %d\n", t1 - t0, ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
