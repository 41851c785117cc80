"""Terminal rendering details a user sees."""

from __future__ import annotations

import io

from rich.console import Console

from nextround.render import StreamWrapper, sparkline


def test_streamed_reply_wraps_between_words_not_inside_them():
    buffer = io.StringIO()
    wrapper = StreamWrapper(Console(file=buffer, width=20, force_terminal=True), start_column=5)
    for piece in ["Hello the", "re my fri", "end, this is a long", "er sentence.\n"]:
        wrapper.write(piece)
    wrapper.close()
    lines = buffer.getvalue().split("\n")
    assert lines[:3] == ["Hello there my", "friend, this is a", "longer sentence."]
    assert all(len(line) <= 20 for line in lines)


def test_piped_stream_is_not_wrapped():
    buffer = io.StringIO()
    wrapper = StreamWrapper(Console(file=buffer, width=20), start_column=0)
    wrapper.write("one two three four five six seven eight")
    wrapper.close()
    assert buffer.getvalue() == "one two three four five six seven eight\n"


def test_sparkline_uses_a_fixed_scale():
    assert sparkline([0, 50, 100]) == "▁▅█"
    assert sparkline([]) == ""
