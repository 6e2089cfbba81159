#!/usr/bin/env python3
"""Run a command on a pseudo-terminal that never answers a terminal query
(like `script -qc`, expect or `ssh -tt`), and report how long it took and
whether it wrote an escape sequence.

    ptytime.py [--until TEXT] [--runs N] -- CMD ARGS...

Without --until the time is until the command exits; with it, until TEXT
first appears in the output (the command is then killed): the wizard's
first screen. Prints "median_ms max_ms escapes" where escapes is the
number of ESC bytes in the last run's output. The pty is 80x24.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def run_once(cmd, until, timeout):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.monotonic()
    out = b""
    found = None
    while True:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if until and until.encode() in out:
            found = time.monotonic() - start
            break
    if until:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    took = found if until else time.monotonic() - start
    if until and found is None:
        took = float("inf")
    os.close(fd)
    return took, out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--until")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--show", action="store_true", help="print the last run's output")
    p.add_argument("cmd", nargs="+")
    a = p.parse_args()
    times = []
    out = b""
    for _ in range(a.runs):
        t, out = run_once(a.cmd, a.until, a.timeout)
        times.append(t * 1000)
    times.sort()
    med = times[len(times) // 2]
    if a.show:
        sys.stderr.write(repr(out[:2000]) + "\n")
    print("%.1f %.1f %d" % (med, times[-1], out.count(b"\x1b")))


if __name__ == "__main__":
    main()
