"""Tests for search.analytics.metrics and search.analytics.evaluation, and the `search eval` command."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from search.analytics import evaluation, metrics
from search.cli import main
from search.config import Settings
from search.errors import CorpusError
from search.index.indexer import build
from search.ingest.entities import Mention
from search.query.searcher import Searcher

SHARED = Path(__file__).resolve().parents[3] / "shared"
IR = SHARED / "corpora" / "ir"
IR_MISSING = "../shared/corpora/ir not present (a fresh clone has no ../shared)"


# -- metrics, on examples worked by hand ---------------------------------------------------


def test_ndcg_uses_linear_graded_gains_and_a_log2_discount() -> None:
    qrels = {"a": 2, "b": 1, "c": 0}
    # DCG = 1/log2(2) + 2/log2(3); the ideal order b-before-a inverted: 2/1 + 1/log2(3)
    got = metrics.ndcg(["b", "a", "c"], qrels, 10)
    assert got == pytest.approx((1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))
    assert metrics.ndcg(["a", "b"], qrels, 10) == pytest.approx(1.0)
    assert metrics.ndcg(["c", "x"], qrels, 10) == 0.0


def test_ndcg_cuts_at_k_but_the_ideal_counts_every_relevant_document() -> None:
    qrels = {"a": 1, "b": 1}
    # only a is within k=1; the ideal DCG@1 is 1: a perfect first place
    assert metrics.ndcg(["a", "b"], qrels, 1) == 1.0
    assert metrics.ndcg(["x", "a"], qrels, 1) == 0.0
    # k=2: 1/log2(3) found, 1 + 1/log2(3) possible
    assert metrics.ndcg(["x", "a"], qrels, 2) == pytest.approx(
        (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    )


def test_recall_counts_relevant_documents_found_within_k() -> None:
    qrels = {"a": 1, "b": 3, "c": 0, "d": 1}
    assert metrics.recall(["a", "c", "x", "b"], qrels, 100) == pytest.approx(2 / 3)
    assert metrics.recall(["a", "c", "x", "b"], qrels, 2) == pytest.approx(1 / 3)
    assert metrics.recall([], qrels, 100) == 0.0


def test_average_precision_divides_by_every_relevant_document() -> None:
    qrels = {"a": 1, "b": 1, "c": 1}
    # a at 1 (1/1), b at 3 (2/3), c never found: (1 + 2/3) / 3
    assert metrics.average_precision(["a", "x", "b"], qrels) == pytest.approx(5 / 9)
    assert metrics.average_precision(["x"], qrels) == 0.0


def test_reciprocal_rank_stops_at_k() -> None:
    qrels = {"r": 1, "n": 0}
    assert metrics.reciprocal_rank(["n", "x", "r"], qrels, 10) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["n", "x", "r"], qrels, 2) == 0.0


def test_a_query_without_relevant_documents_scores_zero() -> None:
    qrels = {"a": 0}
    for name, fn in metrics.MEASURES.items():
        assert fn(["a"], qrels) == 0.0, name


def test_score_run_gives_missing_queries_zero_and_mean_averages() -> None:
    per_query = metrics.score_run({"1": ["a"]}, {"1": {"a": 1}, "2": {"b": 1}})
    assert per_query["2"] == {name: 0.0 for name in metrics.MEASURES}
    assert metrics.mean(per_query) == {name: 0.5 for name in metrics.MEASURES}


# -- a tiny collection ---------------------------------------------------------------------

DOCS = [
    {"_id": "d1", "title": "Apple pie", "text": "An apple pie recipe with apples."},
    {"_id": "d2", "title": "Banana bread", "text": "A banana bread recipe."},
    {"_id": "d3", "title": "Cherry tart", "text": "A cherry tart."},
    {"_id": "d4", "title": "Plum jam", "text": "Plums boiled with sugar."},
    {"_id": "d5", "title": "Orchard notes", "text": "A cherry tree in the orchard."},
]
QUERIES = [
    # syntax a user might type in a question: it must be read as plain words (only "apple")
    {"_id": "q1", "text": 'What "is" AND (this): apple?'},
    # both words only in d3, which is judged not relevant; d5 has one of them
    {"_id": "q2", "text": '(cherry) OR tart: "cherry"'},
    {"_id": "q3", "text": "unjudged plum"},
]
QRELS = "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td3\t1\nq2\td3\t0\nq2\td5\t1\n"
# q1 ranks [d1]: nDCG@10 = 2 / (2 + 1/log2(3)), Recall@100 = 1/2, AP = 1/2, RR = 1
# q2 ranks [d3, d5]: nDCG@10 = (1/log2(3)) / 1, Recall@100 = 1, AP = (1/2) / 1, RR = 1/2
Q1 = {
    "nDCG@10": 2 / (2 + 1 / math.log2(3)),
    "Recall@100": 0.5,
    "MAP": 0.5,
    "MRR@10": 1.0,
}
Q2 = {"nDCG@10": 1 / math.log2(3), "Recall@100": 1.0, "MAP": 0.5, "MRR@10": 0.5}
MEANS = {name: (Q1[name] + Q2[name]) / 2 for name in Q1}


def write_collection(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(d) for d in DOCS]
    (root / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [json.dumps(q) for q in QUERIES]
    (root / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "qrels.tsv").write_text(QRELS, encoding="utf-8")
    return root


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    return write_collection(tmp_path / "tiny")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["eval", *args, "--no-entities", "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_eval_json_gives_hand_computed_figures(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(capsys, str(collection))
    assert result["collection"] == "tiny"
    assert result["queries"] == 2  # q3 has no judgements
    assert result["metrics"] == pytest.approx(MEANS)
    assert result["per_query"] == {"q1": pytest.approx(Q1), "q2": pytest.approx(Q2)}
    assert result["index"] == str(collection / ".search-index")


def test_eval_reuses_its_index_while_the_corpus_is_unchanged(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_json(capsys, str(collection))
    second = run_json(capsys, str(collection))
    assert first["indexing"]["indexed"] == 5  # type: ignore[index]
    assert second["indexing"]["indexed"] == 0  # type: ignore[index]
    assert second["indexing"]["unchanged"] == 5  # type: ignore[index]
    assert second["metrics"] == first["metrics"]


def test_eval_never_rebuilds_an_index_of_other_documents(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Note\n\nA note.\n", encoding="utf-8")
    build([other], tmp_path / "ix", settings=Settings(entities=False))
    assert (
        main(
            ["eval", str(collection), "--no-entities", "--index", str(tmp_path / "ix")]
        )
        == 1
    )
    # rich wraps long lines (and may fold long paths): compare without the line breaks
    err = "".join(capsys.readouterr().err.split())
    assert (
        "".join(f"error: {tmp_path / 'ix'}/ holds an index of {other}, not of".split())
        in err
    )
    assert "hint:give`searcheval`afolderofitsownwith--index" in err
    with Searcher(tmp_path / "ix") as searcher:
        assert searcher.doc_count() == 1


def test_eval_rebuilds_its_own_index_when_entities_are_switched(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, str(collection))
    settings = Settings(entities=True)
    coll = evaluation.load_collection(collection)
    stats = evaluation.index_collection(
        coll, collection / ".search-index", settings, extractor=NoEntities()
    )
    assert stats.indexed == 5 and stats.entities


class NoEntities:
    """An extractor that finds nothing, for an index built with entities on."""

    name = "fake:none@1"

    def extract(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        for _ in texts:
            yield []


def test_eval_writes_a_trec_run_with_the_collections_own_ids(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "out.run"
    run_json(
        capsys, str(collection), "--run", str(run), "--index", str(tmp_path / "ix")
    )
    rows = [line.split() for line in run.read_text(encoding="utf-8").splitlines()]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("q1", "Q0", "d1", "1", "search"),
        ("q2", "Q0", "d3", "1", "search"),
        ("q2", "Q0", "d5", "2", "search"),
    ]
    scores = [float(r[4]) for r in rows[1:]]
    assert scores[0] > scores[1] > 0
    assert (tmp_path / "ix").is_dir() and not (collection / ".search-index").exists()


def test_eval_prints_a_table(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(collection), "--no-entities"]) == 0
    out = capsys.readouterr().out
    assert "tiny: 2 queries" in out
    for name, value in MEANS.items():
        assert name in out and f"{value:.4f}" in out


def test_eval_with_feedback_runs_and_keeps_the_first_hit(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(capsys, str(collection), "--prf")
    assert result["options"]["expand"] is True  # type: ignore[index]
    assert result["per_query"]["q1"]["MRR@10"] == 1.0  # type: ignore[index]


def test_feedback_adds_words_of_the_top_hits(collection: Path, tmp_path: Path) -> None:
    settings = Settings(entities=False)
    coll = evaluation.load_collection(collection)
    evaluation.index_collection(coll, tmp_path / "ix", settings)
    with Searcher(tmp_path / "ix", settings) as searcher:
        plain = searcher.search("apple", plain=True, snippets=0)
        wider = searcher.search("apple", plain=True, snippets=0, expand=True)
    assert [h.id for h in plain.hits] == ["corpus.jsonl#d1"]
    # d1's words "pie" and "recipe" now find d2's banana bread recipe, below d1
    assert [h.id for h in wider.hits][:2] == ["corpus.jsonl#d1", "corpus.jsonl#d2"]


ODD_QUERIES = [
    'What "is" AND (this): apple?',
    '"unbalanced quote',
    "AND",
    "OR OR NOT",
    "(((",
    "title:apple AND person:",
    "apple* ~2 ^3 [a TO b] {x}",
    "NOT apple",
    "-apple +pie",
    "what is this",
    "",
    "\\ / < > = ! '",
    "pie\u2019s \u201cbest\u201d recipe \u2014 2024-01-01",
]


def test_plain_queries_never_fail(collection: Path, tmp_path: Path) -> None:
    settings = Settings(entities=False)
    evaluation.index_collection(
        evaluation.load_collection(collection), tmp_path / "ix", settings
    )
    with Searcher(tmp_path / "ix", settings) as searcher:
        run = evaluation.run_queries(
            searcher, {str(n): q for n, q in enumerate(ODD_QUERIES)}, depth=10
        )
        expanded = evaluation.run_queries(
            searcher, {str(n): q for n, q in enumerate(ODD_QUERIES)}, expand=True
        )
    assert [doc for doc, _ in run["0"]] == ["d1"]
    assert set(run) == set(expanded) == {str(n) for n in range(len(ODD_QUERIES))}


def test_eval_of_a_folder_that_is_not_a_collection_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "corpus.jsonl").write_text("{}\n", encoding="utf-8")
    assert main(["eval", str(tmp_path / "docs"), "--no-entities"]) == 1
    err = capsys.readouterr().err
    assert "no queries.jsonl, qrels.tsv" in err
    assert "hint: a collection in BEIR layout" in err


def test_bad_qrels_line_is_reported_with_its_number(collection: Path) -> None:
    (collection / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\n", encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"qrels.tsv:2: expected"):
        evaluation.load_collection(collection)


def test_read_only_collection_gets_an_index_in_the_cache_dir(
    collection: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    coll = evaluation.load_collection(collection)
    assert evaluation.default_index_dir(coll) == collection / ".search-index"
    # without write bits (as ../shared is laid out) even root, whom access() lets write
    collection.chmod(0o555)
    try:
        target = evaluation.default_index_dir(coll)
    finally:
        collection.chmod(0o755)
    assert target.is_relative_to(isolated_env / ".cache" / "search")
    assert target.name.startswith("tiny-")
    monkeypatch.setattr(evaluation.os, "access", lambda path, mode: False)
    assert evaluation.default_index_dir(coll) == target


def test_raw_id_strips_the_corpus_file() -> None:
    assert evaluation.raw_id("corpus.jsonl#42") == "42"
    assert evaluation.raw_id("corpus.jsonl#a#b") == "a#b"
    assert evaluation.raw_id("other.jsonl#1") == "other.jsonl#1"


# -- the shared collections ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "queries", "pairs"), [("time", 83, 324), ("cranfield", 225, 1837)]
)
def test_shared_collections_load(name: str, queries: int, pairs: int) -> None:
    if not IR.is_dir():
        pytest.skip(IR_MISSING)
    coll = evaluation.load_collection(IR / name)
    assert len(coll.queries) == queries
    assert sum(len(j) for j in coll.qrels.values()) == pairs
    assert set(coll.qrels) <= set(coll.queries)
