"""The message catalogs' upkeep: extraction into the template, update of every language.

`make messages` (`python -m analysis.report.catalogs`) runs `pybabel extract` with
`babel.cfg` over the package and the notebooks (their code cells, read by
`extract_notebook`) into `locales/messages.pot`, then brings every language's catalog in
line with it: a new message is added (untranslated, for a translator; in the source
language its text is the message itself), a changed one is kept as a fuzzy guess (read as
untranslated until a translator confirms it), a message no longer used is dropped. Labels,
which have symbolic keys and are not extracted, are kept as they are. The template is
rewritten only when its messages changed, not for a new date alone.
"""

from __future__ import annotations

import io
import json
import re
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import write_po

from analysis.paths import ROOT
from analysis.report.i18n import LANGS, SOURCE_LANG, TEMPLATE, catalog_path, read_catalog

HEADER = """\
# Can Tho STI Observatory: the messages to translate, written in English where they are used
# (the package, the notebooks) and extracted by `make messages` (babel.cfg). Generated: do not
# edit; translate in locales/<lang>/LC_MESSAGES/messages.po.
#"""
# `pybabel extract`'s arguments (run in the project's root): locations name files, not lines,
# so that code moving within a file leaves the template as it is; `# Translators:` comments
# before a message travel with it.
EXTRACT = ["extract", "--mapping-file=babel.cfg", "--add-location=file", "--sort-by-file",
           "--add-comments=Translators:", "--project=cantho-sti-observatory", "--no-wrap",
           "--header-comment=" + HEADER]  # fmt: skip
# A label's key (`source`, `status.met`, `chart.ip_filings`); messages are English prose.
LABEL_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def extract_notebook(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel's extraction method for notebooks (`babel.cfg`): the messages of every code
    cell, read as Python (`extract_python`); lines count the notebook's code, cell after cell."""
    notebook = json.load(fileobj)
    offset = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        code = io.BytesIO(source.encode("utf-8"))
        for lineno, funcname, messages, comments in extract_python(
            code, keywords, comment_tags, options
        ):
            yield offset + lineno, funcname, messages, comments
        offset += source.count("\n") + 1


def extract(output: Path) -> None:
    """Write the template `pybabel extract` makes of the package and the notebooks."""
    command = [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        *EXTRACT,
        f"--output-file={output}",
        ".",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pybabel extract failed:\n{done.stderr}")


def without_date(text: str) -> str:
    """A template's text less its creation date, which changes with every extraction."""
    return CREATION_DATE.sub("", text)


def is_label(message) -> bool:
    """A label: a symbolic key, not a message the code writes in place."""
    return isinstance(message.id, str) and bool(LABEL_KEY.fullmatch(message.id))


def updated(current: Catalog, template: Catalog, lang: str) -> Catalog:
    """`current` brought in line with `template` (as `pybabel update` does), its labels
    first and kept as they are, then the template's messages in the template's order."""
    labels = [m for m in current if m.id and is_label(m) and m.id not in template]
    for message in labels:
        del current[message.id]
    current.update(template, update_creation_date=False)
    result = Catalog(locale=lang, header_comment=current.header_comment, fuzzy=False)
    result.mime_headers = current.mime_headers
    for message in [*labels, *(m for m in current if m.id)]:
        if lang == SOURCE_LANG and not is_label(message):
            # The source language's text is the message itself.
            message.string = message.id if not message.pluralizable else tuple(message.id)
            message.flags.discard("fuzzy")
            message.previous_id = []
        result[message.id] = message
    return result


def write_to(fileobj, catalog: Catalog) -> None:
    """A catalog as `make messages` writes it: unwrapped lines, no obsolete entries, a fuzzy
    message with the message it was guessed from (`#|`)."""
    write_po(fileobj, catalog, width=0, ignore_obsolete=True, include_previous=True)


def write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_to(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def update(langs: tuple[str, ...] = LANGS) -> dict[str, list[str]]:
    """Extract the template (rewritten only when its messages changed) and update every
    language's catalog with it. Returns, by language, the messages left to translate."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "messages.pot"
        extract(fresh)
        text = fresh.read_text(encoding="utf-8")
    if not TEMPLATE.exists() or without_date(TEMPLATE.read_text(encoding="utf-8")) != without_date(
        text
    ):
        TEMPLATE.write_text(text, encoding="utf-8")
    template = read_catalog(TEMPLATE)
    todo = {}
    for lang in langs:
        catalog = updated(read_catalog(catalog_path(lang), lang), template, lang)
        write(catalog, catalog_path(lang))
        todo[lang] = [m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                      if m.id and not is_label(m) and (m.fuzzy or not all(m.string if m.pluralizable else (m.string,)))]  # fmt: skip
    return todo


def placeholders(text: str) -> set[str]:
    """The `{names}` a text is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def problems(catalog: Catalog, template: Catalog, lang: str) -> list[str]:
    """What keeps `catalog` from translating `template`: a message missing, untranslated
    (the source language excepted: a message is its own text) or fuzzy; a translation whose
    placeholders differ from its message's; a message no longer in the template."""
    found = []
    for message in template:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalog.get(message.id)
        if entry is None:
            found.append(f"missing: {name!r}")
            continue
        forms = entry.string if entry.pluralizable else (entry.string,)
        if entry.fuzzy:
            found.append(f"fuzzy: {name!r}")
        elif not all(forms) and lang != SOURCE_LANG:
            found.append(f"untranslated: {name!r}")
        ids = message.id if message.pluralizable else (message.id,)
        expected = set().union(*(placeholders(i) for i in ids))
        for form in forms:
            if form and placeholders(form) != expected:
                found.append(
                    f"placeholders {sorted(placeholders(form))} for {sorted(expected)}: {name!r}"
                )
    for entry in catalog:
        if entry.id and not is_label(entry) and entry.id not in template:
            found.append(f"not in the template: {entry.id!r}")
    return found


def main() -> int:
    todo = update()
    template = read_catalog(TEMPLATE)
    print(f"{TEMPLATE.relative_to(ROOT)}: {sum(1 for m in template if m.id)} messages")
    for lang, messages in todo.items():
        print(f"{catalog_path(lang).relative_to(ROOT)}: {len(messages)} to translate")
        for message in messages:
            print(f"  {message!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
