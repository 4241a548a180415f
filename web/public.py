"""The public pages: start, information pages and "Delete my answers".

Blueprint ``public``; its templates are in ``templates/public/``.
"""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for

from web import state

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response

bp = Blueprint("public", __name__)


@bp.get("/")
def start() -> str:
    return render_template("public/start.html", start_url=None)


@bp.get("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html", has_answers=bool(state.get_answers()))


@bp.get("/leaving-quickly")
def leaving_quickly() -> str:
    return render_template("public/leaving_quickly.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.post("/delete-my-answers")
def delete_my_answers() -> Response:
    """Forget every answer at once, then go back to the start page.

    The CSRF check has already run (web/security.py), so another site cannot
    wipe someone's answers behind their back.
    """
    state.clear()
    # The message rides in a fresh, answer-free session for one page view.
    flash("Your answers have been deleted.", "deleted")
    return redirect(url_for("public.start"), code=303)
