"""The programme's background job: the screening pack for the projection booth."""

from __future__ import annotations

from festival.extensions import encode_queue
from festival.jobs import RENDITION_NICENESS, job_context, yield_to_the_web
from festival.programme.pack import build_pack


@encode_queue.task(retries=1, retry_delay=30)
def build_screening_pack(pack_id: int) -> None:
    """Normalise every programmed film's loudness and bundle them with playlists (encodes
    lane: minutes of video work)."""
    yield_to_the_web(RENDITION_NICENESS)
    with job_context():
        build_pack(pack_id)
