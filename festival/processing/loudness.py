"""Loudness normalisation (EBU R128) so that no film is suddenly louder than the one before."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from festival.processing.ffmpeg import (
    loudness_apply_command,
    loudness_scan_command,
    run_text,
    run_with_progress,
)
from festival.processing.files import atomic_path
from festival.processing.probe import probe

_JSON_BLOCK = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    range: float  # LU
    raw: dict


def measure_loudness(path: Path, *, target: float = -23.0, timeout: float = 600) -> Loudness | None:
    """The integrated loudness of a film's sound; None for a silent film."""
    report = probe(path)
    if report.audio is None:
        return None
    text = run_text(loudness_scan_command(path, target), timeout=timeout)
    match = _JSON_BLOCK.search(text)
    if not match:
        raise ValueError("no loudness report from ffmpeg")
    raw = json.loads(match.group(0))
    return Loudness(float(raw["input_i"]), float(raw["input_tp"]), float(raw["input_lra"]), raw)


def normalise_loudness(
    path: Path,
    out_path: Path,
    *,
    target: float = -23.0,
    on_progress: Callable[[float], None] | None = None,
    timeout: float = 1200,
    burn_in: Path | None = None,
) -> Loudness | None:
    """Write a copy of the film whose sound sits at `target` LUFS, with `burn_in`'s subtitles
    drawn onto the picture when given; returns what was measured."""
    report = probe(path)
    measured = measure_loudness(path, target=target, timeout=timeout)
    with atomic_path(Path(out_path)) as temporary:
        run_with_progress(
            loudness_apply_command(
                path,
                temporary,
                target,
                measured.raw if measured else {},
                has_audio=measured is not None,
                burn_in=burn_in,
            ),
            duration=report.duration or 0.0,
            timeout=timeout,
            on_progress=on_progress,
        )
    return measured
