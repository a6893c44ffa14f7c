"""Numbers as people read them, in the French style the interface speaks."""

from __future__ import annotations


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("o", "Ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            return f"{value:.1f} {unit}".replace(".0 ", " ").replace(".", ",")
        value /= 1024
    return f"{size} o"
