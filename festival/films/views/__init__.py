"""The films pages, one room per audience: the team's (team_pages), staff's review
(review_pages), and the files behind access checks (media). One blueprint, `films`."""

from festival.films.views import (  # noqa: F401 - each module registers its routes on bp
    media,
    review_pages,
    team_pages,
)
from festival.films.views.blueprint import bp

__all__ = ["bp"]
