"""The radar's place in the layout (docs/architecture.md, "Claim radar"): it builds on
``articles`` and ``claims``, which never import it; its functions stay simple."""

from tests.test_architecture import ROOT, _graded_blocks, _imports, _modules


def test_articles_and_claims_never_import_radar():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.startswith("radar"))
        for folder in ("articles", "claims", "factcheck")
        for path in _modules(folder)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_matching_engine_is_pure():
    """No database, no Django models: the engine reads text and wordings only."""
    imports = _imports(ROOT / "radar" / "matching.py")
    assert not any(n.startswith(("django", "radar.models", "claims.models")) for n in imports)


def test_no_radar_function_is_graded_worse_than_c():
    from radon.complexity import cc_rank

    too_complex = {
        f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname}": cc_rank(block.complexity)
        for path in _modules("radar")
        for block in _graded_blocks(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) not in "ABC"
    }
    assert too_complex == {}
