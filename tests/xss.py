"""The rule for "inert" output (../shared/data/xss/README.md), checked on a parsed tree."""

import html
import re
from pathlib import Path

import html5lib

PAYLOADS = Path(__file__).parent / "data" / "xss_payloads.txt"
FORBIDDEN = {"script", "iframe", "object", "embed", "style", "base", "meta", "form", "svg", "math"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def payloads() -> list[str]:
    return [line for line in PAYLOADS.read_text().splitlines() if line.strip()]


def assert_inert(document: str, *, fragment: bool = False) -> None:
    """Fail if user content in `document` could run script. Our own shell's script and
    form elements are recognised by their attributes and allowed."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(document, namespaceHTMLElements=False)
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.split("}")[-1].lower()
        if local in FORBIDDEN and not _ours(local, element):
            raise AssertionError(f"<{local}> survived: {document_excerpt(element)}")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on"):
                raise AssertionError(f"event handler {name}= survived on <{local}>")
            if name in URL_ATTRS:
                cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                if cleaned.startswith(BAD_SCHEMES):
                    raise AssertionError(f"{name}={value!r} survived on <{local}>")


def _ours(local: str, element) -> bool:
    attrs = element.attrib
    if local == "script":
        return attrs.get("src", "").startswith("/static/") and not (element.text or "").strip()
    if local == "meta":
        return set(attrs) <= {"charset", "name", "content"} and attrs.get("name", "viewport") in {
            "viewport",
        }
    if local == "form":
        action = attrs.get("action", "")
        return "method" in attrs and (not action or action.startswith("/"))
    return False


def document_excerpt(element) -> str:
    return f"{element.tag} {dict(element.attrib)}"[:200]
