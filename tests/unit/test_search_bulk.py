"""A rebuild's in-memory writer writes the very segment Whoosh's own writer writes.

``BulkWriter`` replaces only how postings are gathered and sorted, so the
segment files must match Whoosh's byte for byte: same terms, postings,
weights, positions, block bounds (which ranking's block skipping reads)
and columns. Only the table of contents differs, by its random segment name.
"""

from __future__ import annotations

import hashlib
import random

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from community.search import analysis
from community.search.bulk import BulkWriter
from community.search.engine import Document, Engine, schema

WORDS = ("de het een heftruck heftruckcertificaat veiligheidsschoenen werken gewerkt kassa systeem van "
         "training trainingen vraag vragen kastje collega's creëren zwaartepunt").split()


def _documents(count: int) -> list[Document]:
    rng = random.Random(7)
    docs = []
    for n in range(count):
        # Bodies of 0 to 400 words: empty fields, and terms with more than one block of postings.
        body = " ".join(rng.choice(WORDS) for _ in range(rng.choice((0, 3, 40, 400))))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        docs.append(Document(uid=f"post:{n}", type=rng.choice(("post", "thread")), community_id=n % 5,
                             author=f"u{n % 11}", tags=rng.sample(["veiligheid", "kassa", "vorken"], n % 3),
                             created_minutes=n, boost=1 + n % 4 / 10, title=analysis.index_terms(title),
                             body=analysis.index_terms(body)))
    return docs


def _segment_files(folder, writer_class, docs) -> dict[str, str]:
    index = FileStorage(str(folder)).create_index(schema())
    writer = writer_class(index, compound=False)  # separate files, to compare each
    for doc in docs:
        writer.add_document(**Engine._fields(doc))
    writer.commit()
    index.close()
    files = {}
    for path in folder.iterdir():
        if path.suffix not in (".toc", ""):  # named without the random segment name
            files[path.name.split(".", 1)[1]] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def test_the_bulk_writer_writes_the_same_segment_files_as_whoosh(tmp_path):
    docs = _documents(1500)
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "bulk").mkdir()
    theirs = _segment_files(tmp_path / "whoosh", SegmentWriter, docs)
    ours = _segment_files(tmp_path / "bulk", BulkWriter, docs)
    assert {"trm", "pst", "_body_len.col"} < set(theirs)
    assert ours == theirs


def test_a_rebuilt_index_answers_as_one_written_by_small_writes(tmp_path):
    docs = _documents(300)
    bulk = Engine(tmp_path / "bulk")
    name, index = bulk.new_index()
    writer = bulk.bulk_writer(index)
    bulk.add_bulk(writer, docs)
    writer.commit()
    index.close()
    bulk.swap_in(name)
    small = Engine(tmp_path / "small")
    name, index = small.new_index()
    index.close()
    small.swap_in(name)
    small.write_here(docs, [])
    assert bulk.doc_count() == small.doc_count() == len(docs)
    assert bulk.stored_uids() == small.stored_uids()
    for word in ("heftruck", "certificaat", "werken", "kast", "creeren"):
        for key in analysis.word_keys(word).keys:
            for fieldname in ("title", "body"):
                assert bulk.frequency(fieldname, key) == small.frequency(fieldname, key)
    bulk.close()
    small.close()


def test_the_pool_hands_out_its_postings_in_whooshs_order(tmp_path):
    index = FileStorage(str(tmp_path)).create_index(schema())
    writer = BulkWriter(index)
    for doc in _documents(200):
        writer.add_document(**Engine._fields(doc))
    postings = list(writer.pool.iter_postings())
    writer.cancel()
    keys = [(fieldname, btext, docnum) for fieldname, btext, docnum, _weight, _value in postings]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert {"title", "body", "uid", "community"} <= {fieldname for fieldname, *_rest in postings}
