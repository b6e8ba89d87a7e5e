"""Running the command line with a file-size limit: a full disk, unprivileged.

RLIMIT_FSIZE makes any write past the limit fail with EFBIG (SIGXFSZ is ignored so the
write returns an error instead of killing the process). It applies to root as well, so
it works wherever the tests run, with no tmpfs or mount needed.
"""

from __future__ import annotations

import os
import subprocess
import sys

RUNNER = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["resilience", *sys.argv[2:]]
from resilience.cli import main
main()
"""


def run_with_file_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(limit), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
        check=False,
    )


def one_sentence(stderr: str) -> bool:
    """A message in words on one line, not a traceback."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("resilience: ") and "Traceback" not in stderr
