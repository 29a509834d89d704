#!/usr/bin/env python3
"""`./vfiokit lint SMALL.xml` against `.cache/aot/vfiokit lint SMALL.xml` and an exec-only script, spawned
alternately (A B C, C B A, ...) so drift on a shared machine falls on all three alike; prints each one's
median and its ratio to the binary. A steadier figure than hyperfine's blocks (bench/launcher.sh).
Usage: bench/launcher-interleaved.py [SPAWNS] [DOMAIN.xml]"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spawns = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
xml = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "tests/VfioKit.Tests/Data/configs/seed-libvirt-ioh3420.xml")
os.chdir(here)
# Build (or reuse) the binary, so the spawns time the launcher's fast path and not a build.
subprocess.run(["./vfiokit", "version"], check=True, stdout=subprocess.DEVNULL)

with tempfile.TemporaryDirectory() as temp:
    floor = os.path.join(temp, "floor")
    with open(floor, "w") as f:
        f.write(f'#!/bin/sh\nexec {here}/.cache/aot/vfiokit "$@"\n')
    os.chmod(floor, 0o755)
    args = ["lint", "--fail-on", "none", xml]
    commands = {"binary": [".cache/aot/vfiokit", *args], "launcher": ["./vfiokit", *args], "exec-only script": [floor, *args]}
    names = list(commands)
    times = {name: [] for name in names}
    null = os.open(os.devnull, os.O_WRONLY)
    redirect = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
    print(f"commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}, load {open('/proc/loadavg').read().split()[:3]}")
    for i in range(spawns):
        for name in names if i % 2 == 0 else names[::-1]:
            start = time.perf_counter_ns()
            pid = os.posix_spawn(commands[name][0], commands[name], os.environ, file_actions=redirect)
            os.waitpid(pid, 0)
            times[name].append((time.perf_counter_ns() - start) / 1e6)
    binary = statistics.median(times["binary"])
    for name in names:
        median = statistics.median(times[name])
        q1, _, q3 = statistics.quantiles(times[name], n=4)
        print(f"{name:17s} median {median:6.2f} ms (quartiles {q1:.2f}-{q3:.2f}), ratio to the binary {median / binary:.3f}")
    print(f"load {open('/proc/loadavg').read().split()[:3]}")
