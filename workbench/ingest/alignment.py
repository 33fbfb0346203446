"""Align an article with its human translation, with MT as a bridge when a model is installed."""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner import Article, Bead, align, split_sentences
from aligner.inputs import check_alignment_input
from workbench.ingest.readers import as_article
from workbench.ingest.script import language_tag, machine_copy
from workbench.mt.packages import InstalledModel
from workbench.mt.translator import (
    ModelNotInstalledError,
    Translator,
    get_translator,
    translate_cached,
)

JOINER = {"zh": "", "en": " "}


@dataclass
class AlignedSentence:
    text: str
    paragraph: int


@dataclass
class AlignedPair:
    """One bead as text: what a segment or an output line holds."""

    source: str
    target: str
    mt: str
    confidence: float
    source_ids: tuple[int, ...]
    target_ids: tuple[int, ...]
    paragraph: int

    @property
    def kind(self) -> str:
        return f"{len(self.source_ids)}-{len(self.target_ids)}"


@dataclass
class Alignment:
    source: Article
    target: Article
    pairs: list[AlignedPair]
    mt_model: InstalledModel | None
    warnings: list[str] = field(default_factory=list)
    # "source_tag"/"target_tag" when a side says more than its code (zh-Hant, zh-TW)
    tags: dict[str, str] = field(default_factory=dict)

    def tag(self, side: str) -> str:
        """The language tag of "source" or "target": zh-Hant, zh-TW … or the code."""
        article = self.source if side == "source" else self.target
        return self.tags.get(f"{side}_tag", article.language)


def body_sentences(article: Article) -> list[AlignedSentence]:
    """The article's story sentences in order, furniture left out."""
    return [
        AlignedSentence(sentence, block.paragraph)
        for block in article.blocks
        if block.kind != "furniture"
        for sentence in split_sentences(block.text, article.language)
    ]


def _machine_translations(db, translator: Translator, texts: list[str]) -> list[str]:
    """MT of ``texts``, through the database's MT cache when there is one."""
    if db is not None:
        return translate_cached(db, translator, texts)
    return translator.translate(texts)


def align_texts(
    db,
    source_text: str | Article,
    target_text: str | Article,
    *,
    use_mt: bool = True,
    translator: Translator | None = None,
    source_tag: str | None = None,
    target_tag: str | None = None,
    declared: tuple[str | None, str | None] = (None, None),
) -> Alignment:
    """Clean, split and align two texts; MT is used when a model is installed.

    Both directions are used when both models are installed: the source's MT is
    compared with the target and the target's MT with the source.

    Each side's tag is the caller's, else the one its file ``declared`` when it
    fits, else zh-Hant for Traditional Chinese. A side in Traditional Chinese is
    aligned and translated through a Simplified copy, since the dictionary and
    the MT models know Simplified; the pairs keep its text.

    Raises ValueError (AlignmentError included) with a clear message when the
    two sides cannot be aligned: same language, no story text on a side.
    """
    source, target = as_article(source_text), as_article(target_text)
    if source.language == target.language:
        raise ValueError(
            f"both texts are in {source.language}: give an article and its translation"
            " in the other language"
        )
    source_sentences, target_sentences = body_sentences(source), body_sentences(target)
    for name, sentences in (("source", source_sentences), ("translation", target_sentences)):
        if not sentences:
            raise ValueError(f"the {name} has no article text, only page furniture")
    tags = {}
    for side, article, sentences, given, said in (
        ("source", source, source_sentences, source_tag, declared[0]),
        ("target", target, target_sentences, target_tag, declared[1]),
    ):
        tag = language_tag(article.language, "".join(s.text for s in sentences), given, said)
        if tag != article.language:
            tags[f"{side}_tag"] = tag
    tgt_original = [s.text for s in target_sentences]
    src_texts = machine_copy([s.text for s in source_sentences], tags, "source")
    tgt_texts = machine_copy(tgt_original, tags, "target")
    warnings: list[str] = []
    mts: list[str] | None = None
    backward: list[str] | None = None
    model = None
    if use_mt:
        try:
            translator = translator or get_translator(source.language, target.language)
        except ModelNotInstalledError as missing:
            warnings.append(f"aligned without MT: {missing}")
        else:
            mts = _machine_translations(db, translator, src_texts)
            model = translator.model
        # The other direction's model, when installed, adds the backward comparison.
        try:
            back_translator = get_translator(target.language, source.language)
        except ModelNotInstalledError:
            pass
        else:
            backward = _machine_translations(db, back_translator, tgt_texts)
    texts = (src_texts, tgt_texts, source.language, target.language)
    machine = {"translations": mts, "target_translations": backward}
    warnings[:0] = check_alignment_input(*texts, **machine)
    beads = align(*texts, **machine)
    pairs = [
        bead_pair(bead, source_sentences, tgt_original, mts, source.language, target.language)
        for bead in beads
    ]
    fill_paragraphs(pairs)
    return Alignment(source, target, pairs, model, warnings, tags)


def bead_pair(
    bead: Bead,
    source_sentences: list[AlignedSentence],
    target_texts: list[str],
    mts: list[str] | None,
    source_lang: str,
    target_lang: str,
) -> AlignedPair:
    return AlignedPair(
        source=JOINER[source_lang].join(source_sentences[i].text for i in bead.source),
        target=JOINER[target_lang].join(target_texts[j] for j in bead.target),
        mt=JOINER[target_lang].join(mts[i] for i in bead.source) if mts else "",
        confidence=round(bead.confidence, 4),
        source_ids=bead.source,
        target_ids=bead.target,
        paragraph=source_sentences[bead.source[0]].paragraph if bead.source else -1,
    )


def fill_paragraphs(pairs: list[AlignedPair]) -> None:
    """A 0-1 bead belongs to the paragraph of the bead before it."""
    previous = 0
    for pair in pairs:
        if pair.paragraph < 0:
            pair.paragraph = previous
        previous = pair.paragraph
