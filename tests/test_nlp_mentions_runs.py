"""Review R12 item 9: a run of single characters before an institution's kind word (兴|旺|屠宰场) is tested
character by character by ``_name_part`` (in a run, a verb or adjective character may be part of the name)."""

from __future__ import annotations

from nlp.mention_stems import _name_part
from nlp.mentions import _single_run


def test_a_run_may_hold_verb_and_adjective_characters():
    assert _single_run("旺", "兴") and _single_run("隆", "兴")
    # alone, outside a run, such a character is no part of a name
    assert not _name_part("旺") and not _name_part("兴")
    assert _name_part("旺", in_run=True) and _name_part("兴", in_run=True)


def test_a_run_ends_at_a_function_word_count_interjection_or_particle():
    assert not _single_run("旺", "的")  # a function word
    assert not _single_run("旺", "三")  # a count
    assert not _single_run("旺", "呀") and not _single_run("哎", "旺")  # a modal particle, an interjection
    assert not _single_run("旺", "A")  # a letter is no character of a run jieba could not join
    assert not _single_run("兴旺", "隆")  # a word of two characters is no single character
