"""Keep what start-up made out of the garbage collector's full scans.

CPython's cycle collector scans every tracked object in a full collection, and a request that
allocates many containers (a push of 1,000 mutations: parsed JSON, models, a layout) triggers
collections; with the modules, routes and models of the app on the heap (~200k objects)
those scans were a quarter of a large push's time. What exists once the app has started
lives as long as the process, so it is frozen (`gc.freeze`): collections then cost what the
requests allocate. Done once per process (tests start many apps).
"""

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_objects() -> None:
    global _frozen
    with _lock:
        if _frozen:
            return
        # No collection first: a full one at start-up delays serving (under load, enough for
        # a client to find the port not yet listening); what garbage start-up left is small.
        gc.freeze()
        _frozen = True
