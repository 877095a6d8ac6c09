"""One way to read YAML: libyaml's C parser where present, YAML 1.2 booleans, data files parsed once.

Two problems, one loader:
- **Speed.** The pure-Python loader spent about a fifth of an offline run's CPU on the ~25 data
  files (word lists, specs, the model catalog); libyaml's parser reads them about eight times
  faster. Where PyYAML was built without libyaml, the pure-Python parser is used instead.
- **The Norway problem.** PyYAML follows YAML 1.1, where `no`, `yes`, `on`, `off`, `y` and `n`
  are booleans, so the Norwegian language code `no:` became the key False and a stop word `on`
  became True. `StringSafeLoader` keeps YAML 1.2's rule: only true/false are booleans, every
  other word stays a string. Implicit resolvers live on the Python side even with the C parser,
  so both loaders share the rule.

`load_yaml(path)` shares a data file's parsed content with every caller in the process: treat it
as read-only (callers copy or validate it into their own models). `parse_yaml(text)` parses
text the user gave (scenarios, catalogs) afresh each time.

**Across processes.** Even with libyaml, building Python objects from the ~25 data files costs
~0.2 CPU s of every run (the constructor and the resolvers are Python). As Python keeps a
module's bytecode, a data file's parsed content is kept beside it in `__pycache__/`
(`NAME.yaml.<python tag>-yaml12-1.marshal`: marshal, the format of .pyc files) with the
SHA-256 of the text it came from; a later process whose file has the same text loads that in
~1 ms, and any other text is parsed again. Written where Python would write bytecode (not
under PYTHONDONTWRITEBYTECODE; a read-only install or a failed write only costs the parse).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

BOOL_TAG = "tag:yaml.org,2002:bool"
YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class StringSafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader (C parser where present) that reads only true/false as booleans (YAML 1.2)."""


StringSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    StringSafeLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, (BOOL_TAG, YAML12_BOOL))


def parse_yaml(text: str) -> Any:
    """Parse YAML text; `no`, `on`, `yes`, `off` stay strings."""
    return yaml.load(text, Loader=StringSafeLoader)  # noqa: S506 - a safe loader (C or Python)


CACHE_TAG = f"{sys.implementation.cache_tag}-yaml12-1"
"""Names a cache file: the Python version (marshal's format) and the loader's rules (bump on change)."""


def cache_file(path: Path) -> Path:
    """Where a data file's parsed content is kept between processes."""
    return path.parent / "__pycache__" / f"{path.name}.{CACHE_TAG}.marshal"


def _parse_data_file(path: Path, text: str) -> Any:
    """The parsed `text` of data file `path`: from its cache when that holds this very text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    kept = cache_file(path)
    try:
        kept_digest, data = marshal.loads(kept.read_bytes())
        if kept_digest == digest:
            return data
    except (OSError, ValueError, EOFError, TypeError):  # no cache yet, or an unreadable one
        pass
    data = parse_yaml(text)
    if not sys.dont_write_bytecode:
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        try:
            blob = marshal.dumps((digest, data))
            kept.parent.mkdir(exist_ok=True)
            partial.write_bytes(blob)
            os.replace(partial, kept)  # another process reads a whole file or none
        except (OSError, ValueError):  # a read-only install, a full disk; a value marshal cannot hold
            partial.unlink(missing_ok=True)
    return data


@cache
def _load(path: str, mtime_ns: int, size: int) -> Any:
    return _parse_data_file(Path(path), Path(path).read_text(encoding="utf-8"))


def load_yaml(path: Path | str) -> Any:
    """A data file's content, parsed once per process (again only if the file changed on disk)."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return _load(str(resolved), stat.st_mtime_ns, stat.st_size)


def yaml11_booleans(text: str) -> list[tuple[int, str]]:
    """(line, word) for each scalar YAML 1.1 would read as a boolean although it is not true/false.

    Such a word (`no`, `on`, `yes`, `off`) changes meaning with the loader; data files quote it.
    """
    found: list[tuple[int, str]] = []
    stack: list[Any] = [yaml.compose(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG and not YAML12_BOOL.match(node.value):
            found.append((node.start_mark.line + 1, node.value))
    return sorted(found)
