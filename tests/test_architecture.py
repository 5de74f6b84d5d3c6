"""The layout rules of docs/architecture.md, "Layers", checked on the code itself."""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent

# Public on purpose: the pages anyone may read, and Django's own sign-in and admin (which
# check their own permissions).
PUBLIC = {
    "home",
    "claim_public",
    "claim_appearances",
    "claim_share_image",
    "page_about",
    "page_methodology",
    "page_ratings",
    "claims_feed",
    "sitemap",
    "sitemap_section",
    None,
}
OWN_CHECKS = {"admin"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_articles_never_imports_claims():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.startswith("claims"))
        for path in _modules("articles")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _is_view_module(name: str) -> bool:
    """One of the apps' view modules (Django's own, like syndication's Feed, are libraries)."""
    parts = name.split(".")
    return parts[0] in ("articles", "claims", "factcheck") and "views" in parts


def test_only_url_confs_import_view_modules():
    """Views are the top layer: selectors, services, feeds, sitemaps, forms and the other
    views import nothing from a view module; a URL conf is what wires views in."""
    layers = [
        path
        for folder in ("articles", "claims", "factcheck")
        for path in _modules(folder)
        if path.name != "urls.py"
    ]
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if _is_view_module(n))
        for path in layers
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _patterns(resolver, namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_desk_url_checks_a_role_on_the_server():
    unchecked = []
    for namespace, pattern in _patterns(get_resolver()):
        if namespace in OWN_CHECKS or pattern.name in PUBLIC:
            continue
        if pattern.lookup_str.startswith("django.contrib.auth.views"):
            continue  # signing in and out
        if not getattr(pattern.callback, "required_role", None):
            unchecked.append(pattern.name or pattern.lookup_str)
    assert unchecked == []


def test_the_audit_sees_the_roles():
    roles = {
        pattern.name: getattr(pattern.callback, "required_role", None)
        for _, pattern in _patterns(get_resolver())
    }
    assert roles["review"] == "is_reviewer"
    assert roles["claim_publish"] == "is_reviewer"
    assert roles["home"] is None


def _graded_blocks(code: str):
    """Every function, method and class radon grades, with the functions nested in them."""
    from radon.complexity import cc_visit

    pending = list(cc_visit(code))
    while pending:
        block = pending.pop()
        yield block
        pending.extend(getattr(block, "closures", ()))


def test_no_function_is_graded_worse_than_c():
    """Radon's cyclomatic complexity, graded A (simple) to F: a function graded D or worse
    (more than 20 paths) is split into named steps (docs/architecture.md, "Layers")."""
    from radon.complexity import cc_rank

    too_complex = {
        f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname}": (
            f"{cc_rank(block.complexity)} ({block.complexity})"
        )
        for folder in ("articles", "claims", "factcheck")
        for path in _modules(folder)
        for block in _graded_blocks(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) not in "ABC"
    }
    assert too_complex == {}


def test_the_complexity_check_sees_nested_functions():
    """A D hides nowhere: not in a method, not in a function nested in one."""
    from radon.complexity import cc_rank

    branches = "".join(f"            if x == {n}:\n                return {n}\n" for n in range(21))
    code = (
        "class K:\n    def m(self):\n        def inner(x):\n" + branches + "        return inner\n"
    )
    grades = {block.name: cc_rank(block.complexity) for block in _graded_blocks(code)}
    assert grades == {"K": "A", "m": "A", "inner": "D"}


# Each rule written once (docs/architecture.md, "Layers"): the spelling on the left may stand
# only in the file on the right; everywhere else the named method or function is used.
RULES = {
    r"orphaned=(True|False)": "claims/models.py",  # Annotation.objects.live() / .orphaned()
    r"published_revision__isnull": "claims/models.py",  # Claim.objects.published()
    r"current_of__": "claims/models.py",  # PublishedRevision.objects.current()
    r"replace\(\"\\x00\"": "factcheck/search.py",  # without_nul(), clean_query()
    r"\{\{[^}]*\|truncatechars|Truncator\(": None,  # articles.text.shorten, |shorten:N
    r"unicodedata\.normalize\(\"NFC\"": "articles/text.py",  # normalize_text()
}


def test_each_rule_is_spelled_once():
    import re

    sources = [
        path
        for folder in ("articles", "claims", "factcheck", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".html", ".txt", ".xml")
        and "migrations" not in path.parts
        and path.is_file()
    ]
    found = {
        pattern: sorted(
            str(path.relative_to(ROOT))
            for path in sources
            if re.search(pattern, path.read_text(encoding="utf-8"))
        )
        for pattern in RULES
    }
    assert found == {pattern: [home] if home else [] for pattern, home in RULES.items()}
