"""Walk people through the real public pages and measure the journey (asserts nothing).

Each persona answers the questions the pages put to them (from their own answers,
skipping any they have no answer for; on a page of several questions, every field, a
follow-up too: the app keeps it only with the answer that opens it), through Flask's test
client, as a browser would: GET the page, POST the form, follow the redirect. Per persona
it prints the question pages shown before the result (a page showing several questions
counts once) and the questions on each, the result's visible words (details folded, as a
phone shows it first) and the result page's HTML size. The start page's estimate
(web/public.py QUESTION_PAGES) is the fewest and the most pages printed here.

    .venv/bin/python benchmarks/journeys.py

Goals (issue 8): at most 15 question pages each, a single incident at most 8; the
visible result at most 600 words; the whole page at most 40 KB of HTML.
tests/test_journeys_short.py checks the same walks.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import typing as t
from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

#: As-at date the personas' dates are written against (their dates are in the past).
TODAY = dt.date.today()


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


#: Each persona's answers, as the person would give them if asked. The pages ask
#: only some of them; the rest are never shown.
PERSONAS: dict[str, dict[str, t.Any]] = {
    "ex-partner texting all day and turning up at work": {
        "in_immediate_danger": False,
        "place": "england",
        "target": "me",
        "relationship": "former_partner",
        "lived_together": True,
        "relationship_length": "over_12_months",
        "child_together": False,
        "separated_on": _ago(200),
        "same_person": True,
        "behaviours": ["contacting", "turning_up"],
        "occasions": 25,
        "first_incident_date": _ago(150),
        "last_incident_date": _ago(3),
        "same_kind_of_conduct": True,
        "told_to_stop": True,
        "alarmed_or_distressed": True,
        "distress_level": "serious",
        "fear_of_violence_occasions": 0,
        "daily_life_changes": ["changed_route_or_routine", "changed_job_or_hours"],
        "very_frightened": False,
        "threats_to_kill": False,
        "weapon": False,
        "visits_more_than_three_a_week": True,
        "message_content": ["persistent_to_annoy"],
        "sent_electronically": True,
        "meant_to_distress": True,
        "order_in_place": ["none"],
        "reported_to_police": False,
        "lawful_role": "none",
        "hostility": ["none"],
        "where_it_happens": "at_work",
        "sexual_nature": False,
        "intimate_images": ["none"],
    },
    "neighbour who shouted abuse once": {
        "in_immediate_danger": False,
        "place": "england",
        "target": "me",
        "relationship": "neighbour",
        "same_person": True,
        "behaviours": ["abuse_in_person"],
        "occasions": 1,
        "last_incident_date": _ago(10),
        "first_incident_date": _ago(10),
        "alarmed_or_distressed": True,
        "distress_level": "some",
        "fear_of_violence_occasions": 1,
        "hostility": ["none"],
        "message_content": ["none"],
        "order_in_place": ["none"],
        "reported_to_police": False,
        "pressure_purpose": False,
        "very_frightened": False,
        "threats_to_kill": False,
        "weapon": False,
    },
    "stranger sending Instagram messages and posting her street": {
        "in_immediate_danger": False,
        "place": "england",
        "target": "me",
        "relationship": "online_only",
        "same_person": True,
        "behaviours": ["contacting", "publishing"],
        "occasions": 8,
        "first_incident_date": _ago(60),
        "last_incident_date": _ago(2),
        "same_kind_of_conduct": True,
        "told_to_stop": True,
        "alarmed_or_distressed": True,
        "distress_level": "serious",
        "fear_of_violence_occasions": 2,
        "daily_life_changes": ["stopped_using_social_media", "changed_route_or_routine"],
        "very_frightened": True,
        "message_content": ["menacing"],
        "sent_electronically": True,
        "meant_to_distress": True,
        "sexual_nature": False,
        "intimate_images": ["none"],
        "hostility": ["none"],
        "order_in_place": ["none"],
        "reported_to_police": False,
        "lawful_role": "none",
        "threats_to_kill": False,
        "weapon": False,
    },
    "former partner breaking a non-molestation order, with dated incidents": {
        "in_immediate_danger": False,
        "place": "wales",
        "target": "me",
        "relationship": "former_partner",
        "lived_together": True,
        "relationship_length": "over_12_months",
        "child_together": True,
        "separated_on": _ago(400),
        "same_person": True,
        "behaviours": ["following", "turning_up", "threats"],
        "occasions": 4,
        "first_incident_date": _ago(40),
        "last_incident_date": _ago(5),
        "incidents": [
            {"date": _ago(40), "what_happened": "Waited outside the school gate", "behaviours": ["loitering"],
             "feared_violence": False},
            {"date": _ago(20), "what_happened": "Followed my car home", "behaviours": ["following"],
             "feared_violence": True},
            {"date": _ago(5), "what_happened": "Said I would regret it", "behaviours": ["threats"],
             "feared_violence": True},
        ],
        "order_in_place": ["non_molestation_order"],
        "order_made_on": _ago(100),
        "order_still_in_force": True,
        "order_breached": True,
        "order_known_to_them": True,
        "told_to_stop": True,
        "alarmed_or_distressed": True,
        "distress_level": "serious",
        "fear_of_violence_occasions": 2,
        "very_frightened": True,
        "threats_to_kill": False,
        "weapon": False,
        "reported_to_police": True,
    },
    "colleague leaving notes and gifts, in Scotland": {
        "in_immediate_danger": False,
        "place": "scotland",
        "target": "me",
        "relationship": "colleague",
        "same_person": True,
        "behaviours": ["gifts", "watching_spying"],
        "occasions": 6,
        "first_incident_date": _ago(90),
        "last_incident_date": _ago(7),
        "alarmed_or_distressed": True,
        "where_it_happens": "at_work",
        "sexual_nature": True,
        "also_involved": ["sexual"],
    },
}

#: What each of them would also say if asked: nothing else was involved (the screening
#: page), and the "about you" answers. A persona's own answers take precedence.
EVERYONE: dict[str, t.Any] = {
    "also_involved": ["none"],
    "warning_signs": ["none"],
    "age_band": "18_or_over",
    "gender": "woman",
    "lgbt": False,
    "suicidal_thoughts_you": False,
}
PERSONAS = {name: {**EVERYONE, **answers} for name, answers in PERSONAS.items()}

#: Personas whose answers say it happened once: they have the shorter goal.
SINGLE_INCIDENT = {"neighbour who shouted abuse once"}

PAGE_GOAL = 15
SINGLE_INCIDENT_GOAL = 8
WORDS_GOAL = 600
HTML_GOAL = 40 * 1024


@dataclass
class Journey:
    """What one walk through the pages gave."""

    persona: str
    pages_shown: list[list[str]] = field(default_factory=list)  # the question ids on each question page shown
    worth_asking_when_shown: list[set[str]] = field(default_factory=list)
    danger_page: bool = False
    result_html: str = ""

    @property
    def pages(self) -> int:
        return len(self.pages_shown)

    @property
    def shown(self) -> list[str]:
        """Every question shown, in order (a page of several gives several)."""
        return [question_id for page in self.pages_shown for question_id in page]

    @property
    def words(self) -> int:
        return len(visible_words(self.result_html))

    @property
    def html_bytes(self) -> int:
        return len(self.result_html.encode("utf-8"))


def walk(client: FlaskClient, answers: t.Mapping[str, t.Any]) -> Journey:
    """Answer every question page the app shows from ``answers`` (skip the rest),
    then open the result. Records what was shown and what was worth asking then."""
    from web import flow
    from web import state

    app = client.application
    kb = app.extensions["knowledge"]
    journey = Journey(persona="")
    location = client.get("/questions").headers["Location"]
    for _ in range(200):
        if location == "/your-safety":
            journey.danger_page = True
            html = client.get(location).get_data(as_text=True)
            location = re.search(r'href="([^"]+)">Carry on with the questions', html).group(1)  # type: ignore[union-attr]
            continue
        if not location.startswith("/questions/"):
            break
        html = client.get(location).get_data(as_text=True)
        if not html:  # a redirect: follow it
            location = client.get(location).headers["Location"]
            continue
        with client.session_transaction() as session:
            given = dict(session.get(state.ANSWERS_KEY, {}))
            salt = session.get(state.ADDRESS_KEY)
        with app.test_request_context():
            token = location.rsplit("/", 1)[1]
            question_id = next(q.id for q in kb.questions if state.question_token(q.id, salt) == token)
        # A page of several questions names each field answer-<question id>; a page of one, answer.
        on_page = list(dict.fromkeys(re.findall(r'name="answer-([a-z0-9_]+?)(?:-(?:day|month|year))?"', html)))
        journey.pages_shown.append(on_page or [question_id])
        journey.worth_asking_when_shown.append(_worth_asking(kb, given, on_page or [question_id]))
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        if on_page:
            response = _answer_page(client, location, csrf, [flow.find(kb, q) for q in on_page], answers)
        else:
            response = _answer(client, location, csrf, flow.find(kb, question_id), answers.get(question_id))
        assert response.status_code == 303, (question_id, response.status_code)
        location = response.headers["Location"]
    journey.result_html = client.get("/result").get_data(as_text=True)
    return journey


def _worth_asking(kb: t.Any, given: t.Mapping[str, t.Any], on_page: list[str]) -> set[str]:
    """The questions worth asking when the page was shown (rules.interview, through the flow's
    call); and a follow-up drawn under the answer that opens it (its "ask when" is that one
    answer to a question on the same page) when, with that answer given, it would be."""
    from web import flow

    worth = {q.id for q in flow.interview(kb, given).worth_asking}
    for question_id in on_page:
        source = getattr(flow.find(kb, question_id).ask_when, "source", None)
        if question_id in worth or not isinstance(source, dict) or set(source) != {"answer", "is"}:
            continue
        if source["answer"] in on_page and source["answer"] not in given:
            opened = {q.id for q in flow.interview(kb, {**given, source["answer"]: source["is"]}).worth_asking}
            worth |= {question_id} & opened
    return worth


def _answer(client: FlaskClient, path: str, csrf: str, question: t.Any, value: t.Any) -> t.Any:
    from web import forms

    if value is None:
        return client.post(path, data={"csrf_token": csrf, "skip": "1", "action": "continue"})
    if question.type == "incidents":
        for item in value:
            data: dict[str, t.Any] = {"csrf_token": csrf, "action": "add"}
            for f in question.item_fields:
                if f.id in item:
                    data.update(forms.values_for(f.type, f"{forms.ITEM}-{f.id}", item[f.id]))
            assert client.post(path, data=data).status_code == 303
        return client.post(path, data={"csrf_token": csrf, "action": "continue"})
    data = {"csrf_token": csrf, **forms.values_for(question.type, forms.ANSWER, value)}
    return client.post(path, data=data)


def _answer_page(client: FlaskClient, path: str, csrf: str, questions: list[t.Any],
                 answers: t.Mapping[str, t.Any]) -> t.Any:
    """Fill in every field of a page of several questions; leave blank (skip) those
    the persona has no answer for."""
    from web import forms

    data: dict[str, t.Any] = {"csrf_token": csrf}
    for question in questions:
        if answers.get(question.id) is not None:
            data.update(forms.values_for(question.type, forms.field_name(question.id), answers[question.id]))
    return client.post(path, data=data)


class _Visible(HTMLParser):
    """The words a phone shows at first: <main> only, closed <details> bodies left out."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._in_main = 0
        self._details: list[bool] = []  # open?
        self._in_summary = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main += 1
        elif tag == "details":
            self._details.append(any(name == "open" for name, _ in attrs))
        elif tag == "summary":
            self._in_summary += 1
        elif tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main -= 1
        elif tag == "details" and self._details:
            self._details.pop()
        elif tag == "summary":
            self._in_summary -= 1
        elif tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_main or self._skip:
            return
        hidden = any(not is_open for is_open in self._details) and not (
            self._in_summary and all(self._details[:-1]))
        if not hidden:
            self.words.extend(data.split())


def visible_words(html: str) -> list[str]:
    """The words of the page's main content that show before any details is opened."""
    parser = _Visible()
    parser.feed(html)
    return parser.words


def main() -> None:
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "journeys"})
    print(f"{'persona':<72} {'pages':>5} {'goal':>4} {'words':>5} {'KB':>5}")
    for name, answers in PERSONAS.items():
        journey = walk(app.test_client(), answers)
        goal = SINGLE_INCIDENT_GOAL if name in SINGLE_INCIDENT else PAGE_GOAL
        print(f"{name:<72} {journey.pages:>5} {goal:>4} {journey.words:>5} {journey.html_bytes / 1024:>5.1f}")
        print(f"    asked: {' | '.join(', '.join(page) for page in journey.pages_shown)}")


if __name__ == "__main__":
    main()
