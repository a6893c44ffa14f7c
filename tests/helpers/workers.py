"""Job workers as threads of the test process: what `flask worker` runs, without its process."""

from __future__ import annotations

import logging

from huey.consumer import Consumer

from festival.jobs import make_consumer, run_worker_start_steps

log = logging.getLogger(__name__)


class InProcessConsumer(Consumer):
    """Workers as threads of the test's process, which keeps its own signal handling."""

    def _set_signal_handlers(self) -> None:
        pass


def start_in_process_workers(workers: int = 2) -> InProcessConsumer:
    for message in run_worker_start_steps():
        log.warning(message)
    consumer = make_consumer(workers, consumer_class=InProcessConsumer)
    consumer.start()
    return consumer
