"""gunicorn's gevent worker, taking turns between kept-alive connections.

The same cure as ``serving.FairHandler``: a greenlet whose client already
sent its next request never waits, so without a yield it would serve that
connection again and again while others starve. ``gunicorn.conf.py`` names
this class as its ``worker_class``.
"""

from __future__ import annotations

import gevent
from gunicorn.workers.ggevent import GeventWorker


class FairGeventWorker(GeventWorker):
    def handle_request(self, listener_name, req, sock, addr):
        gevent.sleep(0)  # every other ready connection first
        return super().handle_request(listener_name, req, sock, addr)
