"""Automated PDF/A-3b checks run on every archived file (by the task and the tests).

Not a full veraPDF validation: the properties that matter for this archive and
that a regression could silently break — PDF/A identification, output intent,
embedded fonts, the data attachment, extractable Korean text and metadata.
"""

import io
import json
import re
from collections.abc import Iterable
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf._utils import read_non_whitespace
from pypdf.generic import IndirectObject, PdfObject, read_object

from .render import ATTACHMENT_NAME

_SPACE = re.compile(r"\s+")


class ArchiveCheckError(Exception):
    code = "pdf_check_failed"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _obj(value: Any) -> Any:
    """The resolved PDF object (pypdf's types are too loose for useful static checks)."""
    return value.get_object() if value is not None else None


class _ArchiveReader(PdfReader):
    """pypdf's reader, resolving an object of an object stream without parsing its neighbours.

    pypdf parses every object of an object stream the first time any of them is
    asked for. WeasyPrint puts all of an archive's small objects in one stream,
    most of them the ~170 structure elements of the tagged PDF that no check
    reads, so that parse was a fifth of the whole archive pipeline. This reads
    the stream's index once and then only the objects the checks follow, with
    pypdf's own parser on the same bytes: the same objects, the same checks.
    Anything unusual (encryption, a malformed index) takes pypdf's own path.
    """

    def _get_object_from_stream(self, indirect_reference: IndirectObject) -> PdfObject:
        idnum = indirect_reference.idnum
        try:
            found = None if self._encryption is not None else self._object_alone(idnum)
        except Exception:
            found = None
        if found is None:
            return super()._get_object_from_stream(indirect_reference)
        self.cache_indirect_object(0, idnum, found)
        return found

    def _object_alone(self, idnum: int) -> PdfObject | None:
        stmnum, _index = self.xref_objStm[idnum]
        indexes: dict[int, tuple[io.BytesIO, dict[int, int]]] = self.__dict__.setdefault("_stream_indexes", {})
        if stmnum not in indexes:
            stream = _obj(IndirectObject(stmnum, 0, self))
            if stream.get("/Type") != "/ObjStm":
                return None
            data, first, count = stream.get_data(), int(stream["/First"]), int(stream["/N"])
            header = [int(number) for number in data[:first].split()]
            if len(header) != 2 * count:
                return None
            indexes[stmnum] = (io.BytesIO(data), {header[i]: first + header[i + 1] for i in range(0, len(header), 2)})
        data_stream, offsets = indexes[stmnum]
        if idnum not in offsets:
            return None
        data_stream.seek(offsets[idnum])
        read_non_whitespace(data_stream)
        data_stream.seek(-1, 1)
        found: PdfObject = read_object(data_stream, self)
        return found


def _squash(text: str) -> str:
    # Cell text wraps onto several lines; compare without any whitespace.
    return _SPACE.sub("", text)


# What a reader must find, and what to call it when it is missing: a problem
# is logged and stored, so it names the field, never the resident's value.
Expected = tuple[str, str]


def expected_texts(context: dict[str, Any]) -> list[Expected]:
    """What a reader must be able to find in the PDF: heading, reference and every printed value."""
    doc = context["doc"]
    texts: list[Expected] = [("title", doc["title"]), ("reference", doc["reference"]), ("office", doc["office"])]
    for section in context["sections"]:
        for row in section["rows"]:
            if row.get("options"):
                texts.extend((row.get("label", "choice"), o["label"]) for o in row["options"] if o["selected"])
            elif not row.get("image") and row["value"] not in ("", None):
                texts.append((row.get("label", "value"), str(row["value"])))
    texts.extend(
        (f"{s.get('label', 'signature')} (name)", s["name"]) for s in context.get("signatures", []) if s.get("name")
    )
    return texts


def _missing(texts: Iterable[str | Expected], text: str) -> list[str]:
    """What is not in the text: by name, or for a bare string by its place in the list (never the text itself)."""
    found = []
    for i, item in enumerate(texts):
        what, wanted = item if isinstance(item, tuple) else (f"text #{i + 1}", item)
        if _squash(str(wanted)) not in text:
            found.append(what)
    return found


def extract_text(content: bytes) -> str:
    """The text as a PDF viewer finds it: PDFium (Chromium's PDF engine), ~50x faster than pypdf here."""
    document = pdfium.PdfDocument(content)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def _fonts(reader: PdfReader) -> Iterable[tuple[str, Any]]:
    for page in reader.pages:
        resources = _obj(page.get("/Resources"))
        fonts = _obj(resources.get("/Font")) if resources else None
        for name, ref in (fonts or {}).items():
            yield name, _obj(ref)


def _font_embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by content streams inside the PDF
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _attachment_relationships(reader: PdfReader) -> dict[str, str]:
    found = {}
    for ref in _obj(_obj(reader.trailer["/Root"]).get("/AF")) or []:
        spec = _obj(ref)
        found[str(spec.get("/UF") or spec.get("/F"))] = str(spec.get("/AFRelationship", ""))
    return found


def check_pdf(
    content: bytes,
    data: dict[str, Any],
    texts: Iterable[str | Expected],
    *,
    title: str = "",
    author: str = "",
    files: Iterable[tuple[str, bytes]] = (),
) -> list[str]:
    """Every problem found in an archived PDF; an empty list means it passed."""
    problems: list[str] = []
    try:
        reader = _ArchiveReader(io.BytesIO(content), strict=False)
        root = _obj(reader.trailer["/Root"])
    except Exception as exc:
        return [f"unreadable PDF: {exc}"]

    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    if not re.search(r"pdfaid:part(>|=\")3", xmp) or not re.search(r"pdfaid:conformance(>|=\")B", xmp):
        problems.append("XMP lacks PDF/A-3B identification")

    intents = root.get("/OutputIntents")
    if not intents or not any(
        _obj(i).get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in _obj(i) for i in _obj(intents)
    ):
        problems.append("no PDF/A output intent with an ICC profile")

    missing = sorted({name for name, font in _fonts(reader) if not _font_embedded(font)})
    if missing:
        problems.append(f"fonts not embedded: {', '.join(missing)}")

    attached = reader.attachments.get(ATTACHMENT_NAME)
    if not attached:
        problems.append(f"attachment {ATTACHMENT_NAME} missing")
    else:
        try:
            if json.loads(attached[0]) != json.loads(json.dumps(data, ensure_ascii=False)):
                problems.append(f"attachment {ATTACHMENT_NAME} differs from the stored data")
        except ValueError:
            problems.append(f"attachment {ATTACHMENT_NAME} is not JSON")
        if _attachment_relationships(reader).get(ATTACHMENT_NAME) != "/Source":
            problems.append(f"attachment {ATTACHMENT_NAME} is not declared with relationship Source")

    for name, expected in files:
        # The resident's uploads, byte for byte: the record is complete only with them.
        embedded = reader.attachments.get(name)
        if not embedded or embedded[0] != expected:
            problems.append(f"attached file {name} missing or altered")

    absent = _missing(texts, _squash(extract_text(content)))
    if absent:
        problems.append(f"text not extractable: {', '.join(absent[:5])}")

    info: Any = reader.metadata or {}
    if title and title not in str(info.get("/Title", "")):
        problems.append("document title missing from metadata")
    if author and str(info.get("/Author", "")) != author:
        problems.append("office (author) missing from metadata")
    if not info.get("/CreationDate"):
        problems.append("creation date missing from metadata")
    if str(root.get("/Lang", "")) != "ko":
        problems.append("document language is not ko")
    return problems


def assert_valid(content: bytes, data: dict[str, Any], texts: Iterable[str | Expected], **options: Any) -> None:
    """check_pdf (same options), raising ArchiveCheckError with every problem found."""
    problems = check_pdf(content, data, texts, **options)
    if problems:
        raise ArchiveCheckError(problems)
