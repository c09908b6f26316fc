"""The Swedish catalogue is complete, consistent with the source, compiled, and used by merchant pages.

Merchant pages ship in English and Swedish from one catalogue, locale/sv/LC_MESSAGES/django.po.
These tests fail when someone adds a string marked for translation and forgets the Swedish:

* a marked string in the source (``_()``/``gettext*`` in Python, ``{% translate %}`` or
  ``{% blocktranslate %}`` in a template) that is missing from the catalogue or has no Swedish,
* an untranslated or fuzzy entry in the catalogue,
* a translation whose placeholders (``%(name)s``, ``%s``, ``{name}``) or HTML tags differ from
  the English,
* a compiled django.mo that is older than the .po file's translations.

To fix, from the repository root (see docs/onboarding.md, "Translations"):

    ./dev manage makemessages -l sv -l en --no-location --ignore=.venv --ignore=simulators --ignore=tests --ignore=bench
    # translate the new entries in locale/sv/LC_MESSAGES/django.po, remove "#, fuzzy" after checking
    ./dev manage compilemessages --ignore=.venv

The .po file is read with a small parser here (no polib); the .mo file with gettext.GNUTranslations.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# The same folders makemessages is told to ignore, plus ones that never hold product strings.
IGNORED_DIRS = {".venv", "simulators", "tests", "bench", "node_modules", "__pycache__", "locale", "static"}


# --- a small .po parser ---------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def __str__(self) -> str:
        return f"django.po:{self.line}: {self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # which field a continuation line belongs to

    def flush() -> None:
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            if entry is None or entry.msgid or entry.msgstr:
                flush()
                entry = Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if entry is None:
            entry = Entry(line=number)
        entry.obsolete = entry.obsolete or obsolete
        if line.startswith('"'):
            assert target is not None, f"django.po:{number}: continuation without a keyword"
            name, index = target
            value = _unquote(line)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural_form:
            target = ("msgstr", int(plural_form.group(1)))
            entry.msgstr[target[1]] = _unquote(rest)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
            entry.msgstr[0] = _unquote(rest)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            # An entry without a blank line before it.
            if (keyword == "msgctxt" or (keyword == "msgid" and entry.msgstr)) and (entry.msgid or entry.msgstr):
                flush()
                entry = Entry(line=number, obsolete=obsolete)
            target = (keyword, 0)
            setattr(entry, keyword, _unquote(rest))
        else:
            raise AssertionError(f"django.po:{number}: cannot parse {raw!r}")
    flush()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = parse_po(PO.read_text(encoding="utf-8"))
    header = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    assert header and "Language: sv" in header[0].msgstr[0]
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


# --- the catalogue itself -------------------------------------------------------------------


def test_parser_reads_the_catalogue(catalogue):
    by_id = {entry.msgid: entry for entry in catalogue}
    assert by_id["Number series"].msgstr[0] == "Nummerserier"
    assert len(catalogue) > 400


def test_no_untranslated_entries(catalogue):
    missing = [str(entry) for entry in catalogue if not entry.translated]
    assert not missing, "Swedish missing for:\n" + "\n".join(missing)


def test_no_fuzzy_entries(catalogue):
    fuzzy = [str(entry) for entry in catalogue if entry.fuzzy]
    assert not fuzzy, "Check these translations and remove '#, fuzzy':\n" + "\n".join(fuzzy)


_NAMED = re.compile(r"%\((\w+)\)[#0 +-]?\d*(?:\.\d+)?[sdifr]")
_POSITIONAL = re.compile(r"%(?!\()[#0 +-]?\d*(?:\.\d+)?[sdifr]")
_BRACES = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def placeholders(text: str) -> tuple[set[str], Counter, set[str]]:
    text_without_escapes = text.replace("%%", "")
    return (
        set(_NAMED.findall(text_without_escapes)),
        Counter(_POSITIONAL.findall(text_without_escapes)),
        set(_BRACES.findall(text)),
    )


def test_placeholders_match(catalogue):
    wrong = []
    for entry in catalogue:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for translation in entry.msgstr.values():
            if not translation:
                continue
            # Plural forms may drop the count in one form, never invent a placeholder.
            expected = placeholders(sources[0]) if len(sources) == 1 else None
            found = placeholders(translation)
            if expected is not None and found != expected:
                wrong.append(f"{entry}: {expected} != {found} in {translation!r}")
            if expected is None and not found[0] <= (placeholders(sources[0])[0] | placeholders(sources[1])[0]):
                wrong.append(f"{entry}: unknown placeholder in {translation!r}")
    assert not wrong, "Placeholders differ between English and Swedish:\n" + "\n".join(wrong)


def test_html_tags_match(catalogue):
    wrong = [
        f"{entry}: {translation!r}"
        for entry in catalogue
        for translation in entry.msgstr.values()
        if translation and Counter(_TAG.findall(entry.msgid)) != Counter(_TAG.findall(translation))
    ]
    assert not wrong, "HTML tags differ between English and Swedish:\n" + "\n".join(wrong)


def test_compiled_catalogue_is_current(catalogue):
    assert MO.exists(), "run: ./dev manage compilemessages --ignore=.venv"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if not entry.translated or entry.fuzzy:
            continue
        if entry.msgid_plural is not None:
            got = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else (compiled.ngettext(entry.msgid, entry.msgid_plural, 1))
            )
            want = entry.msgstr[0]
        else:
            got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            want = entry.msgstr[0]
        if got != want:
            stale.append(str(entry))
    assert not stale, "django.mo is out of date; run: ./dev manage compilemessages --ignore=.venv\n" + "\n".join(stale)


# --- the source against the catalogue ---------------------------------------------------------

_SINGULAR = {"gettext", "gettext_lazy", "gettext_noop", "_"}
_CONTEXT = {"pgettext", "pgettext_lazy"}
_PLURAL = {"ngettext", "ngettext_lazy"}
_CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


def _source_files(*suffixes: str):
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        hidden = any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts[:-1])
        if path.suffix in suffixes and path.is_file() and not hidden:
            yield path


def _python_messages(path: Path):
    """(msgctxt, msgid) of every literal passed to Django's gettext functions in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                aliases[name.asname or name.name] = name.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in aliases:
            function = aliases[node.func.id]
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            if node.func.value.id != "translation":
                continue
            function = node.func.attr
        else:
            continue
        texts = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
        ]
        if function in _SINGULAR and texts[:1] and texts[0] or function in _PLURAL and texts[:1] and texts[0]:
            yield (None, texts[0]), f"{path.relative_to(ROOT)}:{node.lineno}"
        elif function in _CONTEXT | _CONTEXT_PLURAL and len(texts) >= 2 and texts[0] and texts[1]:
            yield (texts[0], texts[1]), f"{path.relative_to(ROOT)}:{node.lineno}"


_TRANSLATE_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>[^%]*?)%}""", re.DOTALL)
_BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<args>.*?)%}(?P<body>.*?){%\s*endblocktrans(?:late)?\s*%}", re.DOTALL
)
_CONTEXT_ARG = re.compile(r"""\bcontext\s+(["'])(.*?)\1""")
_TEMPLATE_UNDERSCORE = re.compile(r"""\b_\(\s*(["'])(.*?)\1\s*\)""")


def _template_messages(path: Path):
    """(msgctxt, msgid) of {% translate %}, {% blocktranslate %} and _("...") as makemessages reads them."""
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(ROOT))
    for match in _TRANSLATE_TAG.finditer(text):
        context = _CONTEXT_ARG.search(match.group("rest"))
        yield (context.group(2) if context else None, match.group("text")), where
    for match in _BLOCK_TAG.finditer(text):
        args, body = match.group("args"), match.group("body")
        context = _CONTEXT_ARG.search(args)
        singular = re.split(r"{%\s*plural\s*%}", body)[0]
        singular = singular.replace("%", "%%")
        singular = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", singular)
        if re.search(r"\btrimmed\b", args):
            singular = re.sub(r"\s*\n\s*", " ", singular.strip())
        yield (context.group(2) if context else None, singular), where
    for match in _TEMPLATE_UNDERSCORE.finditer(text):
        yield (None, match.group(2)), where


def test_every_marked_string_has_swedish(catalogue):
    """A string marked in the source but missing from the .po (makemessages not run) or without Swedish."""
    known = {entry.key: entry for entry in catalogue}
    found = list(m for path in _source_files(".py") for m in _python_messages(path))
    found += list(m for path in _source_files(".html", ".txt") for m in _template_messages(path))
    assert len(found) > 400, "the source scan found too few strings; is ROOT right?"
    missing = sorted(
        {
            f"{where}: {key[1]!r}"
            for key, where in found
            if key not in known or not known[key].translated or known[key].fuzzy
        }
    )
    assert not missing, (
        "Marked for translation but without Swedish in locale/sv/LC_MESSAGES/django.po. Run makemessages, "
        "translate, then compilemessages (docs/onboarding.md, 'Translations'):\n" + "\n".join(missing)
    )


# --- pages rendered in Swedish -----------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_in_swedish_by_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    page = client.get("/accounts/login/").content.decode()

    assert 'lang="sv"' in page
    assert "Ny här?" in page and "Skapa ett konto" in page
    assert "Create an account" not in page


@pytest.mark.django_db
def test_signup_page_in_swedish_by_accept_language(client):
    page = client.get("/signup/", headers={"accept-language": "sv"}).content.decode()

    assert "Koppla din butik och dina betalningsleverantörer till Microsoft Dynamics 365 Business Central." in page
    assert "Lösenord igen" in page


@pytest.mark.django_db
def test_help_error_list_in_swedish(client):
    page = client.get("/help/errors/", headers={"accept-language": "sv"}).content.decode()

    assert "Varje fel som integrationen rapporterar har en fast kod." in page
    assert "Momsbokföringsinställning saknas" in page
