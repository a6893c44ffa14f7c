"""Column helpers shared by the domains' models."""

from __future__ import annotations

import enum

from sqlalchemy import Enum

# The largest id an INTEGER primary key holds on every database we run on.
MAX_ROW_ID = 2**31 - 1


def enum_type(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value, as a string with a CHECK constraint on every database."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
