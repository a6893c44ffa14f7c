"""The awards' pages, one room per audience: the jury (jury_pages), staff's prizes, grid,
deliberation and vote (staff_pages), the ceremony hall's projection and ballots
(audience_pages), the public palmarès and the certificates (palmares_pages). One blueprint,
`awards`."""

from festival.awards.views import (  # noqa: F401 - each module registers its routes on bp
    audience_pages,
    jury_pages,
    palmares_pages,
    staff_pages,
)
from festival.awards.views.blueprint import bp

__all__ = ["bp"]
