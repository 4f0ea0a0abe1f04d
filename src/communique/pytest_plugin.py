"""pytest plugin loaded (``-p``) before Django reads its settings.

Points ``COMMUNIQUE_DATA_DIR`` at a fresh temporary folder unless the caller
chose one, so that a test run never writes into the operator's ``./var``.
"""

import os
import tempfile

os.environ.setdefault(
    "COMMUNIQUE_DATA_DIR", tempfile.mkdtemp(prefix="communique-test-")
)
