"""Files rewritten in place are replaced whole: a failure while writing leaves the old file, and no litter."""

from __future__ import annotations

import pytest

from insidergym._atomic import replacing, write_atomic


def test_a_file_is_replaced_whole(tmp_path):
    path = tmp_path / "deep" / "manifest.json"
    write_atomic(path, "first\n")
    write_atomic(path, "second\n")
    assert path.read_text() == "second\n"
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]


def test_a_failure_while_writing_leaves_the_old_file(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"runs": []}\n')
    with pytest.raises(RuntimeError, match="killed"), replacing(path) as out:
        out.write('{"ru')
        raise RuntimeError("killed")
    assert path.read_text() == '{"runs": []}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
