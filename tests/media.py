"""Test films made on the spot with ffmpeg's lavfi sources: a few seconds, small sizes."""

from __future__ import annotations

import subprocess
from pathlib import Path

CODECS = {
    # codec: (encoder, extra output options)
    "h264": ("libx264", ["-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    "hevc": (
        "libx265",
        [
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-tag:v",
            "hvc1",
            "-x265-params",
            "log-level=error",
        ],
    ),
    "vp8": ("libvpx", ["-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"]),
    "vp9": ("libvpx-vp9", ["-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"]),
    "av1": ("libsvtav1", ["-preset", "12", "-pix_fmt", "yuv420p"]),
}
AUDIO = {"mp4": "aac", "mov": "aac", "3gp": "aac", "mkv": "libopus", "webm": "libopus"}


# Where a phone says it filmed (ISO 6709), and the tags that must never leave the platform.
PHONE_POSITION = "+48.8566+002.3522+035.000/"
PHONE_TAGS = ("location", "iso6709", "make", "model", "comment", "+48.8566")


def make_video(
    path: Path,
    *,
    seconds: float = 2.0,
    size: str = "320x240",
    rate: int = 25,
    codec: str = "h264",
    rotation: int = 0,
    audio: bool = True,
    audio_seconds: float | None = None,
    hdr: bool = False,
    faststart: bool = True,
    source: str = "testsrc2",
    volume_db: float = 0.0,
    vf: str | None = None,
    frames: int | None = None,
    phone_tags: bool = False,
) -> Path:
    """Encode a test film; `rotation` stores a display matrix as a phone does; `phone_tags`
    adds what an iPhone writes: its GPS position, make, model and owner's comment."""
    path = Path(path)
    container = path.suffix.lstrip(".")
    encoder, options = CODECS[codec]
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"{source}=size={size}:rate={rate}:duration={seconds}",
    ]
    if audio:
        audio_length = audio_seconds if audio_seconds is not None else seconds
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={audio_length}"]
    command += ["-c:v", encoder, *options]
    if vf:
        command += ["-vf", vf]
    if frames:
        command += ["-frames:v", str(frames)]
    if hdr:
        command[command.index("yuv420p")] = "yuv420p10le"
        command += [
            "-color_primaries",
            "bt2020",
            "-color_trc",
            "arib-std-b67",
            "-colorspace",
            "bt2020nc",
        ]
    if audio:
        command += ["-c:a", AUDIO.get(container, "aac")]
        if volume_db:
            command += ["-af", f"volume={volume_db}dB"]
    if phone_tags:
        command += [
            "-metadata", f"location={PHONE_POSITION}",
            "-metadata", f"com.apple.quicktime.location.ISO6709={PHONE_POSITION}",
            "-metadata", "make=Apple",
            "-metadata", "model=iPhone 15",
            "-metadata", "comment=Téléphone de Léa Martin",
        ]  # fmt: skip
    if container in ("mp4", "mov"):
        flags = ("+faststart" if faststart else "") + ("+use_metadata_tags" if phone_tags else "")
        if flags:
            command += ["-movflags", flags]
    target = path if not rotation else path.with_name(f"unrotated-{path.name}")
    subprocess.run([*command, str(target)], check=True, timeout=120)  # noqa: S603
    if rotation:
        # A phone stores the picture as filmed plus a matrix saying how to turn it.
        subprocess.run(  # noqa: S603
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-i",
                str(target),
                "-c",
                "copy",
                "-metadata:s:v:0",
                f"rotate={rotation}",
                str(path),
            ],
            check=True,
            timeout=60,
        )
        target.unlink()
    return path
