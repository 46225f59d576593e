/*
 * files.c - sasguard --files: content as it is, not a diff (pre-commit
 * run --all-files, CI on a checkout, "is there a token in this folder?").
 * Every line of every file counts as added; files are decoded as blobs
 * git takes for binary are (blob.h). Directories recurse in name order;
 * .git is skipped; symbolic links are not followed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "cli.h"

static int
file_scan(struct scan *s, const char *path, int fd)
{
	char buf[65536];
	struct blob b;
	ssize_t r;
	int st;

	if ((st = blob_begin(&b, s, path, "")) != SCAN_OK) {
		fprintf(stderr, "sasguard: out of memory\n");
		return -1;
	}
	for (;;) {
		r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "sasguard: cannot read '%s': %s\n",
			    path, strerror(errno));
			blob_release(&b);
			return -1;
		}
		if (r == 0)
			break;
		if ((st = blob_feed(&b, buf, (size_t)r)) != SCAN_OK)
			break;
	}
	if (st == SCAN_OK)
		st = blob_end(&b);
	else
		blob_release(&b);
	if (st != SCAN_OK) {
		fprintf(stderr, "sasguard: cannot scan '%s': %s\n", path,
		    st == SCAN_ENOMEM ? "out of memory" : st == SCAN_EREGEX ?
		    "an [allow] regex failed" : "cannot write the report");
		return -1;
	}
	return 0;
}

static int
names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
dir_scan(struct scan *s, const char *path)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, *full;
	size_t n = 0, cap = 0, i;
	int r = 0;

	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0
		    || strcmp(e->d_name, ".git") == 0)
			continue;
		if (n == cap) {
			void *q = realloc(names, (cap = 2 * cap + 16) *
			    sizeof *names);

			if (q == NULL)
				break;
			names = q;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			break;
		n++;
	}
	if (e != NULL) {
		fprintf(stderr, "sasguard: out of memory\n");
		r = -1;
	}
	closedir(d);
	qsort(names, n, sizeof *names, names_cmp);
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;

		if (r == 0 && (full = malloc(len)) != NULL) {
			snprintf(full, len, "%s%s%s", path,
			    path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
			r = cli_files_scan(s, full);
			free(full);
		} else if (r == 0) {
			fprintf(stderr, "sasguard: out of memory\n");
			r = -1;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int
cli_files_scan(struct scan *s, const char *path)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st) != 0) {
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		return dir_scan(s, path);
	if ((fd = open(path, O_RDONLY)) < 0) {
		fprintf(stderr, "sasguard: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	r = file_scan(s, path, fd);
	close(fd);
	return r;
}
