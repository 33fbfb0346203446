"""Punctuation: the final mark of source and target, balanced brackets and quotes."""

from __future__ import annotations

from workbench.review.qa.base import QaFlag, register, shortened

_CLOSERS = "\"'”’」』）)》〉】]"
_END_CLASSES = (
    ("ellipsis", ("……", "…", "...")),
    ("full stop", ("。", ".", "．", "｡")),
    ("exclamation mark", ("！", "!")),
    ("question mark", ("？", "?")),
    ("colon", ("：", ":")),
    ("semicolon", ("；", ";")),
)


def _end_class(text: str) -> tuple[str | None, str]:
    """The kind of final punctuation (ignoring closing quotes/brackets) and the mark itself."""
    stripped = text.rstrip()
    core = stripped.rstrip(_CLOSERS).rstrip()
    for candidate in (core, stripped):
        for name, marks in _END_CLASSES:
            for mark in marks:
                if candidate.endswith(mark):
                    return name, mark
    return None, ""


@register("end-punctuation", "End punctuation differs")
def _check_end_punctuation(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_class, source_mark = _end_class(source)
    target_class, target_mark = _end_class(target)
    if source_class == target_class:
        return None
    said_source = f"“{source_mark}” ({source_class})" if source_class else "no end punctuation"
    said_target = f"“{target_mark}” ({target_class})" if target_class else "no end punctuation"
    return QaFlag(
        "end-punctuation", f"The source ends with {said_source}, the target with {said_target}."
    )


_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "{": "}", "《": "》", "〈": "〉",
          "「": "」", "『": "』", "“": "”", "‘": "’", "«": "»"}  # fmt: skip
_CLOSING = {v: k for k, v in _PAIRS.items()}
# Half- and full-width parentheses mixed in one pair are a style slip, not an imbalance.
_SAME_FAMILY = {"(": "（", "（": "(", ")": "）", "）": ")"}


def _closes(opener: str, closer: str) -> bool:
    return _PAIRS[opener] in (closer, _SAME_FAMILY.get(closer))


def _bracket_problems(text: str) -> list[str]:
    """Unclosed, unopened or crossed brackets/quotes, as phrases for the message.

    ’ between letters, or closing nothing, is an apostrophe (school’s, teachers’).
    ``open`` counts the stack's openers, so asking whether anything below the top
    closes a mark is one lookup, not a walk down the stack (quadratic on long runs).
    """
    problems: list[str] = []
    stack: list[str] = []
    open_: dict[str, int] = dict.fromkeys(_PAIRS, 0)

    def closed_by(char: str) -> bool:
        return any(open_[o] for o in _PAIRS if _closes(o, char))

    for i, char in enumerate(text):
        if char in _PAIRS:
            stack.append(char)
            open_[char] += 1
        elif char in _CLOSING:
            if char == "’" and (
                not open_["‘"]
                or (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha())
            ):
                continue
            if stack and _closes(stack[-1], char):
                open_[stack.pop()] -= 1
            elif closed_by(char):
                while stack and not _closes(stack[-1], char):
                    opener = stack.pop()
                    open_[opener] -= 1
                    problems.append(f"“{opener}” is closed by “{char}”")
                open_[stack.pop()] -= 1
            else:
                problems.append(f"“{char}” closes nothing")
    problems.extend(f"“{opener}” is never closed" for opener in stack)
    if text.count('"') % 2:
        problems.append('an odd number of "')
    return problems


@register("brackets", "Unbalanced brackets or quotes")
def _check_brackets(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    problems = _bracket_problems(target)
    if not problems or _bracket_problems(source):
        # An unbalanced source (a quotation running over several segments) makes an
        # unbalanced target correct.
        return None
    return QaFlag("brackets", "In the target, " + shortened(problems, "; ") + ".")
