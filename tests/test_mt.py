"""tools/mt: Portuguese readers, segmentation, caches, output checks, decoding variants and
corpus assembly, on tiny fixtures written here (no real model is loaded)."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools import corpus_common as cc
from tools.mt import cache, corpus, decodings, engine, paragraph, portuguese, pt2en, twohop
from tools.mt.generators import GENERATORS
from tools.mt.select import by_quota, scaled

# Our own Portuguese sentences in MAC-MORPHO's format (one word_TAG a line).
MM_SAMPLE = """\
A_ART
chuva_N
chegou_V
em_PREP|+
a_ART
cidade_N
de_PREP|+
o_ART
interior_N
._.
"_"
Tornou_V|+
se_PROPESS
difícil_ADJ
sair_V
"_"
,_,
disse_V
o_ART
prefeito_N
(_(
PSDB_NPROP
)_)
._.
a_PREP|+
partir_PREP|+
de_PREP|+
o_ART
dia_N
5_NUM
,_,
os_ART
ônibus_N
vão_VAUX
a_PREP|+
as_ART
escolas_N
por_PREP|+
os_ART
bairros_N
._.
"""


def _write(path: Path, text: str, encoding: str = portuguese.ENCODING) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_mac_morpho_detokenisation(tmp_path):
    (sents,) = portuguese.read_mac_morpho(_write(tmp_path / "xx94ab01.txt", MM_SAMPLE))
    assert sents == [
        "A chuva chegou na cidade do interior.",
        '"Tornou-se difícil sair", disse o prefeito (PSDB).',
        "A partir do dia 5, os ônibus vão às escolas pelos bairros.",
    ]


def test_contractions_keep_case_and_leave_other_pairs_apart():
    assert portuguese.mm_words([("Em", "PREP|+"), ("este", "PROADJ")]) == ["Neste"]
    assert portuguese.mm_words([("De", "PREP|+"), ("aí", "ADV")]) == ["Daí"]
    assert portuguese.mm_words([("com", "PREP|+"), ("relação", "PREP|+"), ("a", "PREP")]) == [
        "com",
        "relação",
        "a",
    ]


def test_floresta_keeps_cetempublico_sentences_and_drops_titles(tmp_path):
    text = (
        "#1 CP1-1 Um título sem ponto\n(UTT+np (H+n título))\n\n"
        "#2 CP1-2 A câmara aprovou o plano.\n(STA+fcl (P+v-fin aprovou))\n\n"
        "#3 CP1-3 O vereador disse: «Não há dinheiro».\n\n"
        "#4 CF1-1 Uma frase brasileira.\n\n"
        "#5 CP2-1 Outra notícia, outro dia.\n"
    )
    path = _write(tmp_path / portuguese.FL_FILE, text)
    assert portuguese.read_floresta(path) == [
        ("CP1", ["A câmara aprovou o plano.", "O vereador disse: «Não há dinheiro»."]),
        ("CP2", ["Outra notícia, outro dia."]),
    ]
    (doc,) = portuguese.load_floresta(tmp_path, seed=1)
    assert doc.breaks == ["\n\n", " ", "\n\n"]  # an extract is a paragraph
    assert cc.Passage(doc, 0, 3, "x").text.count("\n\n") == 1


def test_mac_morpho_documents_split_by_file(tmp_path, monkeypatch):
    monkeypatch.setattr(portuguese, "MM_SENTS_PER_DOC", 2)
    sentence = "O_ART {w}_N chegou_V ._.\n"
    for f in range(8):
        body = "".join(sentence.format(w=f"carro{f}x{i}") for i in range(5))
        _write(tmp_path / portuguese.MM_DIR / f"se94ab{f:02d}.txt", body.replace(" ", "\n"))
    # A sentence repeated in a later file is kept once.
    _write(tmp_path / portuguese.MM_DIR / "se94zz.txt", "O_ART\ncarro0x0_N\nchegou_V\n._.\n")
    docs = portuguese.load_mac_morpho(tmp_path, seed=3)
    assert [len(d.units) for d in docs if d.meta["file"] == "se94ab00.txt"] == [2, 2, 1]
    assert not any(d.meta["file"] == "se94zz.txt" for d in docs)
    for f in {d.meta["file"] for d in docs}:
        assert len({d.split for d in docs if d.meta["file"] == f}) == 1
    assert {d.split for d in docs} == {"train", "valid", "test"}


def test_cache_resumes_and_skips_torn_lines(tmp_path):
    path = tmp_path / "mt-x.jsonl"
    calls = []

    def work(x: str) -> dict:
        calls.append(x)
        return {"src": x, "out": x.upper(), "ok": x != "bad"}

    c1 = cache.run("x", ["a", "b", "a", "bad"], work, path)
    assert c1 == {"selected": 3, "cached": 0, "done": 3, "rejected": 1}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"key": "torn')  # a run killed mid-line
    c2 = cache.run("x", ["a", "b", "c"], work, path)
    assert calls == ["a", "b", "bad", "c"] and c2["cached"] == 2 and c2["done"] == 1
    assert cache.load(path)[cc.sha1("c")]["out"] == "C"
    assert cache.run("x", ["d"], work, path, deadline=0.0)["done"] == 0
    assert "to do 1" in path.with_suffix(".log").read_text()


def test_loops_and_lost_text_are_rejected():
    assert engine.check("The farmers sold their cattle.", "The the the the farmers.") == "loop"
    two = "It rained all day. We stayed in."
    assert engine.check(two, "It rained all day long.", strict=True) == "dropped-sentence"
    assert engine.check(two, "It rained all day long.") is None
    assert engine.check(two, "It rained all day.We stayed home.", strict=True) is None
    assert engine.unglue("in 3.5 hours.But U.S. forces (here).Then") == (
        "in 3.5 hours. But U.S. forces (here). Then"
    )
    long_src = "word " * 30 + "end."
    assert engine.lost_text(long_src, "word " * 15 + "end.") == "truncated"
    assert engine.check("It rained. We stayed in.", "It rained. We stayed.", strict=True) is None


class FakeDirection:
    """Stands in for a native direction: a dict of translations."""

    def __init__(self, table: dict[str, str]):
        self.table = table

    def translate(self, text: str) -> str:
        return self.table[text]


def test_two_hop_round_trips_the_first_hop_and_checks_against_the_original():
    en_pt = FakeDirection({"The mayor came.": "O prefeito veio.", "The mayor has come.": "x x x x"})
    pt_en = FakeDirection({"O prefeito veio.": "The mayor has come."})
    first = {"ok": True, "back": "The mayor came."}
    rec = twohop.second_hop("The mayor arrived.", first, en_pt, pt_en)
    assert rec["ok"] and rec["hop1"] == "The mayor came." and rec["back"] == "The mayor has come."
    rec = twohop.second_hop(
        "The mayor arrived.", {"ok": True, "back": "The mayor has come."}, en_pt, pt_en
    )
    assert not rec["ok"] and rec["reason"] == "hop2-pt-loop"
    assert twohop.second_hop("x", {"ok": False, "reason": "back-long"}, en_pt, pt_en)["reason"] == (
        "hop1-back-long"
    )


def test_pt2en_translates_each_sentence_of_a_unit():
    pt_en = FakeDirection(
        {"Qual o segredo?": "What is the secret?", "A colocação.": "The placement."}
    )
    rec = pt2en.translate_unit(pt_en, "Qual o segredo? A colocação.")
    assert rec["ok"] and rec["en"] == "What is the secret? The placement."
    pt_en.table["A colocação."] = "The the the the placement."
    assert pt2en.translate_unit(pt_en, "Qual o segredo? A colocação.")["reason"] == "loop"


def test_a_paragraph_chunk_that_loses_a_sentence_is_retried_in_halves():
    two = "The bridge reopened on Monday. Traffic was light."
    en_pt = FakeDirection(
        {
            two: "A ponte reabriu na segunda-feira.",  # the second sentence is lost
            "The bridge reopened on Monday.": "A ponte reabriu na segunda-feira.",
            "Traffic was light.": "O trânsito estava leve.",
        }
    )
    pt_en = FakeDirection(
        {
            "A ponte reabriu na segunda-feira.": "The bridge reopened on Monday.",
            "O trânsito estava leve.": "The traffic was light.",
        }
    )
    rec = paragraph.roundtrip_chunk(two, en_pt, pt_en)
    assert rec["ok"] and rec["parts"] == 2
    assert rec["back"] == "The bridge reopened on Monday. The traffic was light."


def _fake_model(folder: Path, first_num: int = 50) -> Path:
    folder.mkdir(parents=True)
    offsets = struct.pack("<3Q", 0, 2, 3)
    lists = struct.pack("<3I", 7, 9, 4)
    header = struct.pack("<6Q", decodings.SHORTLIST_MAGIC, 1, first_num, 2, 3, 3)
    (folder / "lex.2.2.xxyy.s2t.bin").write_bytes(header + offsets + lists)
    (folder / "config.intgemm8bitalpha.yml").write_text(
        "models:\n  - model.bin\nshortlist:\n    - lex.2.2.xxyy.s2t.bin\n    - false\n"
        "beam-size: 1\n"
    )
    (folder / "model.xxyy.intgemm.alphas.bin").write_bytes(b"weights")
    return folder


def test_decoding_variants_write_their_folders(tmp_path):
    src = _fake_model(tmp_path / "pkg" / "xxyy-1")
    wide = decodings.write_variant(decodings.DECODINGS["ft-wide"], src, tmp_path / "out")
    lex = (wide / "lex.2.2.xxyy.s2t.bin").read_bytes()
    assert decodings.shortlist_header(lex)[2] == 2000
    assert lex[48:] == (src / "lex.2.2.xxyy.s2t.bin").read_bytes()[48:]
    assert (wide / "model.xxyy.intgemm.alphas.bin").is_symlink()
    nolex = decodings.write_variant(decodings.DECODINGS["ft-noshortlist"], src, tmp_path / "out")
    assert not list(nolex.glob("lex.*"))
    cfg = (nolex / "config.intgemm8bitalpha.yml").read_text()
    assert "shortlist: false" in cfg and "lex.2.2" not in cfg and "beam-size: 1" in cfg
    # Rewriting over an existing variant folder works (a rerun).
    decodings.write_variant(decodings.DECODINGS["ft-wide"], src, tmp_path / "out")
    with pytest.raises(ValueError):
        decodings.shortlist_header(b"\0" * 48)


def _doc(units: list[str], breaks: list[str], split: str = "test") -> cc.Doc:
    return cc.Doc(
        "brown", "brown:zz01", units, breaks, "corpora/brown/zz01", {"genre": "zz"}, split=split
    )


def test_paragraph_chunks_stay_inside_paragraphs_and_under_the_limit():
    units = ["One two three.", "Four five six seven.", "Eight nine.", "Ten eleven twelve."]
    p = cc.Passage(_doc(units, ["\n\n", " ", "\n\n", " "]), 0, 4, "w50-150")
    assert paragraph.passage_chunks(p) == [
        ["One two three. Four five six seven."],
        ["Eight nine. Ten eleven twelve."],
    ]
    # A sentence that would take a chunk past the limit starts the next one.
    assert paragraph.chunks(units, limit=6) == [
        "One two three.",
        "Four five six seven. Eight nine.",
        "Ten eleven twelve.",
    ]
    found = {
        cc.sha1(c): {"ok": True, "back": c.upper()}
        for cs in paragraph.passage_chunks(p)
        for c in cs
    }
    assert paragraph.text(p, found) == (
        "ONE TWO THREE. FOUR FIVE SIX SEVEN.\n\nEIGHT NINE. TEN ELEVEN TWELVE."
    )
    found[cc.sha1("Eight nine. Ten eleven twelve.")]["ok"] = False
    assert paragraph.text(p, found) is None


def test_quota_selection_is_a_prefix_and_covers_splits():
    docs = [_doc([f"s{i}."], [" "], split) for i, split in enumerate(["train"] * 6 + ["test"] * 4)]
    for i, d in enumerate(docs):
        d.doc_id = f"d{i}"
    ps = [cc.Passage(d, 0, 1, "s1-3") for d in docs]
    big = by_quota(ps, 1, "x", {"train": 4, "test": 2})
    small = by_quota(ps, 1, "x", scaled({"train": 4, "test": 2}, 0.5))
    assert [p.pid for p in small] == [p.pid for p in big if p.pid in {q.pid for q in small}]
    assert len(small) == 3 and {p.doc.split for p in small} == {"train", "test"}


def test_round_trip_generator_records_join_their_originals_group():
    units = ["The river rose.", "Roads closed."]
    p = cc.Passage(_doc(units, [" ", " "]), 0, 2, "s1-3")
    plan = SimpleNamespace(passages={p.pid: p}, roundtrip={p.pid: "The river went up. Roads shut."})
    found = {cc.sha1(u): {"ok": True, "back": u.replace("rose", "climbed")} for u in units}
    stats = corpus.collections.Counter()
    (rec,) = corpus.roundtrip_records(plan, GENERATORS["rt:ft-twohop"], found, stats)
    assert rec["group"] == p.pid and rec["split"] == "test" and rec["subset"] == "roundtrip"
    assert rec["text"] == "The river climbed. Roads closed."
    assert rec["meta"]["generator"] == "rt:ft-twohop" and rec["meta"]["engine"]["hops"] == 2
    assert corpus.counts_by_generator([rec]) == {"rt:ft-twohop": {"test": 1}}
    plan.roundtrip[p.pid] = rec["text"]  # the same words as the greedy round trip: left out
    assert corpus.roundtrip_records(plan, GENERATORS["rt:ft-twohop"], found, stats) == []
    assert stats["same_as_greedy"] == 1
    json.dumps(rec)  # records are plain JSON
