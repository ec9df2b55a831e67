"""Loader refusals common to every format, and load_corpus over a folder of good and bad files."""
from __future__ import annotations

import random
from pathlib import Path

import docx
import pytest

from ingest.errors import LoadError
from ingest.load import SUPPORTED_SUFFIXES, load_corpus, load_file

from tests.ingest.loadkit import PAGE, MB, CORPUS, ZH, write, refusal, make_pdf


# --- refusals common to all formats ----------------------------------------------


@pytest.mark.parametrize("name", ["e.txt", "e.pdf", "e.docx", "e.html"])
def test_zero_byte_file_is_refused(tmp_path, name):
    refusal(write(tmp_path, name, b""), "empty file (0 bytes)")


def test_whitespace_only_text_is_refused(tmp_path):
    refusal(write(tmp_path, "w.txt", " \r\n\t\u3000\n".encode()), "empty file: only whitespace")


def test_oversized_file_is_refused_with_both_sizes(tmp_path):
    path = write(tmp_path, "big.txt", b"a" * 2_500)
    refusal(path, "file is 2.5 KB, larger than the 1.0 KB limit", max_bytes=1_000)


def test_oversized_file_shows_exact_bytes_when_sizes_round_alike(tmp_path):
    path = write(tmp_path, "big.txt", b"a" * 1_000_400)
    refusal(path, "file is 1,000,400 bytes, larger than the 1,000,000 bytes limit", max_bytes=MB)


def test_size_is_checked_before_the_file_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * MB)  # sparse: no 50 MB written to disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    refusal(path, "file is 50.0 MB, larger than the 10.0 MB limit", max_bytes=10 * MB)


BINARY = "binary or undecodable content: not UTF-8 or GB18030 text"


def test_nul_bytes_in_a_text_file_are_refused(tmp_path):
    refusal(write(tmp_path, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), BINARY)


def test_undecodable_bytes_are_refused(tmp_path):
    noise = random.Random(0).randbytes(4_000).replace(b"\x00", b"\x01")
    refusal(write(tmp_path, "x.md", noise), BINARY)


def test_invalid_utf8_after_a_bom_is_refused(tmp_path):
    refusal(write(tmp_path, "x.txt", b"\xef\xbb\xbfok \xff\xfe"), BINARY)


def test_unsupported_file_type_is_refused(tmp_path):
    supported = "(supported: .docx, .htm, .html, .jpeg, .jpg, .md, .pdf, .png, .txt)"
    refusal(write(tmp_path, "sheet.xyz", b"data"), f"unsupported file type '.xyz' {supported}")
    refusal(write(tmp_path, "README", b"data"), f"unsupported file type (no extension) {supported}")
    assert SUPPORTED_SUFFIXES == (".docx", ".htm", ".html", ".jpeg", ".jpg", ".md", ".pdf", ".png", ".txt")


def test_missing_file_is_refused(tmp_path):
    refusal(tmp_path / "gone.txt", "file not found")


def test_max_bytes_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match=r"max_bytes must be a positive whole number of bytes, got 0"):
        load_file(write(tmp_path, "a.txt", b"x"), max_bytes=0)


# --- load_corpus ----------------------------------------------------------------


def test_load_corpus_loads_good_files_and_reports_each_bad_one(tmp_path):
    write(tmp_path, "b_notice.txt", ZH.encode("gbk"))
    write(tmp_path, "a_page.html", PAGE.format(charset="utf-8").encode())
    write(tmp_path, "c_plan.pdf", make_pdf(["Plan."]))
    write(tmp_path, "d_empty.md", b"")
    write(tmp_path, "e_binary.txt", b"\x00\x01\x02")
    write(tmp_path, "f_big.txt", b"x" * 3_000)
    write(tmp_path, "g_sheet.xlsx", b"PK")
    write(tmp_path, "metadata.csv", b"doc,title\n")
    write(tmp_path, ".hidden.txt", b"hidden")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "nested.txt", b"nested")

    result = load_corpus(tmp_path, max_bytes=2_000, ignore={"metadata.csv"})

    assert [(d.doc, d.format) for d in result.documents] == [
        ("a_page.html", "html"), ("b_notice.txt", "txt"), ("c_plan.pdf", "pdf")
    ]
    assert result.documents[1].text == ZH
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("d_empty.md", "empty file (0 bytes)"),
        ("e_binary.txt", BINARY),
        ("f_big.txt", "file is 3.0 KB, larger than the 2.0 KB limit"),
        ("g_sheet.xlsx", "unsupported file type '.xlsx' (supported: .docx, .htm, .html, .jpeg, .jpg, .md, .pdf, .png, .txt)"),
    ]
    assert result.skipped[0].path == str(tmp_path / "d_empty.md")


def test_load_corpus_without_ignore_reports_the_metadata_file(tmp_path):
    write(tmp_path, "metadata.csv", b"doc,title\n")
    result = load_corpus(tmp_path, max_bytes=MB)
    assert [Path(s.path).name for s in result.skipped] == ["metadata.csv"]


def test_load_corpus_rejects_a_bare_string_as_ignore(tmp_path):
    with pytest.raises(TypeError, match=r"ignore must be a collection of file names, got the str 'meta.csv'"):
        load_corpus(tmp_path, max_bytes=MB, ignore="meta.csv")


def test_load_corpus_refuses_a_missing_folder(tmp_path):
    with pytest.raises(LoadError, match="corpus folder does not exist"):
        load_corpus(tmp_path / "nope", max_bytes=MB)


def test_real_corpus_files_load_as_their_utf8_text():
    files = sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))
    assert len(files) >= 5, f"expected the corpus documents in {CORPUS}"
    for path in files:
        doc = load_file(path, max_bytes=10 * MB)
        expected = path.read_bytes().decode("utf-8-sig")
        assert doc.text.strip(), path.name
        assert doc.text[:200] == expected[:200], path.name
        assert doc.text == expected, path.name
