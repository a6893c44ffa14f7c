"""The awards blueprint, shared by its rooms."""

from flask import Blueprint

bp = Blueprint("awards", __name__)
