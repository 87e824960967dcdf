"""What the topic model reads in an article's sections, computed when the article is indexed.

For each section: the model's reading of its heading, and, topic by topic, the surest reading of
any one of its sentences ("Bleeding gums or black stools need urgent attention" reads as serious
risks whatever the heading says), as probabilities over the topics a section can answer. One
float32 row per section: the heading's values over ``TOPICS``, then the sentences'.

Reading every sentence of many articles tokenises a lot of text, and the tokenizer keeps much of
the memory it used; so a large batch (a first start with hundreds of articles) is read in a worker
process, and only the rows come back. No discord imports.
"""

from __future__ import annotations

import numpy as np

from bot.knowledge import ranker, topics
from bot.knowledge.cards import flat_sentences

TOPICS = topics.ANSWERABLE  # the topics a section's reading is kept for, in this order
COLUMN = {t: i for i, t in enumerate(TOPICS)}
WIDTH = 2 * len(TOPICS)
MIN_WORDS = 4  # shorter sentences say too little to read a topic from

# (file, [(heading, text) per section], the treatment's names) for each article to read
Batch = list[tuple[str, list[tuple[str, str]], list[str]]]


def read_article(model: topics.TopicModel, sections: list[tuple[str, str]], names: list[str]) -> np.ndarray:
    """One row per section (see the module's docstring); zeros where there is nothing to read."""
    pattern = topics.names_pattern(names)
    texts: list[str] = []
    spans: list[tuple[int, int]] = []  # per section: its heading's row, the end of its sentences
    for heading, text in sections:
        first = len(texts)
        texts.append(topics.normalise(heading, pattern))
        texts.extend(topics.normalise(s, pattern) for s in flat_sentences(text) if len(s.split()) >= MIN_WORDS)
        spans.append((first, len(texts)))
    found = np.zeros((len(sections), WIDTH), dtype=np.float32)
    kept = [t for t in TOPICS if t in model.classes]
    if not texts or not kept:
        return found
    scores = model.scores_many(texts)[:, [model.classes.index(t) for t in kept]]
    # each text's scores as probabilities over the topics a section can answer (as ranker's)
    probabilities = np.exp(ranker.SOFTNESS * (scores - scores.max(axis=1, keepdims=True)))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    heading_columns = [COLUMN[t] for t in kept]
    content_columns = [len(TOPICS) + c for c in heading_columns]
    for position, (heading, end) in enumerate(spans):
        if texts[heading]:
            found[position, heading_columns] = probabilities[heading]
        if end > heading + 1:
            found[position, content_columns] = probabilities[heading + 1 : end].max(axis=0)
    return found


def read_sentences(model: topics.TopicModel, parts: list[str], names: list[str]) -> np.ndarray:
    """The model's reading of each sentence: one row of probabilities over ``TOPICS`` per sentence
    (zeros for one too short to read a topic from)."""
    pattern = topics.names_pattern(names)
    found = np.zeros((len(parts), len(TOPICS)), dtype=np.float32)
    kept = [t for t in TOPICS if t in model.classes]
    readable = [i for i, s in enumerate(parts) if len(s.split()) >= MIN_WORDS]
    if not readable or not kept:
        return found
    scores = model.scores_many([topics.normalise(parts[i], pattern) for i in readable])
    scores = scores[:, [model.classes.index(t) for t in kept]]
    probabilities = np.exp(ranker.SOFTNESS * (scores - scores.max(axis=1, keepdims=True)))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    found[np.ix_(readable, [COLUMN[t] for t in kept])] = probabilities
    return found


def read_batch(batch: Batch) -> dict[str, bytes]:
    """Every article of the batch read with the shipped topic model: file -> its rows' bytes.
    Runs in a worker process or a thread."""
    model = topics.load_model()
    return {file: read_article(model, sections, names).tobytes() for file, sections, names in batch}


def unpack(stored: bytes | None, sections: int) -> np.ndarray:
    """The rows ``read_batch`` gave for an article, or zeros when they are missing or malformed."""
    if isinstance(stored, bytes) and len(stored) == sections * WIDTH * 4:
        return np.frombuffer(stored, dtype=np.float32).reshape(sections, WIDTH)
    return np.zeros((sections, WIDTH), dtype=np.float32)
