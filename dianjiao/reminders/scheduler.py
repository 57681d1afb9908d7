"""`dianjiao serve --remind` (or DIANJIAO_REMIND_IN_SERVE=1): a station PC with nothing else
configured still reminds. The thread runs `remind` every few minutes; `remind` itself waits for
the daily time and sends each digest once, so running it often costs only a few queries."""

import logging
import threading

from django.db import close_old_connections

from .services import remind

log = logging.getLogger(__name__)


def one_round() -> None:
    try:
        run = remind()
        for o in run.of("failed"):
            log.warning("reminder to %s by %s failed: %s", o.user, o.channel, o.detail)
    except Exception:  # the web server keeps serving whatever happens here
        log.exception("reminders failed")


def run_once() -> None:
    """One round in the thread, on a fresh database connection of its own."""
    close_old_connections()
    try:
        one_round()
    finally:
        close_old_connections()


def start(*, interval: float = 600, stop: threading.Event | None = None) -> threading.Event:
    """Start the thread; set the returned event to stop it."""
    stop = stop or threading.Event()

    def loop():
        while not stop.is_set():
            run_once()
            stop.wait(interval)

    threading.Thread(target=loop, name="dianjiao-remind", daemon=True).start()
    return stop
