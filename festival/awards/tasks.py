"""The awards' background job: the edition's certificates, drawn while staff do something else."""

from __future__ import annotations

from festival.awards.certificate_batches import build_batch
from festival.extensions import huey
from festival.jobs import job_context, yield_to_the_web


@huey.task(retries=1, retry_delay=10)
def draw_edition_certificates(batch_id: int) -> None:
    """Seconds of drawing, no video: the checks lane, niced below the pages."""
    yield_to_the_web()
    with job_context():
        build_batch(batch_id)
