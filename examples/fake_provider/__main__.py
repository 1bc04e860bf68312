"""``python examples/fake_provider 8099``: serve on 127.0.0.1:8099 until Ctrl-C."""

import sys
from pathlib import Path

# Run as a directory, Python puts this folder on sys.path, not examples/ that holds the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fake_provider.server import main

sys.exit(main(sys.argv))
