"""The index writer of a rebuild: postings kept in memory by term and written in one pass.

Whoosh's own writer puts every posting (one per distinct term of a field
of a document: about 160 for one of our documents, with its lemmas,
compound parts and word pairs) into a pool that pickles sorted runs to
disk whenever it holds ``limitmb`` and merges them back through a heap at
the end, then looks up each posting's field length in the column file it
has just written. Profiled on a 20,000-document rebuild, those three took
about half of the time. Here the postings go into per-term arrays instead
(documents arrive in order, so each term's list is sorted already) and
the field lengths are read once per field. The segment written is the
same, byte for byte (``tests/unit/test_search_bulk.py`` compares them);
memory is about 40 bytes a posting, some 650 MB at 100,000 documents,
held only while the rebuild runs.
"""

from __future__ import annotations

from array import array

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

_DECODED = [0] + [byte_to_length(code) for code in range(1, 256)]  # 0: no length, as Whoosh reads it


class _TermPool:
    """The pool interface ``SegmentWriter.add_document`` feeds, as per-field, per-term arrays."""

    def __init__(self):
        self._fields: dict[str, dict[bytes, tuple[array, array, list]]] = {}

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        if docnum < 0:
            return  # a spelling word; our schema has none, and Whoosh's own writer skips them too
        terms = self._fields.setdefault(fieldname, {})
        postings = terms.get(btext)
        if postings is None:
            postings = terms[btext] = (array("q"), array("d"), [])
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(vbytes or b"")

    def write(self, fieldwriter, schema, lengths) -> None:
        """Hand every posting to ``fieldwriter`` in (field, term, document) order."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            of_doc = lengths(fieldname)
            fieldwriter.start_field(fieldname, schema[fieldname])
            add = fieldwriter.add
            for btext in sorted(terms):
                docs, weights, values = terms[btext]
                fieldwriter.start_term(btext)
                for docnum, weight, value in zip(docs, weights, values, strict=True):
                    add(docnum, weight, value, of_doc[docnum])
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        self._fields.clear()

    def iter_postings(self):
        """Whoosh's pool interface: ``(fieldname, btext, docnum, weight, vbytes)`` in order."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for btext in sorted(terms):
                docs, weights, values = terms[btext]
                for docnum, weight, value in zip(docs, weights, values, strict=True):
                    yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        self._fields.clear()


class BulkWriter(SegmentWriter):
    """A ``SegmentWriter`` for building a new index from scratch in one segment (``Engine.bulk_writer``)."""

    def __init__(self, index, **kwargs):
        super().__init__(index, **kwargs)
        self.pool = _TermPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader()
        try:
            self.pool.write(self.fieldwriter, self.schema, _lengths_of(reader))
        finally:
            reader.close()
        self.fieldwriter.close()


def _lengths_of(reader):
    """``fieldname -> list of each document's length``, each field read once (0s when it is not scorable).

    The values are what ``doc_field_length`` returns: the byte-coded length decoded.
    """
    count = reader.doc_count_all()

    def lengths(fieldname: str) -> list[int]:
        column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return [0] * count
        return [_DECODED[column[docnum]] for docnum in range(count)]

    return lengths
