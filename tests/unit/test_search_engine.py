"""The engine's counting and ranking passes agree with a plain reading of the documents.

Ranking skips blocks that cannot reach the best ``RANK_WINDOW``; the total
is counted apart, so it stays exact however much ranking skipped, and
nothing deleted or replaced is ever counted or returned.
"""

from __future__ import annotations

import random
import threading
import time
from array import array

import pytest
from whoosh.collectors import TopCollector

from community.search import analysis
from community.search import engine as engine_module
from community.search.engine import MERGE_AFTER_SEGMENTS, RANK_WINDOW, Document, Engine, Filters, Phrase, Word


def _doc(n: int, title: str, body: str, *, community: int = 1, type_: str = "post", tags=()) -> Document:
    return Document(uid=f"{type_}:{n}", type=type_, community_id=community, author=f"a{n % 3}", tags=list(tags),
                    created_minutes=n, title=analysis.index_terms(title), body=analysis.index_terms(body))


@pytest.fixture
def engine(tmp_path):
    found = Engine(tmp_path / "search")
    name, index = found.new_index()
    index.close()
    found.swap_in(name)
    found.all_types = {"post", "thread"}
    yield found
    found.close()


def _word(text: str) -> Word:
    keys = analysis.word_keys(text)
    return Word(keys.keys, keys.parts)


def _all_pages(engine, matches, filters, **kwargs) -> list[str]:
    """Every hit, ranked in one window (pages past ``RANK_WINDOW`` are ranked each in their own window)."""
    return [uid for uid, _score in engine.search(matches, filters, offset=0, limit=1000, **kwargs).items]


def test_totals_are_exact_when_ranking_skips_most_documents(engine):
    docs = []
    for n in range(3 * RANK_WINDOW):
        where = n % 3  # kassa in the title, in a long body, or not at all
        title = "kassa" if where == 0 else "rooster"
        body = ("de kassa " + "en verder niets " * (n % 7)) if where == 1 else "het rooster van deze week"
        docs.append(_doc(n, title, body, community=1 + n % 2, type_="post" if n % 5 else "thread",
                         tags=["vers"] if n % 4 == 0 else []))
    for start in range(0, len(docs), 40):  # several segments
        engine.write(docs[start:start + 40], [])

    def expected(keep) -> set[str]:
        return {d.uid for n, d in enumerate(docs) if n % 3 != 2 and keep(n, d)}

    cases = [
        (Filters(types=("post", "thread"), communities=(1,)), lambda n, d: d.community_id == 1),
        (Filters(types=("post", "thread"), communities=None), lambda n, d: True),
        (Filters(types=("thread",), communities=(1, 2)), lambda n, d: d.type == "thread"),
        (Filters(types=("post", "thread"), communities=(2,), tags=("vers",)),
         lambda n, d: d.community_id == 2 and "vers" in d.tags),
        (Filters(types=("post",), communities=(1, 2), authors=("a1",)),
         lambda n, d: d.type == "post" and d.author == "a1"),
    ]
    for filters, keep in cases:
        want = expected(keep)
        assert engine.search([_word("kassa")], filters, offset=0, limit=10).total == len(want), filters
        uids = _all_pages(engine, [_word("kassa")], filters)
        assert len(uids) == len(set(uids)) and set(uids) == want, filters


def test_ranking_skips_only_documents_that_could_not_enter_the_window(engine, monkeypatch):
    """Block-max skipping keeps exactly the documents, with exactly the scores, that scoring every match keeps.

    Over 5,200 documents in one rebuilt segment (more than 5,000: Whoosh then
    builds unions the way a real index gets them) and a small live one,
    with words in titles and bodies, compound parts, phrases and filters.
    """
    rng = random.Random(51)
    words = ["kassa", "scanner", "rooster", "heftruck", "open", "de", "van", "staat", "certificaat"]

    def text(most: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, most)))

    docs = [_doc(n, text(3) + (" heftruckcertificaat" if n % 13 == 0 else ""), text(40), community=1 + n % 3,
                 type_="thread" if n % 7 == 0 else "post", tags=["vers"] if n % 5 == 0 else [])
            for n in range(5400)]
    name, index = engine.new_index()
    writer = engine.bulk_writer(index)
    engine.add_bulk(writer, docs[:5200])
    writer.commit()
    index.close()
    engine.swap_in(name)
    engine.write(docs[5200:], [])

    checked, scored = [], []
    top_scored, score, run = engine_module._top_scored, engine_module._Within.score, engine_module._run

    def counted(self):
        scored[-1] += 1
        return score(self)

    def counted_run(top):
        found = run(top)
        scored[-1] += 0 if found is None else len(found[1])
        return found

    def compared(searcher, query, limit):
        scored.append(0)
        got = top_scored(searcher, query, limit)
        times = scored[-1]
        every = TopCollector(limit=limit, usequality=False)
        searcher.search_with_collector(query, every)
        checked.append((sorted(got), sorted((hit.score, hit.docnum) for hit in every.results()), times))
        return got

    monkeypatch.setattr(engine_module, "_top_scored", compared)
    monkeypatch.setattr(engine_module._Within, "score", counted)
    monkeypatch.setattr(engine_module, "_run", counted_run)
    everyone = Filters(types=("post", "thread"), communities=None)
    cases = [([_word("kassa")], everyone), ([_word("heftruckcertificaat")], everyone),
             ([_word("kassa"), _word("scanner")], everyone),
             ([_word("rooster")], Filters(types=("post",), communities=(1, 2), tags=("vers",))),
             ([Phrase(tuple(analysis.phrase_terms(["de", "kassa"])))], everyone),
             ([_word("open"), Phrase(tuple(analysis.phrase_terms(["kassa", "staat"])))], everyone)]
    for matches, filters in cases:
        total = engine.search(matches, filters, offset=0, limit=10).total
        got, want, _times = checked[-1]
        assert got == want, matches
        assert total > 2 * RANK_WINDOW, matches
    assert 0 < checked[0][2] < engine.search([_word("kassa")], everyone, offset=0, limit=10).total
    assert all(times > 0 for _got, _want, times in checked)


def test_a_write_keeps_the_decoded_blocks_of_the_segments_it_did_not_change(engine, monkeypatch):
    """Every write opens a new searcher over new file objects; the unchanged segments' blocks stay decoded."""
    engine.write([_doc(n, "kassa", "kassa scanner " * (n % 5 + 1)) for n in range(3000)], [])
    decoded = []
    whoosh_read = engine_module._read_ids
    monkeypatch.setattr(engine_module, "_read_ids",
                        lambda matcher: decoded.append(matcher._postfile._name) or whoosh_read(matcher))
    everyone = Filters(types=("post",), communities=None)
    first = engine.search([_word("kassa")], everyone, offset=0, limit=10)
    old = set(decoded)
    engine.write([_doc(5000, "rooster", "rooster")], [])
    decoded.clear()
    again = engine.search([_word("kassa")], everyone, offset=0, limit=10)
    assert old and not old & set(decoded)
    assert (again.total, [uid for uid, _ in again.items]) == (first.total, [uid for uid, _ in first.items])


def test_kept_blocks_stay_under_their_cap_dropping_the_file_used_longest_ago():
    kept = engine_module._KeptBlocks(cap=300)

    class File:
        def __init__(self, name):
            self._name = name

    old, hot, new = File("a.pst"), File("b.pst"), File("c.pst")
    block = (array("I", range(100)), [1.0] * 100)
    kept.put(old, 0, block)
    kept.put(hot, 0, block)
    kept.put(hot, 8, block)
    assert kept.get(old, 0) is block
    kept.get(hot, 0)
    kept.put(new, 0, block)
    assert kept.postings <= 300 and kept.get(old, 0) is None and kept.get(hot, 8) is block
    for offset in range(10):
        kept.put(new, offset, block)
    assert kept.postings <= 300 and kept.get(new, 9) is block


def test_kept_field_lengths_are_whooshs_for_every_document_also_without_the_field(engine):
    """Scoring reads field lengths from a list decoded once per segment; it must say what Whoosh says."""
    engine.write([_doc(n, "kassa " * (n % 7) if n % 3 else "", "scanner " * (n % 40)) for n in range(600)], [])
    with engine._searching() as searcher:
        checked = 0
        for sub, _offset in searcher.leaf_searchers():
            reader = sub.reader()
            for fieldname in ("title", "body"):
                lengths = engine_module._field_lengths(reader, fieldname)
                if lengths is None:
                    continue
                assert [lengths[d] for d in range(reader.doc_count_all())] == \
                    [reader.doc_field_length(d, fieldname, 1) for d in range(reader.doc_count_all())]
                checked += 1
        assert checked >= 2


def test_a_words_kept_documents_are_its_segments_and_deletions_still_drop_out(engine):
    """A word's documents are kept per segment; a later deletion in that segment still takes it out."""
    engine.write([_doc(n, "", "heftruckcertificaat" if n % 2 else "heftruck") for n in range(400)], [])
    everyone = Filters(types=("post",), communities=None)
    for _ in range(2):
        assert engine.search([_word("heftruckcertificaat")], everyone, offset=0, limit=5).total == 200
    engine.write([], ["post:1", "post:3"])
    assert engine.search([_word("heftruckcertificaat")], everyone, offset=0, limit=5).total == 198
    assert engine.search([_word("certificaat")], everyone, offset=0, limit=5).total == 198


def test_a_rebuild_in_shard_processes_finds_what_one_process_finds(tmp_path, monkeypatch):
    """Two shard processes each write a segment; the index they make answers as the one-process build."""
    rng = random.Random(3)
    words = ["kassa", "scanner", "rooster", "heftruck", "open", "de", "van", "staat"]
    docs = [_doc(n, " ".join(rng.choice(words) for _ in range(3)), " ".join(rng.choice(words) for _ in range(30)),
                 community=1 + n % 2) for n in range(1200)]
    monkeypatch.setattr(engine_module, "SHARD_FROM", 0)
    answers = []
    for processes in (1, 2):
        engine = Engine(tmp_path / f"index-{processes}")
        name, index = engine.new_index()
        rebuilder = engine.rebuilder(index, len(docs), processes)
        assert isinstance(rebuilder, engine_module._Shards) == (processes > 1)
        for start in range(0, len(docs), 100):
            rebuilder.add(docs[start:start + 100])
        rebuilder.commit()
        engine.sealed(index)
        index.close()
        engine.swap_in(name)
        assert engine.verify() == len(docs)
        assert not list((tmp_path / f"index-{processes}" / name).glob("shard-*"))
        filters = Filters(types=("post",), communities=(1,))
        queries = ([_word("kassa")], [_word("kassa"), _word("open")],
                   [Phrase(tuple(analysis.phrase_terms(["de", "kassa"])))])
        found = [engine.search(matches, filters, offset=0, limit=1000) for matches in queries]
        answers.append([(hits.total, sorted(uid for uid, _score in hits.items)) for hits in found])
        engine.close()
    assert answers[0] == answers[1]
    assert all(total > 0 for total, _uids in answers[0])


def test_a_shard_that_fails_fails_the_rebuild_and_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "SHARD_FROM", 0)
    engine = Engine(tmp_path / "index")
    name, index = engine.new_index()
    rebuilder = engine.rebuilder(index, 10, 2)
    rebuilder.add([_doc(1, "kassa", "kassa")])
    rebuilder.processes[1][1].kill()
    with pytest.raises(RuntimeError, match="shard failed"):
        rebuilder.commit()
    assert not list((tmp_path / "index" / name).glob("shard-*"))
    index.close()


def test_a_write_reopens_only_the_segments_it_changed_and_old_words_stop_matching(engine):
    engine.write([_doc(n, "", "kassa open") for n in range(50)], [])
    engine.write([_doc(n, "", "rooster") for n in range(50, 100)], [])
    everyone = Filters(types=("post",), communities=None)

    def readers():
        with engine._searching() as searcher:
            return {reader.segment().segment_id(): reader for reader, _offset in searcher.reader().leaf_readers()}

    before = readers()
    engine.write([_doc(3, "", "scanner stuk")], [])  # an edit: a new segment, a deletion in the first
    after = readers()
    changed = {segment for segment in before if after.get(segment) is not before[segment]}
    assert len(after) == len(before) + 1 and len(changed) == 1
    assert engine.search([_word("kassa")], everyone, offset=0, limit=100).total == 49
    assert [uid for uid, _ in engine.search([_word("scanner")], everyone, offset=0, limit=5).items] == ["post:3"]
    engine.write([], ["post:60"])
    assert engine.search([_word("rooster")], everyone, offset=0, limit=100).total == 49
    assert readers()[next(iter(changed))] is after[next(iter(changed))]


def test_a_rebuilds_replay_replaces_documents_of_the_new_index_not_of_the_live_one(engine):
    """The journal's edits go into the index being built: the live searcher's numbers mean nothing there."""
    engine.write([_doc(n, "", "rooster") for n in range(30)], [])  # live: post:0..29 at docnums 1..30
    name, index = engine.new_index()
    rebuilder = engine.rebuilder(index, 30, 1)
    rebuilder.add([_doc(n, "", "kassa") for n in reversed(range(30))])  # other numbers in the new index
    rebuilder.commit()
    everyone = Filters(types=("post",), communities=None)
    assert engine.search([_word("rooster")], everyone, offset=0, limit=5).total == 30  # the live searcher, fresh
    engine.apply_to(index, [_doc(5, "", "scanner")], ["post:7"])
    engine.sealed(index)
    index.close()
    engine.swap_in(name)
    assert engine.search([_word("kassa")], everyone, offset=0, limit=100).total == 28
    assert [uid for uid, _ in engine.search([_word("scanner")], everyone, offset=0, limit=5).items] == ["post:5"]
    kassa = {uid for uid, _ in engine.search([_word("kassa")], everyone, offset=0, limit=100).items}
    assert "post:5" not in kassa and "post:7" not in kassa


def test_any_of_counts_every_document_with_one_of_the_words(engine):
    docs = [_doc(n, "", ["kassa open", "scanner stuk", "kassa en scanner", "rooster"][n % 4]) for n in range(400)]
    engine.write(docs, [])
    found = engine.search([_word("kassa"), _word("scanner")], Filters(types=("post",), communities=(1,)),
                          offset=0, limit=5, any_of=True)
    assert found.total == 300
    assert found.items[0][0] in {d.uid for n, d in enumerate(docs) if n % 4 == 2}  # both words first


def _holds(text: str, words: list[str]) -> bool:
    tokens = analysis.query_words(text)
    return any(tokens[i:i + len(words)] == words for i in range(len(tokens)))


@pytest.mark.parametrize("words", [["kassa", "staat"], ["kassa", "staat", "open"], ["de", "kassa"],
                                   ["staat", "de", "kassa", "open"]])
def test_a_phrase_is_counted_and_ranked_only_where_its_words_stand_together(engine, words):
    bodies = ["de kassa staat open", "de open kassa staat", "staat de kassa open", "kassa open staat de"]
    titles = ["", "kassa staat", "de kassa"]
    docs = [_doc(n, titles[n % 3], bodies[n % 4]) for n in range(300)]
    engine.write(docs[:150], [])
    engine.write(docs[150:], [])
    want = {d.uid for n, d in enumerate(docs) if _holds(titles[n % 3], words) or _holds(bodies[n % 4], words)}
    phrase = Phrase(tuple(analysis.phrase_terms(words)))
    filters = Filters(types=("post",), communities=(1,))
    assert engine.search([phrase], filters, offset=0, limit=10).total == len(want)
    found = _all_pages(engine, [phrase], filters)
    assert set(found) == want and len(found) == len(want)


def test_a_phrase_is_found_at_any_position_of_a_long_text(engine):
    """Positions past the first thousand words, words repeated around the phrase, against a plain reading."""
    rng = random.Random(7)
    vocabulary = ["kassa", "staat", "open", "de", "van", "scanner", "rooster"]
    bodies = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 3000))) for _ in range(120)]
    engine.write([_doc(n, "", body) for n, body in enumerate(bodies)], [])
    filters = Filters(types=("post",), communities=(1,))
    for words in (["kassa", "staat", "open"], ["de", "van", "de"], ["rooster", "scanner", "kassa", "de"]):
        want = {f"post:{n}" for n, body in enumerate(bodies) if _holds(body, words)}
        phrase = Phrase(tuple(analysis.phrase_terms(words)))
        assert engine.search([phrase], filters, offset=0, limit=10).total == len(want), words
        assert set(_all_pages(engine, [phrase], filters)) == want, words


def test_replaced_and_deleted_documents_are_never_counted_or_returned(engine):
    engine.write([_doc(n, "", "de kassa " * (1 + n % 5)) for n in range(300)], [])
    engine.write([_doc(n, "", "de scanner") for n in range(0, 300, 2)], [f"post:{n}" for n in range(1, 60, 2)])
    filters = Filters(types=("post",), communities=(1,))
    want = {f"post:{n}" for n in range(61, 300, 2)}
    assert engine.search([_word("kassa")], filters, offset=0, limit=10).total == len(want)
    uids = _all_pages(engine, [_word("kassa")], filters)
    assert len(uids) == len(set(uids)) and set(uids) == want


def test_small_segments_are_merged_in_the_background_with_nothing_lost(engine):
    for n in range(3 * MERGE_AFTER_SEGMENTS):
        engine.write([_doc(n, "", f"kassa nummer{n}")], [])
    for thread in threading.enumerate():
        if thread.name == "search-merge":
            thread.join(30)
    with engine._lock:
        segments = len(engine._open()._segments())
    assert segments <= MERGE_AFTER_SEGMENTS + 1
    assert engine.verify() == 3 * MERGE_AFTER_SEGMENTS
    assert engine.search([_word("kassa")], Filters(types=("post",), communities=(1,)), offset=0,
                         limit=5).total == 3 * MERGE_AFTER_SEGMENTS


def _total(engine, word: str) -> int:
    return engine.search([_word(word)], Filters(types=("post",), communities=None), offset=0, limit=10).total


def _segments(engine) -> int:
    from whoosh import index as whoosh_index

    return len(whoosh_index.open_dir(str(engine.folder / engine._current_name()))._segments())


def test_the_writer_process_writes_merges_and_comes_back_after_it_died(engine):
    """What a gevent server does: every write goes through a child process; the index holds each one."""
    from community.search.engine import SearchUnavailable, _WriterProcess

    writer = _WriterProcess(engine.folder)
    try:
        for n in range(MERGE_AFTER_SEGMENTS + 3):  # enough segments for a merge in the child
            writer.call([_doc(n, "kassa", f"bericht {n}")], [])
        assert _total(engine, "kassa") == MERGE_AFTER_SEGMENTS + 3
        deadline = time.monotonic() + 30
        while _segments(engine) > MERGE_AFTER_SEGMENTS and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _segments(engine) <= MERGE_AFTER_SEGMENTS  # merged in the child, in the background
        writer.process.kill()
        writer.process.wait()
        writer.call([], ["post:0"])  # a new child takes over
        assert _total(engine, "kassa") == MERGE_AFTER_SEGMENTS + 2
        (engine.folder / "CURRENT").write_text("index-gone")
        with pytest.raises(SearchUnavailable):
            writer.call([_doc(99, "kassa", "weg")], [])
    finally:
        if writer.process is not None:
            writer.process.stdin.close()
            writer.process.wait(timeout=30)
