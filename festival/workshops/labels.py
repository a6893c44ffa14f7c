"""How attendance marks are named to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.workshops.models import AttendanceStatus

ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Présent·e"),
    AttendanceStatus.LATE: _l("Retard"),
    AttendanceStatus.EXCUSED: _l("Excusé·e"),
    AttendanceStatus.ABSENT: _l("Absent·e"),
}
