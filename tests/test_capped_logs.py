"""Logs that cannot fill the disk: files that rotate under a cap, repeats counted, a kernel's output copied.

Real files, real threads and real processes: the cap is measured on disk, the count is read from the
file, and a kernel's output comes from a child process through a pipe, as ``coachkit serve`` sets it up.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from coachkit.capped_logs import LOG_FILES, CappedFile, CountRepeats, files_of
from coachkit.kernels import KernelOutput, kernel_log
from coachkit.logs import HIDDEN, LOG_FILE_ENV, QuietExceptionFormatter

CAP = 64 * 1024


class Lines(logging.Handler):
    """A handler keeping each formatted line, to read back what got through."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(QuietExceptionFormatter("%(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def counted_logger(name: str, seconds: float = 10.0) -> tuple[logging.Logger, Lines, CountRepeats]:
    lines = Lines()
    repeats = CountRepeats(lines, seconds)
    lines.addFilter(repeats)
    logger = logging.getLogger(f"tests.capped.{name}")
    logger.handlers, logger.propagate = [lines], False
    logger.setLevel(logging.INFO)
    return logger, lines, repeats


def fail(logger: logging.Logger, typed: str) -> None:
    try:
        raise ValueError(typed)
    except ValueError:
        logger.exception("Exception in comm_msg for %s", "comm-1")


def size_on_disk(path: Path) -> int:
    return sum(found.stat().st_size for found in files_of(path))


def test_a_capped_file_rotates_and_stays_under_its_cap(tmp_path):
    path = tmp_path / "logs" / "kernels.log"
    handler = CappedFile(path, cap=CAP)
    logger = logging.getLogger("tests.capped.rotating")
    logger.handlers, logger.propagate = [handler], False
    for n in range(5_000):
        logger.warning("line %05d %s", n, "x" * 100)
    handler.close()
    assert size_on_disk(path) <= CAP
    assert len(files_of(path)) == LOG_FILES
    assert "line 04999" in path.read_text()  # the newest is kept, the oldest went
    assert "line 00000" not in "".join(found.read_text() for found in files_of(path))
    for found in files_of(path):
        assert stat.S_IMODE(found.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_one_huge_line_is_cut_short(tmp_path):
    path = tmp_path / "kernels.log"
    handler = CappedFile(path, cap=CAP)
    handler.handle(logging.LogRecord("x", logging.ERROR, "", 0, "y" * 1_000_000, None, None))
    handler.close()
    assert size_on_disk(path) <= CAP
    assert re.search(r"… \(\d[\d,]* more characters\)", path.read_text())


def test_two_thousand_identical_errors_are_one_traceback_and_one_count():
    logger, lines, repeats = counted_logger("same")
    for n in range(2_000):
        fail(logger, f"the client's secret {n}")
    assert len(lines.lines) == 1
    assert "Traceback" in lines.lines[0]
    repeats.flush(everything=True)
    assert len(lines.lines) == 2
    assert re.fullmatch(
        r"ERROR The same error 1,999 more times in the last \d+ s \(Exception in comm_msg for comm-1\)",
        lines.lines[1],
    )
    assert not any("secret" in line for line in lines.lines)


def test_the_count_is_written_when_its_time_is_up_without_another_record():
    logger, lines, _ = counted_logger("timer", seconds=0.3)
    for _ in range(50):
        logger.warning("No such comm: %s", "abc")
    deadline = time.monotonic() + 10
    while len(lines.lines) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lines.lines[0] == "WARNING No such comm: abc"
    assert re.fullmatch(
        r"WARNING The same warning 49 more times in the last 1 s \(No such comm: abc\)", lines.lines[1]
    )
    logger.warning("No such comm: %s", "abc")  # a new period: written in full again
    assert lines.lines[-1] == "WARNING No such comm: abc"


def test_the_same_words_with_other_values_are_the_same_warning():
    logger, lines, repeats = counted_logger("values")
    for comm in ("abc", "def", "ghi"):
        logger.warning("No such comm: %s", comm)
    repeats.flush(everything=True)
    assert lines.lines == [
        "WARNING No such comm: abc",
        "WARNING The same warning 2 more times in the last 1 s (No such comm: abc)",
    ]


def test_different_errors_and_ordinary_lines_are_each_written():
    logger, lines, repeats = counted_logger("different")
    fail(logger, "a")
    try:
        raise KeyError("b")
    except KeyError:
        logger.exception("Exception in comm_msg for %s", "comm-1")  # same words, another exception
    logger.warning("No such comm: %s", "abc")
    logger.error("No such comm: %s", "abc")  # the same words at another level
    for _ in range(3):
        logger.info("Kernel started")  # below a warning: never held back
    repeats.flush(everything=True)
    assert len(lines.lines) == 7
    assert not any("The same" in line for line in lines.lines)


def test_an_access_log_keeps_every_line():
    lines = Lines()
    lines.addFilter(CountRepeats(lines, every_line_of=("tornado.access",)))
    access = logging.getLogger("tornado.access")
    before = access.handlers, access.propagate
    access.handlers, access.propagate = [lines], False
    try:
        for path in ("/a", "/b", "/a"):
            access.warning("%d %s %s", 404, "GET", path)
    finally:
        access.handlers, access.propagate = before
    assert lines.lines == ["WARNING 404 GET /a", "WARNING 404 GET /b", "WARNING 404 GET /a"]


def test_a_kernels_output_is_copied_into_the_capped_log(tmp_path):
    """A child process writes 2 MB to its stdout and stderr, the server side copies it line by line."""
    path = tmp_path / "logs" / "kernels.log"
    code = (
        "import sys\n"
        "for n in range(20_000):\n"
        "    stream = sys.stdout if n % 2 else sys.stderr\n"
        "    stream.write(f'line {n:05d} client=K7QD-M2XP-9FRA ' + 'x' * 80 + '\\n')\n"
        "sys.stdout.write('no newline at the end')\n"
    )

    async def run() -> None:
        reading, writing = os.pipe()
        process = subprocess.Popen([sys.executable, "-c", code], stdout=writing, stderr=writing)
        os.close(writing)
        copier = KernelOutput(reading, kernel_log(str(path), CAP))
        assert process.pid
        while not copier.closed:
            await asyncio.sleep(0.05)

    asyncio.run(run())
    text = path.read_text()
    assert size_on_disk(path) <= CAP
    assert "line 19999" in text
    assert text.endswith("no newline at the end")
    assert "K7QD-M2XP-9FRA" not in text and f"client={HIDDEN}" in text
    assert all(re.fullmatch(r"line \d{5} client=\[hidden\] x{80}", line) for line in text.splitlines()[1:-1])


def test_in_a_kernel_everything_logged_goes_to_its_stderr_with_repeats_counted(tmp_path):
    """A real process set up as a kernel: records, library warnings and Python warnings all reach its
    own stderr (which the server copies into the kernel log); a flood of one error is one traceback."""
    code = (
        "import logging, warnings\n"
        "from coachkit.widgets.guard import log\n"
        "log.info('opened ?client=K7QD-M2XP-9FRA')\n"
        "logging.getLogger('Comm').warning('No such comm: abc')\n"
        "warnings.warn('a library grumbles')\n"
        "for _ in range(2_000):\n"
        "    try:\n        raise ValueError('secret answer')\n"
        "    except ValueError:\n        log.exception('failed')\n"
    )
    env = {**os.environ, LOG_FILE_ENV: str(tmp_path / "kernels.log")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout == ""
    text = done.stderr
    assert "No such comm: abc" in text
    assert "a library grumbles" in text
    assert text.count("builtins.ValueError") == 1
    assert re.search(r"The same error 1,999 more times in the last \d+ s \(failed\)", text)
    assert "secret answer" not in text
    assert "K7QD-M2XP-9FRA" not in text


def test_a_practices_hub_log_is_a_capped_file_with_codes_hidden(tmp_path):
    from coachkit.practice.clientservers import ClientServers
    from coachkit.practice.hubprocess import HubProcess, PracticeLog

    log = PracticeLog(SimpleNamespace(log_dir=tmp_path / "logs"), cap=CAP)  # all it reads of one
    hub = HubProcess(SimpleNamespace(), log)
    hub._copy_log(
        io.BytesIO(b"".join(f"[I] GET /x?client=K7QD-M2XP-9FRA {n:05d}\n".encode() for n in range(5_000)))
    )
    assert log.tail(1) == f"[I] GET /x?client={HIDDEN} 04999"
    ClientServers(log.write, print)._copy("ana", io.BytesIO(b"[I] GET /x?client=K7QD-M2XP-9FRA\n"))
    assert log.tail(1) == f"[ana] [I] GET /x?client={HIDDEN}"  # each coach's client server too
    assert size_on_disk(log.path) <= CAP
    assert len(files_of(log.path)) == LOG_FILES
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
