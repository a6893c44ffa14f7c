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


class InProcessLanes:
    """Both lanes' consumers, as `flask worker` runs them; stopped together."""

    def __init__(self, workers: int, encodes: int) -> None:
        self.consumers = [
            make_consumer(workers, lane="checks", consumer_class=InProcessConsumer),
            make_consumer(encodes, lane="encodes", consumer_class=InProcessConsumer),
        ]
        for consumer in self.consumers:
            consumer.start()

    def stop(self, graceful: bool = False) -> None:
        for consumer in self.consumers:
            consumer.stop(graceful=graceful)


def start_in_process_workers(workers: int = 2, encodes: int = 1) -> InProcessLanes:
    for message in run_worker_start_steps():
        log.warning(message)
    return InProcessLanes(workers, encodes)
