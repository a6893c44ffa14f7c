"""Every ffmpeg and ffprobe command line of the project, built and run in one place.

Uploads are hostile until proven otherwise, so every command:
- reads only a local file given by a server-chosen path, as `file:<absolute path>` so that no
  name is ever taken for an option or a protocol;
- allows only the `file` protocol and the demuxers of real video containers, so that a
  playlist, a concat script or an image sequence cannot make ffmpeg read or fetch anything else;
- runs with `-nostdin`, a time limit, and no shell;
- is known while it runs: a stopping worker stops it, a killed worker takes it along.

Over 400 lines on purpose: these rules hold only if every command is built and run here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ffmpeg as ffmpeg_python

FFMPEG = os.environ.get("FFMPEG_BINARY", "ffmpeg")
FFPROBE = os.environ.get("FFPROBE_BINARY", "ffprobe")

# Demuxers of the containers phones and cameras write: MP4/MOV/3GP, Matroska/WebM.
ALLOWED_INPUT_FORMATS = ("mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm")
ALLOWED_PROTOCOLS = ("file",)

# Options that confine a demuxer, given before every input.
INPUT_SAFETY = {
    "format_whitelist": ",".join(ALLOWED_INPUT_FORMATS),
    "protocol_whitelist": ",".join(ALLOWED_PROTOCOLS),
}


# ffmpeg 5 exits with 0 when it could not finish an MP4 (its index too large for the room kept
# for it, a disk full while faststart moves it): the file is broken all the same.
TRAILER_FAILED = b"Error writing trailer"


class CommandFailed(Exception):
    """ffmpeg or ffprobe failed, or ran past its time limit."""

    def __init__(self, command: Sequence[str], message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.command = list(command)
        self.message = message
        self.timed_out = timed_out


class CommandStopped(Exception):
    """The command was stopped with its worker: no verdict on the file. Not a CommandFailed,
    so that no reader of a failure (an unreadable spot, a broken file) takes it for one."""


# Every command this process started and that still runs: a stopping worker stops them all.
_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()
_stopping = threading.Event()
# On Linux, ffmpeg dies with the worker that started it, even a worker killed outright (no
# orphan encoding into a file nobody will use): util-linux's setpriv asks the kernel for it.
_DIE_WITH_PARENT = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []


def _start(command: Sequence[str], **options) -> subprocess.Popen:
    if _stopping.is_set():
        raise CommandStopped("the worker is stopping")
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [*_DIE_WITH_PARENT, *command], stdin=subprocess.DEVNULL, **options
    )
    with _running_lock:
        _running.add(process)
    return process


def _forget(process: subprocess.Popen) -> None:
    with _running_lock:
        _running.discard(process)


def running_commands() -> int:
    """How many ffmpeg and ffprobe commands of this process still run."""
    with _running_lock:
        return sum(1 for process in _running if process.poll() is None)


def stop_every_command() -> None:
    """The worker stops: every running command is killed and no new one starts. Their jobs
    end with CommandStopped, and hand their film back for the next start."""
    _stopping.set()
    with _running_lock:
        running = list(_running)
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            process.kill()


def allow_commands_again() -> None:
    """After `stop_every_command`, for workers started again in the same process (tests)."""
    _stopping.clear()


def _failure(
    command, process: subprocess.Popen, stderr: bytes
) -> CommandFailed | CommandStopped | None:
    if _stopping.is_set() and process.returncode != 0:
        return CommandStopped("stopped with the worker")
    if process.returncode != 0 or TRAILER_FAILED in stderr:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        return CommandFailed(command, lines[-1] if lines else f"exit {process.returncode}")
    return None


def file_url(path: Path) -> str:
    """`file:` plus an absolute path: never read as an option, a protocol or a pattern."""
    return "file:" + str(Path(path).resolve())


def run(command: Sequence[str], *, timeout: float) -> subprocess.CompletedProcess:
    process = _start(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise CommandFailed(command, f"timed out after {timeout:.0f} s", timed_out=True) from None
    except BaseException:
        process.kill()  # the job gave up: leave no ffmpeg behind
        process.communicate()
        raise
    finally:
        _forget(process)
    failure = _failure(command, process, stderr)
    if failure:
        raise failure
    return subprocess.CompletedProcess(list(command), process.returncode, stdout, stderr)


def _ffprobe(path: Path, *arguments: str) -> list[str]:
    """ffprobe under the input allow-lists, reading `path`."""
    command = [FFPROBE, "-v", "error", "-hide_banner"]
    for option, value in INPUT_SAFETY.items():
        command += [f"-{option}", value]
    return [*command, *arguments, file_url(path)]


def ffprobe_command(path: Path) -> list[str]:
    return _ffprobe(path, "-show_format", "-show_streams", "-of", "json")


def packet_times_command(path: Path) -> list[str]:
    """Every packet's stream, time and length, without decoding: what actually plays, whatever
    the container's header claims."""
    return _ffprobe(
        path, "-show_entries", "packet=stream_index,pts_time,duration_time", "-of", "csv=p=0"
    )


def packet_times(path: Path, *, timeout: float = 30) -> str:
    return run(packet_times_command(path), timeout=timeout).stdout.decode("ascii", "replace")


def ffprobe_json(path: Path, *, timeout: float = 30) -> dict:
    completed = run(ffprobe_command(path), timeout=timeout)
    return json.loads(completed.stdout.decode("utf-8", "replace") or "{}")


def _input(path: Path, **options):
    return ffmpeg_python.input(file_url(path), **INPUT_SAFETY, **options)


def _compile(stream, *extra_global: str) -> list[str]:
    return stream.global_args("-nostdin", "-hide_banner", "-v", "error", *extra_global).compile(
        cmd=FFMPEG, overwrite_output=True
    )


def frame_command(path: Path, at_seconds: float, *, video_filter: str) -> list[str]:
    """The frame at `at_seconds`, decoded exactly, the right way up (ffmpeg applies the
    rotation matrix), as a PPM on stdout."""
    # One decoding thread: such exact extractions run side by side, one process each.
    stream = _input(path, ss=f"{at_seconds:.3f}", threads=1).output(
        "pipe:1",
        vf=video_filter,
        an=None,
        sn=None,
        dn=None,
        **{"frames:v": 1, "c:v": "ppm", "f": "image2pipe"},
    )
    return _compile(stream)


def keyframes_command(
    path: Path,
    times: Sequence[float],
    out_dir: Path,
    *,
    video_filter: str,
    before: bool = False,
) -> list[str]:
    """The first keyframe from each of `times` (or, `before`, the last one up to it), the
    right way up, in one ffmpeg process: `out_dir/<n>.ppm` for the n-th time (a file of the
    server's naming).

    Each time is an input of its own that seeks once and decodes only keyframes, so a
    candidate costs one decoded picture, and the whole set one process start (most of what a
    frame costs). Where a file has no keyframe after a time, its picture is simply missing.
    """
    outputs = []
    for index, at in enumerate(times):
        options: dict[str, object] = {"ss": f"{at:.3f}", "threads": 1, "skip_frame": "nokey"}
        if before:
            options["noaccurate_seek"] = None  # the keyframe the seek lands on, not the next
        source = _input(path, **options)
        outputs.append(
            source["v:0"].output(
                str(Path(out_dir) / f"{index}.ppm"),
                vf=video_filter,
                # The keyframe before a time has a negative timestamp once the seek is taken
                # off: the default frame rate mode drops it, and the picture came from the
                # next keyframe, or not at all past the last one.
                fps_mode="passthrough",
                **{"frames:v": 1, "c:v": "ppm", "f": "image2", "update": 1},
            )
        )
    return _compile(ffmpeg_python.merge_outputs(*outputs))


def subtitle_track_command(path: Path, stream_index: int) -> list[str]:
    """One text subtitle stream of a video, as WebVTT on stdout."""
    stream = _input(path)[str(stream_index)].output("pipe:1", f="webvtt")
    return _compile(stream)


@dataclass(frozen=True)
class RenditionPlan:
    """What the browser rendition of a film takes: a remux, or a full encode."""

    remux: bool
    video_filter: str | None = None
    has_audio: bool = True
    # Bytes kept free at the start of a remux for its index (moov), which ffmpeg then writes
    # there directly: one pass over the film instead of faststart's second. None: faststart.
    index_reserve: int | None = None


# Nothing of the phone leaves with a film: no GPS position, owner, device, comment, chapter,
# subtitle or data track (flags with a None value are written without an argument: -sn, -dn).
WITHOUT_METADATA: dict[str, object] = {
    "map_metadata": -1,
    "map_chapters": -1,
    "sn": None,
    "dn": None,
}


def rendition_command(path: Path, out_mp4: Path, plan: RenditionPlan) -> list[str]:
    """H.264 High / yuv420p / AAC in MP4 with its index first (faststart, or the space kept
    for it), or a stream copy when already so."""
    source = _input(path)
    streams = [source["v:0"]]
    if plan.has_audio:
        streams.append(source["a:0"])
    if plan.remux:
        options: dict[str, object] = {"c": "copy"}
    else:
        options = {
            "c:v": "libx264",
            "profile:v": "high",
            "pix_fmt": "yuv420p",
            "preset": "veryfast",
            "crf": 21,
        }
        if plan.video_filter:
            options["vf"] = plan.video_filter
        if plan.has_audio:
            options.update({"c:a": "aac", "b:a": "160k", "ac": 2})
    if plan.index_reserve:
        options["moov_size"] = plan.index_reserve
    else:
        options["movflags"] = "+faststart"
    # Flags with a None value are written without an argument (-sn, -dn).
    options.update(WITHOUT_METADATA)
    options["f"] = "mp4"
    output = ffmpeg_python.output(*streams, str(out_mp4), **options)
    return _compile(output, "-progress", "pipe:1", "-nostats")


# The muxer that writes back a container ffprobe named (its format_name list).
SAME_CONTAINER = {"mov": "mov", "mp4": "mp4", "3gp": "3gp", "matroska": "matroska", "webm": "webm"}


def strip_metadata_command(path: Path, out_path: Path, muxer: str) -> list[str]:
    """The same picture and sound, bit for bit, without the phone's tags (GPS position,
    make, model, owner, comment), chapters, subtitle or data tracks."""
    source = _input(path)
    output = ffmpeg_python.output(
        source["v"], source["a?"], str(out_path), c="copy", f=muxer, **WITHOUT_METADATA
    )
    return _compile(output)


def run_with_progress(
    command: Sequence[str],
    *,
    duration: float,
    timeout: float,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Run an ffmpeg command that writes `-progress pipe:1`, reporting a 0..1 fraction."""
    stderr_chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with _start(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        # stderr is drained on the side so that a chatty ffmpeg never blocks on a full pipe.
        reader = threading.Thread(
            target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True
        )
        reader.start()
        # A watchdog enforces the time limit even while ffmpeg prints nothing.
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            for raw in process.stdout:
                line = raw.decode("ascii", "replace").strip()
                if line.startswith("out_time_us=") and on_progress and duration > 0:
                    value = line.split("=", 1)[1]
                    if value.lstrip("-").isdigit():
                        on_progress(max(0.0, min(1.0, int(value) / 1e6 / duration)))
            process.wait()
        except BaseException:
            process.kill()  # the caller gave up (on_progress raised): leave no ffmpeg behind
            raise
        finally:
            watchdog.cancel()
            reader.join(timeout=5)
            _forget(process)
    if time.monotonic() >= deadline and process.returncode != 0:
        raise CommandFailed(command, f"timed out after {timeout:.0f} s", timed_out=True)
    failure = _failure(command, process, b"".join(stderr_chunks))
    if failure:
        raise failure


# Loudness (EBU R128): a first pass measures, a second applies one linear gain to the sound.
LOUDNESS_TRUE_PEAK = -1.0
LOUDNESS_RANGE = 11.0


def loudness_scan_command(path: Path, target: float) -> list[str]:
    stream = _input(path).output(
        "-",
        af=f"loudnorm=I={target}:TP={LOUDNESS_TRUE_PEAK}:LRA={LOUDNESS_RANGE}:print_format=json",
        vn=None,
        sn=None,
        dn=None,
        f="null",
    )
    return stream.global_args("-nostdin", "-hide_banner", "-v", "info").compile(cmd=FFMPEG)


# Burnt-in subtitles need the picture encoded again: as good as the rendition it starts from.
BURN_IN_VIDEO = {"c:v": "libx264", "preset": "veryfast", "crf": 18, "pix_fmt": "yuv420p"}


def loudness_apply_command(
    path: Path,
    out_mp4: Path,
    target: float,
    measured: dict,
    *,
    has_audio: bool,
    burn_in: Path | None = None,
) -> list[str]:
    """Copy the picture (or draw `burn_in`'s subtitles onto it), re-encode the sound with the
    measured gain; faststart MP4."""
    source = _input(path)
    video = source["v:0"]
    video_options: dict[str, object] = {"c:v": "copy"}
    if burn_in is not None:
        # A WebVTT file the server wrote, under a name it chose; ffmpeg-python escapes it.
        video = video.filter("subtitles", filename=str(burn_in))
        video_options = dict(BURN_IN_VIDEO)
    if not has_audio:
        output = ffmpeg_python.output(
            video, str(out_mp4), **video_options, **WITHOUT_METADATA, movflags="+faststart", f="mp4"
        )
        return _compile(output, "-progress", "pipe:1", "-nostats")
    loudnorm = (
        f"loudnorm=I={target}:TP={LOUDNESS_TRUE_PEAK}:LRA={LOUDNESS_RANGE}"
        f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        f":offset={measured['target_offset']}:linear=true"
    )
    output = ffmpeg_python.output(
        video,
        source["a:0"],
        str(out_mp4),
        **{
            **video_options,
            **WITHOUT_METADATA,
            "c:a": "aac",
            "b:a": "192k",
            "ar": 48000,
            "af": loudnorm,
            "movflags": "+faststart",
            "f": "mp4",
        },
    )
    return _compile(output, "-progress", "pipe:1", "-nostats")


def run_text(command: Sequence[str], *, timeout: float) -> str:
    """Run a command that reports on stderr (an analysis filter); return that text."""
    completed = run(command, timeout=timeout)
    return completed.stderr.decode("utf-8", "replace")


def synthetic_film_commands(
    out_path: Path,
    *,
    source: str,
    seconds: float,
    size: str,
    volume_db: float | None,
    portrait: bool,
    grain: int = 0,
) -> list[list[str]]:
    """A short film made from ffmpeg's own test sources, for the demo edition.

    A portrait film is stored as phones store it: the picture as filmed plus a rotation
    matrix, which takes a second stream-copy pass. `grain` (0–100) adds a camera sensor's
    moving noise, which makes stills weigh what footage's do.
    """
    picture = ffmpeg_python.input(f"{source}=size={size}:rate=25", f="lavfi", t=seconds)
    if grain:
        picture = picture.filter("noise", alls=grain, allf="t")
    streams = [picture]
    options = {
        "c:v": "libx264",
        "preset": "veryfast",
        "pix_fmt": "yuv420p",
        "movflags": "+faststart",
    }
    if volume_db is not None:
        tone = ffmpeg_python.input("sine=frequency=330:beep_factor=4", f="lavfi", t=seconds)
        streams.append(tone.filter("volume", f"{volume_db}dB"))
        options.update({"c:a": "aac"})
    encoded = out_path.with_name("encoded-" + out_path.name) if portrait else out_path
    first = _compile(ffmpeg_python.output(*streams, str(encoded), **options))
    if not portrait:
        return [first]
    rotate = _compile(
        ffmpeg_python.input(str(encoded)).output(
            str(out_path), c="copy", **{"metadata:s:v:0": "rotate=90"}
        )
    )
    return [first, rotate]
