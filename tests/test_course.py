"""The course: every exercise's solution is right, every classic mistake gets its
hint, answers are read in the forms learners type, and both languages ask the same
exercises in the same order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import leadkpi
from leadkpi.course import check, exercise, exercises, solution
from leadkpi.course.answers import read_number
from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import LANGS, text

COURSE = Path(__file__).resolve().parents[1] / "notebooks" / "course"
CHECK_CALL = re.compile(r"""check\(\s*["'](\d+\.\d+)["']""")


@pytest.fixture(scope="module")
def sample():
    return leadkpi.load_sample()


def _data(found, sample):
    return sample if found.needs_data else None


@pytest.mark.parametrize("found", exercises(), ids=lambda e: e.id)
@pytest.mark.parametrize("lang", LANGS)
def test_the_solution_is_right_and_each_mistake_gets_its_hint(found, lang, sample):
    data = _data(found, sample)
    right = solution(found.id, data)
    assert check(found.id, right, lang=lang, data=data)
    for mistake in found.mistakes:
        wrong = mistake.answer(data) if callable(mistake.answer) else mistake.answer
        feedback = check(found.id, wrong, lang=lang, data=data)
        assert not feedback and feedback.hint == mistake.hint, (found.id, wrong)
        assert text(f"course_hint_{mistake.hint}", lang) in feedback.message


def test_exercise_ids_are_unique_and_in_course_order():
    ids = [e.id for e in exercises()]
    assert len(ids) == len(set(ids))
    keys = [tuple(int(p) for p in i.split(".")) for i in ids]
    assert keys == sorted(keys)


def test_catalogue_worked_examples_are_the_lesson_one_solutions():
    assert solution("1.1") == 50  # CPL 10,000 / 200
    assert solution("1.2") == pytest.approx(10.31, abs=0.005)  # ROAS ×
    assert solution("1.3") == pytest.approx(9.309, abs=0.0005)  # ROI 930.9 %
    assert solution("1.5") == 30  # CAC 1,500 / 50


def test_hand_worked_examples_of_lessons_two_and_three():
    assert solution("2.1") == pytest.approx(18 / 48)  # MQL→SQL, not SQLs over leads
    assert check("2.1", "15 %").hint == "rate_from_first"
    assert solution("2.4") == pytest.approx(0.03)  # 30 / 1,000, not (2 + 8 + 3) / 3 %
    assert check("2.4", "4.33 %").hint == "averaged_ratios"
    assert solution("3.1") == pytest.approx(0.6)  # 30 lost of 50
    assert solution("3.2") == pytest.approx(0.4)  # 20 of 50 stayed
    assert check("3.2", "67 %").hint == "retention_67"  # the source's slip
    assert check("3.2", "66.7 %").hint == "retention_67"
    assert check("3.1", "-60 %").hint == "end_minus_start"
    assert solution("3.3") == pytest.approx(0.6)  # 15 won do not hide the 30 lost
    assert check("3.3", 0.3).hint == "start_minus_end"  # (50 − 35) / 50
    assert solution("3.4") == 720  # 20 € × 12 × 3


@pytest.mark.parametrize(
    ("answer", "kwargs", "hint"),
    [
        ("930.9 %", {}, None),
        (930.9, {"percent": True}, None),
        (9.309, {}, None),
        ("930,9 %", {"lang": "es"}, None),
        (930.9, {}, "percent_not_fraction"),
        ("9.309 %", {}, "fraction_as_percent"),
        ("1030.9 %", {}, "roas_not_roi"),
        (1.0, {}, "try_again"),
    ],
)
def test_a_rate_is_accepted_in_every_form_and_slips_are_named(answer, kwargs, hint):
    feedback = check("1.3", answer, **kwargs)
    assert bool(feedback) is (hint is None)
    assert feedback.hint == hint


def test_feedback_speaks_the_notebooks_language():
    assert str(check("1.5", "30 €", lang="es")) == "¡Correcto! 30"
    assert str(check("1.2", 9.309, lang="es")).startswith("Todavía no: eso es el ROI")
    markdown = check("1.5", 31)._repr_markdown_()
    assert markdown.startswith("❌ Not yet")


@pytest.mark.parametrize("lang", LANGS)
def test_an_unanswered_exercise_asks_for_an_answer_instead_of_failing(lang):
    for found in exercises():
        feedback = check(found.id, None, lang=lang)
        assert not feedback and feedback.hint == "unanswered", found.id
        assert feedback.message == text(
            "course_wrong", lang, hint=text("course_hint_unanswered", lang)
        )
    assert str(check("1.6", None)) == (
        "Not yet: write your answer in `answer` and run the cell again."
    )
    assert str(check("1.6", None, lang="es")) == (
        "Todavía no: escribe tu respuesta en `answer` y vuelve a ejecutar la celda."
    )
    assert check("1.1", None)._repr_markdown_().startswith("✏️ Not yet")
    with pytest.raises(ArgumentError, match="no exercise '9.9'"):
        check("9.9", None)


def test_bad_answers_and_ids_are_one_clear_error():
    with pytest.raises(ArgumentError, match="no exercise '9.9'; the course has 1.1"):
        check("9.9", 1)
    with pytest.raises(ArgumentError, match="should be a number .* got 'fifty'"):
        check("1.1", "fifty")
    with pytest.raises(ArgumentError, match="takes one of ROI, ROAS; got 'CPL'"):
        check("1.4", "CPL")
    with pytest.raises(ArgumentError, match="should be a number"):
        check("1.1", True)
    assert exercise("1.4").choices == ("ROI", "ROAS")


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_a_number_reads_back_as_itself_in_both_languages(value):
    assert read_number(value) == (value, False)
    assert read_number(repr(value))[0] == pytest.approx(value)
    shown = f"{value:,.2f}"
    assert read_number(shown)[0] == pytest.approx(round(value, 2))
    spanish = shown.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert read_number(spanish, lang="es")[0] == pytest.approx(round(value, 2))


def _asked(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return CHECK_CALL.findall(code)


def test_both_languages_ask_every_exercise_in_the_same_order():
    english = sorted((COURSE / "en").glob("*.ipynb"))
    spanish = sorted((COURSE / "es").glob("*.ipynb"))
    assert len(english) == 5
    assert [p.name[:2] for p in english] == [p.name[:2] for p in spanish]
    asked = []
    for en, es in zip(english, spanish, strict=True):
        assert _asked(en) == _asked(es), en.name
        asked += _asked(en)
    assert sorted(set(asked)) == sorted(e.id for e in exercises())


def _month(times, tz):
    return times.dt.tz_convert(tz).dt.strftime("%Y-%m")


def test_the_sample_exercises_of_lessons_one_to_three_follow_from_the_tables(sample):
    tz = sample.config.timezone
    leads = sample.leads
    created = _month(leads["created_at"], tz)
    won = _month(leads["won_at"].dropna(), tz)
    spent = sample.spend["date"].dt.strftime("%Y-%m")  # a calendar date
    # 1.6: October's spend over October's leads, not a mean of channel CPLs
    october = sample.spend.loc[spent == "2026-10", "cost"].sum()
    cpl = october / (created == "2026-10").sum()
    assert solution("1.6", sample) == pytest.approx(cpl)
    # 1.7: 2025's leads that were ever won, over 2025's leads
    in_2025 = created.str.startswith("2025")
    rate = leads.loc[in_2025, "won_at"].notna().mean()
    assert solution("1.7", sample) == pytest.approx(rate)
    # 2.2 and 2.3: June's leads that were won, and the wins dated in June
    june = leads.loc[created == "2026-06", "won_at"].notna().sum()
    assert solution("2.2", sample) == june
    assert solution("2.3", sample) == (won == "2026-06").sum()
    assert solution("2.2", sample) != solution("2.3", sample)
    # 2.5: the quarter's rate is its months' numerators over their denominators
    months = leadkpi.compute(
        sample, "mql_to_sql_rate", by=("month",), mode="period",
        start="2026-07", end="2026-09",
    )  # fmt: skip
    pooled = months["numerator"].sum() / months["denominator"].sum()
    assert solution("2.5", sample) == pytest.approx(pooled)
    assert months["value"].mean() != pytest.approx(pooled, rel=0.01)
    # 3.5: realised revenue by the end of month 11 per customer of the mature cohorts
    cohorts = leadkpi.cohort_ltv(sample, max_age=11)
    year = cohorts[(cohorts["age"] == 11) & cohorts["mature"]]
    realised = year["revenue"].sum() / year["size"].sum()
    assert solution("3.5", sample) == pytest.approx(realised)
    # 3.6: that LTV over the CAC of all channels
    cac = leadkpi.compute(sample, "cac", by=(), mode="cohort")["value"].iloc[0]
    assert solution("3.6", sample) == pytest.approx(realised / cac)


def test_lessons_are_thin_and_their_answer_cells_hold_no_answer():
    notebooks = sorted(COURSE.glob("*/*.ipynb"))
    assert len(notebooks) == 10
    for notebook in notebooks:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        assert not [s for s in code if re.search(r"^\s*(def|class)\s", s, re.M)]
        answers = [s.strip() for s in code if re.match(r"\s*answer\s*=", s)]
        assert answers, notebook.name
        filled = [s for s in answers if not re.fullmatch(r"answer = None\s*(#.*)?", s)]
        assert not filled, (notebook.name, filled)
