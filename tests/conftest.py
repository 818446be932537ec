"""Settings every test shares."""

import os

# Qt must never look for a display in the tests; UI tests render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
