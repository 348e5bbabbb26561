"""The article as the annotated report shows it: headings, paragraphs and list items, each
sentence marked with the claims that check it, or with why it is not checkable.

The article's text ships with the package (`article.txt`, the help article as published).
Every sentence has exactly one annotation below, found by how the sentence begins; a test
keeps the two in step, so an edited article shows at once which sentences lost theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

__all__ = ["Sentence", "Block", "ANNOTATIONS", "annotated_article", "article_text", "sentences_of"]


@dataclass(frozen=True)
class Annotation:
    begins: str  # how the sentence begins
    claims: tuple[str, ...] = ()
    kind: str = "claim"  # claim, partly, instruction or context
    note: str = ""


def _instruction(begins: str, note: str) -> Annotation:
    return Annotation(begins, (), "instruction", note)


def _context(begins: str, note: str) -> Annotation:
    return Annotation(begins, (), "context", note)


RECOVERY_STEP = "A step of the recovery sequence: checked as part of it"

ANNOTATIONS: tuple[Annotation, ...] = (
    _context("Web Connector is the tool", "Introduction: names the tool; nothing to check."),
    _context("When the connection is healthy", "Introduction: describes a healthy sync in general terms."),
    Annotation("However, a few common actions", ("claim-rename-file", "claim-rename-folder", "claim-move-file"), "partly",
               "\"Without warning\": the simulated Web Connector shows no warning when the file is renamed or moved; the failures appear only at the next sync."),
    _context("Most of these involve", "Introduction: a summary of the don'ts below."),
    _context("In this article, you will learn", "Introduction: what the article covers."),
    _context("These guidelines apply once", "Scope of the article."),
    _instruction("If you have not connected your file yet", "Points to another article; linking is checked by claim-normal-link."),
    Annotation("If you need to follow the recovery steps", ("claim-admin-needed",)),
    Annotation("Web Connector runs on the computer or server", ("claim-normal-link",), "partly",
               "Describes the usual setup, not a requirement: the simulator also runs Web Connector on a workstation that reaches the file through a mapped drive, and it syncs (features/computers_and_sessions.feature)."),
    _instruction("To open it, select Start", "How to find the program on the screen; the simulator has no screen."),
    _instruction("Your STRATAFOLIO integration settings", "Where a page is in STRATAFOLIO's interface; the simulator has no interface."),
    Annotation("Do not rename your QuickBooks Desktop file.", ("claim-rename-file",)),
    Annotation("Web Connector remembers your file by its exact name", ("claim-rename-file",), "partly",
               "Found by simulation, after the PG: it is the web service that remembers the path and names it in authenticate; Web Connector keeps it only for the removal handshake (where, assumed)."),
    Annotation("If you rename the file, Web Connector keeps looking", ("claim-rename-file",)),
    Annotation("Renaming also creates a second problem", ("claim-rename-blocks-removal",)),
    Annotation("Web Connector needs to perform a handshake", ("claim-rename-blocks-removal",), "partly",
               "The handshake is modelled from this sentence (circular): no independent source describes it."),
    Annotation("Since the file name no longer matches", ("claim-rename-blocks-removal",)),
    Annotation("The only ways to remove it", ("claim-rename-blocks-removal",), "partly",
               "Both ways are shown to work and a normal removal to fail; \"the only ways\" cannot be shown by simulation (that would need every other way tried)."),
    Annotation("Do not rename any folder in the file path", ("claim-rename-folder",)),
    Annotation("This creates the same problem as renaming", ("claim-rename-folder",), "claim",
               "Both problems: the sync fails, and the removal fails the same way (features/donts.feature)."),
    Annotation("Web Connector can no longer find the file", ("claim-rename-folder",)),
    Annotation("Do not move your QuickBooks Desktop file", ("claim-move-file",)),
    Annotation("This includes moving it to a different folder", ("claim-move-file",)),
    Annotation("Just like renaming, moving the file", ("claim-move-file",)),
    Annotation("Do not use the Web Connector sync scheduler", ("claim-scheduler-conditions",)),
    Annotation("The automatic sync scheduler only works", ("claim-scheduler-conditions",)),
    Annotation("First, no one can be using any QuickBooks Desktop file", ("claim-scheduler-conditions",), "partly",
               "Holds for someone working on the Web Connector's computer while records wait to be written; from a workstation only the file in use fails, the others sync (wcsim claims --boundaries)."),
    Annotation("Second, the computer or server running Web Connector", ("claim-scheduler-conditions",)),
    Annotation("If the computer is off or asleep", ("claim-scheduler-conditions",)),
    Annotation("If the computer is on but someone is working", ("claim-scheduler-conditions",)),
    _instruction("Because these conditions are hard to guarantee", "A recommendation; the manual syncs it recommends are checked by the do's."),
    Annotation("Do not attempt a full sync across all your integrations", ("claim-full-sync-while-working",)),
    Annotation("If anyone is working in QuickBooks Desktop when you run a full sync", ("claim-full-sync-while-working",), "partly",
               "\"All the integrations\" holds when the person works on the Web Connector's computer and records wait to be written; from a workstation only the file they have open fails (wcsim claims --boundaries)."),
    Annotation("If you want to run a full sync across all", ("claim-full-sync-nobody-working",)),
    Annotation("Once you have confirmed that, select all", ("claim-full-sync-nobody-working",)),
    Annotation("If you prefer to sync one file at a time", ("claim-single-user-sync",)),
    Annotation("This prevents conflicts with other users", ("claim-single-user-sync",), "claim",
               "Checked: while the file is open single-user, nobody else can open it (features/dos.feature)."),
    Annotation("Then select that same file in Web Connector", ("claim-single-user-sync",)),
    _context("There are times when you genuinely need", "Introduces the recovery steps."),
    Annotation("The key is to disconnect everything first", ("claim-recovery-restores", "claim-recovery-order")),
    Annotation("Follow these steps in order", ("claim-recovery-order",)),
    Annotation("Remove the integration from Web Connector first", ("claim-recovery-restores", "claim-recovery-order"), "claim", RECOVERY_STEP + "; done later, the removal fails."),
    Annotation("Delete the authorized computer from STRATAFOLIO", ("claim-recovery-restores", "claim-recovery-order"), "partly",
               RECOVERY_STEP + "; skipped, nothing in the sync breaks, but the old computer's login stays valid."),
    Annotation("Rename the QuickBooks Desktop file, move the file", ("claim-recovery-restores",), "claim", RECOVERY_STEP + " (a rename, a folder rename, two moves)."),
    _instruction("Make whichever change you need", "Part of the step before."),
    Annotation("Open the new QuickBooks Desktop file as the file admin", ("claim-recovery-restores", "claim-recovery-order"), "claim", RECOVERY_STEP + "; skipped, or with a pop-up left open, adding the QWC file fails."),
    Annotation("Authorize a new computer in STRATAFOLIO", ("claim-recovery-restores", "claim-recovery-order"), "claim", RECOVERY_STEP + "; reusing the old QWC file instead fails (QBWC1039)."),
    Annotation("Download the QWC file for the new authorized computer", ("claim-recovery-restores",), "claim", RECOVERY_STEP + "."),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    claims: tuple[str, ...]
    kind: str
    note: str


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
            kind = "heading" if text in ("Before You Begin", "Where to Find This Feature", "How to Use This Feature") else "subheading"
            blocks.append(Block(kind, (), text))
            continue
        sentences = []
        for sentence in sentences_of(text):
            note = _annotation(sentence)
            sentences.append(Sentence(sentence, note.claims, note.kind, note.note))
        blocks.append(Block("item" if item else "paragraph", tuple(sentences)))
    return blocks
