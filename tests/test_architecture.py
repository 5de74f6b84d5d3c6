"""The layout rules of docs/architecture.md, "Layers", checked on the code itself."""

import ast
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent

# Public on purpose: the pages anyone may read, and Django's own sign-in and admin (which
# check their own permissions).
PUBLIC = {
    "home",
    "claims_index",  # a redirect to the home page
    "claim_public",
    "claim_appearances",
    "claim_share_image",
    "page_about",
    "page_methodology",
    "page_ratings",
    "claims_feed",
    "sitemap",
    "robots_txt",
    "javascript_catalog",  # the interface's translations for the scripts (factcheck.views)
    "api_docs",
    "claim_review_feed",
    "claim_embed",
    "oembed",
    "evidence_snapshot_public",
    "sitemap_section",
    None,
}
# The public API reads published revisions only (public.api; tests/public/test_api.py proves
# nothing else is reachable).
OWN_CHECKS = {"admin", "api-v1"}


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


APPS = ("articles", "claims", "factcheck", "spread", "public", "webfetch", "webhooks")


def test_the_desk_never_imports_spread_or_open_data():
    """spread/, public/ and webhooks/ depend on claims and articles, one way (spread plugs
    into the activity feed and the review page's sorts when it is ready; webhooks listen to
    claims' model signals). Nor does the fetcher they share know webhooks."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            n for n in _imports(path) if n.startswith(("spread", "public", "webhooks"))
        )
        for folder in ("articles", "claims", "webfetch")
        for path in _modules(folder)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# The public app (public/) reads what the others write; none of them reads it back: not by an
# import, not by a template (docs/architecture.md, "The public app"). A piece both sides draw
# stays on the writing side (claims.selectors.published, claims/published/*.html).
NEVER_IMPORT_PUBLIC = ("articles", "claims", "radar", "spread", "webfetch", "webhooks", "factcheck")
PUBLIC_TEMPLATE = re.compile(r"""{%\s*(?:include|extends)\s+["']public/""")


def _imports_public(names) -> list[str]:
    return sorted(n for n in names if n == "public" or n.startswith("public."))


def test_no_other_app_imports_the_public_app():
    """Only the URL confs wire the public app in (factcheck/urls.py includes public.urls)."""
    offenders = {
        str(path.relative_to(ROOT)): _imports_public(_imports(path))
        for folder in NEVER_IMPORT_PUBLIC
        for path in _modules(folder)
        if path.relative_to(ROOT) != Path("factcheck/urls.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    templates = [
        str(path.relative_to(ROOT))
        for folder in (*NEVER_IMPORT_PUBLIC, "templates")
        for path in (ROOT / folder).rglob("*.html")
        if PUBLIC_TEMPLATE.search(path.read_text(encoding="utf-8"))
    ]
    assert templates == []
    assert _imports_public({"public.views.pages", "publicity", "claims"}) == ["public.views.pages"]
    assert PUBLIC_TEMPLATE.search('{% include "public/claim.html#appearance" %}')


# What the public app may read of claims: published revisions and what hangs on them (the
# redirects of merged claims' old addresses, the about pages), the choices, and the shape of
# a revision's appearances. Not ClaimWording: the public search, like every page, reads the
# wordings frozen in the revision (docs/architecture.md, "Search").
PUBLIC_READS = {
    "claims.models": {
        "PublishedRevision",
        "ClaimRedirect",
        "Page",
        "Rating",
        "Stance",
        "ClaimantType",
        "guess_claimant_type",
    },
    "claims.selectors.published": {
        "APPEARANCES_SHOWN",
        "Appearance",
        "appearance",
        "JSONLength",
        "_JSONSlice",
        "STANCE_WORDS",
    },
}


def test_the_public_app_reads_only_the_published_side_of_claims():
    """No desk row (annotations, verdicts, comments, live claims) and no desk selector or
    service: what the public reads is what publishing froze (docs/architecture.md,
    "Publishing"; tests/public/test_api.py::test_nothing_unpublished_is_reachable and
    tests/public/test_public.py check the pages and the API themselves)."""
    found = {}
    for path in _modules("public"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [(a.name, "*") for a in node.names if a.name.startswith("claims")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("claims"):
                names = [(node.module, a.name) for a in node.names]
            else:
                continue
            for module, name in names:
                if name not in PUBLIC_READS.get(module, ()):
                    found.setdefault(str(path.relative_to(ROOT)), []).append(f"{module}.{name}")
    assert found == {}


def _is_view_module(name: str) -> bool:
    """One of the apps' view modules (Django's own, like syndication's Feed, are libraries)."""
    parts = name.split(".")
    return parts[0] in APPS and "views" in parts


def test_only_url_confs_import_view_modules():
    """Views are the top layer: selectors, services, feeds, sitemaps, forms and the other
    views import nothing from a view module; a URL conf is what wires views in."""
    layers = [path for folder in APPS for path in _modules(folder) if path.name != "urls.py"]
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if _is_view_module(n))
        for path in layers
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# Query expressions (docs/architecture.md, "Layers": views hold no reads). Named in the
# issue, and everything else that builds a query: the whole of django.db.models and of
# django.contrib.postgres is out of bounds for a view.
QUERY_MODULES = ("django.db.models", "django.contrib.postgres")
QUERY_NAMES = {
    "Q", "F", "Count", "Sum", "Avg", "Min", "Max", "StdDev", "Variance", "Aggregate",
    "Subquery", "OuterRef", "Exists", "Prefetch", "Value", "Func", "Case", "When", "Window",
}  # fmt: skip


def _reads(code: str) -> list[str]:
    """What in ``code`` is a read a view must leave to a selector: an import of a query
    expression (or of the modules that hold them) and any ``<something>.objects``."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(QUERY_MODULES) or node.module == "django.db":
                names = [
                    a.name for a in node.names if node.module != "django.db" or a.name == "models"
                ]
                found.extend(f"import {node.module}.{name}" for name in names)
            else:
                found.extend(f"import {a.name}" for a in node.names if a.name in QUERY_NAMES)
        elif isinstance(node, ast.Import):
            found.extend(f"import {a.name}" for a in node.names if a.name.startswith(QUERY_MODULES))
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
    return found


def _view_paths():
    return [
        path
        for folder in ("articles", "claims", "factcheck", "public")
        for path in _modules(folder)
        if _is_view_module(_module_name(path))
    ]


def test_views_hold_no_reads():
    """Views parse, call access, selectors or services, and render: no query expression
    is imported and no manager is called (``get_object_or_404(Model, …)`` is fine, and
    so is a QuerySet a selector returned). Anything more is a selector (claims/selectors/)."""
    assert _view_paths(), "no view module found"
    offenders = {str(path.relative_to(ROOT)): _reads(path.read_text()) for path in _view_paths()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_reads_check_sees_reads():
    code = (
        "from django.db.models import Count, Exists\n"
        "from django.db import models, transaction\n"
        "import django.contrib.postgres.search\n"
        "from somewhere import Prefetch\n"
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    get_object_or_404(Claim, pk=pk)\n"
        "    return Claim.objects.filter(pk=pk)\n"
    )
    assert _reads(code) == [
        "import django.db.models.Count",
        "import django.db.models.Exists",
        "import django.db.models",
        "import django.contrib.postgres.search",
        "import Prefetch",
        "line 8: .objects",
    ]


# One home for forms per app (docs/architecture.md, "Layers"); the admin's sign-in form stays
# beside the admin site it belongs to (it reads the site's rule for one-time codes), and
# Django's own admin forms, made valid HTML, beside the other fixes of Django's markup.
FORM_HOMES = {
    "claims/forms.py",
    "articles/forms.py",
    "factcheck/forms.py",
    "factcheck/admin_site.py",
    "factcheck/admin_markup.py",
}


def _defines_forms(code: str) -> bool:
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base).rpartition(".")[2] for base in node.bases]
            if any(base.endswith(("Form", "FormSet")) for base in bases):
                return True
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("formset_factory"):
            return True
    return False


def test_forms_live_in_forms_modules():
    found = {
        str(path.relative_to(ROOT))
        for folder in ("articles", "claims", "factcheck")
        for path in _modules(folder)
        if _defines_forms(path.read_text(encoding="utf-8"))
    }
    assert found <= FORM_HOMES, found - FORM_HOMES
    assert _defines_forms("class A(forms.Form): pass") and not _defines_forms("class A: pass")


def _own_statuses(code: str) -> list[str]:
    """Where ``code`` answers a refusal itself instead of through factcheck.responses: a
    ``status=`` argument, ``status_of`` imported, or an error message of its own."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            found.extend(f"line {node.lineno}: status=" for k in node.keywords if k.arg == "status")
            if ast.unparse(node.func) == "messages.error":
                found.append(f"line {node.lineno}: messages.error")
        elif isinstance(node, ast.ImportFrom):
            found.extend(f"import {a.name}" for a in node.names if a.name == "status_of")
    return found


# Views that answer statuses a protocol names, not refusals of a form: oEmbed's 404 (not a
# fact check of this site) and 501 (a format not offered), as JSON (oembed.com, 2.3.5).
PROTOCOL_STATUSES = {"public/views/open_data.py"}


def test_every_view_answers_refusals_through_one_helper():
    """A refusal's status comes from factcheck.responses (``refused``: ``status_of`` of the
    refusal; ``refused_back``: the message on the page the form came from), so the same
    refusal gets the same status from every view (docs/architecture.md, "Errors")."""
    offenders = {
        str(path.relative_to(ROOT)): _own_statuses(path.read_text())
        for path in _view_paths()
        if str(path.relative_to(ROOT)) not in PROTOCOL_STATUSES
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert _own_statuses("render(r, 't', {}, status=400)") == ["line 1: status="]
    assert _own_statuses("messages.error(r, 'No.')") == ["line 1: messages.error"]


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
        for folder in APPS
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
        for folder in (*APPS, "templates")
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


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Which project module imports which (every import, at the top or inside a function:
    a lazy import hides a cycle, it does not break it). ``from package import module`` is
    an edge to the module; ``from module import name``, to the module."""
    paths = {_module_name(path): path for folder in (*APPS, "radar") for path in _modules(folder)}
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from ..y import z
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    if f"{base}.{alias.name}" in paths:
                        edges.add(f"{base}.{alias.name}")
                    elif base in paths:
                        edges.add(base)
        graph[name] = edges - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative): every module in one reaches every other, directly or through others."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle():
    """No project module imports itself back, directly or through others
    (docs/architecture.md, "Layers"): history helpers live in claims.services.history, not
    in one service imported by another that it imports."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_sees_cycles_through_other_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"x": {"y"}, "y": {"x"}}) == [["x", "y"]]


def test_the_import_graph_sees_lazy_and_package_imports():
    graph = _import_graph()
    assert "claims.services.history" in graph["claims.services.annotations"]
    # from claims.services import annotations as services: an edge to the module.
    assert "claims.services.annotations" in graph["claims.views.annotate"]
    # an import inside a function counts too
    assert "django.contrib" not in graph["factcheck.middleware"]
    assert "articles.access" in graph["factcheck.middleware"]


# Entry points that are not durable, and why (docs/architecture.md, "Layers").
NOT_DURABLE = {
    # bench/correction.py times it inside a transaction it rolls back.
    "claims/services/corrections.py:article_correct",
}


def _atomic(node) -> str | None:
    """'durable' or 'atomic' for a ``transaction.atomic`` decorator or wrapper, else None."""
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call else node
    if ast.unparse(target) not in ("transaction.atomic", "atomic"):
        return None
    durable = call and any(
        k.arg == "durable" and getattr(k.value, "value", False) for k in call.keywords
    )
    return "durable" if durable else "atomic"


def _entry_points(tree):
    """A services module's entry points: (name, function, decorator kind) for each function
    wrapped in ``transaction.atomic``, by decorator or by ``name = atomic(...)(function)``."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for function in functions.values():
        for decorator in function.decorator_list:
            if kind := _atomic(decorator):
                yield function.name, function, kind
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            kind = _atomic(node.value.func)
            wrapped = node.value.args[0] if node.value.args else None
            if kind and isinstance(wrapped, ast.Name) and wrapped.id in functions:
                yield node.targets[0].id, functions[wrapped.id], kind


def test_service_entry_points_are_durable_and_keyword_only():
    """Every write is a service named ``<entity>_<verb>`` that takes keyword-only arguments
    and runs in its own transaction (``transaction.atomic(durable=True)``: never inside a
    caller's), docs/architecture.md, "Layers"."""
    problems, found = [], 0
    for path in sorted((ROOT / "claims" / "services").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, function, kind in _entry_points(tree):
            found += 1
            where = f"{path.relative_to(ROOT)}:{name}"
            args = function.args
            if args.args or args.posonlyargs or args.vararg:
                problems.append(f"{where}: positional arguments")
            if not re.fullmatch(r"[a-z]+(_[a-z]+)+", name):
                problems.append(f"{where}: not <entity>_<verb>")
            if (kind == "durable") == (where in NOT_DURABLE):
                problems.append(f"{where}: {kind}")
    assert found > 10
    assert problems == []
