"""The article as the annotated report shows it: headings, paragraphs and list items, each
sentence marked with the claims that check it, the situations and experiments that decide how
far it holds, or with why it is not checkable.

The article's text ships with the package (`article.txt`, the help article as published).
Every sentence has exactly one annotation below, found by how the sentence begins; a test
keeps the two in step, so an edited article shows at once which sentences lost theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

__all__ = ["Annotation", "Sentence", "Block", "ANNOTATIONS", "annotated_article", "article_text", "sentences_of"]


@dataclass(frozen=True)
class Annotation:
    begins: str  # how the sentence begins
    claims: tuple[str, ...] = ()
    kind: str = "claim"  # claim, partly (only part of it can be checked), instruction or context
    #: For a claim: only what no simulation can decide (its scope), never a result; results are
    #: computed by the report from the runs. For an instruction or context: why it is not checked.
    note: str = ""
    #: The situation sets (sim.report.boundaries) that decide it: "id", or "id:value" for the variants
    #: with that value (one recovery step's deviation, say).
    situations: tuple[str, ...] = ()
    experiment: str = ""  # an experiment (sim.report.contradictions) that tests its wording


def _instruction(begins: str, note: str) -> Annotation:
    return Annotation(begins, (), "instruction", note)


def _context(begins: str, note: str) -> Annotation:
    return Annotation(begins, (), "context", note)


def _claim(
    begins: str, claims: tuple[str, ...], *situations: str, partly: str = "", experiment: str = ""
) -> Annotation:
    return Annotation(begins, claims, "partly" if partly else "claim", partly, situations, experiment)


RENAME = ("claim-rename-file",)
FOLDER = ("claim-rename-folder",)
MOVE = ("claim-move-file",)
REMOVAL = ("claim-rename-blocks-removal",)
SCHEDULER = ("claim-scheduler-conditions",)
RECOVERY = ("claim-recovery-restores", "claim-recovery-order")
ORDER = "recovery-order:"

ANNOTATIONS: tuple[Annotation, ...] = (
    _context("Web Connector is the tool", "Introduction: names the tool; nothing to check."),
    _context("When the connection is healthy", "Introduction: describes a healthy sync in general terms."),
    _claim(
        "However, a few common actions",
        ("claim-rename-file", "claim-rename-folder", "claim-move-file"),
        "rename",
        "rename-folder",
        "move",
        partly='"Without warning" is about what people see on the screen, which the simulator '
        "does not draw; the failures are checked.",
    ),
    _context("Most of these involve", "Introduction: a summary of the don'ts below."),
    _context("In this article, you will learn", "Introduction: what the article covers."),
    _context("These guidelines apply once", "Scope of the article."),
    _instruction(
        "If you have not connected your file yet", "Points to another article; linking is checked by claim-normal-link."
    ),
    _claim("If you need to follow the recovery steps", ("claim-admin-needed",)),
    _claim(
        "Web Connector runs on the computer or server",
        ("claim-normal-link",),
        "first-sync:open",
        partly="It describes the usual setup; the situations show whether Web Connector must run there.",
    ),
    _instruction("To open it, select Start", "How to find the program on the screen; the simulator has no screen."),
    _instruction(
        "Your STRATAFOLIO integration settings",
        "Where a page is in STRATAFOLIO's interface; the simulator has no interface.",
    ),
    _claim("Do not rename your QuickBooks Desktop file.", RENAME, "rename"),
    _claim(
        "Web Connector remembers your file by its exact name", RENAME, "rename", experiment="who-remembers-the-path"
    ),
    _claim(
        "If you rename the file, Web Connector keeps looking", RENAME, "rename", experiment="who-remembers-the-path"
    ),
    _claim("Renaming also creates a second problem", REMOVAL, "removal:the file renamed"),
    _claim("Web Connector needs to perform a handshake", REMOVAL, "removal"),
    _claim("Since the file name no longer matches", REMOVAL, "removal:the file renamed"),
    _claim(
        "The only ways to remove it",
        REMOVAL,
        "removal",
        partly='"The only ways" cannot be shown by simulation (that would need every other way '
        "tried); both ways are checked to work.",
    ),
    _claim("Do not rename any folder in the file path", FOLDER, "rename-folder"),
    _claim("This creates the same problem as renaming", FOLDER + REMOVAL, "rename-folder", "removal:a folder renamed"),
    _claim("Web Connector can no longer find the file", FOLDER, "rename-folder"),
    _claim("Do not move your QuickBooks Desktop file", MOVE, "move"),
    _claim("This includes moving it to a different folder", MOVE, "move"),
    _claim("Just like renaming, moving the file", MOVE, "move"),
    _claim("Do not use the Web Connector sync scheduler", SCHEDULER, "off-or-asleep", "working-scheduler"),
    _claim("The automatic sync scheduler only works", SCHEDULER, "off-or-asleep", "working-scheduler"),
    _claim("First, no one can be using any QuickBooks Desktop file", SCHEDULER, "working-scheduler"),
    _claim("Second, the computer or server running Web Connector", SCHEDULER, "off-or-asleep"),
    _claim("If the computer is off or asleep", SCHEDULER, "off-or-asleep"),
    _claim("If the computer is on but someone is working", SCHEDULER, "working-scheduler"),
    _instruction(
        "Because these conditions are hard to guarantee",
        "A recommendation; the manual syncs it recommends are checked by the do's.",
    ),
    _claim(
        "Do not attempt a full sync across all your integrations",
        ("claim-full-sync-while-working",),
        "working-full-sync",
    ),
    _claim(
        "If anyone is working in QuickBooks Desktop when you run a full sync",
        ("claim-full-sync-while-working",),
        "working-full-sync",
    ),
    _claim("If you want to run a full sync across all", ("claim-full-sync-nobody-working",), "full-sync-nobody"),
    _claim("Once you have confirmed that, select all", ("claim-full-sync-nobody-working",), "full-sync-nobody"),
    _claim("If you prefer to sync one file at a time", ("claim-single-user-sync",), "single-user"),
    _claim("This prevents conflicts with other users", ("claim-single-user-sync",)),
    _claim("Then select that same file in Web Connector", ("claim-single-user-sync",), "single-user"),
    _context("There are times when you genuinely need", "Introduces the recovery steps."),
    _claim("The key is to disconnect everything first", RECOVERY, "recovery-change", "recovery-order"),
    _claim("Follow these steps in order", ("claim-recovery-order",), "recovery-order"),
    _claim(
        "Remove the integration from Web Connector first", RECOVERY, ORDER + "the integration removed after the change"
    ),
    _claim("Delete the authorized computer from STRATAFOLIO", RECOVERY, ORDER + "the authorized computer not deleted"),
    _claim("Rename the QuickBooks Desktop file, move the file", ("claim-recovery-restores",), "recovery-change"),
    _instruction("Make whichever change you need", "Part of the step before."),
    _claim(
        "Open the new QuickBooks Desktop file as the file admin",
        RECOVERY,
        ORDER + "the file not opened as the admin",
        ORDER + "a pop-up left open",
    ),
    _claim("Authorize a new computer in STRATAFOLIO", RECOVERY, ORDER + "the old QWC file reused"),
    _claim("Download the QWC file for the new authorized computer", ("claim-recovery-restores",), "recovery-change"),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    claims: tuple[str, ...]
    kind: str
    note: str
    situations: tuple[str, ...] = ()
    experiment: str = ""


@dataclass(frozen=True)
class Block:
    kind: str  # paragraph, heading, subheading or item
    sentences: tuple[Sentence, ...]
    text: str = ""  # for headings


def article_text() -> str:
    return files("sim.report").joinpath("article.txt").read_text(encoding="utf-8")


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip()) if s]


def _annotation(sentence: str) -> Annotation:
    found = [a for a in ANNOTATIONS if sentence.startswith(a.begins)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} annotations for the article's sentence {sentence!r}")
    return found[0]


def annotated_article() -> list[Block]:
    blocks = []
    for line in article_text().splitlines():
        if not line.strip():
            continue
        item = line.startswith("- ")
        text = line[2:] if item else line
        if not item and not text.rstrip().endswith((".", "!", "?")):
            kind = (
                "heading"
                if text in ("Before You Begin", "Where to Find This Feature", "How to Use This Feature")
                else "subheading"
            )
            blocks.append(Block(kind, (), text))
            continue
        sentences = []
        for sentence in sentences_of(text):
            note = _annotation(sentence)
            sentences.append(Sentence(sentence, note.claims, note.kind, note.note, note.situations, note.experiment))
        blocks.append(Block("item" if item else "paragraph", tuple(sentences)))
    return blocks
