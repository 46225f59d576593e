#!/usr/bin/env python3
"""history.py - a git history made of real text, for the benchmark (issue 15).

  history.py repo BYTES [ROOT...]  a git fast-import stream on stdout: a
                          history whose `git log -p` is about BYTES long
                          (BYTES ending in "c": that many commits after
                          the first)
  history.py cut BYTES [TOKEN_MIB]  stdin (git log -p) to stdout, cut at the
                          last commit boundary before BYTES; with TOKEN_MIB,
                          the first added line after every TOKEN_MIB MiB is
                          replaced by one holding a made-up SAS token

The text is real: every line committed comes from a file on this machine
(default roots: the C headers in /usr/include, Python's and Perl's standard
libraries), read in sorted order; only the choices (which file, which lines,
where) come from a seeded PRNG, so the same machine gives the same bytes.

The history: a first commit with part of the files, then commits on a main
line and on topic branches that fork from it and merge back (about one
commit in six is a merge). Commits edit files (hunks that replace, insert
and delete runs of lines; new lines are runs of real lines from another
file of the same tree), add files not yet in the tree, delete and rename
files. Topics own the files they edit while open, so most merges are clean
tree merges; some merges are preceded by a commit on main that edits the
same lines as the topic (a conflict, resolved by keeping both sides' new
lines: the resolution is a line set neither parent has, which is what
`--remerge-diff` shows), and some by one that edits the same file far from
the topic's lines (a clean content merge).
"""
import os
import random
import sys

ROOTS = [
    ("include", "/usr/include", None),
    ("python", "/usr/lib/python3.11", (".py",)),
    ("perl", "/usr/share/perl/5.36", (".pm", ".pl", ".pod")),
    ("perl5", "/usr/share/perl5", (".pm", ".pl", ".pod")),
]
FILE_MAX = 256 * 1024		# larger files are left out
EDIT_MAX = 48 * 1024		# files edited are no larger (blob traffic)
MERGE_EVERY = 6			# about one commit in this many is a merge
NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Ken Thompson",
         "Dennis Ritchie", "Barbara Liskov", "Edsger Dijkstra",
         "Frances Allen", "Niklaus Wirth", "Margaret Hamilton"]


def read_pool(roots):
    """Every regular text file under the roots: (repo path, [lines])."""
    pool = []
    for prefix, top, exts in roots:
        if not os.path.isdir(top):
            continue
        for d, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                if exts is not None and not f.endswith(exts):
                    continue
                try:
                    with open(p, "rb") as fh:
                        data = fh.read(FILE_MAX + 1)
                except OSError:
                    continue
                if not data or len(data) > FILE_MAX or b"\0" in data:
                    continue
                if not data.endswith(b"\n"):
                    data += b"\n"
                rel = prefix + "/" + os.path.relpath(p, top)
                pool.append((rel, tuple(data.splitlines(True))))
    return pool


class History:
    def __init__(self, budget, pool, seed=15, max_commits=None):
        self.rng = random.Random(seed)
        self.budget = budget
        self.max_commits = max_commits
        self.pool = pool
        self.out = sys.stdout.buffer
        self.mark = 0
        self.when = 1420070400		# 2015-01-01
        self.written = 0		# estimated bytes of git log -p
        self.commits = self.merges = self.conflicts = self.samefile = 0
        # Donor lines per tree: real lines to insert, from the same tree.
        self.donors = {}
        for path, lines in pool:
            self.donors.setdefault(path.split("/", 1)[0], []).append(lines)
        order = list(range(len(pool)))
        self.rng.shuffle(order)
        first = len(order) * 2 // 5
        self.unused = [pool[i] for i in order[first:]]
        self.unused.reverse()
        self.main = {pool[i][0]: pool[i][1] for i in order[:first]}
        self.main_mark = None
        self.topics = []
        self.claimed = set()
        self.topic_no = 0

    # ---- fast-import ---------------------------------------------------
    def emit(self, b):
        self.out.write(b)

    def data(self, b):
        self.emit(b"data %d\n" % len(b))
        self.emit(b)
        self.emit(b"\n")

    def message(self):
        """A subject and maybe a body: real lines, trimmed."""
        lines = self.rng.choice(self.donors[self.rng.choice(
            list(self.donors))])
        i = self.rng.randrange(len(lines))
        subj = b" ".join(lines[i].split())[:68].lstrip(b"#*/ ;-") or b"edit"
        body = b""
        if self.rng.random() < 0.6:
            body = b"\n" + b"".join(b" ".join(l.split())[:72] + b"\n"
                                   for l in lines[i + 1:i + 4])
        return subj + b"\n" + body

    def commit(self, ref, parents, changes):
        """changes: {path: lines or None (delete)}; returns the mark."""
        self.mark += 1
        self.commits += 1
        self.when += 600 + self.rng.randrange(7200)
        who = self.rng.choice(NAMES).encode()
        mail = who.lower().replace(b" ", b".") + b"@example.org"
        msg = self.message()
        self.emit(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        for role in (b"author", b"committer"):
            self.emit(b"%s %s <%s> %d +0000\n" % (role, who, mail, self.when))
        self.data(msg)
        if parents:
            self.emit(b"from :%d\n" % parents[0])
            for p in parents[1:]:
                self.emit(b"merge :%d\n" % p)
        for path in sorted(changes):
            lines = changes[path]
            if lines is None:
                self.emit(b"D %s\n" % path.encode())
            else:
                self.emit(b"M 100644 inline %s\n" % path.encode())
                self.data(b"".join(lines))
        self.written += 300 + len(msg)
        return self.mark

    # ---- edits -------------------------------------------------------
    def donor_root(self, path):
        """The pool folder a path's donors come from: a refilled copy of
        the pool sits under vN/ (see changes), its donors are the pool's."""
        head, _, rest = path.partition("/")
        return head if head in self.donors else rest.split("/", 1)[0]

    def donor_run(self, path, n):
        lines = self.rng.choice(self.donors[self.donor_root(path)])
        i = self.rng.randrange(len(lines))
        return list(lines[i:i + n]) or [b"\n"]

    def edit(self, path, lines, lo=0, hi=None):
        """lines edited in 1..8 places within [lo, hi): a new tuple."""
        out = list(lines)
        hi = len(out) if hi is None else hi
        places = sorted(self.rng.randrange(lo, max(lo + 1, hi))
                        for _ in range(1 + min(7, int(self.rng.expovariate(0.35)))))
        for at in reversed(places):
            kind = self.rng.random()
            # As many lines go as come, on average: files keep their
            # size over a long history (and stay editable).
            k = 0 if kind < 0.2 else 1 + int(self.rng.expovariate(0.2))
            m = 0 if kind > 0.8 else 1 + int(self.rng.expovariate(0.2))
            k = min(k, len(out) - at)
            new = self.donor_run(path, m) if m else []
            old = out[at:at + k]
            out[at:at + k] = new
            self.written += sum(map(len, old)) + sum(map(len, new)) + \
                7 * 40 + 30
        if not out:
            out = [b"\n"]
        self.written += 200
        return tuple(out)

    def editable(self, tree, n, taken):
        """Up to n paths of tree, small enough and not in taken."""
        paths = []
        keys = list(tree)
        for _ in range(n * 8):
            if len(paths) == n:
                break
            p = keys[self.rng.randrange(len(keys))]
            if p in taken or p in paths:
                continue
            if sum(map(len, tree[p])) > EDIT_MAX:
                continue
            paths.append(p)
        return paths

    def changes(self, tree, own, taken):
        """One commit's changes to tree (a dict, updated): edits of own
        files (or of files not in taken when own is None), now and then
        a new file, a deletion or a rename."""
        ch = {}
        if own is None:
            paths = self.editable(tree, 1 + int(self.rng.expovariate(0.4)),
                                  taken)
        else:
            paths = [p for p in own if p in tree]
            self.rng.shuffle(paths)
            paths = paths[:1 + int(self.rng.expovariate(0.4))]
        for p in paths:
            ch[p] = tree[p] = self.edit(p, tree[p])
        r = self.rng.random()
        if not self.unused:
            # The pool is used up: its files again, under a new folder.
            self.refills = getattr(self, "refills", 0) + 1
            self.unused = [("v%d/%s" % (self.refills, p), l)
                           for p, l in reversed(self.pool)]
        if r < 0.12 and self.unused:
            path, lines = self.unused.pop()
            if path not in tree and path not in taken:
                ch[path] = tree[path] = lines
                self.written += sum(map(len, lines)) + 200
                if own is not None:
                    own.add(path)
        elif r < 0.16 and paths:
            p = paths[0]
            self.written += sum(map(len, tree[p])) + 200
            ch[p] = None
            del tree[p]
        elif r < 0.20 and paths:
            p = paths[0]
            d, base = os.path.split(p)
            q = (d + "/" if d else "") + "old-" + base
            if q not in tree and q not in taken:
                ch[p] = None
                ch[q] = tree[q] = tree.pop(p)
                self.written += 300
                if own is not None:
                    own.add(q)
        return ch

    # ---- branches ----------------------------------------------------
    def open_topic(self):
        self.topic_no += 1
        own = set(self.editable(self.main, 1 + self.rng.randrange(6),
                                self.claimed))
        if not own:
            return
        self.claimed |= own
        self.topics.append({
            "ref": "refs/heads/t/%d" % self.topic_no, "own": own,
            "base": dict(self.main), "tree": dict(self.main),
            "fork": self.main_mark, "tip": None, "len": 0,
            "want": 1 + int(self.rng.expovariate(0.25)), "changed": set()})

    def topic_commit(self, t):
        ch = self.changes(t["tree"], t["own"], self.claimed - t["own"])
        self.claimed |= t["own"]
        if not ch:
            return
        t["changed"] |= set(ch)
        t["tip"] = self.commit(t["ref"], [t["tip"] or t["fork"]], ch)
        t["len"] += 1

    def main_commit(self, ch=None):
        if ch is None:
            ch = self.changes(self.main, None, self.claimed)
        if ch:
            self.main_mark = self.commit("refs/heads/main", [self.main_mark],
                                         ch)

    def merge_topic(self, t):
        self.topics.remove(t)
        self.claimed -= t["own"]
        base, tree = t["base"], t["tree"]
        result = {}
        for p in t["changed"]:
            result[p] = tree.get(p)
        # Files the topic edited (both sides have them): maybe make main
        # edit one too, then resolve.
        both = sorted(p for p in t["changed"]
                      if p in base and p in tree and p in self.main and
                      self.main[p] is base[p] and tree[p] != base[p])
        r = self.rng.random()
        if both and r < 0.35:
            p = self.rng.choice(both)
            b, tl = base[p], tree[p]
            pre = 0
            while pre < min(len(b), len(tl)) and b[pre] == tl[pre]:
                pre += 1
            suf = 0
            while (suf < min(len(b), len(tl)) - pre and
                   b[-1 - suf] == tl[-1 - suf]):
                suf += 1
            if r < 0.2 and pre < len(b):
                # The same lines on both sides: a conflict, resolved by
                # keeping main's new lines, then the topic's.
                k = min(len(b) - pre, 1 + self.rng.randrange(4))
                y = self.donor_run(p, 1 + self.rng.randrange(6))
                self.main[p] = m = tuple(list(b[:pre]) + y +
                                         list(b[pre + k:]))
                self.written += 600
                self.main_commit({p: m})
                result[p] = tuple(list(b[:pre]) + y + list(tl[pre:]))
                self.conflicts += 1
            elif suf > 24:
                # Far apart: git merges it cleanly, and so does this.
                lo = len(b) - suf + 8
                m = self.edit(p, b, lo, len(b) - 8)
                self.main[p] = m
                self.main_commit({p: m})
                # b and m share b[:lo]; the topic's lines end before it.
                result[p] = tl[:len(tl) - (len(b) - lo)] + m[lo:]
                self.samefile += 1
        for p, lines in result.items():
            if lines is None:
                self.main.pop(p, None)
            else:
                self.main[p] = lines
        self.merges += 1
        self.main_mark = self.commit("refs/heads/main",
                                     [self.main_mark, t["tip"]], result)

    def run(self):
        self.main_mark = self.commit("refs/heads/main", [], dict(self.main))
        self.written = 0		# the import is not counted: it is cut
        while self.written < self.budget and (
                self.max_commits is None or self.commits <= self.max_commits):
            r = self.rng.random()
            ready = [t for t in self.topics if t["len"] >= t["want"]]
            if ready and r < 0.5:
                self.merge_topic(ready[0])
            elif len(self.topics) < 6 and r < 0.6:
                self.open_topic()
            elif self.topics and r < 0.9:
                self.topic_commit(self.rng.choice(self.topics))
            else:
                self.main_commit()
        for t in list(self.topics):
            if t["tip"] is not None:
                self.merge_topic(t)
        self.emit(b"done\n")
        sys.stderr.write("history: %d commits, %d merges (%d with a resolved "
                         "conflict, %d editing one file on both sides), "
                         "%d files in the pool\n" % (
                             self.commits, self.merges, self.conflicts,
                             self.samefile, len(self.pool)))


def cut(limit, token_mib):
    """Copies stdin to stdout up to the last "commit " line that starts
    before limit (whole commits only: sasguard must see no diff cut
    short); with token_mib, plants a token line every token_mib MiB."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    rng = random.Random(4)
    every = int(token_mib * 1048576) if token_mib else 0
    nxt = every
    done = 0			# bytes written (before planting)
    carry = b""			# read, not yet written: the open commit
    planted = 0
    while True:
        chunk = inp.read(1 << 22)
        buf = carry + chunk
        # Everything before the last commit that starts in buf is whole;
        # at the end of input, everything is.
        at = buf.rfind(b"\ncommit ") if chunk else len(buf) - 1
        last = done + at + 1 > limit
        if last:
            at = buf.rfind(b"\ncommit ", 0, max(0, limit - done))
        if at >= 0:
            w, nxt, n = plant(buf[:at + 1], done, every, nxt, rng)
            planted += n
            out.write(w)
            done += at + 1
            buf = buf[at + 1:]
        carry = buf
        if last or not chunk:
            break
    sys.stderr.write("cut: %d bytes, %d tokens planted\n" % (done, planted))


def token(rng):
    sig = bytes(rng.randrange(256) for _ in range(32))
    import base64
    s = base64.b64encode(sig).replace(b"+", b"%2B").replace(b"/", b"%2F")
    s = s.replace(b"=", b"%3D")
    return (b'+\turl = "https://acct%d.blob.core.windows.net/data/x.csv?'
            b'sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupx&'
            b'se=2051-01-01T00:00:00Z&st=2021-01-01T00:00:00Z&'
            b'spr=https&sig=%s"\n' % (rng.randrange(1000), s))


def plant(buf, done, every, nxt, rng):
    """Replaces the first added line after each multiple of every."""
    n = 0
    if not every:
        return buf, nxt, 0
    parts = []
    start = 0
    while nxt < done + len(buf):
        at = buf.find(b"\n+", max(start, nxt - done))
        while at >= 0 and buf.startswith(b"\n+++ ", at):
            at = buf.find(b"\n+", at + 1)
        if at < 0:
            break
        e = buf.find(b"\n", at + 1)
        parts.append(buf[start:at + 1])
        parts.append(token(rng))
        start = e + 1
        n += 1
        nxt += every
    parts.append(buf[start:])
    return b"".join(parts), nxt, n


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "repo":
        roots = ROOTS
        if len(sys.argv) > 3:
            roots = [(os.path.basename(r.rstrip("/")) or "root", r, None)
                     for r in sys.argv[3:]]
        pool = read_pool(roots)
        if len(pool) < 100:
            sys.exit("history: fewer than 100 text files under the roots")
        if sys.argv[2].endswith("c"):
            History(float("inf"), pool,
                    max_commits=int(sys.argv[2][:-1])).run()
        else:
            History(int(sys.argv[2]), pool).run()
    elif len(sys.argv) >= 3 and sys.argv[1] == "cut":
        cut(int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
