"""A real process that takes a database's write lock and holds it until told (not a test).

    python tests/trust/lock_holder.py DB NAME

Prints "held PID" once it holds the lock; a line on its standard input (or the input closing)
lets go, and it prints "released".
"""

import os
import sys
from pathlib import Path

from stratui.store import Store

store = Store(Path(sys.argv[1]), user=sys.argv[2])
with store.lock:
    print("held", os.getpid(), flush=True)
    sys.stdin.readline()
print("released", flush=True)
