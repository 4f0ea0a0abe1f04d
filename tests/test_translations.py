"""The Persian catalogue: complete, consistent, compiled, and in use.

Every string marked for translation in a template or in Python source must
have a Persian entry (and one in each other catalogue under locale/). The
strings are found here without GNU gettext, the way ``makemessages`` finds
them: Django's ``templatize()`` turns a template into gettext calls, and the
calls in Python source are read from its syntax tree.
A string added to a template or a module without a translation fails
``test_every_template_string_is_translated`` or
``test_every_python_string_is_translated``; ``make messages`` then extracts it
and docs/translating.md says what comes next.
"""

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import NamedTuple

import polib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation.template import templatize

import communique

PACKAGE = Path(communique.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
PERSIAN_PO = LOCALE / "fa" / "LC_MESSAGES" / "django.po"
PERSIAN_MO = PERSIAN_PO.with_suffix(".mo")
PERSIAN_PLURALS = "nplurals=2; plural=(n > 1);"
# Every shipped language is held to what is asserted of Persian, except its
# header: a language is complete or it is not shipped.
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
# The files makemessages reads (its default extensions), minus what it ignores.
TEMPLATE_SUFFIXES = {".html", ".txt"}
NOT_EXTRACTED = {"pytest_plugin.py"}

# Which argument of each translation function is the context, the message, the
# plural (Django's makemessages passes xgettext the same keywords).
CALLS = {
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
    "_": ("msgid",),  # templatize() writes _("…") as found in the template
}

PLACEHOLDER = re.compile(
    r"%%"  # a literal percent sign
    r"|%\((?P<name>\w+)\)[-#0 +]*\d*(?:\.\d+)?(?P<named>[diouxXeEfFgGcrsa])"
    r"|%[-#0+]*\d*(?:\.\d+)?(?P<bare>[dirsf])"
    r"|\{(?P<field>\w*)\}"
)


HOW_TO = "\nRun `make messages`, translate these, and see docs/translating.md:\n"


def report(problems: list[str]) -> str:
    return HOW_TO + "\n".join(problems)


class Message(NamedTuple):
    msgid: str
    plural: str | None
    context: str | None
    where: str


def placeholders(text: str) -> list[str]:
    """The %(name)s, %s and {name} placeholders of ``text``, sorted."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        if match.group("named"):
            found.append(f"%({match.group('name')}){match.group('named')}")
        elif match.group("bare"):
            found.append(f"%{match.group('bare')}")
        elif match.group(0) != "%%":
            found.append(match.group(0))
    return sorted(found)


def catalogue(path: Path = PERSIAN_PO) -> polib.POFile:
    return polib.pofile(str(path))


@pytest.fixture(params=CATALOGUES, ids=lambda path: path.parent.parent.name)
def po_path(request) -> Path:
    return request.param


def _call(function: str, arguments: list[str], where: str) -> Message | None:
    roles = CALLS[function]
    if len(arguments) < len(roles):
        return None  # not a literal message: nothing makemessages could extract
    named = dict(zip(roles, arguments, strict=False))
    return Message(named["msgid"], named.get("plural"), named.get("context"), where)


def messages_in_template(source: str, where: str = "<template>") -> list[Message]:
    """The messages ``makemessages`` would extract from a template's source."""
    # templatize() keeps each call on one line and masks everything else; the
    # indentation is of no interest and would only trouble the tokenizer.
    code = "\n".join(line.strip() for line in templatize(source).splitlines())
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            tokens.append(token)
    except (tokenize.TokenError, SyntaxError):  # masked text is not Python
        pass
    found = []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type != tokenize.NAME or token.string not in CALLS:
            continue
        if following.string != "(":
            continue
        arguments: list[str] = []
        current: list[str] = []
        for argument in tokens[index + 2 :]:
            if argument.type == tokenize.STRING:
                current.append(ast.literal_eval(argument.string))
            elif argument.string == "," and current:
                arguments.append("".join(current))
                current = []
            else:
                break
        if current:
            arguments.append("".join(current))
        message = _call(token.string, arguments, f"{where}:{token.start[0]}")
        if message is not None:
            found.append(message)
    return found


def messages_in_python(source: str, where: str = "<module>") -> list[Message]:
    """The messages in gettext calls of a Python module's source."""
    tree = ast.parse(source)
    names = {"_": "_"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "django.utils.translation"
        ):
            for alias in node.names:
                if alias.name in CALLS:
                    names[alias.asname or alias.name] = alias.name
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in names:
            name = names[function.id]
        elif (
            isinstance(function, ast.Attribute)
            and function.attr in CALLS
            and isinstance(function.value, ast.Name)
            and function.value.id == "translation"
        ):
            name = function.attr
        else:
            continue
        arguments = []
        for argument in node.args:
            if not (
                isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            ):
                break
            arguments.append(argument.value)
        message = _call(name, arguments, f"{where}:{node.lineno}")
        if message is not None:
            found.append(message)
    return found


def template_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.glob("**/templates/**/*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def python_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.glob("**/*.py")
        if path.name not in NOT_EXTRACTED and "migrations" not in path.parts
    )


def untranslated(messages: list[Message], po: polib.POFile) -> list[str]:
    """Each of ``messages`` without a finished translation in ``po``, described."""
    problems = []
    for message in messages:
        entry = po.find(message.msgid, msgctxt=message.context)
        if entry is None or entry.obsolete:
            problems.append(f"{message.where}: not in the catalogue: {message.msgid!r}")
        elif (entry.msgid_plural or None) != message.plural:
            problems.append(f"{message.where}: plural differs: {message.msgid!r}")
        elif entry.fuzzy or not entry.translated():
            problems.append(f"{message.where}: not translated: {message.msgid!r}")
    return problems


def relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


# The catalogue itself


def test_the_header_declares_persian_and_its_plural_forms():
    po = catalogue()
    assert po.metadata["Language"] == "fa"
    assert po.metadata["Plural-Forms"] == PERSIAN_PLURALS
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    po = catalogue(po_path)
    assert len(po) > 200
    problems = [
        entry.msgid
        for entry in po
        if entry.obsolete or entry.fuzzy or not entry.translated()
    ]
    assert not problems, report(problems)


def test_plural_entries_have_every_form(po_path):
    po = catalogue(po_path)
    forms = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"])[1])
    plurals = [entry for entry in po if entry.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == list(range(forms)), entry.msgid
        assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_the_placeholders(po_path):
    problems = []
    for entry in catalogue(po_path):
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            pairs = [
                (entry.msgid, placeholders(entry.msgid)),
                *((text, placeholders(text)) for text in entry.msgstr_plural.values()),
            ]
        else:
            expected = placeholders(entry.msgid)
            pairs = [(entry.msgstr, placeholders(entry.msgstr))]
        problems += [text for text, found in pairs if found != expected]
    assert not problems, "placeholders differ from the English:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%(count)d of %(total)s", ["%(count)d", "%(total)s"]),
        ("50%% of %s, 50% off", ["%s"]),
        ("Allowed HTML tags: {tags}", ["{tags}"]),
        ("no placeholder", []),
        # "50%" in Persian digits with the Arabic percent sign, then a placeholder
        ("\u06f5\u06f0\u066a %(name)s", ["%(name)s"]),
    ],
)
def test_placeholders_are_recognised(text, expected):
    assert placeholders(text) == expected


def test_the_shipped_mo_matches_the_po(po_path):
    """A .po edited without compiling again leaves a stale .mo: this fails."""

    def key(entry):
        return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)

    def value(entry):
        if entry.msgid_plural:
            return tuple(
                entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)
            )
        return entry.msgstr

    po, mo = catalogue(po_path), polib.mofile(str(po_path.with_suffix(".mo")))
    assert mo.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]
    expected = {key(entry): value(entry) for entry in po.translated_entries()}
    assert {key(entry): value(entry) for entry in mo} == expected


# Every marked string has a translation


def test_every_template_string_is_translated(po_path):
    po = catalogue(po_path)
    messages = []
    for path in template_files():
        messages += messages_in_template(path.read_text(), relative(path))
    assert len(messages) > 100
    problems = untranslated(messages, po)
    assert not problems, report(problems)


def test_every_python_string_is_translated(po_path):
    po = catalogue(po_path)
    messages = []
    for path in python_files():
        messages += messages_in_python(path.read_text(), relative(path))
    assert len(messages) > 100
    problems = untranslated(messages, po)
    assert not problems, report(problems)


def test_a_new_template_string_without_translation_fails():
    source = (
        '{% load i18n %}<p>{% translate "Add new comment" %}</p>'
        "<p>{% translate 'Something new' %}</p>"
        "{% blocktranslate trimmed count counter=n with number=n %}{{ number }} "
        "comment{% plural %}{{ number }} comments{% endblocktranslate %}"
        "{% blocktranslate trimmed with name=x %}\n  Greetings, {{ name }}\n"
        "{% endblocktranslate %}"
        '{% translate "Save" context "a button" as label %}'
        '{{ value|default:_("Nothing at all") }}'
    )
    messages = messages_in_template(source)
    assert [(m.msgid, m.plural, m.context) for m in messages] == [
        ("Add new comment", None, None),
        ("Something new", None, None),
        ("%(number)s comment", "%(number)s comments", None),
        ("Greetings, %(name)s", None, None),
        ("Save", None, "a button"),
        ("Nothing at all", None, None),
    ]
    problems = untranslated(messages, catalogue())
    assert problems == [
        "<template>:1: not in the catalogue: 'Something new'",
        "<template>:1: not in the catalogue: 'Greetings, %(name)s'",
        "<template>:3: not in the catalogue: 'Save'",
        "<template>:3: not in the catalogue: 'Nothing at all'",
    ]


def test_a_new_python_string_without_translation_fails():
    source = (
        "from django.utils.translation import gettext_lazy as _, ngettext\n"
        "from django.utils import translation\n"
        "a = _('Add new comment')\n"
        "b = _('Something ' 'new')\n"
        "c = ngettext('%(count)d comment approved.',"
        " '%(count)d comments approved.', n)\n"
        "d = translation.pgettext('menu', 'Archive')\n"
        "e = _(variable)\n"
    )
    messages = messages_in_python(source)
    assert [m.msgid for m in messages] == [
        "Add new comment",
        "Something new",
        "%(count)d comment approved.",
        "Archive",
    ]
    assert untranslated(messages, catalogue()) == [
        "<module>:4: not in the catalogue: 'Something new'",
        "<module>:6: not in the catalogue: 'Archive'",
    ]


def test_a_fuzzy_or_empty_entry_counts_as_untranslated(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Fuzzy", msgstr="مبهم", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="Done", msgstr="انجام"))
    messages = [Message(text, None, None, "x") for text in ("Fuzzy", "Empty", "Done")]
    assert untranslated(messages, po) == [
        "x: not translated: 'Fuzzy'",
        "x: not translated: 'Empty'",
    ]


# The catalogue in use


def test_known_strings_come_out_in_persian():
    with translation.override("fa"):
        assert gettext("Add new comment") == "افزودن نظر تازه"
        assert gettext("Listen to the code") == "شنیدن کد"
        assert gettext("What code is in the image?") == "کدِ درون تصویر چیست؟"
        assert (
            ngettext("%(count)d comment approved.", "%(count)d comments approved.", 3)
            % {"count": 3}
            == "3 نظر تأیید شد."
        )
        assert pgettext("no such context", "Save") == "Save"
        rendered = Template("{% load i18n %}{% translate 'Save' %}").render(Context())
        assert rendered == "ثبت"
        # Django's own Persian joins ours: the admin's words are there too.
        assert gettext("Log in") != "Log in"
    with translation.override("en"):
        assert gettext("Add new comment") == "Add new comment"


def test_the_500_page_is_persian_and_right_to_left():
    with translation.override("fa"):
        html = render_to_string("500.html")
    assert '<html lang="fa" dir="rtl">' in html
    assert "مشکلی از سوی ما پیش آمد" in html


@pytest.mark.django_db
def test_moderator_mail_is_in_the_sites_language(moderator, statement, settings):
    from django.core import mail

    from communique.comments.notifications import notify_moderators
    from tests.factories import CommentFactory

    settings.LANGUAGE_CODE = "fa"
    CommentFactory(statement=statement, status="pending", author_name="Roya")
    with translation.override("en"):  # the language of whoever posted
        assert notify_moderators() == 1
    assert "در انتظار بررسی" in mail.outbox[0].subject
    assert "این نظرها در انتظار تصمیم شما هستند:" in mail.outbox[0].body
    assert "Roya دربارهٔ «On the harbour»" in mail.outbox[0].body


# Compiling without GNU gettext


def test_compile_catalogues_writes_the_mo_and_lists_what_is_left(tmp_path, settings):
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    po.append(polib.POEntry(msgid="Done", msgstr="Finished"))
    po.append(polib.POEntry(msgid="Fuzzy", msgstr="Unsure", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.save(str(folder / "django.po"))
    settings.LOCALE_PATHS = [tmp_path]
    out, err = io.StringIO(), io.StringIO()

    with translation.override("en"):
        call_command("compile_catalogues", stdout=out, stderr=err)

    assert "xx/django.po: 1 entry compiled." in out.getvalue()
    assert "2 entries are untranslated or fuzzy" in err.getvalue()
    assert "  Fuzzy\n" in err.getvalue()
    assert "  Empty\n" in err.getvalue()
    mo = polib.mofile(str(folder / "django.mo"))
    assert [(entry.msgid, entry.msgstr) for entry in mo] == [("Done", "Finished")]


def test_compile_catalogues_reproduces_the_shipped_mo(tmp_path, settings):
    """The pure-Python compiler gives the same catalogue as the shipped one."""
    folder = tmp_path / "fa" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_bytes(PERSIAN_PO.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_catalogues", stdout=io.StringIO(), stderr=io.StringIO())

    def entries(path):
        return sorted(
            (entry.msgctxt or "", entry.msgid, entry.msgstr, str(entry.msgstr_plural))
            for entry in polib.mofile(str(path))
        )

    assert entries(folder / "django.mo") == entries(PERSIAN_MO)
