"""Media processing: plain functions over files. No Flask, no database.

The only place in the project that builds ffmpeg and ffprobe command lines (see ffmpeg.py).
"""

from festival.processing.checks import Problem, Rules, VideoReport, check, check_file
from festival.processing.probe import Probe, ProbeError, StreamInfo, probe

__all__ = [
    "Probe",
    "ProbeError",
    "Problem",
    "Rules",
    "StreamInfo",
    "VideoReport",
    "check",
    "check_file",
    "probe",
]
