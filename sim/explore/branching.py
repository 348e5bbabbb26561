"""Branching worlds: the healthy office is simulated once, and every history branches from it.

Replaying a history means building the office and simulating it from the first minute; the hours
before the history's first step are the same for every history. Here a *trunk* process builds the
explorer's office once and runs it with no timeline, and every `SNAPSHOT_SECONDS` (and once built)
forks a *keeper*: a copy of the running world at that moment, paused (Linux's `fork` copies memory
only as pages change). To run a history the explorer asks the keeper of the latest moment before the
history's first step; the keeper forks a *branch*, which adds the history's timeline to its copy of
the world, runs it to the history's end, checks the invariants and collects the coverage pairs, and
sends back what it found. The trunk is extended only as far as histories need.

A branch is the same run as the replay of the history's scenario file: the office is built the same
way, a timeline action comes first at its instant whenever it was put in the world (URGENT in
`ScenarioRun._at`), and nothing before the first step depends on the timeline. The explorer checks
that: its first history and every 25th are also replayed from scratch and their traces compared, and
every finding is confirmed by replaying its scenario file.

Each process reports the CPU time it spent (a keeper's includes the branches it waited for), so the
explorer's cost is counted whole (`descendant_cpu_seconds`). Linux (or any system with `os.fork`) only.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import struct
from dataclasses import dataclass, field
from typing import Any

# Imported here, before any fork: a branch that imported them would compile them again each time.
from sim.explore.coverage import CoverageRecorder
from sim.explore.histories import Step, timeline_items
from sim.explore.invariants import Violation, check_run, failure
from sim.explore.invariants import fingerprint as trace_fingerprint
from sim.scenario import parse_scenario
from sim.scenario_run import ScenarioRun

__all__ = ["Branches", "BranchResult", "SNAPSHOT_SECONDS", "descendant_cpu_seconds", "available"]

#: How far apart the trunk's keepers are: a branch simulates up to this much before its first step
#: again. An hour: two Auto-Run sessions, and 48 keepers over two days.
SNAPSHOT_SECONDS = 3600
_LENGTH = struct.Struct("<Q")
_DESCENDANTS = [0.0]  # CPU-seconds the trunks, keepers and branches of this process reported


def available() -> bool:
    return hasattr(os, "fork")


def descendant_cpu_seconds() -> float:
    """CPU time spent so far by every trunk, keeper and branch this process started."""
    return _DESCENDANTS[0]


def _own_cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class BranchResult:
    violations: list[Any]
    pairs: set[tuple[str, str]] = field(default_factory=set)
    fingerprint: str = ""  # the trace's, when asked for
    branched_at: float = 0.0  # the keeper's moment (seconds after the start)
    cpu: float = 0.0


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> Any:
    """The next message, or None at end of file."""
    header = _read(fd, _LENGTH.size)
    if header is None:
        return None
    data = _read(fd, _LENGTH.unpack(header)[0])
    return None if data is None else pickle.loads(data)


class Branches:
    """The explorer's side: a trunk process (and its keepers) for one office."""

    def __init__(self, office_text: str, snapshot_seconds: int = SNAPSHOT_SECONDS) -> None:
        commands_read, self._commands = os.pipe()
        self._results, results_write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the trunk
            code = 0
            try:
                os.close(self._commands)
                os.close(self._results)
                _trunk(commands_read, results_write, office_text, snapshot_seconds)
            except BaseException:  # noqa: BLE001 - nothing of a forked child may run on into the explorer
                code = 1
            finally:
                os._exit(code)
        os.close(commands_read)
        os.close(results_write)

    def run(self, history: list[Step], end: int, fingerprint: bool = False) -> BranchResult:
        """The history, branched from the latest moment of the healthy office before its first step."""
        first = min((step.seconds for step in history), default=end)
        _send(self._commands, (history, first, end, fingerprint))
        result = _receive(self._results)
        if result is None:
            raise RuntimeError("the explorer's trunk process ended unexpectedly")
        _DESCENDANTS[0] += result.cpu
        return result

    def close(self) -> None:
        if self._pid:
            os.close(self._commands)
            os.close(self._results)
            os.waitpid(self._pid, 0)
            self._pid = 0

    def __enter__(self) -> Branches:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _trunk(commands: int, results: int, office_text: str, spacing: int) -> None:
    mark = _own_cpu()
    keepers: list[tuple[float, int, int]] = []  # (moment, its command pipe, pid)
    broken: BaseException | None = None
    try:
        run = ScenarioRun(parse_scenario(office_text, "office.toml"))
        keepers.append(_fork_keeper(run, results, keepers, commands))
    except Exception as error:  # noqa: BLE001 - a fault that breaks the office itself: every history shows it
        broken = error
    extending = broken is None
    try:
        while True:
            message = _receive(commands)
            if message is None:
                return
            history, first, end, fingerprint = message
            if not keepers:
                assert broken is not None  # the office itself failed to start: no keeper was forked
                cpu, mark = _own_cpu() - mark, _own_cpu()
                _send(results, BranchResult([failure(broken)], fingerprint=f"raised {type(broken).__name__}", cpu=cpu))
                continue
            while extending and (keepers[-1][0] // spacing + 1) * spacing < first:
                try:
                    run.world.run(until=(keepers[-1][0] // spacing + 1) * spacing)
                except Exception:  # noqa: BLE001 - the healthy office fails here: branches from before it meet the failure themselves
                    extending = False
                    break
                keepers.append(_fork_keeper(run, results, keepers, commands))
            moment, keeper, _ = max((k for k in keepers if k[0] < first), default=keepers[0], key=lambda k: k[0])
            cpu, mark = _own_cpu() - mark, _own_cpu()
            _send(keeper, (message, cpu))
    finally:
        for _, keeper, _ in keepers:
            os.close(keeper)
        for _, _, pid in keepers:
            os.waitpid(pid, 0)


def _fork_keeper(
    run, results: int, keepers: list[tuple[float, int, int]], trunk_commands: int
) -> tuple[float, int, int]:
    commands_read, commands_write = os.pipe()
    gc.freeze()  # what the world holds now is never scanned again: its pages stay shared
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(commands_write)
            os.close(trunk_commands)
            for _, other, _ in keepers:  # so each keeper sees the end of its pipe when the trunk closes it
                os.close(other)
            _keeper(commands_read, results, run)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()  # the trunk itself goes on collecting as before
    os.close(commands_read)
    return run.world.seconds, commands_write, pid


def _keeper(commands: int, results: int, run) -> None:
    mark = _own_cpu()
    while True:
        message = _receive(commands)
        if message is None:
            return
        (history, _, end, fingerprint), trunk_cpu = message
        branch_read, branch_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.close(branch_read)
                _send(branch_write, _branch(run, history, end, fingerprint))
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(branch_write)
        result = _receive(branch_read)
        os.close(branch_read)
        _, status = os.waitpid(pid, 0)
        if result is None:
            result = BranchResult(
                [Violation("crash", f"the branch's process died (wait status {status})")], fingerprint=f"died {status}"
            )
        now = _own_cpu()
        result.cpu, mark = trunk_cpu + now - mark, now
        result.branched_at = run.world.seconds
        _send(results, result)


def _branch(run, history: list[Step], end: int, fingerprint: bool) -> BranchResult:
    recorder = CoverageRecorder(run).attach()
    run.end = end
    run.add_timeline([item for step in history for item in timeline_items(step)])
    try:
        run.run()
    except Exception as error:  # noqa: BLE001 - a crash of the simulator is the finding
        return BranchResult(
            [failure(error)], recorder.finish(), f"raised {type(error).__name__}" if fingerprint else ""
        )
    return BranchResult(check_run(run, history), recorder.finish(), trace_fingerprint(run) if fingerprint else "")
