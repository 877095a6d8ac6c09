"""Volumes and inputs read as the client meant them: a singular noun after a count is still the
thing counted, a count of staff per day is staffing rather than work, and a time word or a source
after 'read'/'from' is not the document read. Sentences written here, not taken from the bench."""

from __future__ import annotations

from genai_planner.planning.extract import extract_brief


def brief(text: str, language: str = "en"):
    return extract_brief({"name": "t", "use_case": text}, language)


def test_a_singular_noun_after_a_count_is_the_plural_thing_counted() -> None:
    volumes = brief("The permit office receives 2,400 application per month and officers draft the decision letters.").volumes
    assert [(v.what, v.quantity, v.per) for v in volumes] == [("applications", 2400.0, "month")]


def test_a_count_of_staff_per_day_is_not_a_volume() -> None:
    volumes = brief("The desk answers about 90 emails a day; 3 clerks per day check the drafted replies.").volumes
    assert [(v.what, v.quantity) for v in volumes if v.per] == [("emails", 90.0)]


def test_a_time_word_after_read_is_not_an_input() -> None:
    inputs = [i.value for i in brief("Every inspection photo is read overnight and the assistant drafts a defect note.").inputs]
    assert "overnight" not in " ".join(inputs)


def test_where_the_data_comes_from_is_not_an_input() -> None:
    inputs = [i.value for i in brief("About 600 alarms a night come from the sensors, and the assistant drafts a morning summary from the alarm log.").inputs]
    assert "sensors" not in inputs and "alarm logs" in inputs  # named in the plural, as every slot uses them


def test_a_digest_writes_only_the_note_and_reads_what_people_write() -> None:
    b = brief(
        "Each night our signallers write free-text entries into the fault log. The duty controller spends an hour "
        "reading them to write the 06:00 handover note. We want a handover summary generated automatically at 05:15."
    )
    assert [o.value for o in b.outputs] == ["handover summaries"]
    assert "free-text entries" in [i.value for i in b.inputs]


def test_korean_people_working_a_day_are_staffing_not_a_volume() -> None:
    """'하루 약 1,150명이 3교대로 근무' says who works there; the work is the 35 reports a day."""
    text = "물류센터에는 하루 약 1,150명이 3교대로 근무합니다. 안전사고 보고서는 하루 35건 정도 접수됩니다."
    flows = [(v.quantity, v.per) for v in extract_brief({"name": "x", "use_case": text, "language": "ko"}, "ko").volumes if v.per]
    assert flows == [(35.0, "day")]
    customers = "콜센터에는 하루 1,200명의 고객이 전화합니다."  # people served a day are still the volume
    assert [(v.quantity, v.per) for v in extract_brief({"name": "x", "use_case": customers, "language": "ko"}, "ko").volumes] == [(1200.0, "day")]
